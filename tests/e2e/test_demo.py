"""`compagnon demo`: its room has an alias any client can open, its banner speaks the demo's
language, and `--script` plays its whole conversation against its own homeserver."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.demo import SCRIPT, banner, demo_world, play_script
from bot.i18n.types import Language

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


@pytest.mark.parametrize("language", ["fr", "en"])
async def test_the_scripted_demo_gets_an_answer_to_every_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], language: Language
) -> None:
    async with demo_world(tmp_path, language) as world:
        await play_script(world, SCRIPT[language])
    transcript = capsys.readouterr().out
    answers = [line for line in transcript.splitlines() if line.startswith("  compagnon| ")]
    assert len(answers) >= len(SCRIPT[language])
    assert transcript.count("> !") == len(SCRIPT[language])
    for trouble in ("went wrong", "mal passé", "faster than I can", "plus vite que"):
        assert trouble not in transcript
    assert "m1" in transcript  # a match was made
    assert "c1" in transcript  # and a contribution recorded


@pytest.mark.parametrize(
    ("language", "says", "not_says"),
    [("fr", "Essayez !aide", "Try"), ("en", "Try !help", "!aide")],
)
async def test_the_demo_room_has_an_alias_and_the_banner_names_it_in_its_language(
    tmp_path: Path, language: Language, says: str, not_says: str
) -> None:
    async with demo_world(tmp_path, language) as world:
        resolved = await world.members["bob"].client.room_resolve_alias("#demo:localhost")
        text = banner(world, language)
    assert resolved.room_id == world.room_id
    assert world.alias == "#demo:localhost"
    assert f"#demo:localhost ({world.room_id})" in text
    assert world.synapse.url in text
    assert "@chloe:localhost" in text
    assert "chloe-demo-password" in text
    assert says in text
    assert not_says not in text
