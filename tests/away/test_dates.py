"""The away date parser: the forms the issue names, the person's time zone, and clear refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.away.dates import DateError, away_until, parse_day

SUNDAY = date(2026, 11, 29)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-12-24", date(2026, 12, 24)), ("friday", date(2026, 12, 4)), ("Fri", date(2026, 12, 4)),
    ("dec 24", date(2026, 12, 24)), ("24 December", date(2026, 12, 24)), ("in 2 weeks", date(2026, 12, 13)),
    ("in 3 days", date(2026, 12, 2)), ("tomorrow", date(2026, 11, 30)), ("sunday", date(2026, 12, 6)),
    ("jan 5", date(2027, 1, 5)), ("Jan 5, 2027", date(2027, 1, 5)),
])
def test_the_forms_people_write(text: str, expected: date) -> None:
    assert parse_day(text, today=SUNDAY) == expected


@pytest.mark.parametrize(("text", "says"), [
    ("someday", "don't understand"), ("2026-02-30", "not a day"), ("feb 29", "Give the year"),
    ("x" * 200, "I need a date"), ("ma 3", "don't understand"),
])
def test_what_is_not_a_date_is_refused_with_how_to_write_one(text: str, says: str) -> None:
    with pytest.raises(DateError, match=says):
        parse_day(text, today=SUNDAY)


def test_away_lasts_to_the_end_of_the_day_in_the_persons_zone() -> None:
    now = datetime(2026, 11, 29, 12, tzinfo=UTC)
    assert away_until("dec 24", now=now, tz=ZoneInfo("America/New_York")) == datetime(2026, 12, 25, 5, tzinfo=UTC)
    with pytest.raises(DateError, match="in the past"):
        away_until("2026-11-01", now=now, tz=ZoneInfo("UTC"))
    with pytest.raises(DateError, match="more than a year"):
        away_until("2028-01-01", now=now, tz=ZoneInfo("UTC"))
