"""Helpers for RACI file tests: load a YAML snippet, pick findings."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot.raci_file.findings import Finding
from bot.raci_file.model import RaciDocument
from bot.raci_file.rules import check
from bot.raci_file.yaml_io import load_yaml

SHARED = Path(__file__).resolve().parents[3] / "shared"
DEV_ORG = SHARED / "eval" / "dev_org.yaml"
SOURCE = "raci.yaml"


def load(text: str) -> tuple[RaciDocument, list[Finding]]:
    """Load a dedented YAML snippet."""
    return load_yaml(textwrap.dedent(text).lstrip("\n"), source=SOURCE)


def findings_of(text: str) -> list[Finding]:
    """Loader and rule findings of a dedented YAML snippet, as `raci check` would report them."""
    doc, found = load(text)
    return found + check(doc, source=SOURCE)


def only(findings: list[Finding], kind: str) -> list[Finding]:
    return [finding for finding in findings if finding.kind == kind]


def brief(findings: list[Finding]) -> list[tuple[str, str, int | None]]:
    """(kind, subject, line) of each finding, to compare in one assert."""
    return [(finding.kind, finding.subject, finding.line) for finding in findings]
