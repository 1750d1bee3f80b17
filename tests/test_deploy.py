"""``deploy/compagnon.service``: a dedicated user, a private state folder, secrets as systemd
credentials (which the config loader reads), hardening; and systemd's own verdict on it.

The README's deployment steps are run, one by one, in ``tests/e2e/test_init.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

from bot.config import ConfigError, parse_config

UNIT = Path(__file__).parent.parent / "deploy" / "compagnon.service"
CONFIG = """
[matrix]
homeserver = "https://matrix.example.org"
user_id = "@compagnon:example.org"
"""


def settings() -> dict[str, list[str]]:
    """Every ``Key=value`` of the unit, a key that repeats with each of its values."""
    found: dict[str, list[str]] = defaultdict(list)
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            found[key].append(value)
    return found


def test_the_bot_runs_as_a_dedicated_user_writing_only_its_state_folder() -> None:
    unit = settings()
    assert unit["DynamicUser"] == ["yes"] or unit["User"] == ["compagnon"]
    assert unit["StateDirectory"] == ["compagnon"]
    assert unit["StateDirectoryMode"] == ["0700"]
    assert unit["ConfigurationDirectory"] == ["compagnon"]
    assert unit["ProtectSystem"] == ["strict"]  # everything else, /etc included, read-only
    assert unit["Restart"] == ["on-failure"]  # start-up refusals exit 1


def test_secrets_come_as_credentials_never_in_the_environment() -> None:
    unit = settings()
    assert "Environment" not in unit
    assert "EnvironmentFile" not in unit
    assert set(unit["LoadCredential"]) == {
        "config.toml:/etc/compagnon/config.toml",
        "store_key:/etc/compagnon/store_key",
    }
    [start] = unit["ExecStart"]
    assert start == "/opt/compagnon/bin/compagnon run --config %d/config.toml"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("NoNewPrivileges", "yes"),
        ("CapabilityBoundingSet", ""),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("PrivateDevices", "yes"),
        ("ProtectKernelTunables", "yes"),
        ("ProtectKernelModules", "yes"),
        ("ProtectKernelLogs", "yes"),
        ("ProtectControlGroups", "yes"),
        ("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"),
        ("SystemCallFilter", "@system-service"),
        ("RestrictSUIDSGID", "yes"),
        ("LockPersonality", "yes"),
        ("UMask", "0077"),
    ],
)
def test_the_unit_is_hardened(key: str, value: str) -> None:
    assert settings()[key] == [value]


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here: only the unit's verification skips")
    # The unit as installed, but starting this environment's compagnon: verify wants the
    # program to exist.
    program = Path(sys.executable).parent / "compagnon"
    text = UNIT.read_text(encoding="utf-8").replace("/opt/compagnon/bin/compagnon", str(program))
    installed = tmp_path / "compagnon.service"
    installed.write_text(text, encoding="utf-8")

    verdict = subprocess.run(
        [analyze, "verify", str(installed)], capture_output=True, text=True, check=False
    )
    assert verdict.returncode == 0, verdict.stderr
    assert verdict.stdout + verdict.stderr == ""  # not even an unknown key, ignored


# --- the credentials the unit hands over ----------------------------------------------------


def test_a_password_credential_completes_a_config_without_one(tmp_path: Path) -> None:
    (tmp_path / "password").write_text("from-systemd\n", encoding="utf-8")
    (tmp_path / "store_key").write_text("a long secret\n", encoding="utf-8")
    config = parse_config(tomllib.loads(CONFIG), {"CREDENTIALS_DIRECTORY": str(tmp_path)})
    assert config.matrix.password == "from-systemd"
    assert config.matrix.store_key == "a long secret"
    assert config.matrix.access_token == ""


def test_a_credential_wins_over_the_file_and_the_environment_over_both(tmp_path: Path) -> None:
    (tmp_path / "access_token").write_text("syt_systemd", encoding="utf-8")
    text = CONFIG + 'access_token = "syt_file"\n'
    credentials = {"CREDENTIALS_DIRECTORY": str(tmp_path)}

    assert parse_config(tomllib.loads(text), credentials).matrix.access_token == "syt_systemd"
    environment = {**credentials, "COMPAGNON_ACCESS_TOKEN": "syt_environment"}
    assert parse_config(tomllib.loads(text), environment).matrix.access_token == "syt_environment"


def test_without_credentials_the_error_names_them(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(tomllib.loads(CONFIG), {"CREDENTIALS_DIRECTORY": str(tmp_path)})
    assert "systemd credential named password / access_token" in str(caught.value)


def test_an_unreadable_credential_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "password").write_bytes(b"\xff\xfe not text")
    with pytest.raises(ConfigError, match="cannot read the credential") as caught:
        parse_config(tomllib.loads(CONFIG), {"CREDENTIALS_DIRECTORY": str(tmp_path)})
    assert str(tmp_path / "password") in str(caught.value)
