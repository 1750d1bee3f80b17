"""Commands for the people who look after the bot."""

from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version

from bot.commands.dispatcher import Context
from bot.commands.router import Router
from bot.i18n import Text
from bot.store import events
from bot.store.database import schema_version

router = Router()


def _version() -> str:
    try:
        return version("compagnon")
    except PackageNotFoundError:
        return "(source)"


@router.command("status", alias="etat", moderator_only=True)
async def show_status(ctx: Context) -> Text:
    now = ctx.clock.now()
    return ctx.t(
        "status.report",
        version=_version(),
        uptime=ctx.t.span(now - ctx.started_at),
        rooms=await events.count_rooms(ctx.tx),
        schema=await schema_version(ctx.tx),
        handled=await events.count_handled_since(ctx.tx, now - timedelta(hours=24)),
    )
