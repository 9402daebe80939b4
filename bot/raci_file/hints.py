"""Wording shared by the loaders and the rules: how a wrong value reads, "did you mean" hints."""

from __future__ import annotations

import difflib
from typing import Any


def describe(value: Any) -> str:
    """How a wrong value reads in a message: its YAML spelling and what YAML took it for."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value; quote it if you mean text)"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return repr(value)
    return f"{value} (a {type(value).__name__}; quote it if you mean text)"


def did_you_mean(word: Any, choices: Any) -> str:
    """A " (did you mean 'x'?)" hint, or "" when nothing is close."""
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
