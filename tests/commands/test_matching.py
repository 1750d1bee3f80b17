"""``!match``: suggestions with why, and a match's life from ask to done, in both languages."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from bot.commands.matching import transmission_domain
from bot.config import ContributionsConfig, MatchingConfig
from bot.i18n.types import Language
from bot.messages import Reply
from bot.store import contributions, listings, matches
from bot.store.contributions import Contribution
from bot.store.database import Database
from bot.store.matches import Match
from tests.commands.conftest import ALICE, BOB, CHLOE, ROOM, Harness, make_config

DAVID = "@david:test"
MODERATOR = "@mod:test"


def harness(
    database: Database,
    language: Language = "en",
    matching: dict[str, Any] | None = None,
    domains: list[str] | None = None,
) -> Harness:
    config = make_config(language, rate_limit={"burst": 100}, moderators=[MODERATOR])
    update: dict[str, Any] = {"matching": MatchingConfig.model_validate(matching or {})}
    if domains is not None:
        update["contributions"] = ContributionsConfig(domains=domains)
    return Harness(database, config.model_copy(update=update))


@pytest.fixture
def en(database: Database) -> Harness:
    return harness(database, "en")


@pytest.fixture
def fr(database: Database) -> Harness:
    return harness(database, "fr")


async def reply(bot: Harness, body: str, sender: str = ALICE) -> Reply:
    answer = await bot.say(body, sender)
    assert answer is not None, body
    return answer


async def lines(bot: Harness, body: str, sender: str = ALICE) -> list[str]:
    return (await reply(bot, body, sender)).text.plain.splitlines()


async def stored_match(bot: Harness, number: int) -> Match:
    async with bot.database.transaction() as tx:
        found = await matches.get(tx, number)
    assert found is not None
    return found


async def stored_work(bot: Harness, number: int) -> Contribution:
    async with bot.database.transaction() as tx:
        found = await contributions.get(tx, number)
    assert found is not None
    return found


async def woodworking(bot: Harness) -> None:
    """Bob offers woodworking (o1) and needs bookkeeping (n2); Alice offers bookkeeping (o3)
    and needs woodworking (n4): each could teach the other."""
    await bot.answer("!offer woodworking 3 : weekends at the workshop", BOB)
    await bot.answer("!need bookkeeping 1", BOB)
    await bot.answer("!offer bookkeeping 4", ALICE)
    await bot.answer("!need woodworking 1 : a shelf for the kitchen", ALICE)


async def accepted(bot: Harness) -> None:
    """Alice asked Bob for woodworking (m1) and Bob accepted."""
    await woodworking(bot)
    await bot.answer("!match ask o1", ALICE)
    await bot.answer("!match accept m1", BOB)


# --- suggestions ----------------------------------------------------------------------------


async def test_suggestions_say_why_and_what_to_type_without_pinging(en: Harness) -> None:
    await woodworking(en)
    answer = await reply(en, "!match")
    assert answer.text.plain.splitlines() == [
        "Your need n4 (woodworking, level 1):",
        "• Bob (o1, level 3) is two steps ahead in woodworking, and wants to learn bookkeeping, "
        "which you offer (o3) → !match ask o1",
        "Your offer o3 (bookkeeping, level 4; places left: 2 of 2):",
        "• Bob (n2, level 1) is 3 steps behind you in bookkeeping, and offers woodworking, "
        "which you are looking for (n4)",
        "They can ask you with !match ask o3: let them know!",
    ]
    assert answer.mentions == ()


async def test_suggestions_in_french_with_the_french_words(fr: Harness) -> None:
    await woodworking(fr)
    assert await lines(fr, "!binome", BOB) == [
        "Votre besoin n2 (bookkeeping, niveau 1) :",
        "• Alice (o3, niveau 4) a 3 niveaux d'avance en bookkeeping, et veut apprendre "
        "woodworking, que vous proposez (o1) → !binome demander o3",
        "Votre offre o1 (woodworking, niveau 3 ; places libres : 2 sur 2) :",
        "• Alice (n4, niveau 1) a deux niveaux de moins que vous en woodworking, et propose "
        "bookkeeping, que vous cherchez (n2)",
        "Ces personnes peuvent vous le demander avec !binome demander o1 : faites-leur signe !",
    ]


async def test_the_reason_that_goes_back_names_my_own_record(en: Harness) -> None:
    """Alice needs woodworking; Bob, who offers it, needs pottery, which Alice offers (o4)
    and also needs, further along (n3): the reason names her offer, not Bob's, nor her need."""
    await en.answer("!offer woodworking 4", BOB)
    await en.answer("!need pottery 1", BOB)
    await en.answer("!need pottery 3")
    await en.answer("!offer pottery 3")
    await en.answer("!need woodworking 1")
    assert block(await lines(en, "!match"), "Your need n5") == [
        "Your need n5 (woodworking, level 1):",
        "• Bob (o1, level 4) is 3 steps ahead in woodworking, and wants to learn pottery, "
        "which you offer (o4) → !match ask o1",
    ]


