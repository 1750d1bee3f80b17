"""The scheduler's digests: once per room and period, across restarts and missed runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import charts
from bot.config import Config, DigestConfig
from bot.i18n import Text
from bot.polls import PollKeeper
from bot.scheduler import Scheduler
from bot.store import contributions, digest, events, polls
from bot.store.database import Database
from bot.store.polls import NewPoll
from tests.commands.conftest import ALICE, BOB, make_config
from tests.fakes import FakeClock, FakeTransport

HALL, WORKSHOP = "!hall:test", "!workshop:test"
MONDAY_NINE_PARIS = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # a scheduled run


def config(**digest: object) -> Config:
    return make_config("en").model_copy(
        update={"digest": DigestConfig.model_validate({"schedule": "0 9 * * mon", **digest})}
    )


def make_scheduler(
    settings: Config, database: Database, transport: FakeTransport, clock: FakeClock
) -> Scheduler:
    keeper = PollKeeper(settings, database, transport, clock)
    return Scheduler(settings, database, transport, clock, keeper)


async def serve(database: Database, *rooms: str, since: datetime) -> None:
    async with database.transaction() as tx:
        for room in rooms:
            await events.record_room_joined(tx, room, since)


@pytest.fixture
async def two_rooms(database: Database) -> Database:
    await serve(database, HALL, WORKSHOP, since=MONDAY_NINE_PARIS - timedelta(days=20))
    return database


def posted_to(transport: FakeTransport, room: str) -> list[str]:
    return [each.text.plain.splitlines()[0] for each in transport.posted if each.room_id == room]


async def test_a_run_sends_each_room_its_digest_once_even_after_a_restart(
    two_rooms: Database,
) -> None:
    clock, transport = FakeClock(MONDAY_NINE_PARIS), FakeTransport()
    scheduler = make_scheduler(config(), two_rooms, transport, clock)
    await scheduler.send_digests()
    await scheduler.send_digests()
    restarted = make_scheduler(config(), two_rooms, transport, clock)
    await restarted.send_digests()
    assert len(posted_to(transport, HALL)) == 1
    assert len(posted_to(transport, WORKSHOP)) == 1
    assert "late" not in transport.posted[0].text.plain


async def test_runs_missed_while_down_are_sent_once_late_covering_them_all(
    two_rooms: Database,
) -> None:
    clock, transport = FakeClock(MONDAY_NINE_PARIS), FakeTransport()
    await make_scheduler(config(), two_rooms, transport, clock).send_digests()
    clock.advance(timedelta(days=21, hours=5))  # three runs missed, back on a Monday afternoon
    for _ in range(2):  # a start-up, then another
        await make_scheduler(config(), two_rooms, transport, clock).send_digests()
    [on_time, late] = [each.text.plain for each in transport.posted if each.room_id == HALL]
    assert "late" not in on_time
    assert "late" in late.lower()
    async with two_rooms.transaction() as tx:
        [(_, period_end)] = [
            (row[0], row[1])
            for row in await tx.fetch_all(
                "SELECT room_id, period_end FROM digest_sent WHERE room_id = ? AND late = 1",
                (HALL,),
            )
        ]
    assert datetime.fromisoformat(period_end) == MONDAY_NINE_PARIS + timedelta(days=21)


async def test_a_room_that_refuses_the_digest_stops_no_other_and_is_tried_again(
    two_rooms: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clock, transport = FakeClock(MONDAY_NINE_PARIS), FakeTransport()
    transport.refuse_posts = {HALL}
    scheduler = make_scheduler(config(), two_rooms, transport, clock)
    await scheduler.send_digests()
    assert posted_to(transport, HALL) == []
    assert len(posted_to(transport, WORKSHOP)) == 1
    assert "could not send the digest to !hall:test" in caplog.text
    transport.refuse_posts = set()
    await scheduler.send_digests()
    assert len(posted_to(transport, HALL)) == 1
    assert len(posted_to(transport, WORKSHOP)) == 1


async def test_a_room_served_after_the_last_run_waits_for_the_next(database: Database) -> None:
    await serve(database, HALL, since=MONDAY_NINE_PARIS + timedelta(hours=1))
    clock, transport = FakeClock(MONDAY_NINE_PARIS + timedelta(hours=2)), FakeTransport()
    await make_scheduler(config(), database, transport, clock).send_digests()
    assert transport.posted == []
    clock.advance(timedelta(days=7))
    await make_scheduler(config(), database, transport, clock).send_digests()
    assert len(posted_to(transport, HALL)) == 1


async def test_configured_digest_rooms_replace_the_served_ones(two_rooms: Database) -> None:
    clock, transport = FakeClock(MONDAY_NINE_PARIS), FakeTransport()
    await make_scheduler(config(rooms=[WORKSHOP]), two_rooms, transport, clock).send_digests()
    assert posted_to(transport, HALL) == []
    assert len(posted_to(transport, WORKSHOP)) == 1


async def test_a_digest_cut_short_by_a_stop_is_sent_once_at_start_up(two_rooms: Database) -> None:
    clock, transport = FakeClock(MONDAY_NINE_PARIS), FakeTransport()
    async with two_rooms.transaction() as tx:  # a stop between claiming and sending
        assert await digest.claim(tx, HALL, MONDAY_NINE_PARIS, clock.now(), late=False)
        await digest.set_text(tx, HALL, MONDAY_NINE_PARIS, Text("Community digest, cut", "x"))
    await make_scheduler(config(), two_rooms, transport, clock).send_digests()
    await make_scheduler(config(), two_rooms, transport, clock).send_digests()
    assert posted_to(transport, HALL) == ["Community digest, cut"]
    assert len(posted_to(transport, WORKSHOP)) == 1


async def test_a_digest_sent_but_not_noted_is_not_sent_twice(two_rooms: Database) -> None:
    clock, transport = FakeClock(MONDAY_NINE_PARIS), FakeTransport()
    await make_scheduler(config(), two_rooms, transport, clock).send_digests()
    async with two_rooms.transaction() as tx:  # as if the stop came before the note
        await tx.execute("UPDATE digest_sent SET event_id = NULL")
    await make_scheduler(config(), two_rooms, transport, clock).send_digests()
    assert len(posted_to(transport, HALL)) == 1
    assert len(posted_to(transport, WORKSHOP)) == 1


async def test_a_digest_room_the_bot_does_not_serve_is_reported(
    two_rooms: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clock, transport = FakeClock(MONDAY_NINE_PARIS), FakeTransport()
    rooms = ["!elsewhere:test", HALL]
    await make_scheduler(config(rooms=rooms), two_rooms, transport, clock).send_digests()
    assert "digest room !elsewhere:test is not a room the bot serves" in caplog.text
    assert len(posted_to(transport, HALL)) == 1


async def test_a_poll_past_its_deadline_is_ended_before_the_digest_and_told_as_closed(
    two_rooms: Database,
) -> None:
    """Its deadline went by unseen: it closes at the end sent now, as the digest goes out, so
    this digest does not show it open, and the next one tells it as closed."""
    clock = FakeClock(MONDAY_NINE_PARIS)
    transport = FakeTransport(clock)
    async with two_rooms.transaction() as tx:
        opened = await polls.open_poll(
            tx,
            NewPoll(
                HALL,
                "@alice:test",
                "Paint the door?",
                ("yes", "no"),
                1,
                False,
                False,
                None,
                MONDAY_NINE_PARIS - timedelta(days=3),
                MONDAY_NINE_PARIS - timedelta(minutes=1),
            ),
            {},
        )
        await polls.set_start_event(tx, opened.id, "$start")
    await make_scheduler(config(), two_rooms, transport, clock).send_digests()
    assert [each.start_event for each in transport.ended] == ["$start"]
    clock.advance(timedelta(days=7))
    await make_scheduler(config(), two_rooms, transport, clock).send_digests()
    this_week, next_week = [
        each.text.plain
        for each in transport.posted
        if each.room_id == HALL and not each.thread_root
    ]
    assert "Paint the door?" not in this_week
    assert "Paint the door?" in next_week.split("Polls closed")[1]


# --- the chart after the digest -------------------------------------------------------------


async def confirmed_hours(database: Database, *weeks_ago: int) -> None:
    """An hour of confirmed habitat work in each of these weeks before the Monday run."""
    async with database.transaction() as tx:
        for weeks in weeks_ago:
            at = MONDAY_NINE_PARIS - timedelta(weeks=weeks, days=1)
            added = await contributions.add(tx, ALICE, 60, "habitat", "x", ALICE, HALL, at)
            await contributions.confirm(tx, added, BOB, at)


async def test_the_weeks_confirmed_hours_follow_the_digest_as_a_chart_once(
    two_rooms: Database,
) -> None:
    await confirmed_hours(two_rooms, 0, 0, 3, 9)  # the ninth week back is not charted
    clock, transport = FakeClock(MONDAY_NINE_PARIS), FakeTransport()
    for _ in range(2):
        await make_scheduler(config(), two_rooms, transport, clock).send_digests()
    assert sorted(image.room_id for image in transport.images) == [HALL, WORKSHOP]
    image = next(image for image in transport.images if image.room_id == HALL)
    assert image.thread_root is None
    assert image.alt == ("Chart of the confirmed hours by domain, the last 8 weeks: habitat 3 h.")
    assert charts.png_size(image.png) == (800, 450)
    async with two_rooms.transaction() as tx:
        [digest_event] = await tx.fetch_all(
            "SELECT event_id FROM digest_sent WHERE room_id = ?", (HALL,)
        )
    assert int(digest_event[0].removeprefix("$sent")) < int(image.event_id.removeprefix("$sent"))


async def test_a_digest_cut_short_before_its_chart_gets_it_at_start_up(
    two_rooms: Database,
) -> None:
    await confirmed_hours(two_rooms, 1)
    clock, transport = FakeClock(MONDAY_NINE_PARIS), FakeTransport()
    transport.refuse_images = True  # so that only the text went out...
    await make_scheduler(config(), two_rooms, transport, clock).send_digests()
    transport.refuse_images = False
    async with two_rooms.transaction() as tx:  # ...and the stop came before the note
        await tx.execute("UPDATE digest_sent SET event_id = NULL, body = 'cut', html = 'cut'")
    await make_scheduler(config(), two_rooms, transport, clock).send_digests()
    assert (len(transport.posted), len(transport.images)) == (2, 2)


async def test_no_confirmed_hours_no_chart(two_rooms: Database) -> None:
    async with two_rooms.transaction() as tx:  # recorded, never confirmed
        await contributions.add(tx, ALICE, 60, "habitat", "x", ALICE, HALL, MONDAY_NINE_PARIS)
    clock, transport = FakeClock(MONDAY_NINE_PARIS + timedelta(minutes=1)), FakeTransport()
    await make_scheduler(config(), two_rooms, transport, clock).send_digests()
    assert len(transport.posted) == 2
    assert transport.images == []


async def test_a_chart_that_cannot_be_posted_keeps_the_digest_sent(
    two_rooms: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await confirmed_hours(two_rooms, 0)
    clock, transport = FakeClock(MONDAY_NINE_PARIS), FakeTransport()
    transport.refuse_images = True
    for _ in range(2):
        await make_scheduler(config(), two_rooms, transport, clock).send_digests()
    assert len(transport.posted) == 2
    assert "could not post the digest's chart to !hall:test" in caplog.text
