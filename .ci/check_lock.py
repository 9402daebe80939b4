"""Fail when requirements-test.lock no longer satisfies pyproject.toml (a dependency changed without .ci/lock)."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

root = Path(__file__).resolve().parent.parent
project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
wanted = [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["test"]]]
pinned: dict[str, list[str]] = {}
lock = (root / "requirements-test.lock").read_text()
for name, version in re.findall(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", lock, re.M):
    pinned.setdefault(canonicalize_name(name), []).append(version)
stale = [str(r) for r in wanted
         if not any(r.specifier.contains(v, prereleases=True) for v in pinned.get(canonicalize_name(r.name), []))]
if stale:
    sys.exit(f"requirements-test.lock does not satisfy {', '.join(stale)}: run .ci/lock and commit both lock files")
