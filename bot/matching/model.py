"""The matcher's public value types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

MatchStatus = Literal["match", "ambiguous", "none"]
MATCH: Final = "match"
AMBIGUOUS: Final = "ambiguous"
NONE: Final = "none"

# Why a match was made (`MatchResult.via`): the query is the activity's name or one of its
# aliases (term for term, typos allowed), an extra phrase's source tag ("learned"), words of
# its description, or words shared with a name or alias without being all of it.
VIA_NAME, VIA_ALIAS, VIA_DESCRIPTION, VIA_WORDS = "name", "alias", "description", "words"
VIA_LEARNED = "learned"  # an active learned phrase (bot/learning): matched like an alias


@dataclass(frozen=True, slots=True)
class ActivityText:
    name: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    learned: tuple[str, ...] = ()   # active learned phrases: matched like aliases, reported as "learned"


@dataclass(frozen=True, slots=True)
class Phrase:
    """An extra phrase that names an activity like an alias, tagged with where it came from."""

    text: str
    activity: str   # the activity's name, as in ActivityText.name
    via: str        # source tag reported as MatchResult.via, e.g. "learned"


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
    via: str | None = None      # set only for "match": see VIA_* above
    truncated: bool = False     # the query was longer than MAX_QUERY_CHARS; only its start was read
