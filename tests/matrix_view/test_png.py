"""The matrix picture of the seed matrix against a committed golden image, and the trend chart's basics."""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from bot.digest.trend import HealthPoint
from bot.matrix_view.picture import NothingMatches, matrix_picture
from bot.matrix_view.png import trend_png
from bot.ownership.index import Ownership
from bot.raci_file.model import RaciDocument

GOLDEN = Path(__file__).resolve().parent / "golden" / "seed-matrix.png"
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
# Pixels may differ by anti-aliasing between FreeType builds; the layout, colours and letters may not.
MAX_CHANGED_PIXELS = 0.005  # share of pixels differing by more than TOLERANCE in any channel
TOLERANCE = 48


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def test_seed_matrix_picture_matches_the_golden_image(seed: Ownership) -> None:
    png = matrix_picture(seed, "", now=NOW).png
    if os.environ.get("RACI_UPDATE_GOLDEN") == "1":  # after an intended change: look at it, then commit it
        GOLDEN.write_bytes(png)
    got, want = _pixels(png), _pixels(GOLDEN.read_bytes())
    assert got.shape == want.shape, f"size {got.shape[1]}x{got.shape[0]}, golden {want.shape[1]}x{want.shape[0]}"
    changed = (np.abs(got - want).max(axis=2) > TOLERANCE).mean()
    assert changed <= MAX_CHANGED_PIXELS, f"{changed:.2%} of the pixels differ from {GOLDEN.name}"


def test_the_same_matrix_gives_the_same_bytes(seed: Ownership) -> None:
    assert matrix_picture(seed, "data", now=NOW).png == matrix_picture(seed, "data", now=NOW).png


def test_a_team_name_shows_that_teams_matrix_and_a_filter_narrows_it(seed: Ownership) -> None:
    team = matrix_picture(seed, "Search product team", now=NOW)
    assert (team.scope, team.filter, team.activities) == ("Search product team", "", 11)
    narrowed = matrix_picture(seed, "docker", now=NOW)
    assert (narrowed.scope, narrowed.activities, narrowed.columns, narrowed.page) == ("Org-wide", 1, 4, None)


def test_trend_chart_is_a_png_of_fixed_size() -> None:
    points = [HealthPoint(date(2025, 1, 6 + 7 * i), gaps=3 - i, vacant_roles=1, departed_holders=i % 2)
              for i in range(3)]
    image = Image.open(io.BytesIO(trend_png(points)))
    assert image.format == "PNG" and image.size == (640, 280)


def test_one_changed_letter_is_beyond_the_tolerance(seed: Ownership) -> None:
    docker = seed.activity("Docker packaging")
    docker.raci["A"] = ["ds"]  # was mlops: one cell moves, one changes colour
    got, want = _pixels(matrix_picture(seed, "", now=NOW).png), _pixels(GOLDEN.read_bytes())
    assert got.shape == want.shape
    assert (np.abs(got - want).max(axis=2) > TOLERANCE).mean() > MAX_CHANGED_PIXELS


def test_an_empty_matrix_or_an_unmatched_filter_is_a_clear_error(seed: Ownership) -> None:
    with pytest.raises(NothingMatches, match="no activity, role or person matches 'zzz'"):
        matrix_picture(seed, "zzz", now=NOW)
    with pytest.raises(NothingMatches, match="the matrix has no activities yet"):
        matrix_picture(Ownership(RaciDocument()), "", now=NOW)
