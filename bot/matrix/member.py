"""A person in the room, played by a plain nio client: the demo's members and the tests' members.

It does what Element would do (create rooms, invite, type commands, click polls) and
collects what it sees, so a caller can wait for the bot's answer to one message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from nio import (
    AsyncClient,
    AsyncClientConfig,
    DownloadResponse,
    Event,
    LoginResponse,
    ProfileSetDisplayNameResponse,
    RoomCreateResponse,
    RoomEncryptedFile,
    RoomEncryptedImage,
    RoomMemberEvent,
    RoomMessageFile,
    RoomMessageImage,
    RoomMessageNotice,
    RoomMessageText,
    RoomRedactResponse,
    RoomSendResponse,
    RoomVisibility,
    SyncResponse,
    UnknownEvent,
)
from nio.api import Api
from nio.crypto.attachments import decrypt_attachment

PollShape = Literal["unstable", "stable", "v2"]
_POLL_TYPE_PREFIXES = ("org.matrix.msc3381.", "m.poll.")
_TEXT = "org.matrix.msc1767.text"


@dataclass(frozen=True)
class Seen:
    """A message the member saw in a room, or a poll event (``type`` says which)."""

    room_id: str
    event_id: str
    sender: str
    body: str
    html: str | None
    content: dict[str, Any]
    notice: bool
    encrypted: bool
    type: str = "m.room.message"
    timestamp: int = 0  # the homeserver's, in milliseconds

    @property
    def references(self) -> str | None:
        """The event an ``m.reference`` relation points to: a poll response's or end's poll."""
        relation = self.content.get("m.relates_to") or {}
        return relation.get("event_id") if relation.get("rel_type") == "m.reference" else None

    @property
    def replies_to(self) -> str | None:
        relation = self.content.get("m.relates_to") or {}
        return (relation.get("m.in_reply_to") or {}).get("event_id")

    @property
    def thread_root(self) -> str | None:
        relation = self.content.get("m.relates_to") or {}
        return relation.get("event_id") if relation.get("rel_type") == "m.thread" else None


class MemberClient:
    def __init__(self, homeserver: str, user_id: str, password: str, store_path: Path) -> None:
        store_path.mkdir(parents=True, exist_ok=True)
        self.user_id = user_id
        self._password = password
        self.client = AsyncClient(
            homeserver,
            user_id,
            store_path=str(store_path),
            config=AsyncClientConfig(encryption_enabled=True, store_sync_tokens=False),
        )
        self.seen: list[Seen] = []
        self.memberships: dict[tuple[str, str], str] = {}
        self._changed = asyncio.Condition()
        self._sync_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Log in, skip history and keep syncing in the background."""
        response = await self.client.login(self._password, device_name="member")
        if not isinstance(response, LoginResponse):
            raise RuntimeError(f"{self.user_id} could not log in: {response}")
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        await self.client.sync(timeout=0, full_state=True)
        self.client.add_event_callback(
            self._on_message,
            (
                RoomMessageText,
                RoomMessageNotice,
                RoomMessageFile,
                RoomEncryptedFile,
                RoomMessageImage,
                RoomEncryptedImage,
            ),
        )
        self.client.add_event_callback(self._on_member, RoomMemberEvent)
        self.client.add_event_callback(self._on_poll_event, UnknownEvent)
        self.client.add_response_callback(self._on_sync, SyncResponse)
        self._sync_task = asyncio.create_task(self._sync_forever())

    async def _sync_forever(self) -> None:
        await self.client.sync_forever(timeout=10_000, full_state=False)

    async def close(self) -> None:
        if self._sync_task is not None:
            self._sync_task.cancel()
            await asyncio.gather(self._sync_task, return_exceptions=True)
        await self.client.close()

    async def create_room(
        self,
        name: str,
        invite: list[str],
        encrypted: bool = False,
        power_levels: dict[str, Any] | None = None,
    ) -> str:
        initial_state: list[dict[str, Any]] = []
        if encrypted:
            initial_state.append(
                {
                    "type": "m.room.encryption",
                    "state_key": "",
                    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
                }
            )
        response = await self.client.room_create(
            visibility=RoomVisibility.private,
            name=name,
            invite=invite,
            initial_state=initial_state,
            power_level_override=power_levels,
        )
        if not isinstance(response, RoomCreateResponse):
            raise RuntimeError(f"could not create {name!r}: {response}")
        await self.wait_until(lambda: response.room_id in self.client.rooms)
        return str(response.room_id)

    async def join(self, room_id: str) -> None:
        await self.client.join(room_id)
        await self.wait_until(lambda: room_id in self.client.rooms)

    async def join_invite_from(self, inviter: str, timeout: float = 15) -> str:
        """Accept the first invite ``inviter`` sends (the bot's direct room); its room id."""

        def invited() -> str | None:
            rooms = self.client.invited_rooms.values()
            return next((room.room_id for room in rooms if room.inviter == inviter), None)

        await self.wait_until(lambda: invited() is not None, timeout)
        room_id = invited()
        assert room_id is not None
        await self.join(room_id)
        return room_id

    async def download(self, seen: Seen) -> bytes:
        """The content of a file or image message, decrypted when it came in an encrypted
        room."""
        encrypted = seen.content.get("file")
        url = encrypted["url"] if encrypted else seen.content["url"]
        response = await self.client.download(mxc=url)
        if not isinstance(response, DownloadResponse):
            raise RuntimeError(f"{self.user_id} could not download {url}: {response}")
        body: bytes = response.body
        if not encrypted:
            return body
        return bytes(
            decrypt_attachment(
                body, encrypted["key"]["k"], encrypted["hashes"]["sha256"], encrypted["iv"]
            )
        )

    async def set_display_name(self, name: str) -> None:
        """Take a name, as Element's settings do: Synapse tells each of the member's rooms."""
        response = await self.client.set_displayname(name)
        if not isinstance(response, ProfileSetDisplayNameResponse):
            raise RuntimeError(f"{self.user_id} could not take the name {name!r}: {response}")

    async def wait_membership(
        self, room_id: str, user_id: str, membership: str, timeout: float = 15
    ) -> None:
        """Until this member's own client has seen ``user_id`` join, leave… the room."""
        await self.wait_until(
            lambda: self.memberships.get((room_id, user_id)) == membership, timeout
        )

    async def say(
        self,
        room_id: str,
        text: str,
        thread_root: str | None = None,
        html: str | None = None,
        mentions: Sequence[str] = (),
    ) -> str:
        """Send a message; with ``html`` and ``mentions`` it carries pills, as Element's do."""
        content: dict[str, Any] = {"msgtype": "m.text", "body": text}
        if html is not None:
            content |= {"format": "org.matrix.custom.html", "formatted_body": html}
        if mentions:
            content["m.mentions"] = {"user_ids": list(mentions)}
        if thread_root is not None:
            content["m.relates_to"] = {
                "rel_type": "m.thread",
                "event_id": thread_root,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": thread_root},
            }
        return await self.send(room_id, "m.room.message", content)

    async def edit(self, room_id: str, event_id: str, text: str) -> str:
        """Fix one's message, as Element's "Edit" sends it: the new text, and a fallback."""
        content = {
            "msgtype": "m.text",
            "body": f"* {text}",
            "m.new_content": {"msgtype": "m.text", "body": text},
            "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
        }
        return await self.send(room_id, "m.room.message", content)

    async def react(self, room_id: str, event_id: str, key: str) -> str:
        """Click an emoji under a message."""
        relation = {"rel_type": "m.annotation", "event_id": event_id, "key": key}
        return await self.send(room_id, "m.reaction", {"m.relates_to": relation})

    async def redact(self, room_id: str, event_id: str) -> str:
        """Take one of one's events back, as un-clicking a reaction does; the redaction's id."""
        response = await self.client.room_redact(room_id, event_id)
        if not isinstance(response, RoomRedactResponse):
            raise RuntimeError(f"{self.user_id} could not redact {event_id}: {response}")
        return str(response.event_id)

    async def respond_to_poll(
        self,
        room_id: str,
        start_event: str,
        answers: Sequence[str],
        shape: PollShape = "unstable",
    ) -> str:
        """Click answers on a native poll: ``unstable`` as Element sends it, ``stable`` as
        MSC3381 defines ``m.poll.response``, ``v2`` as the latest unstable prefix."""
        content: dict[str, Any] = {
            "m.relates_to": {"rel_type": "m.reference", "event_id": start_event}
        }
        if shape == "unstable":
            event_type = "org.matrix.msc3381.poll.response"
            content[event_type] = {"answers": list(answers)}
        elif shape == "stable":
            event_type = "m.poll.response"
            content["m.selections"] = list(answers)
        else:
            event_type = "org.matrix.msc3381.v2.poll.response"
            content["org.matrix.msc3381.v2.selections"] = list(answers)
        return await self.send(room_id, event_type, content)

    async def notifications(self, limit: int = 100) -> list[dict[str, Any]]:
        """The homeserver's ``GET /notifications`` for this member: what its push rules made
        of each event, as its pushes would go (newest first)."""
        path = Api._build_path(["notifications"], {"limit": str(limit)})
        response = await self.client.send(
            "GET", path, headers={"Authorization": f"Bearer {self.client.access_token}"}
        )
        body = await response.json()
        if response.status != 200:
            raise RuntimeError(f"{self.user_id} could not read its notifications: {body}")
        found: list[dict[str, Any]] = body["notifications"]
        return found

    def events_of(self, event_type: str, room_id: str | None = None) -> list[Seen]:
        """What this member saw of one event type, in order; in one room, or everywhere."""
        return [
            seen
            for seen in self.seen
            if seen.type == event_type and (room_id is None or seen.room_id == room_id)
        ]

    async def send(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        response = await self.client.room_send(
            room_id, event_type, content, ignore_unverified_devices=True
        )
        if not isinstance(response, RoomSendResponse):
            raise RuntimeError(f"{self.user_id} could not send to {room_id}: {response}")
        return str(response.event_id)

    async def answer_to(self, event_id: str, timeout: float = 15) -> Seen:
        """The first reply to ``event_id`` from someone else: the bot's answer, a notice, or
        a text message when it pings."""
        return await self.wait_for(
            lambda seen: seen.replies_to == event_id and seen.sender != self.user_id, timeout
        )

    async def wait_for(self, matches: Callable[[Seen], bool], timeout: float = 15) -> Seen:
        def first() -> Seen | None:
            return next((seen for seen in self.seen if matches(seen)), None)

        await self.wait_until(lambda: first() is not None, timeout)
        found = first()
        assert found is not None
        return found

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 15) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), timeout)

    async def _on_message(self, room: Any, event: Event) -> None:
        content = event.source.get("content", {})
        notice = isinstance(event, RoomMessageNotice)
        self._note(room, event, content.get("body", ""), content.get("formatted_body"), notice)

    async def _on_poll_event(self, room: Any, event: UnknownEvent) -> None:
        """nio has no poll types: poll starts, responses and ends come as unknown events."""
        if event.type.startswith(_POLL_TYPE_PREFIXES):
            content = event.source.get("content", {})
            body = content.get("body") or content.get(_TEXT, "")
            self._note(room, event, body, None, notice=False, event_type=event.type)

    def _note(
        self,
        room: Any,
        event: Event,
        body: str,
        html: str | None,
        notice: bool,
        event_type: str = "m.room.message",
    ) -> None:
        self.seen.append(
            Seen(
                room_id=room.room_id,
                event_id=event.event_id,
                sender=event.sender,
                body=body,
                html=html,
                content=event.source.get("content", {}),
                notice=notice,
                encrypted=bool(getattr(event, "decrypted", False)),
                type=event_type,
                timestamp=event.server_timestamp,
            )
        )

    async def _on_member(self, room: Any, event: RoomMemberEvent) -> None:
        self.memberships[(room.room_id, event.state_key)] = event.membership

    async def _on_sync(self, _: SyncResponse) -> None:
        async with self._changed:
            self._changed.notify_all()
