"""Schemathesis, with every check, against the running server and its own OpenAPI document.

The run is schemathesis's own engine, as ``schemathesis run --checks all`` runs it: the
examples, coverage, fuzzing and stateful phases (the stateful one follows the links it
infers, such as a created watch list's token), every check schemathesis has (server errors,
status codes, content types, response schemas and headers, schema-valid requests accepted
and schema-invalid ones refused, Allow headers, missing headers, ignored auth, use after
free, resource availability), with an editor key (the admin key on the admin operations).
Identifiers the catalog holds (products, documents, rules, a watch list, a plan record) are
mixed into the generated path parameters, so no operation is tested only on 404s.

What it may find is only a rule between fields (or with the stored catalog, or with today)
that JSON Schema cannot state: each is listed in :data:`RULES_JSON_SCHEMA_CANNOT_STATE` with
its reason, excused by name when the server's problem names it, and described in the
schema's text (:mod:`api.request_schemas`). Anything else fails the test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx
import hypothesis.strategies
import jsonschema_rs
import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

# Hypothesis imports some modules on first use; two workers importing one at once can find it
# half-initialised ("cannot import name 'RandomStrategy'"), so it is imported here first.
hypothesis.strategies.randoms()

MINIMUM_CASES = 2000
MAX_EXAMPLES = 5  # per operation and phase
WORKERS = 2


@dataclass(frozen=True)
class Rule:
    reason: str  # why JSON Schema cannot state it
    operations: tuple[str, ...]  # labels, "POST /api/v1/rules"
    problem: str  # a regular expression the problem's detail matches


# Rules the server enforces and JSON Schema cannot state. Each excuses a schema-valid request
# refused with a 400 whose detail names it, on those operations only.
ANY_PRODUCT = (
    "GET /api/v1/applicable/any",
    "GET /api/v1/applicable/any/checklist.csv",
    "GET /api/v1/applicable/any/checklist.xlsx",
)
RULES_JSON_SCHEMA_CANNOT_STATE: dict[str, Rule] = {
    "rule valid_to not before valid_from": Rule(
        "compares two dates of the body (and, on update, the stored one)",
        ("POST /api/v1/rules", "PATCH /api/v1/rules/{rule_id}"),
        r"'valid_to' is before 'valid_from'",
    ),
    "rule subject and document name catalog records": Rule(
        "the subject's form depends on subject_kind, and it must exist in the catalog",
        ("POST /api/v1/rules", "PATCH /api/v1/rules/{rule_id}"),
        r"body field '(subject|document)'",
    ),
    "product category and locality exist": Rule(
        "references to catalog records",
        ("POST /api/v1/products", "PATCH /api/v1/products/{ref}"),
        r"body field '(category|locality)': no ",
    ),
    "names have a letter or digit": Rule(
        "a Unicode letter class, which the ECMA regular expressions of JSON Schema lack "
        "(a name of punctuation only has no slug)",
        (
            "POST /api/v1/products",
            "PATCH /api/v1/products/{ref}",
            "POST /api/v1/declarations",
            "POST /api/v1/plan/records/support",
            "POST /api/v1/plan/records/award",
        ),
        r"(name_vi' has no letters or digits|enterprise's name is missing)",
    ),
    "document codes follow the code grammar": Rule(
        "the grammar (catalog.codes) reads many spellings of a code; a pattern would only "
        "approximate it",
        (
            "POST /api/v1/drafts",
            "POST /api/v1/reports/draft-impact",
            "POST /api/v1/reports/draft-impact.xlsx",
            "POST /api/v1/declarations",
        ),
        r"(cannot read .* as a document code|is neither a document code|is not a document)",
    ),
    "declaration kind and document type agree": Rule(
        "the document's type (read from its code) depends on the declaration's kind",
        ("POST /api/v1/declarations",),
        r"names a QCVN or QCĐP, not|names a (standard|scheme)",
    ),
    "webhook url resolves to a public address": Rule(
        "depends on what the address resolves to when the request is made",
        ("POST /api/v1/watchlists/{token}/webhooks",),
        r"^url: .* (resolves to|is) .*; webhooks go to public addresses",
    ),
    "draft effective_from not before issued_on": Rule(
        "compares two dates, one of them possibly stored",
        ("PATCH /api/v1/drafts/{code}",),
        r"'effective_from' is before 'issued_on'",
    ),
    "referenced products, categories and issuers exist": Rule(
        "references to catalog records",
        (
            "POST /api/v1/watchlists",
            "POST /api/v1/declarations",
            "POST /api/v1/drafts",
            "POST /api/v1/plan/records/trademarks",
            "POST /api/v1/reports/draft-impact",
            "POST /api/v1/reports/draft-impact.xlsx",
            *ANY_PRODUCT,
        ),
        r"(no (product|category|issuer)|not an OCOP product|unknown (product|category|issuer))",
    ),
    "review source retrieved_on not after today": Rule(
        "depends on today",
        ("PUT /api/v1/reviews/rules/{rule_id}", "PUT /api/v1/reviews/documents/{code}"),
        r"'source.retrieved_on' is after today",
    ),
    "plan report year within the plan and up to now": Rule(
        "depends on today",
        ("GET /api/v1/plan/report.docx", "GET /api/v1/plan/annex.xlsx"),
        r"year: \d+ is outside",
    ),
    "plan period from not after as_of": Rule(
        "compares two query parameters",
        ("GET /api/v1/plan/figures", "GET /api/v1/plan/figures/{target}"),
        r"from \(.*\) is after as_of",
    ),
    "training dates, participants and counts agree": Rule(
        "compares fields and list items of the body",
        ("POST /api/v1/plan/records/training",),
        r"(ends_on: .* is before|is listed twice|given, but the list names)",
    ),
    "outreach producers_reached agrees with the list": Rule(
        "compares a count with the length of a list",
        ("POST /api/v1/plan/records/outreach",),
        r"producers_reached: \d+ given, but the list names",
    ),
    "award stage_on within a year of the award": Rule(
        "compares two fields of the body",
        ("POST /api/v1/plan/records/award",),
        r"stage_on: .* is far from the award year",
    ),
    "an HS code or a category is given": Rule(
        "one of two optional query parameters is required",
        ANY_PRODUCT,
        r"describe the product by an HS code",
    ),
    "a GTIN is 8, 12, 13 or 14 digits with its check digit": Rule(
        "the last digit is computed from the others (GS1 mod-10); and a pattern on the path "
        "would not hold, since the router takes /gtin/96385074/ for /gtin/96385074",
        ("GET /api/v1/gtin/{code}",),
        r"is not a valid GTIN: ",
    ),
    "trademark dates and certificate agree": Rule(
        "compares fields of the body",
        ("POST /api/v1/plan/records/trademarks",),
        r"(is before the filing date|a granted mark has a certificate number)",
    ),
    "a fact given twice does not contradict itself": Rule(
        "compares items of one query parameter (prepackaged:yes,prepackaged:no)",
        (
            "GET /api/v1/products/{ref}/applicable",
            "GET /api/v1/products/{ref}/checklist.csv",
            "GET /api/v1/products/{ref}/checklist.xlsx",
            "GET /api/v1/products/{ref}/obligations",
            "GET /api/v1/applicable",
            "GET /api/v1/gtin/{code}",
            *ANY_PRODUCT,
        ),
        r"^query field 'facts': item .*: (\w+ takes one value|'none' cannot go with)",
    ),
}


@pytest.fixture
def seeded(server):
    """The running server and real identifiers: the catalog's, and records made for the run."""
    base, catalog = server
    editor = {"X-API-Key": catalog.keys["editor"]}
    with httpx.Client(base_url=base, headers=editor, timeout=30) as http:
        watch = http.post(
            "/api/v1/watchlists", json={"name": "Cam", "products": [str(catalog.orange_id)]}
        )
        milestone = http.post("/api/v1/plan/records/milestones", json={"title": "Cổng"})
        rules = http.get(f"/api/v1/products/{catalog.orange_id}/applicable").json()
    assert watch.status_code == 201 and milestone.status_code == 201, (watch, milestone)
    rule_ids = sorted({e["rule_id"] for e in rules["entries"] if e.get("rule_id")})
    identifiers = {
        "ref": [str(catalog.orange_id), str(catalog.tea_id), "cam-sanh-ham-yen"],
        "code": ["QCVN 8-2:2011/BYT", "TCVN 1873:2014", "QCĐP 01:2020/TQ"],
        "rule_id": rule_ids or [1],
        "token": [watch.json()["token"]],
        "record_id": [milestone.json()["record"]["id"]],
        "kind": ["milestones"],
    }
    return base, catalog, identifiers


