"""The weekly digest on a year of history and on a week of it: does its cost stay flat?

Two SQLite files hold the same last week. YEAR has a whole year behind it: bench.ledger's
10,000 members and 100,000 offers, needs and contributions (with their confirmations),
bench.matching's matches over them, and a poll opened every other day. WEEK is that file
with everything older than the week deleted, as a community a week old would have it. The
digest of the last week — the store's reads, the assembly with its suggested pairs, the
rendering, all of ``bot.digest.compose`` — is made on both in turn, each going first half
the time, after an unmeasured warm-up, pinned to one CPU. The ratio YEAR/WEEK of the medians
is what to read: near 1, the digest reads its period plus a bounded amount. Target: ≤ 3.

    python -m bench.digest [--repeat N] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.ledger import (
    DOMAINS,
    ROOM,
    SEED,
    Timing,
    config,
    pin_to_one_cpu,
    populate,
    size_mib,
    timing,
    user_id,
)
from bench.matching import add_matches, peak_rss_mib
from bot.config import Config
from bot.digest import compose
from bot.domain.schedule import Period
from bot.i18n import Text
from bot.store.database import Database

MEMBERS = 10_000
RECORDS = 100_000
WEEK = timedelta(days=7)
POLL_EVERY = timedelta(days=2)
WARM_UP = 3
RATIO_TARGET = 3.0
# Sections the YEAR digest must have, so that what is timed is the whole work.
SECTIONS = (
    "Welcome",
    "New offers",
    "New needs",
    "Needs waiting longest",
    "Suggested pairs",
    "Work for the group:",
    "Thanks given",
)
POLLS = (
    ("Which evening for the repair café?", ("Monday", "Wednesday", "Friday")),
    ("Buy a second sewing machine?", ("Yes", "No")),
    ("Where should the compost go?", ("Garden", "Courtyard", "Roof")),
)


async def add_polls(database: Database, rng: random.Random, now: datetime) -> int:
    """A poll every other day over the year, open 3 to 10 days; closed ones carry the
    result written at their close."""
    rows: list[tuple[object, ...]] = []
    opened = now - timedelta(days=365)
    while opened < now:
        closes = opened + timedelta(days=rng.randint(3, 10))
        question, answers = rng.choice(POLLS)
        closed = closes if closes < now else None
        result = None
        if closed is not None:
            tallies = [
                {"voters": voters, "weight": voters * rng.uniform(1, 2)}
                for voters in (rng.randint(0, 40) for _ in answers)
            ]
            result = json.dumps(
                {
                    "voters": sum(each["voters"] for each in tallies),
                    "total_weight": sum(each["weight"] for each in tallies),
                    "answers": tallies,
                }
            )
        rows.append(
            (
                ROOM,
                user_id(rng.randrange(MEMBERS)),
                question,
                json.dumps(answers),
                1,
                0,
                int(rng.random() < 0.2),
                rng.choice((None, *DOMAINS)),
                opened.isoformat(),
                closes.isoformat(),
                None if closed is None else closed.isoformat(),
                f"$poll{len(rows)}",
                None if closed is None else f"$end{len(rows)}",
                result,
            )
        )
        opened += POLL_EVERY * rng.uniform(0.5, 1.5)
    async with database.transaction() as tx:
        await tx.executemany(
            "INSERT INTO poll (room_id, creator, question, answers, max_selections, secret, "
            "equal, domain, opened_at, closes_at, closed_at, start_event, end_event, result) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return len(rows)


def keep_only(path: Path, start: datetime) -> None:
    """Delete everything that happened before ``start``, and the members it alone named."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")  # confirmations go with their work
        with connection:
            for table, column in (
                ("poll", "opened_at"),
                ("match", "created_at"),
                ("contribution", "created_at"),
                ("listing", "created_at"),
            ):
                connection.execute(f"DELETE FROM {table} WHERE {column} < ?", (start.isoformat(),))
            connection.execute(
                "DELETE FROM member WHERE first_seen < ? AND user_id NOT IN ("
                "SELECT member FROM listing UNION SELECT member FROM contribution "
                "UNION SELECT recorded_by FROM contribution WHERE recorded_by IS NOT NULL)",
                (start.isoformat(),),
            )
        connection.execute("VACUUM")


@dataclass(frozen=True)
class Size:
    members: int
    listings: int
    contributions: int
    matches: int
    polls: int
    size_mib: float


