"""Levels, hours and references as members type them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.ledger import (
    MAX_MINUTES,
    HoursError,
    LevelError,
    Ref,
    RefKind,
    format_minutes,
    parse_hours,
    parse_level,
    parse_ref,
)


@pytest.mark.parametrize(
    ("token", "level"),
    [
        ("1", 1),
        ("5", 5),
        ("curious", 1),
        ("Débutante", 2),
        ("praticien", 3),
        ("EXPÉRIMENTÉ", 4),
        ("experte", 5),
        ("expert", 5),
        ("woodworking", None),
    ],
)
def test_levels_in_both_languages(token: str, level: int | None) -> None:
    assert parse_level(token) == level


@pytest.mark.parametrize("token", ["0", "6", "42"])
def test_a_number_outside_one_to_five_is_an_error(token: str) -> None:
    with pytest.raises(LevelError):
        parse_level(token)


@pytest.mark.parametrize(
    ("token", "minutes"),
    [("3h", 180), ("1h30", 90), ("1.5h", 90), ("1,5h", 90), ("90min", 90), ("45m", 45)],
)
def test_hours_as_people_write_them(token: str, minutes: int) -> None:
    assert parse_hours(token) == minutes


@pytest.mark.parametrize("token", ["3", "h", "0h", "201h", "2d", "trois heures", "-1h", ""])
def test_unreadable_or_implausible_hours_are_refused(token: str) -> None:
    with pytest.raises(HoursError):
        parse_hours(token)


@given(st.integers(min_value=1, max_value=MAX_MINUTES))
def test_hours_round_trip_through_their_spelling(minutes: int) -> None:
    assert parse_hours(format_minutes(minutes)) == minutes


@pytest.mark.parametrize(
    ("token", "ref"),
    [
        ("o12", Ref(RefKind.OFFER, 12)),
        ("N7", Ref(RefKind.NEED, 7)),
        ("#c3", Ref(RefKind.CONTRIBUTION, 3)),
        ("m5", Ref(RefKind.MATCH, 5)),
        ("p2", Ref(RefKind.POLL, 2)),
        ("x1", None),
        ("o", None),
        ("12", None),
        ("o1a", None),
    ],
)
def test_references(token: str, ref: Ref | None) -> None:
    assert parse_ref(token) == ref


@given(st.sampled_from(list(RefKind)), st.integers(min_value=0, max_value=10**9 - 1))
def test_references_round_trip(kind: RefKind, number: int) -> None:
    assert parse_ref(str(Ref(kind, number))) == Ref(kind, number)
