"""Hostile sheets: bounded memory, and a reject with file, row, column and why for each
bad row while the rest of the sheet loads (security review items 4, 5, 6, 18 and 19)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from ingest_helpers import inline, write_xlsx
from sqlmodel import Session, select

from catalog.limits import NAME_MAX, TEXT_MAX
from catalog.models import IngestReject, Product
from ingest.jobs import ingest
from ingest.records import ProductRecord, Reject
from ingest.sheets import SheetLimits, read_sheet
from ingest.sources.products import ProductRegistrySource

HEADER = ["Mã sản phẩm", "Tên sản phẩm", "Loại", "Ghi chú"]
BOMB_CHARS = 200_000_000
RSS_BOUND_MB = 160  # the CLI alone, importing the API, peaks at about 100 MiB


def products(path: Path, limits: SheetLimits | None = None) -> list:
    rows = read_sheet(path, free_text="ghi chu", limits=limits or SheetLimits())
    return list(ProductRegistrySource().parse_rows(rows))


def header_cells() -> list[str]:
    return [inline(f"{'ABCD'[i]}1", name) for i, name in enumerate(HEADER)]


def product_cells(row: int, slug: str, name: str) -> list[str]:
    return [inline(f"A{row}", slug), inline(f"B{row}", name), inline(f"C{row}", "đặc sản")]


def bomb_strings() -> Iterator[bytes]:
    """One shared string of 200 million characters, handed to the zip writer 1 MB at a time."""
    yield b"<si><t>"
    for _ in range(BOMB_CHARS // 1_000_000):
        yield b"x" * 1_000_000
    yield b"</t></si><si><t>Cam s\xc3\xa0nh H\xc3\xa0m Y\xc3\xaan</t></si>"


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Row 2 names the product with the 200 M-char string; rows 4 and 5 hold #DIV/0!, as an
    error cell and as a number cell's text; rows 3 and 6 are good."""
    rows = [
        header_cells(),
        [inline("A2", "bom"), '<c r="B2" t="s"><v>0</v></c>', inline("C2", "đặc sản")],
        [inline("A3", "cam-sanh"), '<c r="B3" t="s"><v>1</v></c>', inline("C3", "đặc sản")],
        [inline("A4", "loi-1"), '<c r="B4" t="e"><v>#DIV/0!</v></c>', inline("C4", "đặc sản")],
        [inline("A5", "loi-2"), '<c r="B5"><v>#DIV/0!</v></c>', inline("C5", "đặc sản")],
        product_cells(6, "che-shan-tuyet", "Chè Shan tuyết"),
    ]
    path = tmp_path_factory.mktemp("bomb") / "products.xlsx"
    write_xlsx(path, rows, bomb_strings())
    assert path.stat().st_size < 1_000_000  # a small file…
    return path


def test_a_200_million_character_string_is_a_reject_not_a_product(bomb: Path) -> None:
    items = products(bomb)
    records = [i for i in items if isinstance(i, ProductRecord)]
    rejects = {i.location: i.reason for i in items if isinstance(i, Reject)}
    assert [r.slug for r in records] == ["cam-sanh", "che-shan-tuyet"]
    assert records[0].name_vi == "Cam sành Hàm Yên"
    assert rejects["products.xlsx:2"] == (
        f"column 2 'Tên sản phẩm': {BOMB_CHARS} characters, more than the {TEXT_MAX} a cell "
        "may hold"
    )
    for row in (4, 5):
        assert rejects[f"products.xlsx:{row}"] == (
            "column 2 'Tên sản phẩm': the spreadsheet error #DIV/0! (a formula that failed)"
        )
    assert len(rejects) == 3


def many_strings(count: int) -> Iterator[bytes]:
    batch = 100_000
    for start in range(0, count, batch):
        yield b"".join(b"<si><t>s%d</t></si>" % n for n in range(start, start + batch))


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """5 million shared strings (13 MB): rows 2 and 5 use strings within the first million,
    rows 3 and 4 strings past it."""
    rows = [
        header_cells(),
        [inline("A2", "dau"), '<c r="B2" t="s"><v>0</v></c>', inline("C2", "đặc sản")],
        [inline("A3", "cuoi"), '<c r="B3" t="s"><v>4999999</v></c>', inline("C3", "đặc sản")],
        [inline("A4", "ngoai"), '<c r="B4" t="s"><v>7000000</v></c>', inline("C4", "đặc sản")],
        [inline("A5", "giua"), '<c r="B5" t="s"><v>999999</v></c>', inline("C5", "đặc sản")],
    ]
    path = tmp_path_factory.mktemp("many") / "products.xlsx"
    return write_xlsx(path, rows, many_strings(5_000_000))


