"""The object of a who-question inside a longer message: "..., who owns the WAF" -> "the WAF"."""

from __future__ import annotations

import re

# Verbs people use to ask for an owner (a bare "who do i ask" is not one: its object may be anything).
# The object runs to the end of its sentence (?, !, a full stop
# before a space, a line break) or to a clause that starts something else ("or do i just ...").
_ASK = (r"own(?:s|er of|ers of)?|(?:is|are)\s+(?:responsible|accountable)\s+for|responsible\s+for|"
        r"accountable\s+for|in\s+charge\s+of|looks?\s+after|takes?\s+care\s+of|handles?|deals?\s+with|"
        r"manages?|maintains?|runs?|does|(?:is|are)\s+doing|doing")
_FOCUS = re.compile(
    r"\b(?:who(?:'s|’s|\s+is|\s+are)?\s+(?:" + _ASK + r")|(?:anyone|anybody|someone|somebody)\s+(?:"
    + _ASK + r")|owners?\s+(?:of|for))\s+(?P<focus>[^?!\n]+?)"
    r"(?=\s*(?:[?!\n]|\.\s|\.$|,\s+(?:or|and|but|so)\b|\s+or\s+do\b|$))",
    re.IGNORECASE,
)
MIN_WORDS = 1
MAX_CHARS = 200  # an object longer than this is a whole message, not the object of a question


def question_focus(query: str) -> str | None:
    """The object of the message's first who-question ("who owns X"); None when it asks none."""
    for found in _FOCUS.finditer(query):
        focus = found.group("focus").strip(" ,;:-")
        if not focus or len(focus) > MAX_CHARS or len(focus.split()) < MIN_WORDS:
            continue
        return focus
    return None
