"""Ownership changes from Slack: propose, approve or reject, accept or decline, apply, expire.

The Accountable decides (bot/ownership/authority.py); a change that would leave an ownership gap
needs an admin; everyone who would become Responsible or Accountable is asked first. Applying is
one transaction through the import's store code (bot/store/sync.write_document), audited with the
action "slack_change", so `raci history`, the digest and every replica's reload see it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.changes import notices
from bot.changes.limits import DEFAULT_EXPIRE_AFTER, MAX_LISTED
from bot.changes.model import (
    ChangeRefused,
    ChangeView,
    Letters,
    NewPerson,
    NothingToChange,
    Waiting,
    as_activity,
    check_refs,
    clean_reason,
    holders,
    letter_diff,
    newly_owning,
    normalized,
    view_of,
)
from bot.learning.service import Person
from bot.ownership import authority
from bot.ownership.index import Ownership
from bot.ownership.live import OwnershipService
from bot.ownership.matrix import lock_imports
from bot.raci_file import parse_duration
from bot.raci_file.diff import Change
from bot.raci_file.model import Person as MatrixPerson
from bot.raci_file.model import name_key
from bot.raci_file.rules import activity_gaps, check
from bot.store import change_models as cm
from bot.store import models as m
from bot.store.audit import record_changes
from bot.store.snapshot import read_activities, read_names, stored_document
from bot.store.sync import write_document

ACTION = "slack_change"  # the audit action of applied changes (a matrix action: replicas reload on it)
BOOKKEEPING = "slack_change_request"  # proposals and decisions that change no owner


@dataclass(frozen=True)
class Proposal:
    """A new change request and whom it was sent to (handle -> "Accountable" or "admin")."""

    change: ChangeView
    approvers: dict[str, str]


class Changes:
    """Change requests over the live ownership index and the store."""

    def __init__(self, service: OwnershipService) -> None:
        self.service = service

    # -- settings --------------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return self.service.current.doc.settings.changes.from_slack is not False

    @property
    def file_url(self) -> str | None:
        return self.service.current.doc.settings.changes.file_url

    def expire_after(self) -> timedelta:
        text = self.service.current.doc.settings.changes.expire_after
        return parse_duration(text) if text else DEFAULT_EXPIRE_AFTER

    # -- propose ---------------------------------------------------------------------------------

    def current_letters(self, activity: str) -> tuple[str, Letters]:
        """The activity's name and its letters now; ChangeRefused when it is unknown."""
        found = self.service.current.activity(activity)
        if found is None:
            raise ChangeRefused(f"{activity[:100]} is not an activity of the RACI matrix; `/raci list` shows them.")
        return found.name, normalized(found.raci)

    def propose(self, *, session: Session, activity: str, letters: Letters, reason: str, person: Person,
                now: datetime, new_people: list[NewPerson] | None = None) -> Proposal:
        """Record a change request and ask its approvers; NothingToChange when it changes nothing."""
        if not self.enabled:
            raise ChangeRefused("Ownership changes are made in the RACI file here, not in Slack.")
        ownership = self.service.current
        name, before = self.current_letters(activity)
        after = check_refs(ownership, letters, new_people or [])
        if after == before:
            raise NothingToChange(f"That is what {name} has already: nothing to change.")
        why = clean_reason(reason)
        used = {r[1:] for refs in after.values() for r in refs if r.startswith("@")}
        added = [p.to_json() for p in new_people or [] if p.handle in used and p.handle not in ownership.people]
        admins_only = _gap(name, after)
        approvers = self._approvers(ownership, name)
        row = cm.ChangeRequest(activity=name, activity_key=name_key(name), status=cm.PENDING, before=before,
                               after=after, new_people=added, reason=why, proposed_by=person.identity,
                               proposer_slack=person.slack_user, proposed_at=now, admins_only=admins_only,
                               awaiting=[], accepted=[])
        session.add(row)
        session.flush()
        view = view_of(row)
        self._audit(session, view, "proposed", person.identity)
        payload = self._payload(ownership, row, proposer=person.slack_user or person.identity)
        for handle, title in approvers.items():
            may = title == "admin" or not admins_only
            notices.send(session, kind=notices.APPROVAL, change_id=view.id,
                         recipients=self._slack_ids(ownership, [handle]),
                         payload={**payload, "can_decide": may, "title": title}, now=now)
        return Proposal(view, approvers)

    # -- decide ----------------------------------------------------------------------------------

    def decide(self, *, session: Session, change_id: int, approve: bool, person: Person, now: datetime,
               note: str | None = None) -> ChangeView:
        """Approve or reject a pending request; refused unless Accountable holder or admin (admin for a gap)."""
        ownership = self.service.current
        row = self._row(session, change_id)
        if not self._may_decide(ownership, person, row):
            who = "an admin" if row.admins_only else f"an Accountable holder of {row.activity} or an admin"
            raise ChangeRefused(f"Only {who} can decide on change #{row.id}.")
        if row.status != cm.PENDING:
            raise ChangeRefused(f"Change #{row.id} was already decided: it is {row.status}.")
        if self._stale(session, row, person, now):
            return view_of(row)
        row.decided_at = now
        if not approve:
            self._close(session, row, cm.REJECTED, person.identity, clean_note(note), now)
            return view_of(row)
        row.approved_by = person.identity
        awaiting = [h for h in newly_owning(ownership, row.before, row.after) if h != person.handle]
        row.awaiting, row.status = awaiting, cm.APPROVED
        self._audit(session, view_of(row), "approved", person.identity)
        self._update_approvals(session, ownership, row, now)
        if awaiting:
            self._ask_acceptance(session, ownership, row, now)
            return view_of(row)
        return self.apply(session=session, change_id=change_id, now=now)

    def answer(self, *, session: Session, change_id: int, accept: bool, person: Person, now: datetime) -> ChangeView:
        """Accept or decline becoming Responsible/Accountable; refused for anyone not asked."""
        ownership = self.service.current
        row = self._row(session, change_id)
        if person.handle is None or person.handle not in (row.awaiting or []):
            raise ChangeRefused(f"Change #{row.id} does not wait for your answer.")
        if row.status != cm.APPROVED:
            raise ChangeRefused(f"Change #{row.id} is {row.status}: there is nothing to answer.")
        if person.handle in (row.accepted or []):
            return view_of(row)
        if not accept:
            self._close(session, row, cm.DECLINED, person.identity,
                        f"@{person.handle} declined to become {self._letters_of(ownership, row, person.handle)}.",
                        now)
            return view_of(row)
        row.accepted = [*(row.accepted or []), person.handle]
        self._audit(session, view_of(row), "accepted", person.identity)
        notices.send(session, kind=notices.ANSWERED, change_id=row.id,
                     recipients=self._slack_ids(ownership, [person.handle], row),
                     payload={"id": row.id, "activity": row.activity, "status": "accepted"}, now=now,
                     update="accept")
        if set(row.awaiting) - set(row.accepted):
            return view_of(row)
        return self.apply(session=session, change_id=change_id, now=now)

    # -- apply -----------------------------------------------------------------------------------

    def apply(self, *, session: Session, change_id: int, now: datetime) -> ChangeView:
        """Write an approved, fully accepted request into the matrix (or mark it stale); the live index is
        rebuilt when the caller's transaction commits."""
        ownership = self.service.current
        lock_imports(session)
        row = self._row(session, change_id)
        if row.status != cm.APPROVED:
            return view_of(row)
        if self._stale(session, row, Person(row.approved_by or "raci-bot"), now):
            return view_of(row)
        doc = stored_document(session)
        activity = next(a for a in doc.activities if name_key(a.name) == row.activity_key)
        activity.raci = {k: list(v) for k, v in normalized(row.after).items()}
        known = {p.handle for p in doc.people}
        doc.people += [MatrixPerson(handle=p["handle"], name=p["name"], slack_id=p["slack_id"])
                       for p in row.new_people or [] if p["handle"] not in known]
        errors = [f for f in check(doc, source="store") if f.kind == "error"]
        if errors:
            self._close(session, row, cm.STALE, "raci-bot", f"the matrix would not be valid: {errors[0]}", now)
            return view_of(row)
        actor = f"{row.proposed_by}, approved by {row.approved_by}"
        write_document(session, doc, actor=actor, source=f"slack change #{row.id}", action=ACTION)
        row.status, row.applied_at = cm.APPLIED, now
        view = view_of(row)
        record_changes(session, [Change("change_request", row.activity, "changed", _details(view))],
                       actor=actor, source=f"slack change #{row.id}", action=ACTION)
        self._tell_applied(session, ownership, row, now)
        self.service.refresh_after_commit(session)
        return view

    # -- expire and read -------------------------------------------------------------------------

    def expire(self, *, session: Session, now: datetime) -> int:
        """Close every open request older than `settings.changes.expire_after`; returns how many."""
        cutoff = now - self.expire_after()
        rows = list(session.scalars(select(cm.ChangeRequest).where(cm.ChangeRequest.status.in_(cm.OPEN),
                                                                   cm.ChangeRequest.proposed_at < cutoff)))
        for row in rows:
            waited = "an approval" if row.status == cm.PENDING else "every new owner to accept"
            self._close(session, row, cm.EXPIRED, "raci-bot",
                        f"it waited for {waited} longer than {self._expire_text()}.", now)
        return len(rows)

    def listing(self, *, session: Session, open_only: bool = False, limit: int = MAX_LISTED) -> list[ChangeView]:
        """Change requests, newest first."""
        query = select(cm.ChangeRequest).order_by(cm.ChangeRequest.id.desc()).limit(limit)
        if open_only:
            query = query.where(cm.ChangeRequest.status.in_(cm.OPEN))
        return [view_of(row) for row in session.scalars(query)]

    def waiting_for(self, *, session: Session, person: Person) -> Waiting:
        """What waits for this person (App Home): requests `decide` would take from them, and their acceptance."""
        ownership = self.service.current
        query = select(cm.ChangeRequest).where(cm.ChangeRequest.status.in_(cm.OPEN)).order_by(cm.ChangeRequest.id)
        waiting = Waiting([], [])
        for row in session.scalars(query):
            proposer = row.proposer_slack or row.proposed_by
            if row.status == cm.PENDING and self._may_decide(ownership, person, row):
                waiting.approvals.append({**self._payload(ownership, row, proposer=proposer), "can_decide": True})
            elif row.status == cm.APPROVED and person.handle in set(row.awaiting or []) - set(row.accepted or []):
                letters = newly_owning(ownership, row.before, row.after).get(person.handle or "", [])
                waiting.accepts.append({**self._payload(ownership, row, proposer=proposer), "letters": letters})
        return waiting

    def get(self, *, session: Session, change_id: int) -> ChangeView | None:
        """One change request, or None when there is no such ID."""
        row = session.get(cm.ChangeRequest, change_id)
        return view_of(row) if row else None

    # -- helpers ---------------------------------------------------------------------------------

    def _approvers(self, ownership: Ownership, activity: str) -> dict[str, str]:
        found = {h: "Accountable" for h in authority.accountable_handles(ownership, activity)}
        return found | {h: "admin" for h in ownership.doc.settings.admins if h not in found}

    @staticmethod
    def _may_decide(ownership: Ownership, person: Person, row: cm.ChangeRequest) -> bool:
        """The one check `decide` and `waiting_for` share: the terminal, an admin, or (no gap) an Accountable."""
        return person.trusted or authority.may_decide(ownership, person.handle, row.activity,
                                                      admins_only=row.admins_only)

    def _row(self, session: Session, change_id: int) -> cm.ChangeRequest:
        row = session.get(cm.ChangeRequest, change_id, with_for_update=True)
        if row is None:
            raise ChangeRefused(f"There is no change #{change_id}.")
        return row

    def _stale(self, session: Session, row: cm.ChangeRequest, person: Person, now: datetime) -> bool:
        """Mark the request stale when its activity changed since it was proposed."""
        activity_id = session.scalar(select(m.Activity.id).where(m.Activity.name_key == row.activity_key))
        found = read_activities(session, read_names(session), [activity_id]) if activity_id is not None else {}
        activity = found[activity_id][1] if activity_id in found else None
        if activity is not None and normalized(activity.raci) == normalized(row.before):
            return False
        gone = "was removed" if activity is None else "changed since it was proposed"
        self._close(session, row, cm.STALE, person.identity,
                    f"{row.activity} {gone} (by an import or another change); propose it again.", now)
        return True

    def _close(self, session: Session, row: cm.ChangeRequest, status: str, by: str, note: str | None,
               now: datetime) -> None:
        ownership = self.service.current
        was_pending = row.status == cm.PENDING
        row.status, row.closed_by, row.closing_note, row.decided_at = status, by, note, row.decided_at or now
        view = view_of(row)
        self._audit(session, view, status, by)
        if was_pending:
            self._update_approvals(session, ownership, row, now)
        else:
            waiting = [h for h in row.awaiting or [] if h not in (row.accepted or [])]
            notices.send(session, kind=notices.ANSWERED, change_id=row.id,
                         recipients=self._slack_ids(ownership, waiting, row),
                         payload={"id": row.id, "activity": row.activity, "status": status}, now=now, update="accept")
        self._tell_proposer(session, row, {"status": status, "by": _mention(ownership, by), "note": note}, now)

    def _update_approvals(self, session: Session, ownership: Ownership, row: cm.ChangeRequest, now: datetime) -> None:
        payload = {"id": row.id, "activity": row.activity, "status": row.status,
                   "decided_by": _mention(ownership, row.approved_by or row.closed_by), "note": row.closing_note}
        notices.send(session, kind=notices.DECIDED, change_id=row.id,
                     recipients=self._slack_ids(ownership, list(self._approvers(ownership, row.activity))),
                     payload=payload, now=now, update="approval")

    def _ask_acceptance(self, session: Session, ownership: Ownership, row: cm.ChangeRequest, now: datetime) -> None:
        base = self._payload(ownership, row, proposer=row.proposer_slack or row.proposed_by)
        for handle, letters in newly_owning(ownership, row.before, row.after).items():
            if handle in row.awaiting:
                notices.send(session, kind=notices.ACCEPT, change_id=row.id,
                             recipients=self._slack_ids(ownership, [handle], row),
                             payload={**base, "letters": letters}, now=now)

    def _tell_proposer(self, session: Session, row: cm.ChangeRequest, extra: dict[str, object], now: datetime) -> None:
        if row.proposer_slack:
            notices.send(session, kind=notices.OUTCOME, change_id=row.id, recipients={"proposer": row.proposer_slack},
                         payload={"id": row.id, "activity": row.activity, **extra}, now=now)

    def _tell_applied(self, session: Session, ownership: Ownership, row: cm.ChangeRequest, now: datetime) -> None:
        approver = _mention(ownership, row.approved_by)
        payload = {**self._payload(ownership, row, proposer=row.proposer_slack or row.proposed_by),
                   "approved_by": approver}
        self._tell_proposer(session, row, {"status": cm.APPLIED, "by": approver, "note": None}, now)
        owners = set()
        for letter in ("R", "A"):
            owners |= holders(ownership, row.before.get(letter, [])) | holders(ownership, row.after.get(letter, []))
        told = self._slack_ids(ownership, sorted(owners), row)
        told = {h: s for h, s in told.items() if s != row.proposer_slack}
        notices.send(session, kind=notices.APPLIED, change_id=row.id, recipients=told, payload=payload, now=now)
        informed = self._slack_ids(ownership, sorted(holders(ownership, row.after.get("I", [])) - owners), row)
        informed = {h: s for h, s in informed.items() if s != row.proposer_slack}
        notices.send(session, kind=notices.FYI, change_id=row.id, recipients=informed, payload=payload, now=now)

    def _slack_ids(self, ownership: Ownership, handles: list[str],
                   row: cm.ChangeRequest | None = None) -> dict[str, str]:
        added = {p["handle"]: p["slack_id"] for p in (row.new_people if row is not None else None) or []}
        out = {}
        for handle in handles:
            person = ownership.people.get(handle)
            slack_id = person.slack_id if person is not None else added.get(handle)
            if slack_id:
                out[handle] = slack_id
        return out

    def _payload(self, ownership: Ownership, row: cm.ChangeRequest, *, proposer: str) -> dict[str, object]:
        """What every DM about a request shows: the diff with readable names, the proposer and the reason."""
        view = view_of(row)
        labels = self._labels(ownership, view, row.new_people or [])
        diff = {letter: {side: [labels.get(ref, [ref, None]) for ref in refs] for side, refs in sides.items()}
                for letter, sides in view.diff.items()}
        return {"id": view.id, "activity": view.activity, "proposer": proposer, "reason": view.reason,
                "diff": diff, "admins_only": view.admins_only}

    @staticmethod
    def _labels(ownership: Ownership, view: ChangeView, new_people: list[dict[str, str]]
                ) -> dict[str, list[str | None]]:
        """ref -> [name, Slack ID or None]: roles by name, people as mentions when Slack knows them."""
        added = {p["handle"]: p for p in new_people}
        labels: dict[str, list[str | None]] = {}
        for refs in (*view.before.values(), *view.after.values()):
            for ref in refs:
                if ref.startswith("@"):
                    person = ownership.people.get(ref[1:])
                    slack_id = person.slack_id if person else (added.get(ref[1:]) or {}).get("slack_id")
                    labels[ref] = [ref, slack_id]
                else:
                    role = ownership.roles.get(ref)
                    labels[ref] = [role.name if role else ref, None]
        return labels

    def _letters_of(self, ownership: Ownership, row: cm.ChangeRequest, handle: str) -> str:
        letters = newly_owning(ownership, row.before, row.after).get(handle, [])
        return " and ".join({"R": "Responsible", "A": "Accountable"}[x] for x in letters) or "an owner"

    def _expire_text(self) -> str:
        return self.service.current.doc.settings.changes.expire_after or "7d"

    @staticmethod
    def _audit(session: Session, view: ChangeView, step: str, actor: str) -> None:
        record_changes(session, [Change("change_request", view.activity, "changed", {**_details(view), "step": step})],
                       actor=actor, source=f"slack change #{view.id}", action=BOOKKEEPING)


def _mention(ownership: Ownership, identity: str | None) -> str | None:
    """A Slack user ID for "@handle" when the matrix knows it (the DM mentions them), else the identity."""
    person = ownership.people.get(identity[1:]) if identity and identity.startswith("@") else None
    return person.slack_id if person is not None and person.slack_id else identity


def _gap(name: str, after: Letters) -> bool:
    """True when the proposal would leave the activity with no Accountable or no Responsible."""
    return any(kind in ("no_accountable", "no_responsible") for kind, _ in activity_gaps(as_activity(name, after)))


def _details(view: ChangeView) -> dict[str, object]:
    """The audit entry's details: who proposed, approved and accepted, why, and the diff."""
    return {"change": view.id, "status": view.status, "proposed_by": view.proposed_by,
            "approved_by": view.approved_by, "acceptors": list(view.accepted), "reason": view.reason,
            "diff": letter_diff(view.before, view.after)}


def clean_note(note: str | None) -> str | None:
    """A rejection's optional reason, trimmed (NULs dropped: it only explains)."""
    text = (note or "").replace("\x00", "").strip()[:1000]
    return text or None