def test_five_million_shared_strings_are_read_only_as_far_as_the_limit(many: Path) -> None:
    items = products(many)
    assert [(i.slug, i.name_vi) for i in items if isinstance(i, ProductRecord)] == [
        ("dau", "s0"),
        ("giua", "s999999"),
    ]
    rejects = {i.location: i.reason for i in items if isinstance(i, Reject)}
    cut = "was not read: only the first 1000000 shared strings are read"
    assert rejects == {
        "products.xlsx:3": f"column 2 'Tên sản phẩm': shared string #4999999 {cut}",
        "products.xlsx:4": f"column 2 'Tên sản phẩm': shared string #7000000 {cut}",
    }


# The peak RSS of this process image: VmHWM. (ru_maxrss is no good here: after a vfork and
# exec, Linux carries the parent's high-water mark into the child's ru_maxrss.)
RSS_SCRIPT = """
import re, sys
from pathlib import Path
from api.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
peak = re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text())[1]
print("PEAK_KB", peak, "EXIT", code)
"""


@pytest.mark.parametrize(
    ("sheet", "counts", "rejected_rows"),
    [("bomb", (2, 3), [2, 4, 5]), ("many", (2, 2), [3, 4])],
)
def test_hostile_workbooks_ingest_in_bounded_memory(
    engine, database_url: str, request: pytest.FixtureRequest, sheet: str, counts, rejected_rows
) -> None:
    """The whole CLI run, in its own process, so its peak RSS is the run's alone."""
    path = request.getfixturevalue(sheet)
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, "-c", RSS_SCRIPT, "ingest", "products", "--from", str(path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    peak_kb, code = done.stdout.split("PEAK_KB")[1].split()[0::2]
    print(f"{sheet} ingest: peak RSS {int(peak_kb) / 1024:.0f} MiB")  # shown with pytest -s
    assert code in ("0", "None"), done.stdout
    assert int(peak_kb) < RSS_BOUND_MB * 1024
    new, rejected = counts
    assert f"{new} new, 0 updated, 0 unchanged, {rejected} rejected" in done.stdout
    with Session(engine) as session:
        names = session.exec(select(Product.name_vi)).all()
        rejects = session.exec(select(IngestReject).order_by(IngestReject.location)).all()
    assert len(names) == new and all(len(name) < 100 for name in names)
    assert [r.location for r in rejects] == [f"products.xlsx:{n}" for n in rejected_rows]
    assert all(r.reason.startswith("column 2 'Tên sản phẩm': ") for r in rejects)
    assert all(len(r.excerpt or "") <= 300 for r in rejects)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    lines = [",".join(HEADER), *(",".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_overlong_csv_cells_and_error_values_are_rejects_with_where_and_why(
    tmp_path: Path,
) -> None:
    path = write_csv(
        tmp_path / "products.csv",
        [
            ["", "A" * 120_000, "đặc sản", ""],
            ["cam-sanh", "Cam sành", "đặc sản", ""],
            ["ghi-chu", "Ghi chú dài", "đặc sản", "x" * 200_000],
            ["loi", "#DIV/0!", "đặc sản", ""],
            ["na", "Na", "đặc sản", " #N/A "],
            ["che", "Chè", "đặc sản", ""],
        ],
    )
    items = products(path)
    assert [i.slug for i in items if isinstance(i, ProductRecord)] == ["cam-sanh", "che"]
    rejects = {i.location: (i.reason, i.excerpt) for i in items if isinstance(i, Reject)}
    more = f"more than the {TEXT_MAX} a cell may hold"
    assert rejects["products.csv:2"][0] == f"column 2 'Tên sản phẩm': 120000 characters, {more}"
    assert rejects["products.csv:4"][0] == f"column 4 'Ghi chú': 200000 characters, {more}"
    failed = "the spreadsheet error {} (a formula that failed)"
    assert rejects["products.csv:5"][0] == "column 2 'Tên sản phẩm': " + failed.format("#DIV/0!")
    assert rejects["products.csv:6"][0] == "column 4 'Ghi chú': " + failed.format("#N/A")
    assert len(rejects) == 4
    assert all(len(excerpt) <= 300 for _, excerpt in rejects.values())


def test_a_csv_line_over_the_line_limit_is_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "products.csv",
        [
            ["cam-sanh", "Cam sành", "đặc sản", ",".join(["y"] * 5_000)],
            ["che", "Chè", "đặc sản", ""],
        ],
    )
    items = products(path, SheetLimits(row_chars=4_000))
    assert [i.slug for i in items if isinstance(i, ProductRecord)] == ["che"]
    assert [(i.location, i.reason) for i in items if isinstance(i, Reject)] == [
        ("products.csv:2", "a line longer than 4000 characters; not read")
    ]


def test_a_quoted_field_over_the_field_limit_is_a_reject_and_reading_goes_on(
    tmp_path: Path,
) -> None:
    """Lines under the line limit, but one quoted field across them over the csv module's
    field limit (set to the line limit): that record is a reject, the next one is read."""
    half = "h" * 600_000
    path = tmp_path / "products.csv"
    path.write_text(f'{",".join(HEADER)}\nq,"{half}\n{half}",đặc sản,\nche,Chè,đặc sản,\n', "utf-8")
    items = products(path)
    assert [i.slug for i in items if isinstance(i, ProductRecord)] == ["che"]
    [reject] = [i for i in items if isinstance(i, Reject)]
    assert reject.location == "products.csv:3"
    assert reject.reason == "unreadable CSV record: field larger than field limit (1048576)"


def test_rows_and_columns_past_the_limits_are_rejects(tmp_path: Path) -> None:
    rows = [[f"slug-{n}", f"Tên {n}", "đặc sản", ""] for n in range(5)]
    rows[1] = [*rows[1], *["z"] * 20]
    path = write_csv(tmp_path / "products.csv", rows)
    items = products(path, SheetLimits(rows=3, columns=10))
    assert [i.slug for i in items if isinstance(i, ProductRecord)] == ["slug-0", "slug-2"]
    assert [(i.location, i.reason) for i in items if isinstance(i, Reject)] == [
        ("products.csv:3", "24 cells, more than 10: too wide"),
        ("products.csv:5", "more than 3 rows: the rest of the file is not read"),
    ]
    wide = write_xlsx(
        tmp_path / "wide.xlsx",
        [header_cells(), [*product_cells(2, "rong", "Rộng"), inline("XFD2", "far")]],
    )
    assert [(i.location, i.reason) for i in products(wide)] == [
        ("wide.xlsx:2", "cells right of column 1000: too wide")
    ]
    long_row = [*product_cells(3, "dai", "Dài"), *(inline(f"{c}3", "d" * 20_000) for c in "DEF")]
    long = write_xlsx(
        tmp_path / "long.xlsx", [header_cells(), product_cells(2, "ngan", "Ngắn"), long_row]
    )
    items = products(long, SheetLimits(row_chars=50_000))
    assert [i.slug for i in items if isinstance(i, ProductRecord)] == ["ngan"]
    assert [(i.location, i.reason) for i in items if isinstance(i, Reject)] == [
        ("long.xlsx:3", "more than 50000 characters; not read")
    ]


@pytest.mark.parametrize(
    ("part", "reason"),
    [
        (b"<!DOCTYPE sst [<!ENTITY a 'aaaa'>]><sst/>", "declares a DTD"),
        (b"<sst><si><t>unclosed</sst>", "malformed XML"),
    ],
)
def test_a_broken_workbook_is_one_reject_for_the_file(
    tmp_path: Path, part: bytes, reason: str
) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [header_cells()])
    path = tmp_path / "products.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            shared = name == "xl/sharedStrings.xml"
            target.writestr(name, part if shared else source.read(name))
    [reject] = products(path)
    assert reject.location == "products.xlsx" and reason in reject.reason
    (tmp_path / "not.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    [reject] = products(tmp_path / "not.xlsx")
    assert reject.location == "not.xlsx" and "not an XLSX" in reject.reason


def test_names_longer_than_the_api_takes_are_rejected_by_the_run(engine, tmp_path: Path) -> None:
    """The record limits are the API's (catalog.limits): a 301-character name is refused
    on SQLite as on PostgreSQL, and the other rows load."""
    path = write_csv(
        tmp_path / "products.csv",
        [
            ["", "Ổi " + "o" * NAME_MAX, "đặc sản", ""],
            ["cam-sanh", "Cam sành", "đặc sản", ""],
            ["ngan", "N" * NAME_MAX, "đặc sản", ""],
        ],
    )
    summary = ingest(engine, "products", origin=path)
    assert (summary.new, summary.rejected) == (2, 1)
    with Session(engine) as session:
        [reject] = session.exec(select(IngestReject)).all()
    assert reject.location == "products.csv:2"
    assert reject.reason.startswith(f"name_vi: {NAME_MAX + 3} characters, more than the 300")


def test_record_limits_fit_the_database_columns() -> None:
    """No limit lets through what a PostgreSQL VARCHAR column would refuse."""
    from catalog import models

    columns = {
        ("ProductRecord", "name_vi"): models.Product.__table__.c.name_vi,
        ("ProductRecord", "slug"): models.Product.__table__.c.slug,
        ("ProductRecord", "aliases"): models.ProductAlias.__table__.c.alias,
        ("ProductRecord", "locality_text"): models.Product.__table__.c.locality_text,
        ("ProductRecord", "ocop_decision"): models.Product.__table__.c.ocop_decision,
        ("ProductRecord", "producer"): models.Enterprise.__table__.c.name,
        ("ProductRecord", "hs_codes"): models.ProductCode.__table__.c.code,
        ("ProductRecord", "ics_codes"): models.ProductCode.__table__.c.code,
        ("CategoryRecord", "slug"): models.ProductCategory.__table__.c.slug,
        ("CategoryRecord", "name_vi"): models.ProductCategory.__table__.c.name_vi,
        ("LocalityRecord", "slug"): models.Locality.__table__.c.slug,
        ("LocalityRecord", "name_vi"): models.Locality.__table__.c.name_vi,
        ("IssuerRecord", "code"): models.Issuer.__table__.c.code,
        ("IssuerRecord", "name_vi"): models.Issuer.__table__.c.name_vi,
        ("DocumentRecord", "code"): models.Document.__table__.c.code,
        ("DocumentRecord", "equivalent"): models.Document.__table__.c.equivalent,
        ("DocumentRecord", "technical_committee"): models.Document.__table__.c.technical_committee,
        ("DocumentRecord", "announcing_decision"): models.Document.__table__.c.announcing_decision,
    }
    from ingest import records

    for (record, field), column in columns.items():
        limit = getattr(records, record).LIMITS[field]
        assert limit <= column.type.length, (record, field, limit, column.type.length)


def test_the_api_and_ingest_share_one_name_limit() -> None:
    import msgspec

    from api.schemas import ProductCreate

    assert ProductRecord.LIMITS["name_vi"] == NAME_MAX
    ok = {"name_vi": "N" * NAME_MAX, "kind": "specialty"}
    msgspec.convert(ok, ProductCreate)
    with pytest.raises(msgspec.ValidationError, match="length <= 300"):
        msgspec.convert({**ok, "name_vi": "N" * (NAME_MAX + 1)}, ProductCreate)


def test_declaration_fields_longer_than_the_api_takes_are_rejects(tmp_path: Path) -> None:
    from ingest.records import DeclarationRecord
    from ingest.sources.declarations import parse_rows as parse_declarations

    header = "Loại,Số tiếp nhận,Tổ chức doanh nghiệp,Sản phẩm,Tiêu chuẩn quy chuẩn,Ngày công bố"
    path = tmp_path / "declarations.csv"
    path.write_text(
        f"{header}\n"
        f"Tự công bố,01/2024/SA,{'H' * (NAME_MAX + 1)},Chè,TCVN 9740:2013,06/08/2024\n"
        f"Tự công bố,{'9' * 121},HTX Sử Anh,Chè,TCVN 9740:2013,06/08/2024\n"
        "Tự công bố,02/2024/SA,HTX Sử Anh,Chè,TCVN 9740:2013,06/08/2024\n",
        encoding="utf-8",
    )
    items = list(parse_declarations(read_sheet(path)))
    assert [i.location for i in items if isinstance(i, DeclarationRecord)] == ["declarations.csv:4"]
    assert [(i.location, i.reason) for i in items if isinstance(i, Reject)] == [
        ("declarations.csv:2", "enterprise: 301 characters, more than the 300 it may have"),
        ("declarations.csv:3", "number: 121 characters, more than the 120 it may have"),
    ]
