"""Helpers shared by the ingest tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session, select

from catalog.models import ApplicabilityRule, Document, DocumentRelation, FieldChange, Product

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def store_snapshot(engine) -> dict[str, list[str]]:
    """Every row of the catalog tables an ingest writes, as sorted JSON lines."""
    with Session(engine) as session:
        return {
            model.__tablename__: sorted(
                json.dumps(row.model_dump(), default=str, sort_keys=True)
                for row in session.exec(select(model))
            )
            for model in (Document, DocumentRelation, Product, ApplicabilityRule, FieldChange)
        }
