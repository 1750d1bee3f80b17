"""A closed poll's chart: posted in its thread right after the text result, once however often
the result is announced, and never in the way of the text."""

from __future__ import annotations

import pytest

from bot import charts
from bot.scheduler import Scheduler
from bot.store import polls
from tests.commands.conftest import BOB, CHLOE, ROOM, Harness


async def closed_with_two_votes(en: Harness) -> None:
    await en.answer("!poll Bike or sewing? | bike | sewing")
    await en.answer("!vote p1 1", BOB)
    await en.answer("!vote p1 2", CHLOE)
    await en.send(en.message("!poll close p1"))


async def result_event(en: Harness) -> str | None:
    async with en.database.transaction() as tx:
        value = await tx.fetch_value("SELECT result_event FROM poll WHERE id = 1")
    return None if value is None else str(value)


def sent_order(event_id: str) -> int:
    """The fake homeserver numbers what it is sent: ``$sent<n>``."""
    return int(event_id.removeprefix("$sent"))


async def test_the_chart_follows_the_text_in_the_polls_thread_once(en: Harness) -> None:
    await closed_with_two_votes(en)
    start = en.transport.polls[0].event_id
    [text] = en.transport.posted
    [image] = en.transport.images
    assert (text.room_id, text.thread_root) == (image.room_id, image.thread_root) == (ROOM, start)
    text_event = await result_event(en)
    assert text_event is not None
    assert sent_order(text_event) < sent_order(image.event_id)
    assert image.alt == (
        "Chart of the result of poll p1 “Bike or sewing?”: "
        "1. bike: 50% (1 vote(s)), 2. sewing: 50% (1 vote(s))."
    )
    assert charts.png_size(image.png) == (800, 90 + 2 * 44 + 20)
    async with en.database.transaction() as tx:
        closed = await polls.get(tx, 1)
    assert closed is not None
    await en.poll_keeper.announce(closed)  # as after a stop before the result was noted
    assert (len(en.transport.posted), len(en.transport.images)) == (1, 1)


async def test_a_chart_that_cannot_be_posted_leaves_the_text_result_as_it_was(
    en: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    en.transport.refuse_images = True
    await closed_with_two_votes(en)
    assert len(en.transport.posted) == 1
    assert en.transport.images == []
    assert await result_event(en) is not None  # announced: no start-up posts it again
    assert "could not post the chart of p1 in !room:test" in caplog.text


async def test_no_chart_goes_before_its_text_and_both_go_once_at_the_next_start(
    en: Harness,
) -> None:
    scheduler = Scheduler(en.config, en.database, en.transport, en.clock, en.poll_keeper)
    en.transport.refuse_posts = {ROOM}
    await closed_with_two_votes(en)
    assert (en.transport.posted, en.transport.images) == ([], [])
    en.transport.refuse_posts = set()
    for _ in range(2):
        await en.poll_keeper.recall()
        await scheduler.catch_up_polls()
    assert (len(en.transport.posted), len(en.transport.images)) == (1, 1)
