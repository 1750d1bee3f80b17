"""Fault injection against a real Synapse: the bot killed with SIGKILL at chosen moments.

The bot runs as it does in production, ``python -m bot run --config FILE`` in a child
process, and is killed -9 at the moments that hurt (in a burst of commands, while it
catches up on a backlog, between a reply and the poll it announces, between "closing"
and the end of the poll), then restarted. Afterwards every command sent is counted from
the room's history on the homeserver (not from a member's sync, whose gaps would hide
some) and from the bot's SQLite file: answered once, answered twice or more, recorded
but unanswered, or lost (neither). Bad starts (an unwritable folder, a damaged
database, a wrong or unreachable homeserver) are timed and their stderr kept.

``tests/e2e/test_faults.py`` runs each attack once or twice, small enough for CI, and
asserts; run as a module it is the long version, every attack ``--kills`` times, printing a
table (and exiting 1 if anything was lost, doubled or left unanswered):

    python -m bench.faults [--kills N] [--backlog N] [--seed N] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import signal
import sqlite3
import string
import sys
import tempfile
import time
from collections import Counter
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Collection,
    Mapping,
    Sequence,
    Sized,
)
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import aiohttp

from bot.matrix.homeserver import LocalSynapse, free_port, terminate
from bot.matrix.member import MemberClient, Seen

ROOT = Path(__file__).resolve().parent.parent
POLL_START = "org.matrix.msc3381.poll.start"
POLL_END = "org.matrix.msc3381.poll.end"
EXIT_LIMIT = 10.0  # seconds a bad start, or a signal while retrying, may take to end it
QUIET = 10.0  # seconds without a new answer after which what is unanswered stays so
_LETTERS = string.ascii_lowercase.replace("s", "")  # no plural "s" for the skill's key
_REF = re.compile(r"\bp\d+\b")

Moment = Literal["reply", "card"]


def _more(seen: Callable[[], Sized], by: int) -> Callable[[], bool]:
    """A condition: ``seen()`` has grown by ``by`` since now."""
    before = len(seen())
    return lambda: len(seen()) >= before + by


async def keep_checking(
    check: Callable[[], Awaitable[bool]], timeout: float, interval: float
) -> bool:
    """Check every ``interval`` seconds until it holds (True) or ``timeout`` passed (False)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        if await check():
            return True
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(interval)


# --- the bot as a child process ------------------------------------------------------------


def write_config(
    path: Path,
    *,
    homeserver: str,
    user_id: str,
    store_path: Path,
    database: Path,
    rooms: Sequence[str] = (),
) -> Path:
    """A config for ``python -m bot run``; the password comes from COMPAGNON_PASSWORD."""
    quoted = json.dumps  # a JSON string is a valid TOML basic string
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""\
[matrix]
homeserver = {quoted(homeserver)}
user_id = {quoted(user_id)}
store_path = {quoted(str(store_path))}

[bot]
language = "en"
rooms = [{", ".join(quoted(room) for room in rooms)}]

[bot.rate_limit]
# A few members send hundreds of commands: the throttle would refuse all but a few.
burst = 100000
per_minute = 1000000

[database]
path = {quoted(str(database))}
""",
        encoding="utf-8",
    )
    return path


class BotProcess:
    """``python -m bot run`` in its own session (Ctrl-C is the driver's), restartable; its
    stderr of every run is appended to one log."""

    def __init__(self, config: Path, password: str, log: Path) -> None:
        self.config = config
        self.password = password
        self.log = log
        self.kills = 0
        self._process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        assert not self.running, "the bot is already running"
        with self.log.open("ab") as sink:
            self._process = await spawn_bot(self.config, self.password, sink)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is flushed, as a power cut or the OOM killer."""
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            await self._process.wait()
            self.kills += 1

    async def stop(self) -> None:
        """SIGTERM, as systemd stops it; SIGKILL if it is still there after 45 s."""
        if self._process is not None:
            await terminate(self._process, grace=45)

    def tail(self, characters: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-characters:] if self.log.exists() else ""


async def spawn_bot(config: Path, password: str, stderr: Any) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--config",
        str(config),
        cwd=ROOT,  # the bot of this tree, whatever is installed
        env={**os.environ, "COMPAGNON_PASSWORD": password},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=stderr,
        start_new_session=True,
    )


