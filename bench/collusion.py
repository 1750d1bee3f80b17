"""Can a ring buy the vote weight? ``python -m bench.collusion``

A synthetic community lives six months through the real dispatcher, store and weights:
60 honest members with a realistic spread (a half-time paid coordinator, a few very
active members, regulars, occasional ones, newcomers), who record their work and confirm
each other's. Then attackers try, each case on its own copy of that history:

- closed rings of 2, 3, 5 and 10 accounts that thank each other for invented hours, all
  at once ("burst") or 3 h a week each ("plausible");
- the same rings with one honest link: one real 2 h contribution, confirmed by an honest
  member;
- sybils: a fresh account thanked by fresh accounts, as many as it takes.

For each case it prints the ring's share of the weight in a poll everyone answers, its
head-count share and its truthful share (what its real work alone would earn), and for
the honest members the mean weight change against no defence and the rank correlation
between weight and true hours. Then each defence is turned off in turn, to show what it
holds. Targets: ring share / truthful share at most 1.10 for closed rings and 1.35 with
one honest link; honest mean change at least −5 %; rank correlation at least 0.95; no
number of sybils maxes an account during probation.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sqlite3
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scipy.stats import spearmanr

from bench.ledger import ROOM, SERVER, RecordingTransport
from bot.app import ROUTERS
from bot.commands.dispatcher import Dispatcher
from bot.commands.polls import freeze
from bot.config import BotConfig, Config, ContributionsConfig, MatrixConfig, RateLimitConfig
from bot.messages import IncomingMessage, Reply
from bot.polls import PollKeeper
from bot.scheduler import Scheduler
from bot.store.database import Database

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # a Monday
WEEKS = 26
END = START + timedelta(weeks=WEEKS)
DOMAINS = ("habitat", "transmission", "soin", "animation", "administration")
RING_SIZES = (2, 3, 5, 10)
SYBILS_TRIED = 20
RECORDED = re.compile(r"Contribution (c\d+) recorded")
OFF = 1e9  # a bound that never binds


@dataclass(frozen=True)
class Profile:
    """An honest member: hours a week when they work, how often, and from which week."""

    hours: float
    chance: float  # of working in a given week
    joins: int = 0
    moderator: bool = False


def honest_profiles() -> list[Profile]:
    """60 members: the spread of a lively third place."""
    return [
        Profile(20, 0.95, moderator=True),  # the half-time paid coordinator
        *(Profile(5, 0.8, moderator=index == 0) for index in range(5)),  # very active
        *(Profile(1.5, 0.6) for _ in range(20)),  # regulars
        *(Profile(1, 0.25) for _ in range(25)),  # occasional
        *(Profile(1.5, 0.6, joins=18 + index % 6) for index in range(9)),  # newcomers
    ]


def member(name: str) -> str:
    return f"@{name}:{SERVER}"


@dataclass(frozen=True)
class Defences:
    """Each defence can be turned off, to show what it holds."""

    trust: bool = True
    probation: bool = True
    weekly_bound: bool = True
    witness_budget: bool = True

    def config(self, moderators: Sequence[str]) -> Config:
        defaults = ContributionsConfig()
        return Config(
            matrix=MatrixConfig(
                homeserver="http://127.0.0.1:1", user_id=member("compagnon"), password="unused"
            ),
            bot=BotConfig(
                language="en",
                moderators=list(moderators),
                rate_limit=RateLimitConfig(burst=10_000, per_minute=1_000_000),
            ),
            contributions=defaults.model_copy(
                update={
                    "trust_bound": self.trust,
                    "probation_days": defaults.probation_days if self.probation else 0,
                    "max_hours_per_week": defaults.max_hours_per_week if self.weekly_bound else OFF,
                    "max_confirmed_hours_per_week": defaults.max_confirmed_hours_per_week
                    if self.witness_budget
                    else OFF,
                }
            ),
        )


class Transport(RecordingTransport):
    """Replies get event ids no copy of the history has seen, as a homeserver's are."""

    async def send_reply(self, reply: Reply) -> str:
        await super().send_reply(reply)
        return f"${uuid.uuid4().hex}"


class BenchClock:
    def __init__(self) -> None:
        self.at = START

    def now(self) -> datetime:
        return self.at

    def monotonic(self) -> float:
        return self.at.timestamp()


