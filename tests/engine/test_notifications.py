"""Notified drafts under way in the applicability answer: how a notification reaches a product,
when it stops being under way, and export markets."""

from __future__ import annotations

from datetime import date

import pytest
from factories import CatalogBuilder
from sqlmodel import Session

from catalog.applicability import applicable, applicable_over
from catalog.codes_wto import Agreement
from catalog.models_wto import (
    Notification,
    NotificationCategory,
    NotificationCode,
    NotificationUpdate,
)
from catalog.readmodel import CatalogGraph
from catalog.vocab import CodeScheme, NotificationAction, Role, Status

NOTIFIED = date(2026, 3, 2)
DEADLINE = date(2026, 5, 1)
ADOPTION = date(2026, 9, 15)
IN_FORCE = date(2027, 7, 1)


@pytest.fixture
def catalog(session: Session) -> dict:
    b = CatalogBuilder(session)
    food = b.category("Thực phẩm")
    tea = b.category("Chè", food)
    honey_cat = b.category("Mật ong", food)
    honey = b.product("Mật ong bạc hà", category=honey_cat, hs=("040900",), ics=("67.180.10",))
    green = b.product("Chè xanh", category=tea, hs=("090210",))
    timber = b.product("Gỗ rừng trồng", hs=("4403",))
    draft = b.doc("QCVN 8-2:2026/BYT", status=Status.DRAFT, title="Dự thảo kim loại nặng")
    b.rule(tea, draft, Role.MANDATORY_REGULATION)
    session.commit()
    return {"session": session, "honey": honey, "tea": green, "timber": timber, "draft": draft,
            "tea_category": tea}  # fmt: skip


def notify(session: Session, symbol: str, *, hs=(), ics=(), categories=(), document=None,
           member: str = "VNM", deadline: date | None = DEADLINE) -> Notification:  # fmt: skip
    row = Notification(
        symbol=symbol,
        agreement=Agreement.TBT,
        member=member,
        notified_on=NOTIFIED,
        title=f"draft notified as {symbol}",
        proposed_adoption=ADOPTION,
        proposed_entry_into_force=IN_FORCE,
        comment_deadline=deadline,
        document_id=document.id if document is not None else None,
    )
    session.add(row)
    session.flush()
    session.add_all(
        NotificationCode(notification_id=row.id, scheme=CodeScheme.HS, code=c) for c in hs
    )
    session.add_all(
        NotificationCode(notification_id=row.id, scheme=CodeScheme.ICS, code=c) for c in ics
    )
    session.add_all(
        NotificationCategory(notification_id=row.id, category_id=c.id) for c in categories
    )
    session.commit()
    return row


def under_way(session, product, day, market=None) -> dict[str, tuple]:
    answer = applicable(session, product.id, day, market=market)
    return {u.symbol: u.reasons for u in answer.under_way}


def test_a_notification_reaches_a_product_by_hs_prefix(catalog) -> None:
    s = catalog["session"]
    notify(s, "G/TBT/N/VNM/1", hs=("0409",))
    assert under_way(s, catalog["honey"], date(2026, 4, 1)) == {
        "G/TBT/N/VNM/1": ("HS 0409 covers the product's HS 040900",)
    }
    assert under_way(s, catalog["tea"], date(2026, 4, 1)) == {}
    assert under_way(s, catalog["timber"], date(2026, 4, 1)) == {}


def test_a_notification_reaches_a_product_by_ics_field(catalog) -> None:
    s = catalog["session"]
    notify(s, "G/TBT/N/VNM/2", ics=("67.180",))
    assert under_way(s, catalog["honey"], date(2026, 4, 1)) == {
        "G/TBT/N/VNM/2": ("ICS 67.180 covers the product's ICS 67.180.10",)
    }
    assert under_way(s, catalog["tea"], date(2026, 4, 1)) == {}


def test_a_notification_reaches_a_product_by_category(catalog) -> None:
    s = catalog["session"]
    notify(s, "G/TBT/N/VNM/3", categories=(catalog["tea_category"],))
    assert under_way(s, catalog["tea"], date(2026, 4, 1)) == {
        "G/TBT/N/VNM/3": ("covers the category Chè",)
    }


def test_a_notification_reaches_a_product_through_the_draft_it_names(catalog) -> None:
    s = catalog["session"]
    notify(s, "G/TBT/N/VNM/4", document=catalog["draft"])
    answer = applicable(s, catalog["tea"].id, date(2026, 4, 1))
    (item,) = answer.under_way
    assert item.reasons == ("notifies QCVN 8-2:2026/BYT, which applies to the product",)
    assert item.document_code == "QCVN 8-2:2026/BYT"
    assert (item.comment_deadline, item.comments_open) == (DEADLINE, True)
    assert (item.proposed_adoption, item.proposed_entry_into_force) == (ADOPTION, IN_FORCE)
    # listed as under way, apart from (and no longer among) the upcoming documents
    assert "QCVN 8-2:2026/BYT" not in [e.document.code for e in answer.upcoming]
    assert under_way(s, catalog["honey"], date(2026, 4, 1)) == {}