# --- the room, as the homeserver holds it ----------------------------------------------------


async def room_events(homeserver: str, token: str, room_id: str) -> list[dict[str, Any]]:
    """Every event of the room, oldest first, read with /messages: a member's sync skips
    events when many come at once (a limited timeline), the room's history does not."""
    url = f"{homeserver}/_matrix/client/v3/rooms/{quote(room_id)}/messages"
    params = {"dir": "f", "limit": "1000"}
    found: list[dict[str, Any]] = []
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http:
        while True:
            async with http.get(url, params=params) as response:
                response.raise_for_status()
                page = await response.json()
            chunk = page.get("chunk") or []
            found.extend(chunk)
            end = page.get("end")
            if not chunk or not end:
                return found
            params["from"] = end


def replies_by_command(
    events: Sequence[Mapping[str, Any]], bot_user: str, commands: Collection[str]
) -> Counter[str]:
    """How many notices from the bot reply to each command."""
    counts: Counter[str] = Counter()
    for event in events:
        content = event.get("content") or {}
        if (
            event.get("type") != "m.room.message"
            or event.get("sender") != bot_user
            or content.get("msgtype") != "m.notice"
        ):
            continue
        target = ((content.get("m.relates_to") or {}).get("m.in_reply_to") or {}).get("event_id")
        if isinstance(target, str) and target in commands:
            counts[target] += 1
    return counts


def poll_starts(events: Sequence[Mapping[str, Any]], bot_user: str, question: str) -> list[str]:
    """The ids of the bot's poll-start events asking ``question``."""
    return [
        str(event["event_id"])
        for event in events
        if event.get("type") == POLL_START
        and event.get("sender") == bot_user
        and _question_of(event.get("content") or {}) == question
    ]


def poll_ends(events: Sequence[Mapping[str, Any]], bot_user: str, starts: Collection[str]) -> int:
    """How many end events the bot sent for any of these poll starts."""
    return sum(
        1
        for event in events
        if event.get("type") == POLL_END
        and event.get("sender") == bot_user
        and ((event.get("content") or {}).get("m.relates_to") or {}).get("event_id") in starts
    )


def _question_of(content: Mapping[str, Any]) -> str | None:
    question = (content.get(POLL_START) or {}).get("question") or {}
    text = question.get("org.matrix.msc1767.text")
    return text if isinstance(text, str) else None


# --- what the bot's database says --------------------------------------------------------------


def recorded_offers(database: Path) -> set[str]:
    """The skill keys of every offer row: what the bot recorded, answered or not."""
    with contextlib.closing(sqlite3.connect(database)) as connection:
        rows = connection.execute(
            "SELECT skill.key FROM listing JOIN skill ON skill.id = listing.skill_id "
            "WHERE listing.kind = 'offer'"
        ).fetchall()
    return {str(row[0]) for row in rows}


def recorded_poll(database: Path, question: str) -> tuple[bool, bool]:
    """Whether a poll asking ``question`` is recorded, and whether it is closed."""
    with contextlib.closing(sqlite3.connect(database)) as connection:
        row = connection.execute(
            "SELECT count(*), count(closed_at) FROM poll WHERE question = ?", (question,)
        ).fetchone()
    return bool(row[0]), bool(row[1])


