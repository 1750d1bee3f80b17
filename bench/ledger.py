"""Ledger command handling time on a small and a large community: does it stay flat?

The real dispatcher and store answer ledger commands in-process (no Matrix, no network)
against two SQLite files holding a year of history: a SMALL community of 100 members and
a LARGE one (10,000 members and 100,000 offers, needs and contributions by default). The
commands alternate between the two, so whatever drifts during the run (the machine's
load, Python's caches) weighs on both alike, and the ratio LARGE/SMALL is what to read:
near 1, the hot paths go through indexes; far above 2, some query grows with the ledger.

The process is pinned to one CPU: each database's aiosqlite connection has its own worker
thread, and waking a thread on another CPU costs 100 to 300 µs per query on a virtual
machine, falling on one database or the other by chance; that noise would outweigh the
size of the ledger.

    python -m bench.ledger [--members N] [--records N] [--commands N] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from bisect import bisect
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.latency import percentile
from bot.app import ROUTERS
from bot.clock import SystemClock
from bot.commands.dispatcher import Dispatcher
from bot.commands.offers import PAGE_SIZE
from bot.config import BotConfig, Config, MatrixConfig, RateLimitConfig
from bot.domain.contributions import NO_DOMAIN
from bot.domain.skills import Found, choose_skill, normalise
from bot.i18n import Text
from bot.messages import IncomingMessage, PollHistory, Reply
from bot.polls import PollKeeper
from bot.scheduler import Scheduler
from bot.store.database import Database

SMALL_MEMBERS = 100
WARM_UP = 3  # unmeasured rounds of every command type per database: fill SQLite's caches
TYPO_SHARE = 0.1  # of the skills typed in commands: misspelt, found by the fuzzy search
SEED = 2026
SERVER = "bench.example"
ROOM = f"!community:{SERVER}"
YEAR = timedelta(days=365)

# Plain names first, the most popular (Zipf: the n-th skill is 1/n as popular as the first).
_SUBJECTS = (
    *("woodworking", "pottery", "sewing", "knitting", "welding", "carpentry", "upholstery"),
    *("gardening", "baking", "cooking", "composting", "beekeeping", "permaculture", "herbalism"),
    *("bike repair", "plumbing", "electricity", "masonry", "roofing", "tiling", "insulation"),
    *("bookkeeping", "accounting", "grant writing", "translation", "web design", "programming"),
    *("first aid", "facilitation", "mediation", "public speaking", "massage", "yoga"),
    *("painting", "drawing", "photography", "video editing", "guitar", "singing", "theatre"),
    *("canning", "brewing", "cheesemaking", "soapmaking", "embroidery", "screen printing"),
    *("leatherwork", "blacksmithing", "bookbinding", "juggling"),
)
SKILLS = tuple(
    pattern.format(subject)
    for pattern in ("{}", "{} basics", "advanced {}", "teaching {}")
    for subject in _SUBJECTS
)
SKILL_KEYS = tuple(normalise(name) for name in SKILLS)
POPULARITY = tuple(itertools.accumulate(1 / rank for rank in range(1, len(SKILLS) + 1)))

# What each record is, for the LARGE ledger's 100,000 and the SMALL one's 1,000 alike.
OFFER_SHARE, NEED_SHARE = 0.35, 0.25  # the rest are contributions
WITHDRAWN_SHARE = 0.2
THANKS_SHARE = 0.3  # contributions recorded by someone else, who is their first witness
DETAILS = (
    "",
    "weekends only",
    "I can show the basics in an afternoon",
    "bring your own material; the workshop has the tools",
    "happy to go slowly, in French or English, at the third place or at home",
)
WORK = (
    "fixed the door",
    "minutes of the general meeting",
    "Saturday repair café",
    "weeded the shared garden and turned the compost",
    "sorted the tool library and labelled every shelf",
)
MINUTES = (30, 45, 60, 90, 120, 180, 240)
HOURS = ("45min", "1h", "1h30", "2h", "3h")
DOMAINS = ("habitat", "transmission", "soin", "animation", "administration")

KINDS = (
    "!offer",
    "!need",
    "!offers",
    "!offers <skill>",
    "!needs <skill> --page 2",
    "!contribute",
    "!thanks",
    "!confirm",
    "!withdraw",
)
# The answer each command must get, so a refusal is never timed as if it were the work.
EXPECTED = {
    "!offer": re.compile(r"^(Offer o\d+ recorded|You already offered)"),
    "!need": re.compile(r"^(Need n\d+ recorded|You already had this need)"),
    "!offers": re.compile(r"^Open offers \(page 1\)"),
    "!offers <skill>": re.compile(r"^(Open offers for .+ \(page 1\)|No open offers yet)"),
    "!needs <skill> --page 2": re.compile(r"^Open needs for .+ \(page 2\)"),
    "!contribute": re.compile(r"^Contribution c\d+ recorded"),
    "!thanks": re.compile(r"^Member \d+ thanks .+! Contribution c\d+ recorded"),
    "!confirm": re.compile(
        r"^(Thank you Member \d+! You confirm|You already confirmed) c\d+"
        r"|^You arrived recently"  # a member first seen in the last 30 days
    ),
    "!withdraw": re.compile(r"^o\d+ \(.+\) is withdrawn\."),
}


def user_id(number: int) -> str:
    return f"@member{number}:{SERVER}"


def popular_skill(rng: random.Random, among: int = len(SKILLS)) -> int:
    """A skill's index, drawn by popularity among the ``among`` most popular."""
    return bisect(POPULARITY, rng.random() * POPULARITY[among - 1], hi=among - 1)


