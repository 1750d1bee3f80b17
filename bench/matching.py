"""Mentorship matching at community scale, and one member's ``!match``: does it stay quick?

1. The community-wide assignment (``bot.domain.matching.assign``) on synthetic communities
   of 100, 1,000 and 10,000 members built in memory, no database: each member offers ~3
   skills and needs ~3 (200 skills of Zipf-like popularity, offers at higher levels than
   needs, needs up to a year old), ~1% of members have a declined pair and ~1% a past one,
   and one need in ten is already in an open match, taking a place in an offer's capacity.
   Read the growth t(10,000)/t(1,000): near 10, the cost follows the community; near 100,
   it follows the square of the most popular skill.
2. One member's ``!match`` (suggestions) at 10,000 members, through the real dispatcher
   and SQLite store, on the ledger benchmark's year of history (``bench.ledger.populate``)
   plus matches drawn the same way as in 1, each command from a different member who has
   an open offer or need.

The process is pinned to one CPU, as in ``bench.ledger``, for the same reason.

    python -m bench.matching [--repeat N] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import logging
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from bench.ledger import (
    ROOM,
    SEED,
    YEAR,
    RecordingTransport,
    Timing,
    config,
    pin_to_one_cpu,
    popular_skill,
    populate,
    timing,
    user_id,
)
from bot.app import ROUTERS
from bot.clock import SystemClock
from bot.commands.dispatcher import Dispatcher
from bot.domain.matching import History, Need, Offer, Weights, assign
from bot.messages import IncomingMessage
from bot.polls import PollKeeper
from bot.scheduler import Scheduler
from bot.store import matches
from bot.store.database import Database
from bot.store.matches import OPEN_STATES

SIZES = (100, 1_000, 10_000)
GROWTH_TARGET = 15  # t(10,000)/t(1,000): 10 is linear
LEVELS = (1, 2, 3, 4, 5)
OFFER_LEVELS = (1, 2, 3, 3, 2)  # weights of LEVELS: mentors tend to know more...
NEED_LEVELS = (3, 3, 2, 1, 1)  # ...than mentees
MOST_LISTINGS = 6  # of each kind per member, drawn evenly from 0: ~3 offers and ~3 needs
DECLINED_SHARE = PAST_SHARE = 0.01  # of members: one declined pair, one finished pair
OPEN_SHARE = 0.1  # of needs: in an open match, which takes a place in the offer's capacity

MATCH_MEMBERS = 10_000
MATCH_RECORDS = 100_000  # bench.ledger's large community: ~2.8 open offers, ~2 needs each
MATCH_COMMANDS = 200  # each from a different member
MATCH_WARM_UP = 10
P95_TARGET_MS = 50.0


@dataclass(frozen=True)
class PastMatch:
    need: Need
    offer: Offer
    state: str  # as in the match table

    @property
    def triple(self) -> tuple[str, str, int]:
        return self.need.member, self.offer.member, self.need.skill_id


def past_matches(
    rng: random.Random, needs: Sequence[Need], offers: Sequence[Offer], members: int
) -> list[PastMatch]:
    """Declined, finished and open matches, each a pair the score would have allowed.

    Shared by the in-memory communities and the database, so both carry the same history.
    """
    by_skill: dict[int, list[Offer]] = defaultdict(list)
    for offer in offers:
        by_skill[offer.skill_id].append(offer)
    states = [
        *["declined"] * round(DECLINED_SHARE * members),
        *["done"] * round(PAST_SHARE * members),
        *[rng.choice(OPEN_STATES) for _ in range(round(OPEN_SHARE * len(needs)))],
    ]
    taken = Counter[int]()
    found = []
    for need, state in zip(rng.sample(list(needs), len(states)), states, strict=True):
        mentors = [
            offer
            for offer in by_skill[need.skill_id]
            if offer.level > need.level
            and offer.member != need.member
            and taken[offer.id] < offer.capacity_left
        ]
        if mentors:
            offer = rng.choice(mentors)
            taken[offer.id] += state in OPEN_STATES
            found.append(PastMatch(need, offer, state))
    return found


@dataclass(frozen=True)
class Community:
    """What the store's loaders would return for it: open needs, offers' places, history."""

    needs: list[Need]
    offers: list[Offer]
    history: History


def listings(rng: random.Random, levels: Sequence[int]) -> list[tuple[int, int]]:
    """One member's offers or needs: (skill id, level), distinct skills by popularity."""
    skills: set[int] = set()
    wanted = rng.randint(0, MOST_LISTINGS)
    while len(skills) < wanted:
        skills.add(popular_skill(rng) + 1)
    return [(skill, rng.choices(LEVELS, levels)[0]) for skill in sorted(skills)]


