"""Writing a row of the declarations register: the catalog's own ``save_declaration``, the
same way in as the API's, inside the run's transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from catalog.declarations import DeclarationError, save_declaration
from catalog.upsert import Outcome
from ingest.records import DeclarationRecord, RejectError

if TYPE_CHECKING:
    from ingest.writer import StoreWriter


def write_declaration(writer: StoreWriter, record: DeclarationRecord) -> Outcome:
    # A declaration's source_ref is the whole "file:row" its register row is found at.
    provenance = {**writer._provenance_at(record.location), "source_ref": record.location}
    try:
        result = save_declaration(
            writer.session, record.item, context=writer.context, provenance=provenance
        )
    except DeclarationError as exc:
        raise RejectError(str(exc)) from exc
    return result.outcome
