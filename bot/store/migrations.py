"""Numbered schema migrations, applied in order, each in its own transaction.

Append new steps; never edit a released one.
"""

from collections.abc import Sequence

MIGRATIONS: Sequence[str] = (
    # 1: what the foundation needs to answer each command exactly once.
    """
    CREATE TABLE handled_event (
        event_id   TEXT PRIMARY KEY,
        room_id    TEXT NOT NULL,
        handled_at TEXT NOT NULL
    );
    CREATE INDEX handled_event_by_time ON handled_event (handled_at);
    CREATE TABLE served_room (
        room_id   TEXT PRIMARY KEY,
        joined_at TEXT NOT NULL
    );
    """,
)

LATEST_VERSION = len(MIGRATIONS)
