"""``!poll``, ``!vote``, ``!weight`` and clicked votes, through the real dispatcher and store."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.commands.polls import read_request
from bot.commands.router import UsageError
from bot.domain.tally import FinalResult
from bot.intake import Intake
from bot.messages import IncomingPollEnd, IncomingPollResponse, IncomingRedaction
from bot.polls import current_tally, take_end
from bot.scheduler import Scheduler
from bot.store import polls
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, CHLOE, ROOM, Harness, community

DAVID = "@david:test"


@pytest.fixture
def en(database: Database) -> Harness:
    bot = community(database, "en")
    bot.transport.members[ROOM][DAVID] = "David"
    return bot


async def click(
    bot: Harness, poll_number: int, answers: tuple[str, ...] | None, sender: str, at_seconds: int
) -> str:
    """A vote clicked in a client: a response event to the poll's start event."""
    async with bot.database.transaction() as tx:
        found = await polls.get(tx, poll_number)
    assert found is not None
    assert found.start_event is not None
    event_id = f"$click-{sender}-{at_seconds}"
    sent_at = found.opened_at + timedelta(seconds=at_seconds)
    response = IncomingPollResponse(event_id, ROOM, sender, found.start_event, answers, sent_at)
    bot.transport.history.setdefault(found.start_event, []).append(response)  # as listed
    await bot.dispatcher.handle_poll_response(response)
    return event_id


async def bob_worked_twelve_hours(bot: Harness) -> None:
    await bot.answer("!contribute 12h habitat : roof repairs", BOB)
    await bot.answer("!confirm c1", ALICE)


async def results(bot: Harness, number: int = 1) -> list[str]:
    return (await bot.answer(f"!poll results p{number}")).splitlines()


# --- reading !poll --------------------------------------------------------------------------


def test_options_come_before_the_question_in_either_language() -> None:
    request = read_request(
        "--multi --secrete --egal --domaine habitat --fin 2026-12-01 18:00 Q ? | a | b | c"
    )
    assert request.question == "Q ?"
    assert request.answers == ("a", "b", "c")
    assert (request.multi, request.secret, request.equal) == (True, True, True)
    assert request.domain == "habitat"
    assert request.closes == "2026-12-01 18:00"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Q | a", "polls.answer_count"),
        ("Q | " + " | ".join(str(n) for n in range(21)), "polls.answer_count"),
        ("| a | b", "polls.missing_question"),
        ("Q | a | | b", "polls.empty_answer"),
        ("Q | Pizza | pizza", "polls.answer_twice"),
        ("--often Q | a | b", "polls.unknown_option"),
        ("--domain | a | b", "polls.option_needs_value"),
        ("Q" * 301 + " | a | b", "polls.question_too_long"),
    ],
)
def test_malformed_polls_are_refused_with_the_reason(text: str, key: str) -> None:
    with pytest.raises(UsageError) as refused:
        read_request(text)
    assert refused.value.key == key


async def test_opening_posts_a_native_poll_and_says_how_weights_work(en: Harness) -> None:
    reply = await en.answer("!poll --closes 3d Which evening? | Tuesday | <b>Thursday</b>")
    assert reply.splitlines() == [
        "Poll p1 is open: “Which evening?”. Vote on the poll below, or !vote p1 1. "
        "Closes: Thursday 5 November 2026 at 10:00 (Europe/Paris).",
        "Weights: 1 + 0.25·log₂(1 + H), 3 at most; H = hours of confirmed contributions, "
        "halved every 180 days. Frozen now; !weight explains yours.",
    ]
    [posted] = en.transport.polls
    assert (posted.question, posted.answers) == ("Which evening?", ("Tuesday", "<b>Thursday</b>"))
    assert (posted.max_selections, posted.disclosed) == (1, True)
    assert en.agenda.closings == {1: datetime(2026, 11, 5, 9, 0, tzinfo=UTC)}


