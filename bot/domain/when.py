"""When a workshop takes place, as members type it in French or English: ``samedi 14h``,
``tomorrow at 2pm``, ``5/12 18h30``, and whatever ``Catalogue.moment`` prints.

The moment starts the text and the rest of the command follows it, so the reading says how
many words it used. Times are read in the community's zone, whatever the reader's clock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

HORIZON = timedelta(days=366)

Reason = Literal["unreadable", "past", "too_far", "no_such_time", "wrong_weekday"]
# What an unreadable text lacked: any day or time at all, the time after a day, a real day.
Expected = Literal["moment", "time", "day"]


class WhenError(ValueError):
    """Why a moment is refused, as a key the caller translates.

    ``unreadable`` names what was ``expected``; ``past`` and ``too_far`` (more than 366 days
    ahead) are read but refused; ``no_such_time`` is a local time the clocks skip;
    ``wrong_weekday`` a weekday that is not the date's.
    """

    def __init__(self, reason: Reason, expected: Expected | None = None) -> None:
        super().__init__(reason if expected is None else f"{reason}: {expected} expected")
        self.reason: Reason = reason
        self.expected: Expected | None = expected


@dataclass(frozen=True)
class When:
    """The moment, in UTC, and how many words of the text named it."""

    at: datetime
    words: int


_MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "janvier janv jan january",
            "fevrier fevr fev february feb",
            "mars mar march",
            "avril avr april apr",
            "mai may",
            "juin june jun",
            "juillet juil july jul",
            "aout august aug",
            "septembre september sept sep",
            "octobre october oct",
            "novembre november nov",
            "decembre december dec",
        ),
        start=1,
    )
    for name in names.split()
}
_FULL_WEEKDAYS = (
    "lundi monday",
    "mardi tuesday",
    "mercredi wednesday",
    "jeudi thursday",
    "vendredi friday",
    "samedi saturday",
    "dimanche sunday",
)
_SHORT_WEEKDAYS = (
    "lun mon",
    "mar tues tue",
    "mer wed",
    "jeu thurs thur thu",
    "ven fri",
    "sam sat",
    "dim sun",
)
_WEEKDAYS: dict[str, int] = {
    name: number
    for names in (_FULL_WEEKDAYS, _SHORT_WEEKDAYS)
    for number, spellings in enumerate(names)
    for name in spellings.split()
}
_SHORT = frozenset(" ".join(_SHORT_WEEKDAYS).split())
_RELATIVE: dict[str, int] = {
    "aujourd'hui": 0,
    "aujourd’hui": 0,
    "aujourdhui": 0,
    "today": 0,
    "demain": 1,
    "tomorrow": 1,
    "apres-demain": 2,
    "apres demain": 2,
    "day after tomorrow": 2,
    "the day after tomorrow": 2,
}


def _any(words: Iterable[str]) -> str:
    """An alternation of words, longer ones first: the shorter may be the start of another."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


# Each token ends a word, perhaps with a comma or a full stop after it.
_END = r"[.,]?(?= |$)"
_WEEKDAY = rf"(?P<weekday>{_any(_WEEKDAYS)})"
_DAY = r"(?P<day>\d{1,2})(?:er|st|nd|rd|th)?"
_MONTH = rf"(?P<month_name>{_any(_MONTHS)})\.?"
_YEAR = r"(?P<year>\d{4})"
_CALENDAR = (
    r"(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2})-(?P<iso_day>\d{1,2})",
    r"(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?",
    rf"{_DAY} {_MONTH}(?: {_YEAR})?",
    rf"{_MONTH} {_DAY},?(?: {_YEAR})?",
)
_LEAD = r"(?:(?:le|on|ce|this) )?"
_WEEKDAY_ALONE = re.compile(_LEAD + _WEEKDAY + _END)
_DAY_FORMS = (
    *(
        re.compile(rf"{_LEAD}(?:{_WEEKDAY}[.,]? (?:le |the )?)?{calendar}{_END}")
        for calendar in _CALENDAR
    ),
    _WEEKDAY_ALONE,
    re.compile(rf"{_LEAD}(?P<relative>{_any(_RELATIVE)}){_END}"),
)
_TIME = re.compile(
    r"(?:(?P<h>\d{1,2}) ?h ?(?P<m>\d{2})?"
    r"|(?P<colon_h>\d{1,2}):(?P<colon_m>\d{2})"
    r"|(?P<ampm_h>\d{1,2})(?:[:.](?P<ampm_m>\d{2}))? ?(?P<half>[ap])\.?m\.?"
    r"|(?P<noon>midi|noon))" + _END
)
_AT = re.compile(r"(?:a|at|@) ")
_LABEL = re.compile(r"\((?P<label>[^()]*)\)(?= |$)")
_OFFSET = re.compile(
    r"(?:utc|gmt)? ?(?:(?P<sign>[-+−])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?)?"
)


@dataclass(frozen=True)
class _Day:
    """A day as typed, before the time decides which one it is: a weekday is the next one
    still ahead, a date without a year the next one to come."""

    offset: int = 0
    weekday: int | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class _Reading:
    """A day and a time the text may start with, and where they end in the folded text."""

    day: _Day
    time: time
    end: int


