"""The learning flows: a pick proposes or confirms a phrase; an owner approves, rejects, teaches or forgets.

Who may decide about an activity's phrases: its Accountable holders (org-wide or in any team) and
the matrix's admins (`settings.admins`). Everyone else is refused and nothing changes.

Every flow runs in the caller's session (keyword-only `session=`): the edge opens the transaction
and commits it. A change that makes a phrase answer (or stop answering) rebuilds the live index
once that transaction commits, never before: the rebuild reads the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.errors import RaciError
from bot.learning import notices
from bot.learning import store as db
from bot.learning.limits import DEFAULT_CONFIRMATIONS
from bot.learning.text import clean_phrase, phrase_problem
from bot.ownership import authority
from bot.ownership.index import Ownership
from bot.ownership.live import OwnershipService
from bot.raci_file.model import name_key
from bot.store import learning_models as lm
from bot.store import models as m


class LearningRefused(RaciError):
    """A learning request that is not allowed or not possible; the message says why."""


@dataclass(frozen=True)
class Person:
    """Who acts: their audit identity ("@ana", or a Slack user ID for someone not in the matrix)."""

    identity: str
    handle: str | None = None
    slack_user: str | None = None  # their Slack user ID, to mention them in the approval DMs
    trusted: bool = False  # the terminal: whoever can run `raci` can change the store anyway


@dataclass(frozen=True)
class PhraseView:
    """A learned phrase as the CLI, App Home and the DMs show it."""

    id: int
    phrase: str
    activity: str
    status: str
    pickers: tuple[str, ...]
    proposed_by: str
    proposed_at: datetime
    source: str | None
    decided_by: str | None

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "phrase": self.phrase, "activity": self.activity, "status": self.status,
                "confirmations": len(self.pickers), "pickers": list(self.pickers),
                "proposed_by": self.proposed_by, "proposed_at": self.proposed_at.isoformat(),
                "source": self.source, "decided_by": self.decided_by}


@dataclass(frozen=True)
class PickResult:
    """What a pick did: the phrase (None when nothing was recorded) and whether it is now active."""

    phrase: PhraseView | None
    activated: bool = False
    proposed: bool = False   # a new pending phrase: its Accountable holders should be asked
    note: str | None = None  # why nothing was recorded


def _view(row: lm.LearnedPhrase, activity: str) -> PhraseView:
    return PhraseView(row.id, row.phrase, activity, row.status, tuple(row.pickers or ()), row.proposed_by,
                      row.proposed_at, row.source, row.decided_by)


class Learning:
    """Learned phrases over the live ownership index and the store."""

    def __init__(self, service: OwnershipService) -> None:
        self.service = service

    # -- who may decide ------------------------------------------------------------------------

    def deciders(self, activity: str) -> list[str]:
        """Handles of the Accountable holders of an activity, org-wide and in every team."""
        return authority.accountable_handles(self.service.current, activity)

    def recipients(self, activity: str) -> dict[str, str]:
        """Accountable holders with a Slack ID (handle -> ID): whom the approval DMs go to."""
        people = self.service.current.people
        return {h: slack_id for h in self.deciders(activity) if (slack_id := people[h].slack_id)}

    def may_decide(self, person: Person, activity: str) -> bool:
        """True for an admin or an Accountable holder of the activity."""
        return person.trusted or authority.may_decide(self.service.current, person.handle, activity)

    def confirmations_needed(self) -> int:
        return self.service.current.doc.settings.learning.confirmations or DEFAULT_CONFIRMATIONS

    # -- picks -----------------------------------------------------------------------------------

    def pick(self, *, session: Session, question: str, activity: str, person: Person, source: str | None,
             now: datetime) -> PickResult:
        """Someone picked `activity` for `question`: propose, confirm, or (by an owner) approve it."""
        ownership = self.service.current
        try:
            phrase, key = self._checked(ownership, question, activity)
        except LearningRefused as exc:
            return PickResult(None, note=str(exc))
        # Before the savepoint: on SQLite this statement opens the caller's transaction (pysqlite would
        # otherwise let the savepoint's release commit it) and takes the write lock that queues other picks.
        db.write_lock(session)
        for _attempt in range(2):  # a concurrent first pick of the same phrase wins the insert; then we confirm
            try:
                with session.begin_nested():  # a lost insert undoes only this attempt, not the caller's work
                    result = self._record_pick(session, phrase, key, activity, person, source, now)
                break
            except IntegrityError:
                continue
        else:
            return PickResult(None, note="that phrase is being recorded by someone else right now")
        if result.activated:
            self.service.refresh_after_commit(session)
        return result

    def _record_pick(self, session: Session, phrase: str, key: str, activity: str, person: Person,
                     source: str | None, now: datetime) -> PickResult:
        owner = self.may_decide(person, activity)
        activity_id = self._activity_id(session, activity)
        row = db.find(session, activity=activity_id, key=key, lock=True)
        if row is not None and row.status != lm.PENDING:
            return PickResult(_view(row, activity))  # active already, or rejected: never proposed again
        proposed = row is None
        if row is None:
            row = lm.LearnedPhrase(activity_id=activity_id, phrase=phrase, phrase_key=key, status=lm.PENDING,
                                   pickers=[person.identity], proposed_by=person.identity, proposed_at=now,
                                   source=source)
            session.add(row)
            session.flush()
            db.audit(session, phrase=row, activity=activity, change="proposed", actor=person.identity,
                     source=source, active=False)
        elif person.identity not in row.pickers:
            row.pickers = [*row.pickers, person.identity]
            db.audit(session, phrase=row, activity=activity, change="confirmed", actor=person.identity,
                     source=source, active=False)
        activated = owner or len(row.pickers) >= self.confirmations_needed()
        if activated:
            row.status, row.decided_at = lm.ACTIVE, now
            row.decided_by = person.identity if owner else f"{len(row.pickers)} confirmations"
            db.audit(session, phrase=row, activity=activity, change="approved" if owner else "confirmed",
                     actor=person.identity, source=source, active=True)
        if proposed and not activated:
            notices.enqueue_approval_requests(
                session, phrase_id=row.id, phrase=row.phrase, activity=activity,
                asker=person.slack_user or person.identity, recipients=self.recipients(activity), now=now)
        elif activated and not proposed:
            self._decided(session, row, activity, person if owner else Person(row.decided_by or ""), now)
        return PickResult(_view(row, activity), activated=activated, proposed=proposed and not activated)

    # -- decisions -------------------------------------------------------------------------------

    def decide(self, *, session: Session, phrase_id: int, approve: bool, person: Person, now: datetime,
               source: str | None = None) -> PhraseView:
        """Approve or reject a pending (or active) phrase; refused unless admin or Accountable."""
        db.write_lock(session)
        found = session.get(lm.LearnedPhrase, phrase_id, with_for_update=True)
        if found is None:
            raise LearningRefused("That phrase is no longer known (it was forgotten, or its activity removed).")
        activity = self._activity_name(session, found.activity_id)
        if not self.may_decide(person, activity):
            raise LearningRefused(f"Only an Accountable holder of {activity} or an admin can decide this.")
        status = lm.ACTIVE if approve else lm.REJECTED
        changed = found.status != status
        was_active = found.status == lm.ACTIVE
        if changed:
            found.status, found.decided_by, found.decided_at = status, person.identity, now
            db.audit(session, phrase=found, activity=activity, change="approved" if approve else "rejected",
                     actor=person.identity, source=source, active=approve or was_active)
            self._decided(session, found, activity, person, now)
        view = _view(found, activity)
        if changed and (approve or was_active):
            self.service.refresh_after_commit(session)
        return view

    def teach(self, *, session: Session, phrase_text: str, activity_query: str, person: Person, now: datetime,
              source: str | None = None) -> PhraseView:
        """`teach PHRASE = ACTIVITY`: active at once, for an admin or an Accountable holder of it."""
        activity = self.resolve_activity(activity_query)
        if not self.may_decide(person, activity):
            raise LearningRefused(f"Only an Accountable holder of {activity} or an admin can teach phrases for it.")
        phrase, key = self._checked(self.service.current, phrase_text, activity)
        activity_id = self._activity_id(session, activity)
        row = db.find(session, activity=activity_id, key=key, lock=True)
        if row is None:
            row = lm.LearnedPhrase(activity_id=activity_id, phrase=phrase, phrase_key=key, pickers=[],
                                   proposed_by=person.identity, proposed_at=now, source=source)
            session.add(row)
        row.status, row.decided_by, row.decided_at = lm.ACTIVE, person.identity, now
        session.flush()
        db.audit(session, phrase=row, activity=activity, change="taught", actor=person.identity,
                 source=source, active=True)
        view = _view(row, activity)
        self.service.refresh_after_commit(session)
        return view

    def forget(self, *, session: Session, phrase_text: str, person: Person,
               source: str | None = None) -> list[PhraseView]:
        """Remove a phrase from every activity the person may decide for; refused if none."""
        key = self.service.current.matcher.phrase_key(phrase_text)
        rows = db.by_key(session, key) if key else []
        if not rows:
            raise LearningRefused(f"I haven't learned “{clean_phrase(phrase_text)[:100]}”.")
        allowed = [(row, activity) for row, activity in rows if self.may_decide(person, activity)]
        if not allowed:
            names = ", ".join(sorted({a for _, a in rows}))
            raise LearningRefused(f"Only an Accountable holder of {names} or an admin can forget it.")
        for row, activity in allowed:
            db.audit(session, phrase=row, activity=activity, change="forgot", actor=person.identity,
                     source=source, active=row.status == lm.ACTIVE)
            session.delete(row)
        views = [_view(row, activity) for row, activity in allowed]
        self.service.refresh_after_commit(session)
        return views

    # -- reading ---------------------------------------------------------------------------------

    def phrases(self, *, session: Session, pending_only: bool = False) -> list[PhraseView]:
        """Every learned phrase (or only the pending ones), as the CLI lists them."""
        return [_view(row, activity) for row, activity in db.listing(session, pending_only=pending_only)]

    def pending_for(self, *, session: Session, person: Person) -> list[PhraseView]:
        """Pending phrases of the activities this person may decide for (App Home)."""
        return [p for p in self.phrases(session=session, pending_only=True) if self.may_decide(person, p.activity)]

    def phrase(self, *, session: Session, phrase_id: int) -> PhraseView | None:
        """One phrase by id; None once it was forgotten."""
        found = session.get(lm.LearnedPhrase, phrase_id)
        return _view(found, self._activity_name(session, found.activity_id)) if found else None

    def find_by_text(self, *, session: Session, phrase_text: str) -> list[PhraseView]:
        """The phrases (one per activity) that read like `phrase_text`."""
        key = self.service.current.matcher.phrase_key(phrase_text)
        return [_view(row, activity) for row, activity in db.by_key(session, key)] if key else []

    def resolve_activity(self, text: str) -> str:
        """An activity by name, or by any question that resolves to exactly one."""
        ownership = self.service.current
        found = ownership.activity(text)
        if found is not None:
            return found.name
        answer = ownership.answer(text)
        if answer.status == "match" and answer.activity:
            return answer.activity
        raise LearningRefused(f"“{clean_phrase(text)[:100]}” is not one activity I know; "
                              "give its name as in `/raci list`.")

    # -- helpers ---------------------------------------------------------------------------------

    def _checked(self, ownership: Ownership, text: str, activity: str) -> tuple[str, str]:
        """The cleaned phrase and its key, or LearningRefused saying why it cannot be learned."""
        problem = phrase_problem(text)
        if problem is not None:
            raise LearningRefused(problem[0].upper() + problem[1:] + ".")
        phrase = clean_phrase(text)
        key = ownership.matcher.phrase_key(phrase)
        if not key:
            raise LearningRefused(f"“{phrase[:100]}” has no words I could tell apart from another question.")
        # A name or alias that reads like the phrase is a complete match: the top or a tied candidate.
        result = ownership.matcher.match(phrase)
        rivals = {result.activity, *(c.activity for c in result.candidates), ownership.activity(phrase)}
        for other in (ownership.activity(r) if isinstance(r, str) else r for r in rivals if r is not None):
            if other is None or name_key(other.name) == name_key(activity):
                continue
            for name in (other.name, *other.aliases):
                if name_key(name) == name_key(phrase) or ownership.matcher.phrase_key(name) == key:
                    raise LearningRefused(f"“{phrase[:100]}” is already the name or an alias of {other.name}.")
        return phrase, key

    def _decided(self, session: Session, row: lm.LearnedPhrase, activity: str, person: Person,
                 now: datetime) -> None:
        """Update the approval DMs of this phrase: decided, and by whom."""
        notices.enqueue_decided_updates(session, phrase_id=row.id, phrase=row.phrase, activity=activity,
                                        status=row.status, decided_by=person.slack_user or person.identity,
                                        recipients=self.recipients(activity), now=now)

    @staticmethod
    def _activity_id(session: Session, activity: str) -> int:
        found = db.activity_id(session, activity)
        if found is None:
            raise LearningRefused(f"{activity} is no longer in the RACI matrix.")
        return found

    @staticmethod
    def _activity_name(session: Session, activity_id: int) -> str:
        return session.get_one(m.Activity, activity_id).name
