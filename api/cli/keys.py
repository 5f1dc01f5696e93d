"""``tieuchuan keys …``: issue, list and revoke API keys."""

from __future__ import annotations

import click
from sqlmodel import Session, col, select

from api.auth import issue_key
from catalog import clock
from catalog.models import ApiKey, utcnow
from catalog.store import database_url, display_url, make_engine
from catalog.vocab import ApiRole


@click.group("keys")
def keys_group() -> None:
    """Issue, list and revoke API keys (only their SHA-256 is stored)."""


@keys_group.command("create")
@click.option("--role", type=click.Choice([r.value for r in ApiRole]), required=True)
@click.option("--name", default=None, help="Who or what the key is for (default: role and date).")
def keys_create(role: str, name: str | None) -> None:
    """Issue a key with ROLE; it is printed once and cannot be recovered."""
    engine = make_engine()
    with Session(engine) as session:
        issued = issue_key(session, name or f"{role} {clock.today().isoformat()}", ApiRole(role))
    click.echo(
        f"issued key #{issued.id} {issued.name!r} with role {issued.role} "
        f"in {display_url(database_url())}"
    )
    click.echo(f"key (shown once; send it as X-API-Key): {issued.key}")


@keys_group.command("list")
def keys_list() -> None:
    """List keys: id, prefix, role, name, created, revoked."""
    with Session(make_engine()) as session:
        rows = session.exec(select(ApiKey).order_by(col(ApiKey.id))).all()
    for k in rows:
        revoked = f" revoked {clock.local(k.revoked_at):%Y-%m-%d}" if k.revoked_at else ""
        created = clock.local(k.created_at)
        click.echo(
            f"#{k.id} {k.prefix}… {k.role:<7} {k.name} (created {created:%Y-%m-%d}){revoked}"
        )
    click.echo(f"{len(rows)} key(s)")


@keys_group.command("revoke")
@click.argument("key_id", type=int)
def keys_revoke(key_id: int) -> None:
    """Revoke key KEY_ID: it stops working at once."""
    with Session(make_engine()) as session:
        key = session.get(ApiKey, key_id)
        if key is None:
            raise click.ClickException(f"no key #{key_id}")
        key.revoked_at = key.revoked_at or utcnow()
        session.add(key)
        session.commit()
        click.echo(f"revoked key #{key.id} {key.prefix}… ({key.name})")
