"""Command → reply latency, HTTP requests and CPU per command: Compagnon against an echo bot.

A member types ``!help`` and waits for the bot's notice replying to it. Compagnon and a
minimal nio echo bot (``bench.echo_bot``) each serve their own room on one throwaway
Synapse, and the commands alternate between them, so whatever drifts during the run
(Synapse's caches and database, the machine's load) weighs on both alike and the ratio
of the two is what to read. Both bots run in child processes, so the CPU time and
memory read from /proc are theirs alone, not the driver's or Synapse's.

    python -m bench.latency [--commands N] [--json PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from bot.matrix.homeserver import LocalSynapse, terminate
from bot.matrix.member import MemberClient

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password"
COMMAND = "!help"
WARM_UP = 20  # unmeasured commands per bot: first requests fill Synapse's caches
SETTLE = 1.0  # seconds of quiet around the window, so its requests are all logged in it

# What "requests per command" counts. Synapse logs each request once, when it has finished
# processing it, on a ``synapse.access.http.<port>`` logger, with the requester in braces:
#   2026-11-29 02:01:36,571 - synapse.access.http.50259 - INFO - PUT-10 - 127.0.0.1 - 50259
#   - {@alice:localhost} Processed request: 0.702sec/… 59B 200
#   "PUT /_matrix/client/v3/rooms/!L3…/send/m.room.message/b94e… HTTP/1.1" "Python/3.11 …"
# Every such line between the window's two log offsets is counted for its requester: all
# the bot's requests, whatever the endpoint, and the member's. The long-poll syncs waiting
# when the window opens finish inside it and are counted; those waiting when it closes are
# not: each wake-up of a sync counts once. The quiet SETTLE on both sides keeps the
# warm-up's requests out and lets the last reply's requests be logged. The headline is the
# member's sends plus the bot's requests, the "3 per command" (member send, bot sync, bot
# send); the member's syncs only fetch the reply for the stopwatch, cost the same whatever
# the bot, and are shown apart.
_ACCESS = re.compile(
    r"\d{4}-\d\d-\d\d [\d:,]+ - synapse\.access\.http\.\d+ - .*? - "
    r"\{(?P<user>@[^}|]+)[^}]*\} Processed request: .*? \"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/"
)
# Room, event and user ids (raw or percent-encoded) and nio's uuid transaction ids.
_ID_SEGMENT = re.compile(r"/(?:[!$@%]|[0-9a-f]{8}-)[^/]*")


@dataclass
class Contender:
    """One bot in its child process, and the member who talks to it in its room."""

    name: str
    user_id: str
    member: MemberClient
    room_id: str
    process: asyncio.subprocess.Process
    output: Path
    latencies: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Usage:
    cpu_seconds: float
    peak_rss_mib: float


@dataclass(frozen=True)
class Figures:
    median_ms: float
    p95_ms: float
    requests_per_command: float  # the member's sends and all the bot's requests
    bot_requests: dict[str, float]  # per command, by endpoint
    member_requests: dict[str, float]
    cpu_ms_per_command: float
    peak_rss_mib: float


def usage_of(pid: int) -> Usage:
    """User + system time of all the process's threads, and its peak resident set (VmHWM)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # from field 3 on: the name may hold spaces
    ticks = int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of proc(5)
    status = Path(f"/proc/{pid}/status").read_text()
    hwm_kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    return Usage(ticks / os.sysconf("SC_CLK_TCK"), hwm_kib / 1024)


def requests_in(log: bytes) -> Counter[tuple[str, str]]:
    """Requests logged in this stretch of Synapse's log, by requester and endpoint."""
    counts: Counter[tuple[str, str]] = Counter()
    for line in log.decode("utf-8", "replace").splitlines():
        access = _ACCESS.match(line)
        if access is not None:
            path = access["path"].split("?")[0].removeprefix("/_matrix/client/v3/")
            endpoint = f"{access['method']} {_ID_SEGMENT.sub('/*', '/' + path)[1:]}"
            counts[access["user"], endpoint] += 1
    return counts


def per_command(counts: Counter[tuple[str, str]], user_id: str, commands: int) -> dict[str, float]:
    return {
        endpoint: count / commands
        for (user, endpoint), count in sorted(counts.items())
        if user == user_id
    }


