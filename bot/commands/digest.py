"""``!digest preview`` (``!bilan aperçu``): moderators see now what the digest would say.

The preview covers the period from the last scheduled run up to now and records nothing,
so the scheduled digest still goes out as usual. The word after ``!digest`` is understood in
both languages, whatever ``language`` is.
"""

from __future__ import annotations

from bot.commands.dispatcher import Context
from bot.commands.router import Examples, Router, Unexpected, UsageError
from bot.digest import preview
from bot.i18n import Text

router = Router()


@router.command(
    "digest",
    alias="bilan",
    params=(Unexpected("action"),),
    moderator_only=True,
    own_form=False,
)
async def digest(ctx: Context, action: str | None) -> Text:
    """Only ``preview`` does something: anything else is a word the bot does not know."""
    if action is None:
        raise UsageError("digest.missing_verb")
    raise UsageError("digest.unknown_verb", given=action)


@router.subcommand(
    "digest", "preview", label="digest.verb.preview", examples=Examples(fr=("",), en=("",))
)
async def show_preview(ctx: Context) -> Text:
    return await preview(ctx.tx, ctx.config, ctx.clock.now())