async def test_a_question_in_markup_is_shown_as_typed(en: Harness) -> None:
    reply = await en.say("!poll <b>Which</b> & evening? | Tuesday | Thursday")
    assert reply is not None
    assert "“&lt;b&gt;Which&lt;/b&gt; &amp; evening?”" in reply.text.html
    assert "“<b>Which</b> & evening?”" in reply.text.plain


async def test_dates_are_read_in_the_community_time_zone(en: Harness) -> None:
    await en.answer("!poll --multi --secret --closes 2026-12-01 18:00 Q | a | b | c")
    await en.answer("!poll --closes 2026-12-02 Q2 | a | b")
    # Europe/Paris is UTC+1 in December; a date alone closes at the end of that day.
    assert en.agenda.closings == {
        1: datetime(2026, 12, 1, 17, 0, tzinfo=UTC),
        2: datetime(2026, 12, 2, 22, 59, tzinfo=UTC),
    }
    multi_and_secret, one_day = en.transport.polls
    assert (multi_and_secret.max_selections, multi_and_secret.disclosed) == (3, False)
    assert (one_day.max_selections, one_day.disclosed) == (1, True)


@pytest.mark.parametrize(
    ("closes", "reason"),
    [
        ("yesterday", "I cannot read yesterday as a closing time"),
        ("2026-11-01", "The closing time 2026-11-01 has already passed."),
        ("400d", "is more than a year away"),
        ("2026-13-01", "I cannot read 2026-13-01 as a closing time"),
    ],
)
async def test_a_bad_closing_time_is_explained(en: Harness, closes: str, reason: str) -> None:
    assert reason in await en.answer(f"!poll --closes {closes} Q | a | b")
    assert en.transport.polls == []


async def test_an_unknown_domain_lists_the_configured_ones(fr: Harness) -> None:
    reply = await fr.answer("!sondage --domaine jardin Q | a | b")
    assert reply.startswith("Je ne connais pas le domaine « jardin ». Domaines : habitat,")


async def test_a_poll_the_room_refuses_is_cancelled_and_said_so(en: Harness) -> None:
    en.transport.refuse_polls = True
    replies = await en.send(en.message("!poll Q | a | b"))
    assert replies[-1].text.plain == (
        "I could not post poll p1 in this room; it is cancelled. Please try again later."
    )
    assert "I cannot find poll p1." in await en.answer("!vote p1 1")


# --- votes ----------------------------------------------------------------------------------


async def test_weights_are_frozen_when_the_poll_opens(en: Harness) -> None:
    await bob_worked_twelve_hours(en)
    await en.answer("!poll Q | a | b")
    await en.answer("!contribute 40h soin : night shifts", CHLOE)
    await en.answer("!confirm c2", BOB)
    assert "(weight 1.93, frozen at the opening)" in await en.answer("!vote p1 1", BOB)
    assert "(weight 1, frozen at the opening)" in await en.answer("!vote p1 2", CHLOE)
    assert await results(en) == [
        "Poll p1 — “Q” (still open)",
        "1. a: 66% — weight 1.93, 1 vote(s)",
        "2. b: 34% — weight 1, 1 vote(s)",
        "Weighted, “a” leads; by head count (what Element shows), “a” = “b”.",
        "2 voter(s), total weight 2.93; each percentage is the share of that weight which "
        "chose the answer.",
        "Closes: Monday 9 November 2026 at 10:00 (Europe/Paris).",
    ]


async def test_equal_polls_count_heads(en: Harness) -> None:
    await bob_worked_twelve_hours(en)
    await en.answer("!poll --equal Q | a | b")
    assert "(weight 1, frozen" in await en.answer("!vote p1 1", BOB)
    assert (await results(en))[-2] == "1 voter(s); one member, one vote."


