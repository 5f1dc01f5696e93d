"""The provenance sheet: hostile rows are rejected with their row and why, the rest is loaded,
and a reload never undoes an editor's newer review."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from catalog.models import ApplicabilityRule, FactReview, FactSource, IngestReject
from catalog.vocab import ReviewState
from ingest.jobs import ingest, ingest_bundled

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
GOOD = ["rule", "1", "disputed", "Sở KH&CN", "2026-12-10", "QCVN 8-2:2011/BYT", "", "Mục I.2", ""]


def write_sheet(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(row + [""] * (len(HEADER) - len(row)) for row in rows)
    return path


def test_hostile_rows_are_rejected_with_their_row_and_the_rest_is_loaded(
    engine, tmp_path: Path
) -> None:
    ingest_bundled(engine)
    rows = [
        [*GOOD, "Phạm vi không gồm nhóm này"],  # row 2: loaded
        ["product", "1", "verified", "x", "2026-12-10", "t", "https://a.vn"],
        ["rule", "abc", "verified", "x", "2026-12-10", "t", "https://a.vn"],
        ["rule", "9999", "verified", "x", "2026-12-10", "t", "https://a.vn"],
        ["document", "not a code", "verified", "x", "2026-12-10", "t", "https://a.vn"],
        ["document", "TCVN 99999:2099", "verified", "x", "2026-12-10", "t", "https://a.vn"],
        ["rule", "2", "maybe", "x", "2026-12-10", "t", "https://a.vn"],
        ["rule", "2", "verified", "", "2026-12-10", "t", "https://a.vn"],
        ["rule", "2", "verified", "x", "31/02/2026", "t", "https://a.vn"],
        ["rule", "2", "verified", "x", "2026-12-10", "t", "https://a.vn", "", "2027-01-01"],
        ["rule", "2", "verified", "x", "2026-12-10", "t", "javascript:alert(1)"],
        ["rule", "2", "verified", "x", "2026-12-10", "t", "", ""],
        ["rule", "2", "verified", "x", "2026-12-10", "T" * 1001, "https://a.vn"],
        ["rule", "1", "verified", "Sở KH&CN", "2026-12-10", "other", "https://b.vn"],
        GOOD,  # the same source twice
    ]
    sheet = write_sheet(tmp_path / "provenance.csv", rows)
    run = ingest(engine, "provenance", origin=sheet)
    with Session(engine) as session:
        rejects = {
            r.location: r.reason
            for r in session.exec(select(IngestReject).where(IngestReject.run_id == run.run_id))
        }
        expected = {
            3: "subject: unknown value 'product'",
            4: "ref: expected a whole number",
            5: "no rule has number (STT) 9999",
            6: "ref:",
            7: "TCVN 99999:2099 is not in the catalogue",
            8: "review: unknown value 'maybe'",
            9: "reviewed_by",
            10: "not a real date",
            11: "is after the review",
            12: "is not an http(s) address",
            13: "say where the source is",
            14: "1001 characters",
            15: "its rows must agree on one review",
            16: "duplicate: the same source was read at provenance.csv:2",
        }
        assert set(rejects) == {f"provenance.csv:{n}" for n in expected}
        for number, words in expected.items():
            assert words in rejects[f"provenance.csv:{number}"], (number, rejects)
        assert run.rejected == len(expected) and run.updated == 1
        rule = session.exec(select(ApplicabilityRule).where(ApplicabilityRule.number == 1)).one()
        review = session.exec(select(FactReview).where(FactReview.rule_id == rule.id)).one()
        assert (review.state, review.reviewed_by, review.reviewed_on) == (
            ReviewState.DISPUTED,
            "Sở KH&CN",
            date(2026, 12, 10),
        )
        sources = session.exec(select(FactSource).where(FactSource.rule_id == rule.id)).all()
        # A sheet's sources replace what the same sheet (by name) said before.
        assert [(s.locator, s.note) for s in sources] == [("Mục I.2", "Phạm vi không gồm nhóm này")]


def test_a_reload_keeps_an_editors_newer_review_and_replaces_the_sheets_own_sources(
    engine, tmp_path: Path
) -> None:
    ingest_bundled(engine)
    with Session(engine) as session:
        rule_id = session.exec(
            select(ApplicabilityRule.id).where(ApplicabilityRule.number == 2)
        ).one()
        review = session.exec(select(FactReview).where(FactReview.rule_id == rule_id)).one()
        assert review.state == ReviewState.UNVERIFIED and review.ingest_run_id is not None
        review.state, review.reviewed_by = ReviewState.VERIFIED, "editor (API)"
        review.reviewed_on, review.ingest_run_id, review.source = date(2026, 12, 20), None, "api"
        session.add(review)
        session.commit()
    folder = tmp_path / "again"
    folder.mkdir()
    write_sheet(
        folder / "provenance.csv",
        [["rule", "2", "disputed", "x", "2026-12-08", "new", "https://c.vn"]],
    )
    run = ingest(engine, "provenance", origin=folder)
    assert run.rejected == 0 and run.updated == 1
    with Session(engine) as session:
        review = session.exec(select(FactReview).where(FactReview.rule_id == rule_id)).one()
        assert (review.state, review.reviewed_by) == (ReviewState.VERIFIED, "editor (API)")
        urls = {
            s.url for s in session.exec(select(FactSource).where(FactSource.rule_id == rule_id))
        }
        assert urls == {"https://c.vn"}