async def test_nothing_recorded_yet_says_how_to_start(en: Harness) -> None:
    assert await en.answer("!match") == (
        "You have no open offer or need yet: record one with !offer or !need, "
        "and I will suggest matches."
    )


async def test_nobody_to_suggest_either_way(en: Harness) -> None:
    await en.answer("!offer knitting 4")
    await en.answer("!need astronomy 2")
    await en.answer("!offer astronomy 1", BOB)  # behind Alice: no mentor
    assert await lines(en, "!match") == [
        "Your need n2 (astronomy, level 2):",
        "Nobody further along has a place free right now; the digest will mention it.",
        "Your offer o1 (knitting, level 4; places left: 2 of 2):",
        "Nobody to suggest right now.",
    ]


async def test_near_peers_first_and_no_more_than_max_suggestions(database: Database) -> None:
    bot = harness(database, matching={"max_suggestions": 2})
    await bot.answer("!offer pottery 5", BOB)
    await bot.answer("!offer pottery 2", CHLOE)
    await bot.answer("!offer pottery 4", DAVID)
    await bot.answer("!need pottery 1")
    suggested = await lines(bot, "!match")
    assert [line.split(" (o")[0] for line in suggested[1:]] == ["• Chloe", "• David"]


async def test_the_weights_come_from_the_config(database: Database) -> None:
    """With the gap weighing nothing and reciprocity a lot, the farther mentor who needs
    what Alice offers comes before the near peer."""
    bot = harness(database, matching={"weight_gap": 0, "weight_reciprocity": 10})
    await bot.answer("!offer pottery 2", CHLOE)
    await bot.answer("!offer pottery 5", BOB)
    await bot.answer("!need knitting", BOB)
    await bot.answer("!offer knitting 3")
    await bot.answer("!need pottery 1")
    suggested = await lines(bot, "!match")
    assert suggested[1].startswith("• Bob (o2, level 5) is 4 steps ahead in pottery, and wants")
    assert suggested[2].startswith("• Chloe (o1, level 2) is one step ahead")


async def test_a_long_wait_is_a_reason_for_the_mentor(en: Harness) -> None:
    await en.answer("!need sewing 2", BOB)
    en.clock.advance(timedelta(days=20))
    await en.answer("!offer sewing 4")
    assert await lines(en, "!match") == [
        "Your offer o2 (sewing, level 4; places left: 2 of 2):",
        "• Bob (n1, level 2) is two steps behind you in sewing, and has been waiting for 20 days",
        "They can ask you with !match ask o2: let them know!",
    ]


async def test_names_and_skills_are_escaped(en: Harness) -> None:
    en.transport.members[ROOM] = {BOB: "<b>Bob</b>", ALICE: "Alice"}
    await en.answer("!offer <i>welding</i> 4 : <script>x</script>", BOB)
    await en.answer("!need <i>welding</i> 1")
    answer = await reply(en, "!match")
    assert "&lt;b&gt;Bob&lt;/b&gt; (o1, level 4)" in answer.text.html
    assert "&lt;i&gt;welding&lt;/i&gt;" in answer.text.html
    assert "<b>Bob</b> (o1, level 4)" in answer.text.plain
    await en.answer("!match ask o1")
    await en.answer("!match accept m1", BOB)
    [room] = en.transport.rooms
    assert "&lt;script&gt;x&lt;/script&gt;" in room.text.html
    assert "<script>" not in room.text.html
    assert room.name == "Alice & <b>Bob</b> — <i>welding</i>"


# --- ask ------------------------------------------------------------------------------------