async def test_the_latest_response_counts_and_a_redaction_falls_back(en: Harness) -> None:
    await en.answer("!poll Q | a | b | c")
    await click(en, 1, ("1",), BOB, 10)
    latest = await click(en, 1, ("2",), BOB, 20)
    await click(en, 1, ("3",), CHLOE, 10)
    await click(en, 1, ("9",), DAVID, 10)  # an unknown answer spoils the response
    assert (await results(en))[1:4] == [
        "1. a: 0% — weight 0, 0 vote(s)",
        "2. b: 50% — weight 1, 1 vote(s)",
        "3. c: 50% — weight 1, 1 vote(s)",
    ]
    await en.dispatcher.handle_redaction(IncomingRedaction("$undo", ROOM, BOB, latest))
    assert (await results(en))[1] == "1. a: 50% — weight 1, 1 vote(s)"


async def test_vote_command_replaces_and_takes_back(en: Harness) -> None:
    await en.answer("!poll --multi Q | a | b | c")
    assert "Vote recorded on p1: 1. a · 3. c" in await en.answer("!vote p1 1,3")
    en.clock.advance(timedelta(seconds=5))
    await en.answer("!vote p1 2")
    assert (await results(en))[1:4] == [
        "1. a: 0% — weight 0, 0 vote(s)",
        "2. b: 100% — weight 1, 1 vote(s)",
        "3. c: 0% — weight 0, 0 vote(s)",
    ]
    en.clock.advance(timedelta(seconds=5))
    assert await en.answer("!vote p1 none") == "Your vote on p1 is taken back."
    assert (await results(en))[-2].startswith("0 voter(s)")


@pytest.mark.parametrize(
    ("choices", "reason"),
    [
        ("7", "There is no answer number 7: answers go from 1 to 2."),
        ("1,2", "You chose 2 answers; this poll allows 1."),
        ("first", "I cannot read first: give answer numbers from 1 to 2"),
    ],
)
async def test_bad_votes_are_explained(en: Harness, choices: str, reason: str) -> None:
    await en.answer("!poll Q | a | b")
    assert reason in await en.answer(f"!vote p1 {choices}")


async def test_votes_on_unknown_or_foreign_polls_are_ignored(en: Harness) -> None:
    await en.answer("!poll Q | a | b")
    stranger = IncomingPollResponse("$x", ROOM, BOB, "$someone-elses-poll", ("1",), en.clock.now())
    await en.dispatcher.handle_poll_response(stranger)
    assert (await results(en))[-2].startswith("0 voter(s)")
    assert "is not a valid reference" in await en.answer("!vote o1 1")


async def test_secret_results_stay_hidden_until_the_close(en: Harness) -> None:
    await en.answer("!poll --secret --closes 1h Q | a | b")
    await en.answer("!vote p1 1", BOB)
    assert await en.answer("!poll results p1") == (
        "The results of p1 stay hidden until the close, Monday 2 November 2026 at 11:00 "
        "(Europe/Paris). "
        "Voters so far: 1."
    )


# --- closing --------------------------------------------------------------------------------


async def test_a_poll_asked_for_in_a_thread_is_posted_and_closed_there(en: Harness) -> None:
    """Threads do not nest: the result goes to the thread the poll is in, not under it."""
    await en.send(en.message("!poll Q | a | b", ALICE, thread_root="$thread"))
    [posted] = en.transport.polls
    assert posted.thread_root == "$thread"
    await en.answer("!poll close p1", ALICE)
    [result] = en.transport.posted
    assert result.thread_root == "$thread"


async def test_only_the_creator_or_a_moderator_closes(en: Harness) -> None:
    await en.answer("!poll Q | a | b", BOB)
    assert await en.answer("!poll close p1", CHLOE) == (
        "Only whoever opened p1, or a moderator, can close it."
    )
    en.transport.levels[(ROOM, CHLOE)] = 100
    [reply] = await en.send(en.message("!poll close p1", CHLOE))
    assert reply.text.plain == "Closing poll p1; the weighted result follows in its thread."
    [ended] = en.transport.ended
    start = en.transport.polls[0].event_id
    assert ended.start_event == start
    [result] = en.transport.posted
    assert (result.room_id, result.thread_root) == (ROOM, start)
    assert result.text.plain.startswith("Result of poll p1 — “Q”")
    assert ended.text == "Poll p1 — “Q” is closed; its weighted result follows in its thread."
    assert "Poll p1 is closed." in await en.answer("!poll close p1", BOB)


