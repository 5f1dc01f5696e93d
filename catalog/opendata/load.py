"""``tieuchuan import DIR``: an export put back into an empty database, all or nothing.

Refused, before any row is written: a folder without a manifest, a manifest of another
format or schema revision, a file whose sha256 or row count differs from the manifest, and a
database that already holds any catalog row. The rows go in with their ids, in one
transaction, parents before children; PostgreSQL's id sequences are then moved past them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text

from catalog import migrate
from catalog.opendata.dump import FORMAT, MANIFEST, sha256
from catalog.opendata.tables import EXPORTED, columns, from_json, ordered, table

BATCH = 1000


class ImportRefused(ValueError):
    """The export or the database cannot be used, and why; nothing was written."""


def read_manifest(folder: Path, engine: Engine) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportRefused(
            f"{folder}: no {MANIFEST}; is this a `tieuchuan export` folder?"
        ) from None
    except ValueError as exc:
        raise ImportRefused(f"{path}: not JSON ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise ImportRefused(f"{path}: format {manifest.get('format')!r}, expected {FORMAT!r}")
    current = migrate.status(engine.url.render_as_string(False)).current
    if manifest.get("schema_version") != current:
        raise ImportRefused(
            f"{path}: exported at schema revision {manifest.get('schema_version')}, this "
            f"database is at {current}: export and import with the same version"
        )
    missing = set(EXPORTED) - set(manifest.get("tables", {}))
    if missing:
        raise ImportRefused(f"{path}: no entry for table(s) {', '.join(sorted(missing))}")
    for name in EXPORTED:
        for filename, digest in manifest["tables"][name]["files"].items():
            file = folder / Path(filename).name
            if not file.is_file():
                raise ImportRefused(f"{file}: missing")
            if sha256(file) != digest:
                raise ImportRefused(
                    f"{file}: sha256 differs from the manifest (changed or damaged)"
                )
    return manifest


def _records(folder: Path, name: str) -> Iterator[dict[str, Any]]:
    cols = {c.name: c for c in columns(name)}
    with (folder / f"{name}.jsonl").open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            data = json.loads(line)
            if set(data) != set(cols):
                raise ImportRefused(f"{name}.jsonl line {number}: columns differ from the table's")
            yield {key: from_json(cols[key], value) for key, value in data.items()}


def _parents_first(name: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a table that refers to itself (localities, categories) with parents first."""
    if "parent_id" not in {c.name for c in columns(name)}:
        return records
    placed: set[Any] = set()
    ordered_rows: list[dict[str, Any]] = []
    waiting = records
    while waiting:
        ready = [r for r in waiting if r["parent_id"] is None or r["parent_id"] in placed]
        if not ready:
            raise ImportRefused(f"{name}: rows whose parent is missing or circular")
        placed.update(r["id"] for r in ready)
        ordered_rows += ready
        waiting = [r for r in waiting if r["id"] not in placed]
    return ordered_rows


def _empty(connection: Connection) -> None:
    for name in EXPORTED:
        if connection.execute(select(func.count()).select_from(table(name))).scalar():
            raise ImportRefused(f"the database is not empty: table {name} has rows")


def load(engine: Engine, folder: Path) -> dict[str, int]:
    """Import ``folder`` into the empty database of ``engine``; the rows per table."""
    manifest = read_manifest(folder, engine)
    counts: dict[str, int] = {}
    with engine.begin() as connection:
        _empty(connection)
        for name in ordered():
            records = (
                list(_records(folder, name)) if name in ("locality", "product_category") else None
            )
            source = (
                _parents_first(name, records) if records is not None else _records(folder, name)
            )
            count = 0
            batch: list[dict[str, Any]] = []
            for record in source:
                batch.append(record)
                if len(batch) == BATCH:
                    connection.execute(table(name).insert(), batch)
                    count += len(batch)
                    batch = []
            if batch:
                connection.execute(table(name).insert(), batch)
                count += len(batch)
            if count != manifest["tables"][name]["rows"]:
                raise ImportRefused(
                    f"{name}: {count} rows, the manifest says {manifest['tables'][name]['rows']}"
                )
            counts[name] = count
        if connection.dialect.name == "postgresql":
            _move_sequences(connection)
    return counts


def _move_sequences(connection: Connection) -> None:
    """Next ids after the imported ones, for tables with a serial ``id``."""
    for name in EXPORTED:
        if "id" not in table(name).primary_key.columns:
            continue
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f'COALESCE((SELECT MAX(id) FROM "{name}"), 0) + 1, false)'
            )
        )
