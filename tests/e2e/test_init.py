"""``compagnon init`` and ``check-config --online`` against a real Synapse, by flags and at
the prompts; then the README's deployment, command by command, in a temporary root."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
import tomllib
from pathlib import Path

import aiohttp
import pytest
from nio import RoomPreset

from bot.config import load_config
from bot.matrix.homeserver import LocalSynapse
from tests.e2e.conftest import World

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.e2e]

ROOT = Path(__file__).parent.parent.parent
COMPAGNON = Path(sys.executable).parent / "compagnon"
QUIET = {key: value for key, value in os.environ.items() if not key.startswith("COMPAGNON_")}


async def compagnon(
    *arguments: str, stdin: str = "", env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """The command as an operator types it: its status, stdout and stderr."""
    process = await asyncio.create_subprocess_exec(
        str(COMPAGNON),
        *arguments,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=QUIET if env is None else env,
    )
    out, err = await asyncio.wait_for(process.communicate(stdin.encode()), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def devices_of(synapse: LocalSynapse, user: str, password: str) -> list[str]:
    """The account's devices but the one this look takes (logged out again)."""
    base = f"{synapse.url}/_matrix/client/v3"
    login = {"type": "m.login.password", "user": user, "password": password}
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/login", json=login) as response:
            session = await response.json()
        headers = {"Authorization": f"Bearer {session['access_token']}"}
        async with http.get(f"{base}/devices", headers=headers) as response:
            devices = [device["device_id"] for device in (await response.json())["devices"]]
        async with http.post(f"{base}/logout", headers=headers, json={}):
            pass
    return [device for device in devices if device != session["device_id"]]


def suffix(world: World) -> str:
    """What makes this test's accounts and aliases unique on the shared homeserver."""
    return world.bot_user.split(":")[0].removeprefix("@compagnon")


def init_flags(world: World, config: Path, *credential: str) -> list[str]:
    return [
        "init",
        "--config",
        str(config),
        "--homeserver",
        world.synapse.url,
        "--user",
        world.bot_user,
        *credential,
        "--room",
        "!atelier:localhost",
        "--room",
        "#cafe:localhost",
        "--moderator",
        "@alice:localhost",
        "--language",
        "en",
    ]


async def test_init_with_flags_checks_the_account_and_writes_a_private_config(
    world: World,
) -> None:
    config = world.directory / "etc" / "config.toml"
    devices = await devices_of(world.synapse, world.bot_user, "bot-password")  # registration's
    status, out, err = await compagnon(*init_flags(world, config, "--password", "bot-password"))
    assert (status, err) == (0, "")

    data = world.directory / "etc" / "data"
    assert config.stat().st_mode & 0o777 == 0o600
    assert data.is_dir()
    assert data.stat().st_mode & 0o777 == 0o700
    assert list(data.iterdir()) == []
    written = tomllib.loads(config.read_text(encoding="utf-8"))
    assert written["matrix"]["store_path"] == str(data)  # absolute
    assert written["database"]["path"] == str(data / "compagnon.sqlite3")
    loaded = load_config(config)
    assert loaded.matrix.user_id == world.bot_user
    assert loaded.matrix.password == "bot-password"
    assert loaded.bot.language == "en"
    assert loaded.bot.rooms == ["!atelier:localhost", "#cafe:localhost"]
    assert loaded.bot.moderators == ["@alice:localhost"]
    assert loaded.bot.allowed_inviters == ["@alice:localhost"]
    assert f"compagnon run --config {config}" in out
    assert str(data) in out
    # The login that checked the password was logged out: no device left behind.
    assert await devices_of(world.synapse, world.bot_user, "bot-password") == devices

    status, out, err = await compagnon("check-config", "--config", str(config), "--online")
    assert (status, err) == (0, "")
    assert (
        out == f"{config}: OK (data paths writable; the homeserver answers, the credentials work)\n"
    )