def community(members: int, now: datetime, capacity: int) -> Community:
    """Seeded by its size, so every run and every ``--repeat`` times the same community."""
    rng = random.Random(f"{SEED}-{members}")
    ids = itertools.count(1)
    needs: list[Need] = []
    offers: list[Offer] = []
    for number in range(members):
        member = user_id(number)
        for skill, level in listings(rng, NEED_LEVELS):
            needs.append(Need(next(ids), member, skill, level, now - YEAR * rng.random()))
        for skill, level in listings(rng, OFFER_LEVELS):
            offers.append(Offer(next(ids), member, skill, level, capacity))
    past = past_matches(rng, needs, offers, members)
    open_ = [each for each in past if each.state in OPEN_STATES]
    busy = {each.need.id for each in open_}
    taken = Counter(each.offer.id for each in open_)
    offered: dict[str, set[int]] = defaultdict(set)
    needed: dict[str, set[int]] = defaultdict(set)
    for offer in offers:
        offered[offer.member].add(offer.skill_id)
    for need in needs:
        needed[need.member].add(need.skill_id)
    return Community(
        [need for need in needs if need.id not in busy],
        [replace(offer, capacity_left=capacity - taken[offer.id]) for offer in offers],
        History(
            offered={member: frozenset(skills) for member, skills in offered.items()},
            needed={member: frozenset(skills) for member, skills in needed.items()},
            declined=frozenset(each.triple for each in past if each.state == "declined"),
            paired_before=frozenset(
                each.triple for each in past if each.state in ("accepted", "done")
            ),
        ),
    )


@dataclass(frozen=True)
class Assignment:
    members: int
    needs: int
    offers: int
    pairs: int
    seconds: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000


def measure_assign(members: int, repeat: int) -> Assignment:
    """One size at a time: a larger community left alive would slow a smaller one's garbage
    collections, and flatter the growth."""
    now = datetime.now(UTC)
    weights = Weights()
    each = community(members, now, weights.mentor_capacity)
    seconds = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        pairs = assign(each.needs, each.offers, each.history, weights, now)
        seconds.append(time.perf_counter() - started)
    return Assignment(members, len(each.needs), len(each.offers), len(pairs), seconds)


# Every !match here is from a member with something open: the answer lists it, with
# suggestion lines naming the other side's offer or need.
ANSWER = re.compile(r"^Your (need|offer) [no]\d+")
SUGGESTION = re.compile(r"^• .*\([no]\d+\)", re.MULTILINE)


