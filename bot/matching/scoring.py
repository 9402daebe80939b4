"""How well one activity fits a query: query coverage, name coverage, description hits."""

from __future__ import annotations

from dataclasses import dataclass

from bot.matching import thresholds as t
from bot.matching.analyzer import Term
from bot.matching.index import ALIAS, DESCRIPTION, ActivityIndex, Entry
from bot.matching.model import VIA_DESCRIPTION, VIA_WORDS


@dataclass(frozen=True, slots=True)
class Slot:
    """One query term: (concept, similarity x factor) alternatives, its weight, and its cost when missed."""

    alternatives: tuple[tuple[str, float], ...]
    weight: float    # what it gives an activity that explains it
    own: int         # alternatives[:own] are the word itself (and its typo readings), the rest phrase parts
    miss: float      # what it costs an activity that does not explain it (chatter costs little)
    number: bool     # a bare number: never evidence on its own
    run: tuple[int, int, int] = (0, 0, 0)   # (run of content words, segment, clause): analyzer.content_runs


@dataclass(frozen=True, slots=True)
class Fit:
    """An activity's score for a query, with what the decision rules need besides it."""

    activity: int
    score: float
    evidence: float   # summed weight of the query terms the activity explains, bare numbers aside
    complete: bool    # the query is, term for term, one of its names or aliases (typos allowed)
    via: str = VIA_WORDS
    found: tuple[float, ...] = ()   # per query slot, how much of it the activity explains (0..1)


def query_slots(terms: list[Term], index: ActivityIndex) -> list[Slot]:
    """Weight the query's terms; phrase parts become weaker alternatives of their phrase."""
    slots: list[Slot] = []
    seen: set[tuple[tuple[str, float], ...]] = set()
    for term in terms:
        # A part of the query's phrase explains only that share of the phrase.
        share = t.SOFT_FACTOR * term.concepts[0][1] / max(1, len(term.soft))
        alternatives = term.concepts + tuple((part, share) for part in term.soft)
        if alternatives in seen:
            continue
        seen.add(alternatives)
        weight = index.weight(term.concept)
        slots.append(Slot(alternatives, weight, len(term.concepts), index.miss_weight(term, weight),
                          term.concept.isdigit(), term.run))
    return slots


def explained_share(slots: list[Slot], found: list[float] | tuple[float, ...],
                    strict: bool = False) -> tuple[float, float]:
    """(explained weight, share of the query explained) when each slot is explained this much.

    `strict`: every unexplained word costs in full (a description alone is weak evidence, so
    it gets no allowance for chatter).
    """
    explained = total = 0.0
    if all(found):   # the common case for a name-like query: nothing unexplained to weigh
        for slot, value in zip(slots, found, strict=True):
            explained += slot.weight * value
            total += slot.weight
        return explained, (explained / total if total else 0.0)
    # The last explained position per run and segment, the first segment explained per run,
    # and the clauses that say something explained.
    last: dict[tuple[int, int, int], int] = {}
    first_segment: dict[int, int] = {}
    topical: set[int] = set()
    for position, (slot, value) in enumerate(zip(slots, found, strict=True)):
        if value > 0.0:
            run, segment, clause = slot.run
            last[slot.run] = position
            first_segment[run] = min(first_segment.get(run, segment), segment)
            topical.add(clause)
    aside: dict[int, float] = {}   # clause with nothing explained -> its costliest word
    for position, (slot, value) in enumerate(zip(slots, found, strict=True)):
        explained += slot.weight * value
        # A word that modifies the topic costs in full: right before an explained word ("car
        # registry" is no "Model registry") or bound after it ("certificate of deposit").
        # Elsewhere an unexplained word is context and costs its miss weight ("... lol").
        run, segment, clause = slot.run
        modifies = position < last.get(slot.run, -1) or segment > first_segment.get(run, segment)
        if value > 0.0 or ((modifies or strict) and slot.miss > 0.0):
            total += slot.weight
        elif clause in topical:
            total += slot.miss
        else:
            # A clause that says nothing about the topic is one aside ("legal wants it changed
            # by friday"): it costs as much as its most informative word, not their sum.
            aside[clause] = max(aside.get(clause, 0.0), slot.miss)
    total += sum(aside.values())
    return explained, (explained / total if total else 0.0)


