"""What the edge of the service promises: links never built from a forged Host header,
security headers on pages, API answers and errors, and the key scheme on the operations
that need a key in the OpenAPI document."""

from __future__ import annotations

from dataclasses import replace

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.security_headers import DATA_POLICY, PAGE_POLICY
from api.settings import DEFAULT_PUBLIC_URL, ApiSettings, public_base_url

FORGED = {"Host": "evil.example"}
PUBLIC = "https://tieuchuan.tuyenquang.gov.vn"


@pytest.fixture
def public_client(search_settings, engine):
    settings = replace(search_settings, public_url=PUBLIC)
    with TestClient(create_app(settings, engine=engine)) as client:
        yield client


def _watch_token(client, catalog) -> str:
    created = client.post(
        "/api/v1/watchlists",
        json={"name": "Chè", "products": [str(catalog.tea_id)]},
        headers={"X-API-Key": catalog.keys["reader"], **FORGED},
    )
    assert created.status_code == 201, created.text
    assert "evil.example" not in created.text
    assert created.json()["feed_url"].startswith(PUBLIC + "/api/v1/watchlists/")
    return created.json()["token"]


def test_forged_host_never_reaches_feeds_or_links(public_client, catalog):
    token = _watch_token(public_client, catalog)
    for path in ("/api/v1/changes.atom", f"/api/v1/watchlists/{token}/changes.atom"):
        feed = public_client.get(path, params={"since": "2000-01-01"}, headers=FORGED)
        assert feed.status_code == 200, feed.text
        assert "evil.example" not in feed.text
        assert f'href="{PUBLIC}/api/v1/' in feed.text
    listed = public_client.get(f"/api/v1/watchlists/{token}", headers=FORGED)
    assert "evil.example" not in listed.text


def test_without_a_public_url_links_use_the_safe_default(client, catalog):
    feed = client.get("/api/v1/changes.atom", params={"since": "2000-01-01"}, headers=FORGED)
    assert "evil.example" not in feed.text and DEFAULT_PUBLIC_URL in feed.text


def test_public_url_setting_is_checked():
    assert ApiSettings.from_env({"TIEUCHUAN_PUBLIC_URL": PUBLIC + "/"}).public_url == PUBLIC
    assert public_base_url("http://example.gov.vn/tieuchuan") == "http://example.gov.vn/tieuchuan"
    for bad in ("tieuchuan.gov.vn", "javascript:alert(1)", "https://x.vn/?a=1", "ftp://x.vn"):
        with pytest.raises(ValueError, match="TIEUCHUAN_PUBLIC_URL"):
            public_base_url(bad)


@pytest.mark.parametrize(
    "path, policy",
    [
        ("/", PAGE_POLICY),
        ("/duyet", PAGE_POLICY),
        ("/khong-co-trang-nay", PAGE_POLICY),  # the 404 page
        ("/static/site.css", PAGE_POLICY),
        ("/api/v1/categories", DATA_POLICY),
        ("/api/v1/nothing-here", DATA_POLICY),  # a 404 problem
        ("/health", DATA_POLICY),
        ("/api/v1/schema/openapi.json", DATA_POLICY),
        ("/api/v1/schema/swagger", None),  # loads its renderer from a CDN
    ],
)
def test_security_headers_on_pages_api_and_errors(client, catalog, path, policy):
    answer = client.get(path)
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert answer.headers.get("content-security-policy") == policy


def test_pages_need_nothing_inline_that_the_policy_forbids(client, catalog):
    for path in ("/", "/duyet", f"/san-pham/{catalog.orange_id}"):
        html = client.get(path).text
        assert "<style" not in html and " style=" not in html, path
        scripts = [part.split(">", 1)[0] for part in html.split("<script")[1:]]
        assert all('src="/static/' in tag for tag in scripts), (path, scripts)
        assert " onclick=" not in html and " onload=" not in html


def test_openapi_attaches_the_key_scheme_to_guarded_operations(client):
    schema = client.get("/api/v1/schema/openapi.json").json()
    assert set(schema["components"]["securitySchemes"]) == {"apiKey", "bearer"}
    declared = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if operation.get("security") == [{"apiKey": []}, {"bearer": []}]
    }
    guarded = {
        (method, route.path_format)
        for route in client.app.routes
        for handler in getattr(route, "route_handlers", ())
        if handler.resolve_guards() and handler.include_in_schema
        for method in handler.http_methods
    }
    assert guarded and declared == guarded
    for method, path in declared:
        assert "401" in schema["paths"][path][method.lower()]["responses"], (method, path)
