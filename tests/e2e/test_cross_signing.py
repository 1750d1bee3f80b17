"""The bot's device cross-signed by its own identity, as a member's client reads it from a
real Synapse: set up at the first start, the same and not uploaded again after a restart,
and a new device (the session file lost) signed by the same self-signing key."""

from __future__ import annotations

import json
from typing import Any

import pytest
from nio import AsyncClient

from bot.app import running
from bot.matrix.crosssigning import verifies
from bot.matrix.member import MemberClient
from bot.matrix.session import SessionFile
from tests.e2e.conftest import World

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]

CROSS_SIGNING = (
    "/_matrix/client/v3/keys/device_signing/upload",
    "/_matrix/client/v3/keys/signatures/upload",
)


async def test_the_bot_cross_signs_its_device_and_keeps_its_identity(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = await world.member("alice")
    config = world.config()
    sessions = SessionFile(config.matrix.store_path)
    async with running(config):
        first_device = bot_device(sessions, world.bot_user)
    first = await identity(alice, world.bot_user)
    assert_signed(first, world.bot_user, first_device)

    uploads: list[str] = []
    send = AsyncClient.send

    async def recording(client: AsyncClient, method: str, path: str, *rest: Any) -> Any:
        if client.user_id == world.bot_user and any(map(path.startswith, CROSS_SIGNING)):
            uploads.append(path)
        return await send(client, method, path, *rest)

    monkeypatch.setattr(AsyncClient, "send", recording)
    async with running(config):
        assert bot_device(sessions, world.bot_user) == first_device
    assert uploads == []  # the identity and the signature were already there
    assert await identity(alice, world.bot_user) == first

    sessions.path.unlink()  # a new device; the kept seeds sign it
    async with running(config):
        second_device = bot_device(sessions, world.bot_user)
    assert second_device != first_device
    assert uploads == ["/_matrix/client/v3/keys/signatures/upload"]
    second = await identity(alice, world.bot_user)
    assert (second["master_keys"], second["self_signing_keys"]) == (
        first["master_keys"],
        first["self_signing_keys"],
    )
    assert_signed(second, world.bot_user, second_device)
    assert_signed(second, world.bot_user, first_device)


async def identity(member: MemberClient, user_id: str) -> dict[str, Any]:
    """What ``/keys/query`` tells any member about the user's keys."""
    response = await member.client.send(
        "POST",
        "/_matrix/client/v3/keys/query",
        json.dumps({"device_keys": {user_id: []}}),
        {"Authorization": f"Bearer {member.client.access_token}"},
    )
    answer: dict[str, Any] = await response.json()
    assert response.status == 200, answer
    return {
        key: answer[key][user_id] for key in ("master_keys", "self_signing_keys", "device_keys")
    }


def assert_signed(published: dict[str, Any], user_id: str, device_id: str) -> None:
    """The spec's shapes: each key as ``ed25519:<unpadded base64>``, the self-signing key
    signed by the master key, the device by the self-signing key."""
    master, self_signing = published["master_keys"], published["self_signing_keys"]
    ((master_id, master_key),) = master["keys"].items()
    ((self_signing_id, self_signing_key),) = self_signing["keys"].items()
    assert master_id == f"ed25519:{master_key}"
    assert self_signing_id == f"ed25519:{self_signing_key}"
    assert "=" not in master_key + self_signing_key
    assert (master["user_id"], master["usage"]) == (user_id, ["master"])
    assert (self_signing["user_id"], self_signing["usage"]) == (user_id, ["self_signing"])
    assert verifies(self_signing, user_id, master_key)
    device = published["device_keys"][device_id]
    assert verifies(device, user_id, self_signing_key)
    assert verifies(device, user_id, device["keys"][f"ed25519:{device_id}"], device_id)


def bot_device(sessions: SessionFile, user_id: str) -> str:
    session = sessions.load(user_id)
    assert session is not None
    return session.device_id