async def test_a_close_late_counts_the_votes_it_missed_up_to_its_end_as_element_does(
    en: Harness,
) -> None:
    """The bot was down at the deadline: the card stayed open in Element, which counts every
    click up to the end the bot sends when it is back, and so does the bot."""
    scheduler = Scheduler(en.config, en.database, en.transport, en.clock, en.poll_keeper)
    await en.answer("!poll --closes 1h Q | a | b")
    start = en.transport.polls[0].event_id
    sent = en.clock.now()
    en.transport.history[start] = [
        IncomingPollResponse("$while-down", ROOM, BOB, start, ("2",), sent + timedelta(minutes=5)),
        IncomingPollResponse("$past-due", ROOM, CHLOE, start, ("1",), sent + timedelta(hours=2)),
    ]
    en.clock.advance(timedelta(hours=3))
    for _ in range(2):  # a second start-up closes nothing twice
        await en.poll_keeper.recall()
        await scheduler.catch_up_polls()
    [ended] = en.transport.ended
    [result] = en.transport.posted
    assert result.text.plain.splitlines()[1:3] == [
        "1. a: 50% — weight 1, 1 vote(s)",
        "2. b: 50% — weight 1, 1 vote(s)",
    ]
    async with en.database.transaction() as tx:
        closed = await polls.get(tx, 1)
    assert closed is not None
    assert (closed.closed_at, closed.end_event) == (sent + timedelta(hours=3), ended.event_id)


async def test_a_closing_cut_short_is_finished_at_start_up(en: Harness) -> None:
    """Stopped after the end and the count, before the result went out: the next start
    posts the result, and sends no second end."""
    scheduler = Scheduler(en.config, en.database, en.transport, en.clock, en.poll_keeper)
    await en.answer("!poll Q | a | b")
    await en.answer("!vote p1 1", BOB)
    en.transport.refuse_posts = {ROOM}
    await en.send(en.message("!poll close p1"))
    assert en.transport.posted == []
    en.transport.refuse_posts = set()
    for _ in range(2):
        await en.poll_keeper.recall()
        await scheduler.catch_up_polls()
    assert len(en.transport.ended) == 1
    [result] = en.transport.posted
    assert "1. a: 100% — weight 1, 1 vote(s)" in result.text.plain


async def test_a_poll_an_older_version_closed_before_ending_it_is_ended_at_start_up(
    en: Harness,
) -> None:
    """Older Compagnons counted first and ended after: a stop in between left no end."""
    scheduler = Scheduler(en.config, en.database, en.transport, en.clock, en.poll_keeper)
    await en.answer("!poll Q | a | b")
    await en.answer("!vote p1 1", BOB)
    async with en.database.transaction() as tx:
        found = await polls.get(tx, 1)
        assert found is not None
        counted = await current_tally(tx, found, en.clock.now())
        await polls.close(tx, 1, en.clock.now(), FinalResult.of(counted))
    await en.poll_keeper.recall()
    await scheduler.catch_up_polls()
    [ended] = en.transport.ended
    [result] = en.transport.posted
    assert "1. a: 100% — weight 1, 1 vote(s)" in result.text.plain
    async with en.database.transaction() as tx:
        closed = await polls.get(tx, 1)
    assert closed is not None
    assert closed.end_event == ended.event_id


# --- !weight --------------------------------------------------------------------------------


