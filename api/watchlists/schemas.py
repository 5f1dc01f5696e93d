"""Request and response bodies of watch lists and their webhooks."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from api.schemas import PRINTABLE, Name, Ref
from catalog.reports.reach import ProductBrief

Url = Annotated[str, Meta(min_length=8, max_length=1000, pattern=r"^https?://[^\x00-\x20\x7f]+$")]
Market = Annotated[str, Meta(min_length=2, max_length=8, pattern=r"^[A-Za-z]+$")]
Secret = Annotated[str, Meta(min_length=16, max_length=200, pattern=PRINTABLE)]


class WatchListCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    owner: Name | None = None
    products: Annotated[list[Ref], Meta(max_length=500)] = []
    categories: Annotated[list[Ref], Meta(max_length=200)] = []
    markets: Annotated[list[Market], Meta(max_length=60)] = []  # country or WTO member codes


class WatchListResponse(Struct, kw_only=True):
    token: str
    name: str
    owner: str | None
    created_at: datetime
    products: list[ProductBrief]
    categories: list[str]
    markets: list[str]  # WTO member codes
    covered: list[ProductBrief]
    feed_url: str
    atom_url: str


class WebhookCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    url: Url
    secret: Secret | None = None


class WebhookResponse(Struct, kw_only=True):
    id: int
    url: str
    secret: str  # shown once, at creation
    signature_header: str
    active: bool


class DeliveryRecord(Struct, kw_only=True):
    delivery_id: str
    attempt: int
    at: datetime
    entries: int
    status_code: int | None
    succeeded: bool
    error: str | None
    duration_ms: int