# --- counting ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """Every command sent, in exactly one of four bins; ``answered_unrecorded`` overlaps
    ``once`` (an answer, yet nothing recorded: the command failed)."""

    scenario: str
    sent: int
    once: int
    twice: int  # or more
    recorded_unanswered: int
    lost: int  # neither recorded nor answered
    answered_unrecorded: int = 0
    kills: int = 0
    notes: str = ""

    @property
    def failures(self) -> dict[str, int]:
        """What must be zero, where it is not."""
        bad = {
            "twice": self.twice,
            "recorded_unanswered": self.recorded_unanswered,
            "lost": self.lost,
            "answered_unrecorded": self.answered_unrecorded,
        }
        return {name: number for name, number in bad.items() if number}


def count_offers(
    scenario: str,
    commands: Mapping[str, str],
    events: Sequence[Mapping[str, Any]],
    bot_user: str,
    recorded: Collection[str],
    kills: int,
    notes: str = "",
) -> Count:
    """``commands`` maps each ``!offer`` event id to its unique skill."""
    replies = replies_by_command(events, bot_user, commands)
    once = twice = recorded_unanswered = lost = answered_unrecorded = 0
    for event_id, skill in commands.items():
        answers, kept = replies[event_id], skill in recorded
        if answers == 1:
            once += 1
        elif answers > 1:
            twice += 1
        elif kept:
            recorded_unanswered += 1
        else:
            lost += 1
        if answers and not kept:
            answered_unrecorded += 1
    return Count(
        scenario,
        len(commands),
        once,
        twice,
        recorded_unanswered,
        lost,
        answered_unrecorded,
        kills,
        notes,
    )


# --- a room with members and the bot serving it -----------------------------------------------


@dataclass
class Scene:
    """One room, its members (the first one watches) and the bot process serving it."""

    homeserver: str
    room_id: str
    members: Sequence[MemberClient]
    bot_user: str
    bot: BotProcess
    database: Path
    rng: random.Random

    @property
    def observer(self) -> MemberClient:
        return self.members[0]

    async def events(self) -> list[dict[str, Any]]:
        token = self.observer.client.access_token
        return await room_events(self.homeserver, str(token), self.room_id)

    def bot_notices(self) -> list[Seen]:
        return [seen for seen in self.observer.seen if seen.sender == self.bot_user and seen.notice]

    async def until(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        """Wait as the observer syncs; a timeout says what was awaited and how the bot ended."""
        try:
            await self.observer.wait_until(condition, timeout)
        except TimeoutError:
            raise RuntimeError(
                f"no {what} within {timeout:.0f} s; the bot's log ends with:\n{self.bot.tail()}"
            ) from None

    async def probe(self, timeout: float = 120) -> bool:
        """``!help`` answered: the bot is up and has synced past everything sent before."""
        sent = await self.observer.say(self.room_id, "!help")
        try:
            await self.observer.answer_to(sent, timeout)
        except TimeoutError:
            return False
        return True

    async def first_start(self) -> None:
        """A first start ignores history: wait until it joined and answers, so that what
        follows is owed an answer."""
        await self.bot.start()
        await self.observer.wait_membership(self.room_id, self.bot_user, "join", timeout=60)
        for _ in range(20):
            if await self.probe(timeout=6):
                return
        raise RuntimeError(f"the bot never answered; its log ends with:\n{self.bot.tail()}")

    async def count_offers(self, scenario: str, commands: Mapping[str, str], notes: str) -> Count:
        """Once the bot has settled, how each ``!offer`` in ``commands`` fared."""
        await self.settle(commands)
        return count_offers(
            scenario,
            commands,
            await self.events(),
            self.bot_user,
            recorded_offers(self.database),
            self.bot.kills,
            notes,
        )

    async def settle(self, commands: Collection[str]) -> None:
        """Until every command has an answer, or none came for ``QUIET`` seconds after a
        probe was answered (the bot synced past them all: what it has not answered by then,
        it never will); then stop the bot, so its database can be read."""
        await self.probe()
        loop = asyncio.get_running_loop()
        answered, changed = -1, loop.time()
        deadline = loop.time() + 300
        while loop.time() < deadline:
            now = len(replies_by_command(await self.events(), self.bot_user, commands))
            if now == len(commands):
                break
            if now != answered:
                answered, changed = now, loop.time()
            elif loop.time() - changed >= QUIET:
                break
            await asyncio.sleep(1)
        await self.bot.stop()

    def skill(self) -> str:
        """A skill no other command names, nor spells closely (no fuzzy merge)."""
        return "".join(self.rng.choice(_LETTERS) for _ in range(14))


@contextlib.asynccontextmanager
async def scene(
    homeserver: str,
    members: Sequence[MemberClient],
    bot_user: str,
    bot_password: str,
    directory: Path,
    rng: random.Random,
) -> AsyncIterator[Scene]:
    """A room of ``members`` with the bot invited and configured; the bot is stopped at the end
    whatever happened."""
    first, *others = members
    room_id = await first.create_room(
        "faults", invite=[bot_user, *(member.user_id for member in others)]
    )
    for member in others:
        await member.join(room_id)
    database = directory / "bot" / "compagnon.sqlite3"
    config = write_config(
        directory / "compagnon.toml",
        homeserver=homeserver,
        user_id=bot_user,
        store_path=directory / "bot",
        database=database,
        rooms=[room_id],
    )
    bot = BotProcess(config, bot_password, directory / "bot.log")
    try:
        yield Scene(homeserver, room_id, members, bot_user, bot, database, rng)
    finally:
        await bot.stop()


# --- the attacks ---------------------------------------------------------------------------------


async def live_burst(
    scene: Scene,
    kills: int,
    volley: int = 8,
    pause: tuple[float, float] = (0.0, 0.3),
    delay: tuple[float, float] = (0.1, 2.0),
) -> Count:
    """Every member sends volleys of 1 to ``volley`` ``!offer <unique skill>`` at once (so
    that several are in flight in the bot), a random ``pause`` apart, all members together;
    ``kills`` times, a random ``delay`` after the bot has answered again, it is killed -9 and
    restarted after a random pause. The burst goes on until the last restart answers."""
    commands: dict[str, str] = {}
    done = asyncio.Event()

    async def offer(member: MemberClient) -> None:
        skill = scene.skill()
        commands[await member.say(scene.room_id, f"!offer {skill}")] = skill

    async def talk(member: MemberClient) -> None:
        while not done.is_set():
            size = scene.rng.randint(1, volley)
            await asyncio.gather(*(offer(member) for _ in range(size)))
            await asyncio.sleep(scene.rng.uniform(*pause))

    await scene.first_start()
    talkers = [asyncio.create_task(talk(member)) for member in scene.members]
    try:
        for _ in range(kills + 1):
            await scene.until(_more(scene.bot_notices, 1), 120, "answer after a start")
            if scene.bot.kills == kills:
                break
            await asyncio.sleep(scene.rng.uniform(*delay))
            await scene.bot.kill()
            await asyncio.sleep(scene.rng.uniform(0, 1))
            await scene.bot.start()
    finally:
        done.set()
        await asyncio.gather(*talkers)
    return await scene.count_offers(
        "kill -9 in a live burst", commands, f"{len(scene.members)} members"
    )


async def catch_up(
    scene: Scene, backlog: int, kills: int = 1, replies_before_kill: int = 3
) -> Count:
    """The bot stopped, members send ``backlog`` commands (more than one sync's timeline of
    100 holds); it starts, and is killed -9 as soon as ``replies_before_kill`` more answers
    arrived, ``kills`` times; the last start is left to finish."""
    await scene.first_start()
    await scene.bot.stop()
    commands: dict[str, str] = {}

    async def send(member: MemberClient, share: int) -> None:
        for _ in range(share):
            skill = scene.skill()
            commands[await member.say(scene.room_id, f"!offer {skill}")] = skill

    shares = [backlog // len(scene.members)] * len(scene.members)
    shares[0] += backlog - sum(shares)
    await asyncio.gather(*(send(m, n) for m, n in zip(scene.members, shares, strict=True)))

    def answered() -> list[Seen]:
        return [seen for seen in scene.bot_notices() if seen.replies_to in commands]

    for _ in range(kills):
        more = _more(answered, replies_before_kill)
        await scene.bot.start()
        await scene.until(more, 180, "answers while catching up")
        await scene.bot.kill()
    await scene.bot.start()
    return await scene.count_offers(
        "kill -9 while catching up",
        commands,
        f"backlog {backlog}, kill after {replies_before_kill} replies",
    )


@dataclass(frozen=True)
class PollOutcome:
    """What the room and the database show of one poll after a kill and a restart."""

    question: str
    moment: str
    command_answers: int  # notices replying to the !poll (or !poll close) command
    starts: int  # the bot's poll-start events for it
    ends: int  # the bot's poll-end events for it
    recorded: bool  # a poll row with its question exists
    closed: bool  # and it is closed

    @property
    def closing(self) -> bool:
        return "close" in self.moment


def count_polls(scenario: str, outcomes: Sequence[PollOutcome]) -> Count:
    """Poll rounds in the same bins as commands: what is owed is the poll card for ``!poll``,
    the end event for ``!poll close``; "recorded" is the poll row, or its closing."""
    shown = [o.ends if o.closing else o.starts for o in outcomes]
    kept = [o.closed if o.closing else o.recorded for o in outcomes]
    return Count(
        scenario,
        len(outcomes),
        shown.count(1),
        sum(1 for n in shown if n > 1),
        sum(1 for n, k in zip(shown, kept, strict=True) if not n and k),
        sum(1 for n, k in zip(shown, kept, strict=True) if not n and not k),
        kills=len(outcomes),
    )


def poll_question(scene: Scene) -> str:
    return f"Which evening for {scene.skill()}?"


async def _until_event(
    scene: Scene, found: Callable[[list[dict[str, Any]]], bool], timeout: float
) -> list[dict[str, Any]]:
    """The room's history once ``found`` holds for it, or after ``timeout``; then ``QUIET / 2``
    seconds more, so that a second copy sent a moment later is in it too."""

    async def check() -> bool:
        return found(await scene.events())

    await keep_checking(check, timeout, interval=1)
    await asyncio.sleep(QUIET / 2)
    return await scene.events()


async def poll_start_kill(scene: Scene, moment: Moment) -> PollOutcome:
    """``!poll``, killed -9 as soon as its reply (or its poll card) arrives, then restarted:
    the poll must be posted exactly once."""
    question = poll_question(scene)
    sent = await scene.observer.say(scene.room_id, f"!poll {question} | yes | no")
    if moment == "reply":
        await scene.until(
            lambda: any(seen.replies_to == sent for seen in scene.bot_notices()), 60, "reply"
        )
    else:
        await scene.until(lambda: _card_seen(scene, question), 60, "poll card")
    await scene.bot.kill()
    await scene.bot.start()
    await scene.probe()
    events = await _until_event(
        scene, lambda events: bool(poll_starts(events, scene.bot_user, question)), 60
    )
    starts = poll_starts(events, scene.bot_user, question)
    return PollOutcome(
        question,
        f"after the {moment}",
        replies_by_command(events, scene.bot_user, [sent])[sent],
        len(starts),
        poll_ends(events, scene.bot_user, starts),
        *recorded_poll(scene.database, question),
    )


async def poll_close_kill(scene: Scene) -> PollOutcome:
    """A poll opened and posted; ``!poll close``, killed -9 as soon as its reply arrives, then
    restarted: the poll must end, once."""
    question = poll_question(scene)
    opened = await scene.observer.say(scene.room_id, f"!poll {question} | yes | no")
    reply = await scene.observer.answer_to(opened, timeout=60)
    await scene.until(lambda: _card_seen(scene, question), 60, "poll card")
    found = _REF.search(reply.body)
    assert found is not None, f"no poll ref in {reply.body!r}"
    closing = await scene.observer.say(scene.room_id, f"!poll close {found.group()}")
    await scene.until(
        lambda: any(seen.replies_to == closing for seen in scene.bot_notices()), 60, "reply"
    )
    await scene.bot.kill()
    await scene.bot.start()
    await scene.probe()

    def ended(events: list[dict[str, Any]]) -> bool:
        return poll_ends(events, scene.bot_user, poll_starts(events, scene.bot_user, question)) > 0

    events = await _until_event(scene, ended, 30)
    starts = poll_starts(events, scene.bot_user, question)
    return PollOutcome(
        question,
        "after the reply to !poll close",
        replies_by_command(events, scene.bot_user, [closing])[closing],
        len(starts),
        poll_ends(events, scene.bot_user, starts),
        *recorded_poll(scene.database, question),
    )


def _card_seen(scene: Scene, question: str) -> bool:
    return any(
        seen.type == POLL_START
        and seen.sender == scene.bot_user
        and _question_of(seen.content) == question
        for seen in scene.observer.seen
    )


# --- bad starts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exit:
    """How a start that must fail ended: its code (None: still running after the limit, so
    killed), how long it took, and what it wrote on stderr."""

    case: str
    returncode: int | None
    seconds: float
    stderr: str
    names: str  # the file, folder or URL the error line must name

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


async def exit_of(case: str, config: Path, password: str, names: str) -> Exit:
    """Start the bot and wait for it to exit (``EXIT_LIMIT`` and a margin, then SIGKILL)."""
    log = config.with_name(f"{config.stem}.stderr")
    started = time.monotonic()
    with log.open("wb") as sink:
        process = await spawn_bot(config, password, sink)
    returncode: int | None
    try:
        returncode = await asyncio.wait_for(process.wait(), EXIT_LIMIT + 5)
    except TimeoutError:
        returncode = None
        process.kill()
        await process.wait()
    seconds = time.monotonic() - started
    return Exit(case, returncode, seconds, log.read_text(errors="replace"), names)


@dataclass(frozen=True)
class Account:
    """The bot's account on the homeserver, for starts that must get far enough to fail."""

    homeserver: str
    user_id: str
    password: str


