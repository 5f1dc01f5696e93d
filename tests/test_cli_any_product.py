"""`tieuchuan apply --hs … --category …`: a product not in the registry, from the command line."""

from __future__ import annotations

from click.testing import CliRunner
from factories import build_api_catalog

from api.cli import main


def test_apply_by_hs_code_and_category(engine, session, monkeypatch, tmp_path):
    build_api_catalog(session)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    csv = tmp_path / "checklist.csv"
    found = runner.invoke(
        main, ["apply", "--hs", "0805.50", "--as-of", "2026-03-01", "--csv", str(csv)]
    )
    assert found.exit_code == 0, found.output
    lines = found.output.splitlines()
    assert lines[0] == (
        "category Trái cây [trai-cay]: the nearest category of the registered products in "
        "HS 0805: Bưởi Soi Hà (0805.40), Cam sành Hàm Yên (0805.10)"
    )
    assert lines[1] == "Sản phẩm chưa đăng ký: HS 0805.50, Trái cây — Trái cây, locality unknown"
    assert "TCVN 1873:2014" in found.output
    assert "TCVN 1873:2014" in csv.read_text(encoding="utf-8-sig")
    by_category = runner.invoke(main, ["apply", "--category", "che", "--as-of", "2026-03-01"])
    assert by_category.exit_code == 0, by_category.output
    assert "rule on category Chè (the category given)" in by_category.output


def test_apply_refuses_bad_descriptions(engine, session, monkeypatch):
    build_api_catalog(session)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    bad = runner.invoke(main, ["apply", "--hs", "09.02"])
    assert bad.exit_code == 2 and "its dots are misplaced" in bad.output
    assert "--hs" in bad.output
    unknown = runner.invoke(main, ["apply", "--category", "dien-thoai"])
    assert unknown.exit_code == 2 and "no category matches 'dien-thoai'" in unknown.output
    neither = runner.invoke(main, ["apply"])
    assert neither.exit_code == 2 and "describe one by --hs and/or --category" in neither.output
    both = runner.invoke(main, ["apply", "cam", "--hs", "0805"])
    assert both.exit_code == 2
