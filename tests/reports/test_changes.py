"""The change feed built from the field-level history, and watch lists filtering it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from catalog.reports.changes import ChangeKind, change_table, changes
from catalog.reports.watch import (
    WatchListError,
    create_watch_list,
    describe,
    watched_changes,
)

from .feeds import T1, T2, T3, build_catalog, record_history

SINCE = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def history(session):
    cat, history = build_catalog(session)
    record_history(session, cat, history)
    return history


def summary(entries):
    return [(e.kind, e.document.code, e.at, [p.name_vi for p in e.products]) for e in entries]


def test_feed_lists_each_change_with_the_products_it_concerns(session, history):
    entries = changes(session, SINCE)
    assert summary(entries) == [
        (ChangeKind.WITHDRAWN, "TCVN 9999:2000", T3, ["Cam sành Hàm Yên"]),
        (
            ChangeKind.UPDATED,
            "QCVN 8-2:2011/BYT",
            T2,
            ["Cam sành Hàm Yên", "Chè xanh Ngọc Thuý"],
        ),
        (ChangeKind.ADDED, "TCVN 5603:2023", T1, ["Chè xanh Ngọc Thuý"]),
        (ChangeKind.SUPERSEDED, "TCVN 5603:2008", T1, ["Chè xanh Ngọc Thuý"]),
    ]
    withdrawn, updated, added, superseded = entries
    assert [(f.field, f.old, f.new) for f in updated.fields] == [
        (
            "title_vi",
            "Giới hạn ô nhiễm kim loại nặng",
            "Giới hạn ô nhiễm kim loại nặng trong thực phẩm",
        )
    ]
    assert updated.source == "api: so-khcn"
    assert [(f.field, f.old, f.new) for f in withdrawn.fields] == [
        ("status", "in_force", "withdrawn")
    ]
    assert added.replaces == ("TCVN 5603:2008",)
    assert superseded.replaced_by == ("TCVN 5603:2023",)
    assert superseded.title == "Bị thay thế: TCVN 5603:2008 → TCVN 5603:2023"
    assert added.title == "Bổ sung: TCVN 5603:2023 (thay thế TCVN 5603:2008)"
    assert len({e.id for e in entries}) == 4


def test_feed_window_and_limit(session, history):
    assert [e.at for e in changes(session, T2)] == [T3, T2]
    assert [e.at for e in changes(session, T2, after=True)] == [T3]
    assert [e.at for e in changes(session, SINCE, until=T2)] == [T2, T1, T1]
    assert [e.document.code for e in changes(session, SINCE, limit=1)] == ["TCVN 9999:2000"]
    assert changes(session, datetime(2026, 3, 1, tzinfo=UTC)) == []


def test_entry_ids_are_stable(session, history):
    first = [e.id for e in changes(session, SINCE)]
    assert [e.id for e in changes(session, SINCE)] == first


def test_watch_list_sees_only_changes_touching_its_products(session, history):
    watch = create_watch_list(
        session, "Cam của HTX", owner="HTX Cam sành", products=["cam sanh ham yen"]
    )
    session.commit()
    assert [e.document.code for e in watched_changes(session, watch, SINCE)] == [
        "TCVN 9999:2000",
        "QCVN 8-2:2011/BYT",
    ]
    by_category = create_watch_list(session, "Chè", categories=["che"])
    assert [e.document.code for e in watched_changes(session, by_category, SINCE)] == [
        "QCVN 8-2:2011/BYT",
        "TCVN 5603:2023",
        "TCVN 5603:2008",
    ]
    view = describe(session, by_category)
    assert view.categories == ("che",)
    assert [p.name_vi for p in view.covered] == ["Chè xanh Ngọc Thuý"]
    assert len(view.token) >= 20


def test_watch_list_refuses_unknown_items(session, history):
    with pytest.raises(WatchListError) as error:
        create_watch_list(session, "x", products=["bưởi không có"], categories=["rau"])
    assert "no product matches 'bưởi không có'" in str(error.value)
    assert "no category matches 'rau'" in str(error.value)
    with pytest.raises(WatchListError, match="at least one product or category"):
        create_watch_list(session, "empty")


def test_feed_as_a_table(session, history):
    table = change_table(changes(session, SINCE))
    assert table.headers[1] == "Loại"
    assert [row[1] for row in table.rows] == ["Hết hiệu lực", "Cập nhật", "Bổ sung", "Bị thay thế"]
    assert table.rows[1][4] == [
        "title_vi: Giới hạn ô nhiễm kim loại nặng → Giới hạn ô nhiễm kim loại nặng trong thực phẩm"
    ]
