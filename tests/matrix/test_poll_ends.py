"""Which poll ends the bot takes in: those matrix-js-sdk's ``Poll`` (Element) accepts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from nio import Event, MatrixRoom, UnknownEvent
from nio.events.room_events import PowerLevels

from bot.matrix import inbound
from bot.messages import IncomingPollEnd

ROOM = "!VkTpzjBfXkBoRWYgDQ:example.org"
BOT = "@compagnon:example.org"
CREATOR = "@alice:example.org"  # created the room: no power-levels entry in room v12
MODERATOR = "@mod:example.org"  # power 50, the default redact level
MEMBER = "@bob:example.org"  # power 0
POLL = "$Kq3nR7vB0cXw5mYpT2aLhF9dJ8sE1uGzN4iO6kWbQyV"
END = "$Wn8rT1qZk4YbH7cVm0pXs3LdF6gJa9uE2iOyKtRzQ5B"
TS = 1_700_000_000_123
SENT = datetime(2023, 11, 14, 22, 13, 20, 123_000, tzinfo=UTC)
ENDED = {"m.relates_to": {"rel_type": "m.reference", "event_id": POLL}}


def end_event(sender: str, event_type: str = "org.matrix.msc3381.poll.end") -> UnknownEvent:
    content: dict[str, Any] = {**ENDED, event_type: {}, "org.matrix.msc1767.text": "Ended"}
    event = Event.parse_event(
        {
            "type": event_type,
            "sender": sender,
            "content": content,
            "origin_server_ts": TS,
            "event_id": END,
        }
    )
    assert isinstance(event, UnknownEvent)
    return event


def v12_room(redact: int = 50, **events: int) -> MatrixRoom:
    room = MatrixRoom(ROOM, BOT)
    room.room_version = "12"
    for user in (BOT, CREATOR, MODERATOR, MEMBER):
        room.add_member(user, None, None)
    room.power_levels = PowerLevels(users={BOT: 100, MODERATOR: 50}, events=events)
    room.power_levels.defaults.redact = redact
    return room


def taken(room: MatrixRoom, sender: str, event_type: str = "org.matrix.msc3381.poll.end") -> bool:
    end = inbound.poll_end(room, end_event(sender, event_type), BOT, {CREATOR})
    if end is not None:
        assert end == IncomingPollEnd(END, ROOM, sender, POLL, SENT)
    return end is not None


@pytest.mark.parametrize("event_type", ["org.matrix.msc3381.poll.end", "m.poll.end"])
def test_an_end_from_a_moderator_a_creator_or_the_polls_sender_counts(event_type: str) -> None:
    room = v12_room()
    assert taken(room, MODERATOR, event_type)
    assert taken(room, CREATOR, event_type)  # unlimited power, though listed nowhere
    assert taken(room, BOT, event_type)


def test_an_end_from_a_member_without_the_power_to_redact_is_ignored() -> None:
    assert not taken(v12_room(), MEMBER)


def test_the_rooms_own_redact_level_decides() -> None:
    assert not taken(v12_room(redact=100), MODERATOR)
    assert taken(v12_room(redact=0), MEMBER)
    assert not taken(v12_room(redact=0, **{"m.room.redaction": 60}), MEMBER)


def test_creators_are_not_privileged_before_room_v12() -> None:
    room = v12_room()
    room.room_version = "10"
    assert not taken(room, CREATOR)


def test_a_member_who_left_may_end_nothing() -> None:
    room = v12_room()
    room.remove_member(MODERATOR)
    assert not taken(room, MODERATOR)


def test_a_response_is_not_an_end() -> None:
    assert not taken(v12_room(), MODERATOR, "org.matrix.msc3381.poll.response")
