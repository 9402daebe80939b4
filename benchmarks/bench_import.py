"""Import benchmark: generate matrices of 10,000 and 100,000 activities, import them, report time and memory.

Each import runs as its own `raci import` process (as an admin would run it), so its wall time,
CPU time and peak resident memory (from wait4) are its own; the files are written by another
child process, because a child's peak RSS counts the pages of the parent it was forked from.
A second import of the same file measures the no-change path, which reads the store back and
diffs it; `raci export` then measures dumping the whole store as YAML. On a shared machine the
CPU seconds (user + system) are the steadier figure; wall time includes waiting for a core.

    python benchmarks/bench_import.py                      # SQLite, 10k and 100k
    python benchmarks/bench_import.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    python benchmarks/bench_import.py --sizes 100000      # only the big one

The bar (issue 11): a first import of 100,000 activities in at most 12 s and 300 MB, on both.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.pg_schemas import drop_schema, new_schema

WORDS = ("data model feature pipeline deploy monitor alert billing search ranking payments fraud ledger "
         "invoice report dashboard cluster gateway cache queue stream backup restore audit access token "
         "release mobile web api schema index vector embedding training serving label quality drift").split()


def generate(n: int, seed: int = 7) -> dict:
    """A realistic-looking matrix: 30 roles, 500 people, n activities with aliases and descriptions."""
    rng = random.Random(seed)
    people = [{"handle": f"p{i}", "name": f"Person {i}", "email": f"p{i}@example.com"} for i in range(500)]
    roles = [{"key": f"r{i}", "name": f"Role {i}", "members": [f"p{(i * 7 + k) % 500}" for k in range(2)]}
             for i in range(30)]
    activities = []
    for i in range(n):
        words = rng.sample(WORDS, 3)
        keys = rng.sample(range(30), 4)
        activity = {"name": f"{' '.join(words).capitalize()} {i}",
                    "raci": {"R": [f"r{keys[0]}"], "A": [f"r{keys[1]}"], "C": [f"r{keys[2]}"], "I": [f"r{keys[3]}"]}}
        if i % 3 == 0:
            activity["aliases"] = [f"{words[0]}-{words[1]} {i}"]
        if i % 4 == 0:
            activity["description"] = f"Everything about {words[2]} and {words[0]} for unit {i}"
        activities.append(activity)
    return {"people": people, "roles": roles, "activities": activities}


def write_matrix(n: int, path: Path) -> None:
    """Write the generated matrix from a child process (keeps this process, the importers' parent, small)."""
    subprocess.run([sys.executable, __file__, "--write", str(n), str(path)], check=True)


def run_raci(args: list[str], url: str) -> tuple[float, float, float, int]:
    """Run `raci ARGS` in its own process: (wall seconds, CPU seconds, peak RSS in MB, exit code)."""
    env = dict(os.environ, DATABASE_URL=url)
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        print(proc.stderr.read().decode()[-2000:] if proc.stderr else "", file=sys.stderr)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated activity counts (default: 10000,100000)")
    ap.add_argument("--postgres", metavar="URL", help="also import into a fresh schema of this PostgreSQL")
    ap.add_argument("--write", nargs=2, metavar=("N", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.write:
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text = yaml.dump(generate(int(args.write[0])), Dumper=dumper, sort_keys=False)
        Path(args.write[1]).write_text(text, encoding="utf-8")
        return 0
    print("seconds are wall / CPU; MB is peak RSS")
    print(f"{'backend':10s} {'activities':>10s} {'file MB':>7s} {'first import s':>15s} {'MB':>4s} "
          f"{'re-import s':>12s} {'MB':>4s} {'export s':>10s} {'MB':>4s}")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"m{n}.yaml"
            write_matrix(n, path)
            backends = [("sqlite", f"sqlite:///{tmp}/b{n}.db", None)]
            if args.postgres:
                backends.append(("postgresql", *reversed(new_schema(args.postgres, prefix="bench_"))))
            for name, url, schema in backends:
                try:
                    runs = [run_raci(["import", str(path)], url), run_raci(["import", str(path)], url),
                            run_raci(["export", "--output", f"{tmp}/export.yaml"], url)]
                finally:
                    if schema is not None:  # a benchmark leaves nothing behind in the database
                        drop_schema(args.postgres, schema)
                failed |= any(code for *_, code in runs)
                cells = " ".join(f"{f'{wall:.1f}/{cpu:.1f}':>{width}s} {mb:4.0f}"
                                 for (wall, cpu, mb, _), width in zip(runs, (15, 12, 10), strict=True))
                print(f"{name:10s} {n:10d} {path.stat().st_size / 1e6:7.1f} {cells}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