def read_when(text: str, now: datetime, zone: ZoneInfo) -> When:
    """The moment ``text`` starts with, after ``now`` and within a year, read in ``zone``.

    A day needs a time; a time alone is today. Of several readings the longest wins, so
    ``mar 5 14h`` is 5 March and ``mar 14h`` a Tuesday. A parenthesis after the time is
    read too when it names ``zone``: its key, as the bot prints it, or an abbreviation or
    offset (``CET``, ``UTC+1``), which tells which of a repeated hour is meant; any other
    is left to the rest of the command. Raises WhenError.
    """
    folded = _fold(text)
    readings = _readings(folded)
    if not readings:
        raise WhenError("unreadable", "time" if _days(folded, 0) else "moment")
    reading = max(readings, key=lambda reading: reading.end)
    day = _which_day(reading, now.astimezone(zone))
    folds = _local(datetime.combine(day, reading.time), zone)
    at, end = folds[0], reading.end
    label = _LABEL.match(folded, end)
    named = [fold for fold in folds if label and _names(label["label"], fold, zone)]
    if label and named:
        at, end = named[0], _skip(folded, label.end())
    moment = at.astimezone(UTC)
    if moment <= now:
        raise WhenError("past")
    if moment - now > HORIZON:
        raise WhenError("too_far")
    return When(moment, len(folded[:end].split()))


def _fold(text: str) -> str:
    """Case, accents and fullwidth digits do not matter; words are one space apart, and stay
    as many as were typed (NFKD may turn a character into a space and an accent)."""
    return " ".join(map(_fold_word, text.split()))


def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not (unicodedata.combining(c) or c.isspace()))


def _readings(folded: str) -> list[_Reading]:
    """Every way the text starts with a moment: a day then its time, or a time then perhaps
    its day."""
    readings: list[_Reading] = []
    for day, end in _days(folded, 0):
        at = _AT.match(folded, end)
        found = _time(folded, at.end() if at else end)
        if found:
            readings.append(_Reading(day, *found))
    found = _time(folded, 0)
    if found:
        readings.append(_Reading(_Day(), *found))
        moment, after = found
        readings.extend(
            _Reading(day, moment, end) for day, end in _days(folded, after, full_weekday=True)
        )
    return readings


def _days(folded: str, start: int, *, full_weekday: bool = False) -> list[tuple[_Day, int]]:
    """Every day the text names at ``start``, with where each reading ends."""
    found: list[tuple[_Day, int]] = []
    for form in _DAY_FORMS:
        match = form.match(folded, start)
        if not match:
            continue
        # Short weekdays are everyday words too ("mer", "jeu", "sun"): after a time, where
        # the title may already begin, only a full name is the day.
        if full_weekday and form is _WEEKDAY_ALONE and match["weekday"] in _SHORT:
            continue
        found.append((_day(match.groupdict()), _skip(folded, match.end())))
    return found


def _day(groups: dict[str, str | None]) -> _Day:
    def number(*names: str) -> int | None:
        value = next((groups[name] for name in names if groups.get(name)), None)
        return None if value is None else int(value)

    relative, weekday, month = (groups.get(name) for name in ("relative", "weekday", "month_name"))
    year = number("iso_year", "year")
    return _Day(
        offset=_RELATIVE[relative] if relative else 0,
        weekday=_WEEKDAYS[weekday] if weekday else None,
        day=number("iso_day", "day"),
        month=_MONTHS[month] if month else number("iso_month", "month"),
        year=year + 2000 if year is not None and year < 100 else year,
    )


def _time(folded: str, start: int) -> tuple[time, int] | None:
    match = _TIME.match(folded, start)
    if not match:
        return None
    if match["noon"]:
        hour, minute = 12, 0
    elif match["half"]:
        hour, minute = int(match["ampm_h"]), int(match["ampm_m"] or 0)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"] == "p" else 0)
    else:
        hour = int(match["h"] or match["colon_h"])
        minute = int(match["m"] or match["colon_m"] or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute), _skip(folded, match.end())


def _skip(folded: str, end: int) -> int:
    """Past the space after a token, where the next one starts."""
    return end + 1 if folded[end : end + 1] == " " else end


def _which_day(reading: _Reading, now: datetime) -> date:
    """The day a reading means; ``now`` is local to the community."""
    today = now.date()
    typed = reading.day
    if typed.day is not None and typed.month is not None:
        day = _calendar_day(typed.day, typed.month, typed.year, today)
        if typed.weekday is not None and day.weekday() != typed.weekday:
            raise WhenError("wrong_weekday")
        return day
    if typed.weekday is not None:
        day = today + timedelta(days=(typed.weekday - today.weekday()) % 7)
        ahead = datetime.combine(day, reading.time, now.tzinfo) > now
        return day if ahead else day + timedelta(days=7)
    return today + timedelta(days=typed.offset)


def _calendar_day(day: int, month: int, year: int | None, today: date) -> date:
    """A date; without a year, the next one to come (today included)."""
    for candidate in (year,) if year else (today.year, today.year + 1):
        try:
            found = date(candidate, month, day)
        except ValueError:
            continue
        if year or found >= today:
            return found
    raise WhenError("unreadable", "day")


def _local(naive: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first and the second time the clocks of ``zone`` show ``naive`` (the same moment
    twice but when they are turned back); a time they skip is refused."""
    first, second = (naive.replace(tzinfo=zone, fold=fold) for fold in (0, 1))
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise WhenError("no_such_time")
    return first, second


def _names(label: str, at: datetime, zone: ZoneInfo) -> bool:
    """Whether a parenthesis names the zone at that moment: its key or city, its
    abbreviation then (``CEST``), or its offset then (``UTC+2``, ``+02:00``)."""
    city = zone.key.rsplit("/", 1)[-1].replace("_", " ")
    if label in {_fold(zone.key), _fold(city), _fold(at.tzname() or "")}:
        return True
    offset = _OFFSET.fullmatch(label)
    if not offset or not label:
        return False
    sign = -1 if offset["sign"] in ("-", "−") else 1
    hours, minutes = int(offset["hours"] or 0), int(offset["minutes"] or 0)
    return sign * timedelta(hours=hours, minutes=minutes) == at.utcoffset()
