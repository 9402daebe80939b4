"""Findings about a RACI matrix: errors, ownership gaps and warnings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["error", "gap", "warning"]
# Shown escaped: a NUL or an escape sequence from a file must not reach the admin's terminal raw.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


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
        return _UNPRINTABLE.sub(_escaped, f"{prefix}{self.kind}: {self.subject}: {self.message}")


def _escaped(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100 else f"\\u{ord(match.group()):04x}"


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.kind == "error"]