class Failures(logging.Handler):
    """The dispatcher answers a crash politely and logs it: a crash must not be timed."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass(frozen=True)
class MatchFigures:
    members: int
    records: int
    matches: int
    commands: Timing
    suggestions_per_command: float


async def add_matches(
    database: Database, rng: random.Random, now: datetime, capacity: int
) -> tuple[set[str], int]:
    """Matches over the ledger's open records, drawn as in the in-memory communities.

    Returns the members with something open and how many matches were added; the records
    themselves are dropped before timing, as a running bot would not hold them.
    """
    async with database.transaction() as tx:
        needs = await matches.open_needs(tx)
        offers = await matches.open_offers(tx, capacity)
    past = past_matches(rng, needs, offers, MATCH_MEMBERS)
    rows = []
    for each in past:
        at = (each.need.created_at + (now - each.need.created_at) * rng.random()).isoformat()
        rows.append((each.need.id, each.offer.id, *each.triple, each.state, at, at))
    async with database.transaction() as tx:
        await tx.executemany(
            "INSERT INTO match (need_id, offer_id, mentee, mentor, skill_id, state, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return {need.member for need in needs} | {offer.member for offer in offers}, len(rows)


async def measure_match(directory: Path) -> MatchFigures:
    settings = config(MATCH_COMMANDS + MATCH_WARM_UP)
    clock = SystemClock()
    rng = random.Random(f"{SEED}-match")
    failures = Failures()
    logging.getLogger("bot").addHandler(failures)
    async with contextlib.AsyncExitStack() as stack:
        stack.callback(logging.getLogger("bot").removeHandler, failures)
        database = await Database.open(directory / "match.sqlite3")
        stack.push_async_callback(database.close)
        await populate(database, MATCH_MEMBERS, MATCH_RECORDS, clock.now())
        listed, added = await add_matches(
            database, rng, clock.now(), settings.matching.mentor_capacity
        )
        transport = RecordingTransport()
        keeper = PollKeeper(settings, database, transport, clock)
        scheduler = Scheduler(settings, database, transport, clock, keeper)  # never started
        dispatcher = Dispatcher(ROUTERS, database, transport, settings, clock, scheduler, keeper)
        seconds: list[float] = []
        suggestions = 0
        gc.collect()
        # The name bench.ledger stored, so that no command renames its sender.
        numbers = [number for number in range(MATCH_MEMBERS) if user_id(number) in listed]
        for step, number in enumerate(rng.sample(numbers, MATCH_WARM_UP + MATCH_COMMANDS)):
            sender = user_id(number)
            message = IncomingMessage(
                event_id=f"$bench-match-{step}",
                room_id=ROOM,
                sender=sender,
                sender_name=f"Member {number}",
                body="!match",
                sent_at=clock.now(),
            )
            started = time.perf_counter()
            await dispatcher.handle(message)
            elapsed = time.perf_counter() - started
            reply = transport.sent[-1] if transport.sent else None
            if reply is None or reply.in_reply_to != message.event_id or failures.records:
                raise RuntimeError(f"!match from {sender}: no answer, or it failed")
            if not ANSWER.search(reply.text.plain):
                raise RuntimeError(f"!match from {sender} got {reply.text.plain!r}")
            if step >= MATCH_WARM_UP:
                seconds.append(elapsed)
                suggestions += len(SUGGESTION.findall(reply.text.plain))
    return MatchFigures(
        MATCH_MEMBERS, MATCH_RECORDS, added, timing(seconds), suggestions / MATCH_COMMANDS
    )


def peak_rss_mib() -> float:
    """The process's peak resident set so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(
    assignments: list[Assignment], growth: float, rss: float, match: MatchFigures, cpu: int | None
) -> str:
    repeat = len(assignments[0].seconds)
    lines = [
        f"assign (bot.domain.matching.assign), in memory, median of {repeat}, "
        + ("on all CPUs" if cpu is None else f"pinned to CPU {cpu}"),
        f"{'members':>8}{'needs':>8}{'offers':>8}{'pairs':>8}{'pairs/needs':>13}{'time (ms)':>12}",
        *(
            f"{each.members:>8,}{each.needs:>8,}{each.offers:>8,}{each.pairs:>8,}"
            f"{each.pairs / each.needs:>13.0%}{each.median_ms:>12.1f}"
            for each in assignments
        ),
        f"growth t({SIZES[-1]:,})/t({SIZES[-2]:,}): {growth:.1f} (target ≤ {GROWTH_TARGET})",
        f"peak RSS after the {SIZES[-1]:,}-member run: {rss:.0f} MiB",
        "",
        f"!match at {match.members:,} members, {match.records:,} records (bench.ledger) and "
        f"{match.matches:,} matches; real dispatcher and SQLite store, in-process",
        f"{match.commands.count} commands from as many members, after {MATCH_WARM_UP} unmeasured: "
        f"median {match.commands.median_ms:.1f} ms, p95 {match.commands.p95_ms:.1f} ms "
        f"(target ≤ {P95_TARGET_MS:.0f})",
        f"suggestions per answer: {match.suggestions_per_command:.1f}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="assignments timed per size")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args(argv)
    if arguments.repeat < 1:
        parser.error("--repeat must be at least 1")
    cpu = pin_to_one_cpu()
    assignments = [measure_assign(members, arguments.repeat) for members in SIZES]
    rss = peak_rss_mib()
    growth = assignments[-1].median_ms / assignments[-2].median_ms
    with tempfile.TemporaryDirectory(prefix="compagnon-bench-") as directory:
        match = asyncio.run(measure_match(Path(directory)))
    print(report(assignments, growth, rss, match, cpu))
    if arguments.json is not None:
        results = {
            "cpu": cpu,
            "assign": [
                {
                    **asdict(each),
                    "median_ms": each.median_ms,
                    "pairs_per_need": each.pairs / each.needs,
                }
                for each in assignments
            ],
            "growth": growth,
            "peak_rss_mib": rss,
            "match": asdict(match),
        }
        arguments.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