async def test_weight_is_explained_term_by_term(en: Harness) -> None:
    await bob_worked_twelve_hours(en)
    assert (await en.answer("!weight Bob Martin habitat")).splitlines() == [
        "Bob Martin's weight: 2.85, were a poll to open now",
        "• base: 1 (every voice counts)",
        "• engagement: 0.25 × log₂(1 + 12 h) = 0.93 — 1 confirmed contribution(s), "
        "their hours halved every 180 days",
        "• in habitat: 0.25 × log₂(1 + 12 h) = 0.93 — 1 contribution(s) in this domain",
        "A contribution without hours counts as one hour. "
        "A poll freezes the weights when it opens.",
    ]


async def test_a_pair_thanking_200_hours_twice_gets_50_hours_of_voice(en: Harness) -> None:
    """The weekly bound caps the first claim; the witness's weekly budget stops the second."""
    await en.answer(f"!thanks {BOB} 200h habitat : everything, all week")
    second = await en.answer(f"!thanks {BOB} 200h habitat : everything, again")
    assert second.splitlines()[-1] == (
        "Your thanks is recorded but does not count as a confirmation: you have confirmed "
        "200h of others' work in the last 7 days (at most 40h a week)."
    )
    assert (await en.answer("!weight Bob Martin")).splitlines()[2:4] == [
        "• engagement: 0.25 × log₂(1 + 50 h) = 1.42 — 1 confirmed contribution(s), "
        "their hours halved every 180 days",
        "  (50 of 200 h count: at most 50 h a week are credited to one member)",
    ]


async def test_weight_in_french(fr: Harness) -> None:
    assert (await fr.answer("!poids")).splitlines()[0] == (
        "Alice : poids 1, si un sondage s'ouvrait maintenant"
    )


async def test_a_closed_poll_keeps_the_result_it_announced(en: Harness) -> None:
    await en.answer("!poll Q | a | b")
    clicked = await click(en, 1, ("1",), BOB, 10)
    en.clock.advance(timedelta(minutes=1))
    await en.send(en.message("!poll close p1"))
    announced = await results(en)
    await en.dispatcher.handle_redaction(IncomingRedaction("$undo", ROOM, BOB, clicked))
    assert await results(en) == announced
    assert announced[1] == "1. a: 100% — weight 1, 1 vote(s)"


async def test_clicks_taken_back_while_the_bot_was_away_are_withdrawn_at_start_up(
    en: Harness,
) -> None:
    await en.answer("!poll --closes 1d Q | a | b")
    await click(en, 1, ("1",), BOB, 10)
    taken_back = await click(en, 1, ("2",), BOB, 20)
    await en.answer("!vote p1 2", CHLOE)  # typed votes are not the homeserver's to list
    start = en.transport.polls[0].event_id
    en.transport.history[start] = [
        each for each in en.transport.history[start] if each.event_id != taken_back
    ]
    scheduler = Scheduler(en.config, en.database, en.transport, en.clock, en.poll_keeper)
    en.transport.history_unreadable = True  # a partial read proves nothing: no change
    await en.poll_keeper.recall()
    await scheduler.catch_up_polls()
    assert (await results(en))[1:3] == [
        "1. a: 0% — weight 0, 0 vote(s)",
        "2. b: 100% — weight 2, 2 vote(s)",
    ]
    en.transport.history_unreadable = False
    await en.poll_keeper.recall()
    await scheduler.catch_up_polls()
    assert (await results(en))[1:3] == [
        "1. a: 50% — weight 1, 1 vote(s)",
        "2. b: 50% — weight 1, 1 vote(s)",
    ]


async def test_start_up_finishes_only_what_the_previous_run_left(en: Harness) -> None:
    """Commands handled while the bot catches up post and close polls themselves."""
    scheduler = Scheduler(en.config, en.database, en.transport, en.clock, en.poll_keeper)
    await en.poll_keeper.recall()  # nothing was left half done
    en.transport.refuse_polls = True
    await en.send(en.message("!poll Q | a | b"))  # not posted: cancelled, not left over
    en.transport.refuse_polls = False
    await en.answer("!poll Q2 | a | b")
    await scheduler.catch_up_polls()
    assert [each.question for each in en.transport.polls] == ["Q2"]


