"""Command → reply latency, requests, CPU, memory and start-up: Compagnon against an echo bot.

A member types a command and waits for the bot's notice replying to it: a read (``!help``)
and a write (``!offer <skill> 3``, a new skill each time, so each is a real insert).
Compagnon and a minimal nio echo bot (``bench.echo_bot``) each serve their own room on one
throwaway Synapse, and the commands alternate between them, so whatever drifts during the
run (Synapse's caches and database, the machine's load) weighs on both alike and the
ratio of the two is what to read. Both bots run in child processes, so the CPU time and
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
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

from bot.matrix.homeserver import LocalSynapse, terminate
from bot.matrix.member import MemberClient

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password"
WARM_UP = 20  # unmeasured rounds per bot: first requests fill Synapse's caches
SETTLE = 1.0  # seconds of quiet around the window, so its requests are all logged in it
# The bot logs this once it has joined its rooms and is about to sync for commands (the
# echo bot prints it at the same point): the end of "time to ready".
_SERVING = re.compile(r"\bserving\b")


def _read() -> str:
    return "!help"


def _write() -> str:
    # Twelve random hex digits: no two are close enough for the fuzzy skill search to
    # take one for another, so every offer inserts a new skill and a new listing.
    return f"!offer {secrets.token_hex(6)} 3"


KINDS: dict[str, Callable[[], str]] = {"read": _read, "write": _write}
TARGETS = {"read": 1.05, "write": 1.10}  # compagnon/echo at the median and p95

# What "requests per command" counts. Synapse logs each request once, when it has finished
# processing it, on a ``synapse.access.http.<port>`` logger, with the requester in braces:
#   2026-11-29 02:01:36,571 - synapse.access.http.50259 - INFO - PUT-10 - 127.0.0.1 - 50259
#   - {@alice:localhost} Processed request: 0.702sec/… 59B 200
#   "PUT /_matrix/client/v3/rooms/!L3…/send/m.room.message/b94e… HTTP/1.1" "Python/3.11 …"
# A bot's requests, and its member's, logged from the start of one of its exchanges to the
# start of its next one belong to the first: the other bot's exchange in between leaves
# the time for the trailing ones (the sync woken by its own reply) to be logged. The
# long-poll syncs waiting when an exchange starts finish inside it and are counted; each
# wake-up of a sync counts once. The quiet SETTLE on both sides of the window keeps the
# warm-up's requests out and lets the last reply's requests be logged. The headline is
# the member's sends plus the bot's requests, the "3 per command" (member send, bot sync,
# bot send); the member's syncs only fetch the reply for the stopwatch, cost the same
# whatever the bot, and are shown apart.
_ACCESS = re.compile(
    r"\d{4}-\d\d-\d\d [\d:,]+ - synapse\.access\.http\.\d+ - .*? - "
    r"\{(?P<user>@[^}|]+)[^}]*\} Processed request: .*? \"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/"
)
# Room, event and user ids (raw or percent-encoded), then transaction ids, whatever their
# shape (nio's uuids, Compagnon's ``compagnon-reply-<hash>``): one endpoint each.
_ID_SEGMENT = re.compile(r"/(?:[!$@%]|[0-9a-f]{8}-)[^/]*")
_TRANSACTION = re.compile(r"(/(?:send|sendToDevice|redact)/[^/]+)/[^/]+$")


@dataclass(frozen=True)
class Mark:
    """A bot's state as one of its exchanges starts; ``kind`` None closes the window."""

    kind: str | None
    cpu_seconds: float
    log_offset: int


@dataclass
class Contender:
    """One bot in its child process, and the member who talks to it in its room."""

    name: str
    user_id: str
    member: MemberClient
    room_id: str
    arguments: list[str]  # after ``python -m``, to start it again
    process: asyncio.subprocess.Process
    output: Path
    ready_seconds: float
    ready_rss_mib: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    marks: list[Mark] = field(default_factory=list)


@dataclass(frozen=True)
class KindFigures:
    """One kind of command sent to one bot."""

    median_ms: float
    p95_ms: float
    requests_per_command: float  # the member's sends and all the bot's requests
    bot_requests: dict[str, float]  # per command, by endpoint
    member_requests: dict[str, float]
    cpu_ms_per_command: float