async def test_init_asks_what_the_flags_leave_out(world: World) -> None:
    config = world.directory / "config.toml"
    answers = [
        world.synapse.url,
        world.bot_user,
        "",  # no password: an access token then
        "syt_wrong",
        "!atelier:localhost #cafe:localhost",
        "@alice:localhost @bob:localhost",
    ]
    status, out, err = await compagnon(
        "init", "--config", str(config), stdin="".join(f"{line}\n" for line in answers)
    )
    assert status == 1
    assert err == (
        "compagnon init: the homeserver refused the access token "
        "(M_UNKNOWN_TOKEN: Invalid access token passed.); nothing was written\n"
    )
    for question in ("Homeserver address", "The bot's account", "Password of", "Access token"):
        assert question in out
    assert list(world.directory.iterdir()) == []

    answers[3] = await login_token(world.synapse, world.bot_user, "bot-password")
    status, out, err = await compagnon(
        "init", "--config", str(config), stdin="".join(f"{line}\n" for line in answers)
    )
    assert (status, err) == (0, "")
    loaded = load_config(config)
    assert loaded.matrix.access_token == answers[3]
    assert loaded.matrix.password == ""
    assert loaded.bot.rooms == ["!atelier:localhost", "#cafe:localhost"]
    assert loaded.bot.moderators == ["@alice:localhost", "@bob:localhost"]
    assert loaded.bot.language == "fr"
    assert loaded.database.path == world.directory / "data" / "compagnon.sqlite3"


async def login_token(synapse: LocalSynapse, user: str, password: str) -> str:
    login = {"type": "m.login.password", "user": user, "password": password}
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{synapse.url}/_matrix/client/v3/login", json=login) as response,
    ):
        return str((await response.json())["access_token"])


@pytest.mark.parametrize(
    ("credential", "error"),
    [
        (
            ["--password", "not-the-password"],
            "the homeserver refused the password (M_FORBIDDEN: Invalid username or password)",
        ),
        (["--access-token", "OTHER"], "the credential opens @{other}'s account, not @{bot}'s"),
    ],
)
async def test_init_names_what_failed_and_writes_nothing(
    world: World, credential: list[str], error: str
) -> None:
    other = await world.synapse.register(f"other{suffix(world)}", "other-password")
    if credential[1] == "OTHER":
        credential[1] = await login_token(world.synapse, other, "other-password")
    config = world.directory / "config.toml"

    status, out, err = await compagnon(*init_flags(world, config, *credential))
    assert status == 1
    assert out == ""
    expected = error.format(other=other[1:], bot=world.bot_user[1:])
    assert err == f"compagnon init: {expected}; nothing was written\n"
    assert list(world.directory.iterdir()) == []


async def test_init_names_an_address_that_is_not_a_homeserver(world: World) -> None:
    config = world.directory / "config.toml"
    flags = init_flags(world, config, "--password", "bot-password")
    flags[flags.index(world.synapse.url)] = f"{world.synapse.url}/elsewhere"

    status, _, err = await compagnon(*flags)
    assert status == 1
    assert err == (
        f"compagnon init: {world.synapse.url}/elsewhere/_matrix/client/versions answered "
        "HTTP 404: is this the homeserver's client address?; nothing was written\n"
    )


async def test_check_config_online_names_refused_credentials(world: World) -> None:
    config = world.directory / "config.toml"
    config.write_text(
        f'[matrix]\nhomeserver = "{world.synapse.url}"\nuser_id = "{world.bot_user}"\n'
        'password = "changed"\n',
        encoding="utf-8",
    )
    status, out, err = await compagnon("check-config", "--config", str(config), "--online")
    assert (status, out) == (1, "")
    assert err == (
        f"{config}: the homeserver refused the password "
        "(M_FORBIDDEN: Invalid username or password)\n"
    )
    assert list(world.directory.iterdir()) == [config]


# --- the README's deployment, as written ------------------------------------------------


def deployment_commands() -> list[str]:
    """The ``sh`` blocks of README.md's deployment section, one command per line."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deploying for a real community", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


# What the test cannot run as written, and what it does instead.
NOT_RUN = ("python3 -m venv", "/opt/compagnon/bin/pip", "systemctl daemon-reload", "journalctl")


class Systemd:
    """systemd's part for the unit installed in ``root``: credentials, ExecStart, SIGTERM."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.credentials = root / "run" / "credentials" / "compagnon.service"
        self.log = root / "journal.log"
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        unit = (self.root / "etc/systemd/system/compagnon.service").read_text(encoding="utf-8")
        self.credentials.mkdir(parents=True, exist_ok=True)
        for line in unit.splitlines():
            if line.startswith("LoadCredential="):
                name, source = line.removeprefix("LoadCredential=").split(":")
                (self.credentials / name).write_bytes((self.root / source[1:]).read_bytes())
        [start] = [line for line in unit.splitlines() if line.startswith("ExecStart=")]
        command = start.removeprefix("ExecStart=").replace("%d", str(self.credentials))
        program, *arguments = command.split()
        assert program == "/opt/compagnon/bin/compagnon"
        with self.log.open("ab") as journal:
            self.process = await asyncio.create_subprocess_exec(
                str(COMPAGNON),
                *arguments,
                env={**QUIET, "CREDENTIALS_DIRECTORY": str(self.credentials)},
                cwd=self.root / "var/lib/compagnon",
                stderr=journal,
            )
        self.starts += 1
        for _ in range(600):
            if self.log.read_text(encoding="utf-8").count("serving 1 room(s)") == self.starts:
                return
            assert self.process.returncode is None, self.log.read_text(encoding="utf-8")
            await asyncio.sleep(0.1)
        raise AssertionError(self.log.read_text(encoding="utf-8"))

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(self.process.wait(), 45) == 0


