"""Every wire shape inbound.py turns into a plain value, from events as Synapse's /sync serves them.

The bot only ever sees what nio makes of the homeserver's JSON, so each test starts from that
JSON (as Element and other clients send it), lets nio parse it the way the client does, and
compares the whole value handed to the command side: a shape we misread would otherwise show
up only as a command silently ignored in a room.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

import pytest
from nio import (
    BadEvent,
    Event,
    MatrixRoom,
    ReactionEvent,
    RedactionEvent,
    RoomMemberEvent,
    RoomMessageEmote,
    RoomMessageNotice,
    RoomMessageText,
    UnknownEvent,
)

from bot.matrix import inbound
from bot.messages import IncomingMessage, IncomingPollResponse, IncomingReaction, IncomingRedaction

ROOM = "!VkTpzjBfXkBoRWYgDQ:example.org"
BOT = "@compagnon:example.org"
ALICE = "@alice:example.org"
BOB = "@bob:example.org"
CAROL = "@carol:example.org"  # a member without a display name

# Event ids as room versions 4+ make them: "$" and 43 url-safe base64 characters.
EVENT = "$Kq3nR7vB0cXw5mYpT2aLhF9dJ8sE1uGzN4iO6kWbQyV"
EARLIER = "$oF2pLx8QbV1mZc7RtY4nHs0wKd9JeA3uGi6TyXaBq5M"
LATEST = "$Wn8rT1qZk4YbH7cVm0pXs3LdF6gJa9uE2iOyKtRzQ5B"

TS = 1_700_000_000_123  # origin_server_ts, in milliseconds
SENT = datetime(2023, 11, 14, 22, 13, 20, 123_000, tzinfo=UTC)

E = TypeVar("E")


def parsed(source: dict[str, Any], kind: type[E]) -> E:
    """The event as nio's sync handling makes it; the class picks the gateway's callback."""
    event = Event.parse_event(source)
    assert isinstance(event, kind), event
    return event


def text(content: dict[str, Any], sender: str = ALICE) -> RoomMessageText:
    """An m.room.message as it sits in a /sync timeline (no room_id: the room is the key)."""
    return parsed(
        {
            "type": "m.room.message",
            "sender": sender,
            "content": content,
            "origin_server_ts": TS,
            "unsigned": {"age": 1234},
            "event_id": EVENT,
        },
        RoomMessageText,
    )


def unknown(event_type: str, content: dict[str, Any]) -> UnknownEvent:
    return parsed(
        {
            "type": event_type,
            "sender": ALICE,
            "content": content,
            "origin_server_ts": TS,
            "unsigned": {"age": 52},
            "event_id": EVENT,
        },
        UnknownEvent,
    )


def received(body: str, **fields: Any) -> IncomingMessage:
    """What a message from Alice becomes, with the fields that differ from a plain one."""
    return IncomingMessage(
        **{
            "event_id": EVENT,
            "room_id": ROOM,
            "sender": ALICE,
            "sender_name": "Alice",
            "body": body,
            "sent_at": SENT,
            **fields,
        }
    )


@pytest.fixture
def room() -> MatrixRoom:
    room = MatrixRoom(ROOM, BOT)
    room.add_member(BOT, "Compagnon", None)
    room.add_member(ALICE, "Alice", "mxc://example.org/GCmhgzMPRjqgpODLsNQzVuHZ")
    room.add_member(BOB, "Bob", None)
    room.add_member(CAROL, None, None)
    return room


# --- text messages ------------------------------------------------------------------


def test_a_command_from_element(room: MatrixRoom) -> None:
    event = text({"msgtype": "m.text", "body": "!offer python", "m.mentions": {}})

    assert inbound.message(room, event) == received("!offer python")


def test_a_command_from_a_client_without_mentions_or_html(room: MatrixRoom) -> None:
    event = text({"msgtype": "m.text", "body": "!offer python"})

    assert inbound.message(room, event) == received("!offer python")


@pytest.mark.parametrize(
    ("msgtype", "kind"), [("m.notice", RoomMessageNotice), ("m.emote", RoomMessageEmote)]
)
def test_notices_and_emotes_never_reach_the_text_callback(msgtype: str, kind: type) -> None:
    """The gateway listens for RoomMessageText only: a bot's notice (its own replies, other
    bots) or a /me is not a command. nio gives them sibling classes, not subclasses."""
    source = {
        "type": "m.room.message",
        "sender": ALICE,
        "content": {"msgtype": msgtype, "body": "!offer python"},
        "origin_server_ts": TS,
        "unsigned": {"age": 12},
        "event_id": EVENT,
    }

    event = Event.parse_event(source)

    assert isinstance(event, kind)
    assert not isinstance(event, RoomMessageText)


def test_a_message_in_a_thread_names_its_root(room: MatrixRoom) -> None:
    """Element in a thread: the relation falls back to a reply to the thread's latest event."""
    event = text(
        {
            "msgtype": "m.text",
            "body": "!offer python",
            "m.mentions": {},
            "m.relates_to": {
                "rel_type": "m.thread",
                "event_id": EARLIER,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": LATEST},
            },
        }
    )

    assert inbound.message(room, event) == received("!offer python", thread_root=EARLIER)


