"""The declarations register officials keep (XLSX or CSV): conformity declarations, food
self-declarations and certificates, one per row.

Columns, found by their folded headers: Loại (hợp chuẩn, hợp quy, tự công bố, chứng nhận),
Số tiếp nhận / Số chứng nhận, Tổ chức, doanh nghiệp, Mã số thuế, Sản phẩm, Tiêu chuẩn,
quy chuẩn (a document code, or a scheme name such as VietGAP), Ngày công bố, Tổ chức
chứng nhận, Hiệu lực đến, Được hỗ trợ (có/không: supported under the provincial plan),
Ghi chú. A row that cannot be taken is rejected with its ``file:row`` and the reason;
the rest is imported. The run is atomic like every ingest run (:mod:`ingest.run`): its
``IngestRun`` row is committed first, then everything else in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from catalog.declarations import (
    DeclarationError,
    DeclarationInput,
    natural_key,
    read_document,
    save_declaration,
)
from catalog.limits import CODE_MAX, NAME_MAX, NOTE_MAX, REF_MAX
from catalog.models import IngestReject, IngestRun
from catalog.text import fold
from catalog.upsert import ChangeContext, Outcome
from catalog.vocab import DeclarationKind, RunStatus
from ingest import cells
from ingest.records import Reject, RejectError
from ingest.run import RunSummary, reap_dead_runs, this_process
from ingest.sheets import SheetRow, read_sheet

SOURCE = "declarations"
KIND_ALIASES = {
    "hợp chuẩn": DeclarationKind.CONFORMITY_STANDARD,
    "công bố hợp chuẩn": DeclarationKind.CONFORMITY_STANDARD,
    "hợp quy": DeclarationKind.CONFORMITY_REGULATION,
    "công bố hợp quy": DeclarationKind.CONFORMITY_REGULATION,
    "tự công bố": DeclarationKind.SELF_DECLARATION,
    "tự công bố sản phẩm": DeclarationKind.SELF_DECLARATION,
    "chứng nhận": DeclarationKind.CERTIFICATION,
    "giấy chứng nhận": DeclarationKind.CERTIFICATION,
}
_COLUMNS = {
    "kind": ("loai", "loai cong bo", "hinh thuc"),
    "number": ("so tiep nhan", "so cong bo", "so chung nhan", "so giay chung nhan", "so"),
    "enterprise": ("to chuc doanh nghiep", "doanh nghiep", "to chuc ca nhan", "ten doanh nghiep"),
    "tax_code": ("ma so thue", "mst"),
    "product": ("san pham", "ten san pham"),
    "document": (
        "tieu chuan quy chuan",
        "tieu chuan quy chuan ap dung",
        "van ban cong bo",
        "tieu chuan ap dung",
    ),
    "declared_on": ("ngay cong bo", "ngay tiep nhan", "ngay cap", "ngay"),
    "certifying_body": ("to chuc chung nhan", "don vi chung nhan"),
    "valid_until": ("hieu luc den", "co gia tri den", "ngay het han"),
    "program_supported": ("duoc ho tro", "ho tro theo ke hoach", "ho tro"),
    "note": ("ghi chu",),
}
_YES = {"co", "x", "1", "yes", "true", "dung"}
_NO = {"khong", "0", "no", "false", ""}


@dataclass
class DeclarationRow:
    """A parsed row and where it came from."""

    location: str
    item: DeclarationInput


def parse_rows(rows: Iterable[SheetRow | Reject]) -> Iterator[DeclarationRow | Reject]:
    """Rows to declarations or rejects; a natural key seen twice rejects the later row."""
    seen: dict[str, str] = {}
    for row in rows:
        if isinstance(row, Reject):
            yield row
            continue
        try:
            parsed = parse_row(row)
            code, scheme = read_document(parsed.item.document, parsed.item.kind)
        except (RejectError, DeclarationError) as exc:
            yield Reject(row.location, str(exc), _excerpt(row))
            continue
        key = natural_key(parsed.item, code, scheme)
        if key in seen:
            yield Reject(row.location, f"duplicate of row {seen[key]} ({key})", _excerpt(row))
            continue
        seen[key] = row.location.rsplit(":", 1)[-1]
        yield parsed


# Field → the most characters it may have: the API's limits, within the columns' own.
_LIMITS = {
    "enterprise": NAME_MAX,
    "number": CODE_MAX,
    "product": REF_MAX,
    "document": REF_MAX,
    "certifying_body": NAME_MAX,
    "note": NOTE_MAX,
}


def parse_row(row: SheetRow) -> DeclarationRow:
    get = lambda name: row.get(*_COLUMNS[name])  # noqa: E731
    kind = cells.choice(DeclarationKind, get("kind"), "Loại", KIND_ALIASES)
    enterprise = cells.text(get("enterprise"))
    if not enterprise:
        raise RejectError("Tổ chức, doanh nghiệp: the enterprise is missing")
    declared_on = cells.first_date(get("declared_on"), "Ngày công bố")
    if declared_on is None:
        raise RejectError("Ngày công bố: the date is missing")
    valid_until = cells.first_date(get("valid_until"), "Hiệu lực đến")
    if valid_until is not None and valid_until < declared_on:
        raise RejectError(
            f"Hiệu lực đến: {valid_until.isoformat()} is before the declaration date "
            f"{declared_on.isoformat()}"
        )
    tax_code = cells.text(get("tax_code"))
    if tax_code is not None and not tax_code.replace("-", "").isdigit():
        raise RejectError(f"Mã số thuế: expected digits (e.g. 5000123456), got {tax_code!r}")
    parsed = DeclarationRow(
        row.location,
        DeclarationInput(
            kind=kind,
            enterprise=enterprise,
            declared_on=declared_on,
            number=cells.text(get("number")),
            tax_code=tax_code,
            product=cells.text(get("product")),
            document=cells.text(get("document")),
            certifying_body=cells.text(get("certifying_body")),
            valid_until=valid_until,
            program_supported=_yes_no(get("program_supported"), "Được hỗ trợ"),
            note=cells.text(get("note")),
        ),
    )
    for name, limit in _LIMITS.items():
        value = getattr(parsed.item, name)
        if value is not None and len(value) > limit:
            raise RejectError(f"{name}: {len(value)} characters, more than the {limit} it may have")
    return parsed


def _yes_no(value: Any, column: str) -> bool:
    if isinstance(value, bool):
        return value
    shown = fold(cells.text(value) or "")
    if shown in _YES:
        return True
    if shown in _NO:
        return False
    raise RejectError(f"{column}: expected có or không, got {value!r}")


def _excerpt(row: SheetRow) -> str:
    return " | ".join(str(v) for v in row.cells.values() if v not in (None, ""))[:300]


def import_declarations(engine: Engine, path: Path) -> RunSummary:
    """Import the register at ``path`` as one atomic ingest run."""
    started = time.perf_counter()
    reap_dead_runs(engine)
    with Session(engine, expire_on_commit=False) as session:
        pid, host = this_process()
        run = IngestRun(source=SOURCE, origin=str(path)[:1000], pid=pid, host=host)
        session.add(run)
        session.commit()
        run_id = run.id
    counts = {Outcome.NEW: 0, Outcome.UPDATED: 0, Outcome.UNCHANGED: 0, "rejected": 0}
    try:
        with Session(engine, expire_on_commit=False) as session:
            context = ChangeContext(run_id=run_id)
            fetched = datetime.now(UTC)
            for item in parse_rows(read_sheet(path)):
                if isinstance(item, Reject):
                    counts["rejected"] += 1
                    session.add(
                        IngestReject(
                            run_id=run_id,
                            location=item.location,
                            reason=item.reason,
                            excerpt=item.excerpt,
                        )
                    )
                    continue
                result = save_declaration(
                    session,
                    item.item,
                    context=context,
                    provenance={
                        "source": str(path),
                        "source_ref": item.location,
                        "fetched_at": fetched,
                        "ingest_run_id": run_id,
                    },
                )
                counts[result.outcome] += 1
            run = session.get(IngestRun, run_id)
            run.status = RunStatus.SUCCEEDED
            run.finished_at = datetime.now(UTC)
            run.new = counts[Outcome.NEW]
            run.updated = counts[Outcome.UPDATED]
            run.unchanged = counts[Outcome.UNCHANGED]
            run.rejected = counts["rejected"]
            session.add(run)
            session.commit()
    except BaseException as exc:
        with Session(engine) as session:
            failed = session.get(IngestRun, run_id)
            failed.status = RunStatus.FAILED
            failed.finished_at = datetime.now(UTC)
            failed.message = f"{type(exc).__name__}: {exc}"[:2000] + " (nothing was kept)"
            session.add(failed)
            session.commit()
        raise
    return RunSummary(
        run_id=run_id,
        source=SOURCE,
        status=RunStatus.SUCCEEDED,
        new=counts[Outcome.NEW],
        updated=counts[Outcome.UPDATED],
        unchanged=counts[Outcome.UNCHANGED],
        rejected=counts["rejected"],
        stubs=0,
        seconds=time.perf_counter() - started,
    )
