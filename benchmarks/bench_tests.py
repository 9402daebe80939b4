"""The test suite's wall and CPU time: the README's test command with PostgreSQL on, timed with its children.

CPU time (user + system of pytest, its xdist workers and the `python app.py` processes they start) is the figure
to compare on a shared, loaded machine; wall time depends on what else runs. The slowest tests are printed too.

    python benchmarks/bench_tests.py                     # the whole suite (README's command), PostgreSQL on
    python benchmarks/bench_tests.py tests/slack -n0     # any pytest arguments: a part, serially, ...
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def main(argv: list[str]) -> int:
    """Run pytest once with --durations=40 and print wall time, CPU time and load average."""
    env = dict(os.environ)
    env.setdefault("RACI_TEST_POSTGRES_URL", POSTGRES_URL)
    env.setdefault("RACI_TEST_POSTGRES_REQUIRED", "1")
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--durations=40",
                             *argv], cwd=REPO, env=env, check=False)
    wall = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"\nwall {wall:.1f} s, CPU {usage.ru_utime + usage.ru_stime:.1f} s (user {usage.ru_utime:.1f}, "
          f"system {usage.ru_stime:.1f}), load average {load_before:.1f} before / {os.getloadavg()[0]:.1f} after, "
          f"{os.cpu_count()} CPUs, exit {result.returncode}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
