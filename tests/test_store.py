"""The store: migrations, constraints and round trips on the configured database."""

from __future__ import annotations

from datetime import date

import pytest
from factories import document
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from catalog import migrate
from catalog.codes import DocType
from catalog.models import (
    ApplicabilityRule,
    Document,
    DocumentRelation,
    Issuer,
    IssuerSuccession,
    Product,
    ProductAlias,
    ProductCategory,
    ProductCode,
)
from catalog.store import session_scope
from catalog.text import fold
from catalog.vocab import (
    CodeScheme,
    IssuerKind,
    ProductKind,
    RelationKind,
    Role,
    Status,
    SubjectKind,
)


def test_migrations_create_every_table_and_are_up_to_date(database_url, engine):
    state = migrate.status(database_url)
    assert state.up_to_date and state.current == state.head
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in SQLModel.metadata.sorted_tables} <= tables


def test_document_round_trip_keeps_vietnamese_and_enums(session: Session):
    doc = document(
        "TCVN 5603:2023",
        title_vi="Nguyên tắc chung về vệ sinh thực phẩm",
        status=Status.IN_FORCE,
        effective_from=date(2023, 12, 29),
    )
    session.add(doc)
    session.commit()
    session.expunge_all()
    loaded = session.exec(select(Document).where(Document.slug == "tcvn-5603-2023")).one()
    assert loaded.title_vi == "Nguyên tắc chung về vệ sinh thực phẩm"
    assert loaded.status is Status.IN_FORCE
    assert loaded.doc_type is DocType.TCVN
    assert loaded.effective_from == date(2023, 12, 29)


def test_document_code_is_unique(engine):
    with session_scope(engine) as s:
        s.add(document("TCVN 5603:2023"))
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(document("TCVN 5603:2023"))


@pytest.mark.parametrize(
    "fields",
    [
        {"year": 1850},
        {"effective_from": date(2024, 1, 1), "effective_to": date(2023, 1, 1)},
    ],
)
def test_document_check_constraints(engine, fields):
    doc = document("TCVN 1873:2014")
    for name, value in fields.items():
        setattr(doc, name, value)
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(doc)


def test_unknown_status_value_is_refused_by_the_database(engine):
    with engine.begin() as conn, pytest.raises(IntegrityError):
        conn.exec_driver_sql(
            "INSERT INTO document (code, slug, compact, family, doc_type, number, status, "
            "created_at, updated_at) VALUES ('X 1:2000', 'x', 'x', 'x', 'tcvn', '1', 'bogus', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )


def test_relation_needs_existing_documents_and_no_self_loop(engine):
    with session_scope(engine) as s:
        new, old = document("QCVN 16:2023/BXD"), document("QCVN 16:2019/BXD")
        s.add_all([new, old])
        s.flush()
        s.add(DocumentRelation(source_id=new.id, target_id=old.id, kind=RelationKind.REPLACES))
        new_id = new.id
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(DocumentRelation(source_id=new_id, target_id=new_id, kind=RelationKind.CITES))
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(DocumentRelation(source_id=new_id, target_id=999_999, kind=RelationKind.CITES))


def test_issuer_succession_models_the_2025_merger(session: Session):
    ha_giang = Issuer(code="UBND-HG", name_vi="UBND tỉnh Hà Giang", kind=IssuerKind.PROVINCE)
    tuyen_quang = Issuer(code="UBND-TQ", name_vi="UBND tỉnh Tuyên Quang", kind=IssuerKind.PROVINCE)
    session.add_all([ha_giang, tuyen_quang])
    session.flush()
    session.add(
        IssuerSuccession(
            predecessor_id=ha_giang.id,
            successor_id=tuyen_quang.id,
            effective_on=date(2025, 7, 1),
        )
    )
    session.commit()
    successor = session.exec(
        select(IssuerSuccession).where(IssuerSuccession.predecessor_id == ha_giang.id)
    ).one()
    assert successor.successor_id == tuyen_quang.id


def test_rule_subject_must_be_consistent(engine):
    with session_scope(engine) as s:
        doc = document("QCVN 8-2:2011/BYT")
        tea = ProductCategory(slug="che", name_vi="Chè")
        s.add_all([doc, tea])
        s.flush()
        ids = doc.id, tea.id
        s.add(
            ApplicabilityRule(
                subject_kind=SubjectKind.CATEGORY,
                category_id=tea.id,
                subject_key="category:che",
                document_id=doc.id,
                role=Role.MANDATORY_REGULATION,
            )
        )
    doc_id, tea_id = ids
    # An HS-prefix rule without its code, and a category rule pointing at a product too.
    bad_rules = [
        ApplicabilityRule(
            subject_kind=SubjectKind.HS_PREFIX,
            subject_key="hs_prefix:",
            document_id=doc_id,
            role=Role.MANDATORY_REGULATION,
        ),
        ApplicabilityRule(
            subject_kind=SubjectKind.CATEGORY,
            category_id=tea_id,
            subject_code="0902",
            subject_key="category:che:x",
            document_id=doc_id,
            role=Role.MANDATORY_REGULATION,
        ),
        # The same natural key twice.
        ApplicabilityRule(
            subject_kind=SubjectKind.CATEGORY,
            category_id=tea_id,
            subject_key="category:che",
            document_id=doc_id,
            role=Role.MANDATORY_REGULATION,
        ),
    ]
    for rule in bad_rules:
        with pytest.raises(IntegrityError), session_scope(engine) as s:
            s.add(rule)


def test_product_with_codes_aliases_and_ocop_rating(session: Session):
    tea = ProductCategory(slug="che", name_vi="Chè", name_en="Tea")
    session.add(tea)
    session.flush()
    product = Product(
        slug="che-xanh-ngoc-thuy-non",
        name_vi="Chè xanh Ngọc Thuý Nõn",
        kind=ProductKind.OCOP,
        category_id=tea.id,
        ocop_stars=4,
        ocop_decision="321/QĐ-UBND",
        ocop_rated_on=date(2024, 8, 6),
        ocop_valid_until=date(2027, 8, 6),
        locality_text="xã Mỹ Bằng, Yên Sơn",
    )
    session.add(product)
    session.flush()
    session.add_all(
        [
            ProductCode(product_id=product.id, scheme=CodeScheme.HS, code="090210"),
            ProductAlias(
                product_id=product.id,
                alias="Trà xanh Ngọc Thúy",
                alias_folded=fold("Trà xanh Ngọc Thúy"),
            ),
        ]
    )
    session.commit()
    session.expunge_all()
    code = session.exec(select(ProductCode)).one()
    assert code.scheme is CodeScheme.HS and code.code == "090210"
    alias = session.exec(
        select(ProductAlias).where(ProductAlias.alias_folded == "tra xanh ngoc thuy")
    ).one()
    assert alias.product_id == product.id


def test_ocop_stars_range_is_enforced(engine):
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(Product(slug="x", name_vi="X", kind=ProductKind.OCOP, ocop_stars=6))
