"""Responses every controller and page shares: files to download (workbooks, Word documents,
CSV) with their ``Content-Disposition``, and the media types they are declared with.

A service that makes a file returns a :class:`Download` (bytes and how to name them); the
handler sends it with :func:`send`. The JSON answers themselves are msgspec structs returned
as they are, which Litestar encodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from litestar import Response

from catalog.reports.tables import Table, workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class Download:
    content: bytes
    media_type: str
    filename: str


def attachment(filename: str) -> dict[str, str]:
    """The header that makes a browser save the body as ``filename``."""
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def send(download: Download) -> Response[bytes]:
    return Response(
        download.content, media_type=download.media_type, headers=attachment(download.filename)
    )


def workbook_download(tables: Sequence[Table], heading: Sequence[str], filename: str) -> Download:
    """Report tables as an XLSX download, each sheet topped by the ``heading`` lines."""
    return Download(workbook(tables, heading), XLSX, filename)
