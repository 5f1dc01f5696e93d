"""Options several commands share, so that they read and say the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

DAY = click.DateTime(formats=["%Y-%m-%d"])

as_of_option = click.option(
    "--as-of", type=DAY, default=None, help="Day to answer for (default: today in TIEUCHUAN_TZ)."
)


def xlsx_option(what: str) -> Callable[[F], F]:
    """``--xlsx FILE``: also write ``what`` as a workbook there."""
    return click.option(
        "--xlsx",
        "xlsx_path",
        type=click.Path(path_type=Path),
        default=None,
        help=f"Also write {what} as a workbook here.",
    )
