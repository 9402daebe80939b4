"""Block Kit for escalations: the DM to an owner, the status message, the FYI, notes to the requester."""

from __future__ import annotations

from bot.escalations.policy import format_duration
from bot.escalations.views import EscalationView
from bot.ownership.answers import Holder
from bot.slack.blocks.kit import Block, Message, actions, button, context, escape, header, section, truncate
from bot.slack.blocks.payloads import EscalationAction, EscalationRef
from bot.slack_syntax import is_channel

LETTER_NAMES = {"R": "Responsible", "A": "Accountable", "C": "Consulted", "I": "Informed"}
STATUS_ICONS = {"open": ":rotating_light:", "acknowledged": ":eyes:", "resolved": ":white_check_mark:",
                "unanswered": ":warning:"}


def owner_mention(owner: Holder) -> str:
    if owner.slack_id:
        return f"<@{owner.slack_id}>"
    if owner.vacant:
        return f"_{escape(owner.role_name or owner.role or 'a role')} (vacant)_"
    return escape(owner.name or owner.handle or "someone")


def mentions(owners: tuple[Holder, ...]) -> str:
    return ", ".join(dict.fromkeys(owner_mention(o) for o in owners)) or "_nobody_"


def _subject(esc: EscalationView) -> str:
    return escape(esc.activity) + (f" (team {escape(esc.team)})" if esc.team else "")


def _origin(esc: EscalationView) -> str:
    where = f" in <#{esc.channel}>" if is_channel(esc.channel) else ""
    text = f"Raised by <@{esc.requester}>{where}"
    if esc.link:  # escaped, and no "|" of its own, so it cannot close the link or rename it
        text += f" · <{escape(esc.link).replace('|', '%7C')}|link>"
    return text


def _buttons(esc: EscalationView, *, with_cancel: bool) -> Block:
    value = EscalationRef(esc.id).to_value()
    elements = [button("Acknowledge", action_id=EscalationAction.ACK, value=value, style="primary"),
                button("Resolve", action_id=EscalationAction.RESOLVE, value=value)]
    if with_cancel:
        elements.append(button("Cancel", action_id=EscalationAction.CANCEL, value=value, style="danger"))
    return actions(*elements, block_id=f"escalation-{esc.id}")


def page_message(esc: EscalationView, *, letter: str) -> Message:
    """The DM to a Responsible (level 1) or Accountable (level 2) holder, with the two buttons."""
    role = LETTER_NAMES.get(letter, "an owner")
    blocks = [
        header(truncate(f"Escalation: {esc.activity}", 150)),
        section(f"*What is wrong:* {escape(esc.problem)}"),
        context(_origin(esc), f"You are {role} for {_subject(esc)}.",
                f"Escalation #{esc.id} · level {esc.level}" + (f", round {esc.round + 1}" if esc.round else "")),
        _buttons(esc, with_cancel=False),
    ]
    text = f"Escalation about {_subject(esc)}: {escape(esc.problem)}"
    return Message(text=truncate(text, 4000), blocks=blocks)


def status_line(esc: EscalationView) -> str:
    """Where things stand, in one line."""
    if esc.status == "acknowledged":
        took = format_duration(esc.time_to_ack) if esc.time_to_ack else ""
        return f"Acknowledged by <@{esc.acknowledged_by}>" + (f" after {took}." if took else ".")
    if esc.status == "resolved":
        return f"Resolved by <@{esc.closed_by}>."
    if esc.status == "unanswered":
        return "Nobody acknowledged it: unanswered."
    if esc.level == 0:
        return "Paging the owners…"
    letter = esc.letter or "R"
    paged = mentions(esc.pageable(letter))
    text = f"Paged {paged} ({LETTER_NAMES[letter]}, level {esc.level})."
    if letter == "R" and esc.pageable("A"):
        text += f" If nobody acknowledges within {format_duration(esc.ack_timeout)} it goes to " \
                f"{mentions(esc.pageable('A'))} (Accountable)."
    return text


def status_message(esc: EscalationView) -> Message:
    """The one message where it was raised, updated as things move; Consulted holders are mentioned."""
    icon = STATUS_ICONS.get(esc.status, "")
    lines = [f"{icon} *Escalation #{esc.id}: {_subject(esc)}* — {esc.status}",
             f"*What is wrong:* {escape(esc.problem)}", status_line(esc)]
    blocks = [section("\n".join(lines))]
    extra = [_origin(esc)]
    if esc.owners.get("C"):
        extra.append(f"Consulted: {mentions(esc.owners['C'])}")
    blocks.append(context(*extra))
    if esc.notes:
        blocks.append(context(*(escape(n) if "<@" not in n else n for n in esc.notes[-5:])))
    if esc.status in ("open", "acknowledged", "unanswered"):
        blocks.append(_buttons(esc, with_cancel=True))
    text = f"Escalation #{esc.id} about {_subject(esc)}: {esc.status}"
    return Message(text=text, blocks=blocks)


def fyi_message(esc: EscalationView) -> Message:
    """One line for the Informed holders when it is resolved."""
    text = f"FYI: the escalation about {_subject(esc)} (\u201c{escape(truncate(esc.problem, 200))}\u201d) " \
           f"was resolved by <@{esc.closed_by}>."
    return Message(text=text, blocks=[section(text)])


def requester_message(esc: EscalationView) -> Message:
    """Telling whoever raised it how it went."""
    if esc.status == "acknowledged":
        text = f"<@{esc.acknowledged_by}> acknowledged your escalation about {_subject(esc)}."
    elif esc.status == "resolved":
        text = f"Your escalation about {_subject(esc)} was resolved by <@{esc.closed_by}>."
    elif esc.status == "unanswered":
        text = (f"Nobody acknowledged your escalation about {_subject(esc)} after "
                f"{esc.repeats + 1} round{'s' if esc.repeats else ''} of paging. "
                f"It stays open for a late acknowledgement; try the owners directly.")
    else:
        text = status_line(esc)
    return Message(text=text, blocks=[section(text)])


def preview_text(esc: EscalationView) -> str:
    """What the requester sees at once: who gets it now, and who next."""
    responsible, accountable = esc.pageable("R"), esc.pageable("A")
    if not responsible and not accountable:
        return (f"Nobody can be paged for {_subject(esc)}: it has no Responsible or Accountable holder "
                "with a Slack account. Try `/raci list` or ask in the team's channel.")
    timeout = format_duration(esc.ack_timeout)
    if responsible:
        text = f"Escalated to {mentions(responsible)} (Responsible for {_subject(esc)})."
        if accountable:
            text += f" If nobody acknowledges within {timeout} it goes to {mentions(accountable)} (Accountable)."
        return text
    return (f"{_subject(esc)} has no Responsible holder to page, so it went straight to "
            f"{mentions(accountable)} (Accountable). If nobody acknowledges within {timeout} it repeats.")


def list_lines(escalations: list[EscalationView]) -> list[str]:
    """`/raci escalations`: one line each."""
    return [f"#{e.id} *{_subject(e)}* — {e.status}, level {e.level} · {escape(truncate(e.problem, 120))}"
            + "".join(f"\n      :warning: {p.describe(escape)}"
                      for p in e.deliveries)
            for e in escalations]
