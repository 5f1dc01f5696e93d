"""Every source against its saved pages and sheets, with the expected output stored beside.

A missing ``<file>.expected.json`` is written from the current output and the test fails
until a person has reviewed it (and committed it).
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from ingest.decode import decode
from ingest.records import Reject, RejectError
from ingest.replay import read_manifest
from ingest.sources import catalogue, provincial, qcvn_register
from ingest.sources.documents import DocumentSheetSource
from ingest.sources.products import ProductRegistrySource
from ingest.sources.rules import RulesSheetSource

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TODAY = date(2026, 1, 15)  # statuses that depend on today's date are read as of this day


def as_json(items) -> list[dict]:
    return [
        {"reject": item.reason, "location": item.location}
        if isinstance(item, Reject)
        else item.to_json()
        for item in items
    ]


def check_expected(path: Path, output) -> None:
    expected = path.with_name(path.name + ".expected.json")
    text = json.dumps(output, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if not expected.exists():
        expected.write_text(text, encoding="utf-8")
        pytest.fail(f"wrote {expected.name}: review it, then rerun")
    assert json.loads(expected.read_text(encoding="utf-8")) == json.loads(text)


def saved_pages(folder: str) -> list[tuple[str, Path, str]]:
    pages = read_manifest(FIXTURES / folder)
    raw = (FIXTURES / folder / "pages.tsv").read_text(encoding="utf-8").splitlines()
    urls = [line.split("\t")[0] for line in raw if line and not line.startswith("#")]
    found = []
    for url in urls:
        from ingest.replay import url_key

        path, _status, content_type = pages[url_key(url)]
        if path.suffix == ".html":
            found.append((url, path, content_type))
    return found


def parse_catalogue_page(url: str, text: str):
    if catalogue.is_record_url(url):
        try:
            return catalogue.parse_record(text, url).to_json()
        except RejectError as exc:
            return {"reject": str(exc), "location": url}
    listing = catalogue.parse_listing(text, url)
    return {
        "records": listing.records,
        "listings": listing.listings,
        "rejects": as_json(listing.rejects),
    }


@pytest.mark.parametrize(
    ("url", "path", "content_type"), saved_pages("catalogue"), ids=lambda v: getattr(v, "name", "")
)
def test_catalogue_pages(url: str, path: Path, content_type: str) -> None:
    output = parse_catalogue_page(url, decode(path.read_bytes(), content_type))
    check_expected(path, output)


@pytest.mark.parametrize(
    ("folder", "parse"),
    [("qcvn_register", qcvn_register.parse_register), ("provincial", provincial.parse_listing)],
)
def test_register_pages(folder: str, parse) -> None:
    for url, path, content_type in saved_pages(folder):
        items = list(parse(decode(path.read_bytes(), content_type), url, TODAY))
        check_expected(path, as_json(items))


SHEETS = [
    ("products/registry.csv", ProductRegistrySource()),
    ("products/registry.xlsx", ProductRegistrySource()),
    ("products/registry-cp1258.csv", ProductRegistrySource()),
    ("rules/rules.csv", RulesSheetSource()),
    ("rules/rules.xlsx", RulesSheetSource()),
]


@pytest.mark.parametrize(("name", "source"), SHEETS, ids=[name for name, _ in SHEETS])
def test_sheets(name: str, source) -> None:
    path = FIXTURES / name
    check_expected(path, as_json(source.parse(path)))


def test_document_sheet() -> None:
    path = FIXTURES / "documents" / "documents.csv"
    check_expected(path, as_json(DocumentSheetSource().parse(path, TODAY)))


def _all_outputs() -> dict[str, list]:
    outputs: dict[str, list] = {"catalogue": [], "qcvn_register": [], "provincial": []}
    for url, path, content_type in saved_pages("catalogue"):
        out = parse_catalogue_page(url, decode(path.read_bytes(), content_type))
        outputs["catalogue"] += out.get("rejects", [out]) if "records" in out else [out]
    for folder, parse in (
        ("qcvn_register", qcvn_register.parse_register),
        ("provincial", provincial.parse_listing),
    ):
        for url, path, content_type in saved_pages(folder):
            outputs[folder] += as_json(parse(decode(path.read_bytes(), content_type), url, TODAY))
    for name, source in SHEETS:
        outputs.setdefault(name.split("/")[0], []).extend(as_json(source.parse(FIXTURES / name)))
    path = FIXTURES / "documents" / "documents.csv"
    outputs["documents"] = as_json(DocumentSheetSource().parse(path, TODAY))
    return outputs


def test_each_source_rejects_at_least_five_hostile_inputs_and_loads_the_rest() -> None:
    for source, items in _all_outputs().items():
        rejects = [i for i in items if "reject" in i]
        records = [i for i in items if "type" in i]
        assert len(rejects) >= 5, source
        assert len(records) >= 2, source
        assert all(r["reject"] and r["location"] for r in rejects), source


def test_text_comes_out_nfc_whatever_went_in() -> None:
    text = json.dumps(_all_outputs(), ensure_ascii=False)
    assert unicodedata.is_normalized("NFC", text)
    assert "Chè xanh - Định nghĩa và các yêu cầu cơ bản" in text  # from the NFD page
    assert "Bưởi quả tươi" in text  # from the windows-1258 page
