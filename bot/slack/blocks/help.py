"""Usage, with examples: what `/raci help` and an empty `/raci` show."""

from __future__ import annotations

from bot.slack.blocks.kit import Message, context, header, section

USAGE = [
    ("`/raci <question>`", "who owns an activity — `/raci who owns the feature store?`"),
    ("`/raci <question> for <team>`", "a team's owners — `/raci feature engineering for search`"),
    ("`/raci list [filter]`", "every activity I know — `/raci list data`"),
    ("`/raci who @someone`", "what someone is Responsible, Accountable, Consulted or Informed for"),
    ("`/raci role <role>`", "who holds a role — `/raci role ML Engineer`"),
    ("`/raci matrix [filter | team]`", "the matrix as a picture, sent to you by DM — `/raci matrix data`"),
    ("`/raci away until <date> [delegate @someone]`", "mark yourself away; `/raci back` ends it"),
    ("`/raci escalate <activity>: <what is wrong>`", "page the owners — Responsible first, then Accountable"),
    ("`/raci escalations`", "open escalations about your activities"),
    ("`/raci digest off|on`", "stop or restart your weekly ownership digest"),
    ("`/raci help`", "this message"),
]


def help_message() -> Message:
    """How to ask, with one example per kind of question."""
    lines = "\n".join(f"• {usage} — {what}" for usage, what in USAGE)
    blocks = [
        header("Who owns what? Ask me."),
        section("I answer from the team's RACI matrix: who is *Responsible*, *Accountable*, "
                "*Consulted* and *Informed* for each activity.\n\n" + lines),
        context("You can also mention me in a channel (`@raci who owns k8s deployment?`) or send me a "
                "direct message. In a team's channel I answer with that team's people."),
    ]
    return Message("How to use /raci: /raci <question>, /raci list, /raci who @someone, /raci role <role>", blocks)
