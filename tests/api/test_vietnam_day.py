""" "Today" is the day in Vietnam: at 20:50 UTC on a server whose own zone is UTC, the API
answers for the next day, and its held answers and entity tags switch at 17:00 UTC."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
from factories import CatalogBuilder
from litestar.testing import TestClient

from api.app import create_app
from catalog.models import Product
from catalog.vocab import Role

# Effective on 2 December 2026: in force from 17:00 UTC on 1 December.
NEW_CODE = "QCVN 99:2026/BNNMT"


@pytest.fixture
def vn_client(session, engine, search_settings, catalog, frozen_clock):
    """The test catalog plus a regulation for the orange effective on 2 December 2026, served
    with the clock frozen at 20:50 UTC on 1 December (03:50 on 2 December in Hanoi)."""
    cat = CatalogBuilder(session)
    new = cat.doc(NEW_CODE, effective_from=date(2026, 12, 2), title="Cam quả tươi — an toàn")
    cat.rule(session.get(Product, catalog.orange_id), new, Role.MANDATORY_REGULATION)
    session.commit()
    with TestClient(create_app(search_settings, engine=engine)) as client:
        yield client


def codes(entries: list[dict]) -> list[str]:
    return [e["document"]["code"] for e in entries]


def test_the_answer_is_for_the_day_in_vietnam_and_what_takes_effect_that_day_is_in_force(
    vn_client, catalog
):
    for url in (
        f"/api/v1/products/{catalog.orange_id}/applicable",
        "/api/v1/applicable?product=Cam%20s%C3%A0nh%20H%C3%A0m%20Y%C3%AAn",
    ):
        body = vn_client.get(url).json()
        answer = body.get("answer", body)
        assert answer["as_of"] == "2026-12-02", url
        assert NEW_CODE in codes(answer["entries"]), url
        assert NEW_CODE not in codes(answer["upcoming"]), url


def test_as_of_takes_a_date_or_a_date_time_read_in_vietnam(vn_client, catalog):
    url = f"/api/v1/products/{catalog.orange_id}/applicable"
    for as_of, day in [
        ("2026-12-01", "2026-12-01"),
        ("2026-12-01T16:59:59Z", "2026-12-01"),
        ("2026-12-01T17:00:00Z", "2026-12-02"),
        ("2026-12-02T00:00:00+07:00", "2026-12-02"),
        ("2026-12-01T23:59", "2026-12-01"),  # no offset: a time in Vietnam
    ]:
        answer = vn_client.get(url, params={"as_of": as_of}).json()
        assert answer["as_of"] == day, as_of
        assert (NEW_CODE in codes(answer["entries"])) == (day == "2026-12-02"), as_of
    refused = vn_client.get(url, params={"as_of": "2026-02-30"})
    assert refused.status_code == 400
    assert "as_of" in refused.json()["detail"] and "not a valid date" in refused.json()["detail"]


def test_held_answers_and_etags_for_today_switch_at_17_utc(vn_client, catalog, frozen_clock):
    answers = vn_client.app.state.answers
    url = f"/api/v1/products/{catalog.orange_id}/applicable"
    vn_client.get(url)  # the graph serves, and holding every day begins
    deadline = time.monotonic() + 60
    while not answers.stats()["every_day"]:
        assert time.monotonic() < deadline, answers.stats()
        time.sleep(0.05)

    def today(at: datetime) -> tuple[str, str]:
        frozen_clock.at = at
        before = answers.stats()
        response = vn_client.get(url, headers={"Accept-Encoding": "identity"})
        after = answers.stats()
        assert after["served_held"] == before["served_held"] + 1  # held, not computed
        assert after["computed"] == before["computed"]
        return response.json()["as_of"], response.headers["etag"]

    early = today(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    last = today(datetime(2026, 12, 1, 16, 59, 59, tzinfo=UTC))
    first = today(datetime(2026, 12, 1, 17, 0, tzinfo=UTC))
    late = today(datetime(2026, 12, 1, 20, 50, tzinfo=UTC))
    assert early == last and last[0] == "2026-12-01"
    assert first == late and first[0] == "2026-12-02"
    assert first[1] != last[1]
    # A client that cached the answer late on 1 December gets the new one at midnight in Hanoi.
    frozen_clock.at = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
    fresh = vn_client.get(url, headers={"Accept-Encoding": "identity", "If-None-Match": last[1]})
    assert fresh.status_code == 200 and fresh.json()["as_of"] == "2026-12-02"
    frozen_clock.at = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    same = vn_client.get(url, headers={"Accept-Encoding": "identity", "If-None-Match": last[1]})
    assert same.status_code == 304


def test_reports_default_to_the_day_in_vietnam(vn_client):
    assert vn_client.get("/api/v1/reports/gaps").json()["report"]["as_of"] == "2026-12-02"


def test_times_given_to_people_are_in_vietnam_with_the_offset(vn_client, catalog):
    editor = {"X-API-Key": catalog.keys["editor"]}
    url = f"/api/v1/products/{catalog.orange_id}"
    changed = vn_client.patch(url, json={"description": "Cam quả tươi"}, headers=editor)
    assert changed.status_code == 200, changed.text
    assert vn_client.get(url).json()["updated_at"] == "2026-12-02T03:50:00+07:00"
    admin = {"X-API-Key": catalog.keys["admin"]}
    audit = vn_client.get("/api/v1/admin/audit", headers=admin).json()
    assert audit["items"][0]["at"] == "2026-12-02T03:50:00+07:00"


def test_todays_answer_is_not_cached_past_midnight_in_vietnam(vn_client, catalog, frozen_clock):
    url = f"/api/v1/products/{catalog.orange_id}/applicable"
    frozen_clock.at = datetime(2026, 12, 1, 16, 59, 30, tzinfo=UTC)
    assert vn_client.get(url).headers["cache-control"] == "public, max-age=30"
    asked = vn_client.get(url, params={"as_of": "2026-12-01"})
    assert asked.headers["cache-control"] == "public, max-age=60"  # a given day does not change
    frozen_clock.at = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert vn_client.get(url).headers["cache-control"] == "public, max-age=60"
