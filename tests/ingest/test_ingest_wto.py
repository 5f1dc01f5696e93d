"""The WTO notification source: saved pages against their goldens, hostile pages rejected with
where and why while the rest loads, and the bundled sheet of real notifications."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from catalog.models import Document, IngestReject
from catalog.models_wto import Notification, NotificationUpdate
from catalog.vocab import NotificationAction, Status
from ingest.jobs import BUNDLED_DATASET, ingest
from ingest.notification_fields import form_date, hs_codes
from ingest.records import Reject, RejectError
from ingest.sources.notification_sheet import NotificationSheetSource
from ingest.sources.wto import parse_page

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "wto"
PAGES = sorted(p for p in FIXTURES.glob("*.html") if not p.name.startswith("notifications-"))


def as_json(item) -> dict:
    if isinstance(item, Reject):
        return {"reject": item.reason, "location": item.location}
    return item.to_json()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_saved_pages_match_their_goldens(path: Path) -> None:
    url = f"https://epingalert.org/notification/{path.stem}"
    output = as_json(parse_page(path.read_text(encoding="utf-8"), url))
    expected = path.with_name(path.name + ".expected.json")
    text = json.dumps(output, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if not expected.exists():
        expected.write_text(text, encoding="utf-8")
        pytest.fail(f"wrote {expected.name}: review it, then rerun")
    assert json.loads(expected.read_text(encoding="utf-8")) == output


def test_there_are_real_synthetic_and_hostile_pages() -> None:
    names = [p.name for p in PAGES]
    real = [n for n in names if not n.startswith("synthetic-")]
    hostile = [n for n in names if n.startswith("synthetic-bad-")]
    assert len(names) - len(hostile) >= 8 and len(real) >= 4 and len(hostile) >= 3
    for path in PAGES:  # a made-up page says so in its name and in its text
        if path.name.startswith("synthetic-"):
            assert "SYNTHETIC" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15 March 2026", date(2026, 3, 15)),
        ("March 15, 2026", date(2026, 3, 15)),
        ("2026-03-15", date(2026, 3, 15)),
        ("15.03.2026", date(2026, 3, 15)),
        (
            "[X] Sixty days from the date of circulation and/or (dd/mm/yy): 15/03/26",
            date(2026, 3, 15),
        ),
        ("60 days from notification", date(2026, 3, 31)),
        ("To be determined", None),
        ("Six months from date of publication", None),
        ("6 months after publication in the Official Gazette", None),
    ],
)
def test_form_dates_in_the_formats_members_write_them(text: str, expected: date | None) -> None:
    assert form_date(text, "field", notified_on=date(2026, 1, 30)) == expected


@pytest.mark.parametrize("text", ["31/02/2027", "Q3 2027", "week 12 of 2027"])
def test_a_date_that_is_no_day_is_refused(text: str) -> None:
    with pytest.raises(RejectError, match="field"):
        form_date(text, "field")


def test_hs_codes_only_where_the_text_lists_them() -> None:
    assert hs_codes("Tea (HS 0902.10, 0902.30); 121 pages of 2007") == ["090210", "090230"]
    assert hs_codes("Honey sold in Australia, 2007 edition (121 pages)") == []


def test_replay_loads_the_notifications_and_rejects_hostile_pages(engine) -> None:
    ingest(engine, "notifications", origin=BUNDLED_DATASET / "notifications.csv")
    summary = ingest(engine, "wto", origin=FIXTURES)
    with Session(engine) as session:
        rejects = {
            r.location.rsplit("/", 1)[1]: r.reason
            for r in session.exec(select(IngestReject).where(IngestReject.run_id == summary.run_id))
        }
        assert set(rejects) == {
            "G-TBT-N-VNM-9004",
            "G-TBT-VNM-9005",
            "G-SPS-N-VNM-9006",
            "G-SPS-N-JPN-707-Add.1",  # its notification is in neither the pages nor the sheet
        }
        assert "Products covered: missing" in rejects["G-TBT-N-VNM-9004"]
        assert "lacks the '/N/'" in rejects["G-TBT-VNM-9005"]
        assert "31/02/2027" in rejects["G-SPS-N-VNM-9006"]
        symbols = set(session.exec(select(Notification.symbol)))
        assert {"G/TBT/N/VNM/9001", "G/TBT/N/VNM/9002", "G/SPS/N/EU/9003"} <= symbols
        draft = session.exec(select(Document).where(Document.code == "QCVN 8-2:2026/BYT")).one()
        # adopted by G/TBT/N/VNM/9001/Add.1: the draft the notification created got its dates
        assert (draft.status, draft.issued_on, draft.effective_from) == (
            Status.NOT_YET_IN_FORCE,
            date(2026, 10, 12),
            date(2027, 7, 1),
        )
        notified = session.exec(
            select(Notification).where(Notification.symbol == "G/TBT/N/VNM/9001")
        ).one()
        assert notified.document_id == draft.id
        correction = session.exec(
            select(NotificationUpdate).where(NotificationUpdate.symbol == "G/TBT/N/VNM/9002/Corr.1")
        ).one()
        assert correction.action == NotificationAction.CORRECTION
        assert correction.comment_deadline == date(2027, 1, 26)
    again = ingest(engine, "wto", origin=FIXTURES)
    assert (again.new, again.updated, again.rejected) == (0, 0, 4)


def test_the_bundled_sheet_is_real_and_sourced() -> None:
    parsed = list(
        NotificationSheetSource().parse([BUNDLED_DATASET / "notifications.csv"], date(2026, 1, 15))
    )
    assert parsed and not [p for p in parsed if isinstance(p, Reject)]
    for record in parsed:
        assert "9001" not in record.symbol and "example.invalid" not in json.dumps(record.to_json())
        source = record.to_json().get("note") or record.to_json().get("summary") or ""
        assert "http" in source, record.symbol  # every row names where it was read
