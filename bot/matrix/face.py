"""The bot's name and picture, as members see them in their room lists: set at start-up
when they differ from the configured name and the picture shipped in the package.

Whether the account's picture is ours is told from a note in ``store_path`` (the picture's
digest and the address it was uploaded to): reading the picture back would need the
authenticated media API, which matrix-nio does not speak.
"""

from __future__ import annotations

import hashlib
import json
import logging
from importlib.resources import files
from pathlib import Path

from nio import AsyncClient, ProfileGetResponse, UploadResponse

from bot.files import write_private

log = logging.getLogger(__name__)

AVATAR = files("bot") / "assets" / "avatar.png"


async def show_face(client: AsyncClient, display_name: str, store_path: Path) -> None:
    """Best effort: a homeserver that refuses profile changes leaves a warning, not a
    bot that cannot start."""
    try:
        await _show_face(client, display_name, store_path)
    except Exception:
        log.warning("could not set the bot's name and picture", exc_info=True)


async def _show_face(client: AsyncClient, display_name: str, store_path: Path) -> None:
    profile = await client.get_profile(client.user_id)
    if not isinstance(profile, ProfileGetResponse):
        log.warning("could not read the bot's profile: %s", profile)
        return
    if profile.displayname != display_name:
        answer = await client.set_displayname(display_name)
        log.info("display name set to %r: %s", display_name, answer)
    picture = AVATAR.read_bytes()
    digest = hashlib.sha256(picture).hexdigest()
    note = store_path / "avatar.json"
    try:
        kept = json.loads(note.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    if profile.avatar_url is not None and kept == {"sha256": digest, "url": profile.avatar_url}:
        return
    uploaded, _ = await client.upload(
        lambda *_: picture,
        content_type="image/png",
        filename="compagnon.png",
        filesize=len(picture),
    )
    if not isinstance(uploaded, UploadResponse):
        log.warning("could not upload the bot's picture: %s", uploaded)
        return
    await client.set_avatar(uploaded.content_uri)
    write_private(note, json.dumps({"sha256": digest, "url": uploaded.content_uri}))
    log.info("picture set to %s", uploaded.content_uri)
