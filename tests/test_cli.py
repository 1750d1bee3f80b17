"""``compagnon``: its arguments, the commands that need no homeserver (export, digest
preview, backup, check-config's offline checks), and one line, no traceback, for a database
it cannot use."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import tomllib
from contextlib import closing
from importlib.metadata import version
from pathlib import Path

import pytest

from bot.__main__ import _parser, main
from bot.config import parse_config
from bot.init import Answers, config_text
from bot.store.database import Database
from bot.store.migrations import LATEST_VERSION

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


# --- the command line itself ----------------------------------------------------------------


OFFLINE_CONFIG = """
[matrix]
homeserver = "http://127.0.0.1:1"
user_id = "@compagnon:test"

[database]
path = "{database}"
"""


def offline_config(tmp_path: Path, database: Path) -> Path:
    """A config without any credential: enough for the commands that read the database."""
    path = tmp_path / "offline.toml"
    path.write_text(OFFLINE_CONFIG.format(database=database), encoding="utf-8")
    return path


def make_database(path: Path, contributions: int = 0) -> None:
    """A migrated database, with some rows when asked."""

    async def create() -> None:
        database = await Database.open(path)
        try:
            async with database.transaction() as tx:
                for number in range(contributions):
                    await tx.execute(
                        "INSERT INTO contribution (member, minutes, domain, what, room_id, "
                        "created_at) VALUES (?, 60, 'habitat', ?, '!r:test', ?)",
                        ("@alice:test", f"work {number}", "2026-11-02T09:00:00+00:00"),
                    )
        finally:
            await database.close()

    asyncio.run(create())


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("COMPAGNON_PASSWORD", "COMPAGNON_ACCESS_TOKEN", "CREDENTIALS_DIRECTORY"):
        monkeypatch.delenv(variable, raising=False)


def test_version_comes_from_the_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"compagnon {version('compagnon')}\n"


def test_every_subcommand_has_a_summary_and_a_description() -> None:
    [commands] = [
        action for action in _parser()._actions if isinstance(action, argparse._SubParsersAction)
    ]
    summaries = {choice.dest: choice.help for choice in commands._choices_actions}
    assert set(summaries) == set(commands.choices)
    for name, parser in commands.choices.items():
        assert summaries[name], name
        assert parser.description, name
        assert parser.description != summaries[name], name


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_is_accepted_before_or_after_the_subcommand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    config = config_for(tmp_path, tmp_path / "data" / "compagnon.sqlite3")
    command = ["check-config", "--config", str(config)]
    arguments = ["-v", *command] if where == "before" else [*command, "--verbose"]
    logging.getLogger("bot").setLevel(logging.INFO)

    assert main(arguments) == 0
    assert logging.getLogger("bot").level == logging.DEBUG
    assert main(command) == 0
    assert logging.getLogger("bot").level == logging.INFO
    assert capsys.readouterr().out.count(": OK") == 2


@pytest.mark.usefixtures("no_credentials")
def test_a_malformed_user_id_is_explained_in_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = config_for(tmp_path, tmp_path / "db.sqlite3")
    config.write_text(
        config.read_text(encoding="utf-8").replace("@compagnon:test", "compagnon"),
        encoding="utf-8",
    )
    assert main(["check-config", "--config", str(config)]) == 2
    error = capsys.readouterr().err
    assert "matrix.user_id = 'compagnon': must look like @name:server" in error
    assert "pattern" not in error
    assert "^" not in error


# --- offline commands: the database alone -------------------------------------------------


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize(
    "command", [["export"], ["digest", "--preview"], ["backup", "--output", "copy.sqlite3"]]
)
def test_offline_commands_need_no_credential(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    database = tmp_path / "data" / "compagnon.sqlite3"
    make_database(database)
    config = offline_config(tmp_path, database)

    assert main([command[0], "--config", str(config), *command[1:]]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("command", [["run"], ["check-config"]])
def test_commands_that_go_online_still_need_a_credential(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    config = offline_config(tmp_path, tmp_path / "data" / "compagnon.sqlite3")
    assert main([*command, "--config", str(config)]) == 2
    assert "password or access_token is required" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


def test_a_database_newer_than_the_code_stops_the_bot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "compagnon.sqlite3"
    make_database(database)
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("UPDATE schema_version SET version = ?", (LATEST_VERSION + 1,))

    line = the_one_line(capsys, ["run", "--config", str(config_for(tmp_path, database))])
    assert f"schema version {LATEST_VERSION + 1}" in line
    assert "upgrade Compagnon, or restore a backup" in line


# --- backup -----------------------------------------------------------------------------------


def rows_in(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("SELECT count(*) FROM contribution").fetchone()[0])


@pytest.mark.usefixtures("no_credentials")
def test_a_backup_taken_while_the_bot_writes_is_a_consistent_private_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "data" / "compagnon.sqlite3"
    make_database(database, contributions=3)
    output = tmp_path / "backup.sqlite3"
    output.write_text("last week's backup", encoding="utf-8")  # replaced, not appended to
    config = offline_config(tmp_path, database)

    # The bot, meanwhile, is half-way through a transaction (in WAL mode, as it runs).
    with closing(sqlite3.connect(database, isolation_level=None)) as bot:
        bot.execute("PRAGMA journal_mode = WAL")
        bot.execute("BEGIN IMMEDIATE")
        bot.execute("DELETE FROM contribution")
        assert main(["backup", "--config", str(config), "--output", str(output)]) == 0
        bot.execute("COMMIT")

    assert rows_in(output) == 3  # the last committed state, not the half-done one
    assert output.stat().st_mode & 0o777 == 0o600
    with closing(sqlite3.connect(output)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "backup.sqlite3",
        "data",
        "offline.toml",
    ]  # no partial copy left behind
    assert "integrity checked" in capsys.readouterr().out


@pytest.mark.usefixtures("no_credentials")
def test_a_backup_of_no_database_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "data" / "compagnon.sqlite3"
    config = offline_config(tmp_path, database)
    output = tmp_path / "backup.sqlite3"

    line = the_one_line(capsys, ["backup", "--config", str(config), "--output", str(output)])
    assert line == f"no database at {database}: check database.path in the config"
    assert not database.parent.exists()
    assert not output.exists()


@pytest.mark.usefixtures("no_credentials")
def test_a_backup_into_a_missing_folder_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "compagnon.sqlite3"
    make_database(database)
    output = tmp_path / "nowhere" / "backup.sqlite3"
    config = offline_config(tmp_path, database)

    line = the_one_line(capsys, ["backup", "--config", str(config), "--output", str(output)])
    assert line == f"cannot write in {output.parent} (No such file or directory)"


@pytest.mark.usefixtures("no_credentials")
def test_a_damaged_database_gives_no_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "compagnon.sqlite3"
    database.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    output = tmp_path / "backup.sqlite3"
    config = offline_config(tmp_path, database)

    line = the_one_line(capsys, ["backup", "--config", str(config), "--output", str(output)])
    assert line.startswith(f"cannot back up {database} (")
    assert not output.exists()
    assert [path.name for path in tmp_path.iterdir() if "partial" in path.name] == []


# --- check-config: beyond the file ---------------------------------------------------------


@pytest.mark.usefixtures("no_credentials")
def test_check_config_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = config_for(tmp_path, tmp_path / "state" / "compagnon.sqlite3")

    assert main(["check-config", "--config", str(config)]) == 0
    assert "data paths writable" in capsys.readouterr().out
    assert sorted(path.name for path in tmp_path.iterdir()) == ["config.toml"]


@pytest.mark.usefixtures("no_credentials")
def test_check_config_names_a_data_path_that_cannot_be_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    config = config_for(tmp_path, blocker / "compagnon.sqlite3")

    assert main(["check-config", "--config", str(config)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"database.path: {blocker} is not a folder, so " in captured.err
    assert "OK" not in captured.err


@pytest.mark.usefixtures("no_credentials")
def test_check_config_online_names_a_homeserver_that_does_not_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = config_for(tmp_path, tmp_path / "compagnon.sqlite3")

    assert main(["check-config", "--config", str(config), "--online"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{config}: the homeserver http://127.0.0.1:1 does not answer (")
    assert line.endswith("check the address and that the server is up")


# --- init, where no homeserver is needed -----------------------------------------------------


@pytest.mark.usefixtures("no_credentials")
def test_init_refuses_wrong_values_in_words_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["init", "--config", str(tmp_path / "config.toml"), "--room", "general"]
    arguments += ["--homeserver", "matrix.example.org", "--user", "compagnon"]
    arguments += ["--password", "secret", "--moderator", "@alice:example.org"]

    assert main(arguments) == 2
    error = capsys.readouterr().err
    assert "matrix.user_id = 'compagnon': must look like @name:server" in error
    assert "matrix.homeserver = 'matrix.example.org': expected http://" in error
    assert "bot.rooms = ['general']" in error
    assert "secret" not in error
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("no_credentials")
def test_init_stops_before_writing_when_the_homeserver_does_not_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["init", "--config", str(tmp_path / "etc" / "config.toml")]
    arguments += ["--homeserver", "http://127.0.0.1:1", "--user", "@compagnon:test"]
    arguments += ["--access-token", "syt_token", "--room", "!r:test", "--moderator", ":test"]

    assert main(arguments) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("compagnon init: the homeserver http://127.0.0.1:1 does not answer")
    assert line.endswith("nothing was written")
    assert list(tmp_path.iterdir()) == []


def test_whatever_init_is_told_is_written_as_it_was_typed(tmp_path: Path) -> None:
    password = 'a "quoted" \\ back\\slash, a tab\t, a new\nline, DEL\x7f, é, 🔑'
    answers = Answers(
        "https://matrix.example.org", "@bot:example.org", password, None, ["#a:b"], []
    )
    text = config_text(answers, "en", tmp_path / "data dir")

    config = parse_config(tomllib.loads(text), {})
    assert config.matrix.password == password
    assert config.matrix.store_path == tmp_path / "data dir"
    assert config.database.path == tmp_path / "data dir" / "compagnon.sqlite3"
    assert config.bot.rooms == ["#a:b"]
