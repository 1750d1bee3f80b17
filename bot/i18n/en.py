"""English messages. Keys and placeholders mirror fr.py (a test checks it)."""

MESSAGES: dict[str, str] = {
    # help
    "help.title": "<b>What I can do</b> — learning together, one command at a time:",
    "help.line": "<code>{usage}</code> — {summary}",
    "help.footer": "Details and examples: <code>{usage}</code>",
    "help.detail": "<code>{usage}</code><br>{summary}",
    "help.examples": "Examples: {examples}",
    "help.moderators_only": "(moderators only)",
    "help.unknown": "I know no command named <code>{given}</code>.",
    # status
    "status.report": (
        "<b>Compagnon {version}</b><br>Up for {uptime} · serving {rooms} room(s) · "
        "database schema v{schema} · {handled} command(s) answered in the last 24 h"
    ),
    # command summaries
    "cmd.help.summary": "lists the commands, or shows one command's usage and examples",
    "cmd.status.summary": "shows that the bot is alive and what it serves",
    # parameter names, as shown in usage lines
    "param.command": "command",
    # errors
    "error.unknown_command": "<code>{given}</code> is not a command I know.",
    "error.did_you_mean": "Did you mean <code>{suggestion}</code>?",
    "error.see_help": "Type <code>{help}</code> for the list of commands.",
    "error.bad_arguments": "{reason}<br>Usage: <code>{usage}</code><br>Example: <code>{example}</code>",
    "error.missing_argument": "Missing: <i>{name}</i>.",
    "error.extra_text": "I did not understand <code>{extra}</code> at the end.",
    "error.unclosed_quote": "A quote is opened but never closed.",
    "error.denied_moderators": "Only moderators can use <code>{command}</code>.",
    "error.internal": "Something went wrong on my side (ref {ref}). The moderators can find it in my log.",
    "error.too_long": (
        "That message is too long for a command ({length} characters; the limit is {limit}). "
        "Shorten it and send it again."
    ),
    "error.throttled": (
        "You are sending commands faster than I can take them, {name}. "
        "I will answer you again in about {seconds} s."
    ),
}
