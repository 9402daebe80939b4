"""`/raci matrix [filter | team]`: the matching part of the grid as a PNG, and the page when it does not fit."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.errors import RaciError, UnknownTeam
from bot.matrix_view import limits
from bot.matrix_view.grid import Grid, build_grid, filter_grid
from bot.matrix_view.html import render_page
from bot.ownership.index import Ownership


class NothingMatches(RaciError):
    """A filter that names no activity, role or person."""


@dataclass(frozen=True)
class MatrixPicture:
    """The PNG of (the first part of) what matched, and the whole page when the PNG could not hold it."""

    png: bytes
    scope: str  # "Org-wide" or a team's name
    filter: str
    activities: int  # in the image
    matching: int  # activities that matched
    columns: int
    matching_columns: int
    page: str | None = None  # the HTML page, when activities or columns were left out of the image

    @property
    def more(self) -> int:
        return self.matching - self.activities


def matrix_picture(ownership: Ownership, text: str, *, now: datetime) -> MatrixPicture:
    """A team's name or key shows that team's matrix; anything else filters activities, roles and people."""
    wanted = " ".join(text.split())[: limits.FILTER_MAX_CHARS]
    team, filter_text = _team_or_filter(ownership, wanted)
    whole = build_grid(ownership, team=team)
    if not whole.rows:
        raise NothingMatches("the matrix has no activities yet: `raci import` a RACI file first")
    grid = filter_grid(whole, filter_text)
    if not grid.rows:
        raise NothingMatches(f"no activity, role or person matches {filter_text!r}")
    shown = replace(grid, rows=grid.rows[: limits.PNG_MAX_ACTIVITIES], columns=grid.columns[: limits.PNG_MAX_COLUMNS])
    if len(shown.columns) < len(grid.columns):
        shown = replace(shown, rows=tuple(replace(r, cells=r.cells[: limits.PNG_MAX_COLUMNS]) for r in shown.rows))
    scope = grid.team_name or "Org-wide"
    cut = len(shown.rows) < len(grid.rows) or len(shown.columns) < len(grid.columns)
    from bot.matrix_view.png import grid_png  # matplotlib (~0.3 s to import) only when a picture is drawn

    png = grid_png(shown, title=_title(scope, filter_text), note=_note(grid, shown, now))
    page = render_page(ownership, team=team, now=now) if cut else None
    return MatrixPicture(png, scope, filter_text, len(shown.rows), len(grid.rows), len(shown.columns),
                         len(grid.columns), page)


def _team_or_filter(ownership: Ownership, text: str) -> tuple[str | None, str]:
    if not text:
        return None, ""
    try:
        return ownership.team(text).key, ""
    except UnknownTeam:
        return None, text


def _title(scope: str, filter_text: str) -> str:
    return f"RACI matrix · {scope}" + (f" · matching “{filter_text}”" if filter_text else "")


def _note(grid: Grid, shown: Grid, now: datetime) -> str:
    parts = [f"{len(shown.rows)} of {len(grid.rows)} activities", f"{len(shown.columns)} of {len(grid.columns)} roles",
             f"revision {grid.revision}", now.strftime("%Y-%m-%d %H:%M %Z").strip(),
             "! marks an ownership gap or a vacant role"]
    return " · ".join(parts)
