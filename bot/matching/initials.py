"""Initialisms read from the activities' own words: "LIS" <-> "Laboratory information system".

Both directions use only what the matrix says, never a list of known expansions:

- *forward*: the initials of a name or alias (or of one of its parts between "&", "/", "(",
  ",") of 3 to 6 words become a hidden alias of that activity, so "who owns the CDW?" finds
  "Clinical data warehouse";
- *reverse*: an acronym written in capitals in a name or alias ("HRIS", "ATS", "ASNs") is what 3 to 6
  consecutive query words abbreviate when their initials spell it, so "human resources
  information system" finds "HRIS (Workday)".

An initialism must be 3-6 letters and no word English uses (Zipf below INITIALISM_MAX_ZIPF; a
2-letter one, "OR" or "DR", is too often something else), nor a word the organisation uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.matching.english import zipf
from bot.matching.normalize import tokenize
from bot.matching.stopwords import FILLER

# Initials that spell a word English uses ("ski" of "Support kafka import", "sap", "cat") are
# read as that word: 3.5 keeps LIS (3.1), ATS (3.0), CDW (2.0) and drops "ski" (3.9).
INITIALISM_MAX_ZIPF = 3.5
MIN_LETTERS = 3
MAX_LETTERS = 6
# Small words an initialism may skip or keep ("bill of materials" is BOM; "terms and conditions").
JOINERS = frozenset({"and", "of", "for", "the"})
# Where a name splits into parts that may have initialisms of their own.
_PARTS = re.compile(r"[&/(),;:+]| - ")
_BRACKETS = re.compile(r"\([^()]*\)")
# An acronym as names write it: capitals, maybe a plural "s" ("HRIS", "ASNs", "ATS").
_ACRONYM = re.compile(rf"(?<![\w-])([A-Z]{{{MIN_LETTERS},{MAX_LETTERS}}})(s?)(?![\w-])")


def _spellings(words: list[str]) -> set[str]:
    """Initials of `words`, with and without their joiners."""
    kept = [word for word in words if word not in JOINERS]
    found = {"".join(word[0] for word in words), "".join(word[0] for word in kept)}
    return {initials for initials in found if MIN_LETTERS <= len(initials) <= MAX_LETTERS}


def of_text(text: str) -> set[str]:
    """Initialisms of a whole name or alias and of each of its parts of 3+ words."""
    found: set[str] = set()
    # A product in brackets ("(Workday)") is no part of the name's initialism.
    for piece in [_BRACKETS.sub(" ", text), *_PARTS.split(text)]:
        words = [word for word in tokenize(piece) if word[0].isalpha()
                 and (word not in FILLER or word in JOINERS)]
        while words and words[-1] in JOINERS:
            words.pop()
        while words and words[0] in JOINERS:
            words.pop(0)
        if len([word for word in words if word not in JOINERS]) >= MIN_LETTERS:
            found |= _spellings(words)
    return {initials for initials in found if zipf(initials) < INITIALISM_MAX_ZIPF}


def acronyms(texts: Iterable[str]) -> dict[str, str]:
    """Acronyms written in capitals in names and aliases ("HRIS", "ASNs"), keyed by the initials they spell."""
    table: dict[str, str] = {}
    for text in texts:
        for letters, plural in _ACRONYM.findall(text):
            # "ASNs" is spelled by "advance shipping notices": the initials are without the "s".
            table.setdefault(letters.lower(), (letters + plural).lower())
    return table


def spelled(words: list[str], table: dict[str, str]) -> tuple[int, str] | None:
    """(how many of `words` from the start spell an acronym of `table`, that acronym), longest first."""
    found = [hit for skip in (False, True) if (hit := _spelled(words, table, skip_joiners=skip)) is not None]
    return max(found, key=lambda hit: hit[0], default=None)


def _spelled(words: list[str], table: dict[str, str], *, skip_joiners: bool) -> tuple[int, str] | None:
    """The longest acronym the first words spell, joiners ("of", "and") counted as letters or skipped."""
    best: tuple[int, str] | None = None
    letters = ""
    content = 0
    for count, word in enumerate(words[:MAX_LETTERS * 2], start=1):
        joiner = word in JOINERS
        if (word in FILLER and not joiner) or (joiner and count == 1):
            break
        if joiner and skip_joiners:
            continue
        content += not joiner
        if not word[0].isalpha():
            break
        letters += word[0]
        if len(letters) > MAX_LETTERS:
            break
        if (content >= MIN_LETTERS and words[count - 1] not in JOINERS and letters in table
                and (best is None or count > best[0])):
            best = (count, table[letters])
    return best
