"""Watch lists: the products and categories an enterprise or consultant follows.

A watch list is named by an unguessable ``token`` that goes in its feed URL, so a feed
reader can subscribe without an API key; the list holds products and categories (a
category covers every product below it). Its feed is the change feed filtered to changes
that concern at least one watched product.

A list also names the export *markets* it follows (``markets``: countries or WTO members,
as the answer's ``market`` reads them, kept as WTO member codes): a WTO notification by
Viet Nam that touches a watched product always reaches the list; another member's only
when the list names that member (a rule on honey notified by Israel matters to an
exporter to Israel). The same holds for addenda and corrigenda.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, SQLModel, col, select

from catalog.codes_wto import wto_member
from catalog.models import ProductCategory, WatchItem, WatchList, WatchMarket, saved_id
from catalog.products import ProductNotFound, resolve_product
from catalog.reports.changes import Change, changes
from catalog.reports.reach import ProductBrief, ProductIndex, Reach
from catalog.text import clean, slugify


class WatchListError(ValueError):
    """A watch list cannot be made as asked; the message names the item and why."""


@dataclass(frozen=True)
class WatchListView:
    id: int
    token: str
    name: str
    owner: str | None
    created_at: datetime
    products: tuple[ProductBrief, ...]  # watched directly
    categories: tuple[str, ...]  # slugs
    markets: tuple[str, ...]  # WTO member codes whose notifications the list follows
    covered: tuple[ProductBrief, ...]  # every product the list covers


def create_watch_list(
    session: Session,
    name: str,
    *,
    owner: str | None = None,
    products: Sequence[str | int] = (),
    categories: Sequence[str] = (),
    markets: Sequence[str] = (),
) -> WatchList:
    """Save a watch list of ``products`` (id, slug, name or alias), ``categories`` (slug or
    name) and export ``markets`` (country or WTO member codes). Raises
    :class:`WatchListError` naming every item that matches nothing."""
    title = clean(name)
    if not title:
        raise WatchListError("name: a watch list needs a name")
    if not products and not categories:
        raise WatchListError("a watch list needs at least one product or category")
    problems: list[str] = []
    product_ids: list[int] = []
    for reference in products:
        try:
            product_ids.append(saved_id(resolve_product(session, reference)))
        except ProductNotFound as exc:
            problems.append(f"products: {exc}")
    category_ids: list[int] = []
    for reference in categories:
        found = session.exec(
            select(ProductCategory).where(ProductCategory.slug == slugify(str(reference)))
        ).first()
        if found is None:
            problems.append(f"categories: no category matches {reference!r}")
        else:
            category_ids.append(saved_id(found))
    members: list[str] = []
    for market in markets:
        try:
            members.append(wto_member(str(market)))
        except ValueError as exc:
            problems.append(f"markets: {exc}")
    if problems:
        raise WatchListError("; ".join(problems))
    watch_list = WatchList(token=secrets.token_urlsafe(18), name=title, owner=clean(owner))
    session.add(watch_list)
    session.flush()
    list_id = saved_id(watch_list)
    rows: list[SQLModel] = [
        WatchItem(watch_list_id=list_id, product_id=i) for i in dict.fromkeys(product_ids)
    ]
    rows += [WatchItem(watch_list_id=list_id, category_id=i) for i in dict.fromkeys(category_ids)]
    rows += [WatchMarket(watch_list_id=list_id, member=m) for m in dict.fromkeys(members)]
    session.add_all(rows)
    session.flush()
    return watch_list


def find_watch_list(session: Session, token: str) -> WatchList | None:
    return session.exec(select(WatchList).where(WatchList.token == token)).first()


def covered_products(session: Session, watch_list: WatchList, index: ProductIndex) -> set[int]:
    """Ids of the products the list watches, directly or through a category."""
    items = session.exec(select(WatchItem).where(WatchItem.watch_list_id == watch_list.id)).all()
    found: set[int] = set()
    for item in items:
        if item.product_id is not None:
            found.add(item.product_id)
        elif item.category_id is not None:
            found |= index.in_category(item.category_id)
    return found


def followed_markets(session: Session, watch_list: WatchList) -> tuple[str, ...]:
    """The WTO member codes the list follows, sorted."""
    return tuple(
        session.exec(
            select(WatchMarket.member)
            .where(WatchMarket.watch_list_id == watch_list.id)
            .order_by(col(WatchMarket.member))
        )
    )


def describe(session: Session, watch_list: WatchList) -> WatchListView:
    index = ProductIndex(session)
    items = session.exec(
        select(WatchItem)
        .where(WatchItem.watch_list_id == watch_list.id)
        .order_by(col(WatchItem.id))
    ).all()
    return WatchListView(
        id=saved_id(watch_list),
        token=watch_list.token,
        name=watch_list.name,
        owner=watch_list.owner,
        created_at=watch_list.created_at,
        products=index.briefs(i.product_id for i in items if i.product_id is not None),
        categories=tuple(
            index.categories[i.category_id].slug for i in items if i.category_id is not None
        ),
        markets=followed_markets(session, watch_list),
        covered=index.briefs(covered_products(session, watch_list, index)),
    )


def watched_changes(
    session: Session,
    watch_list: WatchList,
    since: datetime,
    *,
    after: bool = False,
    limit: int | None = None,
) -> list[Change]:
    """The changes from ``since`` that concern a product the list covers, newest first: its
    markets' WTO notifications among them (see the module docstring)."""
    reach = Reach(session)
    products = covered_products(session, watch_list, reach.index)
    return changes(
        session,
        since,
        after=after,
        product_ids=products,
        limit=limit,
        reach=reach,
        members=followed_markets(session, watch_list),
    )
