"""``compagnon init`` and what ``check-config`` verifies beyond the file: that the data paths
can be written, and that the homeserver answers and lets the bot's account in.

The checks speak the client-server API through aiohttp rather than nio: they must leave
nothing behind (no session, no encryption store, no device).
"""

from __future__ import annotations

import asyncio
import getpass
import json
import os
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bot.config import Config, MatrixConfig, parse_config

DATABASE_NAME = "compagnon.sqlite3"


class CheckFailed(Exception):
    """What did not work, in one line naming the address, account or path."""


def unwritable(config_paths: list[tuple[str, Path, bool]]) -> list[str]:
    """Why each ``(key, path, is_folder)`` could not be written or created by this user;
    nothing is created. A database also needs its folder, for its WAL."""
    problems = []
    for key, path, is_folder in config_paths:
        nearest = path
        while not nearest.exists() and nearest != nearest.parent:
            nearest = nearest.parent
        if nearest != path or is_folder:
            if not nearest.is_dir():
                consequence = "" if nearest == path else f", so {path} cannot be made"
                problems.append(f"{key}: {nearest} is not a folder{consequence}")
                continue
            access, what = os.W_OK | os.X_OK, "folder"
        else:
            access, what = os.W_OK, "file"
        if not os.access(nearest, access):
            user = getpass.getuser()
            problems.append(f"{key}: the {what} {nearest} cannot be written by {user}")
    return problems


async def check_online(matrix: MatrixConfig) -> None:
    """The homeserver answers, and the configured credential opens ``matrix.user_id``'s
    account (the token the bot would use first, else the password: a login whose device
    is logged out at once)."""
    base = matrix.homeserver.rstrip("/") + "/_matrix/client/v3"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http:
            await _call(http, "GET", matrix.homeserver.rstrip("/") + "/_matrix/client/versions")
            if matrix.access_token:
                user = await _whoami(http, base, matrix.access_token, "the access token")
            else:
                token = await _login(http, base, matrix)
                try:
                    user = await _whoami(http, base, token, "the new login")
                finally:
                    await _call(http, "POST", f"{base}/logout", token=token, body={})
    except (aiohttp.ClientError, TimeoutError) as error:
        reason = str(error) or type(error).__name__
        raise CheckFailed(
            f"the homeserver {matrix.homeserver} does not answer ({reason}): check the "
            "address and that the server is up"
        ) from error
    if user != matrix.user_id:
        raise CheckFailed(f"the credential opens {user}'s account, not {matrix.user_id}'s")


async def _login(http: aiohttp.ClientSession, base: str, matrix: MatrixConfig) -> str:
    body = {
        "type": "m.login.password",
        "identifier": {"type": "m.id.user", "user": matrix.user_id},
        "password": matrix.password,
        "initial_device_display_name": "compagnon check",
    }
    answer = await _call(http, "POST", f"{base}/login", body=body, refused="the password")
    return str(answer["access_token"])


async def _whoami(http: aiohttp.ClientSession, base: str, token: str, refused: str) -> str:
    answer = await _call(http, "GET", f"{base}/account/whoami", token=token, refused=refused)
    return str(answer["user_id"])


async def _call(
    http: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: dict[str, Any] | None = None,
    refused: str = "",
) -> dict[str, Any]:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    async with http.request(method, url, json=body, headers=headers) as response:
        try:
            answer = await response.json(content_type=None)
        except ValueError:
            answer = None
    if response.status == 200 and isinstance(answer, dict):
        return answer
    if refused and response.status in (401, 403) and isinstance(answer, dict):
        raise CheckFailed(
            f"the homeserver refused {refused} ({answer.get('errcode')}: {answer.get('error')})"
        )
    raise CheckFailed(
        f"{url} answered HTTP {response.status}: is this the homeserver's client address?"
    )


# --- compagnon init ----------------------------------------------------------------------


