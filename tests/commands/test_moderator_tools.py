"""What moderators have against invented hours: !void, !restore, !audit, disputes (!contest,
!dismiss), and the trust bound they work beside."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.config import ContributionsConfig
from bot.i18n.types import Language
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, CHLOE, NAMES, ROOM, Harness, make_config


def moderated_by_chloe(database: Database, language: Language = "en") -> Harness:
    bot = Harness(database, make_config(language, rate_limit={"burst": 100}, moderators=[CHLOE]))
    bot.transport.members[ROOM] = dict(NAMES)
    return bot


async def circle_of_two(database: Database) -> Harness:
    """Alice and Bob thank each other 30 h: c1 is Bob's, c2 Alice's."""
    bot = moderated_by_chloe(database)
    await bot.answer(f"!thanks {BOB} 30h habitat : invented", ALICE)
    await bot.answer(f"!thanks {ALICE} 30h habitat : invented too", BOB)
    return bot


async def test_a_voided_contribution_counts_for_nothing_until_restored(
    database: Database,
) -> None:
    bot = moderated_by_chloe(database)
    await bot.answer(f"!thanks {BOB} 40h habitat : invented", ALICE)
    await bot.answer("!confirm c1", CHLOE)  # the moderator, whom the community trusts
    assert (await bot.answer("!weight Bob Martin")).startswith("Bob Martin's weight: 2.34")
    assert await bot.answer("!void c1 : nobody saw this work", CHLOE) == (
        "c1 is voided: it no longer counts toward any weight (40h in habitat — invented). "
        "To undo: !restore c1"
    )
    assert (await bot.answer("!weight Bob Martin")).startswith("Bob Martin's weight: 1,")
    profile = await bot.answer("!profile", BOB)
    assert "c1 · 40h · habitat · invented · voided (nobody saw this work)" in profile
    assert await bot.answer("!void c1", CHLOE) == "c1 is voided already."
    assert (await bot.answer("!restore c1", CHLOE)).startswith("c1 is restored")
    assert (await bot.answer("!weight Bob Martin")).startswith("Bob Martin's weight: 2.34")
    assert (
        await bot.answer("!restore c1", CHLOE) == "c1 is not voided: there is nothing to restore."
    )


async def test_only_moderators_void_and_restore(database: Database) -> None:
    bot = moderated_by_chloe(database)
    await bot.answer(f"!thanks {BOB} 4h habitat : real", ALICE)
    refused = (
        "Only moderators (of the community, or of the room where c1 was recorded) can void "
        "or restore a contribution."
    )
    assert await bot.answer("!void c1", BOB) == refused
    assert await bot.answer("!restore c1", ALICE) == refused
    assert (await bot.answer("!void c9", CHLOE)).startswith("I find no contribution c9.")


async def test_in_french(database: Database) -> None:
    bot = moderated_by_chloe(database, "fr")
    await bot.answer(f"!merci {BOB} 4h habitat : réel", ALICE)
    assert (await bot.answer("!invalider c1 : en double", CHLOE)).startswith(
        "c1 est invalidée : elle ne compte plus dans aucun poids"
    )
    assert (await bot.answer("!retablir c1", CHLOE)).startswith("c1 est rétablie")


async def test_hours_nobody_trusted_confirmed_are_shown_and_not_counted(
    database: Database,
) -> None:
    """Alice and Bob vouch for each other; nothing the moderator confirmed reaches them."""
    bot = await circle_of_two(database)
    lines = (await bot.answer("!weight Bob Martin")).splitlines()
    assert lines[0] == "Bob Martin's weight: 1, were a poll to open now"
    assert lines[3] == (
        "  (0 of 30 h count: 0 h confirmed by moderators count in full, the others as far"
        " as the community's trust vouches for them)"
    )
    await bot.answer("!confirm c1", CHLOE)  # the moderator saw Bob's work
    assert (await bot.answer("!weight Bob Martin")).startswith("Bob Martin's weight: 2.24")


async def test_the_audit_goes_to_the_moderator_alone_and_names_the_circle(
    database: Database,
) -> None:
    bot = await circle_of_two(database)
    assert await bot.answer("!audit", CHLOE) == (
        "I am sending you the audit in our direct room: it names members."
    )
    [(whom, text)] = bot.transport.private
    assert whom == CHLOE
    assert text.plain.splitlines()[1:] == [
        "Circles that confirm only one another, with no witness the community trusts:",
        "• Alice, Bob Martin — 60 h between them",
        "Confirmed hours beyond what trust vouches for:",
        "• Alice: 30 h confirmed, 0 h vouched for",
        "• Bob Martin: 30 h confirmed, 0 h vouched for",
        "The week's largest weight gains:",
        "• nothing to report",
        "Large claims of the last 30 days (20 h or more):",
        "• c1 — 30h for Bob Martin: invented",
        "• c2 — 30h for Alice: invented too",
        "The last 30 days' confirmations by members since forgotten (they count no more) "
        "or in probation when they confirmed:",
        "• nothing to report",
        "Open disputes (settle with !void or !dismiss):",
        "• nothing to report",
    ]
    assert (await bot.answer("!audit", BOB)).startswith("Only moderators")
    assert len(bot.transport.private) == 1


async def test_the_audit_in_french_when_nothing_stands_out(database: Database) -> None:
    bot = moderated_by_chloe(database, "fr")
    await bot.answer("!audit", CHLOE)
    [(_, text)] = bot.transport.private
    assert text.plain.splitlines()[1:] == [
        "Cercles qui ne se confirment qu'entre eux, sans témoin à qui la communauté fait "
        "confiance :",
        "• rien à signaler",
        "Heures confirmées au-delà de ce que la confiance garantit :",
        "• rien à signaler",
        "Plus fortes hausses de poids de la semaine :",
        "• rien à signaler",
        "Grosses déclarations des 30 derniers jours (20 h ou plus) :",
        "• rien à signaler",
        "Confirmations des 30 derniers jours par des membres depuis oublié·es (elles ne "
        "comptent plus) ou en période d'essai quand ils et elles ont confirmé :",
        "• rien à signaler",
        "Contestations en attente (trancher avec !invalider ou !rejeter) :",
        "• rien à signaler",
    ]


async def test_a_dispute_waits_in_the_audit_until_a_moderator_settles_it(
    database: Database,
) -> None:
    bot = moderated_by_chloe(database)
    await bot.answer(f"!thanks {BOB} 4h habitat : the gate", ALICE)
    assert await bot.answer("!contest c1 : the gate was fixed by a contractor", CHLOE) == (
        "Your dispute of c1 is recorded (4h in habitat — the gate). Moderators will see it in "
        "!audit and settle it; until then it counts as before."
    )
    assert await bot.answer("!contest c1 : again", CHLOE) == (
        "You are already contesting c1: moderators have not settled it yet."
    )
    assert (await bot.answer("!contest c1", BOB)).startswith("Say why, after a colon")
    await bot.answer("!audit", CHLOE)
    assert bot.transport.private[-1][1].plain.splitlines()[-1] == (
        "• c1 of Bob Martin: the gate was fixed by a contractor (contested by Chloé)"
    )
    assert (await bot.answer("!dismiss c1", BOB)).startswith("Only moderators")
    assert await bot.answer("!dismiss c1", CHLOE) == (
        "The disputes of c1 are dismissed: it keeps counting."
    )
    assert await bot.answer("!dismiss c1", CHLOE) == "Nobody is contesting c1 at the moment."
    await bot.answer("!contest c1 : still doubtful", ALICE)
    await bot.answer("!void c1 : upheld", CHLOE)  # voiding upholds the open disputes
    assert await bot.answer("!dismiss c1", CHLOE) == "Nobody is contesting c1 at the moment."


async def test_the_disputes_i_raised_are_mine_to_see_and_to_have_forgotten(
    database: Database,
) -> None:
    bot = moderated_by_chloe(database)
    await bot.answer(f"!thanks {BOB} 4h habitat : the gate", ALICE)
    await bot.answer("!contester c1 : pas vu", CHLOE)
    await bot.answer("!mydata", CHLOE)
    document = json.loads(bot.transport.files[-1].data)
    assert [(each["contribution"], each["reason"]) for each in document["disputes_raised"]] == [
        ("c1", "pas vu")
    ]
    preview = await bot.answer("!forget me", CHLOE)
    assert "• disputes you raised, with their reasons: 1" in preview.splitlines()
    await bot.answer("!forget me confirm", CHLOE)
    async with bot.database.transaction() as tx:
        assert await tx.fetch_value("SELECT count(*) FROM dispute") == 0


async def test_trust_also_starts_with_the_moderation_rooms_moderators(
    database: Database,
) -> None:
    """No one is listed; Chloé has the moderators' power in the moderation room."""
    config = make_config("en", rate_limit={"burst": 100}, moderation_room="#mods:test")
    bot = Harness(database, config)
    bot.transport.members[ROOM] = dict(NAMES)
    bot.transport.members["#mods:test"] = {CHLOE: "Chloé", ALICE: "Alice"}
    bot.transport.levels[("#mods:test", CHLOE)] = 50
    await bot.answer(f"!thanks {BOB} 30h habitat : invented", ALICE)
    assert (await bot.answer("!weight Bob Martin")).startswith("Bob Martin's weight: 1,")
    await bot.answer("!confirm c1", CHLOE)
    assert (await bot.answer("!weight Bob Martin")).startswith("Bob Martin's weight: 2.24")


