"""Request and response bodies of the declarations register."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from msgspec import Meta, Struct

from api.schemas import PRINTABLE, Name, Ref
from catalog.declarations import DeclarationView
from catalog.limits import NOTE_MAX
from catalog.vocab import DeclarationKind


class DeclarationCreate(Struct, kw_only=True, forbid_unknown_fields=True):
    kind: DeclarationKind
    enterprise: Name
    declared_on: date
    document: Ref
    number: Ref | None = None
    tax_code: Annotated[str, Meta(pattern=r"^[0-9]{10}(-[0-9]{3})?$")] | None = None
    product: Ref | None = None
    certifying_body: Name | None = None
    valid_until: date | None = None
    program_supported: bool = False
    note: Annotated[str, Meta(max_length=NOTE_MAX, pattern=PRINTABLE)] | None = None


class DeclarationsResponse(Struct, kw_only=True):
    count: int
    declarations: list[DeclarationView]
