"""The encryption store under the operator's secret, against a real Synapse: a store made
before the secret was set is re-encrypted and keeps working; a wrong secret stops the start
with a clear reason instead of making a new device."""

from __future__ import annotations

import stat

import pytest

from bot.app import running
from bot.errors import StartupError
from bot.matrix.session import SessionFile
from tests.e2e.conftest import World

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]


async def test_an_old_store_is_encrypted_under_the_new_key_and_a_wrong_key_is_refused(
    world: World,
) -> None:
    alice = await world.member("alice")
    room = await alice.create_room("private", invite=[world.bot_user], encrypted=True)
    plain = world.config(rooms=[room])
    async with running(plain):  # no key yet: nio's default one
        await alice.wait_membership(room, world.bot_user, "join")
        first = await alice.answer_to(await alice.say(room, "!offer pottery"))
    keyed = plain.model_copy(
        update={"matrix": plain.matrix.model_copy(update={"store_key": "correct horse"})}
    )
    sessions = SessionFile(plain.matrix.store_path)
    device = session_device(sessions, world.bot_user)
    async with running(keyed):  # re-encrypted; the same device reads the room
        second = await alice.answer_to(await alice.say(room, "!offers"))
    wrong = plain.model_copy(
        update={"matrix": plain.matrix.model_copy(update={"store_key": "battery staple"})}
    )
    with pytest.raises(StartupError, match="does not open with this store key"):
        async with running(wrong):
            pass
    for unchanged in (plain, wrong):  # the default key no longer opens it either
        with pytest.raises(StartupError, match="does not open with this store key"):
            async with running(unchanged):
                pass
    async with running(keyed):
        third = await alice.answer_to(await alice.say(room, "!offers"))

    assert session_device(sessions, world.bot_user) == device  # never a new device
    assert [reply.encrypted for reply in (first, second, third)] == [True, True, True]
    assert ["pottery" in reply.body for reply in (second, third)] == [True, True]
    for path in keyed.matrix.store_path.iterdir():
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def session_device(sessions: SessionFile, user_id: str) -> str:
    session = sessions.load(user_id)
    assert session is not None
    return session.device_id