def test_a_reply_inside_a_thread_keeps_the_root(room: MatrixRoom) -> None:
    event = text(
        {
            "msgtype": "m.text",
            "body": "!confirm",
            "m.mentions": {"user_ids": [BOB]},
            "m.relates_to": {
                "rel_type": "m.thread",
                "event_id": EARLIER,
                "is_falling_back": False,
                "m.in_reply_to": {"event_id": LATEST},
            },
        }
    )

    assert inbound.message(room, event) == received(
        "!confirm", thread_root=EARLIER, mentions=(BOB,)
    )


def test_a_reply_loses_its_quoted_fallback(room: MatrixRoom) -> None:
    """The fallback older clients put before a reply: the quoted message, its author's pill
    (which notified them, hence counts as a mention) and a permalink to the event."""
    event = text(
        {
            "msgtype": "m.text",
            "body": "> <@bob:example.org> !offer python\n> and rust\n\n!thanks",
            "format": "org.matrix.custom.html",
            "formatted_body": (
                "<mx-reply><blockquote>"
                f'<a href="https://matrix.to/#/{ROOM}/{EARLIER}?via=example.org">In reply to</a> '
                '<a href="https://matrix.to/#/@bob:example.org">@bob:example.org</a>'
                "<br>!offer python<br>and rust</blockquote></mx-reply>!thanks"
            ),
            "m.relates_to": {"m.in_reply_to": {"event_id": EARLIER}},
        }
    )

    assert inbound.message(room, event) == received("!thanks", mentions=(BOB,))


def test_a_reply_keeps_a_quote_of_its_own(room: MatrixRoom) -> None:
    """Only the fallback goes: it ends at the blank line, whatever the reply itself quotes."""
    event = text(
        {
            "msgtype": "m.text",
            "body": "> <@bob:example.org> !offer python\n> \n> and rust\n\n> and rust\n!need rust",
            "m.relates_to": {"m.in_reply_to": {"event_id": EARLIER}},
        }
    )

    assert inbound.message(room, event) == received("> and rust\n!need rust")


def test_a_reply_without_fallback_from_current_element(room: MatrixRoom) -> None:
    event = text(
        {
            "msgtype": "m.text",
            "body": "!thanks",
            "m.mentions": {"user_ids": [BOB]},
            "m.relates_to": {"m.in_reply_to": {"event_id": EARLIER}},
        }
    )

    assert inbound.message(room, event) == received("!thanks", mentions=(BOB,))


def test_an_edit_carries_its_new_text_and_what_it_edits(room: MatrixRoom) -> None:
    """The new content's text and mentions, not the fallback's ``* …``."""
    event = text(
        {
            "msgtype": "m.text",
            "body": "* !thanks Bob",
            "m.new_content": {
                "msgtype": "m.text",
                "body": "!thanks Bob",
                "m.mentions": {"user_ids": [BOB]},
            },
            "m.mentions": {},
            "m.relates_to": {"rel_type": "m.replace", "event_id": EARLIER},
        }
    )

    assert inbound.message(room, event) == received("!thanks Bob", mentions=(BOB,), edits=EARLIER)


@pytest.mark.parametrize("new", [None, "!offer rust", {"msgtype": "m.text"}])
def test_a_malformed_edit_is_dropped(room: MatrixRoom, new: object) -> None:
    event = text(
        {
            "msgtype": "m.text",
            "body": "* !offer rust",
            "m.new_content": new,
            "m.relates_to": {"rel_type": "m.replace", "event_id": EARLIER},
        }
    )

    assert inbound.message(room, event) is None


