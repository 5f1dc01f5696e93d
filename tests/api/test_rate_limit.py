"""The rate limit counts valid keys and real client addresses: a made-up key per request or
a forged ``X-Forwarded-For`` does not buy a fresh bucket; a 429 says when to retry."""

from __future__ import annotations

import secrets
from dataclasses import replace

import pytest
from litestar.testing import TestClient
from test_api import problem

from api.app import create_app
from api.client_identity import trusted_networks

LIMIT = 3


@pytest.fixture
def limited(engine, search_settings, catalog):
    settings = replace(search_settings, rate_limit_per_minute=LIMIT)
    with TestClient(create_app(settings, engine=engine)) as client:
        yield client


def _spend(client, headers=None) -> None:
    for _ in range(LIMIT):
        assert client.get("/api/v1/categories", headers=headers).status_code == 200


def test_a_valid_key_has_its_own_bucket_and_429_says_when_to_retry(limited, catalog):
    _spend(limited)
    refused = limited.get("/api/v1/categories")
    body = problem(refused, 429)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "Retry-After" in body["detail"]
    keyed = {"X-API-Key": catalog.keys["reader"]}
    assert limited.get("/api/v1/categories", headers=keyed).status_code == 200
    assert limited.get("/health").status_code == 200


@pytest.mark.parametrize("header", ["X-API-Key", "Authorization"])
def test_a_random_key_per_request_counts_against_the_address(limited, header):
    _spend(limited)
    for _ in range(5):
        made_up = "tq_" + secrets.token_urlsafe(32)
        value = f"Bearer {made_up}" if header == "Authorization" else made_up
        problem(limited.get("/api/v1/categories", headers={header: value}), 429)


def test_forwarded_for_from_an_untrusted_peer_is_ignored(limited):
    _spend(limited)
    for n in range(5):
        forged = {"X-Forwarded-For": f"203.0.113.{n}"}
        problem(limited.get("/api/v1/categories", headers=forged), 429)


def test_forwarded_for_from_a_trusted_proxy_names_the_client(engine, search_settings, catalog):
    settings = replace(
        search_settings,
        rate_limit_per_minute=LIMIT,
        trusted_proxies=trusted_networks("127.0.0.1, 10.0.0.0/8"),
    )
    app = create_app(settings, engine=engine)
    app.asgi_handler = _from_peer("127.0.0.1", app.asgi_handler)  # the peer: a trusted proxy
    with TestClient(app) as client:
        first = {"X-Forwarded-For": "198.51.100.7, 10.1.2.3"}  # client, then an inner proxy
        _spend(client, first)
        problem(client.get("/api/v1/categories", headers=first), 429)
        # another client behind the same proxy has its own bucket
        other = {"X-Forwarded-For": "198.51.100.8"}
        assert client.get("/api/v1/categories", headers=other).status_code == 200
        # a forged hop before the real client does not change who the proxy saw
        forged = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7"}
        problem(client.get("/api/v1/categories", headers=forged), 429)


def test_trusted_proxies_setting_refuses_what_is_not_an_address():
    assert [str(n) for n in trusted_networks(" 10.0.0.1 ,fd00::/8")] == ["10.0.0.1/32", "fd00::/8"]
    with pytest.raises(ValueError, match=r"proxy\.example"):
        trusted_networks("proxy.example")


def _from_peer(address: str, handler):
    """``handler`` seeing every connection come from ``address`` (the test client's peer is
    the name "testclient", which is no address)."""

    async def call(scope, receive, send):
        await handler({**scope, "client": (address, 50000)}, receive, send)

    return call
