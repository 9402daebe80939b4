"""Free-text query -> activity: candidates from the index, scores, then the decision rules."""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import re
from collections.abc import Iterable, Sequence

from bot.matching import thresholds as t
from bot.matching.focus import question_focus
from bot.matching.index import ActivityIndex
from bot.matching.model import (
    AMBIGUOUS,
    MATCH,
    NONE,
    VIA_ALIAS,
    VIA_NAME,
    ActivityText,
    Candidate,
    MatchResult,
    MatchStatus,
    Phrase,
)
from bot.matching.scoring import Fit, Slot, explained_share, fit_activity, query_concepts, query_slots

_NOTHING = MatchResult(NONE, None, 0.0, ())
# Words and signs that join two things named in one breath ("android and ios", "SSO/SCIM").
_JOINED = re.compile(r"\b(?:and|or|plus|vs|versus)\b|[&/+]", re.IGNORECASE)
# A complete fit on a name or alias outranks one on an extra (learned) phrase.
_OWN_WORDS = (VIA_NAME, VIA_ALIAS)


class Matcher:
    """Answers which activity a free-text question is about, or says it cannot tell."""

    def __init__(self, activities: Iterable[ActivityText], synonyms: Iterable[Sequence[str]] = (),
                 phrases: Iterable[Phrase] = ()) -> None:
        """Build the index; `phrases` are extra alias-like texts (e.g. learned) tagged with their source."""
        self._index = ActivityIndex(list(activities), synonyms, phrases)

    def __len__(self) -> int:
        return len(self._index)

    def phrase_key(self, text: str) -> str:
        """A question as the matcher reads it (its concepts, in order): equal keys are the same question."""
        concepts = (term.concept for term in self._index.analyzer.terms(text, query=True))
        return " ".join(dict.fromkeys(concepts))


    def match(self, query: str) -> MatchResult:
        """Match a query to one activity, several equally fitting ones, or none."""
        query, truncated = truncate(query)
        result = self._focused(query, self._match(query))
        return dataclasses.replace(result, truncated=True) if truncated else result

    def _focused(self, query: str, whole: MatchResult) -> MatchResult:
        """A message that asks "who owns X" among other sentences is about X.

        "cloudflare is blocking our office IP lmao, who owns the WAF": the words around the question
        are context, not part of the topic. When the message as a whole is no clear match, the object of
        its who-question is matched alone; its answer is taken only when it is a clear match that the
        whole message already had among its candidates, so the context can narrow, never redirect.
        """
        if whole.status == MATCH:
            return whole
        focus = question_focus(query)
        if focus is None:
            return whole
        narrowed = self._match(focus)
        if narrowed.status != MATCH or narrowed.activity not in {c.activity for c in whole.candidates}:
            return whole
        others = tuple(c for c in whole.candidates if c.activity != narrowed.activity)
        return dataclasses.replace(narrowed, candidates=others[: t.MAX_RUNNERS_UP])

    def _match(self, query: str) -> MatchResult:
        slots = query_slots(self._index.analyzer.terms(query, query=True), self._index)
        if not slots:
            return _NOTHING
        concepts = query_concepts(slots)
        fits = sorted((fit_activity(number, slots, self._index, concepts) for number in self._candidates(slots)),
                      key=lambda fit: (-fit.score, self._index.names[fit.activity]))
        return self._decide([fit for fit in fits if fit.score > 0.0], self._exact(query), slots, query)

    def _exact(self, query: str) -> int | None:
        """The one activity whose name or alias is the query's words in this order, if any."""
        written = self._index.exact.get(self._index.exact_key(query), ())
        return next(iter(written)) if len(written) == 1 else None

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

    def _decide(self, fits: list[Fit], exact: int | None = None, slots: list[Slot] | None = None,
                query: str = "") -> MatchResult:
        if not fits:
            return _NOTHING
        top = fits[0]
        runner_up = fits[1].score if len(fits) > 1 else 0.0
        decisive = self._decisive(fits, exact)
        if decisive is not None:
            # The query is one of the activity's names or aliases, word for word (typos
            # allowed): a longer or shorter name sharing most words is no rival.
            others = [fit for fit in fits if fit.activity != decisive.activity]
            return self._result(MATCH, decisive, others[: t.MAX_RUNNERS_UP])
        pair = _pair(fits, slots) if slots and _JOINED.search(query) else None
        if pair:
            return self._result(AMBIGUOUS, top, pair)
        if top.score >= t.MATCH_MIN and top.evidence >= t.MIN_EVIDENCE:
            if top.score - runner_up >= t.MARGIN:
                return self._result(MATCH, top, fits[1:1 + t.MAX_RUNNERS_UP])
            tied = [fit for fit in fits if fit.score > top.score - t.MARGIN]
            return self._result(AMBIGUOUS, top, tied[: t.MAX_AMBIGUOUS])
        suggestions = [fit for fit in fits[: t.MAX_SUGGESTIONS] if fit.score >= t.SUGGEST_MIN]
        return self._result(NONE, top, suggestions)

    @staticmethod
    def _decisive(fits: list[Fit], exact: int | None) -> Fit | None:
        """The one fit that is the query word for word: written in this order, else the only complete one."""
        complete = [fit for fit in fits if fit.complete]
        if exact is not None:
            written = next((fit for fit in complete if fit.activity == exact and fit.via in _OWN_WORDS), None)
            if written is not None:
                return written
        own = [fit for fit in complete if fit.via in _OWN_WORDS]
        tier = own or complete
        if len(tier) == 1 and (tier[0] is fits[0] or own):
            return tier[0]
        return None

    def _result(self, status: MatchStatus, top: Fit, listed: list[Fit]) -> MatchResult:
        names = self._index.names
        if status == MATCH:
            listed = [fit for fit in listed if fit.score >= t.SUGGEST_MIN]
        candidates = tuple(Candidate(names[fit.activity], round(fit.score, 4)) for fit in listed)
        if status != MATCH:
            return MatchResult(status, None, round(top.score, 4), candidates)
        return MatchResult(status, names[top.activity], round(top.score, 4), candidates, top.via)


