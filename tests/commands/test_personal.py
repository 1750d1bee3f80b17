"""``!profile``, ``!mydata`` and ``!forget me``, as members use them."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import pytest

from bot.messages import Reply
from bot.store import contributions, events, matches, members, personal
from bot.store import skills as skills_store
from bot.store.personal import Footprint
from tests.commands.conftest import ALICE, BOB, CHLOE, ROOM, Harness


async def send(
    bot: Harness, body: str, sender: str = ALICE, mentions: tuple[str, ...] = ()
) -> Reply:
    [reply] = await bot.send(bot.message(body, sender, mentions=mentions))
    return reply


async def lines(bot: Harness, body: str, sender: str = ALICE) -> list[str]:
    return (await send(bot, body, sender)).text.plain.splitlines()


async def record_alice(bot: Harness) -> None:
    """Alice offers, needs, withdraws one need, works, is thanked, thanks and confirms."""
    for body, sender in (
        ("!offer woodworking 4 : the <b>router</b>", ALICE),
        ("!need bookkeeping", ALICE),
        ("!need sewing 2", ALICE),
        ("!withdraw n3", ALICE),
        ("!contribute 2h habitat : painted the door", ALICE),  # c1, confirmed by Bob
        ("!confirm c1", BOB),
        ("!contribute 30min soin : herbal <tea>", ALICE),  # c2, pending
        ("!thanks @alice:test : ran the café", BOB),  # c3, no hours, confirmed by Bob
        ("!thanks @chloe:test 1h soin : night shift", ALICE),  # c4, Chloé's, Alice witnesses
        ("!contribute 1h animation : repair café", BOB),  # c5, Bob's
        ("!confirm c5", ALICE),
    ):
        await send(bot, body, sender)


async def ask_alice_to_mentor_bob(bot: Harness) -> None:
    """Bob needs woodworking (n4) and asks Alice (o1): matches have no command yet."""
    await send(bot, "!need woodworking", BOB)
    async with bot.database.transaction() as tx:
        await matches.create(tx, 4, 1, BOB, ALICE, 1, bot.clock.now())


async def everything_about(bot: Harness, user_id: str) -> Footprint:
    async with bot.database.transaction() as tx:
        return Footprint.of(await personal.gather(tx, user_id))


# --- !profile ----------------------------------------------------------------------------


async def test_my_empty_profile_says_how_to_begin(fr: Harness) -> None:
    assert await lines(fr, "!profil") == [
        "Rien à votre nom pour l'instant, Alice. Pour commencer : "
        "!offre ce que vous pouvez transmettre, !besoin ce que vous voulez apprendre, "
        "!contribution ce que vous avez fait pour le groupe."
    ]


async def test_my_empty_profile_in_english(en: Harness) -> None:
    assert await lines(en, "!profile", BOB) == [
        "Nothing under your name yet, Bob. To begin: !offer what you can teach, "
        "!need what you want to learn, !contribute what you did for the group."
    ]


async def test_my_profile_shows_open_listings_contributions_and_hours(en: Harness) -> None:
    await record_alice(en)
    assert await lines(en, "!profile") == [
        "Profile: Alice",
        "Offers: o1 woodworking, level 4 (experienced)",
        "Needs: n2 bookkeeping, level 1 (curious)",
        "Contributions: 3 (confirmed: 2 · pending: 1)",
        "• c3 · ran the café · confirmed",
        "• c2 · 30min · soin · herbal <tea> · awaiting confirmation",
        "• c1 · 2h · habitat · painted the door · confirmed",
        "Hours by domain: habitat 2h · soin 0h (+ 30min pending)",
        # 2h confirmed, and the café that named no hours counts as one: 1 + log2(1 + 3) / 4
        "Vote weight: 1.5 (!weight explains it)",
    ]


async def test_the_profile_in_french(fr: Harness) -> None:
    await record_alice(fr)
    assert await lines(fr, "!profil") == [
        "Profil : Alice",
        "Offres : o1 woodworking, niveau 4 (expérimenté·e)",
        "Besoins : n2 bookkeeping, niveau 1 (curieux·se)",
        "Contributions : 3 (confirmées : 2 · en attente : 1)",
        "• c3 · ran the café · confirmée",
        "• c2 · 30min · soin · herbal <tea> · en attente de confirmation",
        "• c1 · 2h · habitat · painted the door · confirmée",
        "Heures par domaine : habitat 2h · soin 0h (+ 30min en attente)",
        "Poids de vote : 1,5 (!poids l'explique)",
    ]


async def test_several_offers_share_one_line_newest_first(en: Harness) -> None:
    await send(en, "!offer woodworking")
    await send(en, "!offer sewing 5")
    assert await lines(en, "!profile") == [
        "Profile: Alice",
        "Offers: o2 sewing, level 5 (expert) · o1 woodworking, level 3 (practitioner)",
        "Vote weight: 1 (!weight explains it)",
    ]


async def test_only_the_latest_five_contributions_are_listed(en: Harness) -> None:
    for hour in range(1, 8):
        await send(en, f"!contribute {hour}h habitat : shift {hour}")
        en.clock.advance(timedelta(minutes=1))
    assert await lines(en, "!profile") == [
        "Profile: Alice",
        "Contributions: 7 (confirmed: 0 · pending: 7)",
        *(f"• c{n} · {n}h · habitat · shift {n} · awaiting confirmation" for n in range(7, 2, -1)),
        "… and 2 more",
        "Hours by domain: habitat 0h (+ 28h pending)",
        "Vote weight: 1 (!weight explains it)",  # nothing confirmed yet: the base voice
    ]


async def test_hours_without_a_domain_are_shown_apart(en: Harness) -> None:
    await send(en, "!thanks @bob:test 1h30 : fixed the bike", ALICE)
    assert (await lines(en, "!profile Bob Martin"))[-2:] == [
        "Hours by domain: no domain 1h30",
        "Vote weight: 1.33 (!weight @bob:test explains it)",  # Alice thanked: she witnessed
    ]


async def test_someone_elses_profile_by_id_by_name_and_by_pill(en: Harness) -> None:
    await send(en, "!offer bookkeeping 5", BOB)
    expected = [
        "Profile: Bob Martin",
        "Offers: o1 bookkeeping, level 5 (expert)",
        "Vote weight: 1 (!weight @bob:test explains it)",
    ]
    assert await lines(en, "!profile @bob:test") == expected
    assert await lines(en, "!profile bob martin") == expected
    assert await lines(en, "!profile @bob") == expected
    pill = await send(en, "!profile Bob Martin", mentions=(BOB,))
    assert pill.text.plain.splitlines() == expected
    assert pill.mentions == ()  # a profile names people, it never pings them


async def test_the_profile_of_someone_who_left_uses_the_name_last_seen(en: Harness) -> None:
    await send(en, "!offer sewing", CHLOE)
    del en.transport.members[ROOM][CHLOE]
    assert (await lines(en, "!profile @chloe:test"))[0] == "Profile: Chloe"


async def test_an_empty_profile_of_someone_else(fr: Harness) -> None:
    assert await lines(fr, "!profil Chloé") == [
        "Chloé n'a encore rien inscrit : ni offre, ni besoin, ni contribution."
    ]


async def test_an_unknown_member_is_explained(en: Harness) -> None:
    assert await lines(en, "!profile Zoé") == [
        "I cannot find anyone called Zoé in this room. Write their full id, "
        "like @sam:example.org, or mention them."
    ]


async def test_names_and_descriptions_are_escaped_in_html(en: Harness) -> None:
    en.transport.members[ROOM][BOB] = "<b>Bob</b> & co"
    await send(en, "!contribute 1h habitat : <img src=x>", BOB)
    reply = await send(en, "!profile @bob:test")
    assert reply.text.plain.splitlines()[0] == "Profile: <b>Bob</b> & co"
    assert "<b>Profile: &lt;b&gt;Bob&lt;/b&gt; &amp; co</b>" in reply.text.html
    assert "&lt;img src=x&gt;" in reply.text.html
    assert "<img" not in reply.text.html


async def test_a_long_description_is_shortened_in_the_profile(en: Harness) -> None:
    await send(en, "!contribute 1h habitat : " + "x" * 200)
    shown = (await lines(en, "!profile"))[2]
    assert shown == "• c1 · 1h · habitat · " + "x" * 79 + "… · awaiting confirmation"


# --- !mydata -----------------------------------------------------------------------------


async def test_mydata_sends_everything_about_me_privately(en: Harness) -> None:
    await record_alice(en)
    await ask_alice_to_mentor_bob(en)
    async with en.database.transaction() as tx:
        await events.remember_direct_room(tx, ALICE, "!dm:test")
    reply = await send(en, "!mydata")
    assert reply.text.plain == (
        "I am sending you everything I keep about you in a direct message, Alice: "
        "the file compagnon-data-alice-2026-11-02.json."
    )
    assert reply.mentions == ()
    [sent] = en.transport.files
    assert (sent.user_id, sent.filename) == (ALICE, "compagnon-data-alice-2026-11-02.json")
    assert sent.text == (
        "Here is everything Compagnon keeps about you, as JSON. "
        "To erase it, type !forget me in a community room."
    )
    document: dict[str, Any] = json.loads(sent.data)
    assert list(document) == [
        "schema_version",
        "generated_at",
        "user_id",
        "member",
        "offers",
        "needs",
        "contributions",
        "recorded_for_others",
        "confirmations_given",
        "matches",
        "polls_opened",
        "poll_responses",
        "poll_weights",
        "direct_room",
        "forget_requested_at",
        "disputes_raised",
        "reviews_asked",
        "workshops_hosted",
        "workshops_attended",
        "workshops_signed_up",
        "objections",
    ]
    assert document["schema_version"] == 1
    assert document["generated_at"] == "2026-11-02T09:00:00+00:00"
    assert document["member"] == {
        "user_id": ALICE,
        "display_name": "Alice",
        "first_seen": "2026-11-02T09:00:00+00:00",
        "poll_reminders": True,
    }
    assert document["offers"] == [
        {
            "ref": "o1",
            "member": ALICE,
            "skill": "woodworking",
            "skill_id": 1,
            "level": 4,
            "details": "the <b>router</b>",
            "room_id": ROOM,
            "created_at": "2026-11-02T09:00:00+00:00",
            "withdrawn_at": None,
        }
    ]
    assert [(n["ref"], n["withdrawn_at"]) for n in document["needs"]] == [
        ("n3", "2026-11-02T09:00:00+00:00"),  # newest first, withdrawn ones too
        ("n2", None),
    ]
    made = {c["ref"]: c for c in document["contributions"]}
    assert list(made) == ["c3", "c2", "c1"]
    assert made["c1"] == {
        "ref": "c1",
        "member": ALICE,
        "minutes": 120,
        "domain": "habitat",
        "what": "painted the door",
        "recorded_by": ALICE,
        "room_id": ROOM,
        "created_at": "2026-11-02T09:00:00+00:00",
        "record_event": "$reply5",
        "confirmed": True,
        "voided_at": None,
        "void_reason": "",
        "confirmations": [
            {"confirmer": BOB, "confirmed_at": "2026-11-02T09:00:00+00:00", "via_event": None}
        ],
    }
    assert (made["c2"]["confirmed"], made["c2"]["confirmations"]) == (False, [])
    assert (made["c3"]["domain"], made["c3"]["minutes"], made["c3"]["recorded_by"]) == (
        None,
        None,
        BOB,
    )
    [thanks] = document["recorded_for_others"]
    assert (thanks["ref"], thanks["member"], thanks["recorded_by"]) == ("c4", CHLOE, ALICE)
    assert [c["contribution"] for c in document["confirmations_given"]] == ["c4", "c5"]
    assert document["confirmations_given"][1]["member"] == BOB
    assert document["matches"] == [
        {
            "ref": "m1",
            "mentee": BOB,
            "mentor": ALICE,
            "need": "n4",
            "offer": "o1",
            "skill": "woodworking",
            "state": "asked",
            "created_at": "2026-11-02T09:00:00+00:00",
            "updated_at": "2026-11-02T09:00:00+00:00",
            "room_id": None,
            "feedback": "",
        }
    ]
    assert document["polls_opened"] == document["poll_responses"] == []
    assert document["poll_weights"] == []
    assert document["direct_room"] == "!dm:test"
    assert document["forget_requested_at"] is None


async def test_mydata_in_french_for_a_newcomer(fr: Harness) -> None:
    reply = await send(fr, "!mesdonnees", BOB)
    assert reply.text.plain == (
        "Je vous envoie en message privé tout ce que je garde à votre sujet, Bob : "
        "le fichier compagnon-data-bob-2026-11-02.json."
    )
    [sent] = fr.transport.files
    assert sent.text.endswith("tapez !oublie moi dans un salon de la communauté.")
    document = json.loads(sent.data)
    assert document["member"]["display_name"] == "Bob"
    assert document["offers"] == document["contributions"] == []


async def test_an_odd_localpart_makes_a_safe_file_name(en: Harness) -> None:
    await send(en, "!mydata", "@we/ird..name:test")
    assert en.transport.files[-1].filename == "compagnon-data-we_ird..name-2026-11-02.json"


async def test_when_the_file_cannot_be_sent_the_member_is_told(
    en: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def refuse(user_id: str, filename: str, data: bytes, text: str) -> None:
        raise TimeoutError("the homeserver is away")

    monkeypatch.setattr(en.transport, "send_file_privately", refuse)
    with caplog.at_level(logging.ERROR):
        replies = await en.send(en.message("!mydata"))
    assert len(replies) == 2
    assert replies[0].text.plain.startswith("I am sending you everything")
    failure = replies[1].text.plain
    assert failure.startswith("I could not send you the file in a direct message (ref ")
    assert replies[1].in_reply_to == replies[0].in_reply_to
    ref = failure.split("(ref ")[1].split(")")[0]
    assert any(ref in record.getMessage() for record in caplog.records)


# --- !forget me --------------------------------------------------------------------------


async def test_forget_first_says_what_would_go_then_erases_it_on_confirmation(
    fr: Harness,
) -> None:
    await record_alice(fr)
    await ask_alice_to_mentor_bob(fr)
    async with fr.database.transaction() as tx:
        await events.remember_direct_room(tx, ALICE, "!dm:test")
    assert await lines(fr, "!oublie moi") == [
        "Voici ce que j'effacerais, Alice, si vous confirmez :",
        "• votre fiche de membre (nom affiché, date d'arrivée)",
        "• offres et besoins, retirés compris : 3",
        "• contributions à votre nom, avec leurs confirmations : 3",
        "• notre salon privé : j'efface ce que je vous y ai envoyé, fichiers compris, "
        "et je le quitte",
        "Resterait, sans votre nom, parce que d'autres s'y appuient :",
        "• contributions que vous avez notées pour d'autres : 1 (elles restent à leur nom)",
        "• vos confirmations des contributions des autres : 2 (sans votre nom, elles ne "
        "comptent plus : un autre témoin pourra confirmer)",
        "• binômes dont vous faisiez partie : 1 (l'autre personne en garde la trace)",
        "Pour confirmer, tapez !oublie moi confirmer dans les 15 minutes ; sans cela, "
        "rien n'est effacé. Pour garder une copie avant : !mesdonnees.",
    ]
    assert await everything_about(fr, ALICE) == Footprint(3, 3, True, 1, 2, 1, 0, 0, 0)  # all there

    fr.clock.advance(timedelta(minutes=15))
    assert await lines(fr, "!oublie moi confirmer") == [
        "C'est fait, Alice : je vous ai oublié·e. Effacé :",
        "• votre fiche de membre (nom affiché, date d'arrivée)",
        "• offres et besoins, retirés compris : 3",
        "• contributions à votre nom, avec leurs confirmations : 3",
        "• notre salon privé : j'efface ce que je vous y ai envoyé, fichiers compris, "
        "et je le quitte",
        "Reste, sans votre nom :",
        "• contributions que vous avez notées pour d'autres : 1 (elles restent à leur nom)",
        "• vos confirmations des contributions des autres : 2 (sans votre nom, elles ne "
        "comptent plus : un autre témoin pourra confirmer)",
        "• binômes dont vous faisiez partie : 1 (l'autre personne en garde la trace)",
        "Si vous utilisez de nouveau une commande, vous repartez de zéro.",
    ]
    async with fr.database.transaction() as tx:
        data = await personal.gather(tx, ALICE)
        thanked = await contributions.get(tx, 4)
        bobs = await contributions.get(tx, 5)
        [match] = await matches.of_member(tx, BOB)
    assert Footprint.of(data) == Footprint(0, 0, False, 0, 0, 0, 0, 0, 0)
    assert fr.transport.left == ["!dm:test"]
    assert (data.member, data.forget_requested_at) == (None, None)
    assert thanked is not None
    assert (thanked.member, thanked.recorded_by, thanked.confirmations) == (CHLOE, None, 0)
    assert bobs is not None
    assert bobs.confirmations == 0  # a forgotten witness vouches for nothing any more
    assert (match.mentee, match.mentor, match.offer_id) == (BOB, None, None)
    profile = await lines(fr, "!profil Bob Martin", BOB)
    assert "• c5 · 1h · animation · repair café · confirmée" not in profile


async def test_after_forgetting_the_member_starts_afresh(en: Harness) -> None:
    await send(en, "!offer sewing")
    await send(en, "!forget me")
    await send(en, "!forget me confirm")
    assert (await lines(en, "!profile"))[0].startswith("Nothing under your name yet, Alice.")
    assert await lines(en, "!forget me confirm") == [
        "There is nothing to confirm: first type !forget me to see what would be erased."
    ]
    async with en.database.transaction() as tx:
        member = await members.get(tx, ALICE)
    assert member is not None
    assert member.first_seen == en.clock.now()


async def test_forget_in_english_for_someone_with_little_stored(en: Harness) -> None:
    assert await lines(en, "!forget me") == [
        "Here is what I would erase, Alice, if you confirm:",
        "• your member record (display name, first seen)",
        "• offers and needs, withdrawn ones included: 0",
        "• contributions in your name, with their confirmations: 0",
        "To confirm, type !forget me confirm within 15 minutes; otherwise nothing is erased. "
        "To keep a copy first: !mydata.",
    ]
    assert await lines(en, "!forget me confirm") == [
        "Done, Alice: I have forgotten you. Erased:",
        "• your member record (display name, first seen)",
        "• offers and needs, withdrawn ones included: 0",
        "• contributions in your name, with their confirmations: 0",
        "If you use a command again, you start afresh.",
    ]


async def test_a_late_confirmation_erases_nothing_and_drops_the_request(fr: Harness) -> None:
    await send(fr, "!offre couture")
    await send(fr, "!oublie moi")
    fr.clock.advance(timedelta(minutes=15, seconds=1))
    assert await lines(fr, "!oublie moi confirmer") == [
        "Votre demande a expiré (elle vaut 15 minutes) ; rien n'a été effacé. "
        "Pour recommencer : !oublie moi."
    ]
    assert await everything_about(fr, ALICE) == Footprint(1, 0, False, 0, 0, 0, 0, 0, 0)
    assert (await lines(fr, "!oublie moi confirmer"))[0].startswith("Il n'y a rien à confirmer")


async def test_asking_again_restarts_the_fifteen_minutes(en: Harness) -> None:
    await send(en, "!forget me")
    en.clock.advance(timedelta(minutes=10))
    await send(en, "!forget me")
    en.clock.advance(timedelta(minutes=10))
    assert (await lines(en, "!forget me confirm"))[
        0
    ] == "Done, Alice: I have forgotten you. Erased:"


async def test_confirming_without_asking_first_is_explained(fr: Harness) -> None:
    await send(fr, "!offre couture")
    assert await lines(fr, "!oublie moi confirmer") == [
        "Il n'y a rien à confirmer : tapez d'abord !oublie moi pour voir ce qui serait effacé."
    ]
    assert await everything_about(fr, ALICE) == Footprint(1, 0, False, 0, 0, 0, 0, 0, 0)


async def test_one_members_request_cannot_be_confirmed_by_another(en: Harness) -> None:
    await send(en, "!offer sewing", ALICE)
    await send(en, "!forget me", ALICE)
    assert (await lines(en, "!forget me confirm", BOB))[0].startswith("There is nothing to")
    assert await everything_about(en, ALICE) == Footprint(1, 0, False, 0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    "body", ["!forget moi", "!oublie me", "!OUBLIE Moi", "!forget  me  ", "!oublie moi"]
)
async def test_me_is_understood_in_either_language(en: Harness, body: str) -> None:
    assert (await lines(en, body))[0] == "Here is what I would erase, Alice, if you confirm:"


@pytest.mark.parametrize(
    "confirm", ["!forget me confirm", "!oublie moi confirmer", "!forget moi Confirmer"]
)
async def test_confirm_is_understood_in_either_language(en: Harness, confirm: str) -> None:
    await send(en, "!forget me")
    assert (await lines(en, confirm))[0] == "Done, Alice: I have forgotten you. Erased:"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("!forget", "I only forget whoever asks: write me after the command."),
        ("!forget @bob:test", "I only forget whoever asks: write me after the command."),
        ("!forget everything", "I only forget whoever asks: write me after the command."),
        ("!forget me now", "I did not understand now at the end."),
        ("!forget me confirm please", "I did not understand confirm please at the end."),
    ],
)
async def test_anything_but_me_is_refused_and_changes_nothing(
    en: Harness, body: str, reason: str
) -> None:
    assert await lines(en, body) == [reason, "Usage: !forget me [confirm]", "Example: !forget me"]
    async with en.database.transaction() as tx:
        assert await personal.forget_requested_at(tx, ALICE) is None


async def test_forget_messages_escape_the_name_in_html(en: Harness) -> None:
    reply = await send(en, "!forget me", "@<i>x</i>:test")
    assert reply.text.plain.startswith("Here is what I would erase, <i>x</i>, if you confirm:")
    assert "&lt;i&gt;x&lt;/i&gt;" in reply.text.html
    assert "<i>x</i>" not in reply.text.html


async def test_help_lists_the_new_commands_in_french(fr: Harness) -> None:
    french = "\n".join(await lines(fr, "!aide"))
    assert (
        "!profil [@membre] — les offres, besoins, contributions, heures et poids de vote" in french
    )
    assert "!mesdonnees — m'envoie en message privé tout ce que le bot garde" in french
    assert "!oublie moi [confirmer] — efface mes données personnelles" in french


async def test_help_lists_the_new_commands_in_english(en: Harness) -> None:
    english = "\n".join(await lines(en, "!help"))
    assert (
        "!profile [@member] — a member's offers, needs, contributions, hours and vote weight"
        in english
    )
    assert "!mydata — sends me, in a direct message, everything the bot keeps" in english
    assert "!forget me [confirm] — erases my personal data, after a confirmation" in english


async def test_the_profile_shows_open_and_finished_matches(bot_en: Harness) -> None:
    await bot_en.answer("!offer woodworking 4", BOB)
    await bot_en.answer("!need woodworking 1")
    await bot_en.answer("!match ask o1")
    assert "Matches: m1 woodworking, as mentee, asked (0 finished)" in await bot_en.answer(
        "!profile"
    )
    await bot_en.answer("!match accept m1", BOB)
    await bot_en.answer("!match done m1", BOB)
    text = await bot_en.answer(f"!profile {BOB}")
    assert "Matches: — (1 finished)" in text


# --- polls: in the profile's weight, in !mydata, kept anonymously by !forget me ----------


async def alice_opens_a_poll(bot: Harness, poll: str = "!poll Paint the yard? | yes | no") -> None:
    """Alice's 15 confirmed hours weigh 2 when she opens p1; she and Bob vote on it."""
    await send(bot, "!contribute 15h habitat : rebuilt the shed", ALICE)
    await send(bot, "!confirm c1", BOB)
    await bot.send(bot.message(poll, ALICE))
    await send(bot, "!vote p1 2", ALICE)
    bot.clock.advance(timedelta(minutes=1))
    await send(bot, "!vote p1 1", ALICE)  # a later vote replaces the earlier one
    await send(bot, "!vote p1 2", BOB)


