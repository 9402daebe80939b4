"""How well one activity fits a query: query coverage, name coverage, description hits."""

from __future__ import annotations

from dataclasses import dataclass

from bot.matching import thresholds as t
from bot.matching.analyzer import Term
from bot.matching.index import DESCRIPTION, ActivityIndex, Entry


@dataclass(frozen=True, slots=True)
class Slot:
    """One query term: (concept, similarity x factor) alternatives and its weight."""

    alternatives: tuple[tuple[str, float], ...]
    weight: float
    own: int   # alternatives[:own] are the word itself (and its typo readings), the rest phrase parts


@dataclass(frozen=True, slots=True)
class Fit:
    """An activity's score for a query, with what the decision rules need besides it."""

    activity: int
    score: float
    evidence: float   # summed weight of the query terms the activity explains
    complete: bool    # the query is, term for term, one of its names or aliases (typos allowed)


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
        slots.append(Slot(alternatives, index.weight(term.concept), len(term.concepts)))
    return slots


def fit_activity(activity: int, slots: list[Slot], index: ActivityIndex) -> Fit:
    """Score one activity: the best of its name and aliases, or its description alone."""
    entries = index.entries_of(activity)
    total = sum(slot.weight for slot in slots) or 1.0
    described = next((entry for entry in entries if entry.kind == DESCRIPTION), None)
    description = [_slot_match(slot, described) if described else 0.0 for slot in slots]
    explained = sum(slot.weight * found for slot, found in zip(slots, description, strict=True))
    best = Fit(activity, t.DESC_WEIGHT * explained / total, t.DESC_WEIGHT * explained, False)
    for entry in entries:
        if entry.kind != DESCRIPTION:
            fit = _fit_entry(activity, entry, slots, description, total, index)
            if fit.score > best.score:
                best = fit
    return best


def _fit_entry(activity: int, entry: Entry, slots: list[Slot], description: list[float], total: float,
               index: ActivityIndex) -> Fit:
    covered: dict[str, float] = {}   # entry term -> best similarity a query term gives it
    hard: set[str] = set()           # entry terms matched by a query word itself, not a phrase part
    explained = 0.0
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
        complete = complete and whole > 0.0
        explained += slot.weight * max(found, t.DESC_WEIGHT * in_description)
    name_weight = entry.weight or 1.0
    name_covered = sum(index.weights[term] * covered.get(term, 0.0) for term in entry.terms) / name_weight
    full = len(hard) == len(entry.terms)
    score = t.QC_WEIGHT * explained / total + t.FC_WEIGHT * name_covered + (t.FULL_BONUS if full else 0.0)
    return Fit(activity, min(1.0, score), explained, complete and full)


def _slot_match(slot: Slot, entry: Entry) -> float:
    found = 0.0
    for concept, sim in slot.alternatives:
        if concept in entry.terms:
            found = max(found, sim)
        elif entry.soft and concept in entry.soft:
            found = max(found, sim * t.SOFT_FACTOR)
    return found
