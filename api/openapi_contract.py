"""The OpenAPI document as a contract: what Litestar generates, made to say what the server does.

Litestar documents its own validation error (``application/json``, a different shape) where
the server answers ``application/problem+json``, names operations after their path
(``ApiV1ProductsRefApplicableApplicable``) and gives downloads a bare string schema. This
module rewrites the generated document once, before it is first served:

- every 4xx and 5xx answer is ``application/problem+json`` with the ProblemDetail schema
  (the readiness check's 503 excepted: it answers its own JSON report);
- spreadsheets are binary strings, CSV and Atom text, each under its media type;
- every operation has the explicit, stable id of :data:`OPERATION_IDS`, which generated
  clients use as method names. An operation missing from the table stops the app at start,
  so a new endpoint is named on purpose;
- request bodies are described by msgspec, which validates them (:mod:`api.request_schemas`);
- every operation a guard protects declares the key schemes (X-API-Key or Bearer) and its
  401 and 403 answers: read from the guards themselves, so no handler can forget it.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from typing import Any

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin

from api.auth import KEY_SECURITY
from api.problems import PROBLEM_JSON
from api.request_schemas import document_request_bodies, request_body_types
from api.responses import DOCX, XLSX

# (method, path) -> operationId. Changing one breaks generated clients: see docs/api-versioning.md.
OPERATION_IDS: dict[tuple[str, str], str] = {
    ("get", "/health"): "get_health",
    ("get", "/ready"): "get_readiness",
    ("get", "/api/v1/products"): "list_products",
    ("post", "/api/v1/products"): "create_product",
    ("get", "/api/v1/products/{ref}"): "get_product",
    ("patch", "/api/v1/products/{ref}"): "update_product",
    ("get", "/api/v1/products/{ref}/applicable"): "get_applicable",
    ("get", "/api/v1/products/{ref}/checklist.csv"): "download_checklist_csv",
    ("get", "/api/v1/products/{ref}/checklist.xlsx"): "download_checklist_xlsx",
    ("get", "/api/v1/products/{ref}/obligations"): "get_obligations",
    ("get", "/api/v1/applicable"): "get_applicable_by_text",
    ("get", "/api/v1/applicable/any"): "get_applicable_to_any_product",
    ("get", "/api/v1/applicable/any/checklist.csv"): "download_any_product_checklist_csv",
    ("get", "/api/v1/applicable/any/checklist.xlsx"): "download_any_product_checklist_xlsx",
    ("get", "/api/v1/gtin/{code}"): "get_gtin",
    ("get", "/api/v1/documents/{code}"): "get_document",
    ("post", "/api/v1/drafts"): "create_draft",
    ("patch", "/api/v1/drafts/{code}"): "update_draft",
    ("post", "/api/v1/rules"): "create_rule",
    ("get", "/api/v1/rules/{rule_id}"): "get_rule",
    ("patch", "/api/v1/rules/{rule_id}"): "update_rule",
    ("delete", "/api/v1/rules/{rule_id}"): "delete_rule",
    ("get", "/api/v1/admin/audit"): "list_audit_entries",
    ("post", "/api/v1/admin/keys"): "create_api_key",
    ("get", "/api/v1/search"): "search",
    ("get", "/api/v1/categories"): "list_categories",
    ("get", "/api/v1/issuers"): "list_issuers",
    ("post", "/api/v1/reports/draft-impact"): "get_draft_impact",
    ("post", "/api/v1/reports/draft-impact.xlsx"): "download_draft_impact_xlsx",
    ("get", "/api/v1/reports/drafts/{code}"): "get_stored_draft_impact",
    ("get", "/api/v1/reports/gaps"): "get_gap_report",
    ("get", "/api/v1/reports/gaps.xlsx"): "download_gap_report_xlsx",
    ("get", "/api/v1/reports/indicators"): "get_plan_indicators",
    ("get", "/api/v1/reports/indicators.xlsx"): "download_plan_indicators_xlsx",
    ("get", "/api/v1/changes"): "list_changes",
    ("get", "/api/v1/changes.atom"): "get_changes_feed",
    ("get", "/api/v1/changes.xlsx"): "download_changes_xlsx",
    ("post", "/api/v1/watchlists"): "create_watch_list",
    ("get", "/api/v1/watchlists/{token}"): "get_watch_list",
    ("get", "/api/v1/watchlists/{token}/changes"): "list_watch_list_changes",
    ("get", "/api/v1/watchlists/{token}/changes.atom"): "get_watch_list_feed",
    ("post", "/api/v1/watchlists/{token}/webhooks"): "add_watch_list_webhook",
    ("get", "/api/v1/watchlists/{token}/deliveries"): "list_webhook_deliveries",
    ("get", "/api/v1/declarations"): "list_declarations",
    ("post", "/api/v1/declarations"): "create_declaration",
    ("get", "/api/v1/declarations.xlsx"): "download_declarations_xlsx",
    ("get", "/api/v1/reports/review"): "get_review_queue",
    ("get", "/api/v1/reports/review.xlsx"): "download_review_queue_xlsx",
    ("put", "/api/v1/reviews/rules/{rule_id}"): "review_rule",
    ("put", "/api/v1/reviews/documents/{code}"): "review_document",
    ("get", "/api/v1/reports/open-comments"): "list_open_comment_periods",
    ("get", "/api/v1/reports/open-comments.xlsx"): "download_open_comment_periods_xlsx",
    ("get", "/api/v1/plan/figures"): "get_plan_figures",
    ("get", "/api/v1/plan/figures/{target}"): "get_plan_figure_records",
    ("get", "/api/v1/plan/records"): "list_plan_records",
    ("post", "/api/v1/plan/records/training"): "create_training_course",
    ("post", "/api/v1/plan/records/experts"): "create_expert",
    ("post", "/api/v1/plan/records/support"): "create_enterprise_support",
    ("post", "/api/v1/plan/records/register"): "create_producer_register",
    ("post", "/api/v1/plan/records/outreach"): "create_outreach",
    ("post", "/api/v1/plan/records/award"): "create_quality_award_entry",
    ("post", "/api/v1/plan/records/trademarks"): "create_ocop_trademark",
    ("post", "/api/v1/plan/records/milestones"): "create_portal_milestone",
    ("delete", "/api/v1/plan/records/{kind}/{record_id}"): "delete_plan_record",
    ("get", "/api/v1/plan/report.docx"): "download_plan_report_docx",
    ("get", "/api/v1/plan/annex.xlsx"): "download_plan_annex_xlsx",
    ("get", "/api/v1/plan/reminder"): "get_plan_report_reminder",
    ("get", "/api/v1/export/{filename}"): "download_table_csv",
    ("get", "/api/v1/changes/runs"): "list_worker_runs",
}
_PROBLEM = {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}
_KEY_PROBLEMS = {"401": "No API key, or an unknown one", "403": "The key's role may not do this"}
_OWN_ERROR_BODY = {("get", "/ready")}  # answers its readiness report, 503 included
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def refine_schema(app: Litestar) -> None:
    """Rewrite the app's OpenAPI document in place (the dict every request is served from)."""
    document = app.plugins.get(OpenAPIPlugin).provide_openapi_schema()
    refine(document, guarded_operations(app))
    document_request_bodies(document, request_body_types(app))


