"""The OpenAPI document as a contract: every error is problem+json, downloads carry their
media types, every operation has its stable id, and a client generated from the served
document by openapi-python-client (with docs/openapi-python-client.yaml) comes out without a
warning and calls the core operations of a running server, getting typed answers. OPTIONS
names every method of a path, and what the schema refuses the server refuses (the full run
of every check is tests/api/test_schema_fuzz.py)."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from api.openapi_contract import OPERATION_IDS, XLSX

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
CLIENT_CONFIG = REPO / "docs" / "openapi-python-client.yaml"


@pytest.fixture
def served_schema(client) -> dict:
    return client.get("/api/v1/schema/openapi.json").json()


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                yield method, path, operation


def test_every_error_answer_is_documented_as_problem_json(served_schema):
    checked = 0
    for method, path, operation in _operations(served_schema):
        for status, response in operation["responses"].items():
            if status[0] in "45" and path != "/ready":
                assert list(response["content"]) == ["application/problem+json"], (method, path)
                ref = response["content"]["application/problem+json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/ProblemDetail"
                checked += 1
    assert checked > 40


def test_downloads_are_declared_with_their_media_types(served_schema):
    kinds = {}
    for _method, _path, operation in _operations(served_schema):
        for media_type, content in operation["responses"].get("200", {}).get("content", {}).items():
            kinds.setdefault(media_type.split(";")[0], set()).add(str(content["schema"]))
    assert kinds[XLSX] == {str({"type": "string", "format": "binary"})}
    assert kinds["text/csv"] == kinds["application/atom+xml"] == {str({"type": "string"})}


def test_every_operation_has_its_stable_id_and_a_tag(served_schema):
    seen = {(m, p): op["operationId"] for m, p, op in _operations(served_schema)}
    assert seen == OPERATION_IDS
    assert all(op.get("tags") for _m, _p, op in _operations(served_schema))


def test_generated_client_has_no_warnings_and_calls_the_core_operations(server, tmp_path):
    base, catalog = server
    generated = subprocess.run(
        [str(GENERATOR), "generate", "--url", f"{base}/api/v1/schema/openapi.json",
         "--meta", "none", "--config", str(CLIENT_CONFIG), "--output-path",
         str(tmp_path / "tieuchuan_client")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    output = generated.stdout + generated.stderr
    assert generated.returncode == 0, output
    assert "Warning" not in output and "WARNING" not in output, output

    sys.path.insert(0, str(tmp_path))
    try:
        _call_core_operations(base, catalog)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.startswith("tieuchuan_client")]:
            del sys.modules[name]


def _call_core_operations(base: str, catalog) -> None:
    client_module = importlib.import_module("tieuchuan_client")
    products = importlib.import_module("tieuchuan_client.api.products")
    reports = importlib.import_module("tieuchuan_client.api.reports")
    search = importlib.import_module("tieuchuan_client.api.search.search")
    models = importlib.import_module("tieuchuan_client.models")
    importlib.import_module("tieuchuan_client.api.products.get_applicable")
    for name in ("get_product", "download_checklist_xlsx"):
        importlib.import_module(f"tieuchuan_client.api.products.{name}")
    importlib.import_module("tieuchuan_client.api.reports.get_gap_report")

    with client_module.Client(base_url=base) as client:
        found = search.sync(client=client, q="cam sành")
        assert isinstance(found, models.SearchResponse), found
        assert any("Cam" in str(hit) for hit in found.to_dict()["hits"])

        ref = str(catalog.orange_id)
        product = products.get_product.sync(ref, client=client)
        assert isinstance(product, models.ProductDetail) and product.name_vi == "Cam sành Hàm Yên"

        answer = products.get_applicable.sync(ref, client=client, as_of="2015-01-01")
        assert type(answer).__name__ == "Applicability", answer
        codes = {entry.document.code for entry in answer.entries}
        assert "TCVN 1873:2014" in codes and "TCVN 1873:2007" not in codes

        sheet = products.download_checklist_xlsx.sync_detailed(ref, client=client)
        assert sheet.status_code == 200 and sheet.content.startswith(b"PK")

        gaps = reports.get_gap_report.sync(client=client)
        assert type(gaps).__name__ == "GapReportResponse", gaps


def test_options_names_every_method_of_the_path(client):
    for path, methods in {
        "/api/v1/products": "GET, OPTIONS, POST",
        "/api/v1/products/1": "GET, OPTIONS, PATCH",
        "/api/v1/rules/1": "DELETE, GET, OPTIONS, PATCH",
        "/api/v1/declarations": "GET, OPTIONS, POST",
    }.items():
        answer = client.options(path)
        assert answer.status_code == 204 and answer.headers["allow"] == methods, path


def test_request_bodies_say_what_validation_refuses(served_schema):
    schemas = served_schema["components"]["schemas"]
    product = schemas["ProductUpdate"]
    assert product["additionalProperties"] is False
    assert product["properties"]["aliases"]["items"]["minLength"] == 1
    assert "valid_to, when given, is not before valid_from" in schemas["RuleCreate"]["description"]
    assert schemas["WatchListCreate"]["anyOf"]
    code = served_schema["paths"]["/api/v1/documents/{code}"]["get"]["parameters"][0]["schema"]
    assert code["maxLength"] == 200


def test_what_the_schema_refuses_the_server_refuses(client):
    longest = client.get("/api/v1/documents/" + "9" * 200)
    assert longest.status_code == 404  # as long as documented: looked for, not refused
    for params in ({"status": "bogus"}, {"ics": "67.08"}, {"year": "20"}):
        answer = client.get("/api/v1/search", params=params)
        assert answer.status_code == 400, params
        assert answer.headers["content-type"] == "application/problem+json"
    for as_of in ("2026-02-30", "2023-02-29", "0500-01-01", "2026-12-02T08:00z"):
        answer = client.get("/api/v1/reports/gaps", params={"as_of": as_of})
        assert answer.status_code == 400 and "as_of" in answer.json()["detail"], as_of
    assert client.get("/api/v1/reports/gaps", params={"as_of": "2024-02-29"}).status_code == 200
