"""``!help``: the command list and each command's usage, built from the declarations."""

from bot.commands.dispatcher import Context
from bot.commands.router import Examples, NotFound, Router, Word
from bot.i18n import Text

router = Router()


@router.command(
    "help",
    alias="aide",
    params=(Word("command", optional=True),),
    examples=Examples(fr=("", "offre"), en=("", "offer")),
)
async def show_help(ctx: Context, command: str | None) -> Text:
    t, prefix = ctx.t, ctx.prefix
    if command is None:
        lines = [t("help.title")]
        for each in ctx.commands.commands:
            line = t("help.line", usage=each.usage(t, prefix), summary=each.summary(t))
            if each.moderator_only:
                line = Text.join([line, t("help.moderators_only")], " ")
            lines.append(line)
        help_usage = ctx.commands.find("help")
        if help_usage is not None:
            lines.append(t("help.footer", usage=help_usage.usage(t, prefix)))
        return Text.join(lines)
    found = ctx.commands.find(command.removeprefix(prefix))
    if found is None:
        raise NotFound("help.unknown", given=command)
    lines = [t("help.detail", usage=found.usage(t, prefix), summary=found.summary(t))]
    if found.moderator_only:
        lines.append(t("help.moderators_only"))
    examples = Text.join([Text.escaped(line) for line in found.example_lines(t, prefix)], " · ")
    lines.append(t("help.examples", examples=examples))
    return Text.join(lines)
