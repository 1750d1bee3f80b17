"""Room creators in version 12 rooms outrank every power level; elsewhere the list decides."""

from __future__ import annotations

import math

import pytest

from bot.domain.permissions import creators_are_privileged, effective_power

CREATOR = "@founder:test"
CO_CREATOR = "@cofounder:test"
MEMBER = "@member:test"
CREATORS = (CREATOR, CO_CREATOR)


@pytest.mark.parametrize(
    ("room_version", "privileged"),
    [
        ("1", False),
        ("10", False),
        ("11", False),
        ("12", True),
        ("13", True),
        ("org.matrix.hydra.11", True),
        ("org.matrix.msc2176", False),
        ("", False),
    ],
)
def test_which_room_versions_privilege_creators(room_version: str, privileged: bool) -> None:
    assert creators_are_privileged(room_version) is privileged


@pytest.mark.parametrize("room_version", ["12", "13", "org.matrix.hydra.11"])
def test_the_creator_is_infinitely_powerful(room_version: str) -> None:
    assert effective_power(CREATOR, room_version, CREATORS, listed_level=0) == math.inf


@pytest.mark.parametrize("room_version", ["12", "org.matrix.hydra.11"])
def test_additional_creators_are_infinitely_powerful_too(room_version: str) -> None:
    assert effective_power(CO_CREATOR, room_version, CREATORS, listed_level=0) == math.inf


@pytest.mark.parametrize("room_version", ["10", "11"])
@pytest.mark.parametrize("creator", CREATORS)
def test_creators_of_older_rooms_get_their_listed_level(room_version: str, creator: str) -> None:
    assert effective_power(creator, room_version, CREATORS, listed_level=100) == 100
    assert effective_power(creator, room_version, CREATORS, listed_level=0) == 0


@pytest.mark.parametrize("room_version", ["10", "11", "12", "org.matrix.hydra.11"])
@pytest.mark.parametrize("level", [-10, 0, 50, 100])
def test_non_creators_get_their_listed_level(room_version: str, level: int) -> None:
    power = effective_power(MEMBER, room_version, CREATORS, listed_level=level)
    assert power == level
    assert not math.isinf(power)


def test_a_creator_outranks_any_listed_level() -> None:
    creator = effective_power(CREATOR, "12", CREATORS, listed_level=0)
    admin = effective_power(MEMBER, "12", CREATORS, listed_level=10**9)
    assert creator > admin
