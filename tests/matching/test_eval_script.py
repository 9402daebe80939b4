"""The shared evaluation script, run through our CLI exactly as the held-out set will be."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest

from tests.conftest import SHARED

EVAL = SHARED / "eval"


@pytest.mark.skipif(not (EVAL / "score_matching.py").exists(), reason=f"{EVAL} is absent (../shared beside the repo)")
def test_dev_set_scores_at_least_095_with_no_confident_wrong_answer() -> None:
    raci = f"{shlex.quote(sys.executable)} -m bot.cli"
    run = subprocess.run([sys.executable, str(EVAL / "score_matching.py"), "--org", str(EVAL / "dev_org.yaml"),
                          "--queries", str(EVAL / "dev_queries.tsv"), "--raci", raci, "--min", "0.95"],
                         capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "confident wrong answers 0" in run.stdout
