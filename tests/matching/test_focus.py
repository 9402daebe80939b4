"""A who-question inside a longer message is about its object; the context may narrow, never redirect."""

from __future__ import annotations

import pytest

from bot.matching import ActivityText, Matcher
from bot.matching.focus import question_focus

ORG = Matcher([ActivityText(name, aliases) for name, aliases in (
    ("CDN & WAF (Cloudflare)", ("cdn", "waf")), ("Live chat & chatbot", ("live chat",)),
    ("On-call rota", ("on-call",)), ("Warehouse shift scheduling", ()), ("Laptop provisioning", ()),
    ("New starter onboarding", ()), ("Refunds processing", ()), ("Checkout", ()),
)])


@pytest.mark.parametrize(("query", "focus"), [
    ("cloudflare is blocking our own office IP lmao, who owns the WAF", "the WAF"),
    ("hey all 👋 who looks after the on-call rota? need to swap a shift next week", "the on-call rota"),
    ("anyone own sales tax / VAT stuff? avalara rates look off", "sales tax / VAT stuff"),
    ("who owns the payment gateway", "the payment gateway"),
    ("the vending machine ate my coins, who do i ask for a refund lol", None),  # "who do i ask": no owner verb
    ("can someone pick up my parcel from reception", None),
])
def test_the_object_of_the_who_question(query: str, focus: str | None) -> None:
    assert question_focus(query) == focus


@pytest.mark.parametrize(("query", "activity"), [
    ("cloudflare is blocking our own office IP lmao, who owns the WAF", "CDN & WAF (Cloudflare)"),
    ("our live chat widget is covering the checkout button on mobile 😅 who owns live chat?",
     "Live chat & chatbot"),
    ("hey all 👋 who looks after the on-call rota? need to swap a shift next week", "On-call rota"),
    ("new starter on monday and nobody's sorted a laptop, who does laptop provisioning??", "Laptop provisioning"),
])
def test_context_around_the_question_does_not_block_the_answer(query: str, activity: str) -> None:
    result = ORG.match(query)
    assert (result.status, result.activity) == ("match", activity)


@pytest.mark.parametrize("query", [
    "the vending machine ate my coins, who do i ask for a refund lol",
    "our forklift broke again, who owns the forklift fleet?",  # the object itself is nobody's activity
])
def test_context_never_redirects_to_an_activity_the_message_is_not_about(query: str) -> None:
    assert ORG.match(query).status != "match"
