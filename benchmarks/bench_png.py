"""PNG benchmark: the seed matrix, a full 60 x 40 picture (the largest one image holds), the trend chart.

Each figure is the median of several renders in this process (the first render, which loads fonts, is
reported apart). Matplotlib's text drawing dominates: the time grows with the letters on the picture.

    python benchmarks/bench_png.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bot.digest.trend import HealthPoint
from bot.matrix_view.picture import matrix_picture
from bot.matrix_view.png import trend_png
from tests.matrix_view.big_matrix import big_ownership
from tests.matrix_view.conftest import seed_ownership


def timed(render: Callable[[], bytes], runs: int) -> tuple[float, float, int]:
    started = time.perf_counter()
    size = len(render())
    first = time.perf_counter() - started
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render()
        times.append(time.perf_counter() - started)
    return first, statistics.median(times), size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    now = datetime.now(UTC)
    seed, big = seed_ownership(), big_ownership(60, 40)
    points = [HealthPoint(date(2025, 1, 6) + timedelta(weeks=i), 5 - i % 3, 2, i % 2) for i in range(12)]
    cases = {
        "seed matrix (11 x 6)": lambda: matrix_picture(seed, "", now=now).png,
        "60 activities x 40 roles": lambda: matrix_picture(big, "", now=now).png,
        "trend chart (12 weeks)": lambda: trend_png(points),
    }
    for name, render in cases.items():
        first, median, size = timed(render, args.runs)
        print(f"{name}: {median * 1000:.0f} ms median of {args.runs} (first {first * 1000:.0f} ms), "
              f"{size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
