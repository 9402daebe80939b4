"""The `raci` command: a thin layer over the matrix services; user mistakes become one clear line."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from bot import cli_changes, cli_learned
from bot import cli_output as render
from bot.errors import InvalidRaciFile, RaciError
from bot.ownership.matrix import (
    check_store,
    ensure_loaded,
    export_store,
    history,
    import_file,
    load_ownership,
    read_file,
)
from bot.raci_file.model import RaciDocument
from bot.settings import Settings, database_url_from_env
from bot.store.db import Store

EXAMPLES = """examples:
  raci import data/raci.yaml          make the store equal to a file (YAML or CSV)
  raci ask "who owns the feature store?"
  raci ask --json --team search - < questions.txt
  raci who omar                        everything omar is R, A, C or I for
  raci check                           the format's rules over the store
  raci export --format csv > matrix.csv
  raci digest preview omar             this week's digest of omar (no HANDLE: the summary)
  raci impact omar                     what loses its last owner if omar leaves
  raci learned --pending               questions the bot learned, waiting for a decision

DATABASE_URL (or --db) selects the store; the embedded default is sqlite:///raci.db."""


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="database URL (default: $DATABASE_URL or sqlite:///raci.db)")
    parser = argparse.ArgumentParser(
        prog="raci", parents=[common], description="raci-bot's admin tool: who owns what, from a RACI matrix.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("import", parents=[common], help="make the store equal to a RACI file (.yaml/.yml/.csv)",
                       description="Validate the whole file, then make the store equal to it in one "
                       "transaction. A file with any error changes nothing. A CSV sets only the matrix.")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--allow-mass-removal", action="store_true",
                   help="allow removing more than half of the store's activities (refused otherwise)")
    p.add_argument("--discard-slack-changes", action="store_true",
                   help="import even if it undoes ownership changes made in Slack since the last import")
    p.set_defaults(func=_import)

    p = sub.add_parser("export", parents=[common], help="write the store as a RACI file, or as an HTML page",
                       description="Write the store in the RACI file format (YAML by default), or as one "
                       "self-contained HTML page showing the matrix as a grid (--format html).")
    p.add_argument("--format", choices=["yaml", "csv", "html"], default="yaml")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout")
    p.add_argument("--team", metavar="KEY", help="html: show this team's role holders first")
    p.set_defaults(func=_export)

    p = sub.add_parser("check", parents=[common], help="apply the format's rules to a file or the store",
                       description="Errors and ownership gaps exit 1; warnings alone exit 0.")
    p.add_argument("file", type=Path, nargs="?", metavar="FILE", help="a file to check (default: the store)")
    p.add_argument("--stale", action="store_true", help="list activities unconfirmed for more than one review "
                   "period (settings.review.every), oldest first; exit 1 if any")
    p.set_defaults(func=_check)

    p = sub.add_parser("confirmations", parents=[common], help="the last confirmation of each activity",
                       description="Who last confirmed each activity's owners (the review DMs), and when.")
    p.add_argument("--json", action="store_true", help="one JSON object per activity")
    p.set_defaults(func=_confirmations)

    p = sub.add_parser("ask", parents=[common], help="who owns an activity?",
                       description="Answer who owns an activity. With '-', read one query per line from "
                       "stdin and answer each on its own line, in order.")
    p.add_argument("--json", action="store_true", help="one JSON object per query")
    p.add_argument("--team", metavar="KEY", help="answer with this team's role holders")
    p.add_argument("query", nargs="+", metavar="QUERY", help="free text, or - to read queries from stdin")
    p.set_defaults(func=_ask)

    p = sub.add_parser("who", parents=[common], help="everything a person is R, A, C or I for",
                       description="The reverse lookup, through roles (org-wide and in teams) and directly.")
    p.add_argument("person", metavar="HANDLE", help="a handle, @handle or Slack ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_who)

    p = sub.add_parser("tick", parents=[common], help="advance due escalations and send what is due, once",
                       description="One pass of the ticker the app runs every RACI_TICK_SECONDS, for a cron "
                       "job. Safe to run beside the app and other ticks. Needs SLACK_BOT_TOKEN (and "
                       "SLACK_API_URL for a non-default Slack host).")
    p.set_defaults(func=_tick)

    p = sub.add_parser("escalations", parents=[common], help="list escalations",
                       description="Escalations, newest first: activity, level, status, who acknowledged "
                       "and how long it took.")
    p.add_argument("--open", action="store_true", help="only those not resolved yet")
    p.add_argument("--json", action="store_true", help="one JSON object per escalation")
    p.set_defaults(func=_escalations)

    p = sub.add_parser("digest", parents=[common], help="the weekly ownership digest: preview or send it",
                       description="The digest settings.digest.schedule sends each period: every person's DM "
                       "and the summary for settings.digest.channel.")
    digest = p.add_subparsers(dest="digest_command", metavar="ACTION", required=True)
    d = digest.add_parser("preview", parents=[common], help="print a person's digest, or the summary",
                          description="What this period's digest says now, in the terminal; nothing is sent.")
    d.add_argument("person", nargs="?", metavar="HANDLE", help="a handle, @handle or Slack ID (default: the summary)")
    d.add_argument("--check-slack", action="store_true",
                   help="ask Slack (users.info) who is gone; needs SLACK_BOT_TOKEN")
    d.set_defaults(func=_digest_preview)
    d = digest.add_parser("send", parents=[common], help="send this period's digest now if it has not gone yet",
                          description="Prepare this period's digest if nobody has, and send whatever of it has "
                          "not gone yet, waiting out Slack's rate limits and outages. Safe beside the app and "
                          "other sends. Needs SLACK_BOT_TOKEN (and SLACK_API_URL for a non-default Slack host).")
    d.add_argument("--retry-failed", action="store_true",
                   help="send again this period's deliveries that failed for good (once the cause is fixed)")
    d.set_defaults(func=_digest_send)

    p = sub.add_parser("impact", parents=[common], help="what if this person leaves",
                       description="The activities that would lose their last Responsible or Accountable holder, "
                       "and the roles to refill.")
    p.add_argument("person", metavar="HANDLE", help="a handle, @handle or Slack ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_impact)

    p = sub.add_parser("history", parents=[common], help="who changed the matrix, and when",
                       description="The audit log, newest first.")
    p.add_argument("subject", nargs="?", metavar="SUBJECT", help="an activity name, role key or handle")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=_history)
    cli_learned.add_parser(sub, common)
    cli_changes.add_parsers(sub, common)
    sub.choices["changes"].set_defaults(func=lambda args, out: cli_changes.run_changes(args, _loaded(args), out))
    sub.choices["diff"].set_defaults(func=lambda args, out: cli_changes.run_diff(args, _loaded(args), out))
    sub.choices["learned"].set_defaults(func=_learned)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        command: Callable[[argparse.Namespace, TextIO], int] = args.func
        return command(args, sys.stdout)
    except InvalidRaciFile as exc:
        for finding in exc.findings:
            print(finding, file=sys.stderr)
        print(f"raci: error: {exc}", file=sys.stderr)
        return 1
    except RaciError as exc:
        print(f"raci: error: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"raci: error: database error: {reason}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


def _open(args: argparse.Namespace) -> tuple[Settings, Store]:
    settings = Settings.from_env()
    url = getattr(args, "db", None) or settings.database_url
    return settings, Store.open(database_url_from_env({"DATABASE_URL": url}))


def _loaded(args: argparse.Namespace) -> Store:
    """The store, loaded from RACI_FILE first when it is empty."""
    settings, store = _open(args)
    report = ensure_loaded(store, settings.raci_file)
    if report is not None:
        print(f"raci: the store was empty; loaded {report.source}", file=sys.stderr)
    return store


class TerminalProgress:
    """One progress line with the elapsed time, rewritten in place, when `stream` is a terminal; else nothing."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.on = stream.isatty()
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, phase: str) -> None:
        if self.on:
            # \r and "erase to end of line": the next phase replaces this one instead of scrolling
            self.stream.write(f"\r[{time.monotonic() - self.started:6.1f}s] {phase}...\x1b[K")
            self.stream.flush()
            self.shown = True

    def close(self) -> None:
        """End the line, so what is printed next starts on its own."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _import(args: argparse.Namespace, out: TextIO) -> int:
    _, store = _open(args)
    progress = TerminalProgress(sys.stderr)
    try:
        with store.session() as session:
            report = import_file(session=session, path=args.file, progress=progress,
                                 allow_mass_removal=args.allow_mass_removal,
                                 discard_slack_changes=args.discard_slack_changes)
            progress("committing")
    finally:
        progress.close()
    out.write(render.import_report(report))
    return 0


def _export(args: argparse.Namespace, out: TextIO) -> int:
    if args.format != "html" and args.team:
        raise RaciError("--team applies only to --format html")
    with _loaded(args).session() as session:
        if args.format == "html":
            from bot.matrix_view.html import render_page  # the page's renderer, only for this format

            text = render_page(load_ownership(session=session), team=args.team, now=datetime.now(UTC).astimezone())
        else:
            text = export_store(session=session, fmt=args.format)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        out.write(text)
    return 0


def _who(args: argparse.Namespace, out: TextIO) -> int:
    with _loaded(args).session() as session:
        ownership = load_ownership(session=session)
    person = ownership.person(args.person)
    involvements = ownership.involvements(person)
    if args.json:
        out.write(json.dumps(render.who_json(person, involvements, ownership)) + "\n")
    else:
        out.write(render.who_text(person, involvements, ownership))
    return 0


def _escalations(args: argparse.Namespace, out: TextIO) -> int:
    from bot.escalations.engine import list_escalations  # the features each command needs, when it runs

    _, store = _open(args)
    with store.session() as session:
        listed = list_escalations(session=session, open_only=args.open)
    if args.json:
        out.writelines(json.dumps(render.escalation_json(e)) + "\n" for e in listed)
    else:
        out.write(render.escalations_text(listed))
    return 0


def _impact(args: argparse.Namespace, out: TextIO) -> int:
    from bot.digest.job import person_impact

    with _loaded(args).session() as session:
        found = person_impact(session=session, handle=args.person)
    out.write(json.dumps(render.impact_json(found)) + "\n" if args.json else render.impact_text(found))
    return 0


def _history(args: argparse.Namespace, out: TextIO) -> int:
    _, store = _open(args)
    with store.session() as session:
        out.write(render.history_text(history(session=session, subject=args.subject, limit=args.limit)))
    return 0


def _learned(args: argparse.Namespace, out: TextIO) -> int:
    return cli_learned.run(args, _loaded(args), out)


def _tick(args: argparse.Namespace, out: TextIO) -> int:
    settings, store = _open(args)
    from bot.slack.app import build_ticker, web_client  # the Slack edge, only for the commands that send

    report = build_ticker(store, web_client(settings.require_bot_token())).run_once()
    out.write(f"advanced {report.advanced} escalations, sent {report.sent} messages, {report.failed} failed\n")
    if report.digest is not None and report.digest.start.status != "unscheduled":
        out.write(f"{report.digest}\n")
    return 0


def _digest_preview(args: argparse.Namespace, out: TextIO) -> int:
    from bot.digest.job import preview
    from bot.digest.model import OrgSummary
    from bot.runtime.ticker import utcnow

    settings, store = _open(args)
    ensure_loaded(store, settings.raci_file)
    directory = None
    if args.check_slack:
        from bot.slack.app import web_client
        from bot.slack.directory import SlackDepartureCheck

        directory = SlackDepartureCheck(web_client(settings.require_bot_token()))
    with store.session() as session:
        shown = preview(session=session, now=utcnow(), handle=args.person, directory=directory)
    out.write(render.summary_text(shown) if isinstance(shown, OrgSummary) else render.person_digest_text(shown))
    return 0


def _digest_send(args: argparse.Namespace, out: TextIO) -> int:
    from bot.digest.job import require_schedule
    from bot.runtime.ticker import utcnow

    settings, store = _open(args)
    with store.session() as session:
        require_schedule(session=session)
    from bot.slack.app import outbox_client
    from bot.slack.digest_sender import slack_digests

    step = slack_digests(store, outbox_client(settings.require_bot_token()), budget=None)
    report = step.run(utcnow, send_late=True, retry=args.retry_failed)
    out.write(f"{report}\n")
    return 1 if report.failures else 0


def _confirmations(args: argparse.Namespace, out: TextIO) -> int:
    from bot.review.store import last_confirmations

    with _loaded(args).session() as session:
        found = last_confirmations(session, load_ownership(session=session))
    if args.json:
        out.writelines(json.dumps(c.to_json()) + "\n" for c in found)
    else:
        out.write(render.confirmations_text(found))
    return 0


def _stale(args: argparse.Namespace, out: TextIO) -> int:
    from bot.review.store import review_period, stale
    from bot.runtime.ticker import utcnow

    with _loaded(args).session() as session:
        if review_period(session, now=utcnow()) is None:
            out.write("Reviews are off: set settings.review.every (e.g. 90d) to have owners confirm.\n")
            return 0
        found = stale(session, load_ownership(session=session), now=utcnow())
    out.write(render.stale_text(found))
    return 1 if found else 0


def _check(args: argparse.Namespace, out: TextIO) -> int:
    if args.stale:
        if args.file is not None:
            raise RaciError("raci check --stale reads the store: give no FILE")
        return _stale(args, out)
    if args.file is None:
        with _loaded(args).session() as session:
            findings = check_store(session=session)
    else:
        # A CSV names roles by key, name or alias: resolve them against the store's roles.
        current = RaciDocument()
        if args.file.suffix.lower() == ".csv":
            with _loaded(args).session() as session:
                current = load_ownership(session=session).doc
        try:
            _, findings = read_file(args.file, current=current)
        except InvalidRaciFile as exc:
            findings = exc.findings
    out.write(render.findings_text(findings))
    return 1 if any(f.kind in ("error", "gap") for f in findings) else 0


def _ask(args: argparse.Namespace, out: TextIO) -> int:
    with _loaded(args).session() as session:
        ownership = load_ownership(session=session)
    if args.team:
        ownership.team(args.team)  # an unknown team is a mistake, said once before any answer
    from_stdin = args.query == ["-"]
    queries: Iterator[str] = (line.rstrip("\r\n") for line in sys.stdin) if from_stdin else iter([" ".join(args.query)])
    for query in queries:
        answer = ownership.answer(query, team=args.team)
        out.write(json.dumps(answer.to_json()) + "\n" if args.json else render.answer_text(answer))
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
