"""The shape docs/architecture.md promises, checked on the source: catalog/ does no network
I/O and imports nothing above it, handlers take the app's services as dependencies instead of
reading ``app.state``, and the ``tieuchuan`` command imports at the top of its modules."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NETWORK = {"httpx", "aiohttp", "socket", "ssl", "requests", "urllib.request", "http.client"}
ABOVE_CATALOG = {"ingest", "search", "api"}
# Handlers that still read app.state themselves (the answer path, being reworked elsewhere).
# Shrink this set, never grow it: a handler takes what it needs from api/deps.py.
READS_APP_STATE = {"api/controllers/products.py", "api/controllers/applicable.py"}


def _imported(path: Path) -> list[tuple[int, str, bool]]:
    """(line, module, at module level) of every import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module, id(node) in top))
    return found


def _modules(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


def test_catalog_does_no_network_io_and_imports_nothing_above_it() -> None:
    offending = [
        f"{path.relative_to(REPO)}:{line}: {module}"
        for path in _modules("catalog")
        for line, module, _top in _imported(path)
        if module in NETWORK or module.split(".")[0] in NETWORK | ABOVE_CATALOG
    ]
    assert offending == []


def _reads_app_state(path: Path) -> list[int]:
    """Lines that read a name of ``app.state`` (``app.state.answers``, ``….get("search")``);
    handing ``app.state`` to the accessors of api/state.py is not reading it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "state"
        and (
            (isinstance(node.value.value, ast.Name) and node.value.value.id == "app")
            or (isinstance(node.value.value, ast.Attribute) and node.value.value.attr == "app")
        )
    ]


def test_handlers_take_services_as_dependencies_not_from_app_state() -> None:
    readers = {str(path.relative_to(REPO)) for path in _modules("api") if _reads_app_state(path)}
    assert readers <= READS_APP_STATE, sorted(readers - READS_APP_STATE)


def test_the_command_imports_at_the_top_of_its_modules() -> None:
    late = [
        f"{path.relative_to(REPO)}:{line}: {module}"
        for path in _modules("api/cli")
        for line, module, top in _imported(path)
        if not top
    ]
    assert late == []


def test_the_scans_see_what_they_look_for(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("import httpx\n\ndef f():\n    from search import query\n")
    assert _imported(source) == [(1, "httpx", True), (4, "search", False)]
    handler = tmp_path / "handler.py"
    handler.write_text(
        "a = request.app.state.answers\nb = app.state.get('search')\nc = engine_of(app.state)\n"
    )
    assert _reads_app_state(handler) == [1, 2]
