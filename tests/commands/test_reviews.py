"""Random review: a share of new contributions is put to a member of the room who had no
part in them; their ✅ or !contest is the answer, moderators see the tally in !audit."""

from __future__ import annotations

from bot.config import ContributionsConfig
from bot.i18n.types import Language
from bot.store import contributions
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, CHLOE, NAMES, ROOM, Harness, make_config

DAN = "@dan:test"


def reviewing(database: Database, share: float, language: Language = "en") -> Harness:
    config = make_config(language, rate_limit={"burst": 100}, moderators=[DAN]).model_copy(
        update={"contributions": ContributionsConfig(review_share=share)}
    )
    bot = Harness(database, config)
    bot.transport.members[ROOM] = dict(NAMES)
    return bot


async def asked(bot: Harness) -> list[contributions.Review]:
    async with bot.database.transaction() as tx:
        return await contributions.reviews(tx)


async def test_a_thanks_is_put_to_the_one_member_with_no_part_in_it(database: Database) -> None:
    """Alice thanks Bob: Chloé is the only one left to ask, and she is pinged by name."""
    bot = reviewing(database, 1.0)
    reply = await bot.say(f"!thanks {BOB} 3h habitat : the roof", ALICE)
    assert reply is not None
    assert reply.text.plain.splitlines()[-1] == (
        "Random review: Chloé, you had no part in it — did you see this work? React ✅ if "
        "it happened, or !contest c1 : … with the reason if not."
    )
    assert reply.mentions == (BOB, CHLOE)
    [review] = await asked(bot)
    assert (review.reviewer, review.verdict) == (CHLOE, None)


async def test_the_reviewers_check_mark_confirms_and_answers(database: Database) -> None:
    bot = reviewing(database, 1.0)
    await bot.answer(f"!thanks {BOB} 3h habitat : the roof", ALICE)
    await bot.react(f"$reply{len(bot.transport.sent)}", "✅", sender=CHLOE)
    [review] = await asked(bot)
    assert review.verdict == "confirmed"
    async with bot.database.transaction() as tx:
        found = await contributions.get(tx, 1)
    assert found is not None
    assert found.confirmations == 2


async def test_a_dispute_by_the_reviewer_answers_and_the_audit_counts_it(
    database: Database,
) -> None:
    bot = reviewing(database, 1.0)
    await bot.answer(f"!thanks {BOB} 3h habitat : the roof", ALICE)
    await bot.answer("!contest c1 : the roof was done by the roofer", CHLOE)
    [review] = await asked(bot)
    assert review.verdict == "contested"
    await bot.answer("!audit", DAN)
    lines = bot.transport.private[-1][1].plain.splitlines()
    assert (
        "Random reviews of the last 30 days: 1 asked, 0 confirmed, 1 contested, 0 unanswered."
        in lines
    )


async def test_nobody_is_asked_when_everyone_had_a_part(database: Database) -> None:
    bot = reviewing(database, 1.0)
    bot.transport.members[ROOM] = {ALICE: "Alice", BOB: "Bob Martin"}
    reply = await bot.say(f"!thanks {BOB} 3h habitat : the roof", ALICE)
    assert reply is not None
    assert "Random review" not in reply.text.plain
    assert await asked(bot) == []


async def test_by_default_nothing_is_put_to_review(database: Database) -> None:
    bot = reviewing(database, 0.0)
    for number in range(20):
        await bot.answer(f"!contribute 1h habitat : shift {number}", ALICE)
    assert await asked(bot) == []


async def test_a_contribution_of_ones_own_is_put_to_someone_else(database: Database) -> None:
    bot = reviewing(database, 1.0, "fr")
    reply = await bot.say("!contribution 2h habitat : la porte", BOB)
    assert reply is not None
    [review] = await asked(bot)
    assert review.reviewer in {ALICE, CHLOE}
    name = NAMES[review.reviewer]
    assert reply.text.plain.splitlines()[-1].startswith(
        f"Relecture au hasard : {name}, vous n'y êtes pour rien"
    )
    assert reply.mentions == (review.reviewer,)


async def test_the_reviews_asked_of_me_are_mine_to_see_and_to_have_forgotten(
    database: Database,
) -> None:
    bot = reviewing(database, 1.0)
    await bot.answer(f"!thanks {BOB} 3h habitat : the roof", ALICE)
    preview = await bot.answer("!forget me", CHLOE)
    assert "• reviews you were asked for at random: 1" in preview
    await bot.answer("!forget me confirm", CHLOE)
    assert await asked(bot) == []
