"""Away people in answers and pages: still listed (RACI doesn't change), marked, and covered by their delegate."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Protocol

from bot.away.store import Away
from bot.ownership.answers import Answer, Holder, holder_of
from bot.raci_file.model import Person


class StatusSource(Protocol):
    """Who is away by their Slack status (bot/slack/away_status.py; cached, so one read per person per pass)."""

    def away(self, handle: str, slack_id: str, *, now: datetime) -> Away | None: ...


def with_statuses(away: Mapping[str, Away], holders: Iterable[Holder], statuses: StatusSource | None, *,
                  now: datetime) -> dict[str, Away]:
    """`away` plus the holders whose Slack status says they are away (each read at most once here)."""
    found = dict(away)
    if statuses is None:
        return found
    for holder in holders:
        if (holder.handle and holder.slack_id and not holder.vacant and holder.handle not in found
                and (by_status := statuses.away(holder.handle, holder.slack_id, now=now)) is not None):
            found[holder.handle] = by_status
    return found


def mark_holder(holder: Holder, away: Mapping[str, Away], people: Mapping[str, Person]) -> Holder:
    """The holder marked away (with their delegate as cover) when they are."""
    found = away.get(holder.handle or "") if not holder.vacant else None
    if found is None:
        return holder
    delegate = people.get(found.delegate or "")
    cover = holder_of(delegate, None) if delegate is not None and delegate.active else None
    return dataclasses.replace(holder, away_until=found.until, cover=cover)


def mark_holders(holders: tuple[Holder, ...], away: Mapping[str, Away], people: Mapping[str, Person]
                 ) -> tuple[Holder, ...]:
    """Each holder marked; those away without cover go after the others of the same letter (ask them first)."""
    marked = [mark_holder(h, away, people) for h in holders]
    return tuple(sorted(marked, key=lambda h: h.away_until is not None and h.cover is None))


def mark_answer(answer: Answer, away: Mapping[str, Away], people: Mapping[str, Person]) -> Answer:
    """The answer with every away holder marked; unchanged when nobody in it is away."""
    if answer.status != "match" or not away:
        return answer
    return dataclasses.replace(
        answer,
        responsible=mark_holders(answer.holders("R"), away, people),
        accountable=mark_holders(answer.holders("A"), away, people),
        consulted=mark_holders(answer.holders("C"), away, people),
        informed=mark_holders(answer.holders("I"), away, people),
    )


def page_targets(holders: tuple[Holder, ...], away: Mapping[str, Away], people: Mapping[str, Person]
                 ) -> tuple[list[str], list[str]]:
    """Slack IDs to page for one level's holders, and why anyone was passed over.

    An away holder's delegate is paged instead of them; with no delegate (or one Slack can't reach)
    they are skipped, and the others of the level are paged. Never the same person twice.
    """
    targets: list[str] = []
    notes: list[str] = []
    for holder in holders:
        found = away.get(holder.handle or "")
        if found is None:
            if holder.slack_id:
                targets.append(holder.slack_id)
            continue
        delegate = people.get(found.delegate or "")
        who = holder.name or holder.handle
        if delegate is not None and delegate.active and delegate.slack_id and found.delegate not in away:
            targets.append(delegate.slack_id)
            notes.append(f"{who} is away: paged their delegate {delegate.name}")
        else:
            notes.append(f"{who} is away with no one covering: skipped")
    return list(dict.fromkeys(targets)), notes