@pytest.mark.parametrize("relation", ["$Kq3nR7vB", [EARLIER]])
def test_a_malformed_relation_is_a_plain_message(room: MatrixRoom, relation: object) -> None:
    event = text({"msgtype": "m.text", "body": "!offer python", "m.relates_to": relation})

    assert inbound.message(room, event) == received("!offer python")


# --- who a message mentions -----------------------------------------------------------


def test_intentional_mentions_win_over_pills(room: MatrixRoom) -> None:
    event = text(
        {
            "msgtype": "m.text",
            "body": "!thanks Bob Carol",
            "format": "org.matrix.custom.html",
            "formatted_body": (
                '!thanks <a href="https://matrix.to/#/@bob:example.org">Bob</a> Carol'
            ),
            "m.mentions": {"user_ids": [CAROL, BOB]},
        }
    )

    assert inbound.message(room, event) == received("!thanks Bob Carol", mentions=(CAROL, BOB))


def test_pills_without_intentional_mentions_in_order_once_each(room: MatrixRoom) -> None:
    """Older clients: pills written plainly or percent-encoded, as matrix.to allows; links to
    a room alias or an event are not people."""
    event = text(
        {
            "msgtype": "m.text",
            "body": "!thanks Bob Carol Bob, see #lobby",
            "format": "org.matrix.custom.html",
            "formatted_body": (
                '!thanks <a href="https://matrix.to/#/@bob:example.org">Bob</a> '
                "<a href='https://matrix.to/#/%40carol%3Aexample.org'>Carol</a> "
                '<a href="https://matrix.to/#/%40bob%3Aexample.org">Bob</a>, see '
                '<a href="https://matrix.to/#/#lobby:example.org">#lobby</a> '
                f'<a href="https://matrix.to/#/{ROOM}/{EARLIER}?via=example.org">there</a>'
            ),
        }
    )

    assert inbound.message(room, event) == received(
        "!thanks Bob Carol Bob, see #lobby", mentions=(BOB, CAROL)
    )


@pytest.mark.parametrize("mentions", [{}, {"room": True}])
def test_present_mentions_without_users_mean_nobody_even_with_pills(
    room: MatrixRoom, mentions: dict[str, Any]
) -> None:
    """Element replying to one's own message: nobody to notify, yet the fallback pills the
    sender."""
    event = text(
        {
            "msgtype": "m.text",
            "body": "> <@alice:example.org> !offer python\n\n!need rust",
            "format": "org.matrix.custom.html",
            "formatted_body": (
                "<mx-reply><blockquote>"
                f'<a href="https://matrix.to/#/{ROOM}/{EARLIER}">In reply to</a> '
                '<a href="https://matrix.to/#/@alice:example.org">@alice:example.org</a>'
                "<br>!offer python</blockquote></mx-reply>!need rust"
            ),
            "m.mentions": mentions,
            "m.relates_to": {"m.in_reply_to": {"event_id": EARLIER}},
        }
    )

    assert inbound.message(room, event) == received("!need rust")


# --- who sent it, and when ----------------------------------------------------------------


@pytest.mark.parametrize("sender", [CAROL, "@dave:example.org"], ids=["no name", "not in room"])
def test_without_a_display_name_the_sender_is_named_by_id(room: MatrixRoom, sender: str) -> None:
    event = text({"msgtype": "m.text", "body": "!offer python"}, sender=sender)

    assert inbound.message(room, event) == received(
        "!offer python", sender=sender, sender_name=sender
    )


def test_a_shared_display_name_is_told_apart(room: MatrixRoom) -> None:
    room.add_member("@alice:elsewhere.net", "Alice", None)
    event = text({"msgtype": "m.text", "body": "!offer python"})

    assert inbound.message(room, event) == received(
        "!offer python", sender_name="Alice (@alice:example.org)"
    )


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Bob (@bob:example.org)", "Bob (@bob:example.org) (@mallory:example.org)"),
        ("ALICE", "ALICE (@mallory:example.org)"),  # nio tells apart equal spellings only
    ],
)
def test_a_name_posing_as_another_members_shows_the_senders_id(
    room: MatrixRoom, name: str, shown: str
) -> None:
    room.add_member("@mallory:example.org", name, None)
    message = text({"msgtype": "m.text", "body": "!offer python"}, "@mallory:example.org")

    assert inbound.message(room, message) == received(
        "!offer python", sender="@mallory:example.org", sender_name=shown
    )


