"""When a workshop takes place, as members type it, in both languages, on the community's
clocks; with a fixed ``now``: Tuesday 1 December 2026, 10:30 in Paris."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.when import WhenError, read_when
from bot.i18n import LANGUAGES, Catalogue
from bot.i18n.types import Language

PARIS, MONTREAL = ZoneInfo("Europe/Paris"), ZoneInfo("America/Montreal")
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # a Tuesday, 10:30 in Paris


def paris(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def left(text: str, zone: ZoneInfo = PARIS) -> str:
    """The words the moment did not use."""
    return " ".join(text.split()[read_when(text, NOW, zone).words :])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # weekdays, full and short, in both languages: the next one
        ("samedi 14h", paris(12, 5, 14)),
        ("sam 14h", paris(12, 5, 14)),
        ("Sam. 14h", paris(12, 5, 14)),
        ("saturday 2pm", paris(12, 5, 14)),
        ("Sat at 2pm", paris(12, 5, 14)),
        ("on Saturday at 2 p.m.", paris(12, 5, 14)),
        ("ce samedi à 14h", paris(12, 5, 14)),
        ("lundi 9h", paris(12, 7, 9)),
        ("mon 9:00", paris(12, 7, 9)),
        ("mercredi 18h30", paris(12, 2, 18, 30)),
        ("thurs 6:30pm", paris(12, 3, 18, 30)),
        ("dimanche midi", paris(12, 6, 12)),
        ("sunday noon", paris(12, 6, 12)),
        # today counts while the time is ahead
        ("mardi 11h", paris(12, 1, 11)),
        ("mar 11h", paris(12, 1, 11)),
        ("tuesday 10am", paris(12, 8, 10)),
        ("mardi 10h30", paris(12, 8, 10, 30)),
        # days named from today
        ("aujourd'hui 18h", paris(12, 1, 18)),
        ("Aujourd’hui à 18h", paris(12, 1, 18)),
        ("today at 6pm", paris(12, 1, 18)),
        ("demain midi", paris(12, 2, 12)),
        ("DEMAIN 9H", paris(12, 2, 9)),
        ("tomorrow at noon", paris(12, 2, 12)),
        ("après-demain 18h30", paris(12, 3, 18, 30)),
        ("apres demain 18h30", paris(12, 3, 18, 30)),
        ("day after tomorrow 9:15", paris(12, 3, 9, 15)),
        ("the day after tomorrow at 9:15am", paris(12, 3, 9, 15)),
        # a time alone is today
        ("14h", paris(12, 1, 14)),
        ("14 h 30", paris(12, 1, 14, 30)),
        ("2:30pm", paris(12, 1, 14, 30)),
        ("2 pm", paris(12, 1, 14)),
        ("midi", paris(12, 1, 12)),
        ("23:59", paris(12, 1, 23, 59)),
        # a time then its day
        ("14h demain", paris(12, 2, 14)),
        ("2pm tomorrow", paris(12, 2, 14)),
        ("14h samedi", paris(12, 5, 14)),
        ("2pm on Saturday", paris(12, 5, 14)),
        ("18h le 5/12", paris(12, 5, 18)),
        # dates: ISO, day first with slashes, month in words either side
        ("2026-12-05 14:00", paris(12, 5, 14)),
        ("2027-1-9 9h", paris(1, 9, 9, year=2027)),
        ("5/12 14h", paris(12, 5, 14)),
        ("05/12 à 14h", paris(12, 5, 14)),
        ("5/12/2026 14h", paris(12, 5, 14)),
        ("5/12/26 14h", paris(12, 5, 14)),
        ("le 5/12 à 14h", paris(12, 5, 14)),
        ("5 décembre 14h", paris(12, 5, 14)),
        ("5 decembre 14h", paris(12, 5, 14)),
        ("5 déc. à 14h", paris(12, 5, 14)),
        ("5 dec 2pm", paris(12, 5, 14)),
        ("le 5 décembre 2026 à 14h", paris(12, 5, 14)),
        ("December 5 at 2:30pm", paris(12, 5, 14, 30)),
        ("Dec 5th 2:30pm", paris(12, 5, 14, 30)),
        ("déc. 5 14h", paris(12, 5, 14)),
        ("December 5, 2026 at 2pm", paris(12, 5, 14)),
        ("Saturday, December 5, 2026 at 2pm", paris(12, 5, 14)),
        ("1er janvier 2027 à 11h", paris(1, 1, 11, year=2027)),
        ("Feb 1st at 11am", paris(2, 1, 11, year=2027)),
        ("14 juillet 21h", paris(7, 14, 21, year=2027)),
        ("aout 15 10h", paris(8, 15, 10, year=2027)),
        # a weekday before a date must agree with it
        ("samedi 5 décembre 14h", paris(12, 5, 14)),
        ("sam 5/12 14h", paris(12, 5, 14)),
        ("samedi le 5 décembre à 14h", paris(12, 5, 14)),
        # "mar" is Tuesday, or March when a day follows
        ("mar 14h", paris(12, 1, 14)),
        ("mar 5 14h", paris(3, 5, 14, year=2027)),
        ("mar 8 déc 14h", paris(12, 8, 14)),
        # as the bot prints it
        ("mardi 1er décembre 2026 à 18:00 (Europe/Paris)", paris(12, 1, 18)),
        ("Tuesday 1 December 2026 at 18:00 (Europe/Paris)", paris(12, 1, 18)),
        ("mardi 1er décembre 2026, 18:00", paris(12, 1, 18)),
        # fullwidth digits, as some keyboards type them
        ("１４ｈ", paris(12, 1, 14)),
    ],
)
def test_reads_what_members_type(text: str, expected: datetime) -> None:
    when = read_when(text, NOW, PARIS)
    assert when.at == expected
    assert when.at.tzinfo is UTC
    assert when.words == len(text.split())


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("samedi 14h menuiserie --places 4", "menuiserie --places 4"),
        ("Saturday at 2pm woodworking : bring gloves", "woodworking : bring gloves"),
        ("demain à 18h30 couture", "couture"),
        ("2 pm soldering", "soldering"),
        ("14h30 tricot", "tricot"),
        ("5 déc. 2026, 14h, poterie", "poterie"),
        # a short weekday after a time is a word of the title, not the day
        ("14h mer et plage", "mer et plage"),
        ("14h sam en parle", "sam en parle"),
        # a number after the date that is no year stays
        ("5 décembre 14h 2026 idées", "2026 idées"),
        # a parenthesis after a time names the zone, or is the title's
        ("samedi 14h (Europe/Paris) menuiserie", "menuiserie"),
        ("samedi 14h (CET) menuiserie", "menuiserie"),
        ("samedi 14h (UTC+1) menuiserie", "menuiserie"),
        ("samedi 14h (heure de Paris) menuiserie", "(heure de Paris) menuiserie"),
        ("samedi 14h (CEST) menuiserie", "(CEST) menuiserie"),
        ("samedi 14h (débutants) menuiserie", "(débutants) menuiserie"),
    ],
)
def test_leaves_the_rest_of_the_command(text: str, rest: str) -> None:
    assert left(text) == rest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "moment"),
        ("menuiserie samedi 14h", "moment"),
        ("bientôt", "moment"),
        ("14", "moment"),
        ("25h", "moment"),
        ("14h75", "moment"),
        ("13pm", "moment"),
        ("0am", "moment"),
        ("5/12/2026T14:00", "moment"),
        # a day without a time
        ("samedi", "time"),
        ("samedi menuiserie", "time"),
        ("demain", "time"),
        ("5/12", "time"),
        ("5 décembre 2026", "time"),
        ("tomorrow at", "time"),
        ("samedi 5 à 14h", "time"),
        # no such day
        ("31/2 14h", "day"),
        ("2026-13-01 14h", "day"),
        ("31 avril 14h", "day"),
        ("29 février 14h", "day"),  # not before 2028
    ],
)
def test_an_unreadable_moment_names_what_was_expected(text: str, expected: str) -> None:
    with pytest.raises(WhenError) as caught:
        read_when(text, NOW, PARIS)
    assert (caught.value.reason, caught.value.expected) == ("unreadable", expected)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("9h", "past"),
        ("10h30", "past"),  # now is not ahead
        ("aujourd'hui 9h", "past"),
        ("today at 9am", "past"),
        ("1/12 9h", "past"),  # today's date keeps its year
        ("1/12/2026 9h", "past"),
        ("5/12/2025 14h", "past"),
        ("2026-11-30 14:00", "past"),
        ("5/12/2027 14h", "too_far"),
        ("3 décembre 2027 à 10h", "too_far"),
        ("samedi 6 décembre 14h", "wrong_weekday"),
        ("Friday, December 5 at 2pm", "wrong_weekday"),
        ("28/3/2027 2h30", "no_such_time"),  # the clocks go from 2:00 to 3:00
    ],
)
def test_refuses_a_moment_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(WhenError) as caught:
        read_when(text, NOW, PARIS)
    assert (caught.value.reason, caught.value.expected) == (reason, None)


def test_a_year_ahead_is_the_limit() -> None:
    assert read_when("2/12/2027 10h29", NOW, PARIS).at == paris(12, 2, 10, 29, year=2027)
    with pytest.raises(WhenError, match="too_far"):
        read_when("2/12/2027 10h31", NOW, PARIS)


def test_a_past_date_without_a_year_is_next_years() -> None:
    assert read_when("30/11 14h", NOW, PARIS).at == paris(11, 30, 14, year=2027)


def test_reads_on_the_communitys_clocks() -> None:
    # 4:30 in Montreal: 14h is still ahead there, in Montreal's time.
    when = read_when("14h", NOW, MONTREAL)
    assert when.at == datetime(2026, 12, 1, 14, tzinfo=MONTREAL)
    assert when.at == datetime(2026, 12, 1, 19, tzinfo=UTC)
    # Late on Monday in Montreal is already Tuesday in UTC: "today" is Montreal's.
    late = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
    assert read_when("aujourd'hui 23h30", late, MONTREAL).at == datetime(
        2026, 11, 30, 23, 30, tzinfo=MONTREAL
    )


def test_a_repeated_hour_is_the_first_unless_the_zone_says() -> None:
    # 31 October 2027 in Paris: 2:30 comes at 0:30 UTC (CEST), then at 1:30 UTC (CET).
    first, second = (
        datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
        datetime(2027, 10, 31, 1, 30, tzinfo=UTC),
    )
    assert read_when("31/10/2027 2h30", NOW, PARIS).at == first
    assert read_when("31/10/2027 2h30 (Europe/Paris)", NOW, PARIS).at == first
    assert read_when("31/10/2027 2h30 (CEST)", NOW, PARIS).at == first
    assert read_when("31/10/2027 2h30 (CET)", NOW, PARIS).at == second
    assert read_when("31/10/2027 2h30 (UTC+1)", NOW, PARIS).at == second
    assert read_when("31/10/2027 2h30 (+01:00)", NOW, PARIS).at == second
    assert read_when("31/10/2027 2h30 (GMT+02:00)", NOW, PARIS).at == first
    assert read_when("Nov 7, 2027 at 1:30am (EST)", NOW, MONTREAL).at == datetime(
        2027, 11, 7, 6, 30, tzinfo=UTC
    )
    assert read_when("Nov 7, 2027 at 1:30am (UTC−5)", NOW, MONTREAL).at == datetime(
        2027, 11, 7, 6, 30, tzinfo=UTC
    )


def test_a_skipped_hour_is_refused_in_montreal_too() -> None:
    with pytest.raises(WhenError, match="no_such_time"):
        read_when("14 mars 2027 2:30am", NOW, MONTREAL)


def first_of_the_hour(at: datetime, zone: ZoneInfo) -> datetime:
    """The first moment the clocks of ``zone`` show the local time of ``at``."""
    return at.astimezone(zone).replace(fold=0).astimezone(UTC)


@given(
    at=st.datetimes(
        min_value=NOW.replace(tzinfo=None) + timedelta(minutes=1),
        max_value=NOW.replace(tzinfo=None) + timedelta(days=366),
        timezones=st.just(UTC),
    ).map(lambda at: at.replace(second=0, microsecond=0)),
    language=st.sampled_from(LANGUAGES),
    zone=st.sampled_from([PARIS, MONTREAL]),
    rest=st.sampled_from(["", "menuiserie --places 4", "(débutants) : apporter ses outils"]),
)
def test_the_bots_own_moment_reads_back(
    at: datetime, language: Language, zone: ZoneInfo, rest: str
) -> None:
    """Printed without its offset, the repeated hour of autumn reads as its first time."""
    printed = Catalogue(language).moment(at, zone)
    when = read_when(f"{printed} {rest}", NOW, zone)
    assert when.at == first_of_the_hour(at, zone)
    assert when.words == len(printed.split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_second_of_a_repeated_hour_prints_as_the_first(language: Language) -> None:
    """What ``moment`` prints names the zone, not the offset: the hour that comes twice
    cannot tell which it was."""
    second = datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    printed = Catalogue(language).moment(second, PARIS)
    assert read_when(printed, NOW, PARIS).at == second - timedelta(hours=1)
