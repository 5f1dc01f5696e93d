"""The officials' declarations register, XLSX and CSV, against reviewed expected output."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest
from factories import CatalogBuilder
from sqlmodel import Session, select

from catalog.declarations import list_declarations
from catalog.models import Declaration, Enterprise, FieldChange, IngestReject, IngestRun
from catalog.vocab import DeclarationKind, ProductKind, Scheme
from ingest.jobs import ingest
from ingest.records import Reject
from ingest.sheets import read_sheet
from ingest.sources.declarations import parse_rows

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "declarations"
SHEETS = ["so-khcn-cong-bo.csv", "so-khcn-cong-bo.xlsx"]


def parsed_json(path: Path) -> list[dict]:
    out = []
    for item in parse_rows(read_sheet(path)):
        if isinstance(item, Reject):
            out.append({"reject": item.location.split(":")[1], "reason": item.reason})
        else:
            data = asdict(item.item)
            data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}
            out.append({"row": item.location.split(":")[1], **data})
    return out


@pytest.mark.parametrize("name", SHEETS)
def test_sheet_parses_to_the_reviewed_output(name):
    """Both formats give the same output (the expected file is shared)."""
    expected_path = FIXTURES / "so-khcn-cong-bo.expected.json"
    got = parsed_json(FIXTURES / name)
    if not expected_path.exists():
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n")
        pytest.fail(f"wrote {expected_path.name}: review it, then rerun")
    assert got == json.loads(expected_path.read_text())


def test_every_broken_row_is_rejected_with_its_reason():
    rejects = {r["reject"]: r["reason"] for r in parsed_json(FIXTURES / SHEETS[0]) if "reject" in r}
    assert sorted(rejects, key=int) == [str(n) for n in range(9, 18)]
    assert rejects["9"].startswith("Loại: unknown value 'Đăng ký'")
    assert rejects["10"] == "Tổ chức, doanh nghiệp: the enterprise is missing"
    assert rejects["11"] == "Ngày công bố: expected a date like 31/12/2019, got 'năm ngoái'"
    assert "neither a document code" in rejects["12"]
    assert rejects["13"].startswith("Hiệu lực đến: 2020-01-01 is before")
    assert "hợp quy" in rejects["14"]
    assert rejects["15"].startswith("duplicate of row 2 ")
    assert rejects["16"].startswith("Mã số thuế: expected digits")
    assert rejects["17"] == "Được hỗ trợ: expected có or không, got 'có lẽ'"


@pytest.fixture
def products(session):
    cat = CatalogBuilder(session)
    tea = cat.category("Chè")
    cat.product("Chè xanh Ngọc Thuý Nõn", category=tea, kind=ProductKind.OCOP, ocop_stars=4)
    cat.doc("TCVN 9740:2013")
    session.commit()


def test_import_links_what_it_can_and_is_idempotent(engine, products):
    path = FIXTURES / "so-khcn-cong-bo.xlsx"
    first = ingest(engine, "declarations", origin=path)
    assert (first.new, first.updated, first.unchanged, first.rejected) == (7, 0, 0, 9)
    with Session(engine) as session:
        rejects = session.exec(select(IngestReject)).all()
        assert sorted(r.location for r in rejects)[0] == "so-khcn-cong-bo.xlsx:10"
        assert len(session.exec(select(Enterprise)).all()) == 6
        views = {v.number: v for v in list_declarations(session, day=date(2024, 12, 31))}
        assert views["01/2024/SA"].product_slug == "che-xanh-ngoc-thuy-non"
        assert views["01/2024/SA"].tax_code == "5000811111"
        assert views["VG-2022-088"].scheme == Scheme.VIETGAP
        assert views["VG-2022-088"].valid_on_day is False  # expired 19/10/2024
        assert views["HQ-04/2024"].kind == DeclarationKind.CONFORMITY_REGULATION
        assert views["HQ-04/2024"].program_supported is True
        assert views["HC-HUUCO-1"].scheme == Scheme.ORGANIC
        linked = session.exec(select(Declaration).where(Declaration.number == "01/2024/SA")).one()
        assert linked.document_id is not None  # TCVN 9740:2013 is in the catalog
        assert linked.source_ref == "so-khcn-cong-bo.xlsx:2"
    second = ingest(engine, "declarations", origin=FIXTURES / "so-khcn-cong-bo.csv")
    assert (second.new, second.updated, second.unchanged) == (0, 0, 7)
    with Session(engine) as session:
        assert session.exec(select(FieldChange)).all() == []
        runs = session.exec(select(IngestRun)).all()
        assert [(r.source, r.status) for r in runs] == [("declarations", "succeeded")] * 2


def test_a_changed_row_records_exactly_that_change(engine, products, tmp_path):
    ingest(engine, "declarations", origin=FIXTURES / "so-khcn-cong-bo.csv")
    text = (FIXTURES / "so-khcn-cong-bo.csv").read_text(encoding="utf-8")
    changed = tmp_path / "so-khcn-cong-bo.csv"
    changed.write_text(
        text.replace(
            "15/03/2023,Trung tâm Kỹ thuật TĐC Tuyên Quang,14/03/2026",
            "15/03/2023,Trung tâm Kỹ thuật TĐC Tuyên Quang,14/03/2027",
        ),
        encoding="utf-8",
    )
    run = ingest(engine, "declarations", origin=changed)
    assert (run.new, run.updated, run.unchanged) == (0, 1, 6)
    with Session(engine) as session:
        change = session.exec(select(FieldChange)).one()
        assert (change.table_name, change.record_key, change.field) == (
            "declaration",
            "conformity_standard:hc-15/2023",
            "valid_until",
        )
        assert (change.old_value, change.new_value) == ('"2026-03-14"', '"2027-03-14"')


def test_a_failing_register_run_keeps_nothing_and_is_recorded_failed(engine, products, monkeypatch):
    """The register runs through the one run lifecycle (ingest/run.py), like every source."""
    from ingest import declaration_writer

    written = []

    def failing_on_the_third(session, item, **kwargs):
        if len(written) == 2:
            raise RuntimeError("the disk is full")
        written.append(item)
        return save_declaration(session, item, **kwargs)

    save_declaration = declaration_writer.save_declaration
    monkeypatch.setattr(declaration_writer, "save_declaration", failing_on_the_third)
    with pytest.raises(RuntimeError, match="the disk is full"):
        ingest(engine, "declarations", origin=FIXTURES / "so-khcn-cong-bo.csv")
    with Session(engine) as session:
        assert session.exec(select(Declaration)).all() == []
        assert session.exec(select(IngestReject)).all() == []
        [run] = session.exec(select(IngestRun)).all()
        assert (run.source, run.status) == ("declarations", "failed")
        assert "the disk is full" in (run.message or "")