async def test_the_audit_shows_the_weeks_weight_gains(database: Database) -> None:
    bot = moderated_by_chloe(database)
    await bot.answer(f"!thanks {BOB} 30h habitat : the roof", ALICE)
    await bot.answer("!confirm c1", CHLOE)
    bot.clock.advance(timedelta(days=8))
    await bot.answer(f"!thanks {ALICE} 2h habitat : the gate", BOB)
    await bot.answer("!confirm c2", CHLOE)
    await bot.answer("!audit", CHLOE)
    lines = bot.transport.private[-1][1].plain.splitlines()
    gains = lines[lines.index("The week's largest weight gains:") + 1 :][:2]
    assert gains == ["• Alice: 1 → 1.4", "Large claims of the last 30 days (20 h or more):"]


async def test_the_audit_lists_confirmations_by_members_since_forgotten_or_in_probation(
    database: Database,
) -> None:
    """Dan confirmed in his first days, when the community had no probation; Erin
    confirmed, then asked to be forgotten. Then the community sets a probation of 30 days."""
    dan, erin = "@dan:test", "@erin:test"
    probation = moderated_by_chloe(database)
    without = probation.restarted(
        probation.config.model_copy(update={"contributions": ContributionsConfig(probation_days=0)})
    )
    for founder in (ALICE, CHLOE):
        await without.answer("!help", founder)
    without.clock.advance(timedelta(days=40))
    without.transport.members[ROOM] |= {dan: "Dan", erin: "Erin"}
    await without.answer(f"!thanks {BOB} 4h habitat : the gate", ALICE)
    await without.answer("!confirm c1", dan)
    await without.answer("!confirm c1", erin)
    await without.answer("!forget me", erin)
    await without.answer("!forget me confirm", erin)
    later = without.restarted(probation.config)
    await later.answer("!audit", CHLOE)
    lines = later.transport.private[-1][1].plain.splitlines()
    section = lines.index(
        "The last 30 days' confirmations by members since forgotten (they count no more) "
        "or in probation when they confirmed:"
    )
    assert lines[section + 1] == (
        "• c1 of Bob Martin: 1 by forgotten members, 1 in probation; 2 confirmation(s) count"
    )
