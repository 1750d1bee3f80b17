"""Cross-signing without a homeserver: the signed shapes as the spec writes them (checked
with vodozemac, the ed25519 that nio and Element's crypto use, not the library that signs),
the seeds sealed in the store, and the password asked for only when the homeserver asks."""

from __future__ import annotations

import json
import logging
import stat
from base64 import b64decode, b64encode
from pathlib import Path
from typing import Any

import pytest
from nio import AsyncClient

from bot.config import MatrixConfig
from bot.errors import StartupError
from bot.matrix.crosssigning import (
    Identity,
    KeptIdentity,
    SigningKey,
    canonical_json,
    keep_cross_signing,
    signable,
    signed,
    verifies,
)
from bot.matrix.keystore import DEFAULT_KEY

USER = "@compagnon:test"

# RFC 8032, section 7.1, TEST 2: the seed, its public key, and the signature of one byte.
RFC_SEED = bytes.fromhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
RFC_PUBLIC = bytes.fromhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
RFC_SIGNATURE = bytes.fromhex(
    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
    "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
)


def unpadded_b64(raw: bytes) -> str:
    return b64encode(raw).decode().rstrip("=")


def test_canonical_json_sorts_keys_drops_whitespace_and_writes_utf8() -> None:
    value = {"b": [1, {"z": "é", "a": None}], "a": {"d": True, "c": "日本"}}
    assert (
        canonical_json(value) == '{"a":{"c":"日本","d":true},"b":[1,{"a":null,"z":"é"}]}'.encode()
    )
    # The spec's own example.
    assert canonical_json({"one": 1, "two": "Two"}) == b'{"one":1,"two":"Two"}'
    assert signable({"a": 1, "signatures": {"x": {}}, "unsigned": {"age": 3}}) == b'{"a":1}'


def test_a_key_from_its_seed_signs_as_rfc_8032_says() -> None:
    key = SigningKey(RFC_SEED)
    assert key.public == unpadded_b64(RFC_PUBLIC)
    assert key.key_id == f"ed25519:{key.public}"
    assert b64decode(key.sign(b"\x72") + "==") == RFC_SIGNATURE


def test_signed_objects_verify_and_keep_their_other_signatures() -> None:
    device_key, self_signing = SigningKey.generate(), SigningKey.generate()
    device: dict[str, Any] = {
        "user_id": USER,
        "device_id": "DEVICE",
        "algorithms": ["m.olm.v1.curve25519-aes-sha2"],
        "keys": {"ed25519:DEVICE": "x"},
        "unsigned": {"device_display_name": "compagnon"},
    }
    device = signed(device, USER, device_key)
    device["signatures"][USER]["ed25519:DEVICE"] = device["signatures"][USER].pop(device_key.key_id)
    both = signed(device, USER, self_signing)
    assert both["signatures"][USER] == {
        "ed25519:DEVICE": device["signatures"][USER]["ed25519:DEVICE"],
        f"ed25519:{self_signing.public}": both["signatures"][USER][self_signing.key_id],
    }
    assert verifies(both, USER, self_signing.public)
    assert verifies(both, USER, device_key.public, "DEVICE")  # a device key: its id names it
    assert not verifies(both, USER, device_key.public)
    assert not verifies({**both, "device_id": "OTHER"}, USER, self_signing.public)
    assert not verifies(both, "@someone:test", self_signing.public)


def test_the_upload_has_the_spec_shapes_and_the_master_key_certifies_the_self_signing_key() -> None:
    identity = Identity(SigningKey.generate(), SigningKey.generate())
    body = identity.upload_body(USER)
    master, self_signing = identity.master.public, identity.self_signing.public
    assert body["master_key"] == {
        "user_id": USER,
        "usage": ["master"],
        "keys": {f"ed25519:{master}": master},
    }
    assert set(body["self_signing_key"]) == {"user_id", "usage", "keys", "signatures"}
    assert body["self_signing_key"]["usage"] == ["self_signing"]
    assert body["self_signing_key"]["keys"] == {f"ed25519:{self_signing}": self_signing}
    assert list(body["self_signing_key"]["signatures"][USER]) == [f"ed25519:{master}"]
    assert verifies(body["self_signing_key"], USER, master)
    assert len(b64decode(master + "=")) == 32  # unpadded base64 of the raw key


def test_the_seeds_are_sealed_under_the_store_key_and_read_back(tmp_path: Path) -> None:
    identity = Identity(SigningKey.generate(), SigningKey.generate())
    kept = KeptIdentity(tmp_path, USER)
    assert kept.load("correct horse") is None
    kept.save(identity, "correct horse")
    assert stat.S_IMODE(kept.path.stat().st_mode) == 0o600
    assert [path.name for path in tmp_path.iterdir()] == [kept.path.name]  # no leftover
    text = kept.path.read_text(encoding="utf-8")
    for seed in (identity.master.seed, identity.self_signing.seed):
        assert seed.hex() not in text
        assert unpadded_b64(seed) not in text
    again = kept.load("correct horse")
    assert again is not None
    assert (again.master.seed, again.self_signing.seed) == (
        identity.master.seed,
        identity.self_signing.seed,
    )


def test_a_wrong_store_key_or_another_account_is_refused(tmp_path: Path) -> None:
    KeptIdentity(tmp_path, USER).save(
        Identity(SigningKey.generate(), SigningKey.generate()), "correct horse"
    )
    before = (tmp_path / f"{USER}_cross_signing.json").read_bytes()
    for wrong in ("battery staple", DEFAULT_KEY):
        with pytest.raises(StartupError, match="do not open with this store key"):
            KeptIdentity(tmp_path, USER).load(wrong)
    moved = tmp_path / "@other:test_cross_signing.json"
    moved.write_bytes(before)
    with pytest.raises(StartupError, match="do not open with this store key"):
        KeptIdentity(tmp_path, "@other:test").load("correct horse")
    assert (tmp_path / f"{USER}_cross_signing.json").read_bytes() == before