async def test_asking_pings_the_mentor_once(en: Harness) -> None:
    await woodworking(en)
    asked = await reply(en, "!match ask o1")
    assert asked.text.plain == (
        "Bob, Alice would like to learn woodworking with you: match m1 (Alice at level 1, "
        "you at level 3). Accept with !match accept m1 or decline with !match decline m1."
    )
    assert asked.mentions == (BOB,)
    again = await reply(en, "!match ask o1")
    assert again.text.plain == "Already asked (m1): waiting for Bob's answer."
    assert again.mentions == ()
    found = await stored_match(en, 1)
    assert (found.mentee, found.mentor, found.state, found.need_id, found.offer_id) == (
        ALICE,
        BOB,
        "asked",
        4,
        1,
    )


async def test_asking_in_french(fr: Harness) -> None:
    await woodworking(fr)
    asked = await reply(fr, "!binome demander o1")
    assert asked.text.plain == (
        "Bob, Alice aimerait apprendre woodworking avec vous : binôme m1 (Alice au niveau 1, "
        "vous au niveau 3). Acceptez avec !binome accepter m1 ou refusez avec !binome refuser m1."
    )
    assert asked.mentions == (BOB,)
    again = await reply(fr, "!binome demander o1")
    assert again.text.plain == "Déjà demandé (m1) : en attente de la réponse de Bob."
    assert again.mentions == ()


async def test_asking_once_accepted_says_so(en: Harness) -> None:
    await accepted(en)
    assert await en.answer("!match ask o1") == (
        "Already paired with Bob (m1); once finished: !match done m1"
    )


@pytest.mark.parametrize(
    ("command", "sender", "answer"),
    [
        ("!match ask o9", ALICE, "I find no offer o9; !match shows the suggestions."),
        ("!match ask o4", ALICE, "I find no offer o4; !match shows the suggestions."),  # a need
        ("!match ask o1", BOB, "o1 is your own offer."),
        ("!match ask o3", ALICE, "o3 is your own offer."),
        (
            "!match ask o1",
            CHLOE,
            "You have no open need in woodworking: first record where you are with "
            "!need woodworking, then ask again.",
        ),
    ],
)
async def test_asking_what_cannot_be_asked(
    en: Harness, command: str, sender: str, answer: str
) -> None:
    await woodworking(en)
    assert await en.answer(command, sender) == answer
    async with en.database.transaction() as tx:
        assert await matches.of_member(tx, sender) == []


async def test_asking_a_withdrawn_offer(en: Harness) -> None:
    await woodworking(en)
    await en.answer("!withdraw o1", BOB)
    assert await en.answer("!match ask o1") == (
        "Offer o1 was withdrawn; !match shows other suggestions."
    )


async def test_a_mentor_must_be_ahead(en: Harness) -> None:
    await en.answer("!offer welding 2", BOB)
    await en.answer("!need welding 2")
    assert await en.answer("!match ask o1") == (
        "Bob offers welding at level 2, not above yours (2): a mentor is a step or two ahead."
    )


async def test_one_mentor_at_a_time_for_a_need(en: Harness) -> None:
    await woodworking(en)
    await en.answer("!offer woodworking 2", CHLOE)
    await en.answer("!match ask o1")
    assert await en.answer("!match ask o5") == (
        "Your need n4 already has a match, m1 with Bob (asked); to ask someone else, cancel "
        "it first: !match cancel m1"
    )
    await en.answer("!match cancel m1")
    assert (await reply(en, "!match ask o5")).mentions == (CHLOE,)


async def test_capacity_is_respected(database: Database) -> None:
    bot = harness(database, matching={"mentor_capacity": 1})
    await bot.answer("!offer woodworking 4", BOB)
    await bot.answer("!need woodworking 1", CHLOE)
    await bot.answer("!need woodworking 2")
    await bot.answer("!match ask o1", CHLOE)
    assert await lines(bot, "!match") == [
        "Your need n3 (woodworking, level 2):",
        "Nobody further along has a place free right now; the digest will mention it.",
    ]
    assert await bot.answer("!match ask o1") == (
        "Bob has no place left on o1 (at most 1 match(es) at a time). "
        "!match shows other suggestions."
    )
    assert (await lines(bot, "!match", BOB))[-1] == "All your places are taken."
    await bot.answer("!match decline m1", BOB)
    assert (await reply(bot, "!match ask o1")).mentions == (BOB,)


