"""Invisible, control and look-alike characters: never a second skill, never kept, never echoed."""

from __future__ import annotations

from bot.store import skills
from tests.commands.conftest import ALICE, BOB, ROOM, Harness, hidden

# A right-to-left override, a NUL, a zero-width space, an isolate, a soft hyphen: all go.
INVISIBLE = "\u202e\x00\u200b\u2066\u00ad"
# And a screen-clearing escape: its ESC goes, "[2J" stays as harmless text.
ATTACK = INVISIBLE + "\x1b[2J"


async def stored_text(bot: Harness) -> list[str]:
    """Every text value in every table: what reached the store."""
    async with bot.database.transaction() as tx:
        tables = await tx.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")
        values = []
        for (table,) in tables:
            for row in await tx.fetch_all(f'SELECT * FROM "{table}"'):
                values += [value for value in row if isinstance(value, str)]
    return values


async def test_look_alike_skills_are_one_skill(en: Harness) -> None:
    await en.answer("!offer wood\u200bworking 4", BOB)
    text = await en.answer("!need ｗｏｏｄ\u00adworking")  # full-width letters, a soft hyphen
    assert "I took" not in text
    assert "(level 4, o1)" in text  # Bob's offer, found for the need
    assert "offer o1 updated (woodworking, level 5" in await en.answer(
        "!offer \u2066woodworking\u2069 5", BOB
    )
    async with en.database.transaction() as tx:
        assert [skill.name for skill in await skills.every(tx)] == ["woodworking"]


async def test_a_skill_of_invisible_characters_only_is_refused_with_the_usage(en: Harness) -> None:
    assert (await en.answer("!offer \u200b\u200d\u2060 : evenings")).splitlines() == [
        "Missing: skill.",
        "Usage: !offer <skill> [level] [: details]",
        "Example: !offer woodworking 4 : I can show how to use a router",
    ]
    async with en.database.transaction() as tx:
        assert await skills.every(tx) == []


async def test_hidden_characters_reach_neither_the_store_nor_a_reply(en: Harness) -> None:
    i, x = INVISIBLE, ATTACK
    commands = [
        (f"!offer {i}woodworking{i} 3 : {x}weekends at the workshop{i}", BOB),
        (f"!need wood{i}working 1 : a {x}shelf", ALICE),
        (f"!contribute 2h habi{i}tat : fixed{x} the door", ALICE),
        (f"!thanks Bob{i} 1h : lent{x} a ladder", ALICE),
        (f"!poll {i}Paint the yard?{i} | yes{x} | no", ALICE),
        ("!match ask o1", ALICE),
        ("!match accept m1", BOB),
        (f"!match done m1 : {x}patient{i}", ALICE),
        (f"!offers wood{i}working", ALICE),
    ]
    for body, sender in commands:
        reply = await en.say(body, sender)
        assert reply is not None, body
        assert "Missing" not in reply.text.plain, reply.text.plain
        assert not hidden(reply.text.plain), body
        assert not hidden(reply.text.html), body
    [poll] = en.transport.polls
    assert (poll.question, poll.answers) == ("Paint the yard?", ("yes[2J", "no"))
    values = await stored_text(en)
    assert {"[2Jweekends at the workshop", "fixed[2J the door", "[2Jpatient"} <= set(values)
    assert [value for value in values if hidden(value)] == []


async def test_line_breaks_and_tabs_separate_words_like_spaces(en: Harness) -> None:
    text = await en.answer("!offer\nbike\trepair\r\n4 : evenings\nand weekends")
    assert text.startswith("Offer o1 recorded: bike repair, level 4")
    assert "evenings and weekends" in await en.answer("!offers")


async def test_a_look_alike_poll_answer_is_the_same_answer(en: Harness) -> None:
    text = await en.answer("!poll Paint? | yes | y\u200bes")
    assert text.splitlines()[0] == "The answer “yes” appears twice."
    assert en.transport.polls == []


async def test_a_pill_still_names_a_member_whose_name_holds_hidden_characters(
    en: Harness,
) -> None:
    lou = "@lou:test"
    en.transport.members[ROOM][lou] = "Lou\u200b Ｌ"
    # The pill's text is the name as the room shows it.
    [reply] = await en.send(en.message("!thanks Lou\u200b Ｌ 1h : lent a ladder", mentions=(lou,)))
    assert reply.text.plain.startswith("Alice thanks Lou L! Contribution c1 recorded: 1h")
    assert reply.mentions == (lou,)
