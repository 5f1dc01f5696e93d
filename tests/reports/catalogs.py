"""The engine's test catalog builder, with enterprises and declarations added."""

from __future__ import annotations

from datetime import date

from engine.builder import CatalogBuilder as EngineCatalogBuilder

from catalog.codes import parse_code
from catalog.declarations import scheme_of
from catalog.models import Declaration, Enterprise, Product
from catalog.text import slugify
from catalog.vocab import DeclarationKind


class CatalogBuilder(EngineCatalogBuilder):
    def enterprise(self, name: str, tax_code: str | None = None) -> Enterprise:
        return self._add(Enterprise(slug=slugify(name), name=name, tax_code=tax_code))

    def declaration(
        self,
        enterprise: Enterprise,
        kind: DeclarationKind,
        on: date,
        *,
        product: Product | None = None,
        document: str | None = None,
        scheme=None,
        valid_until: date | None = None,
        supported: bool = False,
        number: str | None = None,
    ) -> Declaration:
        code = parse_code(document).canonical() if document else None
        number = number or f"{kind.value}-{enterprise.id}-{on.isoformat()}-{code or scheme}"
        return self._add(
            Declaration(
                key=f"{kind.value}:{number}",
                kind=kind,
                number=number,
                enterprise_id=enterprise.id,
                product_id=product.id if product else None,
                document_code=code,
                scheme=scheme or scheme_of(code),
                declared_on=on,
                valid_until=valid_until,
                program_supported=supported,
            )
        )