@dataclass(frozen=True)
class Ledger:
    """What was written, to choose commands that make sense on it."""

    members: int
    offers: int
    needs: int
    contributions: int
    confirmations: int
    open_offers: list[tuple[int, int]]  # (id, member): each is withdrawn once, by its owner
    recorded: list[tuple[int, int]]  # contributions: (id, member), for !confirm
    open_needs: Counter[int]  # by skill index: which skills have a second page of needs


async def populate(database: Database, members: int, records: int, now: datetime) -> Ledger:
    """A year of history, bulk-inserted in one transaction: the setup, not what is measured."""
    rng = random.Random(SEED)

    def moment() -> datetime:
        return now - YEAR * rng.random()

    def later(start: datetime) -> datetime:
        return start + (now - start) * rng.random()

    offers, needs = round(records * OFFER_SHARE), round(records * NEED_SHARE)
    listing_rows: list[tuple[object, ...]] = []
    open_offers: list[tuple[int, int]] = []
    open_needs = Counter[int]()
    open_keys: set[tuple[str, int, int]] = set()
    kinds = ["offer"] * offers + ["need"] * needs
    rng.shuffle(kinds)
    for number, (kind, at) in enumerate(
        zip(kinds, sorted(moment() for _ in kinds), strict=True), start=1
    ):
        member, skill = rng.randrange(members), popular_skill(rng)
        withdrawn = rng.random() < WITHDRAWN_SHARE or (kind, member, skill) in open_keys
        if not withdrawn:
            open_keys.add((kind, member, skill))
            if kind == "offer":
                open_offers.append((number, member))
            else:
                open_needs[skill] += 1
        listing_rows.append(
            (
                number,
                kind,
                user_id(member),
                skill + 1,
                rng.randint(1, 5),
                rng.choice(DETAILS),
                ROOM,
                at.isoformat(),
                later(at).isoformat() if withdrawn else None,
            )
        )

    contribution_rows: list[tuple[object, ...]] = []
    confirmation_rows: list[tuple[object, ...]] = []
    recorded: list[tuple[int, int]] = []
    contributions = records - offers - needs
    for number, at in enumerate(sorted(moment() for _ in range(contributions)), start=1):
        member = rng.randrange(members)
        witnesses = rng.sample(range(members), 3)
        if member in witnesses:
            witnesses.remove(member)
        thanked = rng.random() < THANKS_SHARE
        recorder = witnesses[0] if thanked else member
        untold = thanked and rng.random() < 0.2  # a thanks may name neither hours nor domain
        contribution_rows.append(
            (
                number,
                user_id(member),
                None if untold else rng.choice(MINUTES),
                NO_DOMAIN if untold else rng.choice(DOMAINS),
                rng.choice(WORK),
                user_id(recorder),
                ROOM,
                at.isoformat(),
                f"$record{number}",
            )
        )
        recorded.append((number, member))
        for witness in witnesses[: rng.choice((0, 1, 1, 2)) + thanked]:
            reaction = f"$reaction{number}-{witness}" if rng.random() < 0.5 else None
            confirmation_rows.append((number, user_id(witness), reaction, later(at).isoformat()))

    async with database.transaction() as tx:
        await tx.executemany(
            "INSERT INTO member (user_id, display_name, first_seen) VALUES (?, ?, ?)",
            [(user_id(n), f"Member {n}", moment().isoformat()) for n in range(members)],
        )
        await tx.executemany(
            "INSERT INTO skill (id, key, name) VALUES (?, ?, ?)",
            [(n + 1, SKILL_KEYS[n], name) for n, name in enumerate(SKILLS)],
        )
        await tx.executemany(
            "INSERT INTO listing (id, kind, member, skill_id, level, details, room_id, "
            "created_at, withdrawn_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            listing_rows,
        )
        await tx.executemany(
            "INSERT INTO contribution (id, member, minutes, domain, what, recorded_by, room_id, "
            "created_at, record_event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            contribution_rows,
        )
        await tx.executemany(
            "INSERT INTO confirmation (contribution_id, confirmer, via_event, created_at) "
            "VALUES (?, ?, ?, ?)",
            confirmation_rows,
        )
    return Ledger(
        members,
        offers,
        needs,
        contributions,
        len(confirmation_rows),
        open_offers,
        recorded,
        open_needs,
    )