@dataclass(frozen=True)
class Figures:
    """One bot's figures: each kind of command's, then the process's."""

    read: KindFigures
    write: KindFigures
    cpu_ms_per_command: float  # both kinds; all threads, the exited ones too
    ready_seconds: float  # process start → "serving", first start (login, keys, schema)
    restart_ready_seconds: float  # the same, restarted on its stored session and database
    ready_rss_mib: float  # resident set as "serving" is logged
    idle_rss_mib: float  # resident set after the run, waiting on its long-poll sync
    peak_rss_mib: float


def cpu_seconds(pid: int) -> float:
    """CPU time of the process's threads, to the nanosecond (schedstat, not clock ticks).

    An exchange takes a few milliseconds of it, less than /proc/<pid>/stat's 10 ms tick;
    a thread's time is counted while it lives, and the bots keep theirs (aiosqlite's, the
    executor's) for their whole life: ``process_cpu_seconds`` checks that over the window.
    """
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


def process_cpu_seconds(pid: int) -> float:
    """User + system time of all the process's threads, exited ones included, in ticks."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # from field 3 on: the name may hold spaces
    ticks = int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of proc(5)
    return ticks / os.sysconf("SC_CLK_TCK")


def memory_mib(pid: int, field_name: str) -> float:
    """A /proc/<pid>/status size: VmRSS (resident now) or VmHWM (its peak)."""
    status = Path(f"/proc/{pid}/status").read_text()
    prefix = field_name + ":"
    return (
        next(int(line.split()[1]) for line in status.splitlines() if line.startswith(prefix)) / 1024
    )


def requests_in(log: bytes, start: int) -> list[tuple[int, str, str]]:
    """Requests logged in this stretch of Synapse's log, which begins at byte ``start``:
    (offset of the line, requester, endpoint)."""
    found = []
    offset = start
    for raw in log.splitlines(keepends=True):
        access = _ACCESS.match(raw.decode("utf-8", "replace"))
        if access is not None:
            path = access["path"].split("?")[0].removeprefix("/_matrix/client/v3/")
            path = _TRANSACTION.sub(r"\1/*", _ID_SEGMENT.sub("/*", "/" + path))
            endpoint = f"{access['method']} {path[1:]}"
            found.append((offset, access["user"], endpoint))
        offset += len(raw)
    return found


def per_command(counts: Counter[tuple[str, str]], user_id: str, commands: int) -> dict[str, float]:
    return {
        endpoint: count / commands
        for (user, endpoint), count in sorted(counts.items())
        if user == user_id
    }


def percentile(values: list[float], share: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


async def exchange(contender: Contender, command: str) -> float:
    """Seconds from the member sending the command to the member seeing the bot's reply."""
    started = time.perf_counter()
    sent = await contender.member.say(contender.room_id, command)
    await contender.member.answer_to(sent)
    return time.perf_counter() - started


def said(output: Path) -> str:
    """What a bot wrote so far: a few kilobytes, read without a thread."""
    return output.read_text(errors="replace")


async def until_serving(
    process: asyncio.subprocess.Process, output: Path, started: float, timeout: float = 120
) -> tuple[float, float]:
    """Seconds from ``started`` until the bot says it is serving, and its RSS then."""
    deadline = started + timeout
    while time.perf_counter() < deadline and process.returncode is None:
        if _SERVING.search(said(output)):
            ready = time.perf_counter() - started
            return ready, memory_mib(process.pid, "VmRSS")
        await asyncio.sleep(0.005)
    tail = said(output)[-3000:]
    raise RuntimeError(f"{output.stem} never said it was serving; its output ends with:\n{tail}")


