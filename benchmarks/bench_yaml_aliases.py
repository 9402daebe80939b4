"""YAML alias amplification: how long `raci check` takes on files whose activities alias one big list.

Each file defines one R list with an anchor and has every activity alias it (`R: *big`). Without
a limit the reader and the rules walk every expanded item (items x activities); with the limit in
bot/raci_file/limits.py the loader refuses the file as soon as the parse ends. Each case runs
`raci check FILE` in a fresh process (time and peak RSS), with a timeout.

    python benchmarks/bench_yaml_aliases.py                      # 6,000 x ~6,300 (269 KB) and 20,000 x 20,000
    python benchmarks/bench_yaml_aliases.py --timeout 30
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.raci_file.yaml_io import load_yaml  # noqa: E402 - after the path is set
from tests.raci_file.bombs import alias_bomb  # noqa: E402


def run_check(path: Path, timeout: float) -> tuple[str, float, float]:
    """(outcome, seconds, peak RSS in MB) of `raci check path` in a child process."""
    started = time.perf_counter()
    code = (
        "import resource, sys; from bot.cli import main; status = main(['check', sys.argv[1]]); "
        "sys.stderr.write('RSS %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(status)"
    )
    try:
        done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                              timeout=timeout, cwd=REPO)
    except subprocess.TimeoutExpired:
        return f"still running after {timeout:.0f} s (killed)", time.perf_counter() - started, float("nan")
    seconds = time.perf_counter() - started
    rss = next((int(line.split()[1]) / 1024 for line in done.stderr.splitlines() if line.startswith("RSS ")), 0.0)
    first_error = next((line for line in done.stdout.splitlines() if "error" in line), "(no error)")
    return f"exit {done.returncode}: {first_error[:150]}", seconds, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a case is killed")
    args = parser.parse_args()
    cases = {
        "6,000-item list, 269 KB": alias_bomb(6_000, size=269 * 1024),
        "20,000 x 20,000": alias_bomb(20_000, 20_000),
    }
    print(f"timeout {args.timeout:.0f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as directory:
        for label, text in cases.items():
            path = Path(directory) / "bomb.yaml"
            path.write_text(text, encoding="utf-8")
            outcome, seconds, rss = run_check(path, args.timeout)
            print(f"{label} ({len(text) / 1024:,.0f} KB): raci check {seconds:.2f} s (whole process), "
                  f"peak RSS {rss:,.0f} MB, {outcome}")
            if "killed" not in outcome:
                started = time.perf_counter()
                load_yaml(text, source=str(path))
                print(f"  load_yaml in this process: {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
