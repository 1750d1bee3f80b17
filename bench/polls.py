"""Weighted polls at community scale: counting a poll and freezing its weights, 1k vs 10k.

Two communities, each in its own SQLite file with a year of history from the ledger
benchmark (``bench.ledger.populate``): 1,000 members with 10,000 contributions and 10,000
members with 100,000 (most confirmed, some not yet, a third of them thanks), and in each a
poll that every member answered, three response events per voter on average:

1. Counting the poll at its close, as the bot does: its response events and frozen
   weights read from SQLite (``bot.store.polls``), the latest valid response per voter
   (``bot.domain.tally.ballots``), then the weighted totals (``tally``). The events carry
   what a real poll gets: changed votes, unvotes (an empty selection), a few spoiled
   responses (unknown answer, no answers list) and redacted ones, repeated and surplus
   selections, and some sent after the close.
2. Freezing the weights when a poll opens (``bot.store.weights.freeze``): the
   whole community's confirmed contributions read in one query and weighed with numpy,
   bounded by the trust of its first five members as moderators (``bot.domain.trust``).

Both are timed alternately on the two communities, each going first half the time, so
whatever drifts during the run weighs on both alike; read the growth t(10k)/t(1k): near
10, the cost follows the community; far above, something grows faster than it. The
process is pinned to one CPU, as in ``bench.ledger``, for the same reason.

    python -m bench.polls [--repeat N] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.ledger import ROOM, SEED, pin_to_one_cpu, populate, user_id
from bot.domain.tally import ballots, tally
from bot.domain.weighting import WeightRule
from bot.store import polls
from bot.store.database import Database
from bot.store.weights import Trust, freeze

SIZES = (1_000, 10_000)  # members, every one a voter
CONTRIBUTIONS_PER_MEMBER = 10
RECORDS_PER_CONTRIBUTION = 2.5  # bench.ledger: 40% of its records are contributions
RESPONSES_PER_VOTER = 3  # on average: one each, the rest spread at random
GROWTH_TARGET = 12  # t(10k)/t(1k): 10 is linear
REQUIRED = 1  # confirmations, as in the default config
MODERATORS = 5  # where trust starts: the weights are frozen with the trust bound, as by default
DOMAIN = "habitat"  # one of bench.ledger's domains: the poll weighs it
ANSWERS = ("Saturday", "Sunday", "a weekday evening", "no preference")
ANSWER_IDS = tuple(str(number) for number in range(1, len(ANSWERS) + 1))  # as the bot numbers them
MAX_SELECTIONS = 2
WEEK = timedelta(days=7)

# What each response after a voter's first is (the first is always a vote).
UNVOTE_SHARE = 0.08  # an empty selection: the voter takes their vote back
SPOILED_SHARE = 0.03  # an unknown answer, or no answers list at all
REDACTED_SHARE = 0.04  # of all responses: the voter deleted it, the previous one counts
LATE_SHARE = 0.02  # of all responses: sent after the close, ignored


@dataclass(frozen=True)
class Community:
    name: str
    members: int
    contributions: int
    responses: int
    database: Database
    poll_id: int
    closes_at: datetime


def selection(rng: random.Random) -> list[str]:
    """A vote as clients send it: usually one or two answers, now and then a repeat or three."""
    chosen = rng.sample(ANSWER_IDS, rng.choice((1, 1, 1, 2, 2, 3)))
    if rng.random() < 0.05:
        chosen.append(chosen[0])
    return chosen


def responses(
    rng: random.Random, voters: int, opened_at: datetime, closes_at: datetime
) -> list[tuple[object, ...]]:
    """Rows of ``poll_response``: each voter's events, in time order, some taken back."""
    per_voter = [1] * voters
    for voter in rng.choices(range(voters), k=(RESPONSES_PER_VOTER - 1) * voters):
        per_voter[voter] += 1
    rows: list[tuple[object, ...]] = []
    for voter, count in enumerate(per_voter):
        moments = sorted(opened_at + (closes_at - opened_at) * rng.random() for _ in range(count))
        for number, moment in enumerate(moments):
            if rng.random() < LATE_SHARE:
                moment = closes_at + timedelta(minutes=rng.randint(1, 600))
            answers: list[str] | None = selection(rng)
            draw = rng.random()
            if number > 0 and draw < UNVOTE_SHARE:
                answers = []
            elif number > 0 and draw < UNVOTE_SHARE + SPOILED_SHARE:
                answers = None if rng.random() < 0.5 else ["9"]
            rows.append(
                (
                    f"$response-{voter}-{number}",
                    user_id(voter),
                    None if answers is None else json.dumps(answers),
                    moment.astimezone(UTC).isoformat(),
                    int(rng.random() < REDACTED_SHARE),
                )
            )
    return rows


