"""``compagnon demo``: a throwaway homeserver, the bot and three members, to try it in minutes."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import tempfile
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import aiohttp

from bot.app import Compagnon, running
from bot.config import BotConfig, Config, DatabaseConfig, MatrixConfig, RateLimitConfig
from bot.i18n.types import Language
from bot.matrix.homeserver import SERVER_NAME, LocalSynapse
from bot.matrix.member import MemberClient

MEMBERS = ("alice", "bob", "chloe")
BOT = "compagnon"
ALIAS = f"#demo:{SERVER_NAME}"

# Who says what, in each language. Alice created the room, so she is a moderator.
SCRIPT: dict[Language, Sequence[tuple[str, str]]] = {
    "fr": (
        ("alice", "!aide"),
        ("bob", "!offre menuiserie 4 : je montre la défonceuse et les assemblages"),
        ("chloe", "!besoin menuiseries débutante : pour l'étagère de la salle commune"),
        ("chloe", "!binome"),
        ("chloe", "!binome demander o1"),
        ("bob", "!binome accepter m1"),
        ("alice", "!merci @bob 2h habitat : a réparé la porte de l'atelier"),
        ("chloe", "!confirmer c1"),
        ("chloe", "!profil bob"),
        ("bob", "!offres"),
        ("alice", "!sondage --domaine habitat Quel soir pour le chantier ? | mardi | jeudi"),
        ("bob", "!voter p1 2"),
        ("chloe", "!voter p1 1"),
        ("bob", "!poids habitat"),
        ("alice", "!sondage fermer p1"),
        ("chloe", "!sondage resultats p1"),
        ("alice", "!bilan aperçu"),
        ("alice", "!aidez"),
        ("alice", "!etat"),
        ("bob", "!etat"),
    ),
    "en": (
        ("alice", "!help"),
        ("bob", "!offer woodworking 4 : I show the router and joinery"),
        ("chloe", "!need wood working beginner : for the common room's shelf"),
        ("chloe", "!match"),
        ("chloe", "!match ask o1"),
        ("bob", "!match accept m1"),
        ("alice", "!thanks @bob 2h habitat : fixed the workshop door"),
        ("chloe", "!confirm c1"),
        ("chloe", "!profile bob"),
        ("bob", "!offers"),
        ("alice", "!poll --domain habitat Which evening for the work party? | Tuesday | Thursday"),
        ("bob", "!vote p1 2"),
        ("chloe", "!vote p1 1"),
        ("bob", "!weight habitat"),
        ("alice", "!poll close p1"),
        ("chloe", "!poll results p1"),
        ("alice", "!digest preview"),
        ("alice", "!hepl"),
        ("alice", "!status"),
        ("bob", "!status"),
    ),
}


# What the demo says around the conversation, in the demo's language.
BANNER: dict[Language, dict[str, str]] = {
    "fr": {
        "starting": "Démarrage d'un Synapse jetable sur 127.0.0.1…",
        "running": """
Compagnon tourne. Connectez-vous avec n'importe quel client Matrix (Element, Fractal, nheko…) :
    serveur d'accueil : {homeserver}
{accounts}
Le salon {alias} ({room_id}) réunit le bot et les trois membres ; alice le modère.
Essayez !aide. Ctrl-C arrête tout.""",
        "account": "    {user:20} mot de passe : {password}",
        "stopped": "\nArrêté : le serveur d'accueil et le bot ne sont plus là.",
    },
    "en": {
        "starting": "Starting a throwaway Synapse on 127.0.0.1…",
        "running": """
