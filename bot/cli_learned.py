"""`raci learned`: list what the bot learned, and approve, reject or forget phrases from the terminal."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, TextIO

from bot.ownership.matrix import default_actor
from bot.store.db import Store

if TYPE_CHECKING:
    from bot.learning.service import PhraseView


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """The `learned` subcommand and its verbs."""
    p = sub.add_parser("learned", parents=[common], help="phrases the bot learned from questions",
                       description="List learned phrases (activity, status, confirmations, who decided), or "
                       "approve, reject or forget one. Whoever can run this is trusted like an admin.")
    p.add_argument("action", nargs="?", choices=("approve", "reject", "forget"), metavar="ACTION",
                   help="approve, reject or forget (none: list)")
    p.add_argument("phrase", nargs="?", metavar="PHRASE", help="the phrase, as asked")
    p.add_argument("--activity", metavar="NAME", help="which activity, when the phrase was picked for several")
    p.add_argument("--pending", action="store_true", help="only phrases waiting for a decision")
    p.add_argument("--json", action="store_true", help="one JSON object per line")


def run(args: argparse.Namespace, store: Store, out: TextIO) -> int:
    """List or decide; a phrase nobody taught is one clear error line."""
    from bot.learning.service import Learning, LearningRefused, Person  # only for this command
    from bot.ownership.live import OwnershipService
    from bot.runtime.ticker import utcnow

    learning = Learning(OwnershipService(store))
    if args.action is None:
        with store.session() as session:
            phrases = learning.phrases(session=session, pending_only=args.pending)
        if args.json:
            out.writelines(json.dumps(p.to_json()) + "\n" for p in phrases)
        else:
            out.write(_text(phrases))
        return 0
    if not args.phrase:
        raise LearningRefused(f"raci learned {args.action} needs the PHRASE")
    person = Person(default_actor(), trusted=True)
    if args.action == "forget":
        with store.session() as session:
            forgotten = learning.forget(session=session, phrase_text=args.phrase, person=person, source="raci-cli")
        out.writelines(f"forgot “{p.phrase}” ({p.activity})\n" for p in forgotten)
        return 0
    with store.session() as session:
        target = _one(learning.find_by_text(session=session, phrase_text=args.phrase), args.activity, args.phrase)
        decided = learning.decide(session=session, phrase_id=target.id, approve=args.action == "approve",
                                  person=person, now=utcnow(), source="raci-cli")
    out.write(f"{decided.status}: “{decided.phrase}” -> {decided.activity}\n")
    return 0


def _one(found: list[PhraseView], activity: str | None, phrase: str) -> PhraseView:
    from bot.learning.service import LearningRefused

    if activity is not None:
        found = [p for p in found if p.activity.casefold() == " ".join(activity.split()).casefold()]
    if not found:
        raise LearningRefused(f"no learned phrase “{phrase}”" + (f" for {activity}" if activity else ""))
    if len(found) > 1:
        names = ", ".join(p.activity for p in found)
        raise LearningRefused(f"“{phrase}” was picked for several activities ({names}); say which with --activity")
    return found[0]


def _text(phrases: list[PhraseView]) -> str:
    if not phrases:
        return "No learned phrases.\n"
    lines = []
    for p in phrases:
        decided = f", decided by {p.decided_by}" if p.decided_by else ""
        lines.append(f"{p.status:<8} “{p.phrase}” -> {p.activity} "
                     f"({len(p.pickers)} confirmations, proposed by {p.proposed_by}{decided})")
    return "\n".join(lines) + "\n"
