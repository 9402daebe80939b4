"""Text to terms: the one pipeline both activity text and queries go through.

tokens -> stems -> (queries only) typo and compound repair -> joined-word merging ->
lexicon phrase folding -> filler removal -> lexicon concepts. Running activity text and
queries through the same steps is what makes "ci-cd pipelines" meet "CI/CD pipeline".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.matching import initials
from bot.matching import thresholds as t
from bot.matching.english import is_common_word
from bot.matching.normalize import stem, tokenize
from bot.matching.stopwords import FILLER, FILLER_PHRASES

Key = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Term:
    """One unit of meaning: concept alternatives (best first) and the parts of a folded phrase."""

    concepts: tuple[tuple[str, float], ...]
    soft: tuple[str, ...] = ()
    surface: str = ""   # the word as written (lowercase), for how informative it is in English
    run: tuple[int, int, int] = (0, 0, 0)   # (run of content words, segment after a binding word): `content_runs`

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
    run: tuple[int, int, int] = (0, 0, 0)


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

    def __init__(self, lexicon: Lexicon, vocabulary: frozenset[str],
                 kept_filler: frozenset[str] = frozenset()) -> None:
        self.lexicon = lexicon
        # Filler words that some name or alias contains ("ownership"): kept as terms.
        self.kept_filler = kept_filler
        # Stems of activity text: joined words ("bigquery") merge only into these.
        self.vocabulary = vocabulary
        self.known = vocabulary | lexicon.tokens | frozenset(lexicon.single)
        self.typos: Callable[[str], tuple[tuple[str, float], ...]] | None = None
        self.cooccur: Callable[[str, str], bool] | None = None
        # Acronyms of names and aliases by the initials they spell (bot/matching/initials.py).
        self.acronyms: dict[str, str] = {}

    def terms(self, text: str, *, query: bool = False) -> list[Term]:
        """Terms of `text`; queries also get typo and compound repair."""
        raws = _drop_filler_phrases(tokenize(text))
        runs = content_runs(text, raws) if query else [(0, 0, 0)] * len(raws)
        tokens = [_Token(raw, stem(raw), run=run) for raw, run in zip(raws, runs, strict=True)]
        if query:
            tokens = self._repair(self._expand_initials(tokens))
        tokens = self._merge_joined(tokens)
        return self._fold(tokens)

    def _expand_initials(self, tokens: list[_Token]) -> list[_Token]:
        """Read consecutive words whose initials spell an acronym of the matrix as that acronym."""
        if not self.acronyms:
            return tokens
        out: list[_Token] = []
        raws = [token.raw for token in tokens]
        i = 0
        while i < len(tokens):
            found = initials.spelled(raws[i:], self.acronyms)
            if found is None:
                out.append(tokens[i])
                i += 1
                continue
            width, acronym = found
            if all(token.stem in self.vocabulary for token in tokens[i:i + width]):
                # The matrix has these words itself ("electronic health record"): read them so.
                out.append(tokens[i])
                i += 1
                continue
            parts = tuple(token.stem for token in tokens[i:i + width] if token.raw not in FILLER)
            out.append(_Token(acronym, stem(acronym), t.INITIALS_SIMILARITY, parts=parts, run=tokens[i].run))
            i += width
        return out

    def _repair(self, tokens: list[_Token]) -> list[_Token]:
        repaired: list[_Token] = []
        for token in tokens:
            if (token.raw not in FILLER and token.stem not in self.known and token.raw.isalpha()
                    and len(token.raw) <= t.MAX_TYPO_WORD):
                related = next((form for form in word_forms(token.raw, token.stem) if form in self.vocabulary), None)
                if related is not None:
                    # "printing" for "Label printers", "recognising" for "Speech recognition".
                    repaired.append(_Token(token.raw, related, t.WORD_FORM_SIMILARITY, run=token.run))
                    continue
            if (token.raw in FILLER or token.stem in self.known or not token.raw.isalpha()
                    or len(token.raw) > t.MAX_TYPO_WORD or is_common_word(token.raw)):
                # A common English word is itself ("stuck" is not a typo of "stock"), and an
                # overlong one is no word at all: neither is repaired.
                repaired.append(token)
                continue
            parts = self._split(token.raw)
            if parts:
                repaired.extend(_Token(part, stem(part), t.SPLIT_SIMILARITY, run=token.run) for part in parts)
                continue
            # "retrain", "redeploy", "reindex": the same work done again.
            if token.raw.startswith("re") and stem(token.raw[2:]) in self.vocabulary:
                repaired.append(_Token(token.raw[2:], stem(token.raw[2:]), t.PREFIX_SIMILARITY, run=token.run))
                continue
            found = self.typos(token.raw) if self.typos else ()
            if not found and token.stem != token.raw and self.typos:
                found = self.typos(token.stem)
            if found:
                (best, sim), rest = found[0], found[1:]
                repaired.append(_Token(best, best, sim, rest, run=token.run))
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
                    merged.append(_Token(joined, joined_stem, min(first.sim, second.sim), parts=parts,
                                         run=first.run))
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
            if token.raw in FILLER and token.raw not in self.kept_filler:
                continue
            concept = single.get(token.stem, token.stem)
            concepts = ((concept, token.sim),) + tuple((single.get(alt, alt), sim) for alt, sim in token.alts)
            soft = tuple(dict.fromkeys(single.get(part, part) for part in token.parts))
            terms.append(Term(concepts, tuple(part for part in soft if part != concept), token.raw, token.run))
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
                surface = " ".join(tok.raw for tok in parts)
                return Term(((concept, min(tok.sim for tok in parts)),), soft, surface, parts[0].run), len(key)
        return None


def word_forms(raw: str, stemmed: str) -> list[str]:
    """Stems of the same word in another role, best first: the doer (-er/-or) or the act (-ize).

    The stemmer keeps "printer" and "print" apart on purpose (a printer is a thing), so
    these are only tried for a query word the organisation does not use as written.
    """
    forms: list[str] = []
    if raw.endswith(("ing", "ed")):
        # "printing labels" -> "Label printers"; "scheduling" -> "scheduler"
        forms += [stemmed + "er", stemmed + "or", stemmed + "r"]
    if len(stemmed) >= 6 and stemmed.endswith(("er", "or")):
        # "printers" -> "Print queue"; "registering" -> "registr(ation)"
        forms += [stemmed[:-2], stem(stemmed[:-2]), stemmed[:-2] + "r"]
    if len(stemmed) >= 6 and stemmed.endswith("iz"):
        forms.append(stemmed[:-2])   # "recognising" -> "recogn(ition)"
    return [form for form in dict.fromkeys(forms) if form != stemmed and len(form) >= 4]


# Clause ends: what follows is another thought ("who owns the cookie banner, legal wants it").
_CLAUSE_END = re.compile(r"[,.;:!?()\[\]\"\u2026\u2013\u2014]|\s-\s|[^\x00-\u024f\s]")
# Prepositions that bind two nouns into one thing ("certificate of deposit", "parcel from reception").
_BINDING = frozenset({"of", "from", "for", "in", "on", "at", "to", "with"})
# Conjunctions that start another clause (not "and", which joins two topics).
_CLAUSE_WORDS = frozenset({"but", "or", "so", "because", "cause", "cuz", "coz", "since", "though",
                           "although", "when", "while", "unless", "until", "if", "otherwise"})
# The segment number given to the verb of a "who" question ("who approves ...", "who runs ...").
RELATION_SEGMENT = -1
# Between "who" and its verb: "who can approve ...", "who usually signs off ...".
_MODALS = frozenset({"can", "could", "should", "would", "will", "shall", "may", "might", "must",
                     "else", "usually", "normally", "actually", "now", "currently", "still"})


def content_runs(text: str, raws: list[str]) -> list[tuple[int, int, int]]:
    """For each token of `raws` (the tokens of `text`): its run of content words, segment, clause.

    A run is a stretch of words with no clause end and no function or filler word between
    them, except binding prepositions, which start a new segment of the same run: "car
    registry" is one run, so "car" modifies "registry"; "certificate of deposit" one run of
    two segments. In "ugh the returns portal is down again, who do i bug" the chatter sits in
    other runs than the topic. `raws` may have lost filler phrases; unmatched tokens simply
    start a new run.
    """
    runs: list[tuple[int, int, int]] = []
    run = segment = 0
    position = 0
    clauses = [tokenize(clause) for clause in _CLAUSE_END.split(text)]
    flat: list[tuple[int, str]] = []
    number = 0
    for clause_words in clauses:
        for place, token in enumerate(clause_words):
            # "... for the PDP or do i just yell into the void": a conjunction starts another thought.
            number += place > 0 and token in _CLAUSE_WORDS
            flat.append((number, token))
        number += 1
    clause_of: list[int] = []
    for raw in raws:
        while position < len(flat) and flat[position][1] != raw:
            position += 1
        clause_of.append(flat[position][0] if position < len(flat) else -1)
        position += 1
    previous: tuple[int, str] | None = None
    asking = False   # right after "who" (and a modal): the next content word is the verb
    for raw, clause in zip(raws, clause_of, strict=True):
        content = raw not in FILLER and raw not in _BINDING
        linked = previous is not None and previous[0] == clause and clause >= 0 and (
            previous[1] not in FILLER or previous[1] in _BINDING)
        if (not content and raw not in _BINDING) or not linked or (content and asking):
            run, segment = run + 1, 0
        elif raw in _BINDING:
            segment += 1
        # "who approves expense reports": the verb names the relation asked about, not the topic.
        runs.append((run, RELATION_SEGMENT if content and asking else segment, clause))
        previous = (-2, raw) if content and asking else (clause, raw)
        asking = raw == "who" or (asking and raw in _MODALS)
    return runs


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