@dataclass
class Community:
    """One database and the bot that keeps it; members type commands at the clock's time."""

    database: Database
    config: Config
    clock: BenchClock = field(default_factory=BenchClock)
    transport: Transport = field(default_factory=Transport)
    true_hours: dict[str, float] = field(default_factory=dict)
    _events: Iterator[str] = field(  # unique across the copies of one history
        default_factory=lambda: (f"${uuid.uuid4().hex}" for _ in iter(int, 1))
    )

    def __post_init__(self) -> None:
        keeper = PollKeeper(self.config, self.database, self.transport, self.clock)
        scheduler = Scheduler(self.config, self.database, self.transport, self.clock, keeper)
        self.dispatcher = Dispatcher(
            ROUTERS, self.database, self.transport, self.config, self.clock, scheduler, keeper
        )

    async def say(self, sender: str, body: str) -> str:
        self.transport.present = (sender, *re.findall(r"@\S+:\S+", body))
        before = len(self.transport.sent)
        message = IncomingMessage(next(self._events), ROOM, sender, sender, body, self.clock.now())
        await self.dispatcher.handle(message)
        replies = self.transport.sent[before:]
        return replies[0].text.plain if replies else ""

    async def record(
        self, worker: str, hours: float, domain: str, witnesses: Sequence[str]
    ) -> None:
        """Real work: recorded by its worker, confirmed by those who saw it."""
        reply = await self.say(worker, f"!contribute {hours:g}h {domain} : work")
        found = RECORDED.search(reply)
        assert found is not None, reply
        for witness in witnesses:
            await self.say(witness, f"!confirm {found.group(1)}")
        self.true_hours[worker] = self.true_hours.get(worker, 0.0) + hours

    async def thank(self, thanker: str, worker: str, hours: float) -> None:
        await self.say(thanker, f"!thanks {worker} {hours:g}h habitat : invented")

    async def weights(self) -> dict[str, float]:
        """What a poll opened now would freeze (absent: 1)."""
        async with self.database.transaction() as tx:
            frozen = await freeze(tx, self.config, self.transport, None, self.clock.now())
            return frozen.weights


HONEST = [member(f"honest{index}") for index in range(len(honest_profiles()))]
MODERATORS = [
    name for name, profile in zip(HONEST, honest_profiles(), strict=True) if profile.moderator
]


async def live_honestly(community: Community, seed: int) -> None:
    """Six months of real work: each week, whoever works records it, one or two others
    among those already around confirm it (regulars more often than not)."""
    rng = random.Random(seed)
    profiles = honest_profiles()
    for name in HONEST:  # everyone says hello in the first week: the founders
        if profiles[HONEST.index(name)].joins == 0:
            await community.say(name, "!help")
    for week in range(WEEKS):
        community.clock.at = START + timedelta(weeks=week, hours=1)
        around = [name for name, p in zip(HONEST, profiles, strict=True) if p.joins <= week]
        for name, profile in zip(HONEST, profiles, strict=True):
            if profile.joins > week or rng.random() > profile.chance:
                continue
            if profile.joins == week:
                await community.say(name, "!help")
            hours = max(0.5, round(rng.gauss(profile.hours, profile.hours / 4) * 2) / 2)
            others = [other for other in around if other != name]
            witnesses = rng.sample(others, rng.choice((1, 2)))
            community.clock.at += timedelta(minutes=5)
            await community.record(name, hours, rng.choice(DOMAINS), witnesses)
    community.clock.at = END


async def attack(community: Community, ring: Sequence[str], mode: str, link: bool) -> None:
    """The ring joins with the founders, then invents hours for each other."""
    saved = community.clock.at
    community.clock.at = START
    for name in ring:
        await community.say(name, "!help")
    if link:
        await real_link(community, ring[0])
    for week in range(WEEKS) if mode == "plausible" else (WEEKS - 1,):
        community.clock.at = START + timedelta(weeks=week, hours=2)
        for index, name in enumerate(ring):
            mate = ring[(index + 1) % len(ring)]
            for _ in range(1 if mode == "plausible" else 10):
                await community.thank(name, mate, 3 if mode == "plausible" else 200)
    community.clock.at = saved


async def real_link(community: Community, first: str) -> None:
    """One real contribution of the ring's first account, confirmed by an honest regular."""
    community.clock.at = END - timedelta(weeks=1)
    await community.record(first, 2, "habitat", [HONEST[10]])
    community.clock.at = END


async def sybils_needed(community: Community) -> int | None:
    """Fresh accounts thank one fresh account 200 h each, until it weighs the maximum;
    None when no number up to ``SYBILS_TRIED`` does."""
    target = member("target")
    await community.say(target, "!help")
    for count in range(1, SYBILS_TRIED + 1):
        await community.thank(member(f"sybil{count}"), target, 200)
        found = (await community.weights()).get(target, 1.0)
        if found >= community.config.polls.max_weight:
            return count
    return None


def copy_database(source: Path, target: Path) -> None:
    target.touch(mode=0o600)  # members' data, even in a bench
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)


@dataclass(frozen=True)
class Case:
    label: str
    ring_share: float
    head_share: float
    truthful_share: float

    @property
    def ratio(self) -> float:
        return self.ring_share / self.truthful_share


@dataclass(frozen=True)
class Result:
    """One run: each attack's case, and the honest community as it stands."""

    cases: list[Case]
    honest_weights: dict[str, float]
    true_hours: dict[str, float]
    sybils_needed: int | None


def share(weights_of: dict[str, float], ring: Sequence[str], everyone: Sequence[str]) -> float:
    total = sum(weights_of.get(name, 1.0) for name in everyone)
    return sum(weights_of.get(name, 1.0) for name in ring) / total