async def test_the_profile_weight_is_the_one_weight_explains(en: Harness) -> None:
    await send(en, "!contribute 15h habitat : rebuilt the shed", ALICE)
    await send(en, "!confirm c1", BOB)
    assert (await lines(en, "!profile"))[-1] == "Vote weight: 2 (!weight explains it)"
    assert (await lines(en, "!weight"))[0] == "Alice's weight: 2, were a poll to open now"
    assert (await lines(en, "!profile Alice", BOB))[-1] == (
        "Vote weight: 2 (!weight @alice:test explains it)"
    )


async def test_a_member_who_only_voted_still_has_an_empty_profile(fr: Harness) -> None:
    await alice_opens_a_poll(fr, "!sondage Repeindre la cour ? | oui | non")
    assert await lines(fr, "!profil", BOB) == [
        "Rien à votre nom pour l'instant, Bob. Pour commencer : "
        "!offre ce que vous pouvez transmettre, !besoin ce que vous voulez apprendre, "
        "!contribution ce que vous avez fait pour le groupe."
    ]


async def test_mydata_holds_the_polls_i_opened_my_votes_and_my_frozen_weights(
    en: Harness,
) -> None:
    await alice_opens_a_poll(en)
    await en.send(en.message("!poll close p1", ALICE))
    await send(en, "!mydata")
    document: dict[str, Any] = json.loads(en.transport.files[-1].data)
    assert document["polls_opened"] == [
        {
            "ref": "p1",
            "room_id": ROOM,
            "creator": ALICE,
            "question": "Paint the yard?",
            "answers": ["yes", "no"],
            "max_selections": 1,
            "secret": False,
            "equal": False,
            "domain": None,
            "opened_at": "2026-11-02T09:00:00+00:00",
            "closes_at": "2026-11-02T09:01:00+00:00",  # closed early: due then
            "closed_at": "2026-11-02T09:01:00+00:00",
            "start_event": en.transport.polls[0].event_id,
            "end_event": en.transport.ended[0].event_id,
            "responses": 3,
            "respondents": 2,
            "result": {
                "voters": 2,
                "total_weight": 3.0,
                "answers": [
                    {"number": 1, "answer": "yes", "voters": 1, "weight": 2.0},
                    {"number": 2, "answer": "no", "voters": 1, "weight": 1.0},
                ],
            },
        }
    ]
    assert [
        (r["poll"], r["answers"], r["sent_at"], r["redacted"]) for r in document["poll_responses"]
    ] == [
        ("p1", ["1"], "2026-11-02T09:01:00+00:00", False),
        ("p1", ["2"], "2026-11-02T09:00:00+00:00", False),
    ]
    assert all(r["event_id"].startswith("$event") for r in document["poll_responses"])
    assert document["poll_weights"] == [{"poll": "p1", "weight": 2.0}]
    # Bob voted in Alice's poll and opened none: only his own response, no one else's.
    await send(en, "!mydata", BOB)
    bobs: dict[str, Any] = json.loads(en.transport.files[-1].data)
    assert bobs["polls_opened"] == bobs["poll_weights"] == []
    assert [(r["poll"], r["answers"]) for r in bobs["poll_responses"]] == [("p1", ["2"])]


