"""Property-based run of the API against its own OpenAPI schema (schemathesis).

Every operation gets generated requests (valid and invalid parameters and bodies), sent with
an editor key so writes are exercised too. Over the whole run: at least 1,000 requests, no
5xx, and every error is application/problem+json with a title and a detail.
"""

from __future__ import annotations

import json

import hypothesis
import pytest
import schemathesis
from conftest import build_catalog
from hypothesis import HealthCheck
from litestar.testing import TestClient

from api.app import API_PREFIX, create_app
from api.settings import ApiSettings
from search import indexer

EXAMPLES_PER_OPERATION = 30
MINIMUM_REQUESTS = 1000


@pytest.fixture
def fuzz_target(engine, session, meili_server, index_prefix):
    catalog = build_catalog(session)
    indexer.rebuild(engine, meili_server.url, meili_server.master_key, prefix=index_prefix)
    settings = ApiSettings(
        database_url=str(engine.url),
        meili_url=meili_server.url,
        meili_search_key=meili_server.master_key,
        index_prefix=index_prefix,
        rate_limit_per_minute=None,
    )
    app = create_app(settings, engine=engine)
    with TestClient(app) as client:
        raw = client.get(f"{API_PREFIX}/schema/openapi.json").json()
    return app, raw, catalog.keys["editor"]


def test_generated_requests_get_no_5xx_and_only_problem_errors(fuzz_target):
    app, raw, editor_key = fuzz_target
    own = {
        p: ops
        for p, ops in raw["paths"].items()
        if p.startswith(API_PREFIX) or p in ("/health", "/ready")
    }
    schema = schemathesis.openapi.from_dict({**raw, "paths": own})
    schema.app = app
    sent: list[tuple[str, int]] = []
    failures: list[str] = []

    with TestClient(app) as client:
        for result in schema.get_all_operations():
            _run_operation(result.ok(), client, editor_key, sent, failures)

    print(f"{len(sent)} generated requests over {len(own)} paths")
    assert len(sent) >= MINIMUM_REQUESTS, f"only {len(sent)} requests generated"
    assert not failures, "\n".join(failures[:20])


def _run_operation(operation, client, editor_key, sent, failures) -> None:
    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy())
    def run(case):
        kwargs = case.as_transport_kwargs(base_url="")
        headers = dict(kwargs.get("headers") or {})
        headers["X-API-Key"] = editor_key
        response = client.request(
            kwargs["method"],
            kwargs["url"],
            params=kwargs.get("params"),
            headers=headers,
            content=_content(kwargs),
        )
        sent.append((operation.label, response.status_code))
        problem = _check(response)
        if problem:
            failures.append(f"{operation.label} {kwargs['url']} {kwargs.get('params')}: {problem}")

    run()


def _content(kwargs: dict) -> bytes | None:
    if "json" in kwargs:
        return json.dumps(kwargs["json"]).encode()
    data = kwargs.get("data") or kwargs.get("content")
    if isinstance(data, str):
        return data.encode()
    return data


def _check(response) -> str | None:
    if response.status_code >= 500:
        return f"HTTP {response.status_code}: {response.text[:300]}"
    if response.status_code >= 400:
        if response.headers.get("content-type") != "application/problem+json":
            return f"HTTP {response.status_code} as {response.headers.get('content-type')}"
        body = response.json()
        if not (
            body.get("title") and body.get("detail") and body.get("status") == response.status_code
        ):
            return f"problem without title/detail/status: {body}"
    return None
