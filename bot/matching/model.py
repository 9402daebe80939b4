"""The matcher's public value types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

MatchStatus = Literal["match", "ambiguous", "none"]
MATCH: Final = "match"
AMBIGUOUS: Final = "ambiguous"
NONE: Final = "none"


@dataclass(frozen=True, slots=True)
class ActivityText:
    name: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    learned: tuple[str, ...] = ()   # active learned phrases: matched like aliases, reported as "learned"


@dataclass(frozen=True, slots=True)
class Candidate:
    activity: str   # the activity's name exactly as given to the Matcher
    score: float    # 0..1


@dataclass(frozen=True, slots=True)
class MatchResult:
    status: MatchStatus
    activity: str | None        # set only for "match"
    score: float                # 0..1, best score (0 for empty)
    candidates: tuple[Candidate, ...]
