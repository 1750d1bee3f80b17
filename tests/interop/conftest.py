"""Members whose client is matrix-js-sdk, the SDK Element is built on, each a Node child
process (``member.mjs``), beside the e2e layer's Synapse and nio members and the real bot.

nio is the bot's own library: a test that only ever reads the bot with nio can agree with
it on a mistake. js-sdk is how the communities' members see it. Nothing here skips: without
Node or ``npm ci``, the fixture fails with what to do.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pytest_asyncio

# The e2e layer's fixtures, found by pytest under these names.
from tests.e2e.conftest import World, synapse, world  # noqa: F401

HERE = Path(__file__).parent
DRIVER = HERE / "member.mjs"
START = "org.matrix.msc3381.poll.start"
_names = itertools.count(1)


class JsMemberError(RuntimeError):
    """The Node member failed, timed out or died; the message ends with its stderr."""


@dataclass(frozen=True)
class Push:
    """js-sdk's own evaluation of the server's push rules for this member (Element's badges)."""

    notify: bool
    highlight: bool
    rule: str | None  # the rule that decided, e.g. ".m.rule.is_user_mention"


@dataclass(frozen=True)
class Encryption:
    """js-sdk's Rust crypto on an event it decrypted, asked when the test got the event."""

    shield_colour: str | None  # EventShieldColour's name: "NONE", "GREY" or "RED"
    shield_reason: str | None  # EventShieldReason's name, e.g. "UNSIGNED_DEVICE"; None if NONE
    sender_device: str | None  # the sender's device whose Curve25519 key encrypted it


@dataclass(frozen=True)
class JsEvent:
    """A room event as this member's js-sdk client read it (decrypted, if it came encrypted)."""

    event_id: str
    room_id: str
    sender: str
    type: str
    content: dict[str, Any]
    thread_root: str | None  # js-sdk's ``threadRootId``
    reply_to: str | None  # js-sdk's ``replyEventId``
    push: Push
    encrypted: bool  # sent as ``m.room.encrypted``: the other fields are js-sdk's decryption
    encryption: Encryption | None  # None unless encrypted and read by a member with crypto

    @property
    def body(self) -> str:
        return str(self.content.get("body", ""))


@dataclass(frozen=True)
class JsPoll:
    """js-sdk's ``Poll`` model of a poll, counted per answer as Element's poll body does."""

    question: str
    answers: list[dict[str, str]]
    max_selections: int
    ended: bool
    end_event: str | None
    sender: str
    thread_root: str | None
    counts: dict[str, int]


@dataclass(frozen=True)
class DeviceTrust:
    """js-sdk's ``DeviceVerificationStatus`` of one device."""

    signed_by_owner: bool  # cross-signed by its owner's self-signing key
    cross_signing_verified: bool  # ... and that owner verified by this member
    local_verified: bool
    verified: bool  # ``isVerified()``


@dataclass(frozen=True)
class UserTrust:
    """js-sdk's ``UserVerificationStatus`` of a user, with each of their devices'."""

    has_cross_signing_keys: bool
    verified: bool
    cross_signing_verified: bool
    was_cross_signing_verified: bool
    needs_user_approval: bool
    devices: dict[str, DeviceTrust | None]  # by device id; None: js-sdk has no status


Isolation = Literal["all", "signed"]  # AllDevicesIsolationMode, OnlySignedDevicesIsolationMode


class JsMember:
    """One member's js-sdk client: each method is one JSON-lines command to ``member.mjs``."""

    def __init__(self, process: asyncio.subprocess.Process, stderr: Path, user_id: str) -> None:
        self.user_id = user_id
        self._process = process
        self._stderr = stderr
        self._ids = itertools.count(1)
        self._lock = asyncio.Lock()

    @classmethod
    async def start(
        cls,
        homeserver: str,
        user_id: str,
        password: str,
        logs: Path,
        *,
        crypto: bool = False,
        isolation: Isolation = "all",
        cross_signing: bool = False,
    ) -> JsMember:
        """Log in and sync until js-sdk says PREPARED; with ``crypto``, js-sdk's Rust crypto
        (in-memory stores) in ``isolation`` mode, and ``cross_signing`` bootstrapped after."""
        stderr = logs / f"{user_id[1:].split(':')[0]}.stderr"
        with stderr.open("wb") as log:  # a file, not a pipe: js-sdk's logs never block it
            process = await asyncio.create_subprocess_exec(
                "node",
                str(DRIVER),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=log,
                limit=1 << 24,  # one answer is one line, /notifications included
            )
        member = cls(process, stderr, user_id)
        try:
            await member._call(
                "login",
                {
                    "homeserver": homeserver,
                    "user": user_id,
                    "password": password,
                    "crypto": crypto,
                    "isolation": isolation,
                    "cross_signing": cross_signing,
                },
            )
        except BaseException:
            process.kill()
            await process.wait()
            raise
        return member

    async def join(self, room: str) -> None:
        await self._call("join", {"room": room})

    async def create_room(self, name: str, invite: list[str], *, encrypted: bool = False) -> str:
        """A private room, as Element creates one; ``encrypted`` with m.megolm.v1.aes-sha2."""
        args = {"name": name, "invite": invite, "encrypted": encrypted}
        return str(await self._call("create_room", args))

    async def trust(self, user_id: str) -> UserTrust:
        """What js-sdk's crypto makes of ``user_id`` and each of their devices."""
        found = await self._call("trust", {"user": user_id})
        devices = {
            device: None if status is None else DeviceTrust(**status)
            for device, status in found.pop("devices").items()
        }
        return UserTrust(**found, devices=devices)

    async def say(
        self,
        room: str,
        text: str,
        *,
        thread: str | None = None,
        reply_to: str | None = None,
        html: str | None = None,
        mentions: list[str] | None = None,
    ) -> str:
        """Send an ``m.text``; with ``thread``, as Element's thread composer does."""
        args = {"thread": thread, "reply_to": reply_to, "html": html, "mentions": mentions}
        given = {key: value for key, value in args.items() if value is not None}
        return str(await self._call("send", {"room": room, "text": text, **given}))

    async def react(self, room: str, event: str, key: str) -> str:
        return str(await self._call("react", {"room": room, "event": event, "key": key}))

    async def vote(self, room: str, poll: str, answers: list[str]) -> str:
        """Click answers, as Element's poll body sends them (``PollResponseEvent.from``)."""
        return str(await self._call("vote", {"room": room, "poll": poll, "answers": answers}))

    async def end_poll(self, room: str, poll: str, text: str) -> str:
        """Element's "End poll" (``PollEndEvent.from``)."""
        return str(await self._call("end_poll", {"room": room, "poll": poll, "text": text}))

    async def poll(self, room: str, poll: str) -> JsPoll:
        return JsPoll(**await self._call("poll", {"room": room, "poll": poll}))

    async def poll_until(
        self, room: str, poll: str, done: Callable[[JsPoll], bool], timeout: float = 10
    ) -> JsPoll:
        """js-sdk's model once ``done`` holds: votes and ends reach it by sync, a moment later."""
        seen = await self.poll(room, poll)
        deadline = asyncio.get_running_loop().time() + timeout
        while not done(seen):
            if asyncio.get_running_loop().time() > deadline:
                raise JsMemberError(f"{self.user_id}'s js-sdk poll stayed {seen}")
            await asyncio.sleep(0.1)
            seen = await self.poll(room, poll)
        return seen

    async def wait_for(self, timeout: float = 15, **match: str | None) -> JsEvent:
        """The first event this client synced whose fields equal ``match`` (``body_startswith``
        compares the start of the body)."""
        found = await self._call(
            "wait", {"match": match, "timeout_ms": int(timeout * 1000)}, timeout + 5
        )
        encryption = found["encryption"]
        return JsEvent(
            **{
                **found,
                "push": Push(**found["push"]),
                "encryption": None if encryption is None else Encryption(**encryption),
            }
        )

    async def poll_start(self, room: str, question: str, sender: str) -> JsEvent:
        """The native poll ``sender`` posted for ``question``."""
        return await self.wait_for(
            room_id=room, type=START, sender=sender, body_startswith=question
        )

    async def notifications(self) -> list[dict[str, Any]]:
        """The homeserver's ``GET /notifications`` for this member, as its pushes would go."""
        found: list[dict[str, Any]] = await self._call("notifications", {})
        return found

    async def close(self) -> None:
        if self._process.returncode is None:
            try:
                await self._call("stop", {}, timeout=5)
            except JsMemberError:
                self._process.kill()
            await self._process.wait()

    async def _call(self, cmd: str, args: dict[str, Any], timeout: float = 20) -> Any:
        async with self._lock:
            assert self._process.stdin is not None
            assert self._process.stdout is not None
            number = next(self._ids)
            line = json.dumps({"id": number, "cmd": cmd, **args}) + "\n"
            try:
                self._process.stdin.write(line.encode())
                await self._process.stdin.drain()
                raw = await asyncio.wait_for(self._process.stdout.readline(), timeout)
            except (TimeoutError, ConnectionError) as error:
                self._process.kill()  # its next answer would be to this, not to the next
                await self._process.wait()
                raise self._failure(f"{cmd}: no answer ({error!r})") from error
            if not raw:
                code = await self._process.wait()
                raise self._failure(f"{cmd}: node exited with {code}")
            answer = json.loads(raw)
            assert answer["id"] == number, answer
            if not answer["ok"]:
                raise self._failure(f"{cmd} failed: {answer['error']}")
            return answer["result"]

    def _failure(self, what: str) -> JsMemberError:
        tail = self._stderr.read_text(encoding="utf-8", errors="replace")[-4000:]
        return JsMemberError(f"{self.user_id}: {what}\n--- stderr (tail) ---\n{tail}")


@dataclass
class JsMembers:
    """js-sdk members on the world's homeserver, unique to one test."""

    world: World
    started: list[JsMember] = field(default_factory=list)

    async def member(
        self,
        name: str,
        *,
        crypto: bool = False,
        isolation: Isolation = "all",
        cross_signing: bool = False,
    ) -> JsMember:
        localpart = f"{name}-js{next(_names)}"
        password = f"{name}-password"
        user_id = await self.world.synapse.register(localpart, password)
        member = await JsMember.start(
            self.world.synapse.url,
            user_id,
            password,
            self.world.directory,
            crypto=crypto,
            isolation=isolation,
            cross_signing=cross_signing,
        )
        self.started.append(member)
        return member


def _check_node() -> None:
    """Fail, never skip, when the layer cannot run: CI must not pass without it."""
    if shutil.which("node") is None:
        raise RuntimeError("node is not on PATH: the interop tests need Node.js 20 or newer")
    if not (HERE / "node_modules" / "matrix-js-sdk").is_dir():
        raise RuntimeError(
            "tests/interop/node_modules has no matrix-js-sdk: run scripts/setup.sh (npm ci)"
        )


@pytest_asyncio.fixture(loop_scope="session")
async def js(world: World) -> AsyncIterator[JsMembers]:  # noqa: F811 (the fixture)
    _check_node()
    members = JsMembers(world)
    yield members
    for member in members.started:
        await member.close()
