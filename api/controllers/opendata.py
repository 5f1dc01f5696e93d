"""Open data: ``GET /api/v1/export/{table}.csv`` streams each public table (the whole catalog
with its manifest is ``tieuchuan export``, :mod:`api.cli.opendata`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Annotated

from litestar import get
from litestar.params import Parameter
from litestar.response import Stream
from sqlalchemy import Engine

from api.deps import DbEngine
from api.problems import NotFound, problem_responses
from api.responses import CSV, attachment
from catalog.opendata.dump import rows
from catalog.opendata.tables import PUBLIC, columns, to_csv


def _csv_lines(engine: Engine, table: str) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.name for c in columns(table)])
    for number, record in enumerate(rows(engine, table), 1):
        writer.writerow([to_csv(v) for v in record])
        if number % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


TableFile = Annotated[
    str, Parameter(description="The table's name and `.csv`", min_length=1, max_length=80)
]


@get(
    "/export/{filename:str}",
    summary="A public table of the catalog as CSV (documents, rules, products, …), streamed",
    description="Tables: " + ", ".join(f"`{t}.csv`" for t in PUBLIC) + ". Columns and types "
    "are those of `tieuchuan export`'s manifest.",
    tags=["open data"],
    responses=problem_responses(404),
)
async def export_table(engine: DbEngine, filename: TableFile) -> Stream:
    table = filename.removesuffix(".csv")
    if not filename.endswith(".csv") or table not in PUBLIC:
        raise NotFound("export table", filename, [{"name": f"{t}.csv"} for t in PUBLIC])
    return Stream(_csv_lines(engine, table), media_type=CSV, headers=attachment(f"{table}.csv"))
