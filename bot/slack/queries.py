"""What someone asked the bot, from the text of `/raci …`, a mention or a direct message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.slack_syntax import mentioned_user, strip_leading_mention


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class ListActivities:
    filter: str = ""


@dataclass(frozen=True)
class WhoIs:
    person: str  # "<@U…|name>", "@handle", "handle", or "" for the asker


@dataclass(frozen=True)
class RoleHolders:
    role: str


@dataclass(frozen=True)
class Ask:
    text: str


@dataclass(frozen=True)
class Escalate:
    text: str  # "QUERY: what is wrong"


@dataclass(frozen=True)
class ListEscalations:
    pass


@dataclass(frozen=True)
class DigestPreference:
    enabled: bool | None  # None: say whether it is on


@dataclass(frozen=True)
class ShowMatrix:
    text: str  # a filter, or a team's key or name; "" for everything



@dataclass(frozen=True)
class Teach:
    phrase: str    # "" when the command was malformed: the reply says how to write it
    activity: str


@dataclass(frozen=True)
class Forget:
    phrase: str


@dataclass(frozen=True)
class ChangeOwners:
    activity: str  # `/raci change X`: the modal for X


@dataclass(frozen=True)
class ListChanges:
    pass



@dataclass(frozen=True)
class SetAway:
    text: str  # "[@someone] until <date> [delegate @someone]"


@dataclass(frozen=True)
class Back:
    person: str  # "" for the asker


Query = (Help | ListActivities | WhoIs | RoleHolders | Ask | Escalate | ListEscalations | DigestPreference
         | ShowMatrix | Teach | Forget | ChangeOwners | ListChanges | SetAway | Back)


def strip_bot_mention(text: str) -> str:
    """A mention's text without the leading "@raci"."""
    return strip_leading_mention(text)


def slack_user_id(text: str) -> str | None:
    """The user ID of a Slack mention ("<@U123|lena>" -> "U123"), else None."""
    return mentioned_user(text)


# Verbs that take whatever follows them as it is; the others below decide on what follows.
_VERB_WITH_TEXT: dict[str, Callable[[str], Query]] = {
    "list": ListActivities, "escalate": Escalate, "matrix": ShowMatrix, "forget": Forget, "change": ChangeOwners,
}
# Verbs that are commands only when what follows fits; otherwise the text is a question ("back up the db?").
_VERB_WHEN: dict[str, tuple[Callable[[str], bool], Callable[[str], Query]]] = {
    "escalations": (lambda rest: not rest, lambda _rest: ListEscalations()),
    "changes": (lambda rest: not rest, lambda _rest: ListChanges()),
    "away": (lambda rest: not rest or "until" in rest.casefold().split(), SetAway),
    "back": (lambda rest: not rest or rest.startswith(("<@", "@")), Back),
    "role": (bool, RoleHolders),
}


def parse_query(text: str) -> Query:
    """The kind of question: help, list, who, role, or a free-text ownership question."""
    words = (text or "").strip().split(maxsplit=1)
    if not words or words[0].casefold() in {"help", "-h", "--help", "?"}:
        return Help()
    verb, rest = words[0].casefold(), (words[1].strip() if len(words) > 1 else "")
    if verb in _VERB_WITH_TEXT:
        return _VERB_WITH_TEXT[verb](rest)
    if verb == "who" and (not rest or rest.startswith(("<@", "@")) or rest.casefold() == "am i"):
        return WhoIs("" if rest.casefold() in {"", "am i"} else rest)
    if verb in _VERB_WHEN and _VERB_WHEN[verb][0](rest):
        return _VERB_WHEN[verb][1](rest)
    if verb == "teach" and ("=" in rest or not rest):  # "teach new hires?" without "=" is a question
        phrase, _, activity = rest.rpartition("=")
        return Teach(phrase.strip(), activity.strip())
    if verb == "digest" and rest.casefold() in {"", "on", "off"}:
        return DigestPreference(None if not rest else rest.casefold() == "on")
    return Ask(text.strip())


def split_team(text: str, team_names: dict[str, str]) -> tuple[str, str | None]:
    """ "QUERY for TEAM" -> (QUERY, team key) when TEAM names a team (key or name, any case)."""
    head, sep, tail = text.rpartition(" for ")
    if not sep or not head.strip():
        return text, None
    wanted = " ".join(tail.strip().rstrip("?!.").casefold().split())
    for key, name in team_names.items():
        if wanted in {key.casefold(), " ".join(name.casefold().split())}:
            return head.strip(), key
    return text, None