Compagnon is running. Log in with any Matrix client (Element, Fractal, nheko…):
    homeserver: {homeserver}
{accounts}
The room {alias} ({room_id}) has the bot and all three members; alice is its moderator.
Try !help. Ctrl-C stops everything.""",
        "account": "    {user:20} password: {password}",
        "stopped": "\nStopped: the homeserver and the bot are gone.",
    },
}


def password_of(name: str) -> str:
    return f"{name}-demo-password"


@dataclass
class DemoWorld:
    synapse: LocalSynapse
    bot: Compagnon
    members: dict[str, MemberClient]
    room_id: str
    alias: str


@contextlib.asynccontextmanager
async def demo_world(directory: Path, language: Language) -> AsyncIterator[DemoWorld]:
    """Synapse, registered accounts, a room made by alice with everyone in it, and the bot."""
    synapse = LocalSynapse(directory / "synapse")
    await synapse.start()
    members: dict[str, MemberClient] = {}
    try:
        for name in (BOT, *MEMBERS):
            await synapse.register(name, password_of(name))
        for name in MEMBERS:
            members[name] = MemberClient(
                synapse.url, synapse.user_id(name), password_of(name), directory / name
            )
            await members[name].start()
        room_id = await members["alice"].create_room(
            "Atelier partagé" if language == "fr" else "Shared workshop",
            invite=[synapse.user_id(name) for name in (BOT, "bob", "chloe")],
        )
        await _publish_alias(synapse.url, members["alice"], room_id)
        for name in ("bob", "chloe"):
            await members[name].join(room_id)
        config = Config(
            matrix=MatrixConfig(
                homeserver=synapse.url,
                user_id=synapse.user_id(BOT),
                password=password_of(BOT),
                store_path=directory / BOT,
            ),
            bot=BotConfig(
                language=language,
                rooms=[room_id],
                moderation_room=room_id,  # the community's one room moderates it
                allowed_inviters=[":localhost"],
                rate_limit=RateLimitConfig(burst=30),  # a playground: try commands in a row
            ),
            database=DatabaseConfig(path=directory / BOT / "compagnon.sqlite3"),
        )
        async with running(config) as bot:
            yield DemoWorld(synapse, bot, members, room_id, ALIAS)
    finally:
        for member in members.values():
            await member.close()
        await synapse.stop()


async def _publish_alias(homeserver: str, creator: MemberClient, room_id: str) -> None:
    """``#demo:localhost``, so that any client can open the room by a name one can type."""
    url = f"{homeserver}/_matrix/client/v3/directory/room/{quote(ALIAS, safe='')}"
    headers = {"Authorization": f"Bearer {creator.client.access_token}"}
    async with (
        aiohttp.ClientSession() as http,
        http.put(url, json={"room_id": room_id}, headers=headers) as response,
    ):
        if response.status != 200:
            raise RuntimeError(f"could not create {ALIAS}: {await response.text()}")


async def run_demo(script: bool, language: Language) -> int:
    """Ctrl-C or SIGTERM cancels the demo, so everything it started is stopped on the way out."""
    demo = asyncio.current_task()
    assert demo is not None
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, demo.cancel)
    with tempfile.TemporaryDirectory(prefix="compagnon-demo-") as directory:
        print(BANNER[language]["starting"], flush=True)
        try:
            async with demo_world(Path(directory), language) as world:
                if script:
                    await play_script(world, SCRIPT[language])
                else:
                    print(banner(world, language), flush=True)
                    await asyncio.Event().wait()
        except asyncio.CancelledError:
            print(BANNER[language]["stopped"], file=sys.stderr)
    return 0


async def play_script(world: DemoWorld, lines: Sequence[tuple[str, str]]) -> None:
    for name, text in lines:
        member = world.members[name]
        print(f"\n{name}> {text}")
        sent = await member.say(world.room_id, text)
        answer = await member.answer_to(sent)
        for line in answer.body.splitlines():
            print(f"  {BOT}| {line}")
    print()


def banner(world: DemoWorld, language: Language) -> str:
    words = BANNER[language]
    accounts = "\n".join(
        words["account"].format(user=world.synapse.user_id(name), password=password_of(name))
        for name in MEMBERS
    )
    return words["running"].format(
        homeserver=world.synapse.url, accounts=accounts, alias=world.alias, room_id=world.room_id
    )
