"""Look-alike people: an impostor named ``Alice (@alice:test)``, a second Alice. Names shown
carry the id when they could pass for another's; a typed name is never guessed."""

from __future__ import annotations

import pytest

from bot.messages import Reply
from tests.commands.conftest import ALICE, BOB, ROOM, Harness

MALLORY = "@mallory:test"
IMPOSTOR = "Alice (@alice:test)"
OTHER_ALICE = "@alice:elsewhere.org"
ASK = "Write the full id of the one you mean, like @sam:example.org, or mention them."


def join(bot: Harness, **names: str) -> None:
    """Mallory, or the other Alice, join the room under these names."""
    ids = {"mallory": MALLORY, "other_alice": OTHER_ALICE}
    bot.transport.members[ROOM] |= {ids[who]: name for who, name in names.items()}


async def send(bot: Harness, body: str, sender: str = BOB, mentions: tuple[str, ...] = ()) -> Reply:
    [reply] = await bot.send(bot.message(body, sender, mentions=mentions))
    return reply


async def thanked(bot: Harness) -> list[str]:
    """Whose work every contribution recorded so far is."""
    async with bot.database.transaction() as tx:
        rows = await tx.fetch_all("SELECT member FROM contribution ORDER BY id")
    return [row["member"] for row in rows]


@pytest.mark.parametrize(
    "command",
    ["!thanks Alice 2h habitat : fixed the door", "!profile Alice", "!weight Alice"],
)
async def test_a_name_shared_with_an_impostor_and_a_second_alice_asks_which_one(
    en: Harness, command: str
) -> None:
    join(en, mallory=IMPOSTOR, other_alice="Alice")

    reply = await send(en, command)

    assert reply.text.plain == (
        "Alice could be Alice (@alice:elsewhere.org), Alice (@alice:test), "
        f"Alice (@alice:test) (@mallory:test). {ASK}"
    )
    assert reply.mentions == ()
    assert await thanked(en) == []


@pytest.mark.parametrize(
    "impostor",
    [IMPOSTOR, "Аlice", "Alicé", "A1ice"],
    ids=["id in the name", "Cyrillic А", "accent", "digit one"],
)
async def test_a_name_that_only_looks_like_the_one_typed_is_not_guessed(
    en: Harness, impostor: str
) -> None:
    """Alice is not in the room: the only member the name could mean is the impostor."""
    del en.transport.members[ROOM][ALICE]
    join(en, mallory=impostor)

    text = (await send(en, "!thanks Alice 1h : lent a ladder")).text.plain

    assert text == f"Alice could be {impostor} (@mallory:test). {ASK}"
    assert await thanked(en) == []


async def test_a_name_seen_with_the_impostor_beside_it_still_asks(en: Harness) -> None:
    """Copying the name the impostor shows does not reach her either."""
    join(en, mallory=IMPOSTOR)

    text = (await send(en, f'!thanks "{IMPOSTOR}" 1h : lent a ladder')).text.plain

    assert text.startswith(f"{IMPOSTOR} could be Alice (@alice:test), {IMPOSTOR} (@mallory:test).")
    assert await thanked(en) == []


async def test_an_id_or_a_pill_always_wins_and_the_reply_shows_whose_it_is(en: Harness) -> None:
    join(en, mallory=IMPOSTOR)

    by_id = await send(en, f"!thanks {MALLORY} 1h : lent a ladder")
    by_pill = await send(en, f"!thanks {IMPOSTOR} 1h : lent a rope", mentions=(MALLORY,))
    alice = await send(en, "!thanks Alice 1h : lent a saw", mentions=(ALICE,))

    assert by_id.text.plain.startswith(
        "Bob thanks Alice (@alice:test) (@mallory:test)! Contribution c1 recorded"
    )
    assert by_pill.text.plain.startswith(
        "Bob thanks Alice (@alice:test) (@mallory:test)! Contribution c2 recorded"
    )
    assert alice.text.plain.startswith("Bob thanks Alice (@alice:test)! Contribution c3 recorded")
    assert await thanked(en) == [MALLORY, MALLORY, ALICE]


async def test_a_unique_name_still_resolves_as_typed(en: Harness) -> None:
    join(en, mallory="Mallory")

    reply = await send(en, "!thanks alice 1h : lent a saw")

    assert reply.text.plain.startswith("Bob thanks Alice! Contribution c1 recorded")
    assert await thanked(en) == [ALICE]


async def test_a_non_members_name_never_resolves(en: Harness) -> None:
    """Zoé spoke once and left; Zed is only in another room."""
    en.transport.members[ROOM]["@zoe:test"] = "Zoé"
    await send(en, "!offer pottery", "@zoe:test")
    del en.transport.members[ROOM]["@zoe:test"]
    en.transport.members["!other:test"] = {"@zed:test": "Zed"}

    for name in ("Zoé", "Zed"):
        text = (await send(en, f"!thanks {name} 1h : lent a ladder")).text.plain
        assert text.startswith(f"I cannot find anyone called {name} in this room.")
    assert await thanked(en) == []


async def test_listings_show_the_id_beside_every_look_alike_name(en: Harness) -> None:
    join(en, mallory=IMPOSTOR, other_alice="alice")
    for member in (ALICE, MALLORY, OTHER_ALICE, BOB):
        await send(en, "!offer pottery", member)

    listing = (await send(en, "!offers")).text.plain.splitlines()
    help_offered = (await send(en, "!need pottery", "@chloe:test")).text.plain

    assert [line.split(" · ")[1] for line in listing[1:]] == [
        "Bob Martin",
        "alice (@alice:elsewhere.org)",
        "Alice (@alice:test) (@mallory:test)",
        "Alice (@alice:test)",
    ]
    assert "Alice (@alice:test) (@mallory:test) (level 3, o2)" in help_offered


async def test_a_name_last_seen_is_told_apart_from_those_in_the_room(en: Harness) -> None:
    """Alice offered, then left; Mallory takes her name: the listing tells them apart."""
    await send(en, "!offer pottery", ALICE)
    del en.transport.members[ROOM][ALICE]
    join(en, mallory="Alice")
    await send(en, "!offer knitting", MALLORY)

    listing = (await send(en, "!offers")).text.plain.splitlines()

    assert [line.split(" · ")[1] for line in listing[1:]] == [
        "Alice (@mallory:test)",
        "Alice (@alice:test)",
    ]


async def test_names_stay_escaped_in_html(en: Harness) -> None:
    en.transport.members[ROOM][ALICE] = "<i>Alice</i>"
    join(en, mallory="<i>Alice</i>")
    await send(en, "!offer pottery", MALLORY)

    asked = await send(en, "!thanks <i>Alice</i> 1h : lent a saw")
    listing = await send(en, "!offers")

    for html in (asked.text.html, listing.text.html):
        assert "<i>" not in html
        assert "&lt;i&gt;Alice&lt;/i&gt; (@mallory:test)" in html


async def test_the_question_is_asked_in_french_too(fr: Harness) -> None:
    join(fr, mallory=IMPOSTOR)

    text = (await send(fr, "!merci Alice 1h : a prêté une échelle")).text.plain

    assert text == (
        "Alice peut désigner Alice (@alice:test), Alice (@alice:test) (@mallory:test). "
        "Écrivez l'identifiant complet de la bonne personne, comme @camille:exemple.org, "
        "ou mentionnez-la."
    )
