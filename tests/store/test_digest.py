"""The digest's reads: each list is its period's, start included and end excluded, through
indexes only; and the record that sends each room's digest exactly once, restarts included."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.digest import (
    Counted,
    DomainWork,
    MatchNews,
    News,
    Thanks,
)
from bot.domain.ledger import Ref, RefKind
from bot.domain.schedule import Period, cron, due
from bot.domain.tally import FinalResult
from bot.i18n import Text
from bot.store import contributions, digest, listings, matches, members, personal, skills
from bot.store.database import Database, Transaction
from bot.store.listings import Kind
from bot.store.matches import State

START = datetime(2026, 10, 26, 8, tzinfo=UTC)
END = datetime(2026, 11, 2, 8, tzinfo=UTC)
PERIOD = Period(START, END)
ROOM, OTHER_ROOM = "!room:test", "!other:test"
ALICE, BOB, CHLOE, DORA = "@alice:test", "@bob:test", "@chloe:test", "@dora:test"
JUST_BEFORE, JUST_BEFORE_END = START - timedelta(microseconds=1), END - timedelta(microseconds=1)
SECOND = timedelta(seconds=1)


async def read(database: Database, limit: int = 5) -> News:
    async with database.transaction() as tx:
        return await digest.news(tx, PERIOD, limit=limit, capacity=2, per_level=3)


async def post(
    tx: Transaction, kind: Kind, member: str, skill: int, level: int, at: datetime
) -> int:
    return await listings.add(tx, kind, member, skill, level, "", ROOM, at)


@pytest.fixture
async def wood(database: Database) -> int:
    async with database.transaction() as tx:
        for user_id in (ALICE, BOB, CHLOE, DORA):
            await members.seen(tx, user_id, user_id[1:].split(":")[0].title(), START - SECOND)
        return await skills.create(tx, "woodworking", "Woodworking")


# --- boundaries -----------------------------------------------------------------------------


async def test_newcomers_from_the_start_included_to_the_end_excluded(database: Database) -> None:
    async with database.transaction() as tx:
        for name, at in (("Before", JUST_BEFORE), ("First", START), ("Last", JUST_BEFORE_END)):
            await members.seen(tx, f"@{name.lower()}:test", name, at)
        await members.seen(tx, "@after:test", "After", END)
    assert (await read(database)).newcomers == Counted(("Last", "First"), 2)


async def test_lists_keep_the_newest_few_and_count_them_all(database: Database) -> None:
    async with database.transaction() as tx:
        for number in range(8):
            await members.seen(tx, f"@m{number}:test", f"M{number}", START + number * SECOND)
    assert (await read(database, limit=3)).newcomers == Counted(("M7", "M6", "M5"), 8)


async def test_new_offers_and_needs_are_the_periods_still_open(
    database: Database, wood: int
) -> None:
    async with database.transaction() as tx:
        await post(tx, "offer", ALICE, wood, 4, JUST_BEFORE)
        first = await post(tx, "offer", BOB, wood, 3, START)
        withdrawn = await post(tx, "offer", CHLOE, wood, 5, START + SECOND)
        await listings.withdraw(tx, withdrawn, START + 2 * SECOND)
        await post(tx, "offer", DORA, wood, 2, END)
        need = await post(tx, "need", DORA, wood, 1, JUST_BEFORE_END)
    news = await read(database)
    assert [each.ref for each in news.offers.items] == [Ref(RefKind.OFFER, first)]
    assert news.offers.total == 1
    assert [(each.ref, each.name, each.skill) for each in news.needs.items] == [
        (Ref(RefKind.NEED, need), "Dora", "Woodworking")
    ]


async def test_waiting_needs_are_older_open_unmatched_ones_oldest_first(
    database: Database, wood: int
) -> None:
    async with database.transaction() as tx:
        oldest = await post(tx, "need", ALICE, wood, 1, START - timedelta(days=90))
        matched = await post(tx, "need", BOB, wood, 1, START - timedelta(days=80))
        offer = await post(tx, "offer", CHLOE, wood, 4, START - timedelta(days=80))
        await matches.create(tx, matched, offer, BOB, CHLOE, wood, START - timedelta(days=70))
        gone = await post(tx, "need", CHLOE, wood, 2, START - timedelta(days=60))
        await listings.withdraw(tx, gone, START - timedelta(days=50))
        younger = await post(tx, "need", DORA, wood, 2, JUST_BEFORE)
        await post(tx, "need", CHLOE, wood, 1, START)  # new, not waiting
    news = await read(database)
    assert [each.ref.number for each in news.waiting.items] == [oldest, younger]
    assert (news.waiting.total, news.waiting.exact) == (2, True)


async def test_waiting_needs_are_counted_up_to_a_bound(
    database: Database, wood: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(digest, "WAITING_COUNTED", 3)
    async with database.transaction() as tx:
        for days in range(10, 16):
            await post(tx, "need", ALICE, wood, 1, START - timedelta(days=days))
    news = await read(database, limit=2)
    assert (len(news.waiting.items), news.waiting.total, news.waiting.exact) == (2, 3, False)


async def test_matches_started_and_finished(database: Database, wood: int) -> None:
    async def match(mentee: str, created: datetime, state: State, updated: datetime) -> int:
        need = await post(tx, "need", mentee, wood, 1, created)
        offer = await post(tx, "offer", CHLOE, wood, 3, created)
        number = await matches.create(tx, need, offer, mentee, CHLOE, wood, created)
        await matches.set_state(tx, number, state, updated)
        return number

    async with database.transaction() as tx:
        finished = await match(ALICE, START - timedelta(days=20), "done", START)
        started = await match(BOB, START, "accepted", START + SECOND)
        await match(DORA, START + SECOND, "declined", START + 2 * SECOND)
        await match(ALICE, JUST_BEFORE, "done", END)  # finished in the next period
        await personal.forget(tx, ALICE, START + 3 * SECOND)
    news = await read(database)
    assert news.started == Counted(
        (MatchNews(Ref(RefKind.MATCH, started), "Bob", "Chloe", "Woodworking"),), 1
    )
    assert news.finished == Counted(
        (MatchNews(Ref(RefKind.MATCH, finished), None, "Chloe", "Woodworking"),), 1
    )


async def test_work_by_domain_and_the_thanks_given(database: Database, wood: int) -> None:
    async with database.transaction() as tx:
        await contributions.add(tx, ALICE, 60, "habitat", "door", ALICE, ROOM, JUST_BEFORE)
        await contributions.add(tx, ALICE, 90, "habitat", "roof", ALICE, ROOM, START)
        await contributions.add(tx, BOB, None, "habitat", "tea", CHLOE, ROOM, START + SECOND)
        await contributions.add(tx, BOB, 30, "soin", "care", DORA, ROOM, JUST_BEFORE_END)
        await contributions.add(tx, CHLOE, 30, "soin", "late", DORA, ROOM, END)
        await personal.forget(tx, DORA, END)
    news = await read(database)
    assert sorted(news.work, key=lambda each: each.domain) == [
        DomainWork("habitat", 2, 90),
        DomainWork("soin", 1, 30),
    ]
    assert news.thanks == Counted(
        (Thanks(None, "Bob", "care", 30), Thanks("Chloe", "Bob", "tea", None)), 2
    )


async def add_poll(
    tx: Transaction,
    opened: datetime,
    closes: datetime,
    closed: datetime | None = None,
    result: str | None = None,
) -> int:
    return await tx.insert(
        "INSERT INTO poll (room_id, creator, question, answers, max_selections, secret, equal, "
        "opened_at, closes_at, closed_at, result) VALUES (?, ?, ?, ?, 1, 0, 0, ?, ?, ?, ?)",
        (
            OTHER_ROOM,
            ALICE,
            "Paint?",
            json.dumps(["Red", "Blue"]),
            opened.isoformat(),
            closes.isoformat(),
            None if closed is None else closed.isoformat(),
            result,
        ),
    )


async def test_polls_closed_in_the_period_and_still_open_anywhere(database: Database) -> None:
    result = {
        "voters": 3,
        "total_weight": 4.5,
        "answers": [{"voters": 1, "weight": 2.5}, {"voters": 2, "weight": 2.0}],
    }
    async with database.transaction() as tx:
        await add_poll(tx, START - timedelta(days=9), JUST_BEFORE, JUST_BEFORE)
        closed = await add_poll(tx, START - timedelta(days=3), START, START, json.dumps(result))
        soon = await add_poll(tx, START, END + timedelta(days=1))
        later = await add_poll(tx, START - timedelta(days=3), END + timedelta(days=5))
        await add_poll(tx, END, END + timedelta(days=2))  # opened after the period
    news = await read(database)
    assert [poll.ref.number for poll in news.closed_polls.items] == [closed]
    assert news.closed_polls.items[0].answers == ("Red", "Blue")
    assert news.closed_polls.items[0].result == FinalResult(3, 4.5, (1, 2), (2.5, 2.0))
    assert [poll.ref.number for poll in news.open_polls.items] == [soon, later]
    assert news.open_polls.items[0].closes_at == END + timedelta(days=1)


# --- candidates for the needs shown ---------------------------------------------------------


async def test_candidates_are_a_few_open_offers_with_places_at_each_level_above(
    database: Database, wood: int
) -> None:
    async with database.transaction() as tx:
        need = await post(tx, "need", ALICE, wood, 2, START)
        await post(tx, "offer", ALICE, wood, 4, START)  # her own
        await post(tx, "offer", BOB, wood, 2, START)  # not above her level
        full = await post(tx, "offer", CHLOE, wood, 3, START)
        for mentee in (BOB, DORA):
            wanted = await post(tx, "need", mentee, wood, 1, START)
            await matches.create(tx, wanted, full, mentee, CHLOE, wood, START)
        at_three = [
            await post(tx, "offer", f"@m{number}:test", wood, 3, START + number * SECOND)
            for number in range(5)
        ]
        at_five = await post(tx, "offer", DORA, wood, 5, START)
        pottery = await skills.create(tx, "pottery", "Pottery")
        await post(tx, "need", DORA, pottery, 1, START)
        declined = await matches.create(tx, need, at_five, ALICE, DORA, wood, START)
        await matches.set_state(tx, declined, "declined", START)
    news = await read(database)
    alice = next(each for each in news.needs.items if each.member == ALICE)
    async with database.transaction() as tx:
        found = await digest.candidates(tx, [alice], capacity=2, per_level=2)
    assert [offer.id for offer in found.offers] == [*at_three[:2], at_five]
    assert found.names[DORA] == "Dora"
    assert (ALICE, DORA, wood) in found.history.declined
    assert pottery in found.history.needed[DORA]  # what reciprocity reads of a mentor


# --- indexes only ---------------------------------------------------------------------------

_PERIOD_QUERIES = (
    "NEWCOMERS",
    "NEWCOMERS_COUNT",
    "POSTED",
    "POSTED_COUNT",
    "WAITING",
    "WAITING_COUNT",
    "STARTED",
    "STARTED_COUNT",
    "FINISHED",
    "FINISHED_COUNT",
    "WORK",
    "THANKS",
    "THANKS_COUNT",
    "CLOSED_POLLS",
    "CLOSED_POLLS_COUNT",
    "OPEN_POLLS",
    "OPEN_POLLS_COUNT",
)
_FULL_SCAN = re.compile(r"^SCAN (?!\(?subquery)")


async def plan(database: Database, sql: str, params: dict[str, object] | list[object]) -> list[str]:
    async with database.transaction() as tx:
        return [row[3] for row in await tx.fetch_all("EXPLAIN QUERY PLAN " + sql, params)]


@pytest.mark.parametrize("name", _PERIOD_QUERIES)
async def test_each_read_goes_through_an_index(database: Database, name: str) -> None:
    params = {"start": "a", "end": "b", "limit": 5, "kind": "need", "bound": 100}
    steps = await plan(database, getattr(digest, name), params)
    assert not [step for step in steps if _FULL_SCAN.match(step)], steps


async def test_candidates_and_their_history_go_through_indexes(database: Database) -> None:
    arms = " UNION ALL ".join([digest.OFFERS_AT_LEVEL] * 2)
    steps = await plan(database, arms, [1, 2, "@a:x", 2, 3] * 2)
    steps += await plan(database, digest.LISTED_BY.format("?,?"), ["@a:x", "@b:x"])
    steps += await plan(database, digest.PAIRED_BY.format("?"), ["@a:x"])
    assert not [step for step in steps if _FULL_SCAN.match(step)], steps
    assert not [step for step in steps if "TEMP B-TREE" in step], steps


# --- exactly once ---------------------------------------------------------------------------


async def test_a_period_is_claimed_once_per_room(database: Database) -> None:
    async with database.transaction() as tx:
        assert await digest.claim(tx, ROOM, END, END, late=False)
        assert not await digest.claim(tx, ROOM, END, END + SECOND, late=True)
        assert await digest.claim(tx, OTHER_ROOM, END, END, late=False)
        assert await digest.last_sent(tx, ROOM) == END
        assert await digest.last_sent(tx, "!never:test") is None


async def test_a_claim_outlives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "compagnon.sqlite3"
    first = await Database.open(path)
    async with first.transaction() as tx:
        assert await digest.claim(tx, ROOM, END, END, late=False)
        await digest.set_event(tx, ROOM, END, "$digest")
    await first.close()
    second = await Database.open(path)
    try:
        async with second.transaction() as tx:
            assert not await digest.claim(tx, ROOM, END, END + timedelta(hours=1), late=True)
            assert await digest.last_sent(tx, ROOM) == END
            row = await tx.fetch_one("SELECT event_id, late FROM digest_sent")
            assert row is not None
            assert (row["event_id"], row["late"]) == ("$digest", 0)
    finally:
        await second.close()


async def test_a_sent_digest_keeps_no_text_that_names_members(database: Database) -> None:
    async with database.transaction() as tx:
        await digest.claim(tx, ROOM, END, END, late=False)
        await digest.set_text(tx, ROOM, END, Text("Alice offers pottery", "<p>Alice</p>"))
        assert [unsent.text.plain for unsent in await digest.unsent(tx)] == ["Alice offers pottery"]
        await digest.set_event(tx, ROOM, END, "$digest")
        assert await digest.unsent(tx) == []
        row = await tx.fetch_one("SELECT body, html, event_id FROM digest_sent")
    assert row is not None
    assert tuple(row) == (None, None, "$digest")


async def test_a_released_claim_can_be_taken_again(database: Database) -> None:
    async with database.transaction() as tx:
        await digest.claim(tx, ROOM, START, START, late=False)
        await digest.claim(tx, ROOM, END, END, late=False)
        await digest.release(tx, ROOM, END)
        assert await digest.last_sent(tx, ROOM) == START
        assert await digest.claim(tx, ROOM, END, END + SECOND, late=False)


async def test_the_same_moment_in_another_time_zone_is_the_same_period(
    database: Database,
) -> None:
    paris = END.astimezone(ZoneInfo("Europe/Paris"))
    async with database.transaction() as tx:
        assert await digest.claim(tx, ROOM, END, END, late=False)
        assert not await digest.claim(tx, ROOM, paris, END, late=False)


async def test_restarts_and_a_missed_run_send_each_period_exactly_once(tmp_path: Path) -> None:
    """What the scheduler does, at start-up and at each run: ask what is due, claim, send."""
    path = tmp_path / "compagnon.sqlite3"
    weekly = cron("0 9 * * mon", "Europe/Paris")
    sent: list[tuple[Period, bool]] = []

    async def wake(now: datetime) -> None:
        database = await Database.open(path)  # a restart every time: nothing kept in memory
        try:
            async with database.transaction() as tx:
                owed = due(weekly, await digest.last_sent(tx, ROOM), now, since=START)
                if owed is not None and await digest.claim(
                    tx, ROOM, owed.period.end, now, owed.late
                ):
                    sent.append((owed.period, owed.late))
        finally:
            await database.close()

    monday = datetime(2026, 11, 2, 8, tzinfo=UTC)
    week = timedelta(weeks=1)
    for now in (
        monday - timedelta(days=3),  # first start: served since START, the 26 Oct run is owed
        monday - timedelta(days=3) + SECOND,  # restart at once: nothing more
        monday,  # on time
        monday + timedelta(minutes=1),  # restart right after
        monday + 3 * week + timedelta(days=2),  # down for three runs
        monday + 3 * week + timedelta(days=2, hours=1),  # and a restart after catching up
        monday + 4 * week,
    ):
        await wake(now)
    assert sent == [
        (Period(datetime(2026, 10, 19, 7, tzinfo=UTC), START), True),  # summer time then
        (Period(START, monday), False),
        (Period(monday, monday + 3 * week), True),
        (Period(monday + 3 * week, monday + 4 * week), False),
    ]


# --- the chart after the digest -------------------------------------------------------------


async def test_weekly_hours_are_confirmed_minutes_by_domain_in_each_week_before_the_end(
    database: Database,
) -> None:
    week = timedelta(weeks=1)
    async with database.transaction() as tx:

        async def worked(minutes: int | None, domain: str, at: datetime, by: int = 1) -> int:
            added = await contributions.add(tx, ALICE, minutes, domain, "x", ALICE, ROOM, at)
            for witness in (BOB, CHLOE)[:by]:
                await contributions.confirm(tx, added, witness, at)
            return added

        await worked(60, "habitat", END - 3 * week)  # the oldest week's first moment
        await worked(30, "habitat", END - 3 * week - SECOND)  # before it
        await worked(45, "habitat", JUST_BEFORE_END)  # the latest week's last
        await worked(15, "soin", END - week)  # the latest week's first
        await worked(20, "soin", END)  # after it
        await worked(90, "soin", START, by=0)  # never confirmed
        await worked(None, "soin", START)  # no hours
        await contributions.void(tx, await worked(600, "animation", START), END, "no")
        hours = await digest.weekly_hours(tx, END, 3, required=1)
        twice = await digest.weekly_hours(tx, END, 3, required=2)
    assert hours == {"habitat": (60, 0, 45), "soin": (0, 0, 15)}
    assert twice == {}


async def test_weekly_hours_go_through_the_contributions_time_index(database: Database) -> None:
    steps = await plan(database, digest.WEEKLY_HOURS, {"start": "a", "end": "b", "required": 1})
    assert not [step for step in steps if _FULL_SCAN.match(step)], steps
