"""Who the bot is across restarts, device and token, and the login that makes or resumes
them. (The sync position lives in the database, with the events it passed.)"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from nio import AsyncClient, LoginResponse, WhoamiResponse

from bot.config import MatrixConfig
from bot.errors import StartupError
from bot.files import write_private
from bot.matrix.keystore import seal, unlock


@dataclass(frozen=True)
class Session:
    user_id: str
    device_id: str
    access_token: str
    next_batch: str | None = None  # where older versions kept the sync position (now: SQLite)


class SessionFile:
    """A small JSON file in ``store_path``, replaced atomically so a crash never corrupts it."""

    def __init__(self, store_path: Path) -> None:
        self.path = store_path / "session.json"

    def load(self, user_id: str) -> Session | None:
        try:
            session = Session(**json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except OSError as error:
            raise StartupError(
                f"cannot read {self.path} ({error.strerror}): check the owner and permissions "
                f"of {self.path.parent}"
            ) from error
        except (ValueError, TypeError) as error:
            raise StartupError(
                f"{self.path} is damaged ({error}): restore it from a backup, or remove it "
                "to log in again as a new device"
            ) from error
        return session if session.user_id == user_id else None

    def save(self, session: Session) -> None:
        write_private(self.path, json.dumps(asdict(session)))


class LoginFailed(StartupError):
    """The homeserver refused the bot's credentials."""


async def sign_in(client: AsyncClient, matrix: MatrixConfig, sessions: SessionFile) -> Session:
    """Resume the stored session if its token still works, else log in again on the same
    device (keeping its keys); a configured access token wins over a stored one."""
    stored = sessions.load(matrix.user_id)
    existing = set(sessions.path.parent.iterdir())
    if matrix.access_token and (stored is None or stored.access_token != matrix.access_token):
        client.access_token = matrix.access_token
        whoami = await client.whoami()
        if not isinstance(whoami, WhoamiResponse) or not whoami.device_id:
            raise LoginFailed(f"the access token was refused: {whoami}")
        stored = Session(matrix.user_id, whoami.device_id, matrix.access_token)
    session = None
    if stored is not None:
        unlock(Path(client.store_path), stored.user_id, stored.device_id, client.config.pickle_key)
        client.restore_login(stored.user_id, stored.device_id, stored.access_token)
        if isinstance(await client.whoami(), WhoamiResponse):
            session = stored
        elif not matrix.password:
            raise LoginFailed("the stored access token is no longer valid; set a password")
    if session is None:
        if stored is not None:
            client.device_id = stored.device_id  # keep the device and its keys
        response = await client.login(matrix.password, device_name=matrix.device_name)
        if not isinstance(response, LoginResponse):
            raise LoginFailed(f"password login failed: {response}")
        session = Session(response.user_id, response.device_id, response.access_token)
    sessions.save(session)
    seal(sessions.path.parent, existing)
    if client.should_upload_keys:
        await client.keys_upload()
    return session
