"""Reference lists: the category tree and the issuers."""

from __future__ import annotations

from litestar import get

from api.deps import DbSession
from api.schemas import CategoryNode, IssuerOut
from api.services import reference


@get("/categories", summary="The product category tree", tags=["reference"], sync_to_thread=True)
def categories(db_session: DbSession) -> list[CategoryNode]:
    return reference.category_tree(db_session)


@get(
    "/issuers",
    summary="Issuers of documents, with their successors",
    tags=["reference"],
    sync_to_thread=True,
)
def issuers(db_session: DbSession) -> list[IssuerOut]:
    return reference.issuers(db_session)
