"""Issue 12 §1 accuracy: initialisms, word forms of one word, the asked relation, asides."""

from __future__ import annotations

import pytest

from bot.matching import ActivityText, Matcher

ORG = Matcher([
    ActivityText("Laboratory information system"),
    ActivityText("Radiology information system"),
    ActivityText("Clinical data warehouse"),
    ActivityText("HRIS (Workday)"),
    ActivityText("Recruiting ATS (Greenhouse)"),
    ActivityText("Electronic health record (Epic)", aliases=("EHR",)),
    ActivityText("Downtime procedures", description="Read-only EHR copy when Epic is down"),
    ActivityText("Label printers & ZPL templates"),
    ActivityText("Parcel lockers & pickup points"),
    ActivityText("Dictation & speech recognition"),
    ActivityText("Patient registration"),
    ActivityText("Transactional emails"),
    ActivityText("Customs & international shipping docs"),
    ActivityText("Expense reports (Expensify)"),
    ActivityText("Cookie consent banner"),
    ActivityText("Product detail pages (PDP)"),
    ActivityText("Black Friday readiness"),
])


@pytest.mark.parametrize(("query", "activity"), [
    ("LIS", "Laboratory information system"),           # initials of the name
    ("who owns the CDW?", "Clinical data warehouse"),
    ("human resources information system", "HRIS (Workday)"),   # words spelling a name's acronym
    ("applicant tracking system", "Recruiting ATS (Greenhouse)"),
    ("Electronic health record (Epic)", "Electronic health record (Epic)"),   # still its own name
    ("printing labels", "Label printers & ZPL templates"),   # the act for the doer
    ("recognising speech", "Dictation & speech recognition"),
    ("registering patients", "Patient registration"),
    ("txn emails", "Transactional emails"),                  # -ional meets its noun
    ("intl shipping docs", "Customs & international shipping docs"),
    ("who approves expense reports?", "Expense reports (Expensify)"),   # the verb is the relation
    ("yo who owns the cookie banner, legal wants it changed by friday", "Cookie consent banner"),
])
def test_answered(query: str, activity: str) -> None:
    result = ORG.match(query)
    assert (result.status, result.activity) == ("match", activity), result


def test_the_same_initials_twice_are_ambiguous() -> None:
    assert ORG.match("information system").status == "ambiguous"


@pytest.mark.parametrize("query", [
    "who restocks the vending machines", "team lunch on friday?", "can someone pick up my parcel from reception",
    "car registry", "the lis pendens filing",   # a rare word spelling initials still needs the rest explained
])
def test_still_refused(query: str) -> None:
    assert ORG.match(query).status != "match"
