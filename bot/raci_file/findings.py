"""Findings about a RACI matrix: errors, ownership gaps and warnings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["error", "gap", "warning"]


@dataclass(frozen=True)
class Finding:
    """One finding; `subject` names the activity, role, person or team it concerns."""

    kind: Kind
    subject: str
    message: str
    line: int | None = None
    source: str | None = None

    def __str__(self) -> str:
        where = self.source or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.kind}: {self.subject}: {self.message}"


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.kind == "error"]
