"""Counts for the catalog review note: mandatory rules and their review states, and documents
whose status is known once the bundled dataset is loaded.

Usage: PYTHONPATH=$PWD .venv/bin/python docs/research/review_counts.py [dataset folder]
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from sqlmodel import Session, SQLModel, create_engine, select

from catalog.models import ApplicabilityRule, Document
from catalog.vocab import Status
from ingest.jobs import BUNDLED_DATASET, ingest_bundled

MANDATORY = "Quy chuẩn bắt buộc"


def rule_counts(folder: Path) -> dict[str, object]:
    with (folder / "rules.csv").open(encoding="utf-8", newline="") as f:
        rules = list(csv.DictReader(f))
    mandatory = {r["STT"] for r in rules if r["Vai trò"] == MANDATORY}
    reviews: dict[str, str] = {}
    sourced: set[str] = set()
    provenance = folder / "provenance.csv"
    if provenance.exists():
        with provenance.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row["subject"] == "rule":
                    reviews[row["ref"]] = row["review"]
                    if row["source_url"] or row["source_locator"]:
                        sourced.add(row["ref"])
    return {
        "rules": len(rules),
        "mandatory": len(mandatory),
        "mandatory_with_source": len(mandatory & sourced),
        "mandatory_by_review": dict(Counter(reviews.get(s, "none") for s in mandatory)),
        "all_by_review": dict(Counter(reviews.get(r["STT"], "none") for r in rules)),
    }


def document_counts(folder: Path) -> dict[str, object]:
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    ingest_bundled(engine, folder)
    with Session(engine) as session:
        statuses = dict(session.exec(select(Document.id, Document.status)).all())
        reached = set(session.exec(select(ApplicabilityRule.document_id)).all())
    known = {i for i, s in statuses.items() if s not in (None, Status.UNKNOWN)}
    return {
        "documents": len(statuses),
        "known_status": len(known),
        "by_status": {str(s): n for s, n in Counter(statuses.values()).items()},
        "reached_by_rules": len(reached),
        "reached_known_status": len(reached & known),
        "document_reviews": dict(Counter(document_reviews(folder).values())),
    }


def document_reviews(folder: Path) -> dict[str, str]:
    provenance = folder / "provenance.csv"
    if not provenance.exists():
        return {}
    with provenance.open(encoding="utf-8", newline="") as f:
        return {r["ref"]: r["review"] for r in csv.DictReader(f) if r["subject"] == "document"}


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else BUNDLED_DATASET
    print(rule_counts(folder))
    print(document_counts(folder))