async def size(database: Database, path: Path) -> Size:
    async with database.transaction() as tx:
        counts = [
            int(await tx.fetch_value(f"SELECT count(*) FROM {table}"))
            for table in ("member", "listing", "contribution", "match", "poll")
        ]
    members, listings, contributions, matches, polls = counts
    return Size(members, listings, contributions, matches, polls, size_mib(path))


@dataclass(frozen=True)
class Figures:
    size: Size
    timing: Timing
    lines: int  # in the digest's plain text


async def make(database: Database, settings: Config, period: Period) -> tuple[float, Text]:
    started = time.perf_counter()
    async with database.transaction() as tx:
        text = await compose(tx, settings, period)
    return time.perf_counter() - started, text


async def measure(directory: Path, repeat: int) -> dict[str, Figures]:
    now = datetime.now(UTC)
    period = Period(now - WEEK, now)
    settings = config(1)
    year_path, week_path = directory / "year.sqlite3", directory / "week.sqlite3"
    database = await Database.open(year_path)
    try:
        await populate(database, MEMBERS, RECORDS, now)
        rng = random.Random(f"{SEED}-digest")
        await add_matches(database, rng, now, settings.matching.mentor_capacity)
        await add_polls(database, rng, now)
    finally:
        await database.close()
    size_mib(year_path)  # folds the write-ahead log in before copying the file
    shutil.copyfile(year_path, week_path)
    keep_only(week_path, period.start)
    async with contextlib.AsyncExitStack() as stack:
        databases: dict[str, Database] = {}
        sizes: dict[str, Size] = {}
        for name, path in (("week", week_path), ("year", year_path)):
            databases[name] = await Database.open(path)
            stack.push_async_callback(databases[name].close)
            sizes[name] = await size(databases[name], path)
        texts: dict[str, Text] = {}
        seconds: dict[str, list[float]] = {name: [] for name in databases}
        gc.collect()
        for round_number in range(WARM_UP + repeat):
            order = list(databases) if round_number % 2 else list(databases)[::-1]
            for name in order:
                elapsed, texts[name] = await make(databases[name], settings, period)
                if round_number >= WARM_UP:
                    seconds[name].append(elapsed)
    missing = [title for title in SECTIONS if title not in texts["year"].plain]
    if missing:
        raise RuntimeError(f"the year's digest lacks {missing}:\n{texts['year'].plain}")
    return {
        name: Figures(
            sizes[name],
            timing(seconds[name]),
            len(texts[name].plain.splitlines()),
        )
        for name in databases
    }


def report(figures: dict[str, Figures], rss: float, cpu: int | None) -> str:
    week = figures["week"]
    lines = [
        f"digest of the last week (compose: store, assembly, rendering), {week.timing.count} "
        f"rounds after {WARM_UP} unmeasured, "
        + ("on all CPUs" if cpu is None else f"pinned to CPU {cpu}"),
        *(
            f"{name}: {each.size.members:,} members, {each.size.listings:,} offers and needs, "
            f"{each.size.contributions:,} contributions, {each.size.matches:,} matches, "
            f"{each.size.polls:,} polls, {each.size.size_mib:.1f} MiB; digest of "
            f"{each.lines} lines: median {each.timing.median_ms:.2f} ms, "
            f"p95 {each.timing.p95_ms:.2f} ms"
            for name, each in figures.items()
        ),
        f"ratio year/week median {ratio(figures):.2f} (target ≤ {RATIO_TARGET:g}), "
        f"peak RSS {rss:.0f} MiB",
    ]
    return "\n".join(lines)


def ratio(figures: dict[str, Figures]) -> float:
    return figures["year"].timing.median_ms / figures["week"].timing.median_ms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.digest", description=__doc__)
    parser.add_argument("--repeat", type=int, default=30, help="measured rounds per database")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args(argv)
    if arguments.repeat < 1:
        parser.error("--repeat must be at least 1")
    cpu = pin_to_one_cpu()
    with tempfile.TemporaryDirectory(prefix="compagnon-bench-") as directory:
        figures = asyncio.run(measure(Path(directory), arguments.repeat))
    rss = peak_rss_mib()
    print(report(figures, rss, cpu))
    if arguments.json is not None:
        results = {
            "repeat": arguments.repeat,
            "cpu": cpu,
            **{name: asdict(each) for name, each in figures.items()},
            "ratio": ratio(figures),
            "peak_rss_mib": rss,
        }
        arguments.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
