"""The sources, by the name used on the command line (``tieuchuan ingest <name>``); each
keeps the contract of :mod:`ingest.contract`."""

from __future__ import annotations

from ingest.contract import SheetSource, WebSource
from ingest.sources.catalogue import CatalogueSource
from ingest.sources.declarations import DeclarationRegisterSource
from ingest.sources.documents import DocumentSheetSource, RelationSheetSource
from ingest.sources.notification_sheet import NotificationSheetSource
from ingest.sources.products import ProductRegistrySource
from ingest.sources.provenance import ProvenanceSheetSource
from ingest.sources.provincial import ProvincialSource
from ingest.sources.qcvn_register import QcvnRegisterSource
from ingest.sources.reference import ReferenceSource
from ingest.sources.rules import RulesSheetSource
from ingest.sources.wto import WtoNotificationSource

WEB_SOURCES: dict[str, type[WebSource]] = {
    s.name: s
    for s in (CatalogueSource, QcvnRegisterSource, ProvincialSource, WtoNotificationSource)
}
SHEET_SOURCES: dict[str, type[SheetSource]] = {
    s.name: s
    for s in (
        ReferenceSource,
        DocumentSheetSource,
        RelationSheetSource,
        ProductRegistrySource,
        RulesSheetSource,
        ProvenanceSheetSource,
        NotificationSheetSource,
        DeclarationRegisterSource,
    )
}
# The bundled dataset, in dependency order.
BUNDLED_ORDER = (
    "reference",
    "documents",
    "relations",
    "products",
    "rules",
    "provenance",
    "notifications",
)
