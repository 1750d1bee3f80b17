"""What lets a restart resume where the bot stopped: device, token and sync position."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Session:
    user_id: str
    device_id: str
    access_token: str
    next_batch: str | None = None

    def at(self, next_batch: str) -> Session:
        return replace(self, next_batch=next_batch)


class SessionFile:
    """A small JSON file in ``store_path``, replaced atomically so a crash never corrupts it."""

    def __init__(self, store_path: Path) -> None:
        self.path = store_path / "session.json"

    def load(self, user_id: str) -> Session | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        session = Session(**data)
        return session if session.user_id == user_id else None

    def save(self, session: Session) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(asdict(session)), encoding="utf-8")
        os.chmod(partial, 0o600)
        partial.replace(self.path)
