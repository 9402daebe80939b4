"""Claiming a period once: the run row's insert decides who prepares it, with every delivery, in one transaction.

Any number of replicas, restarts and cron runs may call `start_run` for the same period: the
`digest_runs` primary key lets exactly one insert win. Its transaction also writes one delivery
row per recipient (unique on period, kind and recipient) holding the rendered message, so the
recipients and what they read are fixed once; the others find the run and only help sending.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.away.store import active_away
from bot.digest.content import person_digests
from bot.digest.model import AuditEntry, OrgSummary, PersonDigest
from bot.digest.period import Schedule, period_key, schedule_of
from bot.digest.preferences import opted_out
from bot.digest.summary import org_summary
from bot.digest.trend import health_counts
from bot.escalations.engine import to_view
from bot.escalations.views import EscalationView
from bot.ownership.index import Ownership
from bot.ownership.matrix import default_actor, load_ownership
from bot.raci_file.model import DigestSettings
from bot.raci_file.rules import holding_handles
from bot.review.store import stale
from bot.store import models as m
from bot.store.db import Store
from bot.store.digest_models import DigestDelivery, DigestRun
from bot.store.escalation_models import Escalation
from bot.store.outbox_policy import DIGEST_DEADLINE_FALLBACK
from bot.store.times import aware
from bot.usergroups.sync import failures

log = logging.getLogger(__name__)

# The ticker skips a period it finds this late (the bot was down, or the schedule was just set);
# `raci digest send` sends it anyway.
LATE_LIMIT = timedelta(hours=24)
CHUNK = 2000


class DepartureCheck(Protocol):
    """Asks Slack who is gone: {user id: "deleted" | "unknown"} among `slack_ids`."""

    def gone(self, slack_ids: Collection[str]) -> dict[str, str]: ...


class Renderer(Protocol):
    """Turns digests into the payload stored on a delivery and sent later (Block Kit at the Slack edge)."""

    def person(self, digest: PersonDigest) -> dict[str, Any]: ...

    def summary(self, summary: OrgSummary) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Preparation:
    """What this period's digest says and to whom; `skipped` counts people left out, by reason."""

    schedule: Schedule | None
    period: datetime
    since: datetime
    digests: list[PersonDigest]  # everyone's, news or not (previews pick from these)
    recipients: list[PersonDigest]  # those who get a DM
    summary: OrgSummary
    skipped: dict[str, int] = field(default_factory=dict)


StartStatus = Literal["unscheduled", "too_late", "exists", "started"]


@dataclass(frozen=True)
class RunStart:
    status: StartStatus
    period: datetime | None = None
    key: str | None = None
    deliveries: int = 0


def digest_settings(session: Session) -> DigestSettings:
    """settings.digest as the store holds it (without reading the whole matrix)."""
    value = session.scalar(select(m.OrgSetting.value).where(m.OrgSetting.key == "digest")) or {}
    return DigestSettings(schedule=value.get("schedule"), timezone=value.get("timezone"),
                          channel=value.get("channel"), direct_messages=value.get("direct_messages"))


def window_start(session: Session, schedule: Schedule | None, period: datetime) -> datetime:
    """Since the last digest went out; for a first one, since the previous fire time (or a week)."""
    last = session.scalar(select(func.max(DigestRun.created_at)).where(DigestRun.period < period_key(period)))
    if last is not None:
        return aware(last) or last
    return schedule.previous(period) if schedule else period - timedelta(days=7)


def week_escalations(session: Session, since: datetime, until: datetime) -> list[EscalationView]:
    query = select(Escalation).where(Escalation.created_at >= since, Escalation.created_at <= until)
    return [to_view(row) for row in session.scalars(query.order_by(Escalation.id))]


def audit_since(session: Session, since: datetime, until: datetime) -> list[AuditEntry]:
    query = select(m.AuditEvent).where(m.AuditEvent.at > since, m.AuditEvent.at <= until).order_by(m.AuditEvent.id)
    return [AuditEntry(at=aware(e.at) or e.at, actor=e.actor, action=e.action, subject_type=e.subject_type,
                       subject=e.subject, change=e.change, details=e.details or {})
            for e in session.scalars(query)]


@dataclass(frozen=True)
class Week:
    """What the store holds about a digest's window: since when, its escalations and audit, who opted out."""

    since: datetime
    escalations: list[EscalationView]
    audit: list[AuditEntry]
    refused: set[str]
    away: dict[str, Any] = field(default_factory=dict)  # handle -> Away, for the summary
    stale: list[Any] = field(default_factory=list)  # unconfirmed ownership, oldest first
    usergroup_failures: list[tuple[str, str, str]] = field(default_factory=list)


def read_week(*, session: Session, ownership: Ownership, schedule: Schedule | None, period: datetime,
              now: datetime) -> Week:
    """Read what the digest of `period` is made of, up to `now`."""
    since = window_start(session, schedule, period)
    return Week(since, week_escalations(session, since, now), audit_since(session, since, now), opted_out(session),
                away=active_away(session, now=now), stale=stale(session, ownership, now=now),
                usergroup_failures=failures(session))