def test_an_adoption_addendum_moves_the_draft_to_the_dated_answer(catalog) -> None:
    s, draft = catalog["session"], catalog["draft"]
    row = notify(s, "G/TBT/N/VNM/5", document=draft)
    s.add(
        NotificationUpdate(
            notification_id=row.id,
            symbol="G/TBT/N/VNM/5/Add.1",
            action=NotificationAction.ADOPTED,
            issued_on=date(2026, 10, 20),
            adopted_on=date(2026, 10, 12),
            document_id=draft.id,
        )
    )
    # what the writer does with an adoption addendum: the draft gets its dates
    draft.status, draft.issued_on, draft.effective_from = (
        Status.NOT_YET_IN_FORCE,
        date(2026, 10, 12),
        IN_FORCE,
    )
    s.add(draft)
    s.commit()
    before = applicable(s, catalog["tea"].id, date(2026, 10, 19))
    assert [u.symbol for u in before.under_way] == ["G/TBT/N/VNM/5"]
    after = applicable(s, catalog["tea"].id, date(2026, 10, 20))
    assert after.under_way == ()
    (upcoming,) = [e for e in after.upcoming if e.document.code == "QCVN 8-2:2026/BYT"]
    assert upcoming.document.effective_from == IN_FORCE
    in_force = applicable(s, catalog["tea"].id, IN_FORCE)
    assert "QCVN 8-2:2026/BYT" in [e.document.code for e in in_force.entries]


def test_export_market_notifications_appear_only_for_that_market(catalog) -> None:
    s = catalog["session"]
    notify(s, "G/SPS/N/EU/6", hs=("0902",), member="EU")
    day = date(2026, 4, 1)
    assert under_way(s, catalog["tea"], day) == {}
    assert under_way(s, catalog["tea"], day, market="CHN") == {}
    assert under_way(s, catalog["tea"], day, market="EU") == {
        "G/SPS/N/EU/6": ("HS 0902 covers the product's HS 090210",)
    }
    answer = applicable(s, catalog["tea"].id, day, market="EU")
    assert answer.market == "EU" and answer.under_way[0].home is False


def test_comment_period_and_lapse_follow_the_day(catalog) -> None:
    s = catalog["session"]
    notify(s, "G/TBT/N/VNM/7", hs=("0409",))
    graph = CatalogGraph.load(s)
    honey = catalog["honey"].id
    assert applicable_over(graph, honey, date(2026, 3, 1))[0].under_way == ()  # not yet notified
    answer, span = applicable_over(graph, honey, DEADLINE)
    assert answer.under_way[0].comments_open and span.last == DEADLINE
    closed, span = applicable_over(graph, honey, date(2026, 5, 2))
    assert not closed.under_way[0].comments_open and span.first == date(2026, 5, 2)
    assert applicable_over(graph, honey, IN_FORCE)[0].under_way[0].symbol == "G/TBT/N/VNM/7"
    # its last expected date passed with no addendum: lapsed, no longer under way
    assert applicable_over(graph, honey, date(2027, 7, 2))[0].under_way == ()


def test_a_withdrawal_ends_the_item_and_a_new_deadline_reopens_comments(catalog) -> None:
    s = catalog["session"]
    row = notify(s, "G/TBT/N/VNM/8", hs=("0409",))
    s.add_all(
        [
            NotificationUpdate(
                notification_id=row.id, symbol="G/TBT/N/VNM/8/Add.1",
                action=NotificationAction.COMMENT_PERIOD, issued_on=date(2026, 4, 20),
                comment_deadline=date(2026, 6, 30),
            ),
            NotificationUpdate(
                notification_id=row.id, symbol="G/TBT/N/VNM/8/Add.2",
                action=NotificationAction.WITHDRAWN, issued_on=date(2026, 8, 1),
            ),
        ]
    )  # fmt: skip
    s.commit()
    (item,) = applicable(s, catalog["honey"].id, date(2026, 6, 1)).under_way
    assert (item.comment_deadline, item.comments_open) == (date(2026, 6, 30), True)
    assert item.updates == ("G/TBT/N/VNM/8/Add.1",)
    assert applicable(s, catalog["honey"].id, date(2026, 8, 1)).under_way == ()
