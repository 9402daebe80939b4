"""The `raci` command: a thin layer over the matrix services; user mistakes become one clear line."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from bot import cli_learned
from bot import cli_output as render
from bot.digest.model import OrgSummary
from bot.digest.service import person_impact, preview, require_schedule
from bot.errors import InvalidRaciFile, RaciError
from bot.escalations.service import list_escalations
from bot.matrix import (
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
from bot.ticker import Ticker, utcnow

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

    p = sub.add_parser("export", parents=[common], help="write the store as a RACI file",
                       description="Write the store in the RACI file format (YAML by default).")
    p.add_argument("--format", choices=["yaml", "csv"], default="yaml")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of stdout")

    p = sub.add_parser("check", parents=[common], help="apply the format's rules to a file or the store",
                       description="Errors and ownership gaps exit 1; warnings alone exit 0.")
    p.add_argument("file", type=Path, nargs="?", metavar="FILE", help="a file to check (default: the store)")

    p = sub.add_parser("ask", parents=[common], help="who owns an activity?",
                       description="Answer who owns an activity. With '-', read one query per line from "
                       "stdin and answer each on its own line, in order.")
    p.add_argument("--json", action="store_true", help="one JSON object per query")
    p.add_argument("--team", metavar="KEY", help="answer with this team's role holders")
    p.add_argument("query", nargs="+", metavar="QUERY", help="free text, or - to read queries from stdin")

    p = sub.add_parser("who", parents=[common], help="everything a person is R, A, C or I for",
                       description="The reverse lookup, through roles (org-wide and in teams) and directly.")
    p.add_argument("person", metavar="HANDLE", help="a handle, @handle or Slack ID")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("tick", parents=[common], help="advance due escalations and send what is due, once",
                       description="One pass of the ticker the app runs every RACI_TICK_SECONDS, for a cron "
                       "job. Safe to run beside the app and other ticks. Needs SLACK_BOT_TOKEN (and "
                       "SLACK_API_URL for a non-default Slack host).")

    p = sub.add_parser("escalations", parents=[common], help="list escalations",
                       description="Escalations, newest first: activity, level, status, who acknowledged "
                       "and how long it took.")
    p.add_argument("--open", action="store_true", help="only those not resolved yet")
    p.add_argument("--json", action="store_true", help="one JSON object per escalation")

    p = sub.add_parser("digest", parents=[common], help="the weekly ownership digest: preview or send it",
                       description="The digest settings.digest.schedule sends each period: every person's DM "
                       "and the summary for settings.digest.channel.")
    digest = p.add_subparsers(dest="digest_command", metavar="ACTION", required=True)
    d = digest.add_parser("preview", parents=[common], help="print a person's digest, or the summary",
                          description="What this period's digest says now, in the terminal; nothing is sent.")
    d.add_argument("person", nargs="?", metavar="HANDLE", help="a handle, @handle or Slack ID (default: the summary)")
    d.add_argument("--check-slack", action="store_true",
                   help="ask Slack (users.info) who is gone; needs SLACK_BOT_TOKEN")
    d = digest.add_parser("send", parents=[common], help="send this period's digest now if it has not gone yet",
                          description="Prepare this period's digest if nobody has, and send whatever of it has "
                          "not gone yet, waiting out Slack's rate limits and outages. Safe beside the app and "
                          "other sends. Needs SLACK_BOT_TOKEN (and SLACK_API_URL for a non-default Slack host).")
    d.add_argument("--retry-failed", action="store_true",
                   help="send again this period's deliveries that failed for good (once the cause is fixed)")

    p = sub.add_parser("impact", parents=[common], help="what if this person leaves",
                       description="The activities that would lose their last Responsible or Accountable holder, "
                       "and the roles to refill.")
    p.add_argument("person", metavar="HANDLE", help="a handle, @handle or Slack ID")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("history", parents=[common], help="who changed the matrix, and when",
                       description="The audit log, newest first.")
    p.add_argument("subject", nargs="?", metavar="SUBJECT", help="an activity name, role key or handle")
    p.add_argument("--limit", type=int, default=50)
    cli_learned.add_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args, sys.stdout)
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


def _progress() -> Callable[[str], None]:
    """Phase lines with elapsed time on a terminal (long imports); nothing when piped."""
    if not sys.stderr.isatty():
        return lambda _phase: None
    started = time.monotonic()

    def show(phase: str) -> None:
        print(f"[{time.monotonic() - started:6.1f}s] {phase}...", file=sys.stderr, flush=True)

    return show


def _run(args: argparse.Namespace, out: TextIO) -> int:
    command = args.command
    if command == "import":
        _, store = _open(args)
        report = import_file(store, args.file, progress=_progress())
        out.write(render.import_report(report))
        return 0
    if command == "export":
        text = export_store(_loaded(args), fmt=args.format)
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        else:
            out.write(text)
        return 0
    if command == "check":
        return _check(args, out)
    if command == "ask":
        return _ask(args, out)
    if command == "who":
        ownership = load_ownership(_loaded(args))
        person = ownership.person(args.person)
        involvements = ownership.involvements(person)
        if args.json:
            out.write(json.dumps(render.who_json(person, involvements, ownership)) + "\n")
        else:
            out.write(render.who_text(person, involvements, ownership))
        return 0
    if command == "tick":
        return _tick(args, out)
    if command == "escalations":
        _, store = _open(args)
        listed = list_escalations(store, open_only=args.open)
        if args.json:
            out.writelines(json.dumps(render.escalation_json(e)) + "\n" for e in listed)
        else:
            out.write(render.escalations_text(listed))
        return 0
    if command == "digest":
        return _digest(args, out)
    if command == "impact":
        found = person_impact(_loaded(args), args.person)
        out.write(json.dumps(render.impact_json(found)) + "\n" if args.json else render.impact_text(found))
        return 0
    if command == "learned":
        return cli_learned.run(args, _loaded(args), out)
    if command == "history":
        _, store = _open(args)
        out.write(render.history_text(history(store, subject=args.subject, limit=args.limit)))
        return 0
    raise AssertionError(command)


def _tick(args: argparse.Namespace, out: TextIO) -> int:
    settings, store = _open(args)
    from bot.slack.app import outbox_client  # the Slack edge, only for the commands that send
    from bot.slack.digest_sender import slack_digests
    from bot.slack.notifier import SlackNotifier
    from bot.slack.outbox_transport import slack_messages

    client = outbox_client(settings.require_bot_token())
    report = Ticker(store, SlackNotifier(client), digests=slack_digests(store, client),
                    messages=slack_messages(store, client)).run_once()
    out.write(f"advanced {report.advanced} escalations, sent {report.sent} messages, {report.failed} failed\n")
    if report.digest is not None and report.digest.start.status != "unscheduled":
        out.write(f"{report.digest}\n")
    return 0


def _digest(args: argparse.Namespace, out: TextIO) -> int:
    if args.digest_command == "preview":
        settings, store = _open(args)
        ensure_loaded(store, settings.raci_file)
        directory = None
        if args.check_slack:
            from bot.slack.app import web_client
            from bot.slack.digest_sender import SlackUserDirectory

            directory = SlackUserDirectory(web_client(settings.require_bot_token()))
        shown = preview(store, now=utcnow(), handle=args.person, directory=directory)
        out.write(render.summary_text(shown) if isinstance(shown, OrgSummary) else render.person_digest_text(shown))
        return 0
    settings, store = _open(args)
    require_schedule(store)
    from bot.slack.app import outbox_client
    from bot.slack.digest_sender import slack_digests

    step = slack_digests(store, outbox_client(settings.require_bot_token()), budget=None)
    report = step.run(utcnow, send_late=True, retry=args.retry_failed)
    out.write(f"{report}\n")
    return 1 if report.failures else 0


def _check(args: argparse.Namespace, out: TextIO) -> int:
    if args.file is None:
        findings = check_store(_loaded(args))
    else:
        # A CSV names roles by key, name or alias: resolve them against the store's roles.
        current = RaciDocument()
        if args.file.suffix.lower() == ".csv":
            current = load_ownership(_loaded(args)).doc
        try:
            _, findings = read_file(args.file, current=current)
        except InvalidRaciFile as exc:
            findings = exc.findings
    out.write(render.findings_text(findings))
    return 1 if any(f.kind in ("error", "gap") for f in findings) else 0


def _ask(args: argparse.Namespace, out: TextIO) -> int:
    ownership = load_ownership(_loaded(args))
    if args.team:
        ownership.team(args.team)  # an unknown team is a mistake, said once before any answer
    if args.query == ["-"]:
        queries = (line.rstrip("\r\n") for line in sys.stdin)
    else:
        queries = iter([" ".join(args.query)])
    for query in queries:
        answer = ownership.answer(query, team=args.team)
        out.write(json.dumps(answer.to_json()) + "\n" if args.json else render.answer_text(answer))
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