async def test_forget_keeps_my_closed_votes_counted_and_my_polls_for_the_room(
    fr: Harness,
) -> None:
    await alice_opens_a_poll(fr, "!sondage Repeindre la cour ? | oui | non")
    fr.clock.advance(timedelta(minutes=1))
    await fr.send(fr.message("!sondage fermer p1", ALICE))
    results = await lines(fr, "!sondage résultats p1", BOB)
    assert results[1:3] == [
        "1. oui : 67 % — poids 2, 1 voix",
        "2. non : 33 % — poids 1, 1 voix",
    ]
    assert await lines(fr, "!oublie moi") == [
        "Voici ce que j'effacerais, Alice, si vous confirmez :",
        "• votre fiche de membre (nom affiché, date d'arrivée)",
        "• offres et besoins, retirés compris : 0",
        "• contributions à votre nom, avec leurs confirmations : 1",
        "Resterait, sans votre nom, parce que d'autres s'y appuient :",
        "• sondages clos où vous avez voté : 1 (vos votes restent comptés, anonymement)",
        "• sondages que vous avez ouverts : 1 (ils restent au salon, sans leur auteur·ice)",
        "Pour confirmer, tapez !oublie moi confirmer dans les 15 minutes ; sans cela, "
        "rien n'est effacé. Pour garder une copie avant : !mesdonnees.",
    ]
    assert await lines(fr, "!oublie moi confirmer") == [
        "C'est fait, Alice : je vous ai oublié·e. Effacé :",
        "• votre fiche de membre (nom affiché, date d'arrivée)",
        "• offres et besoins, retirés compris : 0",
        "• contributions à votre nom, avec leurs confirmations : 1",
        "Reste, sans votre nom :",
        "• sondages clos où vous avez voté : 1 (vos votes restent comptés, anonymement)",
        "• sondages que vous avez ouverts : 1 (ils restent au salon, sans leur auteur·ice)",
        "Si vous utilisez de nouveau une commande, vous repartez de zéro.",
    ]
    # Her weighted vote still counts; nothing links the poll or the vote to her any more.
    assert await lines(fr, "!sondage résultats p1", BOB) == results
    async with fr.database.transaction() as tx:
        data = await personal.gather(tx, ALICE)
    assert Footprint.of(data) == Footprint(0, 0, False, 0, 0, 0, 0, 0, 0)


