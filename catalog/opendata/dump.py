"""``tieuchuan export DIR``: every exported table as CSV and JSON Lines, and a manifest.

The manifest (``manifest.json``) gives the schema revision, the time, and for each table its
row count, its columns (name, type, nullable, key) and the sha256 of both files; the import
checks all of it before it writes a row. Rows are read in pages, so memory stays bounded.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine, Row, select

from catalog import migrate
from catalog.clock import now
from catalog.opendata.tables import columns, ordered, table, to_csv, to_json, type_name

PAGE = 2000
MANIFEST = "manifest.json"
FORMAT = "tieuchuan-export/1"


@dataclass(frozen=True)
class Exported:
    table: str
    rows: int


def rows(engine: Engine, name: str) -> Iterator[Row[Any]]:
    """The table's rows in key order, a page at a time (keyset pagination needs one key column;
    tables keyed by several columns are read whole, ordered, as they are small link tables)."""
    cols = columns(name)
    keys = list(table(name).primary_key.columns)
    query = select(*cols).order_by(*keys)
    with engine.connect() as connection:
        if len(keys) != 1:
            yield from connection.execute(query)
            return
        last = None
        while True:
            page = query if last is None else query.where(keys[0] > last)
            batch = connection.execute(page.limit(PAGE)).all()
            yield from batch
            if len(batch) < PAGE:
                return
            last = getattr(batch[-1], keys[0].name)


def write_csv(out: IO[str], name: str, records: Iterable[Row[Any]]) -> int:
    """Rows of ``name`` as CSV with a header line; the number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in columns(name)])
    count = 0
    for record in records:
        writer.writerow([to_csv(v) for v in record])
        count += 1
    return count


def export(engine: Engine, folder: Path) -> list[Exported]:
    """Write the catalog to ``folder`` (created; must hold no earlier export)."""
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / MANIFEST).exists():
        raise FileExistsError(f"{folder} already holds an export ({MANIFEST}); use a new folder")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": migrate.status(engine.url.render_as_string(False)).current,
        "exported_at": now().isoformat(timespec="seconds"),
        "tables": {},
    }
    done = []
    for name in ordered():
        cols = columns(name)
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as out:
            count = write_csv(out, name, rows(engine, name))
        with (folder / f"{name}.jsonl").open("w", encoding="utf-8") as out:
            for record in rows(engine, name):
                data = {c.name: to_json(v) for c, v in zip(cols, record, strict=True)}
                out.write(json.dumps(data, ensure_ascii=False, sort_keys=True) + "\n")
        manifest["tables"][name] = {
            "rows": count,
            "description": (table(name).comment or _doc(name)),
            "columns": [
                {
                    "name": c.name,
                    "type": type_name(c),
                    "nullable": bool(c.nullable),
                    "key": bool(c.primary_key),
                    **({"refers_to": str(next(iter(c.foreign_keys)).target_fullname)}
                       if c.foreign_keys else {}),
                }
                for c in cols
            ],
            "files": {
                f"{name}.csv": sha256(folder / f"{name}.csv"),
                f"{name}.jsonl": sha256(folder / f"{name}.jsonl"),
            },
        }  # fmt: skip
        done.append(Exported(name, count))
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (folder / MANIFEST).write_text(text, encoding="utf-8")
    return done


def sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _doc(name: str) -> str:
    """The first line of the model's docstring: what one row is."""
    from catalog.models import SQLModel

    for mapper in SQLModel._sa_registry.mappers:
        if mapper.local_table is table(name):
            lines = (mapper.class_.__doc__ or "").strip().splitlines()
            return lines[0] if lines else ""
    return ""