def test_schemathesis_with_every_check_finds_only_rules_json_schema_cannot_state(seeded):
    base, catalog, identifiers = seeded
    raw = httpx.get(f"{base}/api/v1/schema/openapi.json").json()
    config = SchemathesisConfig.from_dict(_config(base, catalog.keys, identifiers))
    schema = schemathesis.openapi.from_dict(raw, config=config)

    cases = 0
    by_phase: dict[str, int] = {}
    findings: list[str] = []
    excused: dict[str, int] = {}
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            cases += len(event.recorder.cases)
            phase = str(getattr(event, "phase", "fuzzing"))
            by_phase[phase] = by_phase.get(phase, 0) + len(event.recorder.cases)
            findings.extend(_findings(event.recorder, excused, raw))
        elif isinstance(event, events.NonFatalError | events.FatalError):
            findings.append(f"error: {getattr(event, 'value', None) or event.exception}")
    print(f"{cases} cases {by_phase}; excused by rule: {excused}")
    assert cases >= MINIMUM_CASES, f"only {cases} cases generated"
    assert not findings, "\n".join(sorted(set(findings))[:30])


def _config(base: str, keys: dict[str, str], identifiers: dict[str, list]) -> dict:
    return {
        "base-url": base,
        "seed": 18,
        "workers": WORKERS,
        "headers": {"X-API-Key": keys["editor"]},
        "checks": {"enabled": True},
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
        "suppress-health-check": ["all"],
        "warnings": False,
        "dictionaries": {name: {"values": values} for name, values in identifiers.items()},
        "parameters": {
            f"path.{name}": {"dictionary": name, "probability": 0.5} for name in identifiers
        },
        "operations": [
            {"include-path-regex": "^/api/v1/admin/", "headers": {"X-API-Key": keys["admin"]}}
        ],
    }


