"""The bot's Matrix connection: login, sync, what to listen to, and how to answer.

It turns sync events into plain ``IncomingMessage`` values for the command side and
sends its ``Reply`` values back; nothing else in the bot knows about nio.
"""

from __future__ import annotations

import asyncio
import io
import logging
import random
import re
from collections.abc import Awaitable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from aiohttp import ClientError
from nio import (
    AsyncClient,
    AsyncClientConfig,
    Event,
    InviteMemberEvent,
    JoinError,
    LoginResponse,
    MatrixRoom,
    MegolmEvent,
    ReactionEvent,
    RedactionEvent,
    RoomCreateEvent,
    RoomCreateResponse,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomMessageText,
    RoomPreset,
    RoomSendResponse,
    SyncError,
    SyncResponse,
    UnknownEvent,
    UploadFilterResponse,
    UploadResponse,
    WhoamiResponse,
)
from nio.api import RelationshipType
from nio.exceptions import EncryptionError

from bot.clock import Clock
from bot.config import Config
from bot.domain.permissions import effective_power
from bot.i18n import Text
from bot.matrix import polls
from bot.matrix.session import Session, SessionFile
from bot.messages import (
    Inbox,
    IncomingMessage,
    IncomingPollResponse,
    IncomingReaction,
    IncomingRedaction,
    PollHistory,
    Reply,
)
from bot.store import events
from bot.store.database import Database

log = logging.getLogger(__name__)

_MESSAGES_ONLY = {"types": ["m.room.message", "m.room.encrypted"]}
_ENCRYPTED = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}
_LONG_POLL_MS = 30_000
_HEAD_START_SECONDS = 0.25


class LoginFailed(Exception):
    """The homeserver refused the bot's credentials."""


