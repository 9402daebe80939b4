"""The in-memory index: activity text as terms, postings per concept, term weights."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from bot.matching import english, initials
from bot.matching import thresholds as t
from bot.matching.analyzer import RELATION_SEGMENT, Analyzer, Key, Lexicon, Term
from bot.matching.lexicon import BUILTIN_SYNONYMS
from bot.matching.model import VIA_ALIAS, VIA_DESCRIPTION, VIA_LEARNED, VIA_NAME, ActivityText, Phrase
from bot.matching.normalize import clean_text, stem, tokenize
from bot.matching.stopwords import FILLER, QUESTION_FILLER, SITUATION, WEAK
from bot.matching.typos import TypoIndex

# Entry kinds. An extra phrase (e.g. learned) is an alias-like entry with its own `via` tag.
NAME, ALIAS, DESCRIPTION = 0, 1, 2
# "wi-fi", "e-mail", "sign-on", "w-2": a two-part hyphenated word, also known joined.
_HYPHENATED = re.compile(r"(?<![a-z0-9-])([a-z0-9]+)-([a-z0-9]+)(?![a-z0-9]|-[a-z0-9])")


class Entry:
    """One searchable text of an activity: its name, an alias, or its description."""

    __slots__ = ("activity", "kind", "via", "terms", "soft", "weight")

    def __init__(self, activity: int, kind: int, via: str, terms: tuple[str, ...],
                 soft: dict[str, tuple[str, int]] | None) -> None:
        self.activity = activity
        self.kind = kind
        self.via = via   # what a complete fit on this entry reports: "name", "alias", "learned", ...
        self.terms = terms
        # part of a folded phrase -> (the phrase's concept, its number of parts):
        # "testing" -> ("pentest", 2) for "penetration testing"
        self.soft = soft
        self.weight = 0.0


class ActivityIndex:
    """Everything the matcher needs, built once from the activities and synonym groups."""

    def __init__(self, activities: Sequence[ActivityText], synonyms: Iterable[Sequence[str]] = (),
                 phrases: Iterable[Phrase] = ()) -> None:
        english.load()
        groups = list(BUILTIN_SYNONYMS) + [tuple(group) for group in synonyms]
        self.names = [activity.name for activity in activities]
        self.number = {name: number for number, name in enumerate(self.names)}
        _check_unique(self.names)
        learned = [Phrase(text, activity.name, VIA_LEARNED) for activity in activities
                   for text in activity.learned]
        extra = _extra_phrases(self.names, [*phrases, *learned])
        lexicon = Lexicon(groups)
        self.analyzer = Analyzer(lexicon, self._vocabulary(activities, extra), _kept_filler(activities, extra))
        # Initialisms are whole words only: never parts of a split or merged word, never typo targets.
        derived = _initialisms(activities, extra, lexicon)
        self.analyzer.known = self.analyzer.known | {p.text for ps in derived.values() for p in ps}
        for number, found in derived.items():
            extra.setdefault(number, []).extend(found)
        entries: list[Entry] = []
        for number, activity in enumerate(activities):
            entries.extend(self._entries(number, activity, extra.get(number, ())))
        self.exact = self._exact_keys(activities)
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
        self.analyzer.acronyms = initials.acronyms(
            text for activity in activities for text in (activity.name, *activity.aliases))
        self.situation = frozenset(term.concept for word in SITUATION
                                   for term in self.analyzer.terms(word, query=True))

    def __len__(self) -> int:
        return len(self.names)

    def entries_of(self, activity: int) -> list[Entry]:
        """The name, alias and description entries of one activity."""
        return [self.entries[number] for number in self.activity_entries[activity]]

    def weight(self, concept: str) -> float:
        """What a query term gives the activities that explain it (inverse document frequency)."""
        found = self.weights.get(concept)
        if concept.isdigit():
            # A bare number ("SOC 2", "Tier 2") never carries a match or an ambiguity alone.
            return min(found or t.NUMBER_WEIGHT, t.NUMBER_WEIGHT)
        if found is not None:
            return found
        return t.SITUATION_WEIGHT if concept in self.situation else t.UNKNOWN_WEIGHT

    def miss_weight(self, term: Term, weight: float) -> float:
        """What a query term costs an activity that does not explain it."""
        if term.surface in self.analyzer.kept_filler:
            return 0.0   # "ownership" counts for "Review model ownership", never against others
        if term.concept.isdigit() or not term.surface or " " in term.surface:
            return weight
        if term.concept in self.situation or term.run[1] == RELATION_SEGMENT:
            # What is wrong ("slow") or what the owner does ("who approves X") is not the topic.
            return min(weight, t.SITUATION_WEIGHT)
        if not term.surface.isalpha() and term.concept not in self.weights:
            return min(weight, t.NUMBER_WEIGHT)   # "500s", "2h", "3am": a count or a time, no topic
        # Chatter ("lol", "again", "who do i bug") says little in English; "forklift" a lot.
        return min(weight, english.informativeness(term.surface))

    @staticmethod
    def _vocabulary(activities: Sequence[ActivityText], extra: dict[int, list[Phrase]]) -> frozenset[str]:
        vocabulary: set[str] = set()
        for text in _all_texts(activities, extra):
            vocabulary.update(stem(token) for token in tokenize(text))
            # "Wi-Fi" is also "wifi": the joined form becomes a word the analyzer merges into.
            vocabulary.update(stem(left + right) for left, right in _HYPHENATED.findall(clean_text(text)))
        return frozenset(vocabulary)

    def _entries(self, number: int, activity: ActivityText, extra: Sequence[Phrase]) -> list[Entry]:
        texts = [(NAME, VIA_NAME, activity.name)] + [(ALIAS, VIA_ALIAS, alias) for alias in activity.aliases]
        texts += [(ALIAS, phrase.via, phrase.text) for phrase in extra]
        if activity.description:
            texts.append((DESCRIPTION, VIA_DESCRIPTION, activity.description))
        entries = []
        for kind, via, text in texts:
            terms = self.analyzer.terms(text)
            if terms:
                entries.append(Entry(number, kind, via, *_entry_terms(terms)))
        return entries

    def _exact_keys(self, activities: Sequence[ActivityText]) -> dict[Key, set[int]]:
        """Each name's and alias's words in order (filler dropped) -> the activities written so."""
        exact: dict[Key, set[int]] = {}
        for number, activity in enumerate(activities):
            for text in (activity.name, *activity.aliases):
                exact.setdefault(self.exact_key(text), set()).add(number)
        return exact

    def exact_key(self, text: str) -> Key:
        """The words of `text` in order, case, punctuation and filler aside."""
        kept = self.analyzer.kept_filler
        return tuple(stem(token) for token in tokenize(text) if token not in FILLER or token in kept)

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
        kept = self.analyzer.kept_filler
        for activity in activities:
            for text in _texts(activity):
                for token in tokenize(text):
                    if (token not in FILLER or token in kept) and token.isalpha():
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


def _extra_phrases(names: list[str], phrases: Iterable[Phrase]) -> dict[int, list[Phrase]]:
    """Extra phrases by activity number; a phrase for an activity not in the matrix is dropped."""
    number_of = {name.casefold(): number for number, name in enumerate(names)}
    extra: dict[int, list[Phrase]] = {}
    for phrase in phrases:
        number = number_of.get(phrase.activity.casefold())
        if number is not None:
            extra.setdefault(number, []).append(phrase)
    return extra


def _initialisms(activities: Sequence[ActivityText], extra: dict[int, list[Phrase]],
                 lexicon: Lexicon) -> dict[int, list[Phrase]]:
    """The initialisms of each activity's name and aliases, as hidden aliases ("CDW")."""
    used = {token for text in _all_texts(activities, extra) for token in tokenize(text)}
    used |= lexicon.tokens | set(lexicon.single)
    derived: dict[int, list[Phrase]] = {}
    for number, activity in enumerate(activities):
        found = set().union(*(initials.of_text(text) for text in (activity.name, *activity.aliases)))
        for letters in sorted(found - used):
            derived.setdefault(number, []).append(Phrase(letters, activity.name, VIA_ALIAS))
    return derived


def _all_texts(activities: Sequence[ActivityText], extra: dict[int, list[Phrase]]) -> list[str]:
    texts = [text for activity in activities for text in _texts(activity)]
    return texts + [phrase.text for phrases in extra.values() for phrase in phrases]


def _kept_filler(activities: Sequence[ActivityText], extra: dict[int, list[Phrase]]) -> frozenset[str]:
    """Question filler ("owner", "ownership") that a name, alias or extra phrase contains."""
    found: set[str] = set()
    for activity in activities:
        for text in (activity.name, *activity.aliases):
            found.update(token for token in tokenize(text) if token in QUESTION_FILLER)
    for phrases in extra.values():
        for phrase in phrases:
            found.update(token for token in tokenize(phrase.text) if token in QUESTION_FILLER)
    return frozenset(found)


def _texts(activity: ActivityText) -> list[str]:
    return [activity.name, *activity.aliases,
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
