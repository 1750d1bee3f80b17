"""Workshops: announce, sign up (command or 🙋), the waitlist, the reminder, closing the loop
into a witnessed contribution, cancelling."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.digest import compose
from bot.domain.schedule import Period
from bot.messages import IncomingReaction
from bot.store import contributions, workshops
from bot.store.database import Database
from bot.workshops import remind
from tests.commands.conftest import ALICE, BOB, CHLOE, ROOM, Harness, community

DAVID = "@david:test"
SATURDAY_2PM = datetime(2026, 11, 7, 13, 0, tzinfo=UTC)  # 14:00 in Paris


@pytest.fixture
def fr(database: Database) -> Harness:
    """Monday 2 November 2026, 10:00 in Paris; Alice, Bob, Chloé and David in the room."""
    bot = community(database, "fr")
    bot.transport.members[ROOM][DAVID] = "David"
    return bot


async def announced(bot: Harness, places: str = "--places 2") -> str:
    return await bot.answer(
        f'!atelier samedi 14h menuiserie {places} --lieu "la grange" : tabouret en chêne', ALICE
    )


async def stored(bot: Harness, number: int = 1) -> workshops.Workshop:
    async with bot.database.transaction() as tx:
        found = await workshops.get(tx, number)
    assert found is not None
    return found


async def test_an_announcement_is_a_card_members_react_to(fr: Harness) -> None:
    await fr.answer("!besoin menuiserie 1", BOB)
    await fr.answer("!prevenir ateliers oui", BOB)
    reply = await announced(fr)
    assert reply.startswith("Atelier w1 annoncé ci-dessous.")
    [card] = fr.transport.posted
    assert card.text.plain.splitlines()[:4] == [
        "Atelier w1 : menuiserie, avec Alice — samedi 7 novembre 2026 à 14:00 (Europe/Paris), 2h",
        "Lieu : la grange",
        "tabouret en chêne",
        "2 place(s) ; au-delà, une liste d'attente.",
    ]
    assert "Pour qui en a besoin, par exemple : Bob" in card.text.plain
    assert card.mentions == (BOB,)  # he asked to be pinged
    found = await stored(fr)
    assert found.starts_at == SATURDAY_2PM
    assert found.announce_event is not None
    assert fr.agenda.workshop_reminders == {1: SATURDAY_2PM - timedelta(hours=24)}


async def test_reactions_fill_the_places_then_the_waitlist_moves_up(fr: Harness) -> None:
    await announced(fr)
    card = (await stored(fr)).announce_event
    assert card is not None
    bob = await fr.react(card, "🙋", sender=BOB)
    await fr.react(card, "✋", sender=CHLOE)
    assert await fr.answer("!participer w1", DAVID) == (
        "w1 est complet : vous êtes n° 1 sur la liste d'attente. Je vous préviens si une "
        "place se libère."
    )
    assert (
        (await fr.answer("!ateliers")).splitlines()[1].endswith("0 place(s) libre(s), 1 en attente")
    )
    await fr.redact(bob, sender=BOB)
    [promoted] = fr.transport.sent[-1:]
    assert promoted.text.plain == "Une place s'est libérée à w1 : David, vous y êtes."
    assert promoted.mentions == (DAVID,)
    found = await stored(fr)
    async with fr.database.transaction() as tx:
        signed = await workshops.signups(tx, found)
    assert (signed.coming, signed.waiting) == ([CHLOE, DAVID], [])


async def test_the_reminder_pings_those_coming_once(fr: Harness) -> None:
    await announced(fr, places="--places 1")
    await fr.answer("!participer w1", BOB)
    await fr.answer("!participer w1", CHLOE)  # waiting: not reminded
    for _ in range(2):  # again, as after a restart: nothing more
        await remind(fr.database, fr.transport, fr.config, fr.clock, 1)
    reminders = [each for each in fr.transport.posted if each.text.plain.startswith("Rappel")]
    assert [each.mentions for each in reminders] == [(BOB,)]
    assert reminders[0].thread_root == (await stored(fr)).announce_event


async def test_done_turns_the_hosts_hours_into_a_witnessed_contribution(fr: Harness) -> None:
    await fr.answer("!besoin menuiserie 1", BOB)
    await announced(fr)
    await fr.answer("!participer w1", BOB)
    await fr.answer("!participer w1", CHLOE)
    assert (await fr.answer("!atelier fait w1", ALICE)).startswith("w1 n'a pas encore eu lieu.")
    fr.clock.advance(timedelta(days=5, hours=6))
    done = (await fr.answer("!atelier fait w1 : deux tabourets", ALICE)).splitlines()
    assert done[0] == (
        "w1 est fait, merci ! Vos 2h sont notées en c1, confirmées par 2 des 2 présent·es."
    )
    assert done[1] == "Bob, menuiserie niveau 1 → 2 ? !besoin menuiserie 2 le met à jour."
    async with fr.database.transaction() as tx:
        work = await contributions.get(tx, 1)
    assert work is not None
    assert (work.member, work.minutes, work.confirmations) == (ALICE, 120, 2)
    assert work.what == "Atelier w1 : menuiserie — deux tabourets"
    assert (await fr.answer("!atelier fait w1", ALICE)).startswith("w1 est déjà fini ou annulé.")


async def test_cancelling_tells_those_signed_up(fr: Harness) -> None:
    await announced(fr)
    await fr.answer("!participer w1", BOB)
    assert (await fr.answer("!atelier annuler w1", BOB)).startswith(
        "Seule la personne qui anime w1"
    )
    reply = await fr.say("!atelier annuler w1 : la grange est inondée", ALICE)
    assert reply is not None
    assert reply.text.plain == "L'atelier w1 (menuiserie) est annulé : la grange est inondée."
    assert reply.mentions == (BOB,)
    assert await fr.answer("!ateliers") == "Aucun atelier à venir dans ce salon."


@pytest.mark.parametrize(
    ("typed", "start"),
    [
        ("!atelier 2026-10-01 14h menuiserie", "Ce moment est déjà passé"),
        ("!atelier samedi menuiserie", "À quelle heure ?"),
        ("!atelier samedi 14h", "Quelle compétence ?"),
        ("!atelier samedi 14h menuiserie --places zéro", "zéro places ?"),
        ("!atelier samedi 14h menuiserie --couleur bleu", "Je ne connais pas l'option --couleur"),
        ("!atelier bientôt menuiserie", "Je ne lis pas de date et d'heure"),
    ],
)
async def test_bad_announcements_are_explained(fr: Harness, typed: str, start: str) -> None:
    assert (await fr.answer(typed, ALICE)).startswith(start)


async def test_in_english(database: Database) -> None:
    bot = community(database, "en")
    assert (await bot.answer("!workshop sat 2pm woodworking : a stool", ALICE)).startswith(
        "Workshop w1 is announced below."
    )
    assert (await bot.answer("!join w1", BOB)).startswith("You are signed up for w1")
    assert (await bot.answer("!leave w1", BOB)) == "You left w1."


async def test_profile_me_and_the_digest_show_workshops(fr: Harness) -> None:
    await announced(fr)
    await fr.answer("!participer w1", BOB)
    me = await fr.answer("!moi", BOB)
    assert "• prochain atelier : w1 menuiserie, samedi 7 novembre 2026 à 14:00" in me
    fr.clock.advance(timedelta(days=5, hours=6))
    assert "l'atelier w1 a eu lieu : !atelier fait w1" in await fr.answer("!moi", ALICE)
    await fr.answer("!atelier fait w1", ALICE)
    assert "Ateliers animés : w1 menuiserie (7 novembre) ; suivis : —" in await fr.answer(
        "!profil", ALICE
    )
    assert "suivis : w1 menuiserie (7 novembre)" in await fr.answer("!profil", BOB)


async def test_the_digest_lists_the_weeks_workshops_and_the_coming_ones(fr: Harness) -> None:
    await announced(fr)
    await fr.answer("!participer w1", BOB)
    week = Period(fr.clock.now() - timedelta(days=7), fr.clock.now())
    async with fr.database.transaction() as tx:
        before = (await compose(tx, fr.config, week)).plain
    assert "Ateliers à venir" in before
    assert "w1 menuiserie avec Alice, samedi 7 novembre 2026 à 14:00" in before
    fr.clock.advance(timedelta(days=5, hours=6))
    await fr.answer("!atelier fait w1", ALICE)
    after_week = Period(fr.clock.now() - timedelta(days=7), fr.clock.now())
    async with fr.database.transaction() as tx:
        after = (await compose(tx, fr.config, after_week)).plain
    assert "Ateliers de la semaine" in after
    assert "(1 participant·e(s))" in after


async def test_forgetting_drops_my_signups_and_keeps_the_workshop_i_hosted(fr: Harness) -> None:
    await announced(fr)
    await fr.answer("!participer w1", BOB)
    preview = await fr.answer("!oublie moi", BOB)
    assert "• vos inscriptions et présences aux ateliers : 1" in preview
    await fr.answer("!oublie moi confirmer", BOB)
    await fr.answer("!oublie moi", ALICE)
    await fr.answer("!oublie moi confirmer", ALICE)
    found = await stored(fr)
    async with fr.database.transaction() as tx:
        signed = await workshops.signups(tx, found)
    assert found.host is None
    assert signed.coming == []


async def test_sign_ups_at_once_fill_the_places_in_order_and_no_more(fr: Harness) -> None:
    """Twelve members react at the same moment: the first two by send time get the places,
    the ten others wait in that order; nobody is counted twice."""
    await announced(fr)
    card = (await stored(fr)).announce_event
    assert card is not None
    crowd = [f"@m{number:02d}:test" for number in range(12)]
    fr.transport.members[ROOM] |= {member: member[1:4] for member in crowd}
    reactions = [
        IncomingReaction(
            f"$r{i}", ROOM, member, member, card, "🙋", fr.clock.now() + timedelta(seconds=i)
        )
        for i, member in enumerate(crowd)
    ]
    await asyncio.gather(
        *(fr.dispatcher.handle_reaction(each) for each in reversed(reactions)),
        *(fr.dispatcher.handle_reaction(each) for each in reactions),  # delivered twice
    )
    found = await stored(fr)
    async with fr.database.transaction() as tx:
        signed = await workshops.signups(tx, found)
    assert (signed.coming, signed.waiting) == (crowd[:2], crowd[2:])


async def test_a_reminder_come_due_while_down_is_dropped_once_the_workshop_began(
    fr: Harness,
) -> None:
    await announced(fr)
    await fr.answer("!participer w1", BOB)
    fr.clock.advance(timedelta(days=6))  # the bot was down past the start
    await remind(fr.database, fr.transport, fr.config, fr.clock, 1)
    assert not [each for each in fr.transport.posted if each.text.plain.startswith("Rappel")]
    async with fr.database.transaction() as tx:
        assert await workshops.reminders_due(tx) == []  # settled: not tried at each start
