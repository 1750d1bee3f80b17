"""Polls in SQLite: the latest responses SQLite picks are the ones the counting rules pick."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.tally import FinalResult, ballots
from bot.domain.weighting import WeightRule
from bot.store import contributions, polls, weights
from bot.store.database import Database, Transaction
from bot.store.polls import NewPoll

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ANSWERS = ("1", "2", "3")

responses = st.lists(
    st.tuples(
        st.sampled_from(["@a:test", "@b:test", "@c:test"]),
        st.none() | st.lists(st.sampled_from(["1", "2", "3", "9"]), max_size=3).map(tuple),
        st.integers(0, 20),  # seconds after the opening: ties are likely
        st.booleans(),  # redacted
    ),
    max_size=25,
)


async def open_one(database: Database, max_selections: int = 1) -> int:
    async with database.transaction() as tx:
        opened = await polls.open_poll(
            tx,
            NewPoll(
                "!room:test",
                "@a:test",
                "Q",
                ("a", "b", "c"),
                max_selections,
                False,
                False,
                None,
                T0,
                T0 + timedelta(days=1),
            ),
            {"@b:test": 2.5, "@c:test": 1.0},
        )
        await polls.set_start_event(tx, opened.id, "$start")
    return opened.id


@settings(max_examples=80, deadline=None)
@given(sent=responses, until_seconds=st.integers(0, 21), max_selections=st.integers(1, 3))
def test_sqlite_picks_the_latest_standing_response_as_the_rules_do(
    sent: list[tuple[str, tuple[str, ...] | None, int, bool]],
    until_seconds: int,
    max_selections: int,
) -> None:
    async def check() -> None:
        database = await Database.open(":memory:")
        try:
            await compare(database)
        finally:
            await database.close()

    async def compare(database: Database) -> None:
        poll_id = await open_one(database, max_selections)
        async with database.transaction() as tx:
            for number, (voter, answers, seconds, redacted) in enumerate(sent):
                event_id = f"$e{number:03d}"
                at = T0 + timedelta(seconds=seconds)
                await polls.record_response(tx, poll_id, event_id, voter, answers, at)
                if redacted:
                    await polls.redact_response(tx, event_id)
            until = T0 + timedelta(seconds=until_seconds)
            every = await polls.responses(tx, poll_id)
            latest = await polls.latest_responses(tx, poll_id, until)
        assert len({each.voter for each in latest}) == len(latest)
        assert ballots(latest, ANSWERS, max_selections, until) == ballots(
            every, ANSWERS, max_selections, until
        )

    asyncio.run(check())


async def test_weights_are_kept_as_frozen_and_one_weighs_one(database: Database) -> None:
    poll_id = await open_one(database)
    async with database.transaction() as tx:
        assert await polls.frozen_weights(tx, poll_id) == {"@b:test": 2.5}
        assert await polls.frozen_weight(tx, poll_id, "@b:test") == 2.5
        assert await polls.frozen_weight(tx, poll_id, "@newcomer:test") == 1.0


async def test_a_poll_closes_once_and_keeps_its_result(database: Database) -> None:
    poll_id = await open_one(database)
    result = FinalResult(2, 3.5, (1, 1, 0), (2.5, 1.0, 0.0))
    async with database.transaction() as tx:
        assert await polls.close(tx, poll_id, T0 + timedelta(hours=1), result)
        assert not await polls.close(tx, poll_id, T0 + timedelta(hours=2), result)
        closed = await polls.get(tx, poll_id)
        assert [each.id for each in await polls.unannounced(tx)] == [poll_id]
    assert closed is not None
    assert closed.closed_at == T0 + timedelta(hours=1)
    assert closed.result == result


async def test_a_response_seen_twice_is_kept_once(database: Database) -> None:
    poll_id = await open_one(database)
    async with database.transaction() as tx:
        assert await polls.record_response(tx, poll_id, "$r", "@b:test", ("1",), T0)
        assert not await polls.record_response(tx, poll_id, "$r", "@b:test", ("1",), T0)
        assert len(await polls.responses(tx, poll_id)) == 1


ledger = st.lists(
    st.tuples(
        st.sampled_from(["@a:test", "@b:test", "@c:test"]),
        st.none() | st.integers(1, 3000),  # minutes
        st.sampled_from(["habitat", "soin"]),
        st.integers(0, 400),  # days before the opening
        st.booleans(),  # confirmed
    ),
    max_size=15,
)


@settings(max_examples=40, deadline=None)
@given(before=ledger, after=ledger, domain=st.sampled_from([None, "habitat"]))
def test_frozen_weights_do_not_move_when_contributions_come_later(
    before: list[tuple[str, int | None, str, int, bool]],
    after: list[tuple[str, int | None, str, int, bool]],
    domain: str | None,
) -> None:
    """What a poll froze is what the ledger said when it opened, whatever is recorded later."""

    async def record(
        tx: Transaction, entries: list[tuple[str, int | None, str, int, bool]]
    ) -> None:
        for member, minutes, where, days, confirmed in entries:
            at = T0 - timedelta(days=days)
            number = await contributions.add(
                tx, member, minutes, where, "work", "@w:test", "!r", at
            )
            if confirmed:
                await contributions.confirm(tx, number, "@w:test", at)

    async def check() -> None:
        database = await Database.open(":memory:")
        try:
            async with database.transaction() as tx:
                await record(tx, before)
                at_opening = (await weights.freeze(tx, 1, domain, T0, WeightRule())).weights
                opened = await polls.open_poll(
                    tx,
                    NewPoll(
                        "!r",
                        "@a:test",
                        "Q",
                        ("a", "b"),
                        1,
                        False,
                        False,
                        domain,
                        T0,
                        T0 + timedelta(days=7),
                    ),
                    at_opening,
                )
                await record(tx, after)
                for number in range(1, len(before) + 1):  # late witnesses too
                    await contributions.confirm(tx, number, "@late:test", T0)
                frozen = await polls.frozen_weights(tx, opened.id)
            assert frozen == {member: w for member, w in at_opening.items() if w != 1.0}
            for member in ("@a:test", "@b:test", "@c:test"):
                async with database.transaction() as tx:
                    weight = await polls.frozen_weight(tx, opened.id, member)
                assert weight == at_opening.get(member, 1.0)
                assert 1.0 <= weight <= WeightRule().max_weight
        finally:
            await database.close()

    asyncio.run(check())
