"""The bundled provenance sheet: every mandatory rule is sourced, and each row is well formed."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from catalog.codes import parse_code
from ingest.jobs import BUNDLED_DATASET

HEADER = [
    "subject",
    "ref",
    "review",
    "reviewed_by",
    "reviewed_on",
    "source_title",
    "source_url",
    "source_locator",
    "retrieved_on",
    "note",
]
MANDATORY = "Quy chuẩn bắt buộc"


def sheet(name: str) -> list[dict[str, str]]:
    with (Path(BUNDLED_DATASET) / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_mandatory_rule_has_a_source() -> None:
    rules = sheet("rules.csv")
    sourced = {
        row["ref"]
        for row in sheet("provenance.csv")
        if row["subject"] == "rule" and (row["source_url"] or row["source_locator"])
    }
    mandatory = {r["STT"] for r in rules if r["Vai trò"] == MANDATORY}
    assert mandatory and sorted(mandatory - sourced, key=int) == []


def test_rows_are_well_formed_and_one_review_per_subject() -> None:
    with (Path(BUNDLED_DATASET) / "provenance.csv").open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == HEADER
    rules = {r["STT"] for r in sheet("rules.csv")}
    reviews: dict[tuple[str, str], set[str]] = {}
    for row in sheet("provenance.csv"):
        assert row["review"] in ("verified", "unverified", "disputed"), row
        assert row["subject"] in ("rule", "document"), row
        if row["subject"] == "rule":
            assert row["ref"] in rules, row
        else:
            assert parse_code(row["ref"]).canonical() == row["ref"], row
        assert not row["source_url"] or row["source_url"].startswith(("http://", "https://"))
        assert date.fromisoformat(row["reviewed_on"]) >= date.fromisoformat(row["retrieved_on"])
        reviews.setdefault((row["subject"], row["ref"]), set()).add(row["review"])
    assert [key for key, states in reviews.items() if len(states) > 1] == []
