"""``!digest preview`` (``!bilan aperçu``): moderators see now what the digest would say.

The preview covers the period from the last scheduled run up to now and records nothing,
so the scheduled digest still goes out as usual. The word after ``!digest`` is understood in
both languages, whatever ``language`` is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.commands.dispatcher import Context
from bot.commands.router import Param, Router, UsageError
from bot.digest import preview
from bot.domain.skills import normalise
from bot.i18n import LANGUAGES, Catalogue, Text

router = Router()

Action = Literal["preview"]
_SPELLINGS: dict[str, Action] = {
    normalise(Catalogue(language).raw("digest.verb.preview")): "preview" for language in LANGUAGES
}


@dataclass(frozen=True)
class DigestAction(Param):
    """``preview`` (``aperçu``): the one thing moderators do with the digest by hand."""

    def convert(self, raw: str) -> Action:
        action = _SPELLINGS.get(normalise(raw))
        if action is None:
            raise UsageError("digest.unknown_verb", given=raw)
        return action

    def usage(self, t: Catalogue) -> str:
        return t.raw("digest.verb.preview")


@router.command(
    "digest",
    alias="bilan",
    params=(DigestAction("action"),),
    examples=("preview", "aperçu"),
    moderator_only=True,
)
async def show_preview(ctx: Context, action: Action) -> Text:
    return await preview(ctx.tx, ctx.config, ctx.clock.now())
