"""Events as they come off the wire, turned into the plain values the bot acts on.

Pure functions of a room and an event, so every wire shape is tested from recorded events;
whether an event is fresh enough to act on is the gateway's call, not theirs.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from nio import Event, MatrixRoom, ReactionEvent, RedactionEvent, RoomMessageText, UnknownEvent

from bot.domain.names import shown_name
from bot.domain.permissions import effective_power
from bot.matrix import polls
from bot.messages import (
    IncomingMessage,
    IncomingPollEnd,
    IncomingPollResponse,
    IncomingReaction,
    IncomingRedaction,
)

_PILL = re.compile(r"""href=["']https://matrix\.to/#/((?:@|%40)[^"'?/]+)""")


def message(room: MatrixRoom, event: RoomMessageText) -> IncomingMessage | None:
    """A text message, or an edit of one (its new text); None for a malformed edit."""
    content: dict[str, Any] = event.source.get("content", {})
    relation = content.get("m.relates_to")
    if not isinstance(relation, dict):
        relation = {}  # absent, or malformed: a member's typo must not stop the sync
    body, edits = _without_reply_fallback(event.body), None
    if relation.get("rel_type") == "m.replace":
        new = content.get("m.new_content")
        edits = relation.get("event_id")
        if not isinstance(new, dict) or not isinstance(new.get("body"), str):
            return None
        if not isinstance(edits, str):
            return None
        body, content = new["body"], new
    thread_root = relation.get("event_id") if relation.get("rel_type") == "m.thread" else None
    return IncomingMessage(
        event_id=event.event_id,
        room_id=room.room_id,
        sender=event.sender,
        sender_name=shown_sender(room, event.sender),
        body=body,
        sent_at=sent_at(event),
        thread_root=thread_root,
        mentions=_mentioned(content),
        edits=edits,
    )


def reaction(room: MatrixRoom, event: ReactionEvent) -> IncomingReaction:
    return IncomingReaction(
        event_id=event.event_id,
        room_id=room.room_id,
        sender=event.sender,
        sender_name=shown_sender(room, event.sender),
        target=event.reacts_to,
        key=event.key,
        sent_at=sent_at(event),
    )


def redaction(room: MatrixRoom, event: RedactionEvent) -> IncomingRedaction:
    return IncomingRedaction(event.event_id, room.room_id, event.sender, event.redacts)


def poll_response(room_id: str, event: UnknownEvent) -> IncomingPollResponse | None:
    """A click on a native poll (nio has no poll types: they arrive as unknown events)."""
    content = event.source.get("content", {})
    parsed = polls.parse_response(event.type, content if isinstance(content, dict) else {})
    if parsed is None:
        return None
    return IncomingPollResponse(
        event.event_id, room_id, event.sender, parsed.poll_event, parsed.answers, sent_at(event)
    )


def poll_end(
    room: MatrixRoom, event: UnknownEvent, poll_sender: str, creators: Collection[str]
) -> IncomingPollEnd | None:
    """An end of a poll ``poll_sender`` started, when clients accept it (matrix-js-sdk's
    ``Poll``): from that sender, or from a member who may redact others' events. Anyone
    else's is ignored, by Element as here."""
    content = event.source.get("content", {})
    ended = polls.parse_end(event.type, content if isinstance(content, dict) else {})
    if ended is None:
        return None
    if event.sender != poll_sender and not may_redact_others(room, event.sender, creators):
        return None
    return IncomingPollEnd(event.event_id, room.room_id, event.sender, ended, sent_at(event))


def may_redact_others(room: MatrixRoom, user_id: str, creators: Collection[str]) -> bool:
    """As matrix-js-sdk judges it: a member whose power (unlimited for a room v12 creator)
    reaches the room's ``redact`` level and the level to send redactions at all."""
    levels = room.power_levels
    needed = max(
        levels.defaults.redact, levels.get_message_event_required_level("m.room.redaction")
    )
    power = effective_power(user_id, room.room_version, creators, levels.get_user_level(user_id))
    return is_member(room, user_id) and power >= needed


def display_names(room: MatrixRoom) -> dict[str, str]:
    """Joined members and the names they chose, their id when none: nio's ``user_name``
    tells apart only names spelt the same, not ``Alice (@alice:server)`` from Alice."""
    return {
        user_id: user.name
        for user_id, user in room.users.items()
        if user_id not in room.invited_users
    }


def shown_sender(room: MatrixRoom, user_id: str) -> str:
    """The sender as replies name them, and as the store keeps them."""
    names = display_names(room)
    return shown_name(user_id, names.get(user_id, user_id), names)


def is_member(room: MatrixRoom, user_id: str) -> bool:
    return user_id in room.users and user_id not in room.invited_users


def sent_at(event: Event) -> datetime:
    return datetime.fromtimestamp(event.server_timestamp / 1000, UTC)


def _mentioned(content: dict[str, Any]) -> tuple[str, ...]:
    """Members pinged in a message: intentional mentions when the client sent any (even
    none), else pills in the HTML body (clients from before MSC3952)."""
    mentions = content.get("m.mentions")
    if isinstance(mentions, dict):
        users = mentions.get("user_ids")
        return tuple(str(user) for user in users) if isinstance(users, list) else ()
    html = content.get("formatted_body")
    if not isinstance(html, str):
        return ()
    return tuple(dict.fromkeys(unquote(user) for user in _PILL.findall(html)))


def _without_reply_fallback(body: str) -> str:
    """Drop the quoted ``> <@user> …`` lines older clients put before a reply's text."""
    if not body.startswith("> "):
        return body
    lines = body.split("\n")
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).lstrip("\n")