def test_the_room_lists_the_names_members_chose_without_the_invited(room: MatrixRoom) -> None:
    room.add_member("@dave:example.org", "Alice", None, invited=True)

    assert inbound.display_names(room) == {
        BOT: "Compagnon",
        ALICE: "Alice",
        BOB: "Bob",
        CAROL: CAROL,
    }


def test_sent_at_is_the_server_timestamp_in_utc() -> None:
    event = text({"msgtype": "m.text", "body": "!offer python"})

    at = inbound.sent_at(event)

    assert at == SENT
    assert at.tzinfo is UTC


# --- reactions and redactions -------------------------------------------------------------


@pytest.mark.parametrize("key", ["✅", "👍️", "✔️"])
def test_a_reaction_keeps_its_key_as_sent(room: MatrixRoom, key: str) -> None:
    """The variation selector Element adds is left for the domain to judge."""
    event = parsed(
        {
            "type": "m.reaction",
            "sender": BOB,
            "content": {
                "m.relates_to": {"rel_type": "m.annotation", "event_id": EARLIER, "key": key}
            },
            "origin_server_ts": TS,
            "unsigned": {"age": 97},
            "event_id": EVENT,
        },
        ReactionEvent,
    )

    assert inbound.reaction(room, event) == IncomingReaction(
        event_id=EVENT,
        room_id=ROOM,
        sender=BOB,
        sender_name="Bob",
        target=EARLIER,
        key=key,
        sent_at=SENT,
    )


def test_a_reaction_from_a_member_without_a_name(room: MatrixRoom) -> None:
    event = parsed(
        {
            "type": "m.reaction",
            "sender": CAROL,
            "content": {
                "m.relates_to": {"rel_type": "m.annotation", "event_id": EARLIER, "key": "✅"}
            },
            "origin_server_ts": TS,
            "unsigned": {"age": 97},
            "event_id": EVENT,
        },
        ReactionEvent,
    )

    assert inbound.reaction(room, event) == IncomingReaction(
        EVENT, ROOM, CAROL, CAROL, EARLIER, "✅", SENT
    )


@pytest.mark.parametrize(
    "source",
    [
        {  # room versions 1-10: redacts beside the content
            "type": "m.room.redaction",
            "sender": BOB,
            "content": {},
            "redacts": EARLIER,
            "origin_server_ts": TS,
            "unsigned": {"age": 40},
            "event_id": EVENT,
        },
        {  # room version 11: in the content, with Synapse's copy on top for older clients
            "type": "m.room.redaction",
            "sender": BOB,
            "content": {"redacts": EARLIER, "reason": "oops"},
            "redacts": EARLIER,
            "origin_server_ts": TS,
            "unsigned": {"age": 40},
            "event_id": EVENT,
        },
    ],
    ids=["v10", "v11"],
)
def test_a_redaction(room: MatrixRoom, source: dict[str, Any]) -> None:
    event = parsed(source, RedactionEvent)

    assert inbound.redaction(room, event) == IncomingRedaction(EVENT, ROOM, BOB, EARLIER)


def test_a_v11_redaction_without_the_top_level_copy_is_lost_to_nio() -> None:
    """What redaction() relies on: a server that serves v11 redactions without the copy the
    spec recommends leaves nio a BadEvent, which no callback of the gateway takes."""
    event = Event.parse_event(
        {
            "type": "m.room.redaction",
            "sender": BOB,
            "content": {"redacts": EARLIER},
            "origin_server_ts": TS,
            "unsigned": {"age": 40},
            "event_id": EVENT,
        }
    )

    assert isinstance(event, BadEvent)


# --- poll responses -------------------------------------------------------------------------

REFERENCE = {"rel_type": "m.reference", "event_id": EARLIER}


