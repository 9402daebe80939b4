"""Text to tokens: Slack markup removal, case and accent folding, a light stemmer."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Every Slack control sequence is wrapped in angle brackets: <@U1>, <#C1|name>, <!here>,
# <!subteam^S1>, <http://x|label>. None of them names a topic, labels included.
_SLACK_TOKEN = re.compile(r"<[^<>\n]*>")
# Plain-text mentions as people type them ("@bot", "@ana.silva").
_MENTION = re.compile(r"(?<![\w.])@[\w.-]+")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_CONTRACTION = re.compile(r"(?<=[a-z])['\u2019](?:s|re|ll|d|ve|m)\b")
_NEGATION = re.compile(r"n['\u2019]t\b")
_TOKEN = re.compile(r"[a-z0-9]+")


def clean_text(text: str) -> str:
    """Drop Slack markup, URLs and contractions; fold case and accents."""
    # The checks before each step keep index building fast: most activity text is plain.
    if "<" in text:
        text = _SLACK_TOKEN.sub(" ", text)
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold()
    if "'" in text or "\u2019" in text:
        text = _NEGATION.sub(" not", text)
        text = _CONTRACTION.sub("", text)
        text = text.replace("'", "").replace("\u2019", "")
    return text


def tokenize(text: str) -> list[str]:
    """Split cleaned text into lowercase alphanumeric tokens."""
    return _TOKEN.findall(clean_text(text))


# British spellings rewritten to American before suffixes are stripped, so that
# "labelling"/"labeling" and "optimisation"/"optimization" reach the same stem.
_BRITISH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"isation(s?)$"), r"ization\1"),
    (re.compile(r"is(e|es|ed|ing|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|es|ed|ing)$"), r"yz\1"),
    (re.compile(r"(?<=.{3})our(s?)$"), r"or\1"),
    (re.compile(r"(?<=..[^aeiou])tre(s?)$"), r"ter\1"),
    (re.compile(r"ogue(s?)$"), r"og\1"),
)
_VOWEL = re.compile(r"[aeiouy]")
# (suffix, replacement, shortest stem left): order matters, first hit wins per step.
_INFLECTION: tuple[tuple[str, str, int], ...] = (
    ("ies", "y", 3), ("ied", "y", 3), ("ings", "", 3), ("ing", "", 3), ("ed", "", 3),
)
_DERIVATION: tuple[tuple[str, str, int], ...] = (
    ("ations", "", 3), ("ation", "", 3), ("ators", "", 3), ("ator", "", 3), ("atory", "", 3),
    ("itions", "", 3), ("ition", "", 3), ("ments", "", 4), ("ment", "", 4),
    ("tions", "t", 3), ("tion", "t", 3), ("sions", "s", 3), ("sion", "s", 3),
    ("ness", "", 4), ("ity", "", 4), ("ate", "", 3), ("al", "", 5),
)


def _strip(word: str, rules: tuple[tuple[str, str, int], ...]) -> str:
    for suffix, replacement, shortest in rules:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if len(stem) >= shortest and _VOWEL.search(stem):
                return stem + replacement
            return word
    return word


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """Reduce a token to a stem shared by its plurals, verb forms and British spellings."""
    if len(token) <= 3 or not token.isalpha():
        return token
    word = token
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
    # "apis" and "gpus" are plurals, "analysis" and "status" are not.
    keep_is_us = len(word) >= 5 and word.endswith(("is", "us"))
    if word.endswith("s") and not word.endswith(("ss", "ies")) and not keep_is_us:
        word = word[:-1]
    inflected = _strip(word, _INFLECTION)
    # "updating" -> "updat" must meet "update" -> "upd" (the "-ate" rule below).
    if inflected != word and inflected.endswith("at") and len(inflected) >= 5:
        inflected = inflected[:-2]
    word = inflected
    derived = _strip(word, _DERIVATION)
    if derived != word and word.endswith("al"):
        # "transactional" -> "transaction" -> "transact": the adjective meets its noun.
        derived = _strip(derived, _DERIVATION)
    word = derived
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    # Undouble always (not only after a stripped suffix) so "bill"/"billing" and
    # "label"/"labelling" agree.
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word