async def test_forget_withdraws_votes_in_open_polls_so_nobody_votes_twice(en: Harness) -> None:
    await alice_opens_a_poll(en)
    assert await lines(en, "!forget me", BOB) == [
        "Here is what I would erase, Bob, if you confirm:",
        "• your member record (display name, first seen)",
        "• offers and needs, withdrawn ones included: 0",
        "• contributions in your name, with their confirmations: 0",
        "• your votes in polls still open: 1 (taken back; you may vote again)",
        "Would stay, without your name, because others rely on it:",
        "• your confirmations of others' contributions: 1 (without your name they no longer "
        "count: another witness may confirm)",
        "To confirm, type !forget me confirm within 15 minutes; otherwise nothing is erased. "
        "To keep a copy first: !mydata.",
    ]
    assert (await lines(en, "!forget me confirm", BOB))[4] == (
        "• your votes in polls still open: 1 (taken back; you may vote again)"
    )
    assert (await lines(en, "!poll results p1"))[-2] == (
        "1 voter(s), total weight 2; each percentage is the share of that weight which chose "
        "the answer."
    )
    await send(en, "!vote p1 2", BOB)  # a stranger now, with one vote like anyone
    assert (await lines(en, "!poll results p1"))[-2].startswith("2 voter(s), total weight 3;")
    # Only the new vote is his: the old vote and its frozen weight are gone.
    assert await everything_about(en, BOB) == Footprint(0, 0, False, 0, 0, 0, 0, 0, 1)


