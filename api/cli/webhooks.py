"""``tieuchuan webhooks …``: deliver watch lists' changes to their webhooks."""

from __future__ import annotations

import click
from sqlmodel import Session

from api.webhooks.delivery import dispatch
from catalog.store import make_engine
from catalog.webhooks import RetryPolicy


@click.group("webhooks")
def webhooks_group() -> None:
    """Webhooks of watch lists."""


@webhooks_group.command("deliver")
@click.option("--attempts", type=int, default=5, show_default=True)
@click.option(
    "--first-delay",
    type=float,
    default=2.0,
    show_default=True,
    help="Seconds before the first retry; doubles each time.",
)
def webhooks_deliver(attempts: int, first_delay: float) -> None:
    """Send every watch list's new changes to its webhooks (signed, retried, logged)."""
    with Session(make_engine(), expire_on_commit=False) as session:
        summary = dispatch(session, policy=RetryPolicy(attempts=attempts, first_delay=first_delay))
    click.echo(
        f"{summary.webhooks} webhook(s): {summary.delivered} batch(es) delivered "
        f"({summary.changes} change(s)), {summary.failed} failed, {summary.attempts} attempt(s)"
    )
    for failure in summary.failures:
        click.echo(f"  failed: {failure}")