def _findings(recorder, excused: dict[str, int], document: dict) -> list[str]:
    found = []
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.failure_info is None:
                continue
            failure = check.failure_info.failure
            rule = _rule_for(check.name, failure.operation, recorder, case_id)
            if rule is None and _not_schema_valid(
                check.name, recorder.cases[case_id].value, document
            ):
                rule = MISLABELLED
            if rule:
                excused[rule] = excused.get(rule, 0) + 1
                continue
            answer = _response(recorder, case_id)
            shown = answer.text[:300] if answer is not None else "no answer"
            found.append(f"{check.name} {failure.operation}: {failure.title}: {shown}")
    return found


def _rule_for(check: str, operation: str, recorder, case_id: str) -> str | None:
    """The named rule that excuses a schema-valid request refused, if one does."""
    if check != "positive_data_acceptance":
        return None
    response = _response(recorder, case_id)
    if response is None or response.status_code != 400:
        return None
    detail = str((response.json() or {}).get("detail", ""))
    for name, rule in RULES_JSON_SCHEMA_CANNOT_STATE.items():
        if operation in rule.operations and re.search(rule.problem, detail):
            return name
    return None


MISLABELLED = "sent as schema-valid, but the body violates the schema"


def _not_schema_valid(check: str, case, document: dict) -> bool:
    """Whether a "schema-valid request rejected" was sent with a body the schema refuses.

    schemathesis's coverage phase sends ``0`` as the body of an operation whose body nests an
    object with ``anyOf`` (the review's source: a url or a locator) while it varies a path
    parameter; the server is right to refuse it. The body is checked here against the
    operation's own schema, so only such requests are excused, under their own name.
    """
    if check != "positive_data_acceptance" or not isinstance(
        case.body, (int, float, str, list, dict, bool, type(None))
    ):
        return False
    operation = document["paths"][case.operation.path][case.method.lower()]
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return False
    validator = jsonschema_rs.Draft202012Validator(
        {**content["schema"], "components": document["components"]}
    )
    return not validator.is_valid(case.body)


def _response(recorder, case_id: str):
    interaction = recorder.interactions.get(case_id)
    return interaction.response if interaction else None
