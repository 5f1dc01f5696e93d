"""Every source against its saved pages and sheets, with the expected output stored beside.

Sources are discovered from :mod:`ingest.sources` (as juriscraper discovers its scrapers):
each must bring ``fixtures/<name>/`` with expected output, and every sheet there is checked.
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
from ingest.replay import read_manifest, url_key
from ingest.sources import SHEET_SOURCES, WEB_SOURCES, catalogue, provincial, qcvn_register

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


REGISTERS = {"qcvn_register": qcvn_register.parse_register, "provincial": provincial.parse_listing}
REGISTER_PAGES = [(folder, *page) for folder in REGISTERS for page in saved_pages(folder)]


@pytest.mark.parametrize(
    ("folder", "url", "path", "content_type"),
    REGISTER_PAGES,
    ids=[f"{folder}/{path.name}" for folder, _, path, _ in REGISTER_PAGES],
)
def test_register_pages(folder: str, url: str, path: Path, content_type: str) -> None:
    items = REGISTERS[folder](decode(path.read_bytes(), content_type), url, TODAY)
    check_expected(path, as_json(items))


def fixture_folder(source: str) -> Path:
    return FIXTURES / source.replace("-", "_")


def source_sheets() -> list[tuple[str, Path]]:
    """Every sheet saved for a sheet source, as (source, sheet)."""
    return [
        (name, sheet)
        for name in SHEET_SOURCES
        for sheet in sorted(fixture_folder(name).glob("*"))
        if sheet.suffix in (".csv", ".xlsx")
    ]


SHEETS = source_sheets()


@pytest.mark.parametrize("name", [*WEB_SOURCES, *SHEET_SOURCES])
def test_every_source_brings_saved_input_and_its_expected_output(name: str) -> None:
    folder = fixture_folder(name)
    goldens = list(folder.glob("*.expected.json")) if folder.is_dir() else []
    assert goldens, (
        f"no example found for source {name!r}: save pages or sheets in {folder} and "
        "run this test to write their expected output"
    )


@pytest.mark.parametrize(
    ("name", "path"), SHEETS, ids=[f"{path.parent.name}/{path.name}" for _, path in SHEETS]
)
def test_sheets(name: str, path: Path) -> None:
    check_expected(path, as_json(SHEET_SOURCES[name]().parse([path], TODAY)))


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
    for name, path in SHEETS:
        outputs.setdefault(name, []).extend(as_json(SHEET_SOURCES[name]().parse([path], TODAY)))
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