# --- accept ---------------------------------------------------------------------------------


async def test_accepting_opens_a_room_for_both_with_an_introduction(en: Harness) -> None:
    await woodworking(en)
    await en.answer("!match ask o1")
    answer = await reply(en, "!match accept m1", BOB)
    assert answer.text.plain == (
        "Bob agrees to mentor Alice in woodworking (m1). I am opening a private room for the "
        "two of you: look for the invitation."
    )
    assert answer.mentions == ()
    [room] = en.transport.rooms
    assert room.user_ids == (ALICE, BOB)
    assert room.name == "Alice & Bob — woodworking"
    assert room.text.plain.splitlines() == [
        "Hello Alice and Bob! Alice would like to learn woodworking, and Bob agreed to mentor "
        "them: this is match m1.",
        "Alice is at level 1 (curious) — a shelf for the kitchen",
        "Bob practises it at level 3 (practitioner) — weekends at the workshop",
        "Agree here on when and how to meet. Once you are done, either of you types "
        "!match done m1 in the community room (followed by : a few words to leave feedback).",
    ]
    found = await stored_match(en, 1)
    assert (found.state, found.room_id) == ("accepted", room.room_id)
    assert await en.answer("!match accept m1", BOB) == (
        "You already accepted m1; your room with Alice is open."
    )
    assert len(en.transport.rooms) == 1


async def test_accepting_in_french(fr: Harness) -> None:
    await woodworking(fr)
    await fr.answer("!binome demander o1")
    assert await fr.answer("!binome accepter m1", BOB) == (
        "Bob accepte d'accompagner Alice en woodworking (m1). J'ouvre un salon privé pour vous "
        "deux : surveillez l'invitation."
    )
    [room] = fr.transport.rooms
    assert room.text.plain.startswith("Bonjour Alice et Bob ! Alice aimerait apprendre")
    assert "!binome fini m1" in room.text.plain


async def test_a_room_that_cannot_be_opened_is_said_and_can_be_retried(en: Harness) -> None:
    await woodworking(en)
    await en.answer("!match ask o1")
    en.transport.refuse_rooms = True
    first, second = await en.send(en.message("!match accept m1", BOB))
    assert first.text.plain.startswith("Bob agrees to mentor Alice")
    assert second.text.plain.startswith("I could not open the room for m1 (ref ")
    assert second.text.plain.endswith(
        "The match stays accepted; type !match accept m1 again to retry."
    )
    assert (await stored_match(en, 1)).room_id is None
    en.transport.refuse_rooms = False
    await en.answer("!match accept m1", BOB)
    [room] = en.transport.rooms
    assert (await stored_match(en, 1)).room_id == room.room_id


async def test_only_the_mentor_accepts_or_declines(en: Harness) -> None:
    await woodworking(en)
    await en.answer("!match ask o1")
    mentor_only = "It is for the mentor of m1 to accept or decline."
    assert await en.answer("!match accept m1") == mentor_only
    assert await en.answer("!match decline m1") == mentor_only
    assert (await stored_match(en, 1)).state == "asked"


@pytest.mark.parametrize("verb", ["accept", "decline", "done", "cancel"])
async def test_someone_outside_the_match_is_denied(en: Harness, verb: str) -> None:
    await woodworking(en)
    await en.answer("!match ask o1")
    assert await en.answer(f"!match {verb} m1", CHLOE) == (
        "You are not part of match m1: only its mentor and mentee can act on it "
        "(and moderators can cancel it)."
    )
    assert (await stored_match(en, 1)).state == "asked"


async def test_an_unknown_match(en: Harness) -> None:
    assert await en.answer("!match accept m7") == "I find no match m7."


async def test_matches_survive_a_restart(database: Database) -> None:
    before = harness(database)
    await woodworking(before)
    await before.answer("!match ask o1")
    after = harness(database)

    async def later(body: str, sender: str) -> str:
        """A message the restarted bot has not seen, whatever its harness would number it."""
        message = replace(after.message(body, sender), event_id=f"$after-{body}-{sender}")
        [answer] = await after.send(message)
        return answer.text.plain

    assert await later("!match ask o1", ALICE) == "Already asked (m1): waiting for Bob's answer."
    await later("!match accept m1", BOB)
    assert len(after.transport.rooms) == 1
    assert (await stored_match(after, 1)).state == "accepted"


