"""The dependency rule of docs/architecture.md: core packages never import the Slack layer or Prometheus."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"
CORE = ("ownership", "matching", "raci_file", "escalations", "digest", "store", "learning", "matrix_view", "changes",
        "errors.py", "settings.py", "outage_log.py",
        "slack_syntax.py")
EDGE_ONLY = ("slack_bolt", "slack_sdk", "prometheus_client", "bot.slack", "bot.runtime", "bot.cli")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _core_modules() -> list[Path]:
    paths: list[Path] = []
    for name in CORE:
        target = BOT / name
        paths.extend(sorted(target.rglob("*.py")) if target.is_dir() else [target])
    return paths


@pytest.mark.parametrize("path", _core_modules(), ids=lambda p: str(p.relative_to(BOT)))
def test_core_modules_import_no_edge_code(path: Path) -> None:
    edge = {name for name in _imports(path) if name.split(".")[0] in EDGE_ONLY
            or any(name == e or name.startswith(e + ".") for e in EDGE_ONLY)}
    assert not edge, f"{path.relative_to(BOT)} imports {sorted(edge)}"
