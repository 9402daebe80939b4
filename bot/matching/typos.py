"""Typo lookup over the vocabulary of distinct words, never over activities.

Words within one edit (insert, delete, substitute, swap of neighbours) are found through
a deletion index: a word and a typo of it share a one-letter deletion. Long words may
carry two edits; those are checked with rapidfuzz over words of the same first letter
and similar length only.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.matching import thresholds as t

Found = tuple[tuple[str, float], ...]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class TypoIndex:
    """Finds the vocabulary words closest to a misspelt token, returning their stems."""

    def __init__(self, words: Mapping[str, str]) -> None:
        # word -> stem; raw spellings and stems are both targets, so a typo is caught
        # whether it sits in the ending ("monitering") or the root ("dokcer").
        self._stem_of = {word: stem for word, stem in words.items() if len(word) >= t.TYPO_MIN_LEN}
        self._deletes: dict[str, list[str]] = {}
        self._by_shape: dict[tuple[str, int], list[str]] = {}
        for word in self._stem_of:
            for variant in _deletions(word) | {word}:
                self._deletes.setdefault(variant, []).append(word)
            if len(word) >= t.TYPO_TWO_EDITS_LEN - 2:
                self._by_shape.setdefault((word[0], len(word)), []).append(word)
        self.lookup = lru_cache(maxsize=t.TYPO_CACHE_SIZE)(self._lookup)

    def __len__(self) -> int:
        return len(self._stem_of)

    def _lookup(self, token: str) -> Found:
        # Long "words" (hashes, mash) are no typo of anything, and would cost O(n^2) below.
        if not t.TYPO_MIN_LEN <= len(token) <= t.MAX_TYPO_WORD or not token.isalpha():
            return ()
        found = self._one_edit(token)
        if not found and len(token) >= t.TYPO_TWO_EDITS_LEN:
            found = self._two_edits(token)
        return found

    def _one_edit(self, token: str) -> Found:
        candidates: set[str] = set()
        for variant in _deletions(token) | {token}:
            candidates.update(self._deletes.get(variant, ()))
        hits = []
        for word in candidates:
            if word == token or OSA.distance(token, word, score_cutoff=1) > 1:
                continue
            # Four letters leave too little to tell a typo from another word ("plan"/"plant");
            # only a swap of neighbours is trusted there.
            if len(token) == 4 and sorted(token) != sorted(word):
                continue
            hits.append((word, 1))
        return self._rank(token, hits)

    def _two_edits(self, token: str) -> Found:
        pool: list[str] = []
        for length in range(len(token) - 2, len(token) + 3):
            pool.extend(self._by_shape.get((token[0], length), ()))
        hits = [(word, int(edits)) for word, edits, _ in
                process.extract(token, pool, scorer=OSA.distance, score_cutoff=2, limit=None)]
        return self._rank(token, hits)

    def _rank(self, token: str, hits: list[tuple[str, int]]) -> Found:
        best: dict[str, float] = {}
        for word, edits in hits:
            sim = 1.0 - edits / max(len(token), len(word))
            stem = self._stem_of[word]
            if sim > best.get(stem, 0.0):
                best[stem] = sim
        return tuple(sorted(best.items(), key=lambda item: (-item[1], item[0])))