# --- decline --------------------------------------------------------------------------------


async def test_a_declined_pair_is_never_suggested_again(en: Harness) -> None:
    await woodworking(en)
    await en.answer("!match ask o1")
    assert await en.answer("!match decline m1", BOB) == (
        "Noted for m1; I have written to each of you privately."
    )
    assert "Bob" not in (await lines(en, "!match"))[1]
    assert await en.answer("!match ask o1") == (
        "Bob already declined a match with you in woodworking; I will not ask again. "
        "!match shows other suggestions."
    )
    # Not even through new records on the same skill, from either side.
    await en.answer("!withdraw n4")
    await en.answer("!need woodworking 2")
    await en.answer("!withdraw o1", BOB)
    await en.answer("!offer woodworking 5", BOB)
    assert block(await lines(en, "!match"), "Your need n5") == [
        "Your need n5 (woodworking, level 2):",
        "Nobody further along has a place free right now; the digest will mention it.",
    ]
    assert block(await lines(en, "!match", BOB), "Your offer o6") == [
        "Your offer o6 (woodworking, level 5; places left: 2 of 2):",
        "Nobody to suggest right now.",
    ]
    assert "already declined" in await en.answer("!match ask o6")


def block(shown: list[str], header: str) -> list[str]:
    """The lines about one of my records: its header and what follows, up to the next one."""
    start = next(n for n, line in enumerate(shown) if line.startswith(header))
    end = next(
        (n for n in range(start + 1, len(shown)) if shown[n].startswith("Your ")), len(shown)
    )
    return shown[start:end]


async def test_a_decline_is_told_to_the_two_alone(en: Harness) -> None:
    """The room reads that it is done; who declined whom, in what, goes to each of the two
    in their direct room."""
    await woodworking(en)
    await en.answer("!match ask o1")
    answer = await reply(en, "!match decline m1", BOB)
    assert "Alice" not in answer.text.plain
    assert "woodworking" not in answer.text.plain
    assert answer.mentions == ()
    assert [(member, text.plain) for member, text in en.transport.private] == [
        (
            ALICE,
            "Bob cannot mentor you in woodworking (m1); I will not suggest this pair again. "
            "!match shows other mentors.",
        ),
        (
            BOB,
            "You declined to mentor Alice in woodworking (m1): I will not suggest this pair "
            "again, and I have told Alice, privately too.",
        ),
    ]


async def test_a_decline_that_cannot_be_told_privately_says_so(en: Harness) -> None:
    await woodworking(en)
    await en.answer("!match ask o1")
    en.transport.refuse_rooms = True
    replies = await en.send(en.message("!match decline m1", BOB))
    assert replies[0].text.plain == "Noted for m1; I have written to each of you privately."
    assert replies[1].text.plain.startswith(
        "Declining m1 is recorded, but I could not write about it privately (ref "
    )
    assert (await stored_match(en, 1)).state == "declined"


async def test_declining_in_french_and_only_once(fr: Harness) -> None:
    await woodworking(fr)
    await fr.answer("!binome demander o1")
    assert await fr.answer("!binome refuser m1", BOB) == (
        "C'est noté pour m1 ; je vous ai écrit en privé, à l'un·e et à l'autre."
    )
    member, told = fr.transport.private[0]
    assert member == ALICE
    assert told.plain == (
        "Bob ne peut pas vous accompagner en woodworking (m1) ; je ne vous proposerai plus ce "
        "binôme. !binome montre d'autres mentors."
    )
    assert await fr.answer("!binome refuser m1", BOB) == "Le binôme m1 est déjà refusé."


async def test_an_accepted_match_is_finished_or_cancelled_not_declined(en: Harness) -> None:
    await accepted(en)
    assert await en.answer("!match decline m1", BOB) == (
        "m1 is already accepted: finish it with !match done m1 or cancel it with !match cancel m1."
    )


# --- done -----------------------------------------------------------------------------------


