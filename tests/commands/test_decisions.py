"""Decisions that reach everyone: a quorum (of heads or of weight), an explicit abstention,
and one reminder to those who have not voted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.commands.polls import read_request
from bot.commands.router import UsageError
from bot.domain.quorum import Quorum, Turnout, judge
from bot.polls import PollKeeper
from bot.store import polls
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, CHLOE, ROOM, Harness, community
from tests.commands.test_polls import DAVID, click

ERIN = "@erin:test"


@pytest.fixture
def en(database: Database) -> Harness:
    """Five members: Alice, Bob, Chloé, David, Erin."""
    bot = community(database, "en")
    bot.transport.members[ROOM] |= {DAVID: "David", ERIN: "Erin"}
    return bot


def keeper(bot: Harness) -> PollKeeper:
    return PollKeeper(bot.config, bot.database, bot.transport, bot.clock)


async def close(bot: Harness) -> list[str]:
    """Closed a minute after the opening: the clicks below came within it."""
    bot.clock.advance(timedelta(minutes=1))
    await bot.answer("!poll close p1")
    return bot.transport.posted[-1].text.plain.splitlines()


# --- reading the options -------------------------------------------------------------------


def test_a_quorum_reads_in_either_language_and_with_or_without_its_sign() -> None:
    assert read_request("--quorum 50% Q? | a | b").quorum == Quorum(heads=0.5)
    assert read_request("--quorum-poids 40 Q? | a | b").quorum == Quorum(weight=0.4)
    assert read_request("--quorum 100% --quorum-weight 12,5% Q? | a | b").quorum == Quorum(
        1.0, 0.125
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("--quorum 0% Q? | a | b", "polls.bad_quorum"),
        ("--quorum 150% Q? | a | b", "polls.bad_quorum"),
        ("--quorum half Q? | a | b", "polls.bad_quorum"),
        ("--equal --quorum-weight 40% Q? | a | b", "polls.quorum_weight_equal"),
        ("--quorum 50% Q? | " + " | ".join(str(n) for n in range(20)), "polls.answer_count"),
    ],
)
def test_a_bad_quorum_is_refused_with_the_reason(text: str, key: str) -> None:
    with pytest.raises(UsageError) as refused:
        read_request(text)
    assert refused.value.key == key


async def test_a_reminder_after_the_opening_is_refused(en: Harness) -> None:
    assert (await en.answer("!poll --closes 2h --remind 3h Q? | a | b")).startswith(
        "A reminder 3h before the close would come before the poll opens: give a shorter "
        "one, or a later close."
    )
    assert (await en.answer("!poll --remind soon Q? | a | b")).startswith(
        "I cannot read the reminder soon."
    )


# --- quorum and abstention -----------------------------------------------------------------


async def test_without_the_quorum_there_is_no_decision(en: Harness) -> None:
    """Five members, 60 % asked: three must take part; two voted."""
    await en.answer("!poll --equal --quorum 60% Paint it? | yes | no")
    [card] = en.transport.polls
    assert card.answers == ("yes", "no", "Abstain")  # offered with a quorum
    await click(en, 1, ("1",), BOB, 10)
    await click(en, 1, ("2",), CHLOE, 20)
    lines = await close(en)
    assert lines[1:3] == ["1. yes: 50% — weight 1, 1 vote(s)", "2. no: 50% — weight 1, 1 vote(s)"]
    assert lines[-2:] == [
        "Quorum: 2 of 5 members took part; 3 needed.",
        "No decision: the quorum was not reached.",
    ]


async def test_an_abstention_counts_toward_the_quorum_and_for_no_answer(en: Harness) -> None:
    await en.answer("!poll --equal --quorum 60% Paint it? | yes | no")
    await click(en, 1, ("1",), BOB, 10)
    await click(en, 1, ("1",), CHLOE, 20)
    assert await en.answer("!vote p1 abstain", DAVID) == (
        "Vote recorded on p1: 3. Abstain (weight 1, frozen at the opening). To change it: "
        "!vote p1 …"
    )
    lines = await close(en)
    assert lines[1] == "1. yes: 100% — weight 2, 2 vote(s)"  # the leader, no longer undecided
    assert "Abstentions: 1 (weight 1), counted for the quorum, for no answer." in lines
    assert lines[-2:] == ["Quorum: 3 of 5 members took part; 3 needed.", "Quorum reached."]


async def test_a_weight_quorum_is_a_share_of_the_rooms_frozen_weight(en: Harness) -> None:
    """Bob's 12 h weigh 1.93: the room weighs 5.93; 45 % of it is 2.67, which Bob alone
    does not reach and Bob with Chloé does."""
    await en.answer("!contribute 12h habitat : roof", BOB)
    await en.answer("!confirm c1", ALICE)
    await en.answer("!poll --quorum-weight 45% Paint it? | yes | no")
    await click(en, 1, ("1",), BOB, 10)
    assert (await en.answer("!poll results p1")).splitlines()[-3:-1] == [
        "Weight quorum: 1.93 of 5.93 took part; 2.67 needed.",
        "Quorum not reached yet.",
    ]
    await click(en, 1, ("3",), CHLOE, 20)  # the card's abstain answer
    lines = await close(en)
    assert lines[-2:] == ["Weight quorum: 2.93 of 5.93 took part; 2.67 needed.", "Quorum reached."]


def test_the_head_count_needed_is_rounded_up() -> None:
    turnout = Turnout(members=7, members_weight=7.0, took_part=3, weight_taking_part=3.0)
    assert judge(Quorum(heads=0.5), turnout).heads_needed == 4
    assert not judge(Quorum(heads=0.5), turnout).reached


# --- reminders -----------------------------------------------------------------------------


async def test_the_reminder_pings_only_those_who_have_not_voted_once(en: Harness) -> None:
    await en.answer("!reminders off", ERIN)
    await en.answer("!poll --closes 3d --remind 24h Paint it? | yes | no")
    [(number, when)] = en.agenda.reminders.items()
    async with en.database.transaction() as tx:
        found = await polls.get(tx, number)
    assert found is not None
    assert when == found.closes_at - timedelta(days=1)
    await click(en, 1, ("1",), BOB, 10)
    await click(en, 1, ("2",), CHLOE, 20)
    await click(en, 1, (), CHLOE, 30)  # Chloé took her vote back: she is reminded
    await keeper(en).remind(number)
    [reminder] = en.transport.posted
    assert reminder.mentions == (ALICE, CHLOE, DAVID)  # Erin declined; Bob voted
    assert reminder.thread_root == found.start_event
    assert reminder.text.plain.startswith("Reminder: Alice, Chloé, David, poll p1 “Paint it?”")
    await keeper(en).remind(number)  # again, as after a restart: nothing more
    assert len(en.transport.posted) == 1


async def test_a_reminder_decided_before_a_stop_goes_out_at_the_next_start_once(
    en: Harness,
) -> None:
    await en.answer("!poll --closes 3d --remind 24h Paint it? | yes | no")
    async with en.database.transaction() as tx:
        await polls.owe_reminder(tx, 1, en.clock.now())  # decided, then the bot stopped
        assert [poll.id for poll in await polls.reminders_due(tx)] == [1]
    await keeper(en).remind(1)
    await keeper(en).remind(1)
    assert len(en.transport.posted) == 1
    async with en.database.transaction() as tx:
        assert await polls.reminders_due(tx) == []


async def test_reminders_on_and_off_in_french(database: Database) -> None:
    bot = community(database, "fr")
    assert await bot.answer("!rappels non", BOB) == (
        "C'est noté : plus de rappels pour les sondages. !rappels oui les remet."
    )
    assert await bot.answer("!rappels oui", BOB) == (
        "C'est noté : les sondages vous rappelleront quand vous n'avez pas voté."
    )
    assert (await bot.answer("!rappels peut-être", BOB)).splitlines() == [
        "Oui ou non ? Je n'ai pas compris peut-être.",
        "Usage : !rappels <oui|non>",
        "Exemple : !rappels non",
    ]