def test_seeds_sealed_with_the_default_key_are_sealed_again_under_a_new_store_key(
    tmp_path: Path,
) -> None:
    identity = Identity(SigningKey.generate(), SigningKey.generate())
    kept = KeptIdentity(tmp_path, USER)
    kept.save(identity, DEFAULT_KEY)
    loaded = kept.load("correct horse")
    assert loaded is not None
    assert loaded.master.public == identity.master.public
    with pytest.raises(StartupError):
        kept.load(DEFAULT_KEY)
    assert kept.load("correct horse") is not None


class FakeResponse:
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status = status
        self._body = body

    async def json(self, content_type: str | None = None) -> dict[str, Any]:
        return self._body

    async def __aenter__(self) -> FakeResponse:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None


class FakeHomeserver:
    """Answers like a homeserver that asks for UIA on every upload (no MSC3967)."""

    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.identity: dict[str, Any] = {}
        self.device_signatures: dict[str, Any] = {}

    async def send(
        self, method: str, path: str, data: str, headers: dict[str, str]
    ) -> FakeResponse:
        assert (method, headers["Authorization"]) == ("POST", "Bearer token")
        body = json.loads(data)
        endpoint = path.removeprefix("/_matrix/client/v3/")
        self.requests.append((endpoint, body))
        if endpoint == "keys/query":
            return FakeResponse(200, self.query())
        if endpoint == "keys/device_signing/upload":
            if body.get("auth", {}).get("password") != "bot-password":
                return FakeResponse(
                    401, {"session": "S", "flows": [{"stages": ["m.login.password"]}]}
                )
            self.identity = body
            return FakeResponse(200, {})
        assert endpoint == "keys/signatures/upload"
        self.device_signatures = body[USER]["DEVICE"]["signatures"][USER]
        return FakeResponse(200, {"failures": {}})

    def query(self) -> dict[str, Any]:
        olm = self.client.olm
        device: dict[str, Any] = {
            "user_id": USER,
            "device_id": "DEVICE",
            "algorithms": ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"],
            "keys": {
                "curve25519:DEVICE": olm.account.identity_keys["curve25519"],
                "ed25519:DEVICE": olm.account.identity_keys["ed25519"],
            },
        }
        device["signatures"] = {USER: {"ed25519:DEVICE": olm.sign_json(device)}}
        device["signatures"][USER].update(self.device_signatures)
        answer: dict[str, Any] = {"device_keys": {USER: {"DEVICE": device}}}
        if self.identity:
            answer["master_keys"] = {USER: self.identity["master_key"]}
            answer["self_signing_keys"] = {USER: self.identity["self_signing_key"]}
        return answer


@pytest.fixture
def homeserver(tmp_path: Path) -> FakeHomeserver:
    client = AsyncClient("http://127.0.0.1:1", USER, "DEVICE", str(tmp_path))
    client.restore_login(USER, "DEVICE", "token")
    server = FakeHomeserver(client)
    client.send = server.send
    return server


def matrix(tmp_path: Path, password: str = "", access_token: str = "") -> MatrixConfig:
    return MatrixConfig(
        homeserver="http://127.0.0.1:1",
        user_id=USER,
        store_path=tmp_path,
        password=password,
        access_token=access_token,
    )


async def test_the_password_answers_the_homeservers_auth_once_then_a_token_is_enough(
    homeserver: FakeHomeserver, tmp_path: Path
) -> None:
    await keep_cross_signing(homeserver.client, matrix(tmp_path, password="bot-password"))
    endpoints = [endpoint for endpoint, _ in homeserver.requests]
    assert endpoints == [
        "keys/query",
        "keys/device_signing/upload",
        "keys/device_signing/upload",
        "keys/signatures/upload",
    ]
    assert homeserver.requests[2][1]["auth"] == {
        "type": "m.login.password",
        "identifier": {"type": "m.id.user", "user": USER},
        "password": "bot-password",
        "session": "S",
    }
    master = homeserver.identity["master_key"]
    self_signing = next(iter(homeserver.identity["self_signing_key"]["keys"].values()))
    signed_device = homeserver.requests[3][1][USER]["DEVICE"]
    assert "unsigned" not in signed_device
    assert verifies(signed_device, USER, self_signing)
    homeserver.requests.clear()
    await keep_cross_signing(homeserver.client, matrix(tmp_path, access_token="token"))
    assert [endpoint for endpoint, _ in homeserver.requests] == ["keys/query"]
    assert homeserver.identity["master_key"] == master


async def test_an_access_token_alone_cannot_answer_the_auth_and_says_what_to_do(
    homeserver: FakeHomeserver, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        await keep_cross_signing(homeserver.client, matrix(tmp_path, access_token="token"))
    assert [record.levelno for record in caplog.records] == [logging.WARNING]
    assert "COMPAGNON_PASSWORD" in caplog.text
    assert [endpoint for endpoint, _ in homeserver.requests] == [
        "keys/query",
        "keys/device_signing/upload",
    ]


async def test_an_identity_made_elsewhere_is_left_alone(
    homeserver: FakeHomeserver, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    homeserver.identity = Identity(SigningKey.generate(), SigningKey.generate()).upload_body(USER)
    with caplog.at_level(logging.WARNING):
        await keep_cross_signing(homeserver.client, matrix(tmp_path, password="bot-password"))
    assert "does not replace it" in caplog.text
    assert [endpoint for endpoint, _ in homeserver.requests] == ["keys/query"]