async def test_a_question_may_start_with_a_sub_command_word(fr: Harness) -> None:
    assert (await fr.answer("!sondage Fermer la cour le dimanche ? | oui | non")).startswith(
        "Sondage p1 ouvert : « Fermer la cour le dimanche ? »."
    )
    assert (await fr.answer("!sondage résultats")).splitlines() == [
        "Il manque : sondage.",
        "Usage : !sondage résultats <sondage>",  # the sub-command's own usage
        "Exemple : !sondage résultats p2",
    ]


@pytest.mark.parametrize("choice", ["١", "1.5", "-1"])
async def test_only_plain_answer_numbers_are_votes(en: Harness, choice: str) -> None:
    await en.answer("!poll Q | a | b")
    assert (await en.answer(f"!vote p1 {choice}")).startswith(f"I cannot read {choice}:")


async def test_a_superscript_two_is_read_as_the_two_it_stands_for(en: Harness) -> None:
    """Typed text is NFKC-normalised before any command reads it."""
    await en.answer("!poll Q | a | b")
    assert (await en.answer("!vote p1 ²")).startswith("Vote recorded on p1: 2. b")


async def test_an_absurdly_far_close_is_refused_not_a_crash(en: Harness) -> None:
    reply = await en.answer("!poll --closes 99999999999d Q | a | b")
    assert reply.startswith("I cannot read 99999999999d as a closing time")


async def test_a_vote_typed_at_the_deadline_counts_as_a_click_would(en: Harness) -> None:
    await en.answer("!poll --closes 1h Q | a | b")
    en.clock.advance(timedelta(hours=1))
    assert "Vote recorded on p1" in await en.answer("!vote p1 1", BOB)
    en.clock.advance(timedelta(seconds=1))
    assert "Poll p1 is closed." in await en.answer("!vote p1 2", CHLOE)


async def test_a_click_arriving_while_the_list_is_read_is_not_taken_for_a_withdrawn_one(
    en: Harness,
) -> None:
    await en.answer("!poll --closes 1d Q | a | b")
    start = en.transport.polls[0].event_id

    async def click_now() -> None:
        live = IncomingPollResponse("$live", ROOM, BOB, start, ("2",), en.clock.now())
        await en.dispatcher.handle_poll_response(live)

    en.transport.while_reading_history = click_now
    scheduler = Scheduler(en.config, en.database, en.transport, en.clock, en.poll_keeper)
    await en.poll_keeper.recall()
    await scheduler.catch_up_polls()
    assert (await results(en))[2] == "2. b: 100% — weight 1, 1 vote(s)"


