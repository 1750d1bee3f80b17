"""Messages of the foundation: help, status and the errors every command can meet."""

from bot.i18n.types import Messages

MESSAGES: Messages = {
    "help.title": {
        "fr": "<b>Ce que je sais faire</b> — apprendre ensemble, une commande à la fois :",
        "en": "<b>What I can do</b> — learning together, one command at a time:",
    },
    "help.line": {
        "fr": "<code>{usage}</code> — {summary}",
        "en": "<code>{usage}</code> — {summary}",
    },
    "help.footer": {
        "fr": "Détails et exemples : <code>{usage}</code>",
        "en": "Details and examples: <code>{usage}</code>",
    },
    "help.detail": {
        "fr": "<code>{usage}</code><br>{summary}",
        "en": "<code>{usage}</code><br>{summary}",
    },
    "help.examples": {
        "fr": "Exemples : {examples}",
        "en": "Examples: {examples}",
    },
    "help.moderators_only": {
        "fr": "(réservé aux modérateur·ices)",
        "en": "(moderators only)",
    },
    "help.unknown": {
        "fr": "Je ne connais pas de commande <code>{given}</code>.",
        "en": "I know no command named <code>{given}</code>.",
    },
    "status.report": {
        "fr": "<b>Compagnon {version}</b><br>En service depuis {uptime} · {rooms} salon(s) servi(s) · schéma de base v{schema} · {handled} commande(s) traitée(s) ces dernières 24 h",
        "en": "<b>Compagnon {version}</b><br>Up for {uptime} · serving {rooms} room(s) · database schema v{schema} · {handled} command(s) answered in the last 24 h",
    },
    "cmd.help.summary": {
        "fr": "liste les commandes, ou montre l'usage et des exemples d'une commande",
        "en": "lists the commands, or shows one command's usage and examples",
    },
    "cmd.status.summary": {
        "fr": "montre que le bot est en vie et ce qu'il sert",
        "en": "shows that the bot is alive and what it serves",
    },
    "param.command": {
        "fr": "commande",
        "en": "command",
    },
    "error.unknown_command": {
        "fr": "<code>{given}</code> n'est pas une commande que je connais.",
        "en": "<code>{given}</code> is not a command I know.",
    },
    "error.did_you_mean": {
        "fr": "Vouliez-vous dire <code>{suggestion}</code> ?",
        "en": "Did you mean <code>{suggestion}</code>?",
    },
    "error.see_help": {
        "fr": "Tapez <code>{help}</code> pour la liste des commandes.",
        "en": "Type <code>{help}</code> for the list of commands.",
    },
    "error.bad_arguments": {
        "fr": "{reason}<br>Usage : <code>{usage}</code><br>Exemple : <code>{example}</code>",
        "en": "{reason}<br>Usage: <code>{usage}</code><br>Example: <code>{example}</code>",
    },
    "error.missing_argument": {
        "fr": "Il manque : <i>{name}</i>.",
        "en": "Missing: <i>{name}</i>.",
    },
    "param.on_off": {"fr": "oui|non", "en": "on|off"},
    "error.on_off": {
        "fr": "Oui ou non ? Je n'ai pas compris <code>{given}</code>.",
        "en": "On or off? I did not understand <code>{given}</code>.",
    },
    "error.extra_text": {
        "fr": "Je n'ai pas compris <code>{extra}</code> à la fin.",
        "en": "I did not understand <code>{extra}</code> at the end.",
    },
    "error.unclosed_quote": {
        "fr": "Un guillemet est ouvert mais jamais fermé.",
        "en": "A quote is opened but never closed.",
    },
    "error.denied_moderators": {
        "fr": "Seul·es les modérateur·ices peuvent utiliser <code>{command}</code>.",
        "en": "Only moderators can use <code>{command}</code>.",
    },
    "rooms.leaving": {
        "fr": "Je quitte ce salon : ma configuration ne le nomme plus, et qui m'y a invité ne peut plus m'inviter. Les modérateur·ices de la communauté peuvent m'y ramener.",
        "en": "I am leaving this room: my configuration no longer names it, and whoever invited me here may no longer invite me. The community's moderators can bring me back.",
    },
    "error.edit_not_run": {
        "fr": "Je ne rejoue pas une commande modifiée : sa première version a déjà été faite. Pour changer ce qu'elle a fait, envoyez une nouvelle commande.",
        "en": "I do not run an edited command again: its first version was already done. To change what it did, send a new command.",
    },
    "error.unsaved": {
        "fr": "Je n'ai rien pu enregistrer (mon stockage refuse d'écrire) : rien n'a été enregistré. Réessayez dans un moment.",
        "en": "I could not write anything down (my storage refuses writes): nothing was saved. Try again in a moment.",
    },
    "error.internal": {
        "fr": "Quelque chose s'est mal passé de mon côté (réf. {ref}). Les modérateur·ices peuvent la retrouver dans mon journal.",
        "en": "Something went wrong on my side (ref {ref}). The moderators can find it in my log.",
    },
    "error.too_long": {
        "fr": "Ce message est trop long pour une commande ({length} caractères ; la limite est {limit}). Raccourcissez-le et renvoyez-le.",
        "en": "That message is too long for a command ({length} characters; the limit is {limit}). Shorten it and send it again.",
    },
    "error.throttled": {
        "fr": "Vous envoyez des commandes plus vite que je ne peux les traiter, {name}. Je vous répondrai de nouveau dans {seconds} s environ.",
        "en": "You are sending commands faster than I can take them, {name}. I will answer you again in about {seconds} s.",
    },
    # --- dates, in the community's time zone ------------------------------------------------
    "date.months": {
        "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "en": "January February March April May June July August September October November December",
    },
    "date.weekdays": {
        "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
        "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    },
    "date.first_day": {"fr": "1er", "en": "1"},
    "date.day": {"fr": "{day} {month}", "en": "{day} {month}"},
    "date.day_year": {"fr": "{day} {month} {year}", "en": "{day} {month} {year}"},
    "date.moment": {
        "fr": "{weekday} {day} à {time} ({zone})",
        "en": "{weekday} {day} at {time} ({zone})",
    },
    # A number and its noun, "singular|plural", with {n} the number (Catalogue.count).
    "date.days": {"fr": "{n} jour|{n} jours", "en": "{n} day|{n} days"},
    "date.hours": {"fr": "{n} h|{n} h", "en": "{n} h|{n} h"},
    "date.minutes": {"fr": "{n} min|{n} min", "en": "{n} min|{n} min"},
    "date.seconds": {"fr": "{n} s|{n} s", "en": "{n} s|{n} s"},
    "date.just_now": {"fr": "à l'instant", "en": "just now"},
    "date.ago": {"fr": "il y a {span}", "en": "{span} ago"},
}
