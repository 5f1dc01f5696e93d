"""Property-based run of the API against its own OpenAPI schema (schemathesis).

Every operation gets generated requests (valid and invalid parameters and bodies), sent with
an editor key so writes are exercised too; then a stateful run follows the links between
operations (those schemathesis infers, such as a created watch list's token or a rule's id,
and the product and draft links added below), so later calls use identifiers that exist.
Over both runs: at least 2,000 requests, no 5xx, and every error is
application/problem+json with a title, a detail and its status.
"""

from __future__ import annotations

import copy
import json

import hypothesis
import hypothesis.errors
import pytest
import schemathesis
from factories import build_api_catalog
from hypothesis import HealthCheck
from litestar.testing import TestClient

from api.app import API_PREFIX, create_app
from api.settings import ApiSettings
from search import indexer

EXAMPLES_PER_OPERATION = 30
MINIMUM_REQUESTS = 2000
STATEFUL_SCENARIOS = 60  # per suite
STATEFUL_STEPS = 12
LINKED_REQUESTS = 900  # made by the linked scenarios, over as many suites as that takes
MAX_SUITES = 20
# Links schemathesis cannot infer (a product is read by id or slug under the name ``ref``).
EXTRA_LINKS = {
    ("/api/v1/products", "post", "201"): {
        "ReadCreatedProduct": ("/api/v1/products/{ref}", "get", {"ref": "$response.body#/id"}),
        "ApplicableToCreatedProduct": (
            "/api/v1/products/{ref}/applicable",
            "get",
            {"ref": "$response.body#/id"},
        ),
        "PatchCreatedProduct": ("/api/v1/products/{ref}", "patch", {"ref": "$response.body#/id"}),
    },
    ("/api/v1/drafts", "post", "201"): {
        "ReadCreatedDraft": ("/api/v1/documents/{code}", "get", {"code": "$response.body#/code"}),
        "PatchCreatedDraft": ("/api/v1/drafts/{code}", "patch", {"code": "$response.body#/code"}),
    },
}


@pytest.fixture
def fuzz_target(engine, session, meili_server, index_prefix):
    catalog = build_api_catalog(session)
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
    schema = schemathesis.openapi.from_dict(_own_schema(raw))
    sent: list[tuple[str, int]] = []
    failures: list[str] = []

    with TestClient(app) as client:
        for result in schema.get_all_operations():
            _run_operation(result.ok(), client, editor_key, sent, failures)
        single = len(sent)
        _run_stateful(schema, client, editor_key, sent, failures)

    linked = len(sent) - single
    followed = sorted({label for label, status in sent[single:] if "{" in label and status < 300})
    print("linked operations answered 2xx:", followed)
    assert followed, "no linked scenario reached an operation through a link"
    print(f"{len(sent)} generated requests: {single} per operation, {linked} in linked scenarios")
    assert len(sent) >= MINIMUM_REQUESTS, f"only {len(sent)} requests generated"
    assert linked >= LINKED_REQUESTS, f"the linked scenarios made only {linked} requests"
    assert not failures, "\n".join(failures[:20])


def _own_schema(raw: dict) -> dict:
    """The API's paths (not the pages'), with the links of :data:`EXTRA_LINKS` added."""
    paths = copy.deepcopy(
        {p: ops for p, ops in raw["paths"].items() if p.startswith(API_PREFIX) or p in _SYSTEM}
    )
    for (path, method, status), links in EXTRA_LINKS.items():
        response = paths[path][method]["responses"][status]
        response["links"] = {
            name: {
                "operationRef": "#/paths/" + target.replace("/", "~1") + "/" + target_method,
                "parameters": parameters,
            }
            for name, (target, target_method, parameters) in links.items()
        }
    return {**raw, "paths": paths}


_SYSTEM = ("/health", "/ready")


def _run_stateful(schema, client, editor_key, sent, failures) -> None:
    """Scenarios of linked calls: each step's request may use an earlier answer's values.

    The catalog keeps what earlier scenarios wrote, so a scenario replayed can take another
    path (a rule created once is a conflict the second time) and Hypothesis stops the suite
    as flaky; as schemathesis's own runner does, a new suite with the next seed follows,
    until the scenarios have made :data:`LINKED_REQUESTS` requests.
    """

    class Scenarios(schema.as_state_machine()):
        def call(self, case, **kwargs):
            response = _send(client, case, editor_key)
            sent.append((case.operation.label, response.status_code))
            problem = _check(response)
            if problem:
                failures.append(f"linked {case.operation.label} {case.formatted_path}: {problem}")
            return schemathesis.Response.from_httpx(response, verify=False)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            """Checked in :meth:`call` by this test's own rules."""

    settings = hypothesis.settings(
        max_examples=STATEFUL_SCENARIOS,
        stateful_step_count=STATEFUL_STEPS,
        phases=[hypothesis.Phase.generate],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    start = len(sent)
    for seed in range(MAX_SUITES):
        if len(sent) - start >= LINKED_REQUESTS:
            break
        try:
            hypothesis.seed(seed)(Scenarios).run(settings=settings)
        except hypothesis.errors.Flaky:
            continue


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
        response = _send(client, case, editor_key)
        sent.append((operation.label, response.status_code))
        problem = _check(response)
        if problem:
            failures.append(f"{operation.label} {case.formatted_path} {case.query}: {problem}")

    run()


def _send(client, case, editor_key):
    kwargs = case.as_transport_kwargs(base_url="")
    headers = dict(kwargs.get("headers") or {})
    headers["X-API-Key"] = editor_key
    return client.request(
        kwargs["method"],
        kwargs["url"],
        params=kwargs.get("params"),
        headers=headers,
        content=_content(kwargs),
    )


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