async def test_done_by_the_mentee_records_the_transmission_they_confirm(en: Harness) -> None:
    await accepted(en)
    done = await reply(en, "!match done m1 : patient & clear <3")
    assert done.text.plain.splitlines() == [
        "Match m1 is done: Bob mentored Alice in woodworking. Thank you both!",
        "Feedback: patient & clear <3",
        "Contribution c1 recorded: in transmission — mentoring in woodworking (match m1)",
        "Confirmed: 1 witness (1 needed); it counts.",
    ]
    assert "patient &amp; clear &lt;3" in done.text.html
    assert done.mentions == (BOB,)
    work = await stored_work(en, 1)
    assert (work.member, work.recorded_by, work.domain, work.minutes) == (
        BOB,
        ALICE,
        "transmission",
        None,
    )
    assert work.confirmations == 1
    found = await stored_match(en, 1)
    assert (found.state, found.feedback) == ("done", "patient & clear <3")
    assert await en.answer("!confirm c1", ALICE) == (
        "You already confirmed c1, Alice.\nConfirmed: 1 witness (1 needed); it counts."
    )


async def test_done_by_the_mentor_waits_for_the_mentee_to_confirm(fr: Harness) -> None:
    await accepted(fr)
    done = await reply(fr, "!binome fini m1", BOB)
    assert done.text.plain.splitlines() == [
        "Binôme m1 terminé : Bob a accompagné Alice en woodworking. Merci à vous deux !",
        "Contribution c1 notée : en transmission — compagnonnage en woodworking (binôme m1)",
        "À confirmer : 0 témoin (1 requis) ; encore 1 et elle compte.",
        "Un·e témoin la confirme avec !confirmer c1, ou en réagissant ✅ ou 👍 à ce message.",
    ]
    assert done.mentions == (ALICE,)
    assert (await stored_work(fr, 1)).confirmations == 0
    await fr.react(f"$reply{len(fr.transport.sent)}", "✅", ALICE)
    assert (await stored_work(fr, 1)).confirmations == 1


async def test_the_mentee_closes_the_need_with_a_flag(en: Harness) -> None:
    await accepted(en)
    assert (await lines(en, "!match done m1 --close : learned it"))[:3] == [
        "Match m1 is done: Bob mentored Alice in woodworking. Thank you both!",
        "Feedback: learned it",
        "Need n4 (woodworking) closed.",
    ]
    async with en.database.transaction() as tx:
        need = await listings.get(tx, 4)
    assert need is not None
    assert not need.is_open


async def test_the_flag_is_french_too_and_feedback_may_mention_it(fr: Harness) -> None:
    await accepted(fr)
    assert "Besoin n4 (woodworking) clos." in await fr.answer("!binome terminer m1 --CLORE")
    await fr.answer("!besoin bookkeeping 2", CHLOE)
    await fr.answer("!binome demander o3", CHLOE)
    await fr.answer("!binome accepter m2")
    ended = await lines(fr, "!binome fini m2 : pas de --clore ici", CHLOE)
    assert ended[1] == "Retour : pas de --clore ici"
    async with fr.database.transaction() as tx:
        need = await listings.get(tx, 5)
    assert need is not None
    assert need.is_open


async def test_only_the_mentee_closes_their_need(en: Harness) -> None:
    await accepted(en)
    assert await en.answer("!match done m1 --close", BOB) == (
        "Only Alice, who was learning, can close their need when finishing the match."
    )
    assert (await stored_match(en, 1)).state == "accepted"
    async with en.database.transaction() as tx:
        assert await contributions.get(tx, 1) is None


async def test_done_needs_an_accepted_match_and_happens_once(en: Harness) -> None:
    await woodworking(en)
    await en.answer("!match ask o1")
    assert await en.answer("!match done m1") == (
        "Bob has not accepted m1 yet: it cannot be finished. To give it up: !match cancel m1"
    )
    await en.answer("!match accept m1", BOB)
    await en.answer("!match done m1", BOB)
    assert await en.answer("!match done m1") == "Match m1 is already done."
    async with en.database.transaction() as tx:
        assert await contributions.get(tx, 2) is None


async def test_without_a_transmission_domain_the_first_one_counts(database: Database) -> None:
    bot = harness(database, domains=["habitat", "soin"])
    await accepted(bot)
    await bot.answer("!match done m1")
    assert (await stored_work(bot, 1)).domain == "habitat"
    assert transmission_domain(["soin", "Transmission"]) == "Transmission"


