"""The ``compagnon`` command: run, check-config, demo, export, digest."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from bot.app import Compagnon
from bot.clock import SystemClock
from bot.config import Config, ConfigError, load_config
from bot.digest import preview_text
from bot.errors import StartupError
from bot.export import Format, export


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="compagnon", description="A Matrix bot for learning communities."
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log the bot's own debug details"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the bot")
    run.add_argument("--config", type=Path, required=True)
    check = commands.add_parser("check-config", help="validate a config file and exit")
    check.add_argument("--config", type=Path, required=True)
    demo = commands.add_parser("demo", help="the bot on a throwaway local homeserver")
    demo.add_argument(
        "--script", action="store_true", help="play a scripted conversation, then exit"
    )
    demo.add_argument("--language", choices=("fr", "en"), default="fr")
    dump = commands.add_parser("export", help="write all the ledger's data, to stdout by default")
    dump.add_argument("--config", type=Path, required=True)
    dump.add_argument("--format", choices=("json", "csv"), default="json")
    dump.add_argument("--output", type=Path, help="a file to write instead of stdout")
    digest = commands.add_parser("digest", help="the weekly digest, from the database")
    digest.add_argument("--config", type=Path, required=True)
    digest.add_argument(
        "--preview",
        action="store_true",
        required=True,
        help="print what the digest would say now, since its last scheduled run; nothing is sent",
    )
    arguments = parser.parse_args(argv)

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
    try:
        config = load_config(arguments.config)
    except ConfigError as error:
        reasons = str(error)
        separator = "\n" if "\n" in reasons else " "  # one mistake, one line
        print(f"{arguments.config}: invalid configuration:{separator}{reasons}", file=sys.stderr)
        return 2
    if arguments.command == "check-config":
        print(f"{arguments.config}: OK")
        return 0
    if arguments.command == "export":
        return _export(config, arguments.format, arguments.output)
    if arguments.command == "digest":
        return _preview_digest(config)
    try:
        asyncio.run(_run_until_signalled(Compagnon(config)))
    except StartupError as error:
        print(f"compagnon: {error}", file=sys.stderr)
        return 1
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
        output.write_text(text, encoding="utf-8", newline="")  # CSV brings its own CRLFs
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


async def _run_until_signalled(bot: Compagnon) -> None:
    """SIGTERM or Ctrl-C: finish what is in flight, then stop."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, bot.stop)
    await bot.run()


if __name__ == "__main__":
    sys.exit(main())
