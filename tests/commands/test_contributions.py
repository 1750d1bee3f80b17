"""``!contribute``, ``!thanks``, ``!confirm`` and confirming reactions, as members use them."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.i18n.types import Language
from bot.messages import IncomingReaction, Reply
from bot.store import contributions, events
from bot.store.contributions import Contribution
from bot.store.database import Database
from tests.commands.conftest import ALICE, BOB, CHLOE, ROOM, Harness, community

BOT = "@compagnon:test"


@pytest.fixture
def fr2(database: Database) -> Harness:
    """Two witnesses needed, in French."""
    return community(database, "fr", required=2)


@pytest.fixture
def en2(database: Database) -> Harness:
    return community(database, "en", required=2)


async def send(
    bot: Harness, body: str, sender: str = ALICE, mentions: tuple[str, ...] = ()
) -> Reply:
    [reply] = await bot.send(bot.message(body, sender, mentions=mentions))
    return reply


async def lines(
    bot: Harness, body: str, sender: str = ALICE, mentions: tuple[str, ...] = ()
) -> list[str]:
    return (await send(bot, body, sender, mentions)).text.plain.splitlines()


def last_reply_id(bot: Harness) -> str:
    """The event id the fake transport gave the latest reply: the record message."""
    return f"$reply{len(bot.transport.sent)}"


async def stored(bot: Harness, number: int) -> Contribution | None:
    """As the bot's next transaction sees it (the record message's id is written then)."""
    async with bot.dispatcher.transaction() as tx:
        return await contributions.get(tx, number)


async def confirmations(bot: Harness, number: int) -> int:
    found = await stored(bot, number)
    assert found is not None
    return found.confirmations


# --- !contribute ------------------------------------------------------------------------


async def test_contribute_records_my_work_and_says_how_to_confirm_it(fr: Harness) -> None:
    assert await lines(fr, "!contribution 2h habitat : repeint la porte de l'atelier") == [
        "Contribution c1 notée : 2h en habitat — repeint la porte de l'atelier",
        "À confirmer : 0 témoin (1 requis) ; encore 1 et elle compte.",
        "Un·e témoin la confirme avec !confirmer c1, ou en réagissant ✅ ou 👍 à ce message.",
    ]
    found = await stored(fr, 1)
    assert found is not None
    assert (found.member, found.recorded_by, found.room_id) == (ALICE, ALICE, ROOM)
    assert (found.minutes, found.domain, found.what) == (
        120,
        "habitat",
        "repeint la porte de l'atelier",
    )
    assert found.record_event == last_reply_id(fr)
    assert found.confirmations == 0


async def test_contribute_in_english_with_two_witnesses_needed(en2: Harness) -> None:
    assert await lines(en2, "!contribute 1h30 animation : ran the repair café") == [
        "Contribution c1 recorded: 1h30 in animation — ran the repair café",
        "To be confirmed: 0 witnesses (2 needed); 2 more and it counts.",
        "A witness confirms it with !confirm c1, or by reacting ✅ or 👍 to this message.",
    ]


@pytest.mark.parametrize(
    ("hours", "minutes", "shown"),
    [
        ("3h", 180, "3h"),
        ("1h30", 90, "1h30"),
        ("1.5h", 90, "1h30"),
        ("1,5h", 90, "1h30"),
        ("90min", 90, "1h30"),
        ("45m", 45, "45min"),
        ("2h 30min", 150, "2h30"),
        ("200h", 12000, "200h"),
    ],
)
async def test_hours_are_read_the_way_people_write_them(
    en: Harness, hours: str, minutes: int, shown: str
) -> None:
    [headline, *_] = await lines(en, f"!contribute {hours} soin : night shift")
    assert headline == f"Contribution c1 recorded: {shown} in soin — night shift"
    found = await stored(en, 1)
    assert found is not None
    assert found.minutes == minutes


async def test_hours_and_domain_may_come_in_either_order(en: Harness) -> None:
    [headline, *_] = await lines(en, "!contribute habitat 2h : gutters")
    assert headline == "Contribution c1 recorded: 2h in habitat — gutters"


async def test_the_domain_is_matched_without_case_accents_or_plural(fr: Harness) -> None:
    [headline, *_] = await lines(fr, "!contribution 1h SOINS : veille de nuit")
    assert headline == "Contribution c1 notée : 1h en soin — veille de nuit"
    found = await stored(fr, 1)
    assert found is not None
    assert found.domain == "soin"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            "!contribute habitat : gutters",
            "How long did it take? Write it like 3h, 1h30, 1.5h or 90min.",
        ),
        (
            "!contribute two hours habitat : gutters",
            "How long did it take? Write it like 3h, 1h30, 1.5h or 90min.",
        ),
        (
            "!contribute 500h habitat : gutters",
            "I cannot read 500h as a duration: write 3h, 1h30, 1.5h or 90min, up to 200h.",
        ),
        (
            "!contribute 0h habitat : gutters",
            "I cannot read 0h as a duration: write 3h, 1h30, 1.5h or 90min, up to 200h.",
        ),
        (
            "!contribute 2h : gutters",
            "In which domain? One of: habitat, transmission, soin, animation, administration.",
        ),
        (
            "!contribute 2h cooking : gutters",
            "cooking is not one of the community's domains. "
            "Choose one of: habitat, transmission, soin, animation, administration.",
        ),
        ("!contribute 2h habitat gutters", "Say what was done, after a colon."),
        ("!contribute 2h habitat :   ", "Say what was done, after a colon."),
        ("!contribute", "Say what was done, after a colon."),
        (
            "!contribute 2h habitat : " + "x" * 501,
            "That description is 501 characters long; 500 at most, please.",
        ),
    ],
)
async def test_contribute_explains_what_is_wrong_and_records_nothing(
    en: Harness, body: str, reason: str
) -> None:
    assert await lines(en, body) == [
        reason,
        "Usage: !contribute <hours> <domain> : <what was done>",
        "Example: !contribute 2h habitat : repainted the workshop door",
    ]
    assert await stored(en, 1) is None


async def test_the_longest_description_allowed_is_recorded(en: Harness) -> None:
    await send(en, "!contribute 2h habitat : " + "x" * 500)
    found = await stored(en, 1)
    assert found is not None
    assert len(found.what) == 500


async def test_a_french_usage_error_reads_in_french(fr: Harness) -> None:
    assert await lines(fr, "!contribution 2h cuisine : soupe") == [
        "cuisine n'est pas un domaine de la communauté. "
        "Au choix : habitat, transmission, soin, animation, administration.",
        "Usage : !contribution <heures> <domaine> : <ce qui a été fait>",
        "Exemple : !contribution 2h habitat : repeint la porte de l'atelier",
    ]


async def test_what_was_done_is_escaped_in_html(en: Harness) -> None:
    reply = await send(en, "!contribute 1h habitat : <script>alert(1)</script> & <b>co</b>")
    assert "<script>" not in reply.text.html
    assert "<b>co</b>" not in reply.text.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;" in reply.text.html
    assert "<script>alert(1)</script> & <b>co</b>" in reply.text.plain
    assert "<b>c1</b>" in reply.text.html


async def test_help_shows_the_contribution_commands(en: Harness) -> None:
    text = "\n".join(await lines(en, "!help"))
    assert "!contribute <hours> <domain> : <what was done>" in text
    assert "!thanks <@member> [hours] [domain] : <what was done>" in text
    assert "!confirm <ref>" in text


# --- !thanks ----------------------------------------------------------------------------


async def test_thanks_by_pill_records_their_work_confirmed_by_me_and_pings_them(
    fr: Harness,
) -> None:
    reply = await send(fr, "!merci Bob Martin 2h habitat : a réparé la porte", mentions=(BOB,))
    assert reply.text.plain.splitlines() == [
        "Alice remercie Bob Martin ! Contribution c1 notée : 2h en habitat — a réparé la porte",
        "Confirmée : 1 témoin (1 requis) ; elle compte.",
    ]
    assert reply.mentions == (BOB,)
    found = await stored(fr, 1)
    assert found is not None
    assert (found.member, found.recorded_by, found.minutes, found.domain) == (
        BOB,
        ALICE,
        120,
        "habitat",
    )
    assert found.confirmations == 1
    assert found.record_event == last_reply_id(fr)


async def test_thanks_in_english_with_two_witnesses_asks_for_one_more(en2: Harness) -> None:
    reply = await send(en2, "!thanks Bob Martin : fixed the door", mentions=(BOB,))
    assert reply.text.plain.splitlines() == [
        "Alice thanks Bob Martin! Contribution c1 recorded: fixed the door",
        "To be confirmed: 1 witness (2 needed); 1 more and it counts.",
        "A witness confirms it with !confirm c1, or by reacting ✅ or 👍 to this message.",
    ]
    assert reply.mentions == (BOB,)


@pytest.mark.parametrize(
    "who",
    ["@bob:test", "@bob", "bob", "Bob", '"Bob Martin"', "«Bob Martin»"],
)
async def test_the_thanked_member_can_be_typed(en: Harness, who: str) -> None:
    reply = await send(en, f"!thanks {who} 1h : lent a ladder")
    assert reply.text.plain.startswith("Alice thanks Bob Martin! Contribution c1 recorded: 1h")
    assert reply.mentions == (BOB,)


async def test_a_member_of_another_served_room_can_be_thanked_by_full_id(en: Harness) -> None:
    async with en.dispatcher.transaction() as tx:
        await events.record_room_joined(tx, "!garden:test", en.clock.now())
    en.transport.members["!garden:test"] = {"@dana:elsewhere.org": "Dana"}
    reply = await send(en, "!thanks @dana:elsewhere.org : sent us seeds")
    assert reply.text.plain.startswith("Alice thanks @dana:elsewhere.org!")
    found = await stored(en, 1)
    assert found is not None
    assert found.member == "@dana:elsewhere.org"


async def test_a_colon_right_after_the_name_is_fine(en: Harness) -> None:
    [headline, *_] = await lines(en, "!thanks chloe: tidied the library")
    assert headline == "Alice thanks Chloé! Contribution c1 recorded: tidied the library"
    [headline, *_] = await lines(en, "!thanks Bob Martin: fixed it", mentions=(BOB,))
    assert headline == "Alice thanks Bob Martin! Contribution c2 recorded: fixed it"


@pytest.mark.parametrize(
    ("details", "summary", "minutes", "domain"),
    [
        ("", "fixed the door", None, ""),
        ("2h", "2h — fixed the door", 120, ""),
        ("habitat", "in habitat — fixed the door", None, "habitat"),
        ("Habitat 2h", "2h in habitat — fixed the door", 120, "habitat"),
    ],
)
async def test_hours_and_domain_are_optional_when_thanking(
    en: Harness, details: str, summary: str, minutes: int | None, domain: str
) -> None:
    [headline, *_] = await lines(en, f"!thanks @bob:test {details} : fixed the door")
    assert headline == f"Alice thanks Bob Martin! Contribution c1 recorded: {summary}"
    found = await stored(en, 1)
    assert found is not None
    assert (found.minutes, found.domain) == (minutes, domain)


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        ("!merci @alice:test : moi", ()),
        ("!merci Alice : moi", (ALICE,)),
        ("!merci alice : moi", ()),
    ],
)
async def test_nobody_thanks_themself(fr: Harness, body: str, mentions: tuple[str, ...]) -> None:
    assert await lines(fr, body, mentions=mentions) == [
        "On ne se remercie pas soi-même ! Pour noter ce que vous avez fait : !contribution"
    ]
    assert await stored(fr, 1) is None


async def test_the_bot_is_not_thanked(en: Harness) -> None:
    assert await lines(en, f"!thanks {BOT} : answering") == [
        "That is kind, but I keep no count of my own hours."
    ]
    assert await stored(en, 1) is None


async def test_thanking_someone_unknown_says_who_was_not_found(en: Harness) -> None:
    assert await lines(en, "!thanks zoe : nothing") == [
        "I cannot find anyone called zoe in this room. "
        "Write their full id, like @sam:example.org, or mention them."
    ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("!thanks", "Whom are you thanking? Mention them right after the command."),
        ("!thanks : for all", "Whom are you thanking? Mention them right after the command."),
        ('!thanks "" : for all', "Whom are you thanking? Mention them right after the command."),
        ("!thanks bob", "Say what was done, after a colon."),
        ("!thanks bob for the door", "Say what was done, after a colon."),
        (
            "!thanks bob 2h cooking : soup",
            "cooking is not one of the community's domains. "
            "Choose one of: habitat, transmission, soin, animation, administration.",
        ),
        (
            "!thanks bob 300h : everything",
            "I cannot read 300h as a duration: write 3h, 1h30, 1.5h or 90min, up to 200h.",
        ),
        ('!thanks "Bob : x', "A quote is opened but never closed."),
    ],
)
async def test_thanks_explains_what_is_wrong_and_records_nothing(
    en: Harness, body: str, reason: str
) -> None:
    assert await lines(en, body) == [
        reason,
        "Usage: !thanks <@member> [hours] [domain] : <what was done>",
        "Example: !thanks @camille 2h habitat : fixed the door",
    ]
    assert await stored(en, 1) is None


async def test_a_thanked_name_is_escaped_in_html(en: Harness) -> None:
    en.transport.members[ROOM][CHLOE] = "<i>Chloé</i>"
    reply = await send(en, "!thanks @chloe:test : <3")
    assert "&lt;i&gt;Chloé&lt;/i&gt;" in reply.text.html
    assert "<i>Chloé</i>" not in reply.text.html
    assert "recorded: &lt;3" in reply.text.html


# --- !confirm ---------------------------------------------------------------------------


async def test_confirming_counts_until_enough_witnesses(fr2: Harness) -> None:
    await send(fr2, "!contribution 3h transmission : atelier soudure", sender=BOB)
    assert await lines(fr2, "!confirmer c1", sender=ALICE) == [
        "Merci Alice ! Vous confirmez c1 : Bob Martin, 3h en transmission — atelier soudure",
        "À confirmer : 1 témoin (2 requis) ; encore 1 et elle compte.",
    ]
    assert await lines(fr2, "!confirmer c1", sender=CHLOE) == [
        "Merci Chloe ! Vous confirmez c1 : Bob Martin, 3h en transmission — atelier soudure",
        "Confirmée : 2 témoins (2 requis) ; elle compte.",
    ]
    assert await confirmations(fr2, 1) == 2


async def test_confirming_in_english(en: Harness) -> None:
    await send(en, "!contribute 3h transmission : welding class", sender=BOB)
    assert await lines(en, "!confirm c1") == [
        "Thank you Alice! You confirm c1: Bob Martin, 3h in transmission — welding class",
        "Confirmed: 1 witness (1 needed); it counts.",
    ]


async def test_confirming_twice_is_said_and_counts_once(en2: Harness) -> None:
    await send(en2, "!contribute 1h soin : visited Jo", sender=BOB)
    await send(en2, "!confirm c1")
    assert await lines(en2, "!confirm c1") == [
        "You already confirmed c1, Alice.",
        "To be confirmed: 1 witness (2 needed); 1 more and it counts.",
    ]
    assert await confirmations(en2, 1) == 1


async def test_who_thanked_has_already_confirmed(fr2: Harness) -> None:
    await send(fr2, "!merci bob : a prêté sa voiture")
    assert await lines(fr2, "!confirmer c1") == [
        "Vous avez déjà confirmé c1, Alice.",
        "À confirmer : 1 témoin (2 requis) ; encore 1 et elle compte.",
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_nobody_confirms_their_own_contribution(
    database: Database, language: Language
) -> None:
    bot = community(database, language)
    await send(bot, "!contribute 2h habitat : roof")
    await send(bot, "!thanks alice : lent her car", sender=BOB)
    expected = {
        "fr": "{ref} est votre propre contribution : c'est aux autres de la confirmer.",
        "en": "{ref} is your own contribution: it is for others to confirm.",
    }[language]
    for ref in ("c1", "c2"):  # recorded by me, or thanked by someone else: mine all the same
        assert await lines(bot, f"!confirm {ref}") == [expected.format(ref=ref)]
    assert await confirmations(bot, 1) == 0
    assert await confirmations(bot, 2) == 1


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            "Je ne trouve aucune contribution c9. "
            "Sa référence figure dans mon message qui l'a notée.",
        ),
        ("en", "I find no contribution c9. Its reference is in my message that recorded it."),
    ],
)
async def test_confirming_a_missing_contribution_says_so(
    database: Database, language: Language, expected: str
) -> None:
    assert await lines(community(database, language), "!confirm c9") == [expected]


@pytest.mark.parametrize(
    ("argument", "reason"),
    [
        ("", "Missing: ref."),
        ("o3", "o3 is not a valid reference here; it looks like c12."),
        ("bob", "bob is not a valid reference here; it looks like c12."),
        ("c1 c2", "I did not understand c2 at the end."),
    ],
)
async def test_confirm_with_a_bad_reference_shows_usage(
    en: Harness, argument: str, reason: str
) -> None:
    assert await lines(en, f"!confirm {argument}".strip()) == [
        reason,
        "Usage: !confirm <ref>",
        "Example: !confirm c12",
    ]


@pytest.mark.parametrize("ref", ["C1", "#c1"])
async def test_a_reference_is_read_however_it_is_written(en: Harness, ref: str) -> None:
    await send(en, "!contribute 1h soin : visit", sender=BOB)
    [headline, _] = await lines(en, f"!confirm {ref}")
    assert headline.startswith("Thank you Alice! You confirm c1:")


# --- reactions --------------------------------------------------------------------------


async def test_a_check_mark_on_the_record_message_confirms_silently(en2: Harness) -> None:
    await send(en2, "!contribute 2h habitat : roof", sender=BOB)
    record = last_reply_id(en2)
    sent = len(en2.transport.sent)
    await en2.react(record, "✅", sender=CHLOE)
    assert len(en2.transport.sent) == sent  # no answer to a reaction
    assert await confirmations(en2, 1) == 1
    assert await lines(en2, "!confirm c1", sender=CHLOE) == [
        "You already confirmed c1, Chloe.",
        "To be confirmed: 1 witness (2 needed); 1 more and it counts.",
    ]


@pytest.mark.parametrize("key", ["👍", "👍🏽", "👍🏿", "✔️", "☑️"])
async def test_thumbs_up_in_any_tone_and_other_checks_confirm(en: Harness, key: str) -> None:
    await send(en, "!contribute 2h habitat : roof", sender=BOB)
    await en.react(last_reply_id(en), key, sender=CHLOE)
    assert await confirmations(en, 1) == 1


@pytest.mark.parametrize("key", ["🎉", "❤️", "👎", "+1"])
async def test_other_reactions_do_not_confirm(en: Harness, key: str) -> None:
    await send(en, "!contribute 2h habitat : roof", sender=BOB)
    await en.react(last_reply_id(en), key, sender=CHLOE)
    assert await confirmations(en, 1) == 0


async def test_a_thanks_message_can_be_confirmed_by_reaction_too(en2: Harness) -> None:
    await send(en2, "!thanks bob : fixed the boiler")
    await en2.react(last_reply_id(en2), "👍", sender=CHLOE)
    assert await confirmations(en2, 1) == 2


async def test_two_reactions_by_one_member_count_once(en2: Harness) -> None:
    await send(en2, "!contribute 2h habitat : roof", sender=BOB)
    record = last_reply_id(en2)
    await en2.react(record, "✅", sender=CHLOE)
    await en2.react(record, "👍", sender=CHLOE)
    assert await confirmations(en2, 1) == 1
    await en2.react(record, "👍", sender=ALICE)
    assert await confirmations(en2, 1) == 2


async def test_the_same_reaction_delivered_twice_counts_once(en2: Harness) -> None:
    await send(en2, "!contribute 2h habitat : roof", sender=BOB)
    reaction = IncomingReaction(
        "$check", ROOM, CHLOE, "Chloé", last_reply_id(en2), "✅", en2.clock.now()
    )
    await en2.dispatcher.handle_reaction(reaction)
    await en2.redact(reaction.event_id, sender=CHLOE)
    await en2.dispatcher.handle_reaction(reaction)  # a replay after the redaction: ignored
    assert await confirmations(en2, 1) == 0


async def test_removing_the_reaction_withdraws_the_confirmation(en: Harness) -> None:
    await send(en, "!contribute 2h habitat : roof", sender=BOB)
    reaction = await en.react(last_reply_id(en), "✅", sender=CHLOE)
    await en.redact(reaction, sender=CHLOE)
    assert await confirmations(en, 1) == 0
    [headline, status] = await lines(en, "!confirm c1", sender=CHLOE)
    assert headline.startswith("Thank you Chloe! You confirm c1")
    assert status == "Confirmed: 1 witness (1 needed); it counts."


async def test_other_redactions_change_nothing(en2: Harness) -> None:
    await send(en2, "!thanks bob : fixed the boiler")
    record = last_reply_id(en2)
    party = await en2.react(record, "🎉", sender=CHLOE)
    await en2.redact(party, sender=CHLOE)
    await en2.redact("$some-message", sender=ALICE)
    await en2.redact(record, sender=ALICE)  # not a reaction: the record itself
    assert await confirmations(en2, 1) == 1


async def test_a_confirmation_also_typed_survives_removing_the_reaction(en: Harness) -> None:
    await send(en, "!contribute 2h habitat : roof", sender=BOB)
    reaction = await en.react(last_reply_id(en), "✅", sender=CHLOE)
    await send(en, "!confirm c1", sender=CHLOE)
    await en.redact(reaction, sender=CHLOE)
    assert await confirmations(en, 1) == 1


async def test_the_contributors_own_reaction_is_ignored(en: Harness) -> None:
    await send(en, "!contribute 2h habitat : roof", sender=BOB)
    await en.react(last_reply_id(en), "✅", sender=BOB)
    assert await confirmations(en, 1) == 0
    await send(en, "!thanks chloe : cake")
    await en.react(last_reply_id(en), "👍", sender=CHLOE)
    assert await confirmations(en, 2) == 1


async def test_reactions_elsewhere_confirm_nothing(en: Harness) -> None:
    await send(en, "!contribute 2h habitat : roof", sender=BOB)
    await send(en, "!help", sender=BOB)
    await en.react(last_reply_id(en), "✅", sender=CHLOE)  # on the help answer
    await en.react("$event1", "✅", sender=CHLOE)  # on the command itself
    assert await confirmations(en, 1) == 0


async def test_a_failed_reply_leaves_no_record_message(database: Database) -> None:
    bot = community(database, "en")

    async def undelivered(reply: Reply) -> str:
        bot.transport.sent.append(reply)
        return ""  # what the gateway returns when the send failed

    bot.transport.send_reply = undelivered  # type: ignore[method-assign]
    await send(bot, "!contribute 2h habitat : roof", sender=BOB)
    found = await stored(bot, 1)
    assert found is not None
    assert found.record_event is None


# --- whatever is typed --------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        *("2h", "1h30", "90min", "0h", "999h", "habitat", "Soins", "Bob Martin", "@bob:test"),
        *("bob", "alice", "@compagnon:test", ":", " : ", "«", '"', "c1", "c0", "#c1", "✅"),
        *("<b>", "{}"),
    ]
)
ARGUMENTS = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=8).map(" ".join),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    commands=st.lists(
        st.tuples(
            st.sampled_from(["contribute", "contribution", "thanks", "merci", "confirm"]),
            ARGUMENTS,
            st.sampled_from([ALICE, BOB, CHLOE]),
            st.lists(st.sampled_from([ALICE, BOB, CHLOE]), max_size=2).map(tuple),
        ),
        min_size=1,
        max_size=4,
    ),
    language=st.sampled_from(["fr", "en"]),
)
def test_any_arguments_get_one_answer_and_never_a_crash(
    commands: list[tuple[str, str, str, tuple[str, ...]]], language: Language
) -> None:
    asyncio.run(_answer_all(commands, language))


async def _answer_all(
    commands: list[tuple[str, str, str, tuple[str, ...]]], language: Language
) -> None:
    database = await Database.open(":memory:")
    try:
        bot = community(database, language, required=2)
        for name, arguments, sender, mentions in commands:
            replies = await bot.send(bot.message(f"!{name} {arguments}", sender, mentions=mentions))
            assert len(replies) == 1
            [reply] = replies
            assert reply.text.plain.strip()
            assert "went wrong" not in reply.text.plain
            assert "mal passé" not in reply.text.plain
            await bot.react(last_reply_id(bot), "👍", sender=CHLOE)
    finally:
        await database.close()


# --- domains with a label per language ------------------------------------------------------


def labelled(database: Database, language: Language) -> Harness:
    """Domains named in French, with English labels for two of them."""
    bot = community(database, language)
    contributions_config = bot.config.contributions.model_copy(
        update={"domain_labels": {"soin": {"en": "care"}, "animation": {"en": "events"}}}
    )
    return bot.restarted(bot.config.model_copy(update={"contributions": contributions_config}))


async def test_an_english_community_reads_and_types_the_english_label(database: Database) -> None:
    en = labelled(database, "en")
    assert (await lines(en, "!contribute 2h care : cooked for the work party"))[0] == (
        "Contribution c1 recorded: 2h in care — cooked for the work party"
    )
    assert (await lines(en, "!contribute 1h soin : the name works too"))[0] == (
        "Contribution c2 recorded: 1h in care — the name works too"
    )
    async with en.database.transaction() as tx:
        stored = await contributions.get(tx, 1)
    assert stored is not None
    assert stored.domain == "soin"  # the name, whatever was typed
    assert (await lines(en, "!contribute 1h cooking : soup"))[0] == (
        "cooking is not one of the community's domains. "
        "Choose one of: habitat, transmission, care, events, administration."
    )
    await en.answer("!confirm c1", BOB)
    profile = await en.answer("!profile")
    assert "2h · care · cooked for the work party" in profile
    assert "care 2h" in profile
    assert "• in care: " in await en.answer("!weight care")


async def test_a_french_community_reads_the_names(database: Database) -> None:
    fr = labelled(database, "fr")
    assert (await lines(fr, "!contribution 2h care : repas du chantier"))[0] == (
        "Contribution c1 notée : 2h en soin — repas du chantier"
    )
