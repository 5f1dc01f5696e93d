"""``tieuchuan apply PRODUCT``: which documents apply to a product on a day, and why, as text
(and as the checklist the API serves)."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import click
from sqlmodel import Session

from api.cli.options import DAY
from api.services import checklist
from catalog.applicability import Applicability, Entry, applicable
from catalog.products import ProductNotFound
from catalog.store import database_url, display_url, make_engine
from catalog.vocab import Role


@click.command("apply")
@click.argument("product")
@click.option(
    "--as-of",
    type=DAY,
    default=None,
    help="The day asked about (default: today in TIEUCHUAN_TZ).",
)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=None)
@click.option("--mandatory-only", is_flag=True, help="Only mandatory documents.")
@click.option(
    "--csv", "csv_path", type=click.Path(path_type=Path), help="Also write a CSV checklist."
)
@click.option(
    "--xlsx", "xlsx_path", type=click.Path(path_type=Path), help="Also write an XLSX checklist."
)
def apply_command(
    product: str,
    as_of: datetime | None,
    role: str | None,
    mandatory_only: bool,
    csv_path: Path | None,
    xlsx_path: Path | None,
) -> None:
    """Print which standards and regulations apply to PRODUCT (id, slug, name or alias), and why."""
    engine = make_engine()
    started = time.perf_counter()
    with Session(engine) as session:
        try:
            answer = applicable(
                session,
                product,
                as_of.date() if as_of else None,
                role=Role(role) if role else None,
                mandatory_only=mandatory_only,
            )
        except ProductNotFound as exc:
            raise click.ClickException(str(exc)) from exc
    elapsed = (time.perf_counter() - started) * 1000
    click.echo(render(answer))
    click.echo(
        f"\n{len(answer.entries)} in force ({len(answer.mandatory)} mandatory), "
        f"{len(answer.upcoming)} upcoming, {len(answer.withdrawn)} withdrawn, "
        f"{len(answer.out_of_scope)} out of scope; answered in {elapsed:.0f} ms "
        f"from {display_url(database_url())}"
    )
    if csv_path:
        csv_path.write_bytes(checklist.to_csv(answer))
        click.echo(f"wrote {csv_path}")
    if xlsx_path:
        xlsx_path.write_bytes(checklist.to_xlsx(answer))
        click.echo(f"wrote {xlsx_path}")


def render(answer: Applicability) -> str:
    """The answer as a plain-text table, one block per document."""
    p = answer.product
    lines = [
        f"{p.name_vi} [{p.slug}] — {p.category or 'no category'}, "
        f"{p.locality or 'locality unknown'}",
        f"as of {answer.as_of.isoformat()}",
    ]
    sections = [
        ("MANDATORY", answer.mandatory),
        ("VOLUNTARY", answer.voluntary),
        ("UPCOMING (not yet in force)", answer.upcoming),
        ("WITHDRAWN (no successor)", answer.withdrawn),
        ("OUT OF SCOPE", answer.out_of_scope),
    ]
    for title, entries in sections:
        if not entries:
            continue
        lines += ["", f"{title} ({len(entries)})"]
        lines += [_row(i, e) for i, e in enumerate(entries, 1)]
    if not any(entries for _, entries in sections):
        lines += ["", "nothing applies (no rule reaches this product)"]
    return "\n".join(lines)


def _row(index: int, entry: Entry) -> str:
    doc = entry.document
    roles = ", ".join(r.label_en.lower() for r in entry.roles)
    since = f", from {doc.effective_from.isoformat()}" if doc.effective_from else ""
    head = f"{index:>3}. {doc.code:<24} {roles:<30} {doc.title_vi or ''}"
    lines = [head.rstrip(), f"       status: {doc.status.label_en.lower()}{since}"]
    lines += [
        f"       why: {r.text}"
        + (f" (cites {r.cited_edition})" if r.cited_edition else "")
        + (f" — if {r.condition}" if r.condition else "")
        + (f" — basis {r.legal_basis}" if r.legal_basis else "")
        for r in entry.reasons
    ]
    lines += [f"       note: {n}" for n in entry.notes]
    return "\n".join(lines)
