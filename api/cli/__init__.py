"""The ``tieuchuan`` command: one entry point for the database, Meilisearch, ingest, search,
the API, the worker and the tools for officials. Each command group is its own module here.
"""

from __future__ import annotations

import click

from api.cli.apply import apply_command
from api.cli.db import db_group
from api.cli.declarations import declarations_group
from api.cli.index import index_group
from api.cli.ingest import ingest_group
from api.cli.keys import keys_group
from api.cli.meili import meili_group
from api.cli.opendata import export_command, import_command
from api.cli.plan import plan_group
from api.cli.reports import reports_group
from api.cli.serve import serve
from api.cli.up import up
from api.cli.webhooks import webhooks_group
from api.cli.worker import worker_command

__all__ = ["main"]

COMMANDS = (
    db_group,
    meili_group,
    up,
    serve,
    ingest_group,
    index_group,
    apply_command,
    keys_group,
    reports_group,
    declarations_group,
    webhooks_group,
    plan_group,
    worker_command,
    export_command,
    import_command,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Standards and technical regulations for Tuyên Quang's products."""


for _command in COMMANDS:
    main.add_command(_command)
