"""Durations as people type them, and the spelling the bot writes back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", timedelta(seconds=30)),
        ("90m", timedelta(minutes=90)),
        ("90min", timedelta(minutes=90)),
        ("24h", timedelta(hours=24)),
        ("7d", timedelta(days=7)),
        ("7j", timedelta(days=7)),
        ("2w", timedelta(weeks=2)),
        ("1h30", timedelta(hours=1, minutes=30)),
        ("1h 30", timedelta(hours=1, minutes=30)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1d 2h", timedelta(days=1, hours=2)),
        ("1.5h", timedelta(hours=1, minutes=30)),
        ("1,5h", timedelta(hours=1, minutes=30)),
        ("  24H  ", timedelta(hours=24)),
        ("10 min", timedelta(minutes=10)),
    ],
)
def test_parses_what_people_type(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text", ["", "   ", "soon", "90", "h", "1x", "-5m", "1h30.5", "5m later", "1.5.5h"]
)
def test_rejects_what_is_not_a_duration_naming_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration") as caught:
        parse_duration(text)
    message = str(caught.value)
    for form in ("90m", "24h", "7d", "1h30"):
        assert form in message


@pytest.mark.parametrize("text", ["1m30", "2d5", "10s 3"])
def test_a_bare_number_only_follows_hours(text: str) -> None:
    with pytest.raises(ValueError, match="1h30"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["0m", "0h0", "0.0d"])
def test_rejects_zero(text: str) -> None:
    with pytest.raises(ValueError, match="longer than zero"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(weeks=2), "2w"),
        (timedelta(days=7), "1w"),
        (timedelta(days=3), "3d"),
        (timedelta(hours=24), "1d"),
        (timedelta(hours=36), "36h"),
        (timedelta(minutes=90), "90m"),
        (timedelta(seconds=45), "45s"),
        (timedelta(seconds=61), "61s"),
    ],
)
def test_formats_with_the_largest_exact_unit(delta: timedelta, expected: str) -> None:
    assert format_duration(delta) == expected


@given(st.integers(min_value=1, max_value=10**10).map(lambda seconds: timedelta(seconds=seconds)))
def test_format_then_parse_round_trips(delta: timedelta) -> None:
    assert parse_duration(format_duration(delta)) == delta
