"""The ``compagnon`` command: init, run, check-config, demo, export, digest, backup."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from importlib.metadata import version
from pathlib import Path

from bot.app import Compagnon
from bot.backup import backup
from bot.clock import SystemClock
from bot.config import Config, ConfigError, load_config
from bot.digest import preview_text
from bot.errors import StartupError
from bot.export import Format, export
from bot.init import (
    Answers,
    CheckFailed,
    ask_missing,
    check_online,
    initialise,
    prompts,
    unwritable,
)

# Commands that read the database alone: they need no Matrix credential.
OFFLINE = frozenset({"export", "digest", "backup"})


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="compagnon", description="A Matrix bot for learning communities."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('compagnon')}")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log the bot's own debug details"
    )
    # Also accepted after the subcommand; SUPPRESS keeps a subcommand from resetting it.
    verbosity = argparse.ArgumentParser(add_help=False)
    verbosity.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, description=description, parents=[verbosity])

    init = command(
        "init",
        "write a first config, after checking the bot's account",
        "Ask for the homeserver, the bot's account and its password or access token, the "
        "rooms and the moderators (or take them from the flags); log in to check them; then "
        "write the config (mode 0600, absolute data paths) and create the data folder (0700).",
    )
    init.add_argument("--homeserver", help="such as https://matrix.example.org")
    init.add_argument("--user", help="the bot's account, such as @compagnon:example.org")
    secret = init.add_mutually_exclusive_group()
    secret.add_argument("--password", help="the bot's password (else asked, hidden)")
    secret.add_argument("--access-token", help="or an access token for the bot's account")
    init.add_argument("--room", action="append", help="a room to serve, id or alias (repeatable)")
    init.add_argument("--moderator", action="append", help="a moderator's user id (repeatable)")
    init.add_argument("--config", type=Path, default=Path("config.toml"), help="(config.toml)")
    init.add_argument(
        "--data-dir", type=Path, help="the database and keys (a data folder beside the config)"
    )
    init.add_argument("--language", choices=("fr", "en"), default="fr", help="(fr)")

    run = command(
        "run",
        "run the bot",
        "Serve the configured rooms until SIGTERM or Ctrl-C; migrations run at start-up.",
    )
    run.add_argument("--config", type=Path, required=True)
    check = command(
        "check-config",
        "validate a config file and exit",
        "Validate the file and check that its data paths can be written by this user, "
        "creating nothing; with --online, also that the homeserver answers and the "
        "credentials open the bot's account.",
    )
    check.add_argument("--config", type=Path, required=True)
    check.add_argument(
        "--online", action="store_true", help="also log in to the homeserver (then log out)"
    )
    demo = command(
        "demo",
        "the bot on a throwaway local homeserver",
        "Start a private Synapse on 127.0.0.1 with the bot and three members, alice, bob and "
        "chloe, in a room #demo:localhost; Ctrl-C stops everything.",
    )
    demo.add_argument(
        "--script", action="store_true", help="play a scripted conversation, then exit"
    )
    demo.add_argument("--language", choices=("fr", "en"), default="fr")
    dump = command(
        "export",
        "write all the ledger's data, or the workshops' calendar, to stdout by default",
        "The whole ledger as JSON (everything but ballots) or CSV (offers, needs and "
        "contributions), or the upcoming workshops of every room as an iCalendar file (ics); "
        "reads the database only, safe while the bot runs.",
    )
    dump.add_argument("--config", type=Path, required=True)
    dump.add_argument("--format", choices=("json", "csv", "ics"), default="json")
    dump.add_argument("--output", type=Path, help="a file to write instead of stdout")
    digest = command(
        "digest",
        "the weekly digest, from the database",
        "Print what the digest would say now, from the database alone; nothing is sent.",
    )
    digest.add_argument("--config", type=Path, required=True)
    digest.add_argument(
        "--preview",
        action="store_true",
        required=True,
        help="print what the digest would say now, since its last scheduled run; nothing is sent",
    )
    save = command(
        "backup",
        "copy the database to a file, safe while the bot runs",
        "Copy the database with SQLite's online backup API, check the copy with "
        "integrity_check, and write it readable by this user only (0600).",
    )
    save.add_argument("--config", type=Path, required=True)
    save.add_argument("--output", type=Path, required=True, help="the backup file to write")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # -v is the bot's own details only: nio's debug lines hold the access token, aiosqlite's
    # every SQL parameter (members' text), at any verbosity that would be a leak.
    logging.getLogger("bot").setLevel(logging.DEBUG if arguments.verbose else logging.INFO)
    logging.getLogger("nio").setLevel(logging.ERROR)  # olm chatter about peers' devices
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
    logging.getLogger("peewee").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job added

    if arguments.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(run_demo(arguments.script, arguments.language))
    if arguments.command == "init":
        return _init(arguments)
    try:
        config = load_config(arguments.config, offline=arguments.command in OFFLINE)
    except ConfigError as error:
        _invalid(arguments.config, error)
        return 2
    if arguments.command == "check-config":
        return _check(arguments.config, config, arguments.online)
    if arguments.command == "export":
        return _export(config, arguments.format, arguments.output)
    if arguments.command == "digest":
        return _preview_digest(config)
    if arguments.command == "backup":
        return _backup(config, arguments.output)
    try:
        asyncio.run(_run_until_signalled(Compagnon(config)))
    except StartupError as error:
        print(f"compagnon: {error}", file=sys.stderr)
        return 1
    return 0


def _invalid(source: Path, error: ConfigError) -> None:
    reasons = str(error)
    separator = "\n" if "\n" in reasons else " "  # one mistake, one line
    print(f"{source}: invalid configuration:{separator}{reasons}", file=sys.stderr)


def _init(arguments: argparse.Namespace) -> int:
    config_path = arguments.config.absolute()
    data = (arguments.data_dir or config_path.parent / "data").absolute()
    given = Answers(
        arguments.homeserver,
        arguments.user,
        arguments.password,
        arguments.access_token,
        arguments.room,
        arguments.moderator,
    )
    try:
        answers = ask_missing(given, *prompts())
        config = initialise(answers, arguments.language, config_path, data)
    except ConfigError as error:
        _invalid(Path("the answers"), error)
        return 2
    except CheckFailed as error:
        print(f"compagnon init: {error}; nothing was written", file=sys.stderr)
        return 1
    print(
        f"""Logged in as {config.matrix.user_id} on {config.matrix.homeserver}: it works.
