"""What makes a phrase learnable, checked once for the file, the CLI and Slack."""

from __future__ import annotations

import unicodedata

from bot.learning.limits import MAX_PHRASE_CHARS


def clean_phrase(text: str) -> str:
    """A phrase trimmed, its runs of whitespace collapsed, without trailing "?", "!" or "." (the same question)."""
    return " ".join(text.split()).rstrip("?!.… ")


def phrase_problem(text: str) -> str | None:
    """Why `text` cannot be a learned phrase, or None when it can."""
    if "\x00" in text:
        return "a learned phrase must not contain NUL bytes"
    if any(unicodedata.category(ch) == "Cc" and not ch.isspace() for ch in text):
        return "a learned phrase must not contain control characters"
    phrase = clean_phrase(text)
    if not phrase:
        return "a learned phrase must not be empty"
    if len(phrase) > MAX_PHRASE_CHARS:
        return f"a learned phrase must be at most {MAX_PHRASE_CHARS} characters, got {len(phrase)}"
    return None