async def open_copy(history: Path, directory: Path, name: str, config: Config) -> Community:
    path = directory / f"{name}.sqlite3"
    copy_database(history, path)
    community = Community(await Database.open(path), config)
    community.clock.at = END
    return community


async def run(defences: Defences, seed: int, directory: Path) -> Result:
    config = defences.config(MODERATORS)
    history = directory / f"history-{id(defences)}.sqlite3"
    honest = Community(await Database.open(history), config)
    await live_honestly(honest, seed)
    true_hours = dict(honest.true_hours)
    honest_weights = await honest.weights()
    await honest.database.close()

    cases: list[Case] = []
    for size in RING_SIZES:
        ring = [member(f"ring{size}-{index}") for index in range(size)]
        everyone = [*HONEST, *ring]
        for mode in ("burst", "plausible"):
            for link in (False, True):
                label = f"ring of {size}, {mode}{', one honest link' if link else ''}"
                attacked = await open_copy(history, directory, f"{size}{mode}{link}", config)
                truthful = await open_copy(history, directory, f"{size}{mode}{link}t", config)
                await attack(attacked, ring, mode, link)
                if link:
                    await real_link(truthful, ring[0])
                cases.append(
                    Case(
                        label,
                        share(await attacked.weights(), ring, everyone),
                        len(ring) / len(everyone),
                        share(await truthful.weights(), ring, everyone),
                    )
                )
                await attacked.database.close()
                await truthful.database.close()
    sybil = await open_copy(history, directory, "sybil", config)
    needed = await sybils_needed(sybil)
    await sybil.database.close()
    return Result(cases, honest_weights, true_hours, needed)


def honest_change(defended: dict[str, float], undefended: dict[str, float]) -> float:
    changes = [defended.get(name, 1.0) / undefended.get(name, 1.0) - 1 for name in HONEST]
    return sum(changes) / len(changes)


def rank_correlation(weights_of: dict[str, float], true_hours: dict[str, float]) -> float:
    rho = spearmanr(
        [weights_of.get(name, 1.0) for name in HONEST],
        [true_hours.get(name, 0.0) for name in HONEST],
    ).statistic
    return float(rho)


def verdicts(result: Result, baseline: Result) -> dict[str, bool]:
    closed = max(case.ratio for case in result.cases if "link" not in case.label)
    linked = max(case.ratio for case in result.cases if "link" in case.label)
    change = honest_change(result.honest_weights, baseline.honest_weights)
    rho = rank_correlation(result.honest_weights, result.true_hours)
    return {
        f"closed rings ≤ 1.10 × truthful ({closed:.2f})": closed <= 1.10,
        f"one honest link ≤ 1.35 × truthful ({linked:.2f})": linked <= 1.35,
        f"honest mean change ≥ −5 % ({change:+.1%})": change >= -0.05,
        f"rank correlation ≥ 0.95 ({rho:.3f})": rho >= 0.95,
        f"no number of sybils maxes an account ({result.sybils_needed or 'none'})": (
            result.sybils_needed is None
        ),
    }


def report(result: Result, baseline: Result) -> str:
    lines = [f"{'case':44} {'ring share':>10} {'head count':>10} {'truthful':>9} {'ratio':>6}"]
    for case in result.cases:
        lines.append(
            f"{case.label:44} {case.ring_share:>10.1%} {case.head_share:>10.1%} "
            f"{case.truthful_share:>9.1%} {case.ratio:>6.2f}"
        )
    lines += [
        f"{'met' if ok else 'MISSED'}: {what}" for what, ok in verdicts(result, baseline).items()
    ]
    return "\n".join(lines)


async def without(
    defences: Defences, label: str, seed: int, directory: Path, baseline: Result
) -> None:
    """What the targets say when ``defences`` are all that is left."""
    result = await run(defences, seed, directory)
    failing = [what for what, ok in verdicts(result, baseline).items() if not ok]
    print(f"\nWithout {label}: misses {len(failing)} target(s)")
    for what in failing:
        print(f"  MISSED: {what}")


async def main_async(seed: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        none = Defences(trust=False, probation=False, weekly_bound=False, witness_budget=False)
        baseline = await run(none, seed, directory)
        full = await run(Defences(), seed, directory)
        print("All defences on:")
        print(report(full, baseline))
        missed = not all(verdicts(full, baseline).values())
        # Trust needs moderators to start from; a community without any relies on the
        # others, each of which is shown there.
        untrusting = replace(Defences(), trust=False)
        await without(untrusting, "trust (no moderators)", seed, directory, baseline)
        for name in ("probation", "weekly_bound", "witness_budget"):
            label = f"trust and {name.replace('_', ' ')}"
            await without(replace(untrusting, **{name: False}), label, seed, directory, baseline)
        print("\nNo defence at all:")
        print(report(baseline, baseline))
    return 1 if missed else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.collusion", description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args(argv)
    return asyncio.run(main_async(arguments.seed))


if __name__ == "__main__":
    sys.exit(main())
