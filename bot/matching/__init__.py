"""Free-text matching of questions to RACI activities: pure, in memory, built once per matrix."""

from __future__ import annotations

from bot.matching.matcher import Matcher
from bot.matching.model import ActivityText, Candidate, MatchResult, Phrase

__all__ = ["ActivityText", "Candidate", "MatchResult", "Matcher", "Phrase"]