class RecordingTransport:
    """Keeps the replies instead of sending them.

    Commands name members by their full id, so the room lists only the command's sender and
    whom it names (``!thanks`` wants them there), with no display names: listing everyone
    would time the name checks over the whole community, not the store this bench is for.
    """

    def __init__(self) -> None:
        self.sent: list[Reply] = []
        self.present: tuple[str, ...] = ()

    async def send_reply(self, reply: Reply) -> str:
        self.sent.append(reply)
        return f"$reply{len(self.sent)}"

    async def power_level(self, room_id: str, user_id: str) -> float:
        return 0.0

    def room_members(self, room_id: str) -> dict[str, str]:
        return {member: member for member in self.present} if room_id == ROOM else {}

    async def send_file_privately(
        self, user_id: str, filename: str, data: bytes, text: str
    ) -> None:
        raise NotImplementedError("no ledger command sends a file")

    async def open_shared_room(self, user_ids: Sequence[str], name: str, text: Text) -> str:
        raise NotImplementedError("no ledger command opens a room")

    async def send_privately(self, user_id: str, text: Text) -> None:
        raise NotImplementedError("no ledger command answers in private")

    async def leave_private_room(self, room_id: str) -> None:
        raise NotImplementedError("no ledger command forgets a member")

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
        raise NotImplementedError("no ledger command opens a poll")

    async def end_poll(self, room_id: str, start_event: str, text: str, txn_id: str) -> str:
        raise NotImplementedError("no ledger command ends a poll")

    async def poll_history(self, room_id: str, start_event: str) -> PollHistory | None:
        raise NotImplementedError("no ledger command reads a poll")

    async def post(
        self,
        room_id: str,
        text: Text,
        txn_id: str,
        thread_root: str | None = None,
        mentions: Sequence[str] = (),
    ) -> str:
        raise NotImplementedError("no ledger command posts a digest")

    async def post_image(
        self, room_id: str, png: bytes, alt: str, txn_id: str, thread_root: str | None = None
    ) -> str:
        raise NotImplementedError("no ledger command posts a chart")


