"""The least a Matrix bot can do to answer a command: the latency bench's baseline.

One long-poll sync loop and one reply per message, with nio's defaults; whatever
Compagnon costs beyond this is Compagnon's own.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from nio import AsyncClient, LoginResponse, RoomMessageText


async def serve(homeserver: str, user_id: str, password: str, room_id: str, store: Path) -> None:
    client = AsyncClient(homeserver, user_id, store_path=str(store))
    login = await client.login(password, device_name="echo")
    if not isinstance(login, LoginResponse):
        raise SystemExit(f"echo bot: login failed: {login}")
    await client.join(room_id)
    await client.sync(timeout=0, full_state=True)  # history is not ours to answer

    async def echo(room: Any, event: Any) -> None:
        if event.sender == client.user_id:
            return
        content = {
            "msgtype": "m.notice",
            "body": event.body,
            "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
        }
        await client.room_send(room.room_id, "m.room.message", content)

    client.add_event_callback(echo, RoomMessageText)
    print("serving", flush=True)  # where Compagnon logs it: the bench's "ready"
    try:
        await client.sync_forever(timeout=30_000)
    finally:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.echo_bot", description=__doc__)
    for option in ("--homeserver", "--user-id", "--password", "--room"):
        parser.add_argument(option, required=True)
    parser.add_argument("--store", type=Path, required=True)
    arguments = parser.parse_args()
    arguments.store.mkdir(parents=True, exist_ok=True)
    asyncio.run(
        serve(
            arguments.homeserver,
            arguments.user_id,
            arguments.password,
            arguments.room,
            arguments.store,
        )
    )


if __name__ == "__main__":
    main()
