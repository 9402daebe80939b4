"""Durations and cron schedules, including runs across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.raci_file.schedule import parse_cron, parse_duration

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", timedelta(seconds=30)),
        ("15m", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
    ],
)
def test_valid_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["15", "m", "0m", "1.5h", "15 minutes", "15M", "-5m", "2w", ""])
def test_invalid_durations(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


@pytest.mark.parametrize(
    "text",
    [
        "0 9 * * MON",
        "*/15 * * * *",
        "0 0 1,15 * *",
        "30 8-18/2 * JAN-MAR mon-fri",
        "5/10 * * * 7",
        "0 0 29 2 *",
        "59 23 31 12 SUN",
    ],
)
def test_valid_cron_expressions(text: str) -> None:
    assert parse_cron(text).expression == text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("0 9 * *", "five-field"),
        ("0 9 * * MON extra", "five-field"),
        ("60 * * * *", "minute field '60': 60 is out of range 0-59"),
        ("0 24 * * *", "hour field"),
        ("0 0 0 * *", "day of month field"),
        ("0 0 * 13 *", "month field"),
        ("0 0 * * 8", "day of week field"),
        ("0 0 * * MOO", "not a number or a name SUN..SAT"),
        ("*/0 * * * *", "step"),
        ("0 5-1 * * *", "runs backwards"),
        ("0 0 31 APR *", "never runs"),
        ("@weekly", "five-field"),
    ],
)
def test_invalid_cron_expressions(text: str, words: str) -> None:
    with pytest.raises(ValueError, match="cron|five-field") as error:
        parse_cron(text)
    assert words in str(error.value)


def test_names_steps_ranges_and_lists() -> None:
    cron = parse_cron("0,30 */6 1-7 JAN,jul 1-5")
    assert cron.minutes == {0, 30} and cron.hours == {0, 6, 12, 18}
    assert cron.days == set(range(1, 8)) and cron.months == {1, 7} and cron.weekdays == {1, 2, 3, 4, 5}
    assert parse_cron("0 0 * * 7").weekdays == {0}


def test_weekly_digest_runs_next_monday_at_nine() -> None:
    cron = parse_cron("0 9 * * MON")
    assert cron.next_after(datetime(2024, 5, 8, 12, 0, tzinfo=BERLIN)) == datetime(2024, 5, 13, 9, 0, tzinfo=BERLIN)
    assert cron.next_after(datetime(2024, 5, 13, 9, 0, tzinfo=BERLIN)) == datetime(2024, 5, 20, 9, 0, tzinfo=BERLIN)
    assert cron.previous_at_or_before(datetime(2024, 5, 13, 9, 0, tzinfo=BERLIN)) == datetime(
        2024, 5, 13, 9, 0, tzinfo=BERLIN
    )


def test_next_after_across_the_spring_dst_change_in_berlin() -> None:
    daily = parse_cron("0 9 * * *")
    before = datetime(2024, 3, 30, 10, 0, tzinfo=BERLIN)  # CET, +01:00
    after = daily.next_after(before)
    assert after == datetime(2024, 3, 31, 9, 0, tzinfo=BERLIN)
    assert after.astimezone(UTC) == datetime(2024, 3, 31, 7, 0, tzinfo=UTC)  # CEST, +02:00
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=22)
    skipped = parse_cron("30 2 * * *")  # 02:30 does not exist on 31 March: runs when the clock jumps (03:00 CEST)
    assert skipped.next_after(before).astimezone(UTC) == datetime(2024, 3, 31, 1, 0, tzinfo=UTC)
    assert skipped.next_after(skipped.next_after(before)).astimezone(UTC) == datetime(2024, 4, 1, 0, 30, tzinfo=UTC)


def test_next_after_across_the_autumn_dst_change_in_berlin() -> None:
    twice = parse_cron("30 2 * * *")  # 02:30 happens twice on 27 October: runs once, at the first
    first = twice.next_after(datetime(2024, 10, 26, 12, 0, tzinfo=BERLIN))
    assert first.astimezone(UTC) == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
    assert twice.next_after(first).astimezone(UTC) == datetime(2024, 10, 28, 1, 30, tzinfo=UTC)
    hourly = parse_cron("0 * * * *")
    start = datetime(2024, 10, 27, 0, 30, tzinfo=UTC).astimezone(BERLIN)  # 02:30 CEST
    # a wildcard hour runs in both repeated hours: 02:00 CET (the second 02:00), then 03:00 CET
    assert hourly.next_after(start).astimezone(UTC) == datetime(2024, 10, 27, 1, 0, tzinfo=UTC)
    assert hourly.next_after(hourly.next_after(start)).astimezone(UTC) == datetime(2024, 10, 27, 2, 0, tzinfo=UTC)


def test_previous_at_or_before_in_utc() -> None:
    cron = parse_cron("15 10 1,15 * *")
    now = datetime(2024, 2, 14, 23, 59, tzinfo=UTC)
    assert cron.previous_at_or_before(now) == datetime(2024, 2, 1, 10, 15, tzinfo=UTC)
    assert cron.next_after(now) == datetime(2024, 2, 15, 10, 15, tzinfo=UTC)


def test_day_of_month_and_day_of_week_are_ored_when_both_are_set() -> None:
    cron = parse_cron("0 0 13 * FRI")
    runs = [datetime(2024, 9, 1, tzinfo=UTC)]
    for _ in range(4):
        runs.append(cron.next_after(runs[-1]))
    assert [run.day for run in runs[1:]] == [6, 13, 20, 27]  # Fridays, and Friday the 13th once
    only_day = parse_cron("0 0 13 * *")
    assert only_day.next_after(runs[0]).day == 13
    leap = parse_cron("0 0 29 2 *")
    assert leap.next_after(datetime(2025, 1, 1, tzinfo=UTC)) == datetime(2028, 2, 29, tzinfo=UTC)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_cron("0 9 * * *").next_after(datetime(2024, 1, 1))