@dataclass(frozen=True)
class Step:
    """One command of the run, the same for both databases: its type and the skill typed."""

    kind: str
    skill: str = ""
    misspelt: bool = False


def misspell(index: int, rng: random.Random) -> str | None:
    """The skill with one letter doubled or dropped, still found (only) by the fuzzy search."""
    name = SKILLS[index]
    positions = [n for n, char in enumerate(name) if char.isalpha()]
    rng.shuffle(positions)
    for position in positions:
        typo = name[:position] + name[position] * rng.choice((0, 2)) + name[position + 1 :]
        choice = choose_skill(typo, SKILL_KEYS, {})
        if choice.found is Found.FUZZY and choice.key == SKILL_KEYS[index]:
            return typo
    return None


def plan(count: int, rng: random.Random, page_two: int) -> list[Step]:
    """Every command type equally often, shuffled; skills by popularity, some misspelt.

    ``page_two``: how many of the most popular skills have a second page of open needs.
    """
    kinds = [KINDS[number % len(KINDS)] for number in range(count)]
    rng.shuffle(kinds)
    steps = []
    for kind in kinds:
        if kind in ("!offers", "!contribute", "!thanks", "!confirm", "!withdraw"):
            steps.append(Step(kind))
            continue
        index = popular_skill(rng, page_two if kind == "!needs <skill> --page 2" else len(SKILLS))
        typo = misspell(index, rng) if rng.random() < TYPO_SHARE else None
        steps.append(Step(kind, typo or SKILLS[index], typo is not None))
    return steps


@dataclass
class Community:
    """One database, its dispatcher, and the time each command type took on it."""

    name: str
    path: Path
    ledger: Ledger
    dispatcher: Dispatcher
    transport: RecordingTransport
    rng: random.Random
    withdrawable: list[tuple[int, int]]
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    def message(self, step: Step) -> IncomingMessage:
        """The step as some member types it here; !confirm and !withdraw name real records."""
        rng = self.rng
        sender = rng.randrange(self.ledger.members)
        mentions: tuple[str, ...] = ()
        match step.kind:
            case "!offer":
                body = f"!offer {step.skill} {rng.randint(1, 5)} : {rng.choice(DETAILS[1:])}"
            case "!need":
                body = f"!need {step.skill}"
            case "!offers":
                body = "!offers"
            case "!offers <skill>":
                body = f"!offers {step.skill}"
            case "!needs <skill> --page 2":
                body = f"!needs {step.skill} --page 2"
            case "!contribute":
                body = f"!contribute {rng.choice(HOURS)} {rng.choice(DOMAINS)} : {rng.choice(WORK)}"
            case "!thanks":
                thanked = user_id(
                    (sender + rng.randrange(1, self.ledger.members)) % self.ledger.members
                )
                body, mentions = f"!thanks {thanked} : {rng.choice(WORK)}", (thanked,)
            case "!confirm":
                number, member = rng.choice(self.ledger.recorded)
                sender = (member + rng.randrange(1, self.ledger.members)) % self.ledger.members
                body = f"!confirm c{number}"
            case "!withdraw":
                number, sender = self.withdrawable.pop()
                body = f"!withdraw o{number}"
        return IncomingMessage(
            event_id=f"$bench-{self.name}-{next(self._ids)}",
            room_id=ROOM,
            sender=user_id(sender),
            sender_name=f"Member {sender}",
            body=body,
            sent_at=datetime.now(UTC),
            mentions=mentions,
        )

    async def run(self, step: Step, timed: bool) -> None:
        """Handle one command end to end, and check that it got the answer it should."""
        message = self.message(step)
        self.transport.present = (message.sender, *message.mentions)
        started = time.perf_counter()
        await self.dispatcher.handle(message)
        elapsed = time.perf_counter() - started
        reply = self.transport.sent[-1] if self.transport.sent else None
        if reply is None or reply.in_reply_to != message.event_id:
            raise RuntimeError(f"{self.name}: no answer to {message.body!r}")
        if not EXPECTED[step.kind].search(reply.text.plain):
            raise RuntimeError(f"{self.name}: {message.body!r} got {reply.text.plain!r}")
        if timed:
            self.latencies[step.kind].append(elapsed)


