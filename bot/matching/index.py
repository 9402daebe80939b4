"""The in-memory index: activity text as terms, postings per concept, term weights."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from bot.matching import thresholds as t
from bot.matching.analyzer import Analyzer, Lexicon, Term
from bot.matching.lexicon import BUILTIN_SYNONYMS
from bot.matching.model import ActivityText
from bot.matching.normalize import stem, tokenize
from bot.matching.stopwords import FILLER, SITUATION, WEAK
from bot.matching.typos import TypoIndex

NAME, ALIAS, DESCRIPTION, LEARNED = 0, 1, 2, 3


class Entry:
    """One searchable text of an activity: its name, an alias, or its description."""

    __slots__ = ("activity", "kind", "terms", "soft", "weight")

    def __init__(self, activity: int, kind: int, terms: tuple[str, ...],
                 soft: dict[str, tuple[str, int]] | None) -> None:
        self.activity = activity
        self.kind = kind
        self.terms = terms
        # part of a folded phrase -> (the phrase's concept, its number of parts):
        # "testing" -> ("pentest", 2) for "penetration testing"
        self.soft = soft
        self.weight = 0.0


class ActivityIndex:
    """Everything the matcher needs, built once from the activities and synonym groups."""

    def __init__(self, activities: Sequence[ActivityText], synonyms: Iterable[Sequence[str]] = ()) -> None:
        groups = list(BUILTIN_SYNONYMS) + [tuple(group) for group in synonyms]
        self.names = [activity.name for activity in activities]
        self.number = {name: number for number, name in enumerate(self.names)}
        _check_unique(self.names)
        lexicon = Lexicon(groups)
        self.analyzer = Analyzer(lexicon, self._vocabulary(activities))
        entries: list[Entry] = []
        for number, activity in enumerate(activities):
            entries.extend(self._entries(number, activity))
        # Entry numbers run from the shortest name to the longest, descriptions last, so
        # "the first n entries of a posting" are the n it would fit best.
        entries.sort(key=lambda entry: (entry.kind == DESCRIPTION, len(entry.terms)))
        self.entries = entries
        by_activity: list[list[int]] = [[] for _ in activities]
        for number, entry in enumerate(entries):
            by_activity[entry.activity].append(number)
        self.activity_entries = [tuple(numbers) for numbers in by_activity]
        self.postings = self._postings()
        self.weights = self._weights(len(activities), lexicon)
        for entry in self.entries:
            entry.weight = sum(self.weights[term] for term in entry.terms)
        self.analyzer.typos = TypoIndex(self._typo_targets(activities, lexicon, groups)).lookup
        self.analyzer.cooccur = self._cooccur
        self.situation = frozenset(term.concept for word in SITUATION
                                   for term in self.analyzer.terms(word, query=True))

    def __len__(self) -> int:
        return len(self.names)

    def entries_of(self, activity: int) -> list[Entry]:
        """The name, alias and description entries of one activity."""
        return [self.entries[number] for number in self.activity_entries[activity]]

    def weight(self, concept: str) -> float:
        """Weight of a concept in a query; words no activity contains count as unknown."""
        found = self.weights.get(concept)
        if found is not None:
            return found
        if concept.isdigit():
            return t.NUMBER_WEIGHT
        return t.SITUATION_WEIGHT if concept in self.situation else t.UNKNOWN_WEIGHT

    @staticmethod
    def _vocabulary(activities: Sequence[ActivityText]) -> frozenset[str]:
        vocabulary: set[str] = set()
        for activity in activities:
            for text in _texts(activity):
                vocabulary.update(stem(token) for token in tokenize(text))
        return frozenset(vocabulary)

    def _entries(self, number: int, activity: ActivityText) -> list[Entry]:
        texts = [(NAME, activity.name)] + [(ALIAS, alias) for alias in activity.aliases]
        texts += [(LEARNED, phrase) for phrase in activity.learned]
        if activity.description:
            texts.append((DESCRIPTION, activity.description))
        entries = []
        for kind, text in texts:
            terms = self.analyzer.terms(text)
            if terms:
                entries.append(Entry(number, kind, *_entry_terms(terms)))
        return entries

    def _postings(self) -> dict[str, list[int]]:
        postings: dict[str, list[int]] = {}
        for number, entry in enumerate(self.entries):
            for concept in entry.terms:
                postings.setdefault(concept, []).append(number)
            for part in entry.soft or ():
                postings.setdefault(part, []).append(number)
        return postings

    def _weights(self, count: int, lexicon: Lexicon) -> dict[str, float]:
        frequency: dict[str, float] = {}
        for activity in range(count):
            seen: dict[str, float] = {}
            for entry in self.entries_of(activity):
                # A word only in a description makes an activity less "about" it.
                share = t.DESCRIPTION_DF_SHARE if entry.kind == DESCRIPTION else 1.0
                for concept in (*entry.terms, *(entry.soft or ())):
                    seen[concept] = max(seen.get(concept, 0.0), share)
            for concept, share in seen.items():
                frequency[concept] = frequency.get(concept, 0.0) + share
        weak = {lexicon.single.get(stem(word), stem(word)) for word in WEAK}
        # Pseudo-activities keep a tiny matrix from calling every shared word common.
        size = count + t.IDF_PSEUDO_ACTIVITIES
        top = math.log(size / 1.5)
        weights: dict[str, float] = {}
        for concept, df in frequency.items():
            idf = max(t.MIN_TERM_WEIGHT, min(1.0, math.log(size / (df + 0.5)) / top))
            weights[concept] = idf * (t.WEAK_FACTOR if concept in weak else 1.0)
        return weights

    def _typo_targets(self, activities: Sequence[ActivityText], lexicon: Lexicon,
                      groups: Sequence[Sequence[str]]) -> dict[str, str]:
        targets: dict[str, str] = {}
        for activity in activities:
            for text in _texts(activity):
                for token in tokenize(text):
                    if token not in FILLER and token.isalpha():
                        token_stem = stem(token)
                        targets[token] = token_stem
                        targets.setdefault(token_stem, token_stem)
        # Spellings from the synonym table whose concept occurs here ("kubernetes" for "K8s").
        present = self.weights
        for word, word_stem in lexicon.surfaces(groups).items():
            if lexicon.single.get(word_stem, word_stem) in present and word not in FILLER:
                targets.setdefault(word, word_stem)
        return targets

    def _cooccur(self, left_stem: str, right_stem: str) -> bool:
        single = self.analyzer.lexicon.single
        left = self.postings.get(single.get(left_stem, left_stem), [])
        right = self.postings.get(single.get(right_stem, right_stem), [])
        smaller, larger = sorted((left, right), key=len)
        return not set(smaller).isdisjoint(larger)


def _texts(activity: ActivityText) -> list[str]:
    return [activity.name, *activity.aliases, *activity.learned,
            *([activity.description] if activity.description else [])]


def _entry_terms(terms: list[Term]) -> tuple[tuple[str, ...], dict[str, tuple[str, int]] | None]:
    concepts = tuple(dict.fromkeys(term.concept for term in terms))
    soft = {part: (term.concept, len(term.soft))
            for term in terms for part in term.soft if part not in concepts}
    return concepts, soft or None


def _check_unique(names: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        key = name.casefold()
        if key in seen:
            raise ValueError(f"activity name {name!r} is given twice (names are unique ignoring case)")
        seen.add(key)
