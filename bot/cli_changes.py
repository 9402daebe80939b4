"""`raci changes` and `raci diff`: ownership changes proposed in Slack, and what differs from a file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.changes.model import ChangeRefused
from bot.ownership.matrix import default_actor, diff_file
from bot.raci_file.model import LETTER_NAMES
from bot.store.db import Store

if TYPE_CHECKING:
    from bot.changes.model import ChangeView


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """The `changes` and `diff` subcommands."""
    p = sub.add_parser("changes", parents=[common], help="ownership changes proposed in Slack",
                       description="List change requests (newest first) with their state, or approve or reject "
                       "one by ID. Whoever can run this is trusted like an admin; the DMs go out from the app.")
    p.add_argument("action", nargs="?", choices=("approve", "reject"), metavar="ACTION",
                   help="approve or reject (none: list)")
    p.add_argument("id", nargs="?", type=int, metavar="ID", help="the change request's number")
    p.add_argument("--reason", metavar="TEXT", help="reject: why (told to the proposer)")
    p.add_argument("--open", action="store_true", help="only requests still waiting (pending or approved)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p = sub.add_parser("diff", parents=[common], help="what differs between the store and a RACI file",
                       description="Lines starting with - are in the file only, + in the store only, ~ differ "
                       "(store value last): the patch to commit so the file keeps Slack's changes.")
    p.add_argument("file", type=Path, metavar="FILE")


def run_changes(args: argparse.Namespace, store: Store, out: TextIO) -> int:
    """List, approve or reject change requests."""
    from bot.changes.service import Changes  # the services, only for this command (`raci import` starts faster)
    from bot.learning.service import Person
    from bot.ownership.live import OwnershipService
    from bot.runtime.ticker import utcnow

    changes = Changes(OwnershipService(store))
    if args.action is None:
        with store.session() as session:
            listed = changes.listing(session=session, open_only=args.open)
        if args.json:
            out.writelines(json.dumps(c.to_json()) + "\n" for c in listed)
        else:
            out.write(changes_text(listed))
        return 0
    if args.id is None:
        raise ChangeRefused(f"raci changes {args.action} needs the ID (`raci changes --open` lists them)")
    with store.session() as session:
        done = changes.decide(session=session, change_id=args.id, approve=args.action == "approve",
                              person=Person(default_actor(), trusted=True), now=utcnow(), note=args.reason)
    out.write(f"change #{done.id} ({done.activity}): {done.status}"
              + (f" — waiting for {', '.join('@' + h for h in done.awaiting)} to accept" if done.status == "approved"
                 else "") + (f" — {done.closing_note}" if done.closing_note else "") + "\n")
    return 0


def run_diff(args: argparse.Namespace, store: Store, out: TextIO) -> int:
    """What importing FILE would change, shown as the store's side: exit 1 when they differ (like diff)."""
    with store.session() as session:
        found = diff_file(session=session, path=args.file)
    if not found:
        out.write(f"the store and {args.file} hold the same matrix\n")
        return 0
    for change in found:
        # diff_file reads store -> file; a maintainer wants file -> store, the patch to commit
        sign = {"added": "-", "removed": "+", "changed": "~"}[change.change]
        details = ""
        if change.change == "changed":
            details = ": " + ", ".join(f"{k} {_fmt(v[1])} (store: {_fmt(v[0])})" for k, v in change.details.items())
        out.write(f"{sign} {change.subject_type} {change.subject}{details}\n")
    return 1


def _fmt(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: [{', '.join(map(str, v))}]" if isinstance(v, list) else f"{k}: {v}"
                               for k, v in value.items()) + "}"
    return str(value)


def changes_text(changes: list[ChangeView]) -> str:
    if not changes:
        return "No change requests.\n"
    lines = []
    for c in changes:
        diff = "; ".join(f"{LETTER_NAMES[letter]} " + " ".join([*(f"+{r}" for r in sides["added"]),
                                                                 *(f"-{r}" for r in sides["removed"])])
                         for letter, sides in c.diff.items())
        by = f", approved by {c.approved_by}" if c.approved_by else ""
        closed = f", {c.closing_note}" if c.closing_note else ""
        lines.append(f"#{c.id} {c.status:8} {c.activity}: {diff} (by {c.proposed_by}{by}{closed}) — “{c.reason}”")
    return "\n".join(lines) + "\n"
