"""For officials: the comment periods still open on a day for drafts that touch the province's
products, soonest deadline first, so comments can be sent in time.

A notification counts when it reaches at least one product of the catalog the way the
applicability answer reaches it (HS prefix, ICS field, category, or a notified document
applying to the product; :mod:`catalog.notifications`), whichever member notified it: a
home draft is commented on through Viet Nam's enquiry point, an importing member's through
the same point on exporters' behalf.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from catalog.applicability import applicable_in
from catalog.notifications import NotificationStage, status_on
from catalog.readmodel import CatalogGraph
from catalog.reports.tables import Table


@dataclass(frozen=True)
class OpenComment:
    symbol: str
    member: str
    member_name: str | None
    title: str | None
    notified_on: date | None
    comment_deadline: date
    days_left: int
    proposed_adoption: date | None
    proposed_entry_into_force: date | None
    document_code: str | None
    products: tuple[str, ...]  # names of the province's products it touches
    links: tuple[str, ...]


@dataclass(frozen=True)
class OpenCommentReport:
    as_of: date
    items: tuple[OpenComment, ...]

    def tables(self) -> list[Table]:
        headers = (
            "Hạn góp ý / Comments until",
            "Còn (ngày) / Days left",
            "Thông báo / Notification",
            "Thành viên / Member",
            "Tiêu đề / Title",
            "Văn bản / Document",
            "Sản phẩm của tỉnh / Province products",
            "Dự kiến thông qua / Expected adoption",
            "Dự kiến hiệu lực / Expected in force",
            "Liên kết / Links",
        )
        rows = tuple(
            (
                i.comment_deadline,
                i.days_left,
                i.symbol,
                i.member_name or i.member,
                i.title,
                i.document_code,
                i.products,
                i.proposed_adoption,
                i.proposed_entry_into_force,
                i.links,
            )
            for i in self.items
        )
        return [Table("Góp ý dự thảo", headers, rows)]


def open_comments(graph: CatalogGraph, day: date) -> OpenCommentReport:
    """The notifications whose comment period is open on ``day`` and that touch a product."""
    open_rows = []
    for row in graph.notifications.rows.values():
        status = status_on(row, day)
        if status.stage is NotificationStage.UNDER_WAY and status.comments_open:
            open_rows.append((row, status))
    if not open_rows:
        return OpenCommentReport(day, ())
    touched: dict[str, list[str]] = {}
    # Viet Nam's own always count; another member's only for its market (None: home only).
    markets: set[str | None] = {row.member for row, _ in open_rows if row.member != "VNM"}
    for product in sorted(graph.products.values(), key=lambda p: p.name_vi):
        for market in markets or {None}:
            answer = applicable_in(graph, product.id, day, market=market)
            for item in answer.under_way:
                names = touched.setdefault(item.symbol, [])
                if product.name_vi not in names:
                    names.append(product.name_vi)
    items = []
    for row, status in open_rows:
        if row.symbol not in touched or status.comment_deadline is None:
            continue
        document = graph.documents.get(row.document_id) if row.document_id else None
        items.append(
            OpenComment(
                symbol=row.symbol,
                member=row.member,
                member_name=row.member_name,
                title=row.title,
                notified_on=row.notified_on,
                comment_deadline=status.comment_deadline,
                days_left=(status.comment_deadline - day).days,
                proposed_adoption=status.proposed_adoption,
                proposed_entry_into_force=status.proposed_entry_into_force,
                document_code=document.code if document else None,
                products=tuple(touched[row.symbol]),
                links=row.links,
            )
        )
    items.sort(key=lambda i: (i.comment_deadline, i.symbol))
    return OpenCommentReport(day, tuple(items))
