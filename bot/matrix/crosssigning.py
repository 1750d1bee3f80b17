"""The bot's cross-signing identity: a master key and a self-signing key that signs the
bot's device, so that clients excluding devices their owner has not cross-signed (MSC4153,
Element's direction) share room keys with it and do not flag its replies.

Set up at the first start, kept in ``store_path`` (encrypted under the store key, see
``keystore``) and re-used: a new device is signed with the kept self-signing key. An
identity the bot did not make (reset from another client) is left alone, with a warning.
No user-signing key: it only serves to verify other users, which the bot never does.

matrix-nio 0.26 has no cross-signing, and its olm machinery is now vodozemac, whose Python
binding signs with the device key only (python-olm and its ``PkSigning`` are no longer
installed). The ed25519 keys and signatures come from pycryptodome's RFC 8032 ``eddsa``: a
maintained library matrix-nio already depends on, which makes a key from a 32-byte seed as
libolm's ``PkSigning`` did. vodozemac checks signatures, as the members' clients do.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from base64 import b64decode, b64encode
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import ClientError
from Crypto.Signature import eddsa
from nio import AsyncClient
from vodozemac import Ed25519PublicKey, Ed25519Signature

from bot.config import MatrixConfig
from bot.errors import StartupError
from bot.matrix.keystore import DEFAULT_KEY, decrypt, encrypt

log = logging.getLogger(__name__)

_API = "/_matrix/client/v3"
JsonObject = dict[str, Any]


class SigningKey:
    """An ed25519 key made from its 32-byte seed; public key and signatures are written as
    Matrix writes them, unpadded base64."""

    def __init__(self, seed: bytes) -> None:
        self.seed = seed
        self._key = eddsa.import_private_key(seed)
        self.public = _unpadded(self._key.public_key().export_key(format="raw"))
        self.key_id = f"ed25519:{self.public}"

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(secrets.token_bytes(32))

    def sign(self, message: bytes) -> str:
        return _unpadded(eddsa.new(self._key, "rfc8032").sign(message))


@dataclass(frozen=True)
class Identity:
    """The master key and the self-signing key it certifies."""

    master: SigningKey
    self_signing: SigningKey

    def upload_body(self, user_id: str) -> JsonObject:
        """The body of ``/keys/device_signing/upload``: the self-signing key signed by the
        master key, as the spec requires."""
        return {
            "master_key": cross_signing_key(user_id, "master", self.master),
            "self_signing_key": signed(
                cross_signing_key(user_id, "self_signing", self.self_signing),
                user_id,
                self.master,
            ),
        }


def canonical_json(value: JsonObject) -> bytes:
    """The spec's canonical JSON: sorted keys, no insignificant whitespace, UTF-8."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signable(value: JsonObject) -> bytes:
    """What a signature covers: the object without its signatures and unsigned data."""
    return canonical_json({k: v for k, v in value.items() if k not in ("signatures", "unsigned")})


def signed(value: JsonObject, user_id: str, key: SigningKey) -> JsonObject:
    """A copy of ``value`` with ``key``'s signature added under ``user_id``."""
    signatures = {user: dict(by_key) for user, by_key in value.get("signatures", {}).items()}
    signatures.setdefault(user_id, {})[key.key_id] = key.sign(signable(value))
    return {**value, "signatures": signatures}


def verifies(value: JsonObject, user_id: str, public_key: str, name: str = "") -> bool:
    """``value`` carries a valid signature by ``public_key`` under ``user_id``; its key id
    names the public key itself for a cross-signing key, the device for a device key."""
    signature = value.get("signatures", {}).get(user_id, {}).get(f"ed25519:{name or public_key}")
    if not isinstance(signature, str):
        return False
    try:
        Ed25519PublicKey.from_base64(public_key).verify_signature(
            signable(value), Ed25519Signature.from_base64(signature)
        )
    except ValueError:  # vodozemac: a bad signature, or not a key at all
        return False
    return True


def cross_signing_key(user_id: str, usage: str, key: SigningKey) -> JsonObject:
    return {"user_id": user_id, "usage": [usage], "keys": {key.key_id: key.public}}


class KeptIdentity:
    """The seeds in ``store_path``, one file per account, encrypted under the store key."""

    def __init__(self, store_path: Path, user_id: str) -> None:
        self.path = store_path / f"{user_id}_cross_signing.json"
        self._user_id = user_id

    def load(self, key: str) -> Identity | None:
        """The kept identity; one sealed with nio's default key before the operator set a
        store key is sealed again under it. Any other key is refused, as for the olm store."""
        try:
            encrypted = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        try:
            seeds = json.loads(decrypt(encrypted, key, self._user_id))
        except ValueError:
            if key == DEFAULT_KEY:
                raise self._refused() from None
            try:
                seeds = json.loads(decrypt(encrypted, DEFAULT_KEY, self._user_id))
            except ValueError:
                raise self._refused() from None
            self.save(_identity(seeds), key)
            log.info("the cross-signing keys in %s are now encrypted with the store key", self.path)
        return _identity(seeds)

    def save(self, identity: Identity, key: str) -> None:
        """Written whole then renamed, never readable by others, even for a moment."""
        seeds = {
            "master": b64encode(identity.master.seed).decode(),
            "self_signing": b64encode(identity.self_signing.seed).decode(),
        }
        sealed = json.dumps(encrypt(json.dumps(seeds).encode(), key, self._user_id))
        partial = self.path.with_suffix(".tmp")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(sealed)
        partial.replace(self.path)

    def _refused(self) -> StartupError:
        return StartupError(
            f"the cross-signing keys in {self.path} do not open with this store key: give the "
            "key they were made with (COMPAGNON_STORE_KEY or store_key_file)"
        )


