"""Text to terms: the one pipeline both activity text and queries go through.

tokens -> stems -> (queries only) typo and compound repair -> joined-word merging ->
lexicon phrase folding -> filler removal -> lexicon concepts. Running activity text and
queries through the same steps is what makes "ci-cd pipelines" meet "CI/CD pipeline".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.matching import thresholds as t
from bot.matching.normalize import stem, tokenize
from bot.matching.stopwords import FILLER, FILLER_PHRASES

Key = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Term:
    """One unit of meaning: concept alternatives (best first) and the parts of a folded phrase."""

    concepts: tuple[tuple[str, float], ...]
    soft: tuple[str, ...] = ()

    @property
    def concept(self) -> str:
        """The best concept."""
        return self.concepts[0][0]


@dataclass(slots=True)
class _Token:
    raw: str
    stem: str
    sim: float = 1.0
    alts: tuple[tuple[str, float], ...] = ()
    parts: tuple[str, ...] = ()   # stems of the words merged into this one ("big", "query")


def phrase_key(text: str) -> Key:
    """Stems of a word or phrase, as the lexicon stores it."""
    return tuple(stem(token) for token in tokenize(text))


class Lexicon:
    """Synonym groups compiled to stem keys; groups sharing any key are merged."""

    def __init__(self, groups: Iterable[Sequence[str]]) -> None:
        parent: dict[Key, Key] = {}
        order: list[Key] = []

        def find(key: Key) -> Key:
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        for group in groups:
            keys = [key for key in (phrase_key(entry) for entry in group) if key]
            for key in keys:
                if key not in parent:
                    parent[key] = key
                    order.append(key)
            for key in keys[1:]:
                root_a, root_b = find(keys[0]), find(key)
                if root_a != root_b:
                    # The earlier group keeps its name, so user synonyms extend built-in ones.
                    first, second = sorted((root_a, root_b), key=order.index)
                    parent[second] = first
        self.concept_of: dict[Key, str] = {key: " ".join(find(key)) for key in order}
        self.single: dict[str, str] = {key[0]: c for key, c in self.concept_of.items() if len(key) == 1}
        phrases: dict[str, list[tuple[Key, str]]] = {}
        for key, concept in self.concept_of.items():
            if len(key) > 1:
                phrases.setdefault(key[0], []).append((key, concept))
        self.phrases: dict[str, tuple[tuple[Key, str], ...]] = {
            first: tuple(sorted(entries, key=lambda entry: -len(entry[0])))
            for first, entries in phrases.items()
        }
        self.tokens: frozenset[str] = frozenset(token for key in order for token in key)

    def surfaces(self, groups: Iterable[Sequence[str]]) -> dict[str, str]:
        """Single-word spellings in `groups` mapped to their stems (typo targets)."""
        words: dict[str, str] = {}
        for group in groups:
            for entry in group:
                tokens = tokenize(entry)
                if len(tokens) == 1:
                    words[tokens[0]] = stem(tokens[0])
        return words


class Analyzer:
    """Turns text into terms; knows the organisation's vocabulary for repairs and merges."""

    def __init__(self, lexicon: Lexicon, vocabulary: frozenset[str]) -> None:
        self.lexicon = lexicon
        # Stems of activity text: joined words ("bigquery") merge only into these.
        self.vocabulary = vocabulary
        self.known = vocabulary | lexicon.tokens | frozenset(lexicon.single)
        self.typos: Callable[[str], tuple[tuple[str, float], ...]] | None = None
        self.cooccur: Callable[[str, str], bool] | None = None

    def terms(self, text: str, *, query: bool = False) -> list[Term]:
        """Terms of `text`; queries also get typo and compound repair."""
        raws = _drop_filler_phrases(tokenize(text))
        tokens = [_Token(raw, stem(raw)) for raw in raws]
        if query:
            tokens = self._repair(tokens)
        tokens = self._merge_joined(tokens)
        return self._fold(tokens)

    def _repair(self, tokens: list[_Token]) -> list[_Token]:
        repaired: list[_Token] = []
        for token in tokens:
            if token.raw in FILLER or token.stem in self.known or token.raw.isdigit():
                repaired.append(token)
                continue
            parts = self._split(token.raw)
            if parts:
                repaired.extend(_Token(part, stem(part), t.SPLIT_SIMILARITY) for part in parts)
                continue
            # "retrain", "redeploy", "reindex": the same work done again.
            if token.raw.startswith("re") and stem(token.raw[2:]) in self.vocabulary:
                repaired.append(_Token(token.raw[2:], stem(token.raw[2:]), t.PREFIX_SIMILARITY))
                continue
            found = self.typos(token.raw) if self.typos else ()
            if not found and token.stem != token.raw and self.typos:
                found = self.typos(token.stem)
            if found:
                (best, sim), rest = found[0], found[1:]
                repaired.append(_Token(best, best, sim, rest))
            else:
                repaired.append(token)
        return repaired

    def _split(self, raw: str) -> tuple[str, str] | None:
        """Split a joined word ("bigquery", "postmortem") into two known words seen together."""
        if len(raw) < 6 or not raw.isalpha():
            return None
        middle = len(raw) // 2
        for cut in sorted(range(3, len(raw) - 2), key=lambda i: abs(i - middle)):
            left, right = raw[:cut], raw[cut:]
            left_stem, right_stem = stem(left), stem(right)
            known = left_stem in self.vocabulary and right_stem in self.vocabulary
            if known and (self.cooccur is None or self.cooccur(left_stem, right_stem)):
                return left, right
        return None

    def _merge_joined(self, tokens: list[_Token]) -> list[_Token]:
        """Merge adjacent words whose concatenation is a known word ("big query" -> "bigquery")."""
        merged: list[_Token] = []
        i = 0
        while i < len(tokens):
            if i + 1 < len(tokens):
                first, second = tokens[i], tokens[i + 1]
                joined = first.raw + second.raw
                joined_stem = stem(joined)
                # The joined stem must keep both words whole: stemming "consumer" + "ratings"
                # back to "consumer" is no compound.
                whole = len(joined_stem) >= len(first.stem) + len(second.stem) - 1
                known = joined_stem in self.vocabulary or joined_stem in self.lexicon.single
                if whole and known and joined not in FILLER:
                    parts = tuple(tok.stem for tok in (first, second) if tok.raw not in FILLER)
                    merged.append(_Token(joined, joined_stem, min(first.sim, second.sim), parts=parts))
                    i += 2
                    continue
            merged.append(tokens[i])
            i += 1
        return merged

    def _fold(self, tokens: list[_Token]) -> list[Term]:
        """Fold lexicon phrases into one term, drop filler, map words to concepts."""
        single = self.lexicon.single
        terms: list[Term] = []
        i = 0
        while i < len(tokens):
            folded = self._fold_phrase(tokens, i)
            if folded:
                term, width = folded
                terms.append(term)
                i += width
                continue
            token = tokens[i]
            i += 1
            if token.raw in FILLER:
                continue
            concept = single.get(token.stem, token.stem)
            concepts = ((concept, token.sim),) + tuple((single.get(alt, alt), sim) for alt, sim in token.alts)
            soft = tuple(dict.fromkeys(single.get(part, part) for part in token.parts))
            terms.append(Term(concepts, tuple(part for part in soft if part != concept)))
        return terms

    def _fold_phrase(self, tokens: list[_Token], start: int) -> tuple[Term, int] | None:
        for key, concept in self.lexicon.phrases.get(tokens[start].stem, ()):
            parts = tokens[start : start + len(key)]
            if len(parts) == len(key) and all(tok.stem == part for tok, part in zip(parts, key, strict=True)):
                soft = tuple(
                    dict.fromkeys(
                        self.lexicon.single.get(tok.stem, tok.stem) for tok in parts if tok.raw not in FILLER
                    )
                )
                soft = tuple(part for part in soft if part != concept)
                return Term(((concept, min(tok.sim for tok in parts)),), soft), len(key)
        return None


_FILLER_PHRASES_BY_FIRST: dict[str, list[Key]] = {}
for _phrase in sorted(FILLER_PHRASES, key=len, reverse=True):
    _FILLER_PHRASES_BY_FIRST.setdefault(_phrase[0], []).append(_phrase)


def _drop_filler_phrases(raws: list[str]) -> list[str]:
    """Remove multi-word filler ("point of contact", "in charge of") before anything else."""
    kept: list[str] = []
    i = 0
    while i < len(raws):
        for phrase in _FILLER_PHRASES_BY_FIRST.get(raws[i], ()):
            if tuple(raws[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            kept.append(raws[i])
            i += 1
    return kept
