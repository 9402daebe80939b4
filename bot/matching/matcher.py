"""Free-text query -> activity: candidates from the index, scores, then the decision rules."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Sequence

from bot.matching import thresholds as t
from bot.matching.index import LEARNED, ActivityIndex
from bot.matching.model import AMBIGUOUS, MATCH, NONE, ActivityText, Candidate, MatchResult, MatchStatus
from bot.matching.scoring import Fit, Slot, fit_activity, query_slots

_NOTHING = MatchResult(NONE, None, 0.0, ())


class Matcher:
    """Answers which activity a free-text question is about, or says it cannot tell."""

    def __init__(self, activities: Iterable[ActivityText], synonyms: Iterable[Sequence[str]] = ()) -> None:
        self._index = ActivityIndex(list(activities), synonyms)

    def __len__(self) -> int:
        return len(self._index)

    def phrase_key(self, text: str) -> str:
        """A question as the matcher reads it (its concepts, in order): equal keys are the same question."""
        concepts = (term.concept for term in self._index.analyzer.terms(text, query=True))
        return " ".join(dict.fromkeys(concepts))

    def learned_by(self, query: str, activity: str) -> bool:
        """True when `query` reads exactly as one of `activity`'s learned phrases."""
        key = self.phrase_key(query)
        number = self._index.number.get(activity)
        return bool(key) and number is not None and any(
            entry.kind == LEARNED and " ".join(entry.terms) == key for entry in self._index.entries_of(number))

    def match(self, query: str) -> MatchResult:
        """Match a query to one activity, several equally fitting ones, or none."""
        terms = self._index.analyzer.terms(query, query=True)
        slots = query_slots(terms, self._index)
        if not slots:
            return _NOTHING
        fits = sorted((fit_activity(number, slots, self._index) for number in self._candidates(slots)),
                      key=lambda fit: (-fit.score, self._index.names[fit.activity]))
        return self._decide([fit for fit in fits if fit.score > 0.0])

    def _candidates(self, slots: list[Slot]) -> set[int]:
        """Activities worth scoring: entries sharing the heaviest combinations of query terms.

        Set intersections run in C, so this stays cheap even when a term is in thousands of
        entries; within one combination the shortest entries (lowest numbers) come first.
        """
        index = self._index
        found: list[tuple[float, set[int]]] = []
        for slot in slots:
            entries: set[int] = set()
            for concept, _ in slot.alternatives:
                entries.update(index.postings.get(concept, ()))
            if entries:
                found.append((slot.weight, entries))
        found = sorted(found, key=lambda item: -item[0])[: t.MAX_COMBINED_TERMS]
        combinations = sorted(
            (combo for size in range(len(found), 0, -1) for combo in itertools.combinations(found, size)),
            key=lambda combo: -sum(weight for weight, _ in combo),
        )
        chosen: set[int] = set()
        enough_at: float | None = None
        for combo in combinations:
            weight = sum(w for w, _ in combo)
            if enough_at is not None and weight < enough_at:
                break
            sets = sorted((entries for _, entries in combo), key=len)
            shared = sets[0].intersection(*sets[1:])
            if len(shared) > t.CANDIDATE_ENTRIES:
                shared = set(heapq.nsmallest(t.CANDIDATE_ENTRIES, shared))
            chosen.update(shared)
            if enough_at is None and len(chosen) >= t.CANDIDATE_ENTRIES:
                enough_at = weight  # finish the combinations that weigh as much, then stop
        return {index.entries[entry].activity for entry in chosen}

    def _decide(self, fits: list[Fit]) -> MatchResult:
        if not fits:
            return _NOTHING
        top = fits[0]
        runner_up = fits[1].score if len(fits) > 1 else 0.0
        complete = [fit for fit in fits if fit.complete]
        if len(complete) == 1 and complete[0] is top:
            # The query is one of the activity's names or aliases, word for word (typos
            # allowed): a longer or shorter name sharing most words is no rival.
            return self._result(MATCH, top, fits[1:1 + t.MAX_RUNNERS_UP])
        if top.score >= t.MATCH_MIN and top.evidence >= t.MIN_EVIDENCE:
            if top.score - runner_up >= t.MARGIN:
                return self._result(MATCH, top, fits[1:1 + t.MAX_RUNNERS_UP])
            tied = [fit for fit in fits if fit.score > top.score - t.MARGIN]
            return self._result(AMBIGUOUS, top, tied[: t.MAX_AMBIGUOUS])
        suggestions = [fit for fit in fits[: t.MAX_SUGGESTIONS] if fit.score >= t.SUGGEST_MIN]
        return self._result(NONE, top, suggestions)

    def _result(self, status: MatchStatus, top: Fit, listed: list[Fit]) -> MatchResult:
        names = self._index.names
        if status == MATCH:
            listed = [fit for fit in listed if fit.score >= t.SUGGEST_MIN]
        candidates = tuple(Candidate(names[fit.activity], round(fit.score, 4)) for fit in listed)
        activity = names[top.activity] if status == MATCH else None
        return MatchResult(status, activity, round(top.score, 4), candidates)