def _pair(fits: list[Fit], slots: list[Slot]) -> list[Fit] | None:
    """Two activities that each explain their own part of the query and together all of it.

    "android and ios releases" names both "iOS app releases" and "Android app releases":
    neither alone explains enough to answer, but the query is about both, which is what
    *ambiguous* means. Each must bring evidence of its own that the other lacks.
    """
    head = [fit for fit in fits[: t.PAIR_CANDIDATES] if fit.evidence >= t.MIN_EVIDENCE]
    for first, second in itertools.combinations(head, 2):
        union = [max(a, b) for a, b in zip(first.found, second.found, strict=True)]
        evidence, share = explained_share(slots, union)
        if share * t.QC_WEIGHT + t.FC_WEIGHT < t.MATCH_MIN or evidence < 2 * t.MIN_EVIDENCE:
            continue
        if _own_part(first, second, slots) >= t.MIN_EVIDENCE and _own_part(second, first, slots) >= t.MIN_EVIDENCE:
            return [first, second]
    return None


def _own_part(fit: Fit, other: Fit, slots: list[Slot]) -> float:
    return sum(slot.weight * max(0.0, mine - theirs)
               for slot, mine, theirs in zip(slots, fit.found, other.found, strict=True) if not slot.number)


def truncate(query: str) -> tuple[str, bool]:
    """The first MAX_QUERY_CHARS of a query, cut at a space when there is one, and whether it was cut."""
    if len(query) <= t.MAX_QUERY_CHARS:
        return query, False
    head = query[: t.MAX_QUERY_CHARS]
    cut = head.rfind(" ", t.MAX_QUERY_CHARS // 2)
    return (head[:cut] if cut > 0 else head), True
