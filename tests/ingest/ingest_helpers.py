"""Helpers shared by the ingest tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

from sqlmodel import Session, select

from catalog.models import ApplicabilityRule, Document, DocumentRelation, FieldChange, Product

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def store_snapshot(engine) -> dict[str, list[str]]:
    """Every row of the catalog tables an ingest writes, as sorted JSON lines."""
    with Session(engine) as session:
        return {
            model.__tablename__: sorted(
                json.dumps(row.model_dump(), default=str, sort_keys=True)
                for row in session.exec(select(model))
            )
            for model in (Document, DocumentRelation, Product, ApplicabilityRule, FieldChange)
        }


_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OOXML}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_OOXML}.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_ROOT_RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="' + _RELS.encode() + b'/officeDocument" '
    b'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="' + _RELS.encode() + b'"><sheets>'
    b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="' + _RELS.encode() + b'/worksheet" '
    b'Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="' + _RELS.encode() + b'/sharedStrings" '
    b'Target="sharedStrings.xml"/></Relationships>'
)


def inline(ref: str, text: str) -> str:
    """An inline-string cell."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>'


def write_xlsx(path: Path, rows: list[list[str]], shared: Iterable[bytes] = ()) -> Path:
    """A minimal workbook, written as a stream: ``rows`` hold cell XML (see :func:`inline`),
    ``shared`` yields the shared strings part's bytes piece by piece (``<si>`` elements)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        sheet = "".join(
            f'<row r="{number}">{"".join(cells)}</row>' for number, cells in enumerate(rows, 1)
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{sheet}</sheetData></worksheet>",
        )
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for piece in shared:
                part.write(piece)
            part.write(b"</sst>")
    return path