async def test_the_scheduler_waits_for_a_readable_vote_list_but_not_forever(
    en: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler = Scheduler(en.config, en.database, en.transport, en.clock, en.poll_keeper)
    await en.answer("!poll --closes 1h Q | a | b")
    await en.answer("!vote p1 1", BOB)
    en.transport.history_unreadable = True
    en.clock.advance(timedelta(hours=1))
    await scheduler.close_poll(1)
    assert en.transport.ended == []
    assert "the votes of p1 could not be read; closing it later" in caplog.text
    en.clock.advance(timedelta(hours=1))
    await scheduler.close_poll(1)
    assert len(en.transport.ended) == 1
    [result] = en.transport.posted
    assert "1. a: 100% — weight 1, 1 vote(s)" in result.text.plain


async def test_a_vote_on_a_secret_poll_is_acknowledged_without_the_answer(en: Harness) -> None:
    await en.answer("!poll --secret Who cooks? | Alice's soup | Bob's stew")
    reply = await en.answer("!vote p1 2")
    assert reply.startswith("Vote recorded on p1. The poll is secret")
    assert "stew" not in reply
    assert "2" not in reply.replace("p1", "")


async def test_a_vote_forgotten_stays_forgotten_when_the_close_reads_the_clicks_again(
    en: Harness,
) -> None:
    """Bob clicks, then erases himself: his click is still on the homeserver, and the close
    reads every click again. It must neither count nor bring his id back."""
    await en.answer("!poll Q | a | b")
    await click(en, 1, ("2",), BOB, 10)
    await click(en, 1, ("1",), CHLOE, 20)
    await en.answer("!forget me", BOB)
    await en.answer("!forget me confirm", BOB)
    en.clock.advance(timedelta(minutes=1))
    await en.answer("!poll close p1", ALICE)
    [result] = en.transport.posted
    assert result.text.plain.splitlines()[1:3] == [
        "1. a: 100% — weight 1, 1 vote(s)",
        "2. b: 0% — weight 0, 0 vote(s)",
    ]
    async with en.database.transaction() as tx:
        rows = await tx.fetch_all("SELECT voter FROM poll_response")
    assert [row["voter"] for row in rows] == [CHLOE]  # closed: his click's trace is gone


# --- ended in Element, and votes clicked during the close ------------------------------------


async def listed_end(bot: Harness, sender: str, at_seconds: int) -> IncomingPollEnd:
    """An end event from a member Element lets end the poll, as the homeserver lists it."""
    start = bot.transport.polls[0].event_id
    async with bot.database.transaction() as tx:
        found = await polls.by_start_event(tx, start)
    assert found is not None
    sent_at = found.opened_at + timedelta(seconds=at_seconds)
    end = IncomingPollEnd(f"$end-{sender}", ROOM, sender, start, sent_at)
    bot.transport.poll_ends.setdefault(start, []).append(end)
    return end


async def test_a_poll_a_moderator_ends_in_element_closes_at_that_end(en: Harness) -> None:
    """Element offers "End poll" to those who may redact others' events: the bot closes the
    poll at that end's time, counts as Element does, posts its result, and ends it no more."""
    await en.answer("!poll --closes 1d Q | a | b", BOB)
    await click(en, 1, ("1",), BOB, 10)
    await click(en, 1, ("2",), CHLOE, 20)
    end = await listed_end(en, ALICE, 30)
    await click(en, 1, ("2",), BOB, 40)  # after the end: Element ignores it
    en.clock.advance(timedelta(minutes=1))
    door = Intake(en.database, en.dispatcher, en.clock)
    for position in ("s1", "s2"):  # taken in as any event is; seen again, it changes nothing
        await asyncio.gather(*await door.receive([end], position))
    assert en.transport.ended == []
    [result] = en.transport.posted
    assert result.thread_root == end.poll_event
    assert result.text.plain.splitlines()[1:3] == [
        "1. a: 50% — weight 1, 1 vote(s)",
        "2. b: 50% — weight 1, 1 vote(s)",
    ]
    async with en.database.transaction() as tx:
        closed = await polls.get(tx, 1)
    assert closed is not None
    assert (closed.closed_at, closed.end_event) == (end.sent_at, end.event_id)


async def test_an_end_taken_in_before_a_stop_closes_the_poll_at_the_next_start(
    en: Harness,
) -> None:
    await en.answer("!poll --closes 1d Q | a | b")
    await click(en, 1, ("1",), BOB, 10)
    end = await listed_end(en, ALICE, 30)
    await click(en, 1, ("2",), CHLOE, 40)
    async with en.database.transaction() as tx:  # what the intake commits; then the stop
        assert await take_end(tx, end) is not None
    en.clock.advance(timedelta(hours=1))
    scheduler = Scheduler(en.config, en.database, en.transport, en.clock, en.poll_keeper)
    await en.poll_keeper.recall()
    await scheduler.catch_up_polls()
    assert en.transport.ended == []
    [result] = en.transport.posted
    assert result.text.plain.splitlines()[1:3] == [
        "1. a: 100% — weight 1, 1 vote(s)",
        "2. b: 0% — weight 0, 0 vote(s)",
    ]


async def test_an_end_sent_while_the_bot_was_away_is_found_with_the_votes(en: Harness) -> None:
    """Buried in a busy room's history, the end still comes with the poll's relations."""
    await en.answer("!poll --closes 1d Q | a | b")
    await click(en, 1, ("2",), BOB, 10)
    end = await listed_end(en, ALICE, 30)
    en.clock.advance(timedelta(hours=1))
    scheduler = Scheduler(en.config, en.database, en.transport, en.clock, en.poll_keeper)
    await en.poll_keeper.recall()
    await scheduler.catch_up_polls()
    assert en.transport.ended == []
    assert len(en.transport.posted) == 1
    async with en.database.transaction() as tx:
        closed = await polls.get(tx, 1)
    assert closed is not None
    assert closed.closed_at == end.sent_at


async def test_a_vote_clicked_during_the_close_counts_as_element_counts_it(en: Harness) -> None:
    """``!poll close`` at t; Chloé clicks at t + 1 s, before the end goes out at t + 2 s;
    Bob's click at t + 3 s comes after it. Element counts Chloé's and not Bob's: so must
    the bot."""
    await en.answer("!poll --closes 1d Q | a | b")
    start = en.transport.polls[0].event_id
    await click(en, 1, ("1",), BOB, 0)
    reads = 0

    async def members_keep_clicking() -> None:
        nonlocal reads
        reads += 1
        voter, answer = (CHLOE, "2") if reads == 1 else (BOB, "2")
        sent_at = en.clock.now() + timedelta(seconds=1)
        clicked = IncomingPollResponse(f"$during-{reads}", ROOM, voter, start, (answer,), sent_at)
        en.transport.history[start].append(clicked)  # listed, not yet synced to the bot
        en.clock.advance(timedelta(seconds=2))

    en.transport.while_reading_history = members_keep_clicking
    await en.send(en.message("!poll close p1"))
    assert len(en.transport.ended) == 1
    [end] = en.transport.poll_ends[start]
    listed = en.transport.history[start]
    assert [each.event_id for each in listed if each.sent_at <= end.sent_at] == [
        "$click-@bob:test-0",
        "$during-1",
    ]
    [result] = en.transport.posted
    assert result.text.plain.splitlines()[1:3] == [
        "1. a: 50% — weight 1, 1 vote(s)",
        "2. b: 50% — weight 1, 1 vote(s)",
    ]


# --- two winners ----------------------------------------------------------------------------


async def bob_outweighs_two(bot: Harness, vote: str) -> None:
    """Bob's 40 confirmed hours (weight 2.34) on answer 1; Chloé and David, 1 each, on 2."""
    await bot.answer("!contribute 40h habitat : rebuilt the roof", BOB)
    await bot.answer("!confirm c1", ALICE)
    await bot.answer("!poll Q | a | b")
    for voter, answer in ((BOB, "1"), (CHLOE, "2"), (DAVID, "2")):
        await bot.answer(f"{vote} p1 {answer}", voter)


async def test_when_weight_and_head_count_lead_apart_the_result_says_both(en: Harness) -> None:
    await bob_outweighs_two(en, "!vote")
    assert (await results(en))[1:4] == [
        "1. a: 54% — weight 2.34, 1 vote(s)",
        "2. b: 46% — weight 2, 2 vote(s)",
        "Weighted, “a” leads; by head count (what Element shows), “b”.",
    ]


async def test_both_leaders_are_said_in_french_too(fr: Harness) -> None:
    fr.transport.members[ROOM][DAVID] = "David"
    await bob_outweighs_two(fr, "!voter")
    assert (await results(fr))[3] == (
        "Au poids, « a » l'emporte ; au nombre de voix (ce qu'affiche Element), « b »."
    )


async def test_one_leader_by_both_counts_is_said_once(en: Harness) -> None:
    await en.answer("!poll Q | a | b")
    await en.answer("!vote p1 2", BOB)
    assert not any("head count" in line for line in await results(en))