@dataclass
class Answers:
    """What ``init`` was told, by flags or at its prompts."""

    homeserver: str | None
    user: str | None
    password: str | None
    access_token: str | None
    rooms: list[str] | None
    moderators: list[str] | None


def ask_missing(
    answers: Answers, ask: Callable[[str], str], ask_secret: Callable[[str], str]
) -> Answers:
    """Fill in what the flags left out; lists may stay empty."""
    homeserver = answers.homeserver or ask(
        "Homeserver address (such as https://matrix.example.org): "
    )
    user = answers.user or ask("The bot's account (such as @compagnon:example.org): ")
    password, token = answers.password, answers.access_token
    if not (password or token):
        password = ask_secret(f"Password of {user} (empty to give an access token instead): ")
        if not password:
            token = ask_secret("Access token: ")
    rooms = answers.rooms
    if rooms is None:
        rooms = ask("Rooms to serve, ids (!…) or aliases (#…:server), space-separated: ").split()
    moderators = answers.moderators
    if moderators is None:
        moderators = ask("Moderators' user ids (@name:server), space-separated: ").split()
    return Answers(homeserver, user, password, token, rooms, moderators)


def prompts() -> tuple[Callable[[str], str], Callable[[str], str]]:
    """Questions on the terminal, a secret without echo; from a pipe, one line each."""
    if sys.stdin.isatty():
        return (lambda question: input(question).strip()), getpass.getpass

    def from_pipe(question: str) -> str:
        print(question, flush=True)
        return sys.stdin.readline().strip()  # "" at the end: a required value is then refused

    return from_pipe, from_pipe


def config_text(answers: Answers, language: str, data: Path) -> str:
    """The config ``init`` writes: what it was told, as TOML strings whatever was typed,
    absolute data paths, the rest defaults. The moderators may also invite the bot in."""
    key, value = (
        ("password", answers.password)
        if answers.password
        else ("access_token", answers.access_token)
    )
    return f"""\
# Written by compagnon init. Every other key keeps its default: see config.example.toml.
# It holds the bot's {key}: keep it readable by its owner only (mode 0600).

[matrix]
homeserver = {_string(answers.homeserver or "")}
user_id = {_string(answers.user or "")}
{key} = {_string(value or "")}
store_path = {_string(str(data))}

[bot]
language = {_string(language)}
rooms = {_strings(answers.rooms or [])}
moderators = {_strings(answers.moderators or [])}
allowed_inviters = {_strings(answers.moderators or [])}

[database]
path = {_string(str(data / DATABASE_NAME))}
"""


def _string(value: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, except that TOML also escapes DEL."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _strings(values: list[str]) -> str:
    return "[" + ", ".join(_string(value) for value in values) + "]"


def write_private(path: Path, text: str) -> None:
    """A new file, 0600 whatever the umask; an existing one is never overwritten."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        os.fchmod(descriptor, 0o600)
        handle.write(text)


def make_private_folder(path: Path) -> None:
    """The data folder, 0700; an existing one is left as its owner set it."""
    try:
        path.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        pass  # unwritable() has made sure it is a folder
    else:
        path.chmod(0o700)


def initialise(answers: Answers, language: str, config_path: Path, data: Path) -> Config:
    """Check everything before writing anything: the values, that the config file is new,
    that the data folder can be made, and the login; then the folder and the file."""
    text = config_text(answers, language, data)
    config = parse_config(tomllib.loads(text), {})
    if config_path.exists():
        raise CheckFailed(f"{config_path} already exists: remove it, or give another --config")
    problems = unwritable([("--config", config_path, False), ("--data-dir", data, True)])
    if problems:
        raise CheckFailed("; ".join(problems))
    asyncio.run(check_online(config.matrix))
    try:
        make_private_folder(data)
        write_private(config_path, text)
    except OSError as error:
        raise CheckFailed(f"cannot write {error.filename} ({error.strerror})") from error
    return config