async def test_a_direct_room_the_homeserver_would_not_let_go_is_left_at_the_next_start(
    en: Harness,
) -> None:
    async with en.database.transaction() as tx:
        await events.remember_direct_room(tx, ALICE, "!dm:test")
    await send(en, "!forget me")
    en.transport.refuse_rooms = True
    assert (await lines(en, "!forget me confirm"))[0].startswith("Done, Alice")
    assert en.transport.left == []
    async with en.database.transaction() as tx:
        assert await events.rooms_to_leave(tx) == ["!dm:test"]  # no member id beside it

    en.transport.refuse_rooms = False
    await en.dispatcher.keep_promises()
    assert en.transport.left == ["!dm:test"]
    async with en.database.transaction() as tx:
        assert await events.rooms_to_leave(tx) == []


async def test_forgetting_clears_match_feedback_skills_only_she_named_and_her_invitations(
    en: Harness,
) -> None:
    await record_alice(en)
    await ask_alice_to_mentor_bob(en)
    await send(en, "!match accept m1")
    await send(en, "!match done m1 : she explained glazes so well", BOB)
    await send(en, "!offer glassblowing")
    async with en.database.transaction() as tx:
        await events.record_room_joined(tx, "!hers:test", en.clock.now(), ALICE)
    await send(en, "!forget me")
    await send(en, "!forget me confirm")
    async with en.database.transaction() as tx:
        [match] = await matches.of_member(tx, BOB)
        skills = [skill.name for skill in await skills_store.every(tx)]
        served = await events.served_since(tx)
    assert match.feedback == ""
    assert "glassblowing" not in skills
    assert served["!hers:test"].invited_by is None
