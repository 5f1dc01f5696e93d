"""Alembic environment: runs migrations on the connection or URL handed in by catalog.migrate."""

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import catalog.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from catalog.store import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                _run_sqlite(connection)
            else:
                with connection.begin():
                    _run(connection)
    finally:
        engine.dispose()


def _run_sqlite(connection: Connection) -> None:
    """Migrate with foreign keys off, as SQLite asks for table rebuilds (batch mode): with
    them on, dropping the old table would cascade-delete the rows that refer to it. The
    keys are checked once the migration is committed."""
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside a transaction, or ignored
    connection.commit()
    try:
        with connection.begin():
            _run(connection)
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        connection.commit()
        if broken:
            raise RuntimeError(f"foreign keys broken by the migration: {broken[:10]}")
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
