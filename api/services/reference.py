"""Reference lists: the category tree and the issuers."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.schemas import CategoryNode, IssuerOut
from catalog.models import (
    Document,
    Issuer,
    IssuerSuccession,
    Locality,
    Product,
    ProductCategory,
    saved_id,
)


def category_tree(session: Session) -> list[CategoryNode]:
    counts = dict(
        session.exec(
            select(Product.category_id, func.count()).group_by(col(Product.category_id))
        ).all()
    )
    rows = session.exec(select(ProductCategory)).all()
    children: dict[int | None, list[ProductCategory]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)

    def build(parent: int | None, seen: frozenset[int]) -> list[CategoryNode]:
        return [
            CategoryNode(
                id=saved_id(c),
                slug=c.slug,
                name_vi=c.name_vi,
                name_en=c.name_en,
                products=counts.get(c.id, 0),
                children=build(c.id, seen | {saved_id(c)}) if c.id not in seen else [],
            )
            for c in sorted(children.get(parent, []), key=lambda c: (c.name_vi, c.id))
        ]

    return build(None, frozenset())


def issuers(session: Session) -> list[IssuerOut]:
    rows = session.exec(select(Issuer).order_by(Issuer.code)).all()
    by_id = {r.id: r for r in rows}
    localities = dict(session.exec(select(Locality.id, Locality.name_vi)).all())
    successions: dict[int, list[str]] = {}
    for s in session.exec(select(IssuerSuccession)):
        if s.successor_id in by_id:
            successions.setdefault(s.predecessor_id, []).append(
                f"{by_id[s.successor_id].code} from {s.effective_on.isoformat()}"
            )
    counts = dict(
        session.exec(
            select(Document.issuer_id, func.count()).group_by(col(Document.issuer_id))
        ).all()
    )
    return [
        IssuerOut(
            id=saved_id(r),
            code=r.code,
            name_vi=r.name_vi,
            name_en=r.name_en,
            kind=str(r.kind),
            locality=localities.get(r.locality_id) if r.locality_id is not None else None,
            active_from=r.active_from,
            active_to=r.active_to,
            successors=sorted(successions.get(saved_id(r), [])),
            documents=counts.get(r.id, 0),
        )
        for r in rows
    ]
