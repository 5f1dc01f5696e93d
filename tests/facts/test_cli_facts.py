"""The command line with facts: the rules left untyped, and `tieuchuan apply --fact`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from api.cli import main


@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'bundled.db'}"
    env = {"DATABASE_URL": url}
    runner = CliRunner()
    for command in (["db", "upgrade"], ["ingest", "bundled"]):
        result = runner.invoke(main, command, env=env)
        assert result.exit_code == 0, result.output
    return env


def test_the_rules_report_lists_the_conditions_left_as_text(bundled_db):
    result = CliRunner().invoke(main, ["ingest", "report", "--source", "rules"], env=bundled_db)
    assert result.exit_code == 0, result.output
    assert "rules whose condition stays text only (not typed): 116" in result.output
    assert (
        "STT 132, 133, 134, 135, 136, 137, 138, 139, 140: Khi kiểm nghiệm mật ong" in result.output
    )
    typed = "Nếu đóng gói bằng bao bì thủy tinh, gốm, sứ"  # typed: not listed
    assert typed not in result.output
    other = CliRunner().invoke(main, ["ingest", "report", "--source", "products"], env=bundled_db)
    assert "text only" not in other.output  # asked for with --untyped after other runs
    asked = ["ingest", "report", "--source", "products", "--untyped"]
    assert "text only" in CliRunner().invoke(main, asked, env=bundled_db).output


def test_apply_with_facts_lists_what_they_rule_out(bundled_db):
    facts = ["--fact", "prepackaged=no", "--fact", "activity=growing+trading"]
    result = CliRunner().invoke(main, ["apply", "cam-sanh-ham-yen", *facts], env=bundled_db)
    assert result.exit_code == 0, result.output
    ruled_out = result.output[result.output.index("RULED OUT BY THE FACTS") :]
    assert "TCVN 7087:2013" in ruled_out
    assert "facts: Does not apply (needs Prepackaged: Yes, prepackaged)" in ruled_out
    assert "(registry: Claims: Geographical indication)" in result.output
    assert "questions that would settle more (--fact): claims" in result.output


def test_apply_without_facts_names_the_questions(bundled_db):
    result = CliRunner().invoke(main, ["apply", "cam-sanh-ham-yen"], env=bundled_db)
    assert result.exit_code == 0, result.output
    assert "RULED OUT" not in result.output and "facts: Depends" not in result.output
    assert "questions that would settle more (--fact): claims (5), prepackaged (3)" in result.output


def test_apply_refuses_a_wrong_fact(bundled_db):
    wrong = ["apply", "cam", "--fact", "prepackaged=maybe"]
    result = CliRunner().invoke(main, wrong, env=bundled_db)
    assert result.exit_code == 2
    assert "'maybe' is not an answer to prepackaged" in result.output