@pytest.mark.parametrize(
    ("event_type", "content"),
    [
        (  # Element Web and Element X today
            "org.matrix.msc3381.poll.response",
            {"m.relates_to": REFERENCE, "org.matrix.msc3381.poll.response": {"answers": ["2"]}},
        ),
        (  # the first stable shape: the same block under the stable name
            "m.poll.response",
            {"m.relates_to": REFERENCE, "m.poll.response": {"answers": ["2"]}},
        ),
        (  # the stable shape of the extensible-events rewrite
            "m.poll.response",
            {"m.relates_to": REFERENCE, "m.selections": ["2"]},
        ),
        (  # and its unstable name
            "org.matrix.msc3381.v2.poll.response",
            {"m.relates_to": REFERENCE, "org.matrix.msc3381.v2.selections": ["2"]},
        ),
    ],
    ids=["unstable", "stable-block", "stable-selections", "v2-unstable"],
)
def test_a_poll_response_in_every_shape(event_type: str, content: dict[str, Any]) -> None:
    event = unknown(event_type, content)

    assert inbound.poll_response(ROOM, event) == IncomingPollResponse(
        event_id=EVENT,
        room_id=ROOM,
        sender=ALICE,
        poll_event=EARLIER,
        answers=("2",),
        sent_at=SENT,
    )


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([], ()),  # a spoiled vote (MSC3381): answers, but none
        (["1", "3"], ("1", "3")),
        ("2", None),  # not a list: no answer list at all, not a vote for "2"
        ([2], None),
        (None, None),
    ],
)
def test_the_answers_of_a_response_as_sent(
    answers: object, expected: tuple[str, ...] | None
) -> None:
    event = unknown(
        "org.matrix.msc3381.poll.response",
        {"m.relates_to": REFERENCE, "org.matrix.msc3381.poll.response": {"answers": answers}},
    )

    assert inbound.poll_response(ROOM, event) == IncomingPollResponse(
        EVENT, ROOM, ALICE, EARLIER, expected, SENT
    )


@pytest.mark.parametrize(
    ("event_type", "content"),
    [
        ("org.matrix.msc3381.poll.response", {"org.matrix.msc3381.poll.response": {"answers": []}}),
        (
            "org.matrix.msc3381.poll.response",
            {"m.relates_to": {"rel_type": "m.annotation", "event_id": EARLIER, "key": "2"}},
        ),
        ("m.poll.response", {"m.relates_to": {"rel_type": "m.reference"}, "m.selections": ["2"]}),
        ("m.poll.response", {"m.relates_to": "$oF2pLx8Q", "m.selections": ["2"]}),
        (  # the poll itself, also an unknown event to nio
            "org.matrix.msc3381.poll.start",
            {
                "m.relates_to": REFERENCE,
                "org.matrix.msc3381.poll.start": {"question": {"body": "When?"}, "answers": []},
            },
        ),
        ("org.matrix.msc3381.poll.end", {"m.relates_to": REFERENCE}),
    ],
    ids=["no relation", "annotation", "no target", "relation not an object", "start", "end"],
)
def test_what_is_not_a_poll_response(event_type: str, content: dict[str, Any]) -> None:
    assert inbound.poll_response(ROOM, unknown(event_type, content)) is None


# --- membership -------------------------------------------------------------------------


def member_event(user: str, membership: str, sender: str) -> RoomMemberEvent:
    """An m.room.member state event as the timeline of a /sync brings it."""
    return parsed(
        {
            "type": "m.room.member",
            "state_key": user,
            "sender": sender,
            "content": {"membership": membership, "displayname": "Dave"},
            "origin_server_ts": TS,
            "unsigned": {"age": 7},
            "event_id": EVENT,
        },
        RoomMemberEvent,
    )


def test_joined_members_are_members(room: MatrixRoom) -> None:
    assert inbound.is_member(room, ALICE)
    assert inbound.is_member(room, CAROL)
    assert not inbound.is_member(room, "@dave:example.org")


def test_an_invited_user_is_not_a_member_until_they_join(room: MatrixRoom) -> None:
    room.add_member("@erin:example.org", "Erin", None, invited=True)
    dave = "@dave:example.org"

    room.handle_membership(member_event(dave, "invite", sender=ALICE))
    invited = inbound.is_member(room, dave)
    room.handle_membership(member_event(dave, "join", sender=dave))
    joined = inbound.is_member(room, dave)
    room.handle_membership(member_event(dave, "leave", sender=dave))
    left = inbound.is_member(room, dave)

    assert not inbound.is_member(room, "@erin:example.org")
    assert (invited, joined, left) == (False, True, False)
