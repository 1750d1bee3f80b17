"""``compagnon``: a database it cannot use stops every command with one line, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main

CONFIG = """
[matrix]
homeserver = "http://127.0.0.1:1"
user_id = "@compagnon:test"
password = "secret"

[database]
path = "{database}"
"""

COMMANDS = [["run"], ["export"], ["digest", "--preview"]]


def config_for(tmp_path: Path, database: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG.format(database=database), encoding="utf-8")
    return path


def the_one_line(capsys: pytest.CaptureFixture[str], arguments: list[str]) -> str:
    assert main(arguments) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    return line.removeprefix("compagnon: ")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_that_is_not_a_database_stops_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    database = tmp_path / "notes.txt"
    database.write_text("not a database\n" * 100, encoding="utf-8")
    config = config_for(tmp_path, database)

    line = the_one_line(capsys, [command[0], "--config", str(config), *command[1:]])
    assert line == (
        f"{database} is not a database or is damaged (file is not a database): "
        "restore it from a backup"
    )


def test_a_data_folder_that_cannot_be_created_stops_the_bot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    config = config_for(tmp_path, blocker / "data" / "compagnon.sqlite3")

    line = the_one_line(capsys, ["run", "--config", str(config)])
    assert line.startswith(f"cannot create or write the data folder {blocker / 'data'} (")
    assert line.endswith("check its owner and permissions")
