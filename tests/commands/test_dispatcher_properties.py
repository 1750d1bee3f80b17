"""Whatever a member types, the dispatcher answers once or stays silent by design: never a crash,
and never a reply carrying a control or an invisible character."""

from __future__ import annotations

import asyncio
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.i18n.types import Language
from bot.store.database import Database
from tests.commands.conftest import Harness, hidden, make_config

NASTY = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<b>",
        "&amp;",
        '"',
        "'",
        "«",
        "“",
        "\\",
        "\x00",
        "\u202e",
        "\u200b",
        "\r\n",
        "\t",
        "{}",
        "{0}",
        "%s",
        "👍🏽",
        "ﷺ",
        "Z̷̢͎a̸l̶g̵o",
        "\ud7ff",
        "> <@x:y> quoted",
        "```",
        "*_~",
        "\x1b[2J",
        "\x9b31m",
        "\x7f",
        "\u2066",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u00ad",
        "\u061c",
        "\u200e",
        "ｗｏｏｄ",
    ]
)
# Any character, with controls and format characters (bidi, zero-width) often among them.
ALPHABET = st.one_of(st.characters(), st.characters(categories=["Cc", "Cf"]))
WORDS = st.one_of(
    st.text(ALPHABET, max_size=30),
    NASTY,
    st.sampled_from(["help", "aide", "status", "etat", "HELP", "Aide", "hepl"]),
)
BODIES = st.one_of(
    st.text(ALPHABET, max_size=200),
    st.lists(WORDS, max_size=8).map(lambda words: "!" + " ".join(words)),
    st.lists(WORDS, max_size=8).map(lambda words: "".join(words)),
    st.builds(lambda n, c: "!help " + c * n, st.integers(1900, 3000), st.sampled_from('x"<é')),
    st.text(alphabet=string.printable, max_size=50).map(lambda text: "!" + text),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=st.lists(BODIES, min_size=1, max_size=4), english=st.booleans())
def test_any_text_gets_one_reply_or_silence(bodies: list[str], english: bool) -> None:
    asyncio.run(_dispatch_all(bodies, "en" if english else "fr"))


async def _dispatch_all(bodies: list[str], language: Language) -> None:
    database = await Database.open(":memory:")
    try:
        bot = Harness(
            database, make_config("en" if language == "en" else "fr", rate_limit={"burst": 100})
        )
        for body in bodies:
            replies = await bot.send(bot.message(body))
            assert len(replies) <= 1
            for reply in replies:
                assert not hidden(reply.text.plain), reply.text.plain
                assert not hidden(reply.text.html), reply.text.html
                assert reply.text.plain.strip()
                assert reply.text.html.strip()
                assert "Traceback" not in reply.text.plain
                assert "went wrong" not in reply.text.plain
                assert "mal passé" not in reply.text.plain
            is_command = body.startswith("!") and body[1:2].isalpha()
            assert len(replies) == (1 if is_command else 0), body
    finally:
        await database.close()