def percentile(values: list[float], share: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


async def exchange(contender: Contender) -> float:
    """Seconds from the member sending the command to the member seeing the bot's reply."""
    started = time.perf_counter()
    sent = await contender.member.say(contender.room_id, COMMAND)
    await contender.member.answer_to(sent)
    return time.perf_counter() - started


async def until_answering(contender: Contender, timeout: float = 120) -> None:
    """Probe until the bot answers: it ignores what was said before it synced and joined."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if contender.process.returncode is not None:
            break
        sent = await contender.member.say(contender.room_id, COMMAND)
        with contextlib.suppress(TimeoutError):
            await contender.member.answer_to(sent, timeout=2)
            return
    tail = contender.output.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"{contender.name} never answered; its output ends with:\n{tail}")


async def start_contender(
    stack: contextlib.AsyncExitStack,
    synapse: LocalSynapse,
    directory: Path,
    bot: str,
    member_name: str,
    command: Callable[[str], list[str]],
) -> Contender:
    """A member, a room of theirs with the bot invited, and ``python -m <command(room)>``."""
    member = MemberClient(
        synapse.url, synapse.user_id(member_name), PASSWORD, directory / member_name
    )
    await member.start()
    stack.push_async_callback(member.close)
    room_id = await member.create_room(f"{bot} bench", invite=[synapse.user_id(bot)])
    output = directory / f"{bot}.out"
    with output.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            *command(room_id),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C is the driver's to handle
        )
    stack.push_async_callback(terminate, process)
    contender = Contender(bot, synapse.user_id(bot), member, room_id, process, output)
    await until_answering(contender)
    return contender


def compagnon_command(
    synapse: LocalSynapse, directory: Path, commands: int, room_id: str
) -> list[str]:
    config = directory / "compagnon.toml"
    quoted = json.dumps  # a JSON string is a valid TOML basic string
    config.write_text(
        f"""\
[matrix]
homeserver = {quoted(synapse.url)}
user_id = {quoted(synapse.user_id("compagnon"))}
password = {quoted(PASSWORD)}
store_path = {quoted(str(directory / "compagnon"))}

[bot]
language = "en"
rooms = [{quoted(room_id)}]

[bot.rate_limit]
# One member sends every command: the default throttle would refuse all but a few.
burst = {2 * (commands + WARM_UP)}
per_minute = 1000000

[database]
path = {quoted(str(directory / "compagnon" / "compagnon.sqlite3"))}
""",
        encoding="utf-8",
    )
    return ["bot", "run", "--config", str(config)]


def echo_command(synapse: LocalSynapse, directory: Path, room_id: str) -> list[str]:
    return [
        "bench.echo_bot",
        *("--homeserver", synapse.url, "--user-id", synapse.user_id("echo")),
        *("--password", PASSWORD, "--room", room_id, "--store", str(directory / "echo")),
    ]


async def measure(directory: Path, commands: int) -> dict[str, Figures]:
    async with contextlib.AsyncExitStack() as stack:
        synapse = LocalSynapse(directory / "synapse")
        await synapse.start()
        stack.push_async_callback(synapse.stop)
        for name in ("compagnon", "echo", "alice", "bob"):
            await synapse.register(name, PASSWORD)
        contenders = [
            await start_contender(
                stack,
                synapse,
                directory,
                "compagnon",
                "alice",
                partial(compagnon_command, synapse, directory, commands),
            ),
            await start_contender(
                stack, synapse, directory, "echo", "bob", partial(echo_command, synapse, directory)
            ),
        ]
        for _ in range(WARM_UP):
            for contender in contenders:
                await exchange(contender)

        await asyncio.sleep(SETTLE)
        log_start = synapse.log_path.stat().st_size
        before = [usage_of(contender.process.pid) for contender in contenders]
        for _ in range(commands):
            for contender in contenders:  # interleaved: drift falls on both alike
                contender.latencies.append(await exchange(contender))
        await asyncio.sleep(SETTLE)
        after = [usage_of(contender.process.pid) for contender in contenders]
        with synapse.log_path.open("rb") as log:
            log.seek(log_start)
            counts = requests_in(log.read())

        figures = {}
        for contender, start, end in zip(contenders, before, after, strict=True):
            bot = per_command(counts, contender.user_id, commands)
            member = per_command(counts, contender.member.user_id, commands)
            member_sends = sum(n for endpoint, n in member.items() if endpoint != "GET sync")
            figures[contender.name] = Figures(
                median_ms=statistics.median(contender.latencies) * 1000,
                p95_ms=percentile(contender.latencies, 95) * 1000,
                requests_per_command=member_sends + sum(bot.values()),
                bot_requests=bot,
                member_requests=member,
                cpu_ms_per_command=(end.cpu_seconds - start.cpu_seconds) * 1000 / commands,
                peak_rss_mib=end.peak_rss_mib,
            )
        return figures


def ratios(figures: dict[str, Figures]) -> dict[str, float]:
    compagnon, echo = figures["compagnon"], figures["echo"]
    return {"median": compagnon.median_ms / echo.median_ms, "p95": compagnon.p95_ms / echo.p95_ms}


def report(figures: dict[str, Figures], commands: int) -> str:
    compagnon, echo = figures["compagnon"], figures["echo"]
    ratio = ratios(figures)
    rows = [
        ("latency median (ms)", compagnon.median_ms, echo.median_ms, ".1f"),
        ("latency p95 (ms)", compagnon.p95_ms, echo.p95_ms, ".1f"),
        ("requests/command", compagnon.requests_per_command, echo.requests_per_command, ".2f"),
        ("CPU/command (ms)", compagnon.cpu_ms_per_command, echo.cpu_ms_per_command, ".2f"),
        ("peak RSS (MiB)", compagnon.peak_rss_mib, echo.peak_rss_mib, ".1f"),
    ]
    for who, ours, theirs in (
        ("bot", compagnon.bot_requests, echo.bot_requests),
        ("member", compagnon.member_requests, echo.member_requests),
    ):
        for endpoint in sorted(ours.keys() | theirs.keys()):
            rows.append(
                (f"  {who} {endpoint}", ours.get(endpoint, 0), theirs.get(endpoint, 0), ".2f")
            )
    width = max(len(row[0]) for row in rows) + 2
    lines = [
        f"{commands} commands to each bot, interleaved; requests by endpoint are per command",
        f"{'':{width}}{'compagnon':>10}{'echo':>10}",
        *(
            f"{label:{width}}{ours:>10{form}}{theirs:>10{form}}"
            for label, ours, theirs, form in rows
        ),
        f"ratio compagnon/echo median {ratio['median']:.2f} p95 {ratio['p95']:.2f}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__)
    parser.add_argument("--commands", type=int, default=200, help="commands to each bot")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    arguments = parser.parse_args(argv)
    if arguments.commands < 2:
        parser.error("--commands must be at least 2, for a p95")
    with tempfile.TemporaryDirectory(prefix="compagnon-bench-") as directory:
        figures = asyncio.run(measure(Path(directory), arguments.commands))
    print(report(figures, arguments.commands))
    if arguments.json is not None:
        results = {
            "commands": arguments.commands,
            **{name: asdict(each) for name, each in figures.items()},
            "ratio": ratios(figures),
        }
        arguments.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