class MatrixGateway:
    """Owns the nio client; implements the command side's ``Transport``."""

    def __init__(self, config: Config, database: Database, clock: Clock) -> None:
        self._config = config
        self._database = database
        self._clock = clock
        self._inbox: Inbox | None = None
        self._sessions = SessionFile(config.matrix.store_path)
        self._session: Session | None = None
        self._live = False
        self._served: dict[str, datetime] = {}
        self._creators: dict[str, set[str]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._synced = asyncio.Condition()  # notified after each sync is processed
        self._batch: list[asyncio.Task[None]] = []  # tasks spawned by the current sync
        self._sync_filter = ""
        config.matrix.store_path.mkdir(parents=True, exist_ok=True)
        self.client = AsyncClient(
            config.matrix.homeserver,
            config.matrix.user_id,
            store_path=str(config.matrix.store_path),
            config=AsyncClientConfig(
                encryption_enabled=True,
                store_sync_tokens=False,
                max_limit_exceeded=10,  # each 429 is waited out for its retry_after_ms
                max_timeouts=None,  # an unreachable homeserver is retried with backoff
                backoff_factor=0.5,
                max_timeout_retry_wait_time=30,
                request_timeout=_LONG_POLL_MS / 1000 + 30,
            ),
        )

    @property
    def user_id(self) -> str:
        return str(self.client.user_id)

    async def _upload_sync_filter(self) -> None:
        """Enough timeline to catch up after a restart, no presence; uploaded once.

        Leaving the bot's own messages out (``not_senders``) would save the sync its reply
        wakes, but Synapse then answers every sync about 15% later: measured in bench/.
        """
        response = await self.client.upload_filter(
            room={"timeline": {"limit": 100}},
            presence={"not_types": ["*"]},
        )
        if not isinstance(response, UploadFilterResponse):
            raise LoginFailed(f"the homeserver refused the sync filter: {response}")
        self._sync_filter = str(response.filter_id)

    # --- start-up ---------------------------------------------------------

    async def start(self, inbox: Inbox) -> None:
        """Log in or resume, catch up or skip history, and join the configured rooms."""
        self._inbox = inbox
        await self._login()
        async with self._database.transaction() as tx:
            for room_id in await events.served_rooms(tx):
                self._served[room_id] = (
                    await events.room_joined_at(tx, room_id) or self._clock.now()
                )
        await self._upload_sync_filter()
        self._register_callbacks()
        resuming = self._session is not None and self._session.next_batch is not None
        # A first start ignores history; a restart answers what came in while it was down.
        self._live = resuming
        await self._sync_once(timeout_ms=0, full_state=True)
        self._live = True
        for room_id in self.client.rooms:
            if room_id not in self._served and self._configured(room_id):
                await self._serve(room_id)
        for room in self._config.bot.rooms:
            await self._join(room)

    async def _login(self) -> None:
        matrix = self._config.matrix
        stored = self._sessions.load(matrix.user_id)
        if matrix.access_token and (stored is None or stored.access_token != matrix.access_token):
            self.client.access_token = matrix.access_token
            whoami = await self.client.whoami()
            if not isinstance(whoami, WhoamiResponse) or not whoami.device_id:
                raise LoginFailed(f"the access token was refused: {whoami}")
            stored = Session(matrix.user_id, whoami.device_id, matrix.access_token)
        if stored is not None:
            self.client.restore_login(stored.user_id, stored.device_id, stored.access_token)
            if isinstance(await self.client.whoami(), WhoamiResponse):
                self._session = stored
            elif not matrix.password:
                raise LoginFailed("the stored access token is no longer valid; set a password")
        if self._session is None:
            if stored is not None:
                self.client.device_id = stored.device_id  # keep the device and its keys
            response = await self.client.login(matrix.password, device_name=matrix.device_name)
            if not isinstance(response, LoginResponse):
                raise LoginFailed(f"password login failed: {response}")
            self._session = Session(response.user_id, response.device_id, response.access_token)
        self._sessions.save(self._session)
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        log.info("logged in as %s (device %s)", self._session.user_id, self._session.device_id)

    def _register_callbacks(self) -> None:
        self.client.add_event_callback(self._on_text, RoomMessageText)
        self.client.add_event_callback(self._on_reaction, ReactionEvent)
        self.client.add_event_callback(self._on_redaction, RedactionEvent)
        self.client.add_event_callback(self._on_unknown, UnknownEvent)
        self.client.add_event_callback(self._on_undecryptable, MegolmEvent)
        self.client.add_event_callback(self._on_invite, InviteMemberEvent)
        self.client.add_event_callback(self._on_membership, RoomMemberEvent)

    # --- the sync loop ----------------------------------------------------

    async def run(self) -> None:
        """Sync until cancelled; a lost homeserver is retried with growing, jittered delays."""
        failures = 0
        while True:
            try:
                await self._sync_once(timeout_ms=_LONG_POLL_MS, full_state=False)
                failures = 0
            except (SyncFailed, ClientError, TimeoutError, OSError) as error:
                failures += 1
                delay = min(60.0, 2.0 ** min(failures, 6)) * random.uniform(0.5, 1.0)
                log.warning("sync failed (%s); retrying in %.1f s", error, delay)
                await asyncio.sleep(delay)

    async def _sync_once(self, timeout_ms: int, full_state: bool) -> None:
        assert self._session is not None
        self._batch = []
        response = await self.client.sync(
            timeout=timeout_ms,
            sync_filter=self._sync_filter,
            since=self._session.next_batch,
            full_state=full_state,
        )
        if isinstance(response, SyncError):
            raise SyncFailed(f"{response.status_code}: {response.message}")
        self._remember_creators(response)
        if self._live:
            await self._fill_gaps(response)
        if self._batch:
            # A head start for the commands this sync brought, as a bot answering inline
            # would have; bounded, so a slow command never holds the sync loop for long.
            await asyncio.wait(self._batch, timeout=_HEAD_START_SECONDS)
        self._session = self._session.at(response.next_batch)
        self._sessions.save(self._session)
        await self._exchange_keys()
        async with self._synced:
            self._synced.notify_all()

    async def _exchange_keys(self) -> None:
        """What ``sync_forever`` does between syncs, so encrypted rooms keep working."""
        client = self.client
        if client.olm is None:
            return
        await client.send_to_device_messages()
        if client.should_upload_keys:
            await client.keys_upload()
        if client.should_query_keys:
            await client.keys_query()
        if client.should_claim_keys:
            await client.keys_claim(client.get_users_for_key_claiming())

    async def stop(self) -> None:
        """Let in-flight commands finish, then close the connection."""
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=30)
        await self.client.close()

    # --- what comes in ----------------------------------------------------

    async def _on_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        message = self._as_command_candidate(room, event)
        if message is not None and self._inbox is not None:
            self._spawn(self._inbox.handle(message))

    async def _on_reaction(self, room: MatrixRoom, event: ReactionEvent) -> None:
        if self._inbox is None or not self._fresh(room, event):
            return
        reaction = IncomingReaction(
            event_id=event.event_id,
            room_id=room.room_id,
            sender=event.sender,
            sender_name=room.user_name(event.sender) or event.sender,
            target=event.reacts_to,
            key=event.key,
            sent_at=_sent_at(event),
        )
        self._spawn(self._inbox.handle_reaction(reaction))

    async def _on_redaction(self, room: MatrixRoom, event: RedactionEvent) -> None:
        if self._inbox is None or not self._fresh(room, event):
            return
        redaction = IncomingRedaction(event.event_id, room.room_id, event.sender, event.redacts)
        self._spawn(self._inbox.handle_redaction(redaction))

    async def _on_unknown(self, room: MatrixRoom, event: UnknownEvent) -> None:
        """nio has no poll types: poll responses arrive here, in every room version. A vote
        counts however old (a poll may stay open for weeks): no grace applies."""
        if self._inbox is None or not self._fresh(room, event, graced=False):
            return
        if not _is_member(room, event.sender):
            return
        response = _poll_response(room.room_id, event)
        if response is not None:
            self._spawn(self._inbox.handle_poll_response(response))

    def _fresh(self, room: MatrixRoom, event: Event, graced: bool = True) -> bool:
        """Someone else's event, in a served room, after the bot joined (and, ``graced``,
        within the offline grace)."""
        if not self._live or event.sender == self.user_id:
            return False
        joined_at = self._served.get(room.room_id)
        sent_at = _sent_at(event)
        if joined_at is None or sent_at < joined_at:
            return False
        return not graced or self._clock.now() - sent_at <= self._config.bot.offline_grace

    def _as_command_candidate(
        self, room: MatrixRoom, event: RoomMessageText
    ) -> IncomingMessage | None:
        if not self._fresh(room, event):
            return None
        content: dict[str, Any] = event.source.get("content", {})
        relation = content.get("m.relates_to") or {}
        if relation.get("rel_type") == "m.replace":
            return None  # an edit: the original was the command
        thread_root = relation.get("event_id") if relation.get("rel_type") == "m.thread" else None
        return IncomingMessage(
            event_id=event.event_id,
            room_id=room.room_id,
            sender=event.sender,
            sender_name=room.user_name(event.sender) or event.sender,
            body=_without_reply_fallback(event.body),
            sent_at=_sent_at(event),
            thread_root=thread_root,
            mentions=_mentioned(content),
        )

    async def _fill_gaps(self, response: SyncResponse) -> None:
        """A limited timeline hides messages (a long outage, a busy room): fetch the fresh ones."""
        for room_id, info in response.rooms.join.items():
            joined_at = self._served.get(room_id)
            if not info.timeline.limited or joined_at is None:
                continue
            horizon = max(joined_at, self._clock.now() - self._config.bot.offline_grace)
            missed: list[RoomMessageText] = []
            token = info.timeline.prev_batch
            while token:
                page = await self.client.room_messages(
                    room_id, start=token, limit=100, message_filter=_MESSAGES_ONLY
                )
                if not isinstance(page, RoomMessagesResponse) or not page.chunk:
                    break
                token = page.end
                for event in page.chunk:
                    if _sent_at(event) < horizon:
                        token = None
                        break
                    if isinstance(event, RoomMessageText):
                        missed.append(event)
            room = self.client.rooms[room_id]
            for event in reversed(missed):
                await self._on_text(room, event)

    async def _on_undecryptable(self, room: MatrixRoom, event: MegolmEvent) -> None:
        log.warning(
            "cannot decrypt %s from %s in %s (session %s)",
            event.event_id,
            event.sender,
            room.room_id,
            event.session_id,
        )

    async def _on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key != self.user_id or event.membership != "invite":
            return
        if self._may_invite(event.sender) or self._configured(room.room_id):
            log.info("invited to %s by %s: joining", room.room_id, event.sender)
            self._spawn(self._join(room.room_id))
        else:
            log.info(
                "invited to %s by %s, who may not invite me: declining", room.room_id, event.sender
            )
            self._spawn(self._decline(room.room_id))

    async def _on_membership(self, room: MatrixRoom, event: RoomMemberEvent) -> None:
        if event.state_key == self.user_id and event.membership in ("leave", "ban"):
            log.info("no longer in %s (%s by %s)", room.room_id, event.membership, event.sender)
            self._served.pop(room.room_id, None)
            async with self._database.transaction() as tx:
                await events.forget_room(tx, room.room_id)

    def _remember_creators(self, response: SyncResponse) -> None:
        """Room v12 creators have unlimited power but no power-levels entry: note who they are."""
        for room_id, info in response.rooms.join.items():
            for event in [*info.state, *info.timeline.events]:
                if isinstance(event, RoomCreateEvent):
                    content = event.source.get("content", {})
                    extra = content.get("additional_creators") or []
                    self._creators[room_id] = {event.sender, *(str(user) for user in extra)}

    # --- rooms ------------------------------------------------------------

    def _may_invite(self, user_id: str) -> bool:
        allowed = self._config.bot.allowed_inviters
        return user_id in allowed or any(
            entry.startswith(":") and user_id.endswith(entry) for entry in allowed
        )

    def _configured(self, room_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        names = {room_id}
        if room is not None and room.canonical_alias:
            names.add(room.canonical_alias)
        return bool(names & set(self._config.bot.rooms))

    async def _join(self, room: str) -> None:
        response = await self.client.join(room)
        if isinstance(response, JoinError):
            log.error("could not join %s: %s", room, response.message)
            return
        await self._serve(response.room_id)

    async def _serve(self, room_id: str) -> None:
        async with self._database.transaction() as tx:
            await events.record_room_joined(tx, room_id, self._clock.now())
            self._served[room_id] = await events.room_joined_at(tx, room_id) or self._clock.now()

    async def _decline(self, room_id: str) -> None:
        await self.client.room_leave(room_id)

    @property
    def served_rooms(self) -> list[str]:
        return sorted(self._served)

    # --- what goes out (the Transport) -----------------------------------

    async def send_reply(self, reply: Reply) -> str:
        relation: dict[str, Any] = {"m.in_reply_to": {"event_id": reply.in_reply_to}}
        if reply.thread_root is not None:
            relation |= {
                "rel_type": "m.thread",
                "event_id": reply.thread_root,
                "is_falling_back": False,
            }
        content = _notice(reply.text, relation, reply.mentions)
        try:
            return await self._send(reply.room_id, "m.room.message", content)
        except DeliveryFailed as error:
            log.error("could not answer in %s: %s", reply.room_id, error)
            return ""

    async def power_level(self, room_id: str, user_id: str) -> float:
        room = self.client.rooms.get(room_id)
        if room is None:
            return 0.0
        return effective_power(
            user_id,
            room.room_version,
            self._creators.get(room_id, set()),
            room.power_levels.get_user_level(user_id),
        )

    def room_members(self, room_id: str) -> dict[str, str]:
        room = self.client.rooms.get(room_id)
        if room is None:
            return {}
        return {
            user_id: room.user_name(user_id) or user_id
            for user_id in room.users
            if user_id != self.user_id and user_id not in room.invited_users
        }

    async def send_file_privately(
        self, user_id: str, filename: str, data: bytes, text: str
    ) -> None:
        room_id = await self._direct_room(user_id)
        room = self.client.rooms[room_id]
        upload, keys = await self.client.upload(
            io.BytesIO(data),
            content_type="application/json",
            filename=filename,
            encrypt=room.encrypted,
            filesize=len(data),
        )
        if not isinstance(upload, UploadResponse):
            raise DeliveryFailed(f"could not upload {filename}: {upload}")
        content: dict[str, Any] = {
            "msgtype": "m.file",
            "body": filename,
            "filename": filename,
            "info": {"mimetype": "application/json", "size": len(data)},
        }
        if keys is not None:
            content["file"] = {**keys, "url": upload.content_uri, "mimetype": "application/json"}
        else:
            content["url"] = upload.content_uri
        for message in ({"msgtype": "m.notice", "body": text}, content):
            await self._post(room_id, message)

    async def open_shared_room(self, user_ids: Sequence[str], name: str, text: Text) -> str:
        created = await self.client.room_create(
            name=name,
            preset=RoomPreset.private_chat,
            invite=list(user_ids),
            initial_state=[_ENCRYPTED],
        )
        if not isinstance(created, RoomCreateResponse):
            raise DeliveryFailed(f"could not open a room with {', '.join(user_ids)}: {created}")
        room_id = str(created.room_id)
        await self._until_invited(room_id, user_ids)
        await self._post(room_id, _notice(text))
        return room_id

    async def post(
        self, room_id: str, text: Text, txn_id: str, thread_root: str | None = None
    ) -> str:
        relation = None
        if thread_root is not None:
            relation = {
                "rel_type": "m.thread",
                "event_id": thread_root,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": thread_root},
            }
        return await self._send(room_id, "m.room.message", _notice(text, relation), txn_id)

    async def send_poll(
        self,
        room_id: str,
        question: str,
        answers: Sequence[str],
        max_selections: int,
        disclosed: bool,
    ) -> str:
        content = polls.start_content(question, answers, max_selections, disclosed=disclosed)
        return await self._send(room_id, polls.START_TYPE, content)

    async def end_poll(self, room_id: str, start_event: str, text: str, txn_id: str) -> str:
        content = polls.end_content(start_event, text)
        return await self._send(room_id, polls.END_TYPE, content, txn_id)

    async def poll_history(self, room_id: str, start_event: str) -> PollHistory | None:
        room = self.client.rooms.get(room_id)
        if room is None:
            return None
        responses: list[IncomingPollResponse] = []
        listed: set[str] = set()
        try:
            async for event in self.client.room_get_event_relations(
                room_id, start_event, RelationshipType.reference
            ):
                if isinstance(event, MegolmEvent):
                    event.room_id = room_id
                    try:
                        event = self.client.decrypt_event(event)
                    except EncryptionError:  # no key for it: its vote stays as it was
                        listed.add(event.event_id)
                        continue
                response = (
                    _poll_response(room_id, event) if isinstance(event, UnknownEvent) else None
                )
                if response is None:
                    continue
                listed.add(response.event_id)
                if event.sender != self.user_id and _is_member(room, event.sender):
                    responses.append(response)
        except Exception:  # nio raises on some error pages: a partial list proves nothing
            log.exception("could not read all the responses to %s in %s", start_event, room_id)
            return None
        return PollHistory(tuple(responses), frozenset(listed))

    async def _send(
        self, room_id: str, event_type: str, content: dict[str, Any], txn_id: str | None = None
    ) -> str:
        sent = await self.client.room_send(
            room_id, event_type, content, tx_id=txn_id, ignore_unverified_devices=True
        )
        if not isinstance(sent, RoomSendResponse):
            raise DeliveryFailed(f"could not send to {room_id}: {sent}")
        return str(sent.event_id)

    async def _post(self, room_id: str, content: dict[str, Any]) -> None:
        await self._send(room_id, "m.room.message", content)

    async def _direct_room(self, user_id: str) -> str:
        """The encrypted room the bot shares with this member alone, created on first use."""
        async with self._database.transaction() as tx:
            known = await events.direct_room_of(tx, user_id)
        room = self.client.rooms.get(known) if known else None
        if room is not None and user_id in room.users:
            return str(room.room_id)
        created = await self.client.room_create(
            is_direct=True,
            preset=RoomPreset.trusted_private_chat,
            invite=[user_id],
            initial_state=[_ENCRYPTED],
        )
        if not isinstance(created, RoomCreateResponse):
            raise DeliveryFailed(f"could not open a direct room with {user_id}: {created}")
        async with self._database.transaction() as tx:
            await events.remember_direct_room(tx, user_id, created.room_id)
        room_id = str(created.room_id)
        await self._until_invited(room_id, [user_id])
        return room_id

    async def _until_invited(self, room_id: str, user_ids: Sequence[str]) -> None:
        """Keys go to the devices the bot knows in the room: wait until its sync saw the invites."""

        def seen() -> bool:
            room = self.client.rooms.get(room_id)
            return room is not None and all(user_id in room.users for user_id in user_ids)

        async with self._synced, asyncio.timeout(30):
            await self._synced.wait_for(seen)

    # --- tasks ------------------------------------------------------------

    def _spawn(self, work: Awaitable[None]) -> None:
        """Run a handler beside the sync loop, keeping a reference until it ends."""
        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self._tasks.add(task)
        self._batch.append(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task failed", exc_info=task.exception())


class SyncFailed(Exception):
    """The homeserver answered the sync with an error."""


class DeliveryFailed(Exception):
    """A private message or file could not be delivered."""


_PILL = re.compile(r"""href=["']https://matrix\.to/#/(@[^"'?/]+)""")


def _mentioned(content: dict[str, Any]) -> tuple[str, ...]:
    """Members pinged in a message: intentional mentions, else pills in the HTML body."""
    mentions = content.get("m.mentions")
    if isinstance(mentions, dict) and isinstance(mentions.get("user_ids"), list):
        return tuple(str(user) for user in mentions["user_ids"])
    html = content.get("formatted_body")
    if not isinstance(html, str):
        return ()
    return tuple(dict.fromkeys(unquote(user) for user in _PILL.findall(html)))


def _notice(
    text: Text, relation: dict[str, Any] | None = None, mentions: Sequence[str] = ()
) -> dict[str, Any]:
    """A notice in HTML and plain text; explicit mentions, so names in the text never ping."""
    content: dict[str, Any] = {
        "msgtype": "m.notice",
        "body": text.plain,
        "format": "org.matrix.custom.html",
        "formatted_body": text.html,
        "m.mentions": {"user_ids": list(mentions)} if mentions else {},
    }
    if relation is not None:
        content["m.relates_to"] = relation
    return content


def _is_member(room: MatrixRoom, user_id: str) -> bool:
    return user_id in room.users and user_id not in room.invited_users


def _poll_response(room_id: str, event: UnknownEvent) -> IncomingPollResponse | None:
    content = event.source.get("content", {})
    parsed = polls.parse_response(event.type, content if isinstance(content, dict) else {})
    if parsed is None:
        return None
    return IncomingPollResponse(
        event.event_id, room_id, event.sender, parsed.poll_event, parsed.answers, _sent_at(event)
    )


def _sent_at(event: Event) -> datetime:
    return datetime.fromtimestamp(event.server_timestamp / 1000, UTC)


def _without_reply_fallback(body: str) -> str:
    """Drop the quoted ``> <@user> …`` lines older clients put before a reply's text."""
    if not body.startswith("> "):
        return body
    lines = body.split("\n")
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).lstrip("\n")
