"""Alembic environment: runs migrations on the connection or URL handed in by catalog.migrate."""

from alembic import context
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
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
