"""The digest's timing: crontab expressions in three time zones, across both daylight-saving
changes of each, with the clock as an argument (nothing sleeps)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import DigestConfig
from bot.domain.schedule import (
    LATE_AFTER,
    Cron,
    Due,
    Period,
    cron,
    due,
    next_fire,
    period_ending,
    previous_fire,
)

PARIS, NEW_YORK, SYDNEY = "Europe/Paris", "America/New_York", "Australia/Sydney"
SECOND = timedelta(seconds=1)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def runs(trigger: Cron, start: datetime, count: int) -> list[datetime]:
    """The next ``count`` runs after ``start``, one after the other."""
    found: list[datetime] = []
    moment = start
    for _ in range(count):
        moment = next_fire(trigger, moment)
        found.append(moment)
    return found


def local(moments: list[datetime], zone: str) -> list[str]:
    return [moment.astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M %z") for moment in moments]


# --- runs around each change of the clocks -------------------------------------------------


def test_monday_9am_in_paris_keeps_9am_when_summer_time_starts() -> None:
    found = runs(cron("0 9 * * mon", PARIS), utc(2026, 3, 20), 3)
    assert found == [utc(2026, 3, 23, 8), utc(2026, 3, 30, 7), utc(2026, 4, 6, 7)]
    assert local(found, PARIS) == [
        "Mon 23 Mar 09:00 +0100",
        "Mon 30 Mar 09:00 +0200",
        "Mon 06 Apr 09:00 +0200",
    ]


def test_monday_9am_in_paris_keeps_9am_when_summer_time_ends() -> None:
    found = runs(cron("0 9 * * mon", PARIS), utc(2026, 10, 20), 2)
    assert local(found, PARIS) == ["Mon 26 Oct 09:00 +0100", "Mon 02 Nov 09:00 +0100"]
    assert found == [utc(2026, 10, 26, 8), utc(2026, 11, 2, 8)]


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (
            utc(2026, 3, 6),
            [utc(2026, 3, 6, 13, 30), utc(2026, 3, 7, 13, 30), utc(2026, 3, 8, 12, 30)],
        ),
        (utc(2026, 10, 31), [utc(2026, 10, 31, 12, 30), utc(2026, 11, 1, 13, 30)]),
    ],
)
def test_daily_830_in_new_york_follows_the_clocks(
    start: datetime, expected: list[datetime]
) -> None:
    found = runs(cron("30 8 * * *", NEW_YORK), start, len(expected))
    assert found == expected
    assert {moment.astimezone(ZoneInfo(NEW_YORK)).strftime("%H:%M") for moment in found} == {
        "08:30"
    }


def test_monthly_6pm_in_sydney_across_the_southern_changes() -> None:
    found = runs(cron("0 18 1 * *", SYDNEY), utc(2026, 3, 15), 8)
    assert local(found, SYDNEY) == [
        "Wed 01 Apr 18:00 +1100",  # summer time ends on 5 April
        "Fri 01 May 18:00 +1000",
        "Mon 01 Jun 18:00 +1000",
        "Wed 01 Jul 18:00 +1000",
        "Sat 01 Aug 18:00 +1000",
        "Tue 01 Sep 18:00 +1000",
        "Thu 01 Oct 18:00 +1000",  # summer time starts on 4 October
        "Sun 01 Nov 18:00 +1100",
    ]


@pytest.mark.parametrize(
    ("zone", "start", "expected"),
    [
        # 02:00 does not exist: the run happens as the clocks jump, at 03:00 summer time.
        (PARIS, utc(2026, 3, 28), [utc(2026, 3, 29, 1), utc(2026, 4, 5, 0)]),
        (NEW_YORK, utc(2026, 3, 7), [utc(2026, 3, 8, 7), utc(2026, 3, 15, 6)]),
        (SYDNEY, utc(2026, 10, 1), [utc(2026, 10, 3, 16), utc(2026, 10, 10, 15)]),
        # 02:00 happens twice: the run happens the first time only.
        (PARIS, utc(2026, 10, 24), [utc(2026, 10, 25, 0), utc(2026, 11, 1, 1)]),
        (SYDNEY, utc(2026, 4, 1), [utc(2026, 4, 4, 15), utc(2026, 4, 11, 16)]),
    ],
)
def test_sunday_2am_runs_once_in_the_hour_skipped_or_repeated(
    zone: str, start: datetime, expected: list[datetime]
) -> None:
    trigger = cron("0 2 * * sun", zone)
    assert runs(trigger, start, len(expected)) == expected
    # APScheduler itself, walking from run to run as the scheduler does, agrees.
    first = trigger.get_next_fire_time(None, start)
    assert first is not None
    second = trigger.get_next_fire_time(first, first)
    assert second is not None
    assert [first.astimezone(UTC), second.astimezone(UTC)] == expected


def test_a_repeated_half_hour_in_new_york_runs_once() -> None:
    trigger = cron("30 1 * * *", NEW_YORK)
    assert runs(trigger, utc(2026, 10, 31), 3) == [
        utc(2026, 10, 31, 5, 30),
        utc(2026, 11, 1, 5, 30),  # 01:30 summer time; 01:30 winter time is skipped
        utc(2026, 11, 2, 6, 30),
    ]


@pytest.mark.parametrize("zone", [PARIS, NEW_YORK, SYDNEY])
def test_a_weekly_run_happens_once_every_sunday_of_the_year(zone: str) -> None:
    found = runs(cron("0 2 * * sun", zone), utc(2025, 12, 31, 12), 52)
    days = [moment.astimezone(ZoneInfo(zone)).date() for moment in found]
    assert days == [days[0] + timedelta(weeks=week) for week in range(52)]
    assert {day.weekday() for day in days} == {6}


def test_many_runs_an_hour_skip_the_repeated_hour_whole() -> None:
    trigger = cron("*/30 * * * *", PARIS)
    found = runs(trigger, utc(2026, 10, 24, 23, 45), 4)
    assert local(found, PARIS) == [
        "Sun 25 Oct 02:00 +0200",
        "Sun 25 Oct 02:30 +0200",
        "Sun 25 Oct 03:00 +0100",
        "Sun 25 Oct 03:30 +0100",
    ]
    assert previous_fire(trigger, utc(2026, 10, 25, 1, 45)) == utc(2026, 10, 25, 0, 30)


# --- crontab's reading ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weekdays", "expected"),
    [
        ("1", {0}),
        ("mon", {0}),
        ("0", {6}),
        ("7", {6}),
        ("sun", {6}),
        ("1-5", {0, 1, 2, 3, 4}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("0,6", {5, 6}),
        ("sat-sun", {5, 6}),
        ("5-7", {4, 5, 6}),
        ("*/2", {6, 1, 3, 5}),
        ("1/2", {0, 2, 4}),
        ("*", set(range(7))),
    ],
)
def test_weekday_numbers_count_from_sunday_as_in_crontab(weekdays: str, expected: set[int]) -> None:
    found = runs(cron(f"0 9 * * {weekdays}", "UTC"), utc(2026, 11, 1), 14)
    assert {moment.weekday() for moment in found} == expected


def test_day_of_month_and_weekday_both_apply() -> None:
    """APScheduler's reading, not crontab's "either": the first Monday of each month."""
    found = runs(cron("0 9 1-7 * mon", PARIS), utc(2026, 1, 1), 3)
    assert [moment.date().isoformat() for moment in found] == [
        "2026-01-05",
        "2026-02-02",
        "2026-03-02",
    ]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 9 * *", "5 fields"),
        ("60 9 * * mon", "the minute field '60' is wrong"),
        ("0 24 * * mon", "the hour field '24' is wrong"),
        ("0 9 32 * *", "the day of month field '32' is wrong"),
        ("0 9 * 13 *", "the month field '13' is wrong"),
        ("0 9 * * 8", "the weekday field '8' is wrong"),
        ("0 9 * * lundi", "the weekday field 'lundi' is wrong"),
        ("0 9 * * fri-mon", "the weekday field 'fri-mon' is wrong"),
        ("0 9 * * */0", "the weekday field '*/0' is wrong"),
        ("0 9 30 2 *", "never runs"),
    ],
)
def test_a_bad_expression_says_what_is_wrong(expression: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        cron(expression, PARIS)


def test_the_digest_trigger_reads_the_config() -> None:
    trigger = DigestConfig(schedule="30 8 * * *", timezone=SYDNEY).trigger()
    assert next_fire(trigger, utc(2026, 11, 2)) == utc(2026, 11, 2, 21, 30)


# --- looking back ---------------------------------------------------------------------------


def test_the_previous_run_includes_the_moment_itself() -> None:
    trigger = cron("0 9 * * mon", PARIS)
    monday = utc(2026, 11, 2, 8)
    assert previous_fire(trigger, monday) == monday
    assert previous_fire(trigger, monday - SECOND) == utc(2026, 10, 26, 8)
    assert previous_fire(trigger, monday + timedelta(days=6)) == monday


def test_the_previous_run_of_a_rare_schedule_is_found_years_back() -> None:
    trigger = cron("0 0 29 2 mon", "UTC")  # 29 February falling on a Monday
    assert previous_fire(trigger, utc(2026, 11, 2)) == utc(2016, 2, 29)
    assert next_fire(trigger, utc(2026, 11, 2)) == utc(2044, 2, 29)


EXPRESSIONS = ["0 9 * * mon", "30 8 * * *", "0 18 1 * *", "0 2 * * sun", "*/30 1-3 * * *"]


@settings(max_examples=60, deadline=None)
@given(
    expression=st.sampled_from(EXPRESSIONS),
    zone=st.sampled_from([PARIS, NEW_YORK, SYDNEY]),
    at=st.datetimes(datetime(2025, 1, 1), datetime(2028, 1, 1), timezones=st.just(UTC)),
)
def test_previous_and_next_runs_surround_any_moment(
    expression: str, zone: str, at: datetime
) -> None:
    trigger = cron(expression, zone)
    before, after = previous_fire(trigger, at), next_fire(trigger, at)
    assert before is not None
    assert before <= at < after
    assert next_fire(trigger, before) == after
    assert previous_fire(trigger, after - timedelta(microseconds=1)) == before


# --- periods --------------------------------------------------------------------------------


def test_a_period_runs_from_the_previous_run_to_its_end() -> None:
    trigger = cron("0 9 * * mon", PARIS)
    period = period_ending(trigger, utc(2026, 3, 30, 7))
    assert period == Period(utc(2026, 3, 23, 8), utc(2026, 3, 30, 7))
    assert period.end - period.start == timedelta(days=7) - timedelta(hours=1)


def test_a_period_is_in_utc_and_never_ends_before_it_starts() -> None:
    paris = ZoneInfo(PARIS)
    period = Period(datetime(2026, 11, 2, 9, tzinfo=paris), datetime(2026, 11, 9, 9, tzinfo=paris))
    assert period.start == utc(2026, 11, 2, 8)
    assert period.start.tzinfo is UTC
    with pytest.raises(ValueError, match="before it starts"):
        Period(utc(2026, 11, 9), utc(2026, 11, 2))
    with pytest.raises(ValueError, match="aware"):
        Period(datetime(2026, 11, 2), utc(2026, 11, 9))


# --- what a room is owed --------------------------------------------------------------------

WEEKLY = cron("0 9 * * mon", PARIS)
MONDAY = utc(2026, 11, 2, 8)  # 09:00 in Paris
LONG_AGO = utc(2020, 1, 1)


def test_on_time_the_week_since_the_last_digest_is_due() -> None:
    last = MONDAY - timedelta(weeks=1)
    assert due(WEEKLY, last, MONDAY + SECOND, LONG_AGO) == Due(Period(last, MONDAY), late=False)
    assert due(WEEKLY, last, MONDAY, LONG_AGO) == Due(Period(last, MONDAY), late=False)


def test_once_sent_nothing_is_due_until_the_next_run() -> None:
    for now in (MONDAY, MONDAY + timedelta(hours=1), MONDAY + timedelta(days=6, hours=23)):
        assert due(WEEKLY, MONDAY, now, LONG_AGO) is None


def test_after_missed_runs_one_late_digest_covers_everything_since_the_last() -> None:
    last = MONDAY - timedelta(weeks=3)
    now = MONDAY + timedelta(days=2)
    assert due(WEEKLY, last, now, LONG_AGO) == Due(Period(last, MONDAY), late=True)
    assert due(WEEKLY, MONDAY, now, LONG_AGO) is None  # once sent, never again


def test_late_means_more_than_a_few_minutes_after_the_run() -> None:
    last = MONDAY - timedelta(weeks=1)
    assert due(WEEKLY, last, MONDAY + LATE_AFTER, LONG_AGO) == Due(Period(last, MONDAY), False)
    found = due(WEEKLY, last, MONDAY + LATE_AFTER + SECOND, LONG_AGO)
    assert found is not None
    assert found.late


def test_a_room_never_sent_one_is_owed_the_last_period_if_served_by_then() -> None:
    week = Period(MONDAY - timedelta(weeks=1), MONDAY)
    assert due(WEEKLY, None, MONDAY + timedelta(hours=3), LONG_AGO) == Due(week, late=True)
    assert due(WEEKLY, None, MONDAY + timedelta(hours=3), MONDAY + SECOND) is None


def test_a_room_served_again_after_a_gap_is_owed_nothing_for_the_gap() -> None:
    months_ago = MONDAY - timedelta(weeks=16)
    back = MONDAY - timedelta(days=2)  # the bot was invited back on Saturday
    week = Period(MONDAY - timedelta(weeks=1), MONDAY)
    assert due(WEEKLY, months_ago, MONDAY + SECOND, back) == Due(week, late=False)
    assert due(WEEKLY, months_ago, MONDAY + SECOND, MONDAY + SECOND) is None


def test_a_schedule_moved_earlier_waits_for_its_next_run() -> None:
    friday = cron("0 9 * * fri", PARIS)
    now = MONDAY + timedelta(days=2)
    assert due(friday, MONDAY, now, LONG_AGO) is None
    next_friday = utc(2026, 11, 6, 8)
    assert due(friday, MONDAY, next_friday, LONG_AGO) == Due(Period(MONDAY, next_friday), False)