async def run_once(account: Account, directory: Path) -> tuple[Path, Path]:
    """Start the bot, wait until it has synced once (its database has a sync position),
    stop it; the config and its database."""
    store_path, database = directory / "bot", directory / "bot" / "compagnon.sqlite3"
    config = write_config(
        directory / "compagnon.toml",
        homeserver=account.homeserver,
        user_id=account.user_id,
        store_path=store_path,
        database=database,
    )
    bot = BotProcess(config, account.password, directory / "bot.log")
    await bot.start()
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while not _synced_once(database):
            if loop.time() > deadline or not bot.running:
                raise RuntimeError(f"the bot never synced; its log ends with:\n{bot.tail()}")
            await asyncio.sleep(0.2)
    finally:
        await bot.stop()
    _drop_journal(database)
    return config, database


def _drop_journal(database: Path) -> None:
    """A clean stop leaves no WAL; the damage done next must be the file's alone."""
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def _synced_once(database: Path) -> bool:
    """The bot wrote a sync position down: it has run, and the file is its ledger."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            return bool(db.execute("SELECT count(*) FROM sync_position").fetchone() == (1,))
    except sqlite3.Error:
        return False


def _fresh_config(account: Account, directory: Path, homeserver: str | None = None) -> Path:
    return write_config(
        directory / "compagnon.toml",
        homeserver=homeserver or account.homeserver,
        user_id=account.user_id,
        store_path=directory / "bot",
        database=directory / "bot" / "compagnon.sqlite3",
    )


async def unwritable_folder(account: Account, directory: Path) -> Exit:
    """The data folder is read-only (0500). Root writes through that, so for root the data
    sits under a regular file instead, which no one can make a folder of."""
    data = directory / "data"
    data.mkdir()
    data.chmod(0o500)
    blocked = data
    if _writable(data):
        data.chmod(0o700)
        blocked = directory / "not-a-folder"
        blocked.write_text("a regular file\n", encoding="utf-8")
        data = blocked / "sub"
    config = write_config(
        directory / "compagnon.toml",
        homeserver=account.homeserver,
        user_id=account.user_id,
        store_path=data / "store",
        database=data / "compagnon.sqlite3",
    )
    try:
        return await exit_of("data folder not writable", config, account.password, str(blocked))
    finally:
        if blocked.is_dir():
            blocked.chmod(0o700)  # so that the temporary directory can be removed


def _writable(folder: Path) -> bool:
    if not os.access(folder, os.W_OK):
        return False
    probe = folder / ".probe"
    try:
        probe.write_text("", encoding="utf-8")
    except OSError:
        return False
    probe.unlink()
    return True


async def garbage_database(account: Account, directory: Path) -> Exit:
    config = _fresh_config(account, directory)
    database = directory / "bot" / "compagnon.sqlite3"
    database.parent.mkdir(parents=True)
    database.write_bytes(random.Random(7).randbytes(64 * 1024))
    return await exit_of("database is random bytes", config, account.password, str(database))


async def emptied_database(account: Account, directory: Path) -> Exit:
    """The bot ran (its session and sync position are kept), then the database was emptied:
    starting afresh would answer nothing twice only by luck, and lose the whole ledger."""
    config, database = await run_once(account, directory)
    database.write_bytes(b"")
    return await exit_of("database emptied after a run", config, account.password, str(database))


async def garbled_database(account: Account, directory: Path) -> Exit:
    """The bot ran, then one page in the middle of its database was overwritten."""
    config, database = await run_once(account, directory)
    size = database.stat().st_size
    page = 4096
    assert size >= 3 * page, f"a database of {size} bytes has no middle page"
    middle = (size // page // 2) * page
    with database.open("r+b") as handle:
        handle.seek(middle)
        handle.write(random.Random(11).randbytes(page))
    return await exit_of("database with a garbled page", config, account.password, str(database))


async def malformed_url(account: Account, directory: Path) -> Exit:
    url = "htp//nowhere"
    config = _fresh_config(account, directory, homeserver=url)
    return await exit_of("malformed homeserver URL", config, account.password, url)


BAD_STARTS: Mapping[str, Callable[[Account, Path], Awaitable[Exit]]] = {
    "unwritable_folder": unwritable_folder,
    "garbage_database": garbage_database,
    "emptied_database": emptied_database,
    "garbled_database": garbled_database,
    "malformed_url": malformed_url,
}


@dataclass(frozen=True)
class Retrying:
    """A bot whose homeserver does not answer: its log lines naming it before the signal, and
    how the signal ended it."""

    signal: str
    address: str
    retry_lines: int
    exit: Exit


async def unreachable(account: Account, directory: Path, signum: int, wait: float = 20) -> Retrying:
    """Homeserver on a closed port: until two log lines name it (or ``wait`` seconds), then
    ``signum``; the bot must then exit within ``EXIT_LIMIT``."""
    address = f"127.0.0.1:{free_port()}"
    config = _fresh_config(account, directory, homeserver=f"http://{address}")
    log = directory / "bot.log"
    with log.open("wb") as sink:
        process = await spawn_bot(config, account.password, sink)
    name = signal.Signals(signum).name

    async def retried_or_gone() -> bool:
        return process.returncode is not None or _naming(log, address) >= 2

    await keep_checking(retried_or_gone, wait, interval=0.2)
    retry_lines = _naming(log, address)
    started = time.monotonic()
    returncode: int | None = process.returncode
    if returncode is None:
        process.send_signal(signum)
        try:
            returncode = await asyncio.wait_for(process.wait(), EXIT_LIMIT + 5)
        except TimeoutError:
            process.kill()
            await process.wait()
    stderr = log.read_text(errors="replace")
    case = f"unreachable homeserver, {name}"
    return Retrying(
        name, address, retry_lines, Exit(case, returncode, time.monotonic() - started, stderr, "")
    )


def _naming(log: Path, address: str) -> int:
    return sum(1 for line in log.read_text(errors="replace").splitlines() if address in line)


# --- the long version ----------------------------------------------------------------------------


@dataclass
class Report:
    seed: int
    counts: list[Count] = field(default_factory=list)
    polls: list[PollOutcome] = field(default_factory=list)
    exits: list[Exit] = field(default_factory=list)
    retrying: list[Retrying] = field(default_factory=list)


PASSWORD = "bench-password"


class Bench:
    """One Synapse, fresh members, a fresh bot account and folder for each scenario."""

    def __init__(self, synapse: LocalSynapse, directory: Path, seed: int) -> None:
        self.synapse = synapse
        self.directory = directory
        self.rng = random.Random(seed)
        self._numbers = iter(range(1, 1_000_000))

    async def account(self) -> tuple[Account, Path]:
        number = next(self._numbers)
        user_id = await self.synapse.register(f"compagnon{number}", PASSWORD)
        folder = self.directory / f"run{number}"
        folder.mkdir()
        return Account(self.synapse.url, user_id, PASSWORD), folder

    @contextlib.asynccontextmanager
    async def scene(self, members: int) -> AsyncIterator[Scene]:
        account, folder = await self.account()
        clients: list[MemberClient] = []
        try:
            for name in ("alice", "bob", "chloe", "dara", "emile")[:members]:
                localpart = f"{name}{next(self._numbers)}"
                user_id = await self.synapse.register(localpart, PASSWORD)
                client = MemberClient(self.synapse.url, user_id, PASSWORD, folder / localpart)
                await client.start()
                clients.append(client)
            async with scene(
                self.synapse.url, clients, account.user_id, PASSWORD, folder, self.rng
            ) as made:
                yield made
        finally:
            for client in clients:
                await client.close()


async def run_bench(directory: Path, kills: int, backlog: int, seed: int) -> Report:
    report = Report(seed)
    synapse = LocalSynapse(directory / "synapse")
    await synapse.start()
    try:
        bench = Bench(synapse, directory, seed)
        async with bench.scene(members=4) as stage:
            report.counts.append(await live_burst(stage, kills))
        async with bench.scene(members=3) as stage:
            report.counts.append(await catch_up(stage, backlog, kills=kills))
        for moment in ("reply", "card"):
            async with bench.scene(members=1) as stage:
                await stage.first_start()
                for _ in range(kills):
                    report.polls.append(await poll_start_kill(stage, moment))
        async with bench.scene(members=1) as stage:
            await stage.first_start()
            for _ in range(kills):
                report.polls.append(await poll_close_kill(stage))
        for attack in BAD_STARTS.values():
            account, folder = await bench.account()
            report.exits.append(await attack(account, folder))
        for signum in (signal.SIGTERM, signal.SIGINT):
            account, folder = await bench.account()
            report.retrying.append(await unreachable(account, folder, signum))
    finally:
        await synapse.stop()
    return report


def table(report: Report) -> str:
    """The counts, a row per scenario; then the bad starts, a line each."""
    polls = [
        count_polls(f"kill -9 {moment}", [o for o in report.polls if o.moment == moment])
        for moment in dict.fromkeys(outcome.moment for outcome in report.polls)
    ]
    head = ("scenario", "kills", "sent", "once", "twice+", "rec-unans", "lost", "ans-unrec")
    rows = [head] + [
        (
            count.scenario,
            *map(
                str,
                (
                    count.kills,
                    count.sent,
                    count.once,
                    count.twice,
                    count.recorded_unanswered,
                    count.lost,
                    count.answered_unrecorded,
                ),
            ),
        )
        for count in (*report.counts, *polls)
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [f"seed {report.seed}; for polls, sent = rounds and the answer = the card or end event"]
    for row in rows:
        cells = zip(row, widths, strict=True)
        lines.append(
            "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(cells))
        )
    lines += ["", "bad starts (must exit non-zero within 10 s, one stderr line naming the cause)"]
    for bad in report.exits:
        first = bad.lines[0] if bad.lines else "(nothing)"
        lines.append(
            f"  {bad.case}: exit {bad.returncode} after {bad.seconds:.1f} s, "
            f"{len(bad.lines)} stderr line(s); first: {first[:160]}"
        )
    for retry in report.retrying:
        lines.append(
            f"  {retry.exit.case}: {retry.retry_lines} log line(s) naming {retry.address}; "
            f"exit {retry.exit.returncode} {retry.exit.seconds:.1f} s after {retry.signal}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument(
        "--kills", type=int, default=10, help="kills per scenario, and poll rounds per kind"
    )
    parser.add_argument("--backlog", type=int, default=300, help="commands sent while down")
    parser.add_argument("--seed", type=int, default=None, help="for the random kill moments")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args(argv)
    if arguments.kills < 1:
        parser.error("--kills must be at least 1")
    seed = arguments.seed if arguments.seed is not None else random.randrange(2**32)
    with tempfile.TemporaryDirectory(prefix="compagnon-faults-") as directory:
        report = asyncio.run(run_bench(Path(directory), arguments.kills, arguments.backlog, seed))
    print(table(report))
    if arguments.json is not None:
        arguments.json.write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
    failed = any(count.failures for count in report.counts) or any(
        (o.ends if o.closing else o.starts) != 1 for o in report.polls
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