def query_concepts(slots: list[Slot]) -> frozenset[str]:
    """Every concept a query term may be read as (to skip aliases that share none)."""
    return frozenset(concept for slot in slots for concept, _ in slot.alternatives)


def fit_activity(activity: int, slots: list[Slot], index: ActivityIndex,
                 concepts: frozenset[str] | None = None) -> Fit:
    """Score one activity: the best of its name and aliases, or its description alone."""
    entries = index.entries_of(activity)
    described = next((entry for entry in entries if entry.kind == DESCRIPTION), None)
    description = [_slot_match(slot, described) if described else 0.0 for slot in slots]
    if any(description):
        _, share = explained_share(slots, description, strict=True)
        weighted = [t.DESC_WEIGHT * value for value in description]
        best = Fit(activity, t.DESC_WEIGHT * share, _evidence(slots, weighted), False, VIA_DESCRIPTION,
                   tuple(weighted))
    else:   # no description word in the query: nothing to score (most activities)
        best = Fit(activity, 0.0, 0.0, False, VIA_DESCRIPTION, tuple(description))
    for entry in entries:
        # An alias sharing no word with the query fits exactly as the name does without one:
        # skipping it saves most of the work for activities with hidden initialisms.
        if entry.kind == ALIAS and concepts is not None and concepts.isdisjoint(entry.terms) and (
                not entry.soft or concepts.isdisjoint(entry.soft)):
            continue
        if entry.kind != DESCRIPTION:
            fit = _fit_entry(activity, entry, slots, description, index)
            if fit.score > best.score:
                best = fit
    return best


def _fit_entry(activity: int, entry: Entry, slots: list[Slot], description: list[float],
               index: ActivityIndex) -> Fit:
    covered: dict[str, float] = {}   # entry term -> best similarity a query term gives it
    hard: set[str] = set()           # entry terms matched by a query word itself, not a phrase part
    found_per_slot: list[float] = []
    complete = True                  # every query term is a term of this entry
    for slot, in_description in zip(slots, description, strict=True):
        found = whole = 0.0
        for position, (concept, sim) in enumerate(slot.alternatives):
            if concept in entry.terms:
                covered[concept] = max(covered.get(concept, 0.0), sim)
                if position < slot.own:
                    hard.add(concept)
                    whole = max(whole, sim)
                found = max(found, sim)
            elif entry.soft and concept in entry.soft:
                # The query word is all explained by the phrase, but covers only its share of it.
                target, parts = entry.soft[concept]
                value = sim * t.SOFT_FACTOR
                covered[target] = max(covered.get(target, 0.0), value / parts)
                found = max(found, value)
        # A word that costs nothing when missed ("ownership" where another name has it) is no rival term.
        complete = complete and (whole > 0.0 or slot.miss == 0.0)
        found_per_slot.append(max(found, t.DESC_WEIGHT * in_description))
    _, share = explained_share(slots, found_per_slot)
    name_weight = entry.weight or 1.0
    name_covered = sum(index.weights[term] * covered.get(term, 0.0) for term in entry.terms) / name_weight
    full = len(hard) == len(entry.terms)
    score = t.QC_WEIGHT * share + t.FC_WEIGHT * name_covered + (t.FULL_BONUS if full else 0.0)
    complete = complete and full
    return Fit(activity, min(1.0, score), _evidence(slots, found_per_slot), complete,
               entry.via if complete else VIA_WORDS, tuple(found_per_slot))


def _evidence(slots: list[Slot], found: list[float]) -> float:
    return sum(slot.weight * value for slot, value in zip(slots, found, strict=True) if not slot.number)


def _slot_match(slot: Slot, entry: Entry) -> float:
    found = 0.0
    for concept, sim in slot.alternatives:
        if concept in entry.terms:
            found = max(found, sim)
        elif entry.soft and concept in entry.soft:
            found = max(found, sim * t.SOFT_FACTOR)
    return found
