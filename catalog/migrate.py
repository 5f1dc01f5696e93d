"""Schema migrations (Alembic), driven from code so no alembic.ini is needed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from catalog.store import database_url, make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser treats % as interpolation; escape it in URLs with encoded characters.
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (default: the newest)."""
    command.upgrade(alembic_config(url), revision)


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None  # revision the database is at, None when never migrated
    head: str  # newest revision in the code
    pending: list[str]  # revisions still to apply, oldest first

    @property
    def up_to_date(self) -> bool:
        return not self.pending


def status(url: str | None = None) -> SchemaStatus:
    """Which revision the database is at and which are still to apply."""
    script = ScriptDirectory.from_config(alembic_config(url))
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
    head = script.get_current_head()
    if head is None:
        raise RuntimeError(f"no migration in {script.dir}")
    pending = [
        rev.revision for rev in script.iterate_revisions(head, current or "base") if rev.revision
    ]
    return SchemaStatus(current=current, head=head, pending=list(reversed(pending)))