def config(commands: int) -> Config:
    return Config(
        matrix=MatrixConfig(
            homeserver="http://127.0.0.1:1", user_id=f"@compagnon:{SERVER}", password="unused"
        ),
        # The small community's 100 members share every command: no throttle notices.
        bot=BotConfig(
            language="en", rate_limit=RateLimitConfig(burst=commands, per_minute=1_000_000)
        ),
    )


@dataclass(frozen=True)
class Timing:
    median_ms: float
    p95_ms: float
    count: int


@dataclass(frozen=True)
class Figures:
    members: int
    records: int
    offers: int
    needs: int
    contributions: int
    confirmations: int
    size_mib: float
    by_command: dict[str, Timing]
    overall: Timing


def timing(seconds: list[float]) -> Timing:
    return Timing(statistics.median(seconds) * 1000, percentile(seconds, 95) * 1000, len(seconds))


def size_mib(path: Path) -> float:
    """The file's size with the write-ahead log folded into it."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size / 2**20


async def open_community(
    stack: contextlib.AsyncExitStack,
    directory: Path,
    name: str,
    members: int,
    records: int,
    commands: int,
) -> Community:
    path = directory / f"{name}.sqlite3"
    database = await Database.open(path)
    stack.push_async_callback(database.close)
    clock = SystemClock()
    ledger = await populate(database, members, records, clock.now())
    transport = RecordingTransport()
    settings = config(commands)
    keeper = PollKeeper(settings, database, transport, clock)
    scheduler = Scheduler(settings, database, transport, clock, keeper)  # never started
    dispatcher = Dispatcher(ROUTERS, database, transport, settings, clock, scheduler, keeper)
    rng = random.Random(f"{SEED}-{name}")
    withdrawable = rng.sample(ledger.open_offers, len(ledger.open_offers))
    return Community(name, path, ledger, dispatcher, transport, rng, withdrawable)


async def measure(
    directory: Path, members: int, records: int, commands: int
) -> tuple[dict[str, Figures], list[Step]]:
    small_records = round(records * SMALL_MEMBERS / members)
    async with contextlib.AsyncExitStack() as stack:
        communities = [
            await open_community(
                stack, directory, name, size, count, commands + WARM_UP * len(KINDS)
            )
            for name, size, count in (
                ("small", SMALL_MEMBERS, small_records),
                ("large", members, records),
            )
        ]
        # A second page must exist in both: members ask for it after page 1 said "More".
        page_two = next(
            (
                index
                for index in range(len(SKILLS))
                if any(c.ledger.open_needs[index] <= PAGE_SIZE for c in communities)
            ),
            len(SKILLS),
        )
        if page_two == 0:
            raise SystemExit("no skill has two pages of open needs: raise --records")
        rng = random.Random(SEED)
        warm_up = plan(WARM_UP * len(KINDS), rng, page_two)
        steps = plan(commands, rng, page_two)
        gc.collect()
        for timed, run in ((False, warm_up), (True, steps)):
            for number, step in enumerate(run):
                # Interleaved, and each goes first half the time: drift falls on both alike.
                for community in communities[:: 1 if number % 2 else -1]:
                    await community.run(step, timed)
    figures = {}
    for each in communities:
        ledger = each.ledger
        figures[each.name] = Figures(
            members=ledger.members,
            records=ledger.offers + ledger.needs + ledger.contributions,
            offers=ledger.offers,
            needs=ledger.needs,
            contributions=ledger.contributions,
            confirmations=ledger.confirmations,
            size_mib=size_mib(each.path),
            by_command={kind: timing(each.latencies[kind]) for kind in KINDS},
            overall=timing([s for kind in KINDS for s in each.latencies[kind]]),
        )
    return figures, steps


def ratios(figures: dict[str, Figures]) -> dict[str, float]:
    small, large = figures["small"].overall, figures["large"].overall
    return {"median": large.median_ms / small.median_ms, "p95": large.p95_ms / small.p95_ms}


def misspellings(steps: list[Step]) -> tuple[int, int]:
    """How many commands named a skill, and how many of those misspelt it."""
    typed = [step for step in steps if step.skill]
    return len(typed), sum(step.misspelt for step in typed)


def report(figures: dict[str, Figures], steps: list[Step], cpu: int | None) -> str:
    small, large = figures["small"], figures["large"]
    typed, misspelt = misspellings(steps)
    lines = [
        f"{len(steps)} commands per database, interleaved, after {WARM_UP * len(KINDS)} "
        "unmeasured; in-process, real dispatcher and SQLite store, "
        + ("on all CPUs" if cpu is None else f"pinned to CPU {cpu}"),
        *(
            f"{name}: {each.members} members, {each.records} records ({each.offers} offers, "
            f"{each.needs} needs, {each.contributions} contributions), {each.confirmations} "
            f"confirmations, {each.size_mib:.1f} MiB"
            for name, each in figures.items()
        ),
        f"skills typed: {typed}, {misspelt} misspelt ({misspelt / typed:.0%}, "
        "the fuzzy path), the rest exact",
        f"{'':25}{'small (ms)':>16}{'large (ms)':>16}{'large/small':>14}",
        f"{'':25}{'median':>8}{'p95':>8}{'median':>8}{'p95':>8}{'median':>7}{'p95':>7}",
    ]
    rows = [(kind, small.by_command[kind], large.by_command[kind]) for kind in KINDS]
    for label, ours, theirs in [*rows, ("overall", small.overall, large.overall)]:
        lines.append(
            f"{label:25}{ours.median_ms:>8.2f}{ours.p95_ms:>8.2f}{theirs.median_ms:>8.2f}"
            f"{theirs.p95_ms:>8.2f}{theirs.median_ms / ours.median_ms:>7.2f}"
            f"{theirs.p95_ms / ours.p95_ms:>7.2f}"
        )
    ratio = ratios(figures)
    lines.append(f"ratio large/small median {ratio['median']:.2f} p95 {ratio['p95']:.2f}")
    return "\n".join(lines)


def pin_to_one_cpu() -> int | None:
    """The CPU the process and the threads it starts from now on run on (Linux only)."""
    if sys.platform != "linux":
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ledger", description=__doc__)
    parser.add_argument("--members", type=int, default=10_000, help="in the large community")
    parser.add_argument("--records", type=int, default=100_000, help="in the large community")
    parser.add_argument("--commands", type=int, default=300, help="measured, per database")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args(argv)
    if arguments.members <= SMALL_MEMBERS:
        parser.error(f"--members must be above the small community's {SMALL_MEMBERS}")
    if arguments.commands < 2 * len(KINDS):
        parser.error(f"--commands must be at least {2 * len(KINDS)}, for a p95 of each type")
    cpu = pin_to_one_cpu()
    with tempfile.TemporaryDirectory(prefix="compagnon-bench-") as directory:
        figures, steps = asyncio.run(
            measure(Path(directory), arguments.members, arguments.records, arguments.commands)
        )
    print(report(figures, steps, cpu))
    if arguments.json is not None:
        results = {
            "members": arguments.members,
            "records": arguments.records,
            "commands": arguments.commands,
            "cpu": cpu,
            "skills_typed_misspelt": misspellings(steps),
            **{name: asdict(each) for name, each in figures.items()},
            "ratio": ratios(figures),
        }
        arguments.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
