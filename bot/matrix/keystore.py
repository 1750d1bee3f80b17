"""The device's keys at rest: nio pickles the bot's Olm account and message sessions under
a passphrase, a fixed default one unless the operator sets a secret of their own. With
it, a copy of the store folder (a backup, another local account) reads no messages.
Other secrets kept beside it (the cross-signing seeds) are encrypted under the same key.
"""

from __future__ import annotations

import logging
import secrets
from base64 import b64decode, b64encode
from collections.abc import Collection
from pathlib import Path

from Crypto.Cipher import AES
from Crypto.Hash import SHA256
from Crypto.Protocol.KDF import HKDF
from nio import AsyncClientConfig
from nio.store import DefaultStore

from bot.config import MatrixConfig
from bot.errors import StartupError
from bot.files import warn_if_others_can_read

log = logging.getLogger(__name__)

DEFAULT_KEY = AsyncClientConfig().pickle_key  # what nio uses when given nothing


def pickle_key(matrix: MatrixConfig) -> str:
    """The operator's secret, from the config, the environment or a file of its own."""
    if matrix.store_key_file is None:
        if not matrix.store_key:
            log.warning(
                "the encryption store in %s is protected by its files' permissions only:"
                " set COMPAGNON_STORE_KEY (or store_key_file) to encrypt it",
                matrix.store_path,
            )
        return matrix.store_key or DEFAULT_KEY
    try:
        key = matrix.store_key_file.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise StartupError(
            f"cannot read the store key file {matrix.store_key_file} ({error.strerror})"
        ) from error
    if not key:
        raise StartupError(f"the store key file {matrix.store_key_file} is empty")
    return key


def unlock(store_path: Path, user_id: str, device_id: str, key: str) -> None:
    """Check that the device's store opens with ``key``; one made with nio's default key
    is re-encrypted under it, once. A store that opens with neither is refused, clearly,
    rather than replaced: a new device would lose every message session."""
    store = DefaultStore(user_id, device_id, str(store_path), key)
    try:
        if _opens(store):
            return
        store.pickle_key = DEFAULT_KEY
        if key == DEFAULT_KEY or not _opens(store):
            raise StartupError(
                f"the encryption store in {store_path} does not open with this store key: "
                "give the key it was made with (COMPAGNON_STORE_KEY or store_key_file)"
            )
        _rekey(store, key)
        log.info("the encryption store in %s is now encrypted with the store key", store_path)
    finally:
        store.database.close()


def seal(store_path: Path, existing: Collection[Path]) -> None:
    """nio creates its files with the umask's mode: the new ones are made the bot's alone;
    one from before that others can read is pointed out."""
    for path in store_path.iterdir():
        if path in existing:
            warn_if_others_can_read(path)
        else:
            path.chmod(0o600)


def encrypt(secret: bytes, key: str, bound_to: str) -> dict[str, str]:
    """AES-256-GCM under a key drawn from the store key (HKDF, a fresh salt), tied to
    ``bound_to`` (the user id) so that a file moved to another account does not open.
    HKDF rather than a slow KDF: nio derives its pickle key from the store key with one
    SHA-256, so a slower one here would not make the folder harder to open."""
    salt = secrets.token_bytes(16)
    cipher = AES.new(_derived(key, salt), AES.MODE_GCM)
    cipher.update(bound_to.encode())
    sealed, tag = cipher.encrypt_and_digest(secret)
    return {
        "salt": b64encode(salt).decode(),
        "nonce": b64encode(cipher.nonce).decode(),
        "sealed": b64encode(sealed + tag).decode(),
    }


def decrypt(encrypted: dict[str, str], key: str, bound_to: str) -> bytes:
    """What ``encrypt`` sealed; ``ValueError`` when the key (or ``bound_to``) is not its own."""
    sealed = b64decode(encrypted["sealed"])
    cipher = AES.new(
        _derived(key, b64decode(encrypted["salt"])),
        AES.MODE_GCM,
        nonce=b64decode(encrypted["nonce"]),
    )
    cipher.update(bound_to.encode())
    return cipher.decrypt_and_verify(sealed[:-16], sealed[-16:])


def _derived(key: str, salt: bytes) -> bytes:
    return HKDF(key.encode(), 32, salt, SHA256, context=b"compagnon store secret")


def _opens(store: DefaultStore) -> bool:
    try:
        store.load_account()
    except ValueError:  # vodozemac: the pickle's MAC does not match this key
        return False
    return True


def _rekey(store: DefaultStore, key: str) -> None:
    """Everything pickled: the account, the Olm sessions and the inbound group sessions."""
    account = store.load_account()
    sessions = store.load_sessions()
    groups = store.load_inbound_group_sessions()
    store.pickle_key = key
    with store.database.atomic():
        if account is not None:
            store.save_account(account)
        for sender_key, olm_sessions in sessions.items():
            for session in olm_sessions:
                store.save_session(sender_key, session)
        for session in groups:
            store.save_inbound_group_session(session)
