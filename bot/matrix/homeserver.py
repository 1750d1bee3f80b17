"""A throwaway Synapse on 127.0.0.1, for ``compagnon demo``, the end-to-end tests and the bench.

Synapse runs from this Python environment (the ``demo`` extra) in a child process,
with SQLite, no federation, fast password hashing and relaxed rate limits.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import importlib.util
import logging
import os
import secrets
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

SERVER_NAME = "localhost"

_RELAXED = "{per_second: 10000, burst_count: 100000}"
_CONFIG = f"""
server_name: "{SERVER_NAME}"
public_baseurl: "http://127.0.0.1:@PORT@/"
pid_file: "@DIR@/homeserver.pid"
listeners:
  - port: @PORT@
    bind_addresses: ["127.0.0.1"]
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: "@DIR@/homeserver.db"
log_config: "@DIR@/log.config"
media_store_path: "@DIR@/media_store"
signing_key_path: "@DIR@/signing.key"
report_stats: false
enable_metrics: false
registration_shared_secret: "@SECRET@"
enable_registration: false
bcrypt_rounds: 4
macaroon_secret_key: "@SECRET@-macaroon"
form_secret: "@SECRET@-form"
federation_domain_whitelist: []
trusted_key_servers: []
suppress_key_server_warning: true
url_preview_enabled: false
presence:
  enabled: false
encryption_enabled_by_default_for_room_type: "off"
rc_message: {_RELAXED}
rc_registration: {_RELAXED}
rc_login:
  address: {_RELAXED}
  account: {_RELAXED}
  failed_attempts: {_RELAXED}
rc_joins:
  local: {_RELAXED}
  remote: {_RELAXED}
rc_joins_per_room: {_RELAXED}
rc_invites:
  per_room: {_RELAXED}
  per_user: {_RELAXED}
  per_issuer: {_RELAXED}
rc_room_creation: {_RELAXED}
rc_key_requests: {_RELAXED}
rc_delayed_event_mgmt: {_RELAXED}
"""

_LOG_CONFIG = """
version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(levelname)s - %(request)s - %(message)s'
handlers:
  file:
    class: logging.FileHandler
    formatter: precise
    filename: "@DIR@/homeserver.log"
    encoding: utf8
loggers:
  synapse.storage.SQL:
    level: WARNING
root:
  level: INFO
  handlers: [file]
disable_existing_loggers: false
"""


class HomeserverError(Exception):
    """The local homeserver could not be installed, started or used."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def terminate(process: asyncio.subprocess.Process, grace: float = 20) -> None:
    """SIGTERM, then SIGKILL if the process is still there after ``grace`` seconds."""
    if process.returncode is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), grace)
    except TimeoutError:
        process.kill()
        await process.wait()


class LocalSynapse:
    """One Synapse process with its data in ``directory``; restartable on the same port."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or free_port()
        self.secret = secrets.token_hex(16)
        self._process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.directory / "homeserver.log"

    def user_id(self, localpart: str) -> str:
        return f"@{localpart}:{SERVER_NAME}"

    async def start(self, timeout: float = 60) -> None:
        if importlib.util.find_spec("synapse") is None:
            raise HomeserverError(
                "Synapse is not installed in this environment: pip install 'compagnon[demo]'"
            )
        self._write_config()
        stderr = (self.directory / "homeserver.stderr").open("ab")
        try:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "synapse.app.homeserver",
                "--config-path",
                str(self.directory / "homeserver.yaml"),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # Ctrl-C in a terminal is ours to handle, not Synapse's
            )
        finally:
            stderr.close()
        await self._wait_until_up(timeout)
        log.info("Synapse is up at %s", self.url)

    async def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            await terminate(process)

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def register(self, localpart: str, password: str, admin: bool = False) -> str:
        """Create an account with the shared secret (no registration form)."""
        endpoint = f"{self.url}/_synapse/admin/v1/register"
        async with aiohttp.ClientSession() as http:
            async with http.get(endpoint) as response:
                nonce = (await response.json())["nonce"]
            mac = hmac.new(self.secret.encode(), digestmod=hashlib.sha1)
            role = b"admin" if admin else b"notadmin"
            mac.update(b"\x00".join([nonce.encode(), localpart.encode(), password.encode(), role]))
            body: dict[str, Any] = {
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": mac.hexdigest(),
            }
            async with http.post(endpoint, json=body) as response:
                answer = await response.json()
                if response.status != 200:
                    raise HomeserverError(f"could not register {localpart}: {answer}")
        return str(answer["user_id"])

    def _write_config(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        values = {"@DIR@": str(self.directory), "@PORT@": str(self.port), "@SECRET@": self.secret}
        for name, template in (("homeserver.yaml", _CONFIG), ("log.config", _LOG_CONFIG)):
            text = template
            for placeholder, value in values.items():
                text = text.replace(placeholder, value)
            (self.directory / name).write_text(text, encoding="utf-8")
        key = self.directory / "signing.key"
        if not key.exists():
            # Writing the key directly saves the seconds ``--generate-keys`` takes.
            seed = base64.b64encode(os.urandom(32)).decode().rstrip("=")
            key.write_text(f"ed25519 a_{secrets.token_hex(2)} {seed}\n", encoding="utf-8")

    async def _wait_until_up(self, timeout: float) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        async with aiohttp.ClientSession() as http:
            while asyncio.get_running_loop().time() < deadline:
                if self._process is not None and self._process.returncode is not None:
                    raise HomeserverError(f"Synapse exited at start-up; see {self.directory}")
                try:
                    async with http.get(f"{self.url}/_matrix/client/versions") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        await self.stop()
        raise HomeserverError(
            f"Synapse did not answer within {timeout:.0f} s; see {self.directory}"
        )