async def test_the_readme_deployment_runs_as_written(world: World, tmp_path: Path) -> None:
    root = tmp_path / "root"
    work = tmp_path / "work"
    work.mkdir()
    bot = f"compagnon{suffix(world)}x"
    alice = await world.member("alice")
    alias = f"atelier{suffix(world)}"
    await alice.client.room_create(alias=alias, preset=RoomPreset.public_chat, name="Atelier")
    password = "the bot password"
    replacements = [
        ("/etc/matrix-synapse/homeserver.yaml", str(world.synapse.directory / "homeserver.yaml")),
        ("http://localhost:8008", world.synapse.url),
        ("https://matrix.example.org", world.synapse.url),
        ("deploy/compagnon.service", str(ROOT / "deploy" / "compagnon.service")),
        ("/opt/compagnon/bin/compagnon", str(COMPAGNON)),
        ("/etc/", f"{root}/etc/"),
        ("/var/", f"{root}/var/"),
        ("-u compagnon ", f"-u {bot} "),
        ('"user": "compagnon"', f'"user": "{bot}"'),
        ("@compagnon:example.org", f"@{bot}:localhost"),
        ("@alice:example.org", alice.user_id),
        ("#atelier:example.org", f"#{alias}:localhost"),
    ]
    systemd = Systemd(root)
    (root / "var/lib").mkdir(parents=True)
    (root / "etc/systemd/system").mkdir(parents=True)
    token = ""
    skipped = []
    try:
        for line in deployment_commands():
            command = line.removeprefix("sudo ")
            if command.startswith(NOT_RUN):
                skipped.append(command)
                continue
            if command.startswith("systemctl"):
                action = command.split()[1]
                if action in ("stop", "restart"):
                    await systemd.stop()
                if action in ("start", "restart", "enable"):
                    await systemd.start()
                continue
            for placeholder, value in replacements:
                command = command.replace(placeholder, value)
            stdin = ""
            if command.startswith("register_new_matrix_user"):
                stdin = f"{password}\n{password}\n"
            elif " init " in command:
                stdin = f"\n{token}\n"  # no password: the token the login below gave
            process = await asyncio.create_subprocess_shell(
                command,
                executable="/bin/bash",
                cwd=work,
                env={
                    **QUIET,
                    "PATH": f"{COMPAGNON.parent}:{os.environ['PATH']}",
                },  # Synapse's tools
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                start_new_session=True,  # no terminal: prompts read stdin
            )
            out, err = await asyncio.wait_for(process.communicate(stdin.encode()), 120)
            assert process.returncode == 0, (command, out.decode(), err.decode())
            if command.startswith("curl"):
                token = json.loads(out)["access_token"]
    finally:
        await systemd.stop()

    assert [command.split()[0] for command in skipped] == [
        "python3",
        "/opt/compagnon/bin/pip",
        "systemctl",
        "journalctl",
        "/opt/compagnon/bin/pip",
    ]
    assert token
    assert systemd.starts == 3  # enable --now, start after the restore, restart after upgrade
    config = root / "etc/compagnon/config.toml"
    assert config.stat().st_mode & 0o777 == 0o600
    assert (root / "etc/compagnon/store_key").stat().st_mode & 0o777 == 0o600
    backups = root / "var/backups/compagnon"
    assert sorted(path.name for path in backups.iterdir()) == [
        "before-upgrade.sqlite3",
        "compagnon.sqlite3",
    ]
    database = root / "var/lib/compagnon/compagnon.sqlite3"
    assert database.stat().st_mode & 0o777 == 0o600
    assert json.loads((work / "ledger.json").read_text(encoding="utf-8"))["schema_version"] == 1
    assert (work / "ledger.csv").read_text(encoding="utf-8").startswith("type,ref,")
    journal = systemd.log.read_text(encoding="utf-8")
    assert "protected by its files' permissions only" not in journal  # the store_key credential