def prepare(ownership: Ownership, week: Week, *, schedule: Schedule | None, period: datetime,
            directory: DepartureCheck | None) -> Preparation:
    """Compute every digest of `period` from what the store held; only `directory` talks to Slack.

    It takes what `read_week` read rather than a session, so no transaction stays open while Slack answers.
    """
    holders = _holders_in_slack(ownership)
    gone = directory.gone(sorted(holders)) if directory is not None and holders else {}
    since, escalations, audit = week.since, week.escalations, week.audit
    digests = person_digests(ownership, escalations=escalations, audit=audit, period=period, since=since)
    summary = org_summary(ownership, escalations=escalations, audit=audit, gone=gone, period=period, since=since,
                          slack_checked=directory is not None, away=week.away,
                          stale=week.stale, usergroup_failures=week.usergroup_failures)
    recipients, skipped = _recipients(digests, refused=week.refused, gone=gone)
    return Preparation(schedule, period, since, digests, recipients, summary, skipped)


def _holders_in_slack(ownership: Ownership) -> set[str]:
    """Slack IDs worth asking about: active people who hold a role or an activity (bounded by the matrix)."""
    holding = holding_handles(ownership.doc)
    return {p.slack_id for p in ownership.doc.people if p.slack_id and p.active and p.handle in holding}


def _recipients(digests: Sequence[PersonDigest], *, refused: set[str],
                gone: dict[str, str]) -> tuple[list[PersonDigest], dict[str, int]]:
    chosen: dict[str, PersonDigest] = {}
    skipped = {"nothing to say": 0, "no Slack ID": 0, "turned off": 0, "gone from Slack": 0}
    for digest in digests:
        if not digest.has_news:
            skipped["nothing to say"] += 1
        elif not digest.slack_id:
            skipped["no Slack ID"] += 1
        elif digest.slack_id in refused:
            skipped["turned off"] += 1
        elif digest.slack_id in gone:
            skipped["gone from Slack"] += 1
        else:
            chosen.setdefault(digest.slack_id, digest)
    return list(chosen.values()), {k: v for k, v in skipped.items() if v}


def start_run(store: Store, *, now: datetime, renderer: Renderer, directory: DepartureCheck | None,
              late_limit: timedelta | None = LATE_LIMIT, actor: str | None = None) -> RunStart:
    """Claim this period's digest if its time has come and nobody has; prepare all its deliveries if we win.

    Like the outbox's claims, this opens its own short transactions by design: it reads, asks Slack who
    left with no transaction open, then claims the period in one transaction whose insert may lose.
    """
    with store.session() as session:
        schedule = schedule_of(digest_settings(session))
        if schedule is None:
            return RunStart("unscheduled")
        period = schedule.period(now)
        key = period_key(period)
        if session.get(DigestRun, key) is not None:
            return RunStart("exists", period, key)
        scheduled_since = _schedule_set_at(session)
    if late_limit is not None and (now - period > late_limit
                                   or (scheduled_since is not None and period < scheduled_since)):
        # Too late, or a fire time from before this schedule existed (a fresh install, a new schedule):
        # the first digest is the next one, not a surprise at startup.
        return RunStart("too_late", period, key)
    with store.session() as session:
        ownership = load_ownership(session=session)
        week = read_week(session=session, ownership=ownership, schedule=schedule, period=period, now=now)
    prepared = prepare(ownership, week, schedule=schedule, period=period, directory=directory)
    rows = list(_delivery_rows(prepared, renderer, key=key, now=now))
    run = DigestRun(period=key, fires_at=period, since=prepared.since, timezone=schedule.timezone, created_at=now,
                    created_by=actor or default_actor(), deliveries=len(rows), health=health_counts(prepared.summary))
    try:
        with store.session() as session:
            session.add(run)
            session.flush()  # the claim: a second inserter fails here, before writing anything else
            _expire_older(session, key)
            for start in range(0, len(rows), CHUNK):
                session.execute(insert(DigestDelivery), rows[start:start + CHUNK])
    except IntegrityError:
        with store.session() as session:
            if session.get(DigestRun, key) is None:
                raise
        return RunStart("exists", period, key)
    log.info("digest %s: %d deliveries prepared (%s)", key, len(rows), prepared.skipped)
    return RunStart("started", period, key, len(rows))


def _schedule_set_at(session: Session) -> datetime | None:
    """When the digest settings were last set by an import (the audit log knows)."""
    return aware(session.scalar(select(func.max(m.AuditEvent.at)).where(
        m.AuditEvent.subject_type == "settings", m.AuditEvent.subject == "digest")))


def _delivery_rows(prepared: Preparation, renderer: Renderer, *, key: str, now: datetime) -> Iterator[dict[str, Any]]:
    schedule = prepared.schedule
    base = {"period": key, "state": "pending", "attempts": 0, "rate_limited": 0, "next_attempt_at": now,
            "deadline": period_end(schedule, prepared.period)}
    if schedule is not None and schedule.channel:
        yield {**base, "kind": "summary", "recipient": schedule.channel, "handle": None,
               "payload": renderer.summary(prepared.summary)}
    if schedule is not None and schedule.direct_messages:
        for digest in prepared.recipients:
            yield {**base, "kind": "person", "recipient": digest.slack_id, "handle": digest.handle,
                   "payload": renderer.person(digest)}


def period_end(schedule: Schedule | None, period: datetime) -> datetime:
    """When a period's digest stops being worth sending: the next fire time (a fresher digest replaces it)."""
    if schedule is None:
        return period + DIGEST_DEADLINE_FALLBACK
    return schedule.cron.next_after(period.astimezone(schedule.zone))


def _expire_older(session: Session, key: str) -> None:
    """A new period supersedes what an older run never got to send: a stale digest is worse than none."""
    session.execute(update(DigestDelivery).where(DigestDelivery.period < key, DigestDelivery.state == "pending")
                    .values(state="expired", claimed_until=None, claim_token=None)
                    .execution_options(synchronize_session=False))
