"""The bundled dataset's chains and statuses, and statuses derived from stated replacements."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import Session, select

from catalog import clock
from catalog.models import ApplicabilityRule, Document, DocumentRelation, FieldChange
from catalog.vocab import RelationKind, Status, SubjectKind
from ingest.jobs import ingest_bundled
from ingest.records import DocumentRecord, RelationRecord
from ingest.run import run_ingest


def _doc(session: Session, code: str) -> Document:
    return session.exec(select(Document).where(Document.code == code)).one()


def _replaces(session: Session, newer: str, older: str) -> bool:
    link = select(DocumentRelation).where(
        DocumentRelation.source_id == _doc(session, newer).id,
        DocumentRelation.target_id == _doc(session, older).id,
        DocumentRelation.kind == RelationKind.REPLACES,
    )
    return session.exec(link).first() is not None


def test_bundled_editions_chain_and_rules_sit_on_the_right_subjects(engine) -> None:
    ingest_bundled(engine)
    with Session(engine) as session:
        assert _replaces(session, "TCVN 5603:2023", "TCVN 5603:2008")
        assert _replaces(session, "TCVN 7087:2013", "TCVN 7087:2008")
        assert _replaces(session, "TCVN 7087:2008", "TCVN 7087:2002")
        labelling_2008 = _doc(session, "TCVN 7087:2008")
        assert labelling_2008.status == Status.SUPERSEDED
        assert labelling_2008.status_note.startswith("Bị thay thế bởi TCVN 7087:2013")
        assert _doc(session, "TCVN 7087:2013").status != Status.SUPERSEDED
        lime = _doc(session, "TCVN 10748:2015")
        lime_rules = session.exec(
            select(ApplicabilityRule).where(ApplicabilityRule.document_id == lime.id)
        ).all()
        assert [(r.subject_kind, r.subject_code) for r in lime_rules] == [
            (SubjectKind.HS_PREFIX, "080550")
        ]
        mandatory_from_qcvn16 = session.exec(
            select(DocumentRelation).where(
                DocumentRelation.source_id == _doc(session, "QCVN 16:2023/BXD").id,
                DocumentRelation.kind == RelationKind.CITES_MANDATORY,
            )
        ).all()
        assert mandatory_from_qcvn16 == []  # cement and bricks are not for wood panels


def test_a_stated_replacement_marks_the_older_edition_superseded_once_in_effect(engine) -> None:
    later = clock.today() + timedelta(days=400)
    documents = [
        DocumentRecord(location="d:1", code="TCVN 1:2001", title_vi="Cũ"),
        DocumentRecord(location="d:2", code="TCVN 1:2020", title_vi="Mới", status=Status.IN_FORCE),
        DocumentRecord(location="d:3", code="TCVN 2:2001", title_vi="Cũ"),
        DocumentRecord(
            location="d:4",
            code="TCVN 2:2030",
            title_vi="Chưa hiệu lực",
            status=Status.NOT_YET_IN_FORCE,
            effective_from=later,
        ),
    ]
    first = run_ingest(engine, "documents", "test", documents)
    assert first.new == 4
    relations = [
        RelationRecord("r:1", "TCVN 1:2020", RelationKind.REPLACES, "TCVN 1:2001"),
        RelationRecord("r:2", "TCVN 2:2030", RelationKind.REPLACES, "TCVN 2:2001"),
    ]
    linked = run_ingest(engine, "relations", "test", relations)
    assert (linked.new, linked.updated) == (2, 0)
    with Session(engine) as session:
        old = _doc(session, "TCVN 1:2001")
        assert old.status == Status.SUPERSEDED
        assert "TCVN 1:2020" in old.status_note and "derived" in old.status_note
        assert _doc(session, "TCVN 2:2001").status == Status.UNKNOWN  # successor not yet in force
        changes = session.exec(
            select(FieldChange).where(FieldChange.ingest_run_id == linked.run_id)
        ).all()
        assert sorted((c.record_key, c.field) for c in changes) == [
            ("TCVN 1:2001", "status"),
            ("TCVN 1:2001", "status_note"),
        ]
        assert json.loads(changes[0].old_value) in ("unknown", None)
    again = run_ingest(engine, "relations", "test", relations)
    assert (again.new, again.updated) == (0, 0)
    rerun = run_ingest(engine, "documents", "test", documents)
    assert (rerun.new, rerun.updated, rerun.unchanged) == (0, 0, 4)
