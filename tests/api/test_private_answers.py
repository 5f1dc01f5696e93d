"""Answers that depend on a key or a capability token are private: ``private, no-store``,
``Vary`` on the key headers, never held by the shared response cache. Public answers stay
public even when a key is sent."""

from __future__ import annotations

import pytest

from api import response_cache

PRIVATE = "private, no-store"


def _assert_private(response) -> None:
    assert response.headers["cache-control"] == PRIVATE, response.headers
    vary = {v.strip().lower() for v in response.headers["vary"].split(",")}
    assert {"x-api-key", "authorization"} <= vary
    assert "etag" not in response.headers


@pytest.fixture
def watch_token(client, catalog) -> str:
    created = client.post(
        "/api/v1/watchlists",
        json={"name": "Cam của tôi", "products": [str(catalog.orange_id)]},
        headers={"X-API-Key": catalog.keys["reader"]},
    )
    assert created.status_code == 201, created.text
    _assert_private(created)
    return created.json()["token"]


def test_admin_audit_and_keys_are_private(client, catalog):
    admin = {"X-API-Key": catalog.keys["admin"]}
    audit = client.get("/api/v1/admin/audit", headers=admin)
    assert audit.status_code == 200
    _assert_private(audit)
    # refusals of a guarded path are private too: they depend on the key sent
    _assert_private(client.get("/api/v1/admin/audit"))
    _assert_private(client.get("/api/v1/admin/audit", headers={"X-API-Key": "tq_made_up"}))


def test_watch_list_answers_behind_its_token_are_private(client, watch_token):
    for path in ("", "/deliveries", "/changes", "/changes.atom"):
        answer = client.get(f"/api/v1/watchlists/{watch_token}{path}")
        assert answer.status_code == 200, (path, answer.text)
        _assert_private(answer)
        again = client.get(f"/api/v1/watchlists/{watch_token}{path}")
        _assert_private(again)


def test_private_answers_are_never_held(client, watch_token, monkeypatch):
    # Even on a path listed as cacheable, a private handler's answer is not held.
    monkeypatch.setattr(response_cache, "CACHEABLE", (*response_cache.CACHEABLE, "/api/v1/wat"))
    held = client.app.state.held_responses
    client.app.state.answers.graph.current()  # the catalog version is known: answers can be held
    for _ in range(2):
        client.get("/api/v1/categories")
        client.get(f"/api/v1/watchlists/{watch_token}/deliveries")
    paths = {key[2] for key in held.entries}
    assert "/api/v1/categories" in paths
    assert not any("watchlists" in path for path in paths)


def test_public_answers_stay_public_with_a_key(client, catalog):
    keyed = client.get("/api/v1/categories", headers={"X-API-Key": catalog.keys["reader"]})
    assert keyed.headers["cache-control"].startswith("public")