# --- cancel ---------------------------------------------------------------------------------


async def test_either_side_cancels_and_nothing_is_held_against_anyone(en: Harness) -> None:
    await accepted(en)
    assert await en.answer("!match cancel m1", BOB) == (
        "Match m1 (Alice with Bob, woodworking) cancelled. Nothing is held against anyone: "
        "either can ask for a match again."
    )
    assert "Bob (o1, level 3)" in (await lines(en, "!match"))[1]
    assert (await reply(en, "!match ask o1")).mentions == (BOB,)


async def test_a_moderator_cancels_anyone_s_match(en: Harness) -> None:
    await woodworking(en)
    await en.answer("!match ask o1")
    assert (await en.answer("!match cancel m1", MODERATOR)).startswith("Match m1 (Alice with Bob")
    assert await en.answer("!match cancel m1", MODERATOR) == "Match m1 is already cancelled."
    assert await en.answer("!match accept m1", BOB) == "Match m1 is already cancelled."


async def test_forgetting_a_member_ends_their_open_matches(fr: Harness) -> None:
    await accepted(fr)
    async with fr.database.transaction() as tx:
        await matches.forget_member(tx, BOB, fr.clock.now())
    assert await fr.answer("!binome fini m1") == "Le binôme m1 est déjà annulé."


# --- what members type ----------------------------------------------------------------------


ALL_FORMS = (
    "!match · !match ask <ref> · !match accept <ref> · !match decline <ref> · "
    "!match done <ref> [--close] [: feedback] · !match cancel <ref>"
)
ASK = ("!match ask <ref>", "!match ask o12")
ACCEPT = ("!match accept <ref>", "!match accept m5")
DONE = (
    "!match done <ref> [--close] [: feedback]",
    "!match done m5 : clear and patient, thank you!",
)


@pytest.mark.parametrize(
    ("command", "reason", "form"),
    [
        ("!match hug m1", "I do not know how to hug a match.", (ALL_FORMS, "!match")),
        ("!match ask", "Missing: ref.", ASK),
        ("!match : hello", "Missing: action.", (ALL_FORMS, "!match")),
        ("!match ask n4", "n4 is not a valid reference here; it looks like o12.", ASK),
        ("!match accept o1", "o1 is not a valid reference here; it looks like m12.", ACCEPT),
        ("!match ask o1 : please", "I did not understand : please at the end.", ASK),
        ("!match accept m1 --close", "I did not understand --close at the end.", ACCEPT),
        ("!match done m1 now", "I did not understand now at the end.", DONE),
        (
            "!match done m1 : " + "x" * 501,
            "That feedback is too long (at most 500 characters).",
            DONE,
        ),
    ],
)
async def test_bad_input_is_explained_with_the_usage_of_the_form_typed(
    en: Harness, command: str, reason: str, form: tuple[str, str]
) -> None:
    await woodworking(en)
    usage, example = form
    assert await lines(en, command) == [reason, f"Usage: {usage}", f"Example: {example}"]


@pytest.mark.parametrize(
    ("language", "command", "usage"),
    [
        ("en", "!help match", ALL_FORMS),
        (
            "fr",
            "!aide binome",
            "!binome · !binome demander <réf> · !binome accepter <réf> · "
            "!binome refuser <réf> · !binome fini <réf> [--clore] [: retour] · "
            "!binome annuler <réf>",
        ),
    ],
)
async def test_help_shows_the_life_cycle(
    database: Database, language: Language, command: str, usage: str
) -> None:
    bot = harness(database, language)
    shown = await lines(bot, command)
    assert shown[0] == usage
    ask, accept = ("demander", "accepter") if language == "fr" else ("ask", "accept")
    assert f"{ask} o12 · " in shown[-1]  # the verbs of the reader's language
    assert f"{accept} m5 · " in shown[-1]


async def test_withdrawing_the_need_ends_its_open_match(bot_en: Harness) -> None:
    await bot_en.answer("!offer woodworking 4", BOB)
    await bot_en.answer("!need woodworking 1")
    await bot_en.answer("!match ask o1")
    await bot_en.answer("!withdraw n2")
    assert "Matches:" not in await bot_en.answer("!profile")
    assert "Matches:" not in await bot_en.answer(f"!profile {BOB}")
