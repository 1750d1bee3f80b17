"""The bot's Matrix connection: session, sync loop, and which rooms it serves.

Each sync's events become plain values (``inbound``) handed to the intake, which writes
them down before the sync position passing them is saved; what the command side sends
goes through ``outbound``. Nothing else in the bot knows about nio.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import ClientError
from nio import (
    AsyncClient,
    AsyncClientConfig,
    Event,
    InviteMemberEvent,
    JoinError,
    MatrixRoom,
    MegolmEvent,
    ReactionEvent,
    RedactionEvent,
    RoomCreateEvent,
    RoomMemberEvent,
    RoomMessagesResponse,
    RoomMessageText,
    SyncError,
    SyncResponse,
    UnknownEvent,
    UploadFilterResponse,
)

from bot.clock import Clock
from bot.config import Config
from bot.errors import StartupError
from bot.i18n import Catalogue
from bot.matrix import inbound
from bot.matrix.crosssigning import keep_cross_signing
from bot.matrix.face import show_face
from bot.matrix.keystore import pickle_key
from bot.matrix.outbound import DeliveryFailed, Outbound
from bot.matrix.session import LoginFailed, SessionFile, sign_in
from bot.messages import Inbox, Incoming, transaction_id

log = logging.getLogger(__name__)

_MESSAGES_ONLY = {"types": ["m.room.message", "m.room.encrypted"]}
_LONG_POLL_MS = 30_000
_HEAD_START_SECONDS = 0.25
_UNREACHABLE = (ClientError, TimeoutError, OSError)
T = TypeVar("T")
BY_CONFIG = ""  # who brought the bot into a room the config names


class MatrixGateway:
    """Owns the nio client: logs in, syncs, joins and leaves rooms; ``outbound`` sends."""

    def __init__(self, config: Config, clock: Clock) -> None:
        self._config = config
        self._clock = clock
        self._inbox: Inbox | None = None
        self._sessions = SessionFile(config.matrix.store_path)
        self._position: str | None = None  # the sync position, as last written down
        self._live = False
        self._served: dict[str, datetime] = {}
        self._received: list[Incoming] = []  # what the sync under way brought
        self._rooms_work: set[asyncio.Task[None]] = set()
        self._synced = asyncio.Condition()  # notified after each sync is processed
        self._sync_filter = ""
        self._t = Catalogue(config.bot.language)
        self._reachable = True
        _private_folder(config.matrix.store_path)
        self.client = AsyncClient(
            config.matrix.homeserver,
            config.matrix.user_id,
            store_path=str(config.matrix.store_path),
            config=AsyncClientConfig(
                encryption_enabled=True,
                pickle_key=pickle_key(config.matrix),
                store_sync_tokens=False,
                max_limit_exceeded=10,  # each 429 is waited out for its retry_after_ms
                max_timeouts=0,  # an unreachable homeserver is retried here, and logged
                request_timeout=_LONG_POLL_MS / 1000 + 30,
            ),
        )
        self.outbound = Outbound(self.client, self._synced)

    @property
    def user_id(self) -> str:
        return str(self.client.user_id)

    async def _upload_sync_filter(self) -> None:
        """Enough timeline to catch up after a restart, no presence; uploaded once.

        Leaving the bot's own messages out (``not_senders``) would save the sync its reply
        wakes (3 requests a command instead of 4, 4.2 ms of CPU instead of 6.7), but the
        replies then come 14-22% later than the echo bot's instead of 5-10%: measured with
        ``bench.latency``. Members feel the latency; the CPU is the bot's own.
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
        """Log in or resume, catch up or skip history, and join the configured rooms.

        An unreachable homeserver is tried again and again, a line in the log each time;
        cancelling (SIGTERM) stops the waiting at once.
        """
        self._inbox = inbox
        self.outbound.attach(inbox)
        session = await self._patiently(
            "logging in", lambda: sign_in(self.client, self._config.matrix, self._sessions)
        )
        log.info("logged in as %s (device %s)", session.user_id, session.device_id)
        _skip_empty_saves(self.client)
        await show_face(
            self.client, self._config.matrix.display_name, self._config.matrix.store_path
        )
        await keep_cross_signing(self.client, self._config.matrix)
        served = await inbox.served_rooms()
        self._served = {room_id: room.joined_at for room_id, room in served.items()}
        await self._patiently("uploading the sync filter", self._upload_sync_filter)
        self._register_callbacks()
        self._position = await inbox.position() or session.next_batch
        # A first start ignores history; a restart answers what came in while it was down.
        self._live = self._position is not None
        await self._patiently("the first sync", lambda: self._sync_once(0, full_state=True))
        self._live = True
        for room_id in self.client.rooms:
            if room_id not in self._served and self._configured(room_id):
                await self._serve(room_id)
        for room in self._config.bot.rooms:
            await self._join(room)
        for room_id, kept in served.items():
            if kept.invited_by is not None and not self._allowed(room_id, kept.invited_by):
                await self._leave(room_id, kept.invited_by)

    async def _patiently(self, what: str, attempt: Callable[[], Awaitable[T]]) -> T:
        """Retry ``attempt`` while the homeserver cannot be reached, with growing delays."""
        failures = 0
        while True:
            try:
                return await attempt()
            except (SyncFailed, *_UNREACHABLE) as error:
                failures += 1
                delay = _backoff(failures)
                log.warning(
                    "%s: %s unreachable (%s); try %d failed, next in %.0f s",
                    what,
                    self._config.matrix.homeserver,
                    error or type(error).__name__,
                    failures,
                    delay,
                )
                await asyncio.sleep(delay)

    def _register_callbacks(self) -> None:
        for callback, kind in (
            (self._on_text, RoomMessageText),
            (self._on_reaction, ReactionEvent),
            (self._on_redaction, RedactionEvent),
            (self._on_unknown, UnknownEvent),
            (self._on_undecryptable, MegolmEvent),
            (self._on_invite, InviteMemberEvent),
            (self._on_membership, RoomMemberEvent),
        ):
            self.client.add_event_callback(_guarded(callback), kind)

    # --- the sync loop ----------------------------------------------------

    async def run(self) -> None:
        """Sync until cancelled; losing the homeserver and finding it again are logged once
        each, and it is tried again with growing, jittered delays."""
        failures = 0
        while True:
            try:
                await self._sync_once(_LONG_POLL_MS, full_state=False)
            except (SyncFailed, *_UNREACHABLE) as error:
                failures += 1
                if failures == 1:
                    log.warning(
                        "lost the homeserver %s (%s); trying again until it answers",
                        self._config.matrix.homeserver,
                        error or type(error).__name__,
                    )
                await asyncio.sleep(_backoff(failures))
                continue
            if failures:
                log.info("the homeserver answers again, after %d failed sync(s)", failures)
            failures = 0

    async def _sync_once(self, timeout_ms: int, full_state: bool) -> None:
        """One sync; its events and its position are written down together (the intake)."""
        assert self._inbox is not None
        self._received = []
        response = await self.client.sync(
            timeout=timeout_ms,
            sync_filter=self._sync_filter,
            since=self._position,
            full_state=full_state,
        )
        if isinstance(response, SyncError):
            raise SyncFailed(f"{response.status_code}: {response.message}")
        self._remember_creators(response)
        if self._live:
            self._received[:0] = await self._missed_messages(response)
        started = await self._inbox.receive(self._received, response.next_batch)
        self._received = []
        self._position = response.next_batch
        if started:
            # A head start for the commands this sync brought, as a bot answering inline
            # would have; bounded, so a slow command never holds the sync loop for long.
            await asyncio.wait(started, timeout=_HEAD_START_SECONDS)
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
        """Let joins and leaves under way finish, then close the connection."""
        if self._rooms_work:
            await asyncio.wait(set(self._rooms_work), timeout=10)
        await self.client.close()

    # --- what comes in ----------------------------------------------------

    async def _on_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        message = inbound.message(room, event) if self._fresh(room, event) else None
        if message is not None:
            self._received.append(message)

    async def _on_reaction(self, room: MatrixRoom, event: ReactionEvent) -> None:
        if self._fresh(room, event):
            self._received.append(inbound.reaction(room, event))

    async def _on_redaction(self, room: MatrixRoom, event: RedactionEvent) -> None:
        if self._fresh(room, event):
            self._received.append(inbound.redaction(room, event))

    async def _on_unknown(self, room: MatrixRoom, event: UnknownEvent) -> None:
        """Poll responses and ends arrive here, in every room version. A vote counts however
        old (a poll may stay open for weeks), and so does an end: no grace applies."""
        if not self._fresh(room, event, graced=False) or not inbound.is_member(room, event.sender):
            return
        creators = self.outbound.creators.get(room.room_id, set())
        polled = inbound.poll_response(room.room_id, event) or inbound.poll_end(
            room, event, self.user_id, creators
        )
        if polled is not None:
            self._received.append(polled)

    def _fresh(self, room: MatrixRoom, event: Event, graced: bool = True) -> bool:
        """Someone else's event, in a served room, after the bot joined (and, ``graced``,
        within the offline grace)."""
        if not self._live or event.sender == self.user_id:
            return False
        joined_at = self._served.get(room.room_id)
        sent_at = inbound.sent_at(event)
        if joined_at is None or sent_at < joined_at:
            return False
        return not graced or self._clock.now() - sent_at <= self._config.bot.offline_grace

    async def _missed_messages(self, response: SyncResponse) -> list[Incoming]:
        """A limited timeline hides messages (a long outage, a busy room): fetch the fresh
        ones, oldest first, to come before what the sync itself brought."""
        found: list[Incoming] = []
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
                    if inbound.sent_at(event) < horizon:
                        token = None
                        break
                    if isinstance(event, RoomMessageText):
                        missed.append(event)
            room = self.client.rooms[room_id]
            for event in reversed(missed):
                message = inbound.message(room, event) if self._fresh(room, event) else None
                if message is not None:
                    found.append(message)
        return found

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
        if self._allowed(room.room_id, event.sender):
            log.info("invited to %s by %s: joining", room.room_id, event.sender)
            configured = self._configured(room.room_id)
            self._spawn(self._join(room.room_id, BY_CONFIG if configured else event.sender))
        else:
            log.info(
                "invited to %s by %s, who may not invite me: declining", room.room_id, event.sender
            )
            self._spawn(self._decline(room.room_id))

    async def _on_membership(self, room: MatrixRoom, event: RoomMemberEvent) -> None:
        if event.state_key == self.user_id and event.membership in ("leave", "ban"):
            log.info("no longer in %s (%s by %s)", room.room_id, event.membership, event.sender)
            self._served.pop(room.room_id, None)
            assert self._inbox is not None
            await self._inbox.unserve(room.room_id)

    def _remember_creators(self, response: SyncResponse) -> None:
        """Room v12 creators have unlimited power but no power-levels entry: note who they are."""
        for room_id, info in response.rooms.join.items():
            for event in [*info.state, *info.timeline.events]:
                if isinstance(event, RoomCreateEvent):
                    content = event.source.get("content", {})
                    extra = content.get("additional_creators") or []
                    self.outbound.creators[room_id] = {event.sender, *map(str, extra)}

    # --- rooms ------------------------------------------------------------

    def _allowed(self, room_id: str, inviter: str) -> bool:
        """The config names the room, or the one who invited the bot may (still) do so."""
        allowed = self._config.bot.allowed_inviters
        return self._configured(room_id) or any(
            inviter == entry or (entry.startswith(":") and inviter.endswith(entry))
            for entry in allowed
        )

    def _configured(self, room_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        names = {room_id}
        if room is not None and room.canonical_alias:
            names.add(room.canonical_alias)
        return bool(names & set(self._config.bot.rooms))

    async def _join(self, room: str, invited_by: str = BY_CONFIG) -> None:
        response = await self.client.join(room)
        if isinstance(response, JoinError):
            log.error("could not join %s: %s", room, response.message)
            return
        await self._serve(response.room_id, invited_by)

    async def _serve(self, room_id: str, invited_by: str = BY_CONFIG) -> None:
        assert self._inbox is not None
        self._served[room_id] = await self._inbox.serve(room_id, invited_by)

    async def _leave(self, room_id: str, inviter: str) -> None:
        """A room the bot no longer serves by the config: say so, and go."""
        assert self._inbox is not None
        log.info(
            "leaving %s: the config does not name it, and %s may not invite me",
            room_id,
            inviter or "nobody",
        )
        notice = self._t("rooms.leaving")
        try:
            await self.outbound.post(room_id, notice, transaction_id("leaving", room_id, inviter))
        except DeliveryFailed as error:
            log.warning("could not say goodbye in %s: %s", room_id, error)
        await self.client.room_leave(room_id)
        self._served.pop(room_id, None)
        await self._inbox.unserve(room_id)

    async def _decline(self, room_id: str) -> None:
        await self.client.room_leave(room_id)

    @property
    def served_rooms(self) -> list[str]:
        return sorted(self._served)

    def _spawn(self, work: Awaitable[None]) -> None:
        """Join or leave beside the sync loop, keeping a reference until it ends."""
        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self._rooms_work.add(task)
        task.add_done_callback(self._rooms_work.discard)


def _guarded(
    callback: Callable[[MatrixRoom, Any], Awaitable[None]],
) -> Callable[[MatrixRoom, Any], Awaitable[None]]:
    """One event the bot cannot read is logged and skipped: raised inside nio's sync, it
    would stop every sync after it, the same event coming back each time."""

    async def guarded(room: MatrixRoom, event: Any) -> None:
        try:
            await callback(room, event)
        except Exception:
            log.exception("could not read %s in %s", getattr(event, "event_id", "?"), room.room_id)

    return guarded


class SyncFailed(Exception):
    """The homeserver answered the sync with an error."""


def _skip_empty_saves(client: AsyncClient) -> None:
    """nio notes the encrypted rooms each sync saw in its own SQLite file after every sync,
    none included: a query and a commit that cost about 1.5 ms of CPU per command for
    nothing (``bench.latency``). Only a sync that saw some is worth a write."""
    store = client.store
    if store is None:
        return
    save = store.save_encrypted_rooms

    def save_some(rooms: set[str]) -> None:
        if rooms:
            save(rooms)

    store.save_encrypted_rooms = save_some


def _private_folder(path: Path) -> None:
    """The device keys and the session live here: the bot's user alone may read them."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise StartupError(
            f"cannot create the store folder {path} ({error.strerror}): check its owner and "
            "permissions"
        ) from error


def _backoff(failures: int) -> float:
    """2, 4, 8 … 60 seconds, jittered so that many bots do not come back all at once."""
    return min(60.0, 2.0 ** min(failures, 6)) * random.uniform(0.5, 1.0)
