"""Fixtures every fast layer shares."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.database import Database


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated SQLite file of its own for each test."""
    opened = await Database.open(tmp_path / "compagnon.sqlite3")
    try:
        yield opened
    finally:
        await opened.close()
