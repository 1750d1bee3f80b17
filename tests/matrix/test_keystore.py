"""The encryption store under the operator's secret: re-encrypted once, refused when wrong."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from nio.crypto import InboundGroupSession, OlmAccount, OutboundGroupSession
from nio.store import DefaultStore

from bot.config import MatrixConfig
from bot.errors import StartupError
from bot.matrix.keystore import DEFAULT_KEY, pickle_key, seal, unlock

USER, DEVICE = "@compagnon:test", "DEVICE"


def make_store(path: Path, key: str) -> str:
    """A store as nio leaves it: the account and one room's message keys; the session id."""
    store = DefaultStore(USER, DEVICE, str(path), key)
    account = OlmAccount()
    store.save_account(account)
    keys = account.identity_keys
    outbound = OutboundGroupSession()
    inbound = InboundGroupSession(
        outbound.session_key, keys["ed25519"], keys["curve25519"], "!room:test"
    )
    store.save_inbound_group_session(inbound)
    store.database.close()
    return str(inbound.id)


def session_ids(path: Path, key: str) -> list[str]:
    store = DefaultStore(USER, DEVICE, str(path), key)
    try:
        assert store.load_account() is not None
        return [session.id for session in store.load_inbound_group_sessions()]
    finally:
        store.database.close()


def test_a_store_made_with_the_default_key_is_encrypted_under_the_secret(tmp_path: Path) -> None:
    session = make_store(tmp_path, DEFAULT_KEY)
    unlock(tmp_path, USER, DEVICE, "correct horse")
    assert session_ids(tmp_path, "correct horse") == [session]
    with pytest.raises(ValueError, match="MAC"):  # the default key no longer opens it
        session_ids(tmp_path, DEFAULT_KEY)
    unlock(tmp_path, USER, DEVICE, "correct horse")  # the next start: nothing to do
    assert session_ids(tmp_path, "correct horse") == [session]


def test_a_wrong_key_is_refused_and_the_store_left_as_it_was(tmp_path: Path) -> None:
    session = make_store(tmp_path, "correct horse")
    for wrong in ("battery staple", DEFAULT_KEY):
        with pytest.raises(StartupError, match="does not open with this store key"):
            unlock(tmp_path, USER, DEVICE, wrong)
    assert session_ids(tmp_path, "correct horse") == [session]


def test_a_new_device_has_nothing_to_unlock(tmp_path: Path) -> None:
    unlock(tmp_path, USER, DEVICE, "correct horse")  # nio then makes the account under it
    store = DefaultStore(USER, DEVICE, str(tmp_path), "correct horse")
    try:
        assert store.load_account() is None
    finally:
        store.database.close()


def test_the_key_comes_from_its_file_and_without_one_start_up_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    matrix = MatrixConfig(homeserver="http://127.0.0.1:1", user_id=USER, password="p")
    with caplog.at_level(logging.WARNING):
        assert pickle_key(matrix) == DEFAULT_KEY
    assert "protected by its files' permissions only" in caplog.text
    key_file = tmp_path / "store.key"
    key_file.write_text("correct horse\n", encoding="utf-8")
    assert pickle_key(matrix.model_copy(update={"store_key_file": key_file})) == "correct horse"
    key_file.write_text("\n", encoding="utf-8")
    with pytest.raises(StartupError, match="is empty"):
        pickle_key(matrix.model_copy(update={"store_key_file": key_file}))
    with pytest.raises(StartupError, match="cannot read the store key file"):
        pickle_key(matrix.model_copy(update={"store_key_file": tmp_path / "missing"}))


def test_new_files_are_sealed_and_old_readable_ones_pointed_out(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    old.write_bytes(b"")
    old.chmod(0o644)
    existing = set(tmp_path.iterdir())
    new.write_bytes(b"")
    new.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        seal(tmp_path, existing)
    assert new.stat().st_mode & 0o777 == 0o600
    assert old.stat().st_mode & 0o777 == 0o644
    assert f"{old} can be read by other users (mode 644)" in caplog.text
