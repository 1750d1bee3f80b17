"""Fixtures every fast layer shares, and the rule that CI never passes on a skip."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Generator
from pathlib import Path

import pytest

from bot.store.database import Database


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """With CI=true (``.ci/run`` sets it) a skipped test is a failed one: whatever a skip
    guards (a tool missing on this machine) is missing from the run, and CI must say so."""
    report = yield
    if report.skipped and os.environ.get("CI") == "true" and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which allows no skip: {report.longrepr}"
    return report


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated SQLite file of its own for each test."""
    opened = await Database.open(tmp_path / "compagnon.sqlite3")
    try:
        yield opened
    finally:
        await opened.close()
