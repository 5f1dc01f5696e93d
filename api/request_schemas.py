"""Request bodies documented by the decoder that validates them.

Litestar's schema for a msgspec Struct drops what msgspec enforces inside lists (an alias
may not be empty, an HS code is digits) and does not say that unknown fields are refused.
msgspec's own JSON Schema is the validation itself, so every request body's component is
replaced by it: lengths, patterns and formats of list items, ``additionalProperties: false``
(every body Struct forbids unknown fields: a misspelt field is an error, not silently
ignored), enums and defaults.

Rules between fields that JSON Schema can say are added from :data:`FIELD_RULES`; the others
are written into the description from :data:`CROSS_FIELD_RULES`, so an integrator reads
them where the fields are described.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar

_REF = "#/components/schemas/{name}"


def _given(name: str, json_type: str) -> dict[str, Any]:
    """The field is present and not null (of its non-null JSON type)."""
    return {"required": [name], "properties": {name: {"type": json_type}}}


def _non_empty(name: str) -> dict[str, Any]:
    """The field is present with at least one item."""
    return {"required": [name], "properties": {name: {"minItems": 1}}}


# Body component -> JSON Schema keywords added to it: rules between fields it can state.
FIELD_RULES: dict[str, dict[str, Any]] = {
    "SourceIn": {"anyOf": [_given("url", "string"), _given("locator", "string")]},
    "WatchListCreate": {"anyOf": [_non_empty("products"), _non_empty("categories")]},
    "OutreachIn": {"anyOf": [_given("producers_reached", "integer"), _non_empty("producers")]},
}
# Body component -> property -> keywords added to it: what msgspec's schema leaves out.
PROPERTY_RULES: dict[str, dict[str, dict[str, Any]]] = {
    # a mapping keyed by an enum: msgspec validates the keys, its schema does not say so
    "TrainingIn": {"counts": {"propertyNames": {"$ref": _REF.format(name="ParticipantKind")}}},
}

# Body component -> rules between fields (or with the stored catalog) that JSON Schema cannot
# state; they are appended to its description and answered with a 400 problem naming them.
CROSS_FIELD_RULES: dict[str, tuple[str, ...]] = {
    "RuleCreate": (
        "valid_to, when given, is not before valid_from.",
        "subject is read by subject_kind (a product id or slug, a category slug, an HS "
        "prefix, an ICS field such as 67.080.10) and names what the catalog holds; document "
        "is the code of a catalog document.",
    ),
    "RuleUpdate": ("valid_to, when given, is not before valid_from (the stored one counts).",),
    "ProductCreate": (
        "name_vi has a letter or digit; category and locality are slugs the catalog holds.",
    ),
    "ProductUpdate": (
        "name_vi has a letter or digit; category and locality are slugs the catalog holds.",
    ),
    "DraftCreate": ("code is a document code (QCĐP 01:2026/TQ) the catalog does not hold yet.",),
    "DraftUpdate": ("effective_from is not before issued_on (the stored ones count).",),
    "DraftImpactRequest": ("code and citations are document codes (TCVN 5603:2023).",),
    "DeclarationCreate": (
        "product names a catalog product; document is a document code or a known scheme "
        "(ISO 9001, ISO 22000, HACCP, VietGAP, hữu cơ, truy xuất nguồn gốc); a declaration "
        "of conformity to a regulation (hợp quy) names a QCVN or QCĐP.",
    ),
    "WebhookCreate": ("url resolves to a public address (not a private or loopback one).",),
    "SourceIn": ("retrieved_on is not after today.",),
    "TrainingIn": (
        "ends_on, when given, is not before held_on; a person of an organisation is listed "
        "once; counts given with a participant list agree with it.",
    ),
    "OutreachIn": (
        "producers_reached, given with a producer list, is the number of producers listed.",
    ),
    "AwardIn": ("stage_on is within a year of the award year.",),
    "TrademarkIn": (
        "product names an OCOP product of the catalog; granted_on and ended_on are not before "
        "filed_on; a granted mark has its certificate_number.",
    ),
}


def request_body_types(app: Litestar) -> list[type]:
    """The Struct of every handler's ``data`` parameter, each once, in route order."""
    found: dict[type, None] = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is not None and isinstance(data.annotation, type):
                found.setdefault(data.annotation, None)
    return list(found)


def document_request_bodies(document: dict[str, Any], types: list[type]) -> None:
    """Replace the components of ``types`` (and what they nest) by msgspec's schema of them,
    with :data:`FIELD_RULES`, :data:`PROPERTY_RULES` and :data:`CROSS_FIELD_RULES` added."""
    _, components = msgspec.json.schema_components(types, ref_template=_REF)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in components.items():
        schema.update(FIELD_RULES.get(name, {}))
        for prop, keywords in PROPERTY_RULES.get(name, {}).items():
            schema["properties"][prop].update(keywords)
        rules = CROSS_FIELD_RULES.get(name)
        if rules:
            described = [schema.get("description", ""), "Also checked:", *rules]
            schema["description"] = " ".join(part for part in described if part)
        schemas[name] = schema
