"""How informative a word is in ordinary English, from wordfreq's maintained frequency list.

A query word that no activity explains counts against a match by how much it says: "lol",
"again" or "stuck" little, "deposit" more, "forklift" fully. The measure is the word's Zipf
frequency (log10 of occurrences per billion words) in the `wordfreq` package's large English
list, which merges Wikipedia, subtitles, news, books, web text, Twitter and Reddit, so chat
words ("lol", "rn", "pls") are in it. Only the package's data file is read (gzip + msgpack),
not its tokenizer stack, which keeps loading to a fraction of a second.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

import msgpack

from bot.matching import thresholds as t

# Words rarer than this are left out of the table (0, the rarest, for the weights); it sits
# below any sensible ENGLISH_RARE_ZIPF, so recalibrating never needs a bigger table.
_TABLE_FLOOR = 2.0
_ELONGATED = re.compile(r"(.)\1{2,}")


def _data_file() -> Path:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the wordfreq package is not installed (pip install wordfreq)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "large_en.msgpack.gz"


@lru_cache(maxsize=1)
def _zipf_table() -> dict[str, float]:
    """Words at least as common as _TABLE_FLOOR -> their Zipf frequency."""
    with gzip.open(_data_file(), "rb") as stream:
        data = msgpack.load(stream, raw=False)
    header, buckets = data[0], data[1:]
    if not isinstance(header, dict) or header.get("format") != "cB":
        raise RuntimeError(f"unexpected wordfreq data format: {header!r}")
    table: dict[str, float] = {}
    # Bucket i holds the words whose frequency is 10 ** (-i / 100): Zipf = 9 - i / 100.
    for centibels, words in enumerate(buckets):
        zipf = 9.0 - centibels / 100.0
        if zipf < _TABLE_FLOOR:
            break
        for word in words:
            table.setdefault(word, zipf)
    return table


def load() -> None:
    """Read the frequency list now (index building does, so no query pays for it)."""
    _zipf_table()


def zipf(word: str) -> float:
    """Zipf frequency of a lowercase word; 0 for words rarer than _TABLE_FLOOR."""
    table = _zipf_table()
    found = table.get(word, 0.0)
    if not found and _ELONGATED.search(word):
        # "heyyy", "sooo", "pleeease": the same word stretched for tone.
        found = max(table.get(_ELONGATED.sub(r"\1", word), 0.0), table.get(_ELONGATED.sub(r"\1\1", word), 0.0))
    return found


@lru_cache(maxsize=t.TYPO_CACHE_SIZE)
def informativeness(word: str) -> float:
    """How much an unexplained `word` says, 0 (as common as "the") to 1 (rare or unknown)."""
    if len(word) > t.MAX_TYPO_WORD:
        return 1.0
    span = t.ENGLISH_COMMON_ZIPF - t.ENGLISH_RARE_ZIPF
    share = (t.ENGLISH_COMMON_ZIPF - zipf(word)) / span
    return min(1.0, max(0.0, share))


def is_common_word(word: str) -> bool:
    """True for a word English uses often enough that it is no typo ("stuck" is not "stock")."""
    return zipf(word) >= t.REAL_WORD_ZIPF