async def open_community(
    stack: contextlib.AsyncExitStack, directory: Path, members: int, now: datetime
) -> Community:
    """The ledger, then a poll opened now with its frozen weights and a week of responses."""
    name = f"{members:,}"
    database = await Database.open(directory / f"polls-{members}.sqlite3")
    stack.push_async_callback(database.close)
    ledger = await populate(
        database, members, round(members * CONTRIBUTIONS_PER_MEMBER * RECORDS_PER_CONTRIBUTION), now
    )
    rng = random.Random(f"{SEED}-polls-{members}")
    opened_at, closes_at = now, now + WEEK
    rows = responses(rng, members, opened_at, closes_at)
    async with database.transaction() as tx:
        frozen = (await freeze(tx, REQUIRED, DOMAIN, opened_at, WeightRule(), trust())).weights
        poll_id = await tx.insert(
            "INSERT INTO poll (room_id, creator, question, answers, max_selections, secret, "
            "equal, domain, opened_at, closes_at, start_event) "
            "VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?)",
            (
                ROOM,
                user_id(0),
                "When shall we hold the repair café?",
                json.dumps(ANSWERS),
                MAX_SELECTIONS,
                DOMAIN,
                opened_at.isoformat(),
                closes_at.isoformat(),
                f"$poll-{members}",
            ),
        )
        await tx.executemany(
            "INSERT INTO poll_weight (poll_id, member, weight) VALUES (?, ?, ?)",
            [(poll_id, member, weight) for member, weight in frozen.items()],
        )
        await tx.executemany(
            "INSERT INTO poll_response (event_id, poll_id, voter, answers, sent_at, redacted) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(row[0], poll_id, *row[1:]) for row in rows],
        )
    return Community(name, members, ledger.contributions, len(rows), database, poll_id, closes_at)


@dataclass(frozen=True)
class Counted:
    """One count of a poll: how long each stage took, and what it found."""

    read: float
    ballots: float
    tally: float
    voters: int
    total_weight: float

    @property
    def total(self) -> float:
        return self.read + self.ballots + self.tally


async def count(community: Community) -> Counted:
    started = time.perf_counter()
    async with community.database.transaction() as tx:
        received = await polls.latest_responses(tx, community.poll_id, community.closes_at)
        frozen = await polls.frozen_weights(tx, community.poll_id)
    read = time.perf_counter()
    chosen = ballots(received, ANSWER_IDS, MAX_SELECTIONS, until=community.closes_at)
    balloted = time.perf_counter()
    result = tally(chosen, ANSWER_IDS, frozen)
    done = time.perf_counter()
    return Counted(
        read - started, balloted - read, done - balloted, result.voters, result.total_weight
    )


async def weigh(community: Community, now: datetime) -> tuple[float, int]:
    """Seconds to freeze the community's weights, and how many members weigh more than 1."""
    started = time.perf_counter()
    async with community.database.transaction() as tx:
        found = (await freeze(tx, REQUIRED, DOMAIN, now, WeightRule(), trust())).weights
    return time.perf_counter() - started, len(found)


@dataclass(frozen=True)
class Figures:
    members: int
    contributions: int
    responses: int
    voters: int  # with a valid vote at the close
    weighted_members: int  # weighing more than 1
    read_ms: float  # medians
    ballots_ms: float
    tally_ms: float
    count_ms: float
    weights_ms: float


