"""The `tieuchuan` command: help everywhere, database commands, clear errors."""

from __future__ import annotations

import time

import click
import pytest
from click.testing import CliRunner

from api.cli import main
from search.server import free_port


def _all_commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _all_commands(command, (*path, name))


@pytest.mark.parametrize("path", [(), *_all_commands(main)], ids=" ".join)
def test_every_command_has_help(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    # Every command documents itself (the docstring becomes the help text).
    assert len(result.output.splitlines()) > 3


def test_db_upgrade_then_status(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    before = runner.invoke(main, ["db", "status"])
    assert before.exit_code == 1 and "run `tieuchuan db upgrade`" in before.output
    upgraded = runner.invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "migration(s) applied" in upgraded.output
    after = runner.invoke(main, ["db", "status"])
    assert after.exit_code == 0 and "pending:  none" in after.output


def test_meili_status_names_the_url_fast_when_unreachable(monkeypatch):
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("MEILI_URL", url)
    started = time.monotonic()
    result = CliRunner().invoke(main, ["meili", "status"])
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert url in result.output and "not reachable" in result.output


def test_apply_prints_the_to_do_list_and_writes_it(engine, session, monkeypatch, tmp_path):
    from factories import build_api_catalog

    build_api_catalog(session)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    out = tmp_path / "cam.csv"
    result = CliRunner().invoke(
        main, ["apply", "cam-sanh-ham-yen", "--as-of", "2024-01-01", "--csv", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "TO DO (4 steps)" in result.output
    assert "[Not confirmed as required] Meet and test against this standard" in result.output
    assert "basis: Nghị định 15/2018/NĐ-CP, Điều 5 khoản 1 điểm b" in result.output
    assert "; 4 steps to take;" in result.output
    assert "Việc cần làm / To do" in out.read_text(encoding="utf-8-sig")
