"""``tieuchuan apply PRODUCT``: which documents apply to a product on a day, and why, as text
(and as the checklist the API serves); with facts, what they rule out."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import click
from sqlmodel import Session

from api.cli.options import DAY
from api.problems import Problem
from api.services import checklist
from api.services.any_product import answer_in, describe
from api.services.todo import plan_for
from catalog import clock
from catalog.answer_facts import FactsAnswer, apply_facts
from catalog.applicability import Applicability, Entry, applicable
from catalog.applicability.wording import cited_words
from catalog.conditions import Verdict
from catalog.facts import FACTS, FactsError, parse_facts
from catalog.facts_text import facts_text, verdict_words
from catalog.obligations import ObligationPlan
from catalog.products import ProductNotFound
from catalog.readmodel import CatalogGraph
from catalog.store import database_url, display_url, make_engine
from catalog.vocab import Role


@click.command("apply")
@click.argument("product", required=False)
@click.option(
    "--hs",
    default=None,
    help="A product not in the registry, by HS code: 4, 6 or 8 digits, dots optional.",
)
@click.option(
    "--category",
    default=None,
    help="A product not in the registry, by category (slug, id or name); with --hs or alone.",
)
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
@click.option(
    "--fact",
    "facts",
    multiple=True,
    metavar="FACT=VALUE",
    help="A fact about the product and how it is sold (repeatable; several values joined "
    "by +), e.g. --fact prepackaged=yes --fact packaging=glass+metal --fact claims=none. "
    "Facts: " + "; ".join(f"{f.value} ({', '.join(s.answers)})" for f, s in FACTS.items()),
)
def apply_command(
    product: str | None,
    hs: str | None,
    category: str | None,
    as_of: datetime | None,
    role: str | None,
    mandatory_only: bool,
    csv_path: Path | None,
    xlsx_path: Path | None,
    facts: tuple[str, ...],
) -> None:
    """Print which standards and regulations apply to PRODUCT (id, slug, name or alias), and why;
    or, with --hs and/or --category instead, to a product not in the registry; with facts,
    what they rule out and what still depends on a question; then what the producer has to do
    because of the documents that apply."""
    if (product is None) == (hs is None and category is None):
        raise click.UsageError("name a PRODUCT, or describe one by --hs and/or --category")
    try:
        given = parse_facts(facts)
    except FactsError as exc:
        raise click.BadParameter(str(exc), param_hint="--fact") from None
    engine = make_engine()
    started = time.perf_counter()
    described: list[str] = []
    categories: tuple[int, ...] | None = None  # a described product's (a registered one: its own)
    with Session(engine) as session:
        graph = CatalogGraph.load(session)
        try:
            if product is not None:
                answer = applicable(
                    session,
                    product,
                    as_of.date() if as_of else None,
                    role=Role(role) if role else None,
                    mandatory_only=mandatory_only,
                    graph=graph,
                )
            else:
                answer, described, categories = _described(
                    session, graph, hs, category, as_of, role, mandatory_only
                )
        except ProductNotFound as exc:
            raise click.ClickException(str(exc)) from exc
        settled = apply_facts(answer, given, graph.facts)
        todo = plan_for(session, answer, settled if given else None, categories=categories)
    elapsed = (time.perf_counter() - started) * 1000
    click.echo(
        "\n".join(described)
        + ("\n" if described else "")
        + render(answer, settled if given else None)
    )
    click.echo(render_todo(todo))
    click.echo(
        f"\n{len(answer.entries)} in force ({len(answer.mandatory)} mandatory), "
        f"{len(answer.upcoming)} upcoming, {len(answer.withdrawn)} withdrawn, "
        f"{len(answer.out_of_scope)} out of scope; {len(todo.steps)} steps to take; "
        f"answered in {elapsed:.0f} ms "
        f"from {display_url(database_url())}"
    )
    click.echo(facts_summary(settled))
    if csv_path:
        csv_path.write_bytes(checklist.to_csv(answer, settled if given else None, todo))
        click.echo(f"wrote {csv_path}")
    if xlsx_path:
        xlsx_path.write_bytes(checklist.to_xlsx(answer, settled if given else None, todo))
        click.echo(f"wrote {xlsx_path}")


def _described(
    session: Session,
    graph: CatalogGraph,
    hs: str | None,
    category: str | None,
    as_of: datetime | None,
    role: str | None,
    mandatory_only: bool,
) -> tuple[Applicability, list[str], tuple[int, ...]]:
    """The answer for a described product, the lines saying which categories it reached, and
    their ids."""
    try:
        found = answer_in(
            session,
            graph,
            describe(session, hs, category),
            as_of.date() if as_of else clock.today(),
            role=Role(role) if role else None,
            mandatory_only=mandatory_only,
        )
    except Problem as exc:
        parameter = exc.fields.get("parameter")
        hint = f"--{parameter}" if parameter else "--hs / --category"
        raise click.BadParameter(exc.detail or "", param_hint=hint) from exc
    lines = [f"category {c.name_vi} [{c.slug}]: {c.why}" for c in found.schema.categories]
    return found.answer, lines + [f"note: {n}" for n in found.schema.notes], found.category_ids


def render(answer: Applicability, settled: FactsAnswer | None = None) -> str:
    """The answer as a plain-text table, one block per document; settled by facts, the
    documents they rule out are listed last, each with the condition it fails."""
    p = answer.product
    lines = [
        f"{p.name_vi}{f' [{p.slug}]' if p.slug else ''} — {p.category or 'no category'}, "
        f"{p.locality or 'locality unknown'}",
        f"as of {answer.as_of.isoformat()}",
    ]

    def kept(entries: tuple[Entry, ...]) -> tuple[Entry, ...]:
        return settled.kept(entries) if settled else entries

    sections = [
        ("MANDATORY", kept(answer.mandatory)),
        ("VOLUNTARY", kept(answer.voluntary)),
        ("UPCOMING (not yet in force)", kept(answer.upcoming)),
        ("WITHDRAWN (no successor)", kept(answer.withdrawn)),
        ("OUT OF SCOPE", kept(answer.out_of_scope)),
    ]
    if settled:
        out = tuple(e for e in answer.entries if e not in settled.kept(answer.entries))
        sections.append(("RULED OUT BY THE FACTS", out))
    for title, entries in sections:
        if not entries:
            continue
        lines += ["", f"{title} ({len(entries)})"]
        lines += [_row(i, e, settled) for i, e in enumerate(entries, 1)]
    if not any(entries for _, entries in sections):
        lines += ["", "nothing applies (no rule reaches this product)"]
    return "\n".join(lines)


def facts_summary(settled: FactsAnswer) -> str:
    """What the facts given (and the product's defaults) settle, and the questions left."""
    counts = settled.counts()
    lines = []
    if settled.given or settled.defaults:
        given = facts_text(settled.given, "en") or "none"
        defaults = f" (registry: {facts_text(settled.defaults, 'en')})" if settled.defaults else ""
        lines.append(
            f"facts: {given}{defaults}: {counts[Verdict.APPLIES]} apply, "
            f"{counts[Verdict.DOES_NOT_APPLY]} ruled out, {counts[Verdict.DEPENDS_ON]} depend "
            "on a question"
        )
    if questions := settled.questions():
        asked = ", ".join(f"{fact.value} ({n})" for fact, n in questions)
        lines.append(f"questions that would settle more (--fact): {asked}")
    return "\n".join(lines)


def _row(index: int, entry: Entry, settled: FactsAnswer | None = None) -> str:
    doc = entry.document
    roles = ", ".join(r.label_en.lower() for r in entry.roles)
    since = f", from {doc.effective_from.isoformat()}" if doc.effective_from else ""
    head = f"{index:>3}. {doc.code:<24} {roles:<30} {doc.title_vi or ''}"
    lines = [head.rstrip(), f"       status: {doc.status.label_en.lower()}{since}"]
    lines += [
        f"       why: {r.text}"
        + (f" ({cited_words(r.cited_edition, 'en')})" if r.cited_edition else "")
        + (f" — if {r.condition}" if r.condition else "")
        + (f" — basis {r.legal_basis}" if r.legal_basis else "")
        for r in entry.reasons
    ]
    lines += [f"       note: {n}" for n in entry.notes]
    if settled:
        lines.append(f"       facts: {verdict_words(settled.of(entry), 'en')}")
    return "\n".join(lines)


def render_todo(plan: ObligationPlan) -> str:
    """The steps to take, one block each: what, how binding, basis, where, which documents."""
    if not plan.steps:
        return "\nTO DO: no step follows from these documents"
    lines = ["", f"TO DO ({len(plan.steps)} steps)"]
    for index, item in enumerate(plan.steps, 1):
        step = item.step
        lines.append(f"{index:>3}. [{item.status_label[1]}] {step.action_en}")
        if step.condition_en:
            lines.append(f"       when: {step.condition_en}")
        lines.append(f"       basis: {item.basis} ({step.review.label_en.lower()})")
        lines.append(f"       authority: {step.authority_en or 'not confirmed'}")
        lines.append(f"       documents: {', '.join(d.code for d in item.documents)}")
    return "\n".join(lines)