def guarded_operations(app: Litestar) -> set[tuple[str, str]]:
    """(method, path) of every documented operation that a guard protects (needs a key)."""
    return {
        (method.lower(), route.path_format)
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
        if handler.resolve_guards() and handler.include_in_schema
        for method in handler.http_methods
    }


def refine(document: dict[str, Any], guarded: AbstractSet[tuple[str, str]] = frozenset()) -> None:
    """The rules of the module docstring, applied to a generated document; the ``guarded``
    operations declare the key schemes and their 401 and 403 answers."""
    unnamed = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            operation_id = OPERATION_IDS.get((method, path))
            if operation_id is None:
                unnamed.append(f"{method.upper()} {path}")
                continue
            operation["operationId"] = operation_id
            if (method, path) in guarded:
                operation["security"] = KEY_SECURITY
                for status, description in _KEY_PROBLEMS.items():
                    operation.setdefault("responses", {}).setdefault(
                        status, {"description": description}
                    )
            for status, response in operation.get("responses", {}).items():
                _refine_response(method, path, status, response)
    if unnamed:
        raise RuntimeError(
            "operations without an id in api.openapi_contract.OPERATION_IDS: " + ", ".join(unnamed)
        )


def _refine_response(method: str, path: str, status: str, response: dict[str, Any]) -> None:
    if status[0] in "45" and (method, path) not in _OWN_ERROR_BODY:
        response["content"] = {PROBLEM_JSON: dict(_PROBLEM)}
        return
    for media_type, content in (response.get("content") or {}).items():
        if media_type in (XLSX, DOCX):
            content["schema"] = {"type": "string", "format": "binary"}
        elif media_type.startswith(("text/csv", "application/atom+xml")):
            content["schema"] = {"type": "string"}
