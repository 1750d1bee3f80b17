"""Kill -9 at the moments that hurt, and bad starts, against a real Synapse.

The attacks are ``bench.faults``'s, small enough for CI (``python -m bench.faults`` repeats
them): the bot is the command-line one in a child process, killed with SIGKILL and
restarted. Whatever a kill interrupts, every command sent must end answered exactly once,
and a poll posted and ended exactly once; a start that cannot work must say why in one
line, and quickly.
"""

from __future__ import annotations

import asyncio
import random
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bench import faults
from tests.e2e.conftest import World

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]

BOT_PASSWORD = "bot-password"  # the conftest's World registers the bot with it
POLL_ROUNDS = 2  # a kill races the bot's next request: one round may miss the window


@asynccontextmanager
async def scene(world: World, members: int = 3) -> AsyncIterator[faults.Scene]:
    """A room of ``members`` with the bot configured for it (not started); the random kill
    moments' seed is printed, to be shown with a failure."""
    clients = [await world.member(name) for name in ("alice", "bob", "chloe")[:members]]
    seed = random.randrange(2**32)
    print(f"seed {seed}")
    async with faults.scene(
        world.synapse.url,
        clients,
        world.bot_user,
        BOT_PASSWORD,
        world.directory,
        random.Random(seed),
    ) as made:
        yield made


def account(world: World) -> faults.Account:
    return faults.Account(world.synapse.url, world.bot_user, BOT_PASSWORD)


# --- kill -9 ---------------------------------------------------------------------------------


async def test_kill_9_during_a_live_burst_loses_and_doubles_nothing(world: World) -> None:
    async with scene(world) as stage:
        count = await faults.live_burst(stage, kills=3)
    print(count)
    assert count.sent > 0
    assert count.failures == {}, count
    assert count.once == count.sent, count


async def test_kill_9_while_catching_up_on_a_backlog_loses_and_doubles_nothing(
    world: World,
) -> None:
    async with scene(world) as stage:
        count = await faults.catch_up(stage, backlog=150, kills=1, replies_before_kill=3)
    print(count)
    assert count.sent == 150
    assert count.failures == {}, count
    assert count.once == count.sent, count


@pytest.mark.parametrize("moment", ["reply", "card"])
async def test_kill_9_after_a_poll_is_announced_posts_it_exactly_once(
    world: World, moment: faults.Moment
) -> None:
    async with scene(world, members=1) as stage:
        await stage.first_start()
        for _ in range(POLL_ROUNDS):
            outcome = await faults.poll_start_kill(stage, moment)
            print(outcome)
            assert outcome.recorded, outcome
            assert outcome.starts == 1, outcome


async def test_kill_9_after_closing_is_announced_ends_the_poll_exactly_once(world: World) -> None:
    async with scene(world, members=1) as stage:
        await stage.first_start()
        for _ in range(POLL_ROUNDS):
            outcome = await faults.poll_close_kill(stage)
            print(outcome)
            assert outcome.starts == 1, outcome
            assert outcome.closed, outcome
            assert outcome.ends == 1, outcome


# --- bad starts --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(faults.BAD_STARTS))
async def test_a_bad_start_exits_promptly_with_one_clear_line(world: World, case: str) -> None:
    ended = await faults.BAD_STARTS[case](account(world), world.directory)
    print(ended)
    assert ended.returncode not in (None, 0), ended
    assert ended.seconds <= faults.EXIT_LIMIT, ended
    assert "Traceback" not in ended.stderr, ended.stderr
    assert len(ended.lines) == 1, ended.stderr
    assert ended.names in ended.lines[0], ended.stderr


async def test_an_unreachable_homeserver_is_retried_until_a_signal_stops_it(
    world: World,
) -> None:
    folders = [world.directory / name for name in ("term", "int")]
    for folder in folders:
        folder.mkdir()
    retried = await asyncio.gather(
        *(
            faults.unreachable(account(world), folder, signum)
            for folder, signum in zip(folders, (signal.SIGTERM, signal.SIGINT), strict=True)
        )
    )
    for each in retried:
        assert each.retry_lines >= 2, each
        assert each.exit.returncode is not None, each
        assert each.exit.seconds <= faults.EXIT_LIMIT, each
        assert "Traceback" not in each.exit.stderr, each.exit.stderr
