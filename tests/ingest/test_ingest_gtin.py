"""Barcodes in the sheets: the product registry and the declarations register take a GTIN
column; a GTIN with a wrong check digit (or not a GTIN at all) rejects its row only."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, col, select

from catalog.models import Declaration, IngestReject, Product, ProductGtin
from ingest.jobs import ingest

PRODUCTS = (
    "Mã sản phẩm,Tên sản phẩm,Loại,Mã GTIN\n"
    "che-a,Chè A,Đặc sản,8934588063053\n"  # valid GTIN-13 (893: GS1 Vietnam)
    "che-b,Chè B,Đặc sản,8934588063054\n"  # check digit should be 3
    "che-c,Chè C,Đặc sản,89345880630\n"  # 11 digits
    "che-d,Chè D,Đặc sản,893458806305X\n"  # not digits
    "che-e,Chè E,Đặc sản,036000291452; 96385074\n"  # a GTIN-12 and a GTIN-8
    "che-f,Chè F,Đặc sản,08934588063053\n"  # Chè A's GTIN, written on 14 digits
    "che-g,Chè G,Đặc sản,\n"
)


def _rejects(session: Session, run_id: int) -> list[tuple[str, str]]:
    rows = session.exec(select(IngestReject).where(IngestReject.run_id == run_id)).all()
    return sorted((r.location.rsplit(":", 1)[-1], r.reason) for r in rows)


def test_the_product_registry_takes_gtins_and_rejects_bad_ones_per_row(engine, tmp_path: Path):
    sheet = tmp_path / "products.csv"
    sheet.write_text(PRODUCTS, encoding="utf-8")
    run = ingest(engine, "products", origin=sheet)
    assert (run.new, run.rejected) == (3, 4)
    with Session(engine) as session:
        assert _rejects(session, run.run_id) == [
            ("3", "Mã GTIN: '8934588063054' is not a valid GTIN: its check digit is 4, but the "
             "digits before it call for 3"),
            ("4", "Mã GTIN: '89345880630' is not a valid GTIN: it has 11 digits; a GTIN has 8, "
             "12, 13 or 14 (GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13), GTIN-14)"),
            ("5", "Mã GTIN: '893458806305X' is not a valid GTIN: it holds 'X'; a GTIN is digits "
             "only"),
            ("7", "Mã GTIN: 08934588063053 is already the GTIN of product 'che-a'"),
        ]  # fmt: skip
        slugs = session.exec(select(Product.slug).order_by(col(Product.slug))).all()
        assert slugs == ["che-a", "che-e", "che-g"]  # a rejected row writes nothing
        gtins = session.exec(select(ProductGtin).order_by(col(ProductGtin.gtin14))).all()
        assert [(g.gtin14, g.gtin) for g in gtins] == [
            ("00000096385074", "96385074"),
            ("00036000291452", "036000291452"),
            ("08934588063053", "8934588063053"),
        ]
    again = ingest(engine, "products", origin=sheet)
    assert (again.new, again.updated, again.rejected) == (0, 0, 4)


def test_the_declarations_register_takes_a_gtin(engine, tmp_path: Path):
    products = tmp_path / "products.csv"
    products.write_text(PRODUCTS, encoding="utf-8")
    ingest(engine, "products", origin=products)
    sheet = tmp_path / "declarations.csv"
    sheet.write_text(
        "Loại,Số tiếp nhận,Tổ chức doanh nghiệp,Sản phẩm,Mã GTIN,Tiêu chuẩn quy chuẩn,"
        "Ngày công bố\n"
        "Tự công bố,01/2024/SA,HTX Sử Anh,,8934588063053,TCVN 9740:2013,06/08/2024\n"
        "Tự công bố,02/2024/SA,HTX Sử Anh,Chè X,8934588063050,TCVN 9740:2013,06/08/2024\n"
        "Tự công bố,03/2024/SA,HTX Sử Anh,Chè X,8934588063053; 96385074,TCVN 9740:2013,06/08/2024\n"
        "Tự công bố,04/2024/SA,HTX Sử Anh,Chè Y,,TCVN 9740:2013,06/08/2024\n",
        encoding="utf-8",
    )
    run = ingest(engine, "declarations", origin=sheet)
    assert (run.new, run.rejected) == (2, 2)
    with Session(engine) as session:
        reasons = [reason for _, reason in _rejects(session, run.run_id)]
        assert "call for 3" in reasons[0]
        assert reasons[1] == "Mã GTIN: one declaration names one GTIN, not 2"
        rows = session.exec(select(Declaration).order_by(col(Declaration.number))).all()
        che_a = session.exec(select(Product).where(Product.slug == "che-a")).one()
        # the GTIN names the registered product when the product column does not
        assert [(d.number, d.gtin, d.product_id) for d in rows] == [
            ("01/2024/SA", "8934588063053", che_a.id),
            ("04/2024/SA", None, None),
        ]
