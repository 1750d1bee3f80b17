"""What the command side asks of Matrix: replies, posts, polls, files, images, rooms, and
the few facts it reads (power, members, a poll's responses). Implements ``Transport``.

Everything the bot sends of its own accord carries a transaction id made from what it is,
so that sending it again after a crash makes one message, not two.
"""

from __future__ import annotations

import asyncio
import io
import logging
import mimetypes
from collections.abc import Sequence
from typing import Any

from nio import (
    AsyncClient,
    MatrixRoom,
    MegolmEvent,
    RoomCreateResponse,
    RoomLeaveResponse,
    RoomMessagesResponse,
    RoomPreset,
    RoomRedactResponse,
    RoomSendResponse,
    UnknownEvent,
    UploadResponse,
)
from nio.api import RelationshipType
from nio.exceptions import EncryptionError

from bot.charts import png_size
from bot.domain.permissions import effective_power
from bot.i18n import Text
from bot.matrix import inbound, polls
from bot.messages import (
    Inbox,
    IncomingPollEnd,
    IncomingPollResponse,
    PollHistory,
    Reply,
    transaction_id,
)

log = logging.getLogger(__name__)

ENCRYPTED = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


class DeliveryFailed(Exception):
    """A message, file or room could not be delivered."""


class Outbound:
    """Sends through the gateway's client; ``synced`` is notified after each sync."""

    def __init__(self, client: AsyncClient, synced: asyncio.Condition) -> None:
        self._client = client
        self._synced = synced
        self._inbox: Inbox | None = None
        self.creators: dict[str, set[str]] = {}  # room v12 creators, noted by the gateway

    def attach(self, inbox: Inbox) -> None:
        """Where direct rooms are kept: the intake, known once the bot starts."""
        self._inbox = inbox

    @property
    def _user_id(self) -> str:
        return str(self._client.user_id)

    async def send_reply(self, reply: Reply) -> str:
        relation: dict[str, Any] = {"m.in_reply_to": {"event_id": reply.in_reply_to}}
        if reply.thread_root is not None:
            relation |= {
                "rel_type": "m.thread",
                "event_id": reply.thread_root,
                "is_falling_back": False,
            }
        content = message(reply.text, relation, reply.mentions)
        try:
            return await self._send(reply.room_id, "m.room.message", content, reply.txn_id)
        except DeliveryFailed as error:
            log.error("could not answer in %s: %s", reply.room_id, error)
            return ""

    async def power_level(self, room_id: str, user_id: str) -> float:
        room = self._room(room_id)
        if room is None:
            return 0.0
        return effective_power(
            user_id,
            room.room_version,
            self.creators.get(room.room_id, set()),
            room.power_levels.get_user_level(user_id),
        )

    def _room(self, room: str) -> MatrixRoom | None:
        """A room the bot is in, by id or by its canonical alias (the config takes both)."""
        if room.startswith("#"):
            return next(
                (each for each in self._client.rooms.values() if each.canonical_alias == room),
                None,
            )
        return self._client.rooms.get(room)

    def room_members(self, room_id: str) -> dict[str, str]:
        room = self._room(room_id)
        if room is None:
            return {}
        names = inbound.display_names(room)
        return {user_id: name for user_id, name in names.items() if user_id != self._user_id}

    async def send_file_privately(
        self, user_id: str, filename: str, data: bytes, text: str
    ) -> None:
        room_id = await self._direct_room(user_id)
        # By its name: a member's data is JSON, a calendar text/calendar.
        mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        content: dict[str, Any] = {
            "msgtype": "m.file",
            "body": filename,
            "filename": filename,
            "info": {"mimetype": mimetype, "size": len(data)},
            **await self._upload(room_id, data, mimetype, filename),
        }
        for message in ({"msgtype": "m.notice", "body": text}, content):
            await self._send(room_id, "m.room.message", message)

    async def post_image(
        self, room_id: str, png: bytes, alt: str, txn_id: str, thread_root: str | None = None
    ) -> str:
        """``alt`` is the body, and no ``filename``: with a filename, clients show the body
        as a caption under the image, repeating the text just posted."""
        width, height = png_size(png)
        content: dict[str, Any] = {
            "msgtype": "m.image",
            "body": alt,
            "info": {"mimetype": "image/png", "w": width, "h": height, "size": len(png)},
            **await self._upload(room_id, png, "image/png", "chart.png"),
        }
        relation = in_thread(thread_root)
        if relation is not None:
            content["m.relates_to"] = relation
        return await self._send(room_id, "m.room.message", content, txn_id)

    async def _upload(
        self, room_id: str, data: bytes, mimetype: str, filename: str
    ) -> dict[str, Any]:
        """Upload for the room: in an encrypted room, encrypted, its keys going in the event
        (``file``); otherwise as is (``url``)."""
        room = self._room(room_id)
        if room is None:
            raise DeliveryFailed(f"not in {room_id}: nowhere to send {filename}")
        upload, keys = await self._client.upload(
            io.BytesIO(data),
            content_type=mimetype,
            filename=filename,
            encrypt=room.encrypted,
            filesize=len(data),
        )
        if not isinstance(upload, UploadResponse):
            raise DeliveryFailed(f"could not upload {filename}: {upload}")
        if keys is not None:
            return {"file": {**keys, "url": upload.content_uri, "mimetype": mimetype}}
        return {"url": upload.content_uri}

    async def send_privately(self, user_id: str, text: Text) -> None:
        await self._send(await self._direct_room(user_id), "m.room.message", message(text))

    async def leave_private_room(self, room_id: str) -> None:
        """Redact what the bot sent there (the keys of an encrypted file go with its event,
        so the upload left on the homeserver cannot be read), then leave and forget it."""
        if room_id not in self._client.rooms:
            return  # left already
        token = self._client.next_batch
        while True:
            page = await self._client.room_messages(
                room_id, token, limit=100, message_filter={"senders": [self._user_id]}
            )
            if not isinstance(page, RoomMessagesResponse):
                raise DeliveryFailed(f"could not read {room_id}: {page}")
            for event in page.chunk:
                content = event.source.get("content")
                if "state_key" not in event.source and content:  # not redacted yet
                    await self._redact(room_id, event.event_id)
            if not page.chunk or page.end is None:
                break
            token = page.end
        left = await self._client.room_leave(room_id)
        if not isinstance(left, RoomLeaveResponse):
            raise DeliveryFailed(f"could not leave {room_id}: {left}")
        await self._client.room_forget(room_id)

    async def _redact(self, room_id: str, event_id: str) -> None:
        redacted = await self._client.room_redact(
            room_id, event_id, tx_id=transaction_id("redact", event_id)
        )
        if not isinstance(redacted, RoomRedactResponse):
            raise DeliveryFailed(f"could not redact {event_id} in {room_id}: {redacted}")

    async def open_shared_room(self, user_ids: Sequence[str], name: str, text: Text) -> str:
        created = await self._client.room_create(
            name=name,
            preset=RoomPreset.private_chat,
            invite=list(user_ids),
            initial_state=[ENCRYPTED],
        )
        if not isinstance(created, RoomCreateResponse):
            raise DeliveryFailed(f"could not open a room with {', '.join(user_ids)}: {created}")
        room_id = str(created.room_id)
        await self._until_invited(room_id, user_ids)
        await self._send(room_id, "m.room.message", message(text), transaction_id("intro", room_id))
        return room_id

    async def post(
        self,
        room_id: str,
        text: Text,
        txn_id: str,
        thread_root: str | None = None,
        mentions: Sequence[str] = (),
    ) -> str:
        content = message(text, in_thread(thread_root), mentions)
        return await self._send(room_id, "m.room.message", content, txn_id)

    async def send_poll(
        self,
        room_id: str,
        question: str,
        answers: Sequence[str],
        max_selections: int,
        disclosed: bool,
        txn_id: str,
        thread_root: str | None = None,
    ) -> str:
        content = polls.start_content(question, answers, max_selections, disclosed=disclosed)
        relation = in_thread(thread_root)
        if relation is not None:
            content["m.relates_to"] = relation
        return await self._send(room_id, polls.START_TYPE, content, txn_id)

    async def end_poll(self, room_id: str, start_event: str, text: str, txn_id: str) -> str:
        content = polls.end_content(start_event, text)
        return await self._send(room_id, polls.END_TYPE, content, txn_id)

    async def poll_history(self, room_id: str, start_event: str) -> PollHistory | None:
        room = self._client.rooms.get(room_id)
        if room is None:
            return None
        responses: list[IncomingPollResponse] = []
        listed: set[str] = set()
        ends: list[IncomingPollEnd] = []
        creators = self.creators.get(room_id, set())
        try:
            async for event in self._client.room_get_event_relations(
                room_id, start_event, RelationshipType.reference
            ):
                if isinstance(event, MegolmEvent):
                    event.room_id = room_id
                    try:
                        event = self._client.decrypt_event(event)
                    except EncryptionError:  # no key for it: its vote stays as it was
                        listed.add(event.event_id)
                        continue
                if not isinstance(event, UnknownEvent):
                    continue
                end = inbound.poll_end(room, event, self._user_id, creators)
                if end is not None:
                    ends.append(end)
                response = inbound.poll_response(room_id, event)
                if response is None:
                    continue
                listed.add(response.event_id)
                if event.sender != self._user_id and inbound.is_member(room, event.sender):
                    responses.append(response)
        except Exception:  # nio raises on some error pages: a partial list proves nothing
            log.exception("could not read all the responses to %s in %s", start_event, room_id)
            return None
        return PollHistory(tuple(responses), frozenset(listed), tuple(ends))

    async def _send(
        self, room_id: str, event_type: str, content: dict[str, Any], txn_id: str | None = None
    ) -> str:
        """Every event the bot sends says whom it means to ping, nobody by default: text a
        member wrote (a poll's question, say) never makes it ping a room or a person."""
        content.setdefault("m.mentions", {})
        sent = await self._client.room_send(
            room_id, event_type, content, tx_id=txn_id, ignore_unverified_devices=True
        )
        if not isinstance(sent, RoomSendResponse):
            raise DeliveryFailed(f"could not send to {room_id}: {sent}")
        return str(sent.event_id)

    async def _direct_room(self, user_id: str) -> str:
        """The encrypted room the bot shares with this member alone, created on first use."""
        assert self._inbox is not None, "attach() before sending"
        known = await self._inbox.direct_room_of(user_id)
        room = self._client.rooms.get(known) if known else None
        if room is not None and user_id in room.users:
            return str(room.room_id)
        created = await self._client.room_create(
            is_direct=True,
            preset=RoomPreset.trusted_private_chat,
            invite=[user_id],
            initial_state=[ENCRYPTED],
        )
        if not isinstance(created, RoomCreateResponse):
            raise DeliveryFailed(f"could not open a direct room with {user_id}: {created}")
        room_id = str(created.room_id)
        await self._inbox.remember_direct_room(user_id, room_id)
        await self._until_invited(room_id, [user_id])
        return room_id

    async def _until_invited(self, room_id: str, user_ids: Sequence[str]) -> None:
        """Keys go to the devices the bot knows in the room: wait until its sync saw the invites."""

        def seen() -> bool:
            room = self._client.rooms.get(room_id)
            return room is not None and all(user_id in room.users for user_id in user_ids)

        async with self._synced, asyncio.timeout(30):
            await self._synced.wait_for(seen)


def in_thread(thread_root: str | None) -> dict[str, Any] | None:
    """A relation into a thread, as a message of the bot's own there (not a reply)."""
    if thread_root is None:
        return None
    return {
        "rel_type": "m.thread",
        "event_id": thread_root,
        "is_falling_back": True,
        "m.in_reply_to": {"event_id": thread_root},
    }


def message(
    text: Text, relation: dict[str, Any] | None = None, mentions: Sequence[str] = ()
) -> dict[str, Any]:
    """HTML and plain text, with explicit mentions, so names in the text never ping.

    A quiet ``m.notice``, unless it is meant to ping: then ``m.text``, since the default
    push rule ``.m.rule.suppress_notices`` ranks above ``.m.rule.is_user_mention``, and a
    mention in a notice never notifies (Element, and every client on the default rules).
    """
    content: dict[str, Any] = {
        "msgtype": "m.text" if mentions else "m.notice",
        "body": text.plain,
        "format": "org.matrix.custom.html",
        "formatted_body": text.html,
        "m.mentions": {"user_ids": list(mentions)} if mentions else {},
    }
    if relation is not None:
        content["m.relates_to"] = relation
    return content