async def until_answering(contender: Contender, timeout: float = 120) -> None:
    """Probe until the bot answers: it ignores what was said before it synced and joined."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if contender.process.returncode is not None:
            break
        sent = await contender.member.say(contender.room_id, _read())
        with contextlib.suppress(TimeoutError):
            await contender.member.answer_to(sent, timeout=2)
            return
    tail = said(contender.output)[-3000:]
    raise RuntimeError(f"{contender.name} never answered; its output ends with:\n{tail}")


async def spawn(
    stack: contextlib.AsyncExitStack, arguments: list[str], output: Path
) -> tuple[asyncio.subprocess.Process, float, float]:
    """``python -m <arguments>``: the process, its time to ready and its RSS then."""
    with output.open("wb") as sink:
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            *arguments,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C is the driver's to handle
        )
    stack.push_async_callback(terminate, process)
    ready, rss = await until_serving(process, output, started)
    return process, ready, rss


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
    arguments = command(room_id)
    process, ready, rss = await spawn(stack, arguments, output)
    contender = Contender(
        bot, synapse.user_id(bot), member, room_id, arguments, process, output, ready, rss
    )
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
burst = {2 * len(KINDS) * (commands + WARM_UP)}
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


async def restart_ready(stack: contextlib.AsyncExitStack, contender: Contender) -> float:
    """Stop the bot and start it again on what it stored: seconds until it is serving."""
    await terminate(contender.process)
    _, ready, _ = await spawn(stack, contender.arguments, contender.output.with_suffix(".again"))
    return ready


def figures_of(
    contender: Contender, requests: list[tuple[int, str, str]], commands: int
) -> dict[str, KindFigures]:
    """Each kind's figures, from the contender's marks and the requests of its two users."""
    offsets = [mark.log_offset for mark in contender.marks]
    counts = {kind: Counter[tuple[str, str]]() for kind in KINDS}
    for offset, user, endpoint in requests:
        at = bisect_right(offsets, offset) - 1  # the exchange it was logged during
        if 0 <= at < len(offsets) - 1 and user in (contender.user_id, contender.member.user_id):
            kind = contender.marks[at].kind
            assert kind is not None  # only the closing mark has none, and it is the last
            counts[kind][user, endpoint] += 1
    cpu = dict.fromkeys(KINDS, 0.0)
    for mark, following in zip(contender.marks, contender.marks[1:], strict=False):
        assert mark.kind is not None
        cpu[mark.kind] += following.cpu_seconds - mark.cpu_seconds
    result = {}
    for kind, latencies in contender.latencies.items():
        bot = per_command(counts[kind], contender.user_id, commands)
        member = per_command(counts[kind], contender.member.user_id, commands)
        member_sends = sum(n for endpoint, n in member.items() if endpoint != "GET sync")
        result[kind] = KindFigures(
            median_ms=statistics.median(latencies) * 1000,
            p95_ms=percentile(latencies, 95) * 1000,
            requests_per_command=member_sends + sum(bot.values()),
            bot_requests=bot,
            member_requests=member,
            cpu_ms_per_command=cpu[kind] * 1000 / commands,
        )
    return result


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
            for make in KINDS.values():
                for contender in contenders:
                    await exchange(contender, make())

        await asyncio.sleep(SETTLE)
        log_start = synapse.log_path.stat().st_size
        before = [process_cpu_seconds(contender.process.pid) for contender in contenders]
        for _ in range(commands):
            for kind, make in KINDS.items():
                for contender in contenders:  # interleaved: drift falls on both alike
                    contender.marks.append(
                        Mark(
                            kind,
                            cpu_seconds(contender.process.pid),
                            synapse.log_path.stat().st_size,
                        )
                    )
                    contender.latencies[kind].append(await exchange(contender, make()))
        await asyncio.sleep(SETTLE)
        for contender in contenders:
            contender.marks.append(
                Mark(None, cpu_seconds(contender.process.pid), synapse.log_path.stat().st_size)
            )
        after = [process_cpu_seconds(contender.process.pid) for contender in contenders]
        with synapse.log_path.open("rb") as log:
            log.seek(log_start)
            requests = requests_in(log.read(), log_start)
        idle = [memory_mib(contender.process.pid, "VmRSS") for contender in contenders]
        peak = [memory_mib(contender.process.pid, "VmHWM") for contender in contenders]

        figures = {}
        for contender, start, end, idle_rss, peak_rss in zip(
            contenders, before, after, idle, peak, strict=True
        ):
            kinds = figures_of(contender, requests, commands)
            figures[contender.name] = Figures(
                read=kinds["read"],
                write=kinds["write"],
                cpu_ms_per_command=(end - start) * 1000 / (commands * len(KINDS)),
                ready_seconds=contender.ready_seconds,
                restart_ready_seconds=await restart_ready(stack, contender),
                ready_rss_mib=contender.ready_rss_mib,
                idle_rss_mib=idle_rss,
                peak_rss_mib=peak_rss,
            )
        return figures


def ratios(figures: dict[str, Figures]) -> dict[str, dict[str, float]]:
    """Compagnon's latency over the echo bot's, per kind, at the median and p95."""
    compagnon, echo = asdict(figures["compagnon"]), asdict(figures["echo"])
    return {
        kind: {
            "median": compagnon[kind]["median_ms"] / echo[kind]["median_ms"],
            "p95": compagnon[kind]["p95_ms"] / echo[kind]["p95_ms"],
        }
        for kind in KINDS
    }


def report(figures: dict[str, Figures], commands: int) -> str:
    compagnon, echo = figures["compagnon"], figures["echo"]
    Row = tuple[str, float, float, str, str]
    rows: list[Row] = []
    for kind in KINDS:
        ours: KindFigures = getattr(compagnon, kind)
        theirs: KindFigures = getattr(echo, kind)
        rows += [
            (f"{kind}: latency median (ms)", ours.median_ms, theirs.median_ms, ".1f", ""),
            (f"{kind}: latency p95 (ms)", ours.p95_ms, theirs.p95_ms, ".1f", ""),
            (
                f"{kind}: requests/command",
                ours.requests_per_command,
                theirs.requests_per_command,
                ".2f",
                "3",
            ),
            (
                f"{kind}: CPU/command (ms)",
                ours.cpu_ms_per_command,
                theirs.cpu_ms_per_command,
                ".2f",
                "≤ 4",
            ),
        ]
    rows += [
        (
            "CPU/command, all (ms)",
            compagnon.cpu_ms_per_command,
            echo.cpu_ms_per_command,
            ".2f",
            "≤ 4",
        ),
        ("ready, first start (s)", compagnon.ready_seconds, echo.ready_seconds, ".2f", "≤ 1.5"),
        (
            "ready, restart (s)",
            compagnon.restart_ready_seconds,
            echo.restart_ready_seconds,
            ".2f",
            "≤ 1.5",
        ),
        ("RSS when ready (MiB)", compagnon.ready_rss_mib, echo.ready_rss_mib, ".1f", ""),
        ("idle RSS (MiB)", compagnon.idle_rss_mib, echo.idle_rss_mib, ".1f", "≤ 60"),
        ("peak RSS (MiB)", compagnon.peak_rss_mib, echo.peak_rss_mib, ".1f", ""),
    ]
    for kind in KINDS:
        for who in ("bot", "member"):
            ours_by, theirs_by = (
                getattr(getattr(each, kind), f"{who}_requests") for each in (compagnon, echo)
            )
            for endpoint in sorted(ours_by.keys() | theirs_by.keys()):
                rows.append(
                    (
                        f"  {kind} {who} {endpoint}",
                        ours_by.get(endpoint, 0),
                        theirs_by.get(endpoint, 0),
                        ".2f",
                        "",
                    )
                )
    width = max(len(row[0]) for row in rows) + 2
    lines = [
        f"{commands} reads ({_read()}) and {commands} writes (!offer <new skill> 3) to each bot,"
        " interleaved; requests by endpoint are per command",
        f"{'':{width}}{'compagnon':>10}{'echo':>10}  target",
        *(
            f"{label:{width}}{ours:>10{form}}{theirs:>10{form}}  {target}".rstrip()
            for label, ours, theirs, form, target in rows
        ),
        "ratio compagnon/echo:",
        *(
            f"  {kind}: median {ratio['median']:.2f} p95 {ratio['p95']:.2f}"
            f" (target ≤ {TARGETS[kind]:.2f})"
            for kind, ratio in ratios(figures).items()
        ),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.latency", description=__doc__)
    parser.add_argument(
        "--commands", type=int, default=200, help="commands of each kind to each bot"
    )
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