Wrote {config_path} (readable by you only: it holds the bot's secret).
The bot's data (database, session, encryption keys) will be in {data}: back it up.
Next, run the bot:
    compagnon run --config {config_path}
or under systemd, as README.md's "Deploying for a real community" shows."""
    )
    return 0


def _check(source: Path, config: Config, online: bool) -> int:
    """A file that validates may still name a folder the bot cannot write, or an account
    whose password changed: both would stop it at start-up, so they are checked too."""
    problems = unwritable(
        [
            ("database.path", config.database.path, False),
            ("database.path's folder", config.database.path.parent, True),
            ("matrix.store_path", config.matrix.store_path, True),
        ]
    )
    if online and not problems:
        try:
            asyncio.run(check_online(config.matrix))
        except CheckFailed as error:
            problems.append(str(error))
    if problems:
        print(f"{source}: " + f"\n{source}: ".join(problems), file=sys.stderr)
        return 1
    checked = (
        "the homeserver answers, the credentials work"
        if online
        else "--online also checks the homeserver and the credentials"
    )
    print(f"{source}: OK (data paths writable; {checked})")
    return 0


def _export(config: Config, fmt: Format, output: Path | None) -> int:
    try:
        text = export(config, fmt, SystemClock().now())
    except StartupError as error:
        print(f"compagnon: {error}", file=sys.stderr)
        return 1
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        output.write_text(text, encoding="utf-8", newline="")  # CSV and ics bring their CRLFs
    except OSError as error:
        print(f"compagnon: cannot write {output}: {error.strerror}", file=sys.stderr)
        return 1
    return 0


def _preview_digest(config: Config) -> int:
    try:
        text = preview_text(config, SystemClock().now())
    except StartupError as error:
        print(f"compagnon: {error}", file=sys.stderr)
        return 1
    print(text)
    return 0


def _backup(config: Config, output: Path) -> int:
    try:
        size = backup(config.database.path, output)
    except StartupError as error:
        print(f"compagnon: {error}", file=sys.stderr)
        return 1
    print(f"{config.database.path} backed up to {output} ({size} bytes, integrity checked)")
    return 0


async def _run_until_signalled(bot: Compagnon) -> None:
    """SIGTERM or Ctrl-C: finish what is in flight, then stop."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, bot.stop)
    await bot.run()


if __name__ == "__main__":
    sys.exit(main())
