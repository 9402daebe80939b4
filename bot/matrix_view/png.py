"""The matrix grid and the ownership-health trend as PNG images, drawn with matplotlib.

Same input, same pixels, on every machine: the Agg canvas is used directly (no pyplot, no global
backend), the font is DejaVu Sans that ships inside matplotlib, the size and DPI are fixed, and the
PNG carries no software/version metadata.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from bot.digest.trend import HealthPoint
from bot.matrix_view import limits
from bot.matrix_view.grid import Grid, cell_class

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

# The page's Okabe-Ito palette (colour-blind safe); letters are printed on every cell as well.
FILL = {"A": "#D55E00", "R": "#0072B2", "C": "#F0E442", "I": "#CFE8F7"}
INK = {"A": "#ffffff", "R": "#ffffff", "C": "#000000", "I": "#000000"}
WEIGHT = {"A": "bold", "R": "bold", "C": "normal", "I": "normal"}
GAP = "#B00020"
GRID_LINE = "#c8c8c8"

_STABLE_RC: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.hashsalt": "raci-bot",
    "path.simplify": False,
    "text.hinting": "default",
    "figure.dpi": limits.PNG_DPI,
    "savefig.dpi": limits.PNG_DPI,
}


@contextmanager
def _stable() -> Iterator[None]:
    with matplotlib.rc_context(_STABLE_RC):
        yield


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(buffer, format="png", dpi=limits.PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


def _cut(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def grid_png(grid: Grid, *, title: str, note: str = "") -> bytes:
    """One image of the grid (the caller keeps it to PNG_MAX_ACTIVITIES rows and PNG_MAX_COLUMNS columns)."""
    n_rows, n_cols = max(len(grid.rows), 1), max(len(grid.columns), 1)
    top_in, bottom_in = limits.PNG_HEADER_HEIGHT_IN + 0.5, 0.4
    width = max(limits.PNG_NAME_WIDTH_IN + n_cols * limits.PNG_CELL_WIDTH_IN + 0.3, limits.PNG_MIN_WIDTH_IN)
    height = top_in + n_rows * limits.PNG_ROW_HEIGHT_IN + bottom_in
    with _stable():
        figure = Figure(figsize=(width, height), dpi=limits.PNG_DPI)
        ax = figure.add_axes((limits.PNG_NAME_WIDTH_IN / width, bottom_in / height,
                              n_cols * limits.PNG_CELL_WIDTH_IN / width, n_rows * limits.PNG_ROW_HEIGHT_IN / height))
        _draw_cells(ax, grid, n_rows, n_cols)
        _draw_labels(ax, grid)
        figure.text(0.1 / width, 1 - 0.1 / height, _cut(title, 120), ha="left", va="top", fontsize=12,
                    fontweight="bold")
        if note:
            figure.text(0.1 / width, 0.12 / height, _cut(note, 160), ha="left", va="bottom", fontsize=8, color="#444")
        return _png(figure)


def _draw_cells(ax: Axes, grid: Grid, n_rows: int, n_cols: int) -> None:
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    patches, colours = [], []
    for i, row in enumerate(grid.rows):
        for j, letters in enumerate(row.cells):
            if not letters:
                continue
            kind = cell_class(letters)
            patches.append(Rectangle((j, i), 1, 1))
            colours.append(FILL[kind])
            ax.text(j + 0.5, i + 0.5, letters, ha="center", va="center", color=INK[kind], fontweight=WEIGHT[kind],
                    fontstyle="italic" if kind == "I" else "normal", fontsize=8)
    ax.add_collection(PatchCollection(patches, facecolors=colours, edgecolors=GRID_LINE, linewidths=0.5))
    ax.set_xticks([j + 0.5 for j in range(n_cols)], minor=False)
    ax.set_yticks([i + 0.5 for i in range(n_rows)], minor=False)
    ax.set_xticks(range(n_cols + 1), minor=True)
    ax.set_yticks(range(n_rows + 1), minor=True)
    ax.grid(which="minor", color=GRID_LINE, linewidth=0.5)
    ax.tick_params(which="both", length=0, top=True, labeltop=True, bottom=False, labelbottom=False)


def _draw_labels(ax: Axes, grid: Grid) -> None:
    ax.set_xticklabels([("! " if c.problem else "") + _cut(c.name, limits.PNG_HEADER_CHARS) for c in grid.columns],
                       rotation=90, fontsize=8)
    ax.set_yticklabels([("! " if r.gaps else "") + _cut(r.activity, limits.PNG_NAME_CHARS) for r in grid.rows],
                       fontsize=8)
    for label, column in zip(ax.get_xticklabels(), grid.columns, strict=False):
        if column.problem:
            label.set_color(GAP)
        if column.kind == "person":
            label.set_fontstyle("italic")
    for label, row in zip(ax.get_yticklabels(), grid.rows, strict=False):
        if row.gaps:
            label.set_color(GAP)


SERIES = (("gaps", "activities with gaps", "#D55E00", "o"), ("vacant_roles", "vacant roles", "#0072B2", "s"),
          ("departed_holders", "departed holders", "#009E73", "^"), ("unconfirmed", "unconfirmed", "#CC79A7", "D"))


def trend_png(points: Sequence[HealthPoint]) -> bytes:
    """A small line chart of ownership health, one point per digest run (markers differ, not only colours)."""
    with _stable():
        figure = Figure(figsize=(6.4, 2.8), dpi=limits.PNG_DPI)
        ax = figure.add_axes((0.08, 0.2, 0.62, 0.68))
        xs = list(range(len(points)))
        for attr, label, colour, marker in SERIES:
            values = [getattr(p, attr) for p in points]
            if all(v is None for v in values):
                continue
            ax.plot(xs, [v if v is not None else float("nan") for v in values], color=colour, marker=marker,
                    markersize=4, linewidth=1.5, label=label)
        ax.set_xticks(xs, [p.week.strftime("%b %d") for p in points], rotation=45, fontsize=7, ha="right")
        ax.set_ylim(bottom=0)
        locator = ax.yaxis.get_major_locator()
        if isinstance(locator, MaxNLocator):  # the default AutoLocator is one; keep its steps, ticks on integers
            locator.set_params(integer=True)
        ax.grid(axis="y", color="#e0e0e0", linewidth=0.5)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=8)
        figure.text(0.08, 0.95, f"Ownership health, last {len(points)} digests", fontsize=10, fontweight="bold",
                    va="top")
        return _png(figure)
