"""HTML page benchmark: 2,000 activities x 40 roles, rendered in Python, then loaded in headless Chromium.

Reports the Python render time, the page's size, the browser's navigation timing (response end to
load event end: parse, style, layout and the filter script's first pass) and the time of one filter
keystroke and one team switch, each the median of several runs. Target: the page usable in < 1 s.

    python benchmarks/bench_html.py [--activities 2000] [--roles 40] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bot.matrix_view.html import render_page
from tests.matrix_view.big_matrix import big_ownership
from tests.matrix_view.chromium import chromium, unavailable

LOAD = """const n = performance.getEntriesByType('navigation')[0];
return {load: n.loadEventEnd - n.startTime, parsed: n.domContentLoadedEventEnd - n.startTime};"""
TYPE = """const box = document.getElementById('filter'); const t0 = performance.now();
box.value = arguments[0]; box.dispatchEvent(new Event('input'));
document.body.getBoundingClientRect(); document.querySelector('#grid tbody').offsetHeight;
return performance.now() - t0;"""
SWITCH = """const s = document.getElementById('team'); const t0 = performance.now();
s.value = arguments[0]; s.dispatchEvent(new Event('change')); document.querySelector('#grid').offsetHeight;
return performance.now() - t0;"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=2000)
    parser.add_argument("--roles", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    reason = unavailable()
    if reason:
        print(f"skipped: {reason}")
        return 0
    ownership = big_ownership(args.activities, args.roles)
    started = time.perf_counter()
    page = render_page(ownership, now=datetime.now(UTC))
    render_s = time.perf_counter() - started
    path = Path(tempfile.mkdtemp(prefix="raci-bench-")) / "matrix.html"
    path.write_text(page, encoding="utf-8")
    loads, parses, types, switches = [], [], [], []
    with chromium() as driver:
        for _ in range(args.runs):
            driver.get("about:blank")
            driver.get(path.as_uri())
            timing = driver.execute_script(LOAD)
            loads.append(timing["load"])
            parses.append(timing["parsed"])
            types.append(driver.execute_script(TYPE, "deploy"))
            driver.execute_script(TYPE, "")
            switches.append(driver.execute_script(SWITCH, "1"))
            driver.execute_script(SWITCH, "0")
    print(f"matrix: {args.activities} activities x {args.roles} roles, page {len(page.encode()) / 1e6:.2f} MB")
    print(f"python render_page: {render_s * 1000:.0f} ms")
    print(f"chromium load (navigation start -> load event end), median of {args.runs}: "
          f"{statistics.median(loads):.0f} ms (DOMContentLoaded {statistics.median(parses):.0f} ms); "
          f"target < 1000 ms: {'met' if statistics.median(loads) < 1000 else 'MISSED'}")
    print(f"filter keystroke ('deploy', ~1/4 of rows stay): {statistics.median(types):.0f} ms; "
          f"team switch: {statistics.median(switches):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
