"""The matrix as one self-contained HTML page: no external scripts, fonts or styles, works from file://.

The page's fixed parts go through `html.escape`; the grid travels as JSON that cannot close its
<script> element (`<`, `>` and `&` are written as \\u escapes), and the script draws only the rows in
view, every name through textContent and title, so 2,000 x 40 opens at once and scrolls smoothly.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from importlib import resources
from typing import Any

from bot.matrix_view.grid import Column, Grid, Row, build_grid, cell_class
from bot.ownership.index import Ownership
from bot.raci_file.model import LETTER_NAMES, LETTERS


def render_page(ownership: Ownership, *, team: str | None = None, now: datetime, title: str = "RACI matrix") -> str:
    """The page for the whole matrix; `team` is shown first, every team is one click away."""
    scopes = [build_grid(ownership)] + [build_grid(ownership, team=t.key) for t in ownership.doc.teams]
    wanted = ownership.team(team).key if team else None  # an unknown team is an error, with a suggestion
    chosen = next(i for i, g in enumerate(scopes) if g.team == wanted)
    start = scopes[chosen]
    data = _page_data(scopes, chosen)
    return _TEMPLATE.format(
        title=escape(title), style=_asset("page.css"), script=_asset("page.js"), data=_json_for_script(data),
        team_picker=_team_picker(scopes, chosen), legend=_legend(),
        footer=escape(f"Generated {now.strftime('%Y-%m-%d %H:%M %Z').strip()} · matrix revision {start.revision} · "
                      f"{len(start.rows)} activities · {len(start.columns)} roles and people"),
    )


def _asset(name: str) -> str:
    return resources.files("bot.matrix_view").joinpath(name).read_text(encoding="utf-8")


def _json_for_script(data: Any) -> str:
    """JSON that is inert inside <script>: no "</script>", no "<!--", no U+2028/2029 surprises."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def _page_data(scopes: list[Grid], chosen: int) -> dict[str, Any]:
    first = scopes[0]
    return {
        "columns": [{"name": c.name, "person": c.kind == "person", "search": _search_text(c.key, c.name, *c.aliases)}
                    for c in first.columns],
        "rows": [{"name": r.activity, "search": _search_text(r.activity, *r.aliases),
                  "cells": [[j, cell, cell_class(cell)] for j, cell in enumerate(r.cells) if cell]}
                 for r in first.rows],
        "scopes": [{"name": g.team_name or "Org-wide", "team": g.team,
                    "columns": [{"title": _column_title(c), "problem": bool(c.problem),
                                 "search": _search_text(*c.members)} for c in g.columns],
                    "rows": {str(i): _row_title(r) for i, r in enumerate(g.rows) if r.gaps}}
                   for g in scopes],
        "chosen": chosen,
    }


def _search_text(*names: str) -> str:
    return "\n".join(" ".join(n.casefold().split()) for n in names)


def _column_title(column: Column) -> str:
    kind = "Role" if column.kind == "role" else "Assigned directly"
    lines = [f"{column.name} ({column.key}) · {kind}"]
    if column.problem:
        lines.append(f"⚠ {column.problem}")
    if column.members:
        lines.append("Members: " + ", ".join(column.members))
    return "\n".join(lines)


def _row_title(row: Row) -> str:
    return "\n".join([row.activity, *(f"⚠ {gap}" for gap in row.gaps)])


def _team_picker(scopes: list[Grid], chosen: int) -> str:
    if len(scopes) < 2:
        return ""
    options = "".join(f'<option value="{i}"{" selected" if i == chosen else ""}>{escape(g.team_name or "Org-wide")}'
                      "</option>" for i, g in enumerate(scopes))
    return f'<label>Team <select id="team">{options}</select></label>'


def _legend() -> str:
    return "".join(f'<span class="key {letter}">{letter}</span> {LETTER_NAMES[letter]} ' for letter in LETTERS) + (
        '<span class="key gap-key">!</span> ownership gap or vacant role (hover for why)')


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<div class="controls">
<label>Filter <input id="filter" type="search" placeholder="activity, role or person" autocomplete="off"></label>
{team_picker}
<span id="count" aria-live="polite"></span>
</div>
<div class="legend">{legend}</div>
</header>
<main id="scroller"><table id="grid"><thead></thead><tbody></tbody></table>
<noscript><p>This page draws the matrix with JavaScript; allow scripts for this file, or use
<code>raci export --format csv</code>.</p></noscript></main>
<footer>{footer}</footer>
<script type="application/json" id="raci-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""
