"""When digests go out: a crontab expression in the community's time zone, and the periods
between its runs.

Two departures from APScheduler 3's own reading, so that moderators get what crontab taught
them: weekday numbers count from Sunday (0 or 7), as in crontab, not from Monday; and in the
hour repeated when the clocks go back, a run happens once, not twice. One difference from
crontab stays, APScheduler's: with both a day of the month and a weekday, both must match
(crontab runs when either does). Nothing here reads the clock: the time is always an
argument, so tests move it instead of sleeping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

# A run this much after its time is on time; later, the digest says it is late.
LATE_AFTER = timedelta(minutes=5)

_FIELDS = ("minute", "hour", "day", "month", "day_of_week")
_LABELS = ("minute", "hour", "day of month", "month", "weekday")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab's numbers: Sunday is 0 or 7
_WEEKDAY_TERM = re.compile(r"(\*|\d+|[a-z]+)(?:-(\d+|[a-z]+))?(?:/(\d+))?")
# How far back to look for the last run: a day, a week, a month, a year, then the 400 years
# after which the Gregorian calendar, weekdays included, repeats itself.
_LOOK_BACK = tuple(timedelta(days=days) for days in (1, 8, 32, 367, 146_097))
_SECOND = timedelta(seconds=1)
_MICROSECOND = timedelta(microseconds=1)
_REFERENCE = datetime(2000, 1, 1, tzinfo=UTC)  # no run in the 400 years after: never any


class Cron(CronTrigger):  # type: ignore[misc]  # APScheduler ships no type hints
    """APScheduler's cron trigger, run once per wall-clock time: the second pass through the
    hour the clocks go back is skipped, as crontab does for a job at a fixed time."""

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        fire: datetime | None = super().get_next_fire_time(previous_fire_time, now)
        while fire is not None and _second_pass(fire, self.timezone):
            fire = super().get_next_fire_time(fire, fire)
        return fire


def _second_pass(moment: datetime, zone: tzinfo) -> bool:
    local = moment.astimezone(UTC).astimezone(zone)
    return local.fold == 1 and local.replace(fold=0).utcoffset() != local.utcoffset()


def cron(expression: str, timezone: str) -> Cron:
    """Read a five-field crontab expression; a ValueError says which field is wrong and why."""
    values = expression.split()
    if len(values) != len(_FIELDS):
        raise ValueError("expected a cron expression with 5 fields, such as '0 9 * * mon'")
    fields: dict[str, str] = {}
    for name, label, value in zip(_FIELDS, _LABELS, values, strict=True):
        try:
            fields[name] = _weekdays(value) if name == "day_of_week" else value
            CronTrigger(**{name: fields[name]}, timezone=UTC)
        except ValueError as error:
            raise ValueError(f"the {label} field {value!r} is wrong: {error}") from None
    trigger = Cron(**fields, timezone=ZoneInfo(timezone))
    if trigger.get_next_fire_time(None, _REFERENCE) is None:
        raise ValueError(f"{expression!r} never runs: no date has that day in that month")
    return trigger


def _weekdays(field: str) -> str:
    """Crontab's weekday field in APScheduler 3's terms, which number Monday 0: as names."""
    days: set[int] = set()
    for term in field.lower().split(","):
        found = _WEEKDAY_TERM.fullmatch(term)
        if found is None:
            raise _bad_weekdays()
        first, last, step = found.groups()
        if first == "*":
            if last is not None:
                raise _bad_weekdays()
            low, high = 0, 6
        else:
            low = _day(first)
            # "mon-sun" runs to Sunday's other number, 7; "1/2" runs to the end of the week.
            high = _day(last, end=True) if last else (6 if step else low)
        if low > high or (step is not None and int(step) == 0):
            raise _bad_weekdays()
        days.update(day % 7 for day in range(low, high + 1, int(step or 1)))
    return "*" if len(days) == len(_DAYS) else ",".join(_DAYS[day] for day in sorted(days))


def _day(token: str, end: bool = False) -> int:
    if token.isdigit():
        if int(token) > 7:
            raise _bad_weekdays()
        return int(token)
    if token not in _DAYS:
        raise _bad_weekdays()
    return 7 if end and token == "sun" else _DAYS.index(token)


def _bad_weekdays() -> ValueError:
    return ValueError("expected * or days such as mon, mon-fri, 1-5 or 0,6 (0 and 7 are Sunday)")


@dataclass(frozen=True)
class Period:
    """From ``start`` included to ``end`` excluded, in UTC: what happens exactly at ``end``
    belongs to the next period, so each moment is in exactly one."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a period needs time-zone-aware datetimes")
        if self.start > self.end:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")
        object.__setattr__(self, "start", self.start.astimezone(UTC))
        object.__setattr__(self, "end", self.end.astimezone(UTC))


def next_fire(trigger: Cron, after: datetime) -> datetime:
    """The first run strictly after ``after``, in UTC."""
    return _first_from(trigger, after + _MICROSECOND)


def previous_fire(trigger: Cron, at: datetime) -> datetime | None:
    """The latest run at or before ``at``, in UTC; None if there was none in 400 years.

    Looks back over growing spans until one holds a run, then halves the span around the
    last one: a few dozen steps of the trigger's own forward search, whatever the schedule.
    """
    for span in _LOOK_BACK:
        low = at - span
        if _first_from(trigger, low) <= at:
            break
    else:
        return None
    # The first run from ``low`` is at or before ``at``; the first from ``high`` is after it.
    high = at + _MICROSECOND
    while high - low > _SECOND:
        middle = low + (high - low) / 2
        if _first_from(trigger, middle) <= at:
            low = middle
        else:
            high = middle
    # Runs are whole minutes apart, so the run found from ``low`` is the last one.
    return _first_from(trigger, low)


def period_ending(trigger: Cron, end: datetime) -> Period:
    """From the run before ``end`` to ``end``: what a digest sent at ``end`` covers."""
    start = previous_fire(trigger, end - _MICROSECOND)
    if start is None:
        raise ValueError("the schedule never ran before this time")
    return Period(start, end)


@dataclass(frozen=True)
class Due:
    """A digest a room is owed: its period, and whether it goes out later than planned."""

    period: Period
    late: bool


def due(trigger: Cron, last_end: datetime | None, now: datetime, since: datetime) -> Due | None:
    """The digest a room is owed at ``now``, given the end of the last one it was sent.

    Only the latest run is owed, once: after runs missed while the bot was down, one late
    digest covers everything since the last one sent, so nothing is told twice or skipped.
    A room that was never sent one is owed none for runs before ``since`` (when it began to
    be served); nor is a room served again after a gap, for the time it was not.
    """
    latest = previous_fire(trigger, now)
    if latest is None:
        return None
    if last_end is None or last_end < since:
        if latest < since:
            return None
        start = period_ending(trigger, latest).start
    elif last_end >= latest:
        return None
    else:
        start = last_end
    return Due(Period(start, latest), late=now - latest > LATE_AFTER)


def _first_from(trigger: Cron, moment: datetime) -> datetime:
    fire = trigger.get_next_fire_time(None, moment)
    if fire is None:  # only near the year 9999: cron() refuses schedules that never run
        raise ValueError("the schedule never runs after this time")
    return fire.astimezone(UTC)