def trust() -> Trust:
    return Trust([user_id(number) for number in range(MODERATORS)])


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


async def measure(directory: Path, repeat: int) -> list[Figures]:
    now = datetime.now(UTC)
    async with contextlib.AsyncExitStack() as stack:
        communities = [await open_community(stack, directory, size, now) for size in SIZES]
        counted: dict[str, list[Counted]] = {each.name: [] for each in communities}
        weighed: dict[str, list[float]] = {each.name: [] for each in communities}
        weighted: dict[str, int] = {}
        for round_ in range(repeat + 1):  # the first round is unmeasured: it fills caches
            for each in communities[:: 1 if round_ % 2 else -1]:
                gc.collect()
                counting = await count(each)
                gc.collect()
                seconds, weighted[each.name] = await weigh(each, now)
                if round_:
                    counted[each.name].append(counting)
                    weighed[each.name].append(seconds)
    figures = []
    for each in communities:
        runs = counted[each.name]
        if not runs[0].voters or runs[0].total_weight <= runs[0].voters:
            raise RuntimeError(f"{each.name}: the poll counted nobody, or nobody's weight")
        figures.append(
            Figures(
                members=each.members,
                contributions=each.contributions,
                responses=each.responses,
                voters=runs[0].voters,
                weighted_members=weighted[each.name],
                read_ms=median_ms([run.read for run in runs]),
                ballots_ms=median_ms([run.ballots for run in runs]),
                tally_ms=median_ms([run.tally for run in runs]),
                count_ms=median_ms([run.total for run in runs]),
                weights_ms=median_ms(weighed[each.name]),
            )
        )
    return figures


def growth(figures: list[Figures]) -> dict[str, float]:
    small, large = figures[0], figures[-1]
    return {
        "count": large.count_ms / small.count_ms,
        "weights": large.weights_ms / small.weights_ms,
    }


def peak_rss_mib() -> float:
    """The process's peak resident set so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(figures: list[Figures], repeat: int, rss: float, cpu: int | None) -> str:
    ratio = growth(figures)
    lines = [
        f"median of {repeat} runs per community, interleaved, after one unmeasured; "
        "in-process SQLite store, " + ("on all CPUs" if cpu is None else f"pinned to CPU {cpu}"),
        "count = read responses and frozen weights + ballots + tally; weights = "
        "freeze (one query + numpy, trust from 5 moderators)",
        f"{'members':>8}{'contrib.':>10}{'responses':>11}{'voters':>8}{'read':>8}"
        f"{'ballots':>9}{'tally':>8}{'count':>8}{'weighed':>9}{'weights':>9}",
        *(
            f"{each.members:>8,}{each.contributions:>10,}{each.responses:>11,}{each.voters:>8,}"
            f"{each.read_ms:>8.1f}{each.ballots_ms:>9.1f}{each.tally_ms:>8.1f}"
            f"{each.count_ms:>8.1f}{each.weighted_members:>9,}{each.weights_ms:>9.1f}"
            for each in figures
        ),
        "(times in ms; weighed: members weighing more than 1)",
        f"growth t({SIZES[-1]:,})/t({SIZES[0]:,}): count {ratio['count']:.1f}, "
        f"weights {ratio['weights']:.1f} (target ≤ {GROWTH_TARGET})",
        f"peak RSS: {rss:.0f} MiB",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.polls", description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="measured runs per community")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args(argv)
    if arguments.repeat < 1:
        parser.error("--repeat must be at least 1")
    cpu = pin_to_one_cpu()
    with tempfile.TemporaryDirectory(prefix="compagnon-bench-") as directory:
        figures = asyncio.run(measure(Path(directory), arguments.repeat))
    rss = peak_rss_mib()
    print(report(figures, arguments.repeat, rss, cpu))
    if arguments.json is not None:
        results = {
            "cpu": cpu,
            "repeat": arguments.repeat,
            "communities": [asdict(each) for each in figures],
            "growth": growth(figures),
            "peak_rss_mib": rss,
        }
        arguments.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