def _identity(seeds: dict[str, str]) -> Identity:
    return Identity(
        SigningKey(b64decode(seeds["master"])), SigningKey(b64decode(seeds["self_signing"]))
    )


class CrossSigningFailed(Exception):
    """The homeserver refused a step; the bot runs on without it."""


async def keep_cross_signing(client: AsyncClient, matrix: MatrixConfig) -> None:
    """Best effort: a failure leaves a warning and an unsigned device, never a bot that
    does not serve; only a store key that does not open the kept seeds stops the start."""
    try:
        await _keep(client, matrix)
    except StartupError:
        raise
    except (CrossSigningFailed, ClientError, TimeoutError, OSError) as error:
        log.warning(
            "cross-signing: %s; this device stays unsigned until the next start",
            error or type(error).__name__,
        )
    except Exception:
        log.warning("cross-signing failed; this device stays unsigned", exc_info=True)


async def _keep(client: AsyncClient, matrix: MatrixConfig) -> None:
    user_id, device_id = matrix.user_id, str(client.device_id)
    kept = KeptIdentity(matrix.store_path, user_id)
    identity = kept.load(client.config.pickle_key)
    published = await _request(client, "keys/query", {"device_keys": {user_id: []}})
    device = published.get("device_keys", {}).get(user_id, {}).get(device_id)
    if not isinstance(device, dict) or not _our_device(client, device):
        raise CrossSigningFailed("the homeserver does not publish this device's own keys")
    master = _public_key(published.get("master_keys", {}).get(user_id))
    self_signing = _public_key(published.get("self_signing_keys", {}).get(user_id))
    if master is None:
        if identity is None:
            identity = Identity(SigningKey.generate(), SigningKey.generate())
            kept.save(identity, client.config.pickle_key)  # before the upload: never lost
        if not await _publish(client, matrix, identity):
            return
        log.info("cross-signing set up for %s (master key %s)", user_id, identity.master.public)
    elif identity is None or (master, self_signing) != (
        identity.master.public,
        identity.self_signing.public,
    ):
        log.warning(
            "cross-signing: %s already has an identity (master key %s) that this bot's store "
            "does not hold, set up or reset from another client; the bot does not replace "
            "it, so device %s stays unsigned: sign it from a client that holds that identity",
            user_id,
            master,
            device_id,
        )
        return
    if verifies(device, user_id, identity.self_signing.public):
        return
    device = {k: v for k, v in device.items() if k not in ("signatures", "unsigned")}
    body = {user_id: {device_id: signed(device, user_id, identity.self_signing)}}
    answer = await _request(client, "keys/signatures/upload", body)
    if answer.get("failures"):
        raise CrossSigningFailed(f"the homeserver refused the device's signature: {answer}")
    log.info("device %s signed with the self-signing key", device_id)


def _our_device(client: AsyncClient, device: JsonObject) -> bool:
    """The published keys are this device's, as it signed them: a homeserver cannot have
    the bot certify a key of its choosing."""
    ours = client.olm.account.identity_keys["ed25519"]
    published = device.get("keys", {}).get(f"ed25519:{client.device_id}")
    return published == ours and verifies(device, str(client.user_id), ours, client.device_id)


def _public_key(key: Any) -> str | None:
    """The ed25519 public key of a published cross-signing key, if there is one."""
    keys = key.get("keys", {}) if isinstance(key, dict) else {}
    return next((str(value) for value in keys.values()), None)


async def _publish(client: AsyncClient, matrix: MatrixConfig, identity: Identity) -> bool:
    """Upload the keys, answering the user-interactive auth with the password when the
    homeserver asks (Synapse does not for a first identity: MSC3967)."""
    body = identity.upload_body(matrix.user_id)
    status, answer = await _post(client, "keys/device_signing/upload", body)
    if status == 401 and "flows" in answer:
        if not matrix.password:
            log.warning(
                "cross-signing: the homeserver wants the account's password to set up the "
                "bot's identity and the config has an access token only: give the password "
                "(password or COMPAGNON_PASSWORD) for one start; the bot then keeps the "
                "identity itself. Until then clients that exclude unverified devices do not "
                "talk to it"
            )
            return False
        body["auth"] = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": matrix.user_id},
            "password": matrix.password,
            **({"session": answer["session"]} if "session" in answer else {}),
        }
        status, answer = await _post(client, "keys/device_signing/upload", body)
    if status != 200:
        raise CrossSigningFailed(f"the homeserver refused the cross-signing keys: {answer}")
    return True


async def _request(client: AsyncClient, endpoint: str, body: JsonObject) -> JsonObject:
    status, answer = await _post(client, endpoint, body)
    if status != 200:
        raise CrossSigningFailed(f"{endpoint} answered {status}: {answer}")
    return answer


async def _post(client: AsyncClient, endpoint: str, body: JsonObject) -> tuple[int, JsonObject]:
    """nio has no call for these endpoints: its transport, with the session's token."""
    response = await client.send(
        "POST",
        f"{_API}/{endpoint}",
        json.dumps(body),
        {"Content-Type": "application/json", "Authorization": f"Bearer {client.access_token}"},
    )
    async with response:
        try:
            answer = await response.json(content_type=None)
        except ValueError:
            answer = None
        return response.status, answer if isinstance(answer, dict) else {}


def _unpadded(raw: bytes) -> str:
    return b64encode(raw).decode().rstrip("=")
