"""Messages en français, la langue première de la communauté."""

MESSAGES: dict[str, str] = {
    # aide
    "help.title": "<b>Ce que je sais faire</b> — apprendre ensemble, une commande à la fois :",
    "help.line": "<code>{usage}</code> — {summary}",
    "help.footer": "Détails et exemples : <code>{usage}</code>",
    "help.detail": "<code>{usage}</code><br>{summary}",
    "help.examples": "Exemples : {examples}",
    "help.moderators_only": "(réservé aux modérateur·ices)",
    "help.unknown": "Je ne connais pas de commande <code>{given}</code>.",
    # état
    "status.report": (
        "<b>Compagnon {version}</b><br>En service depuis {uptime} · {rooms} salon(s) servi(s) · "
        "schéma de base v{schema} · {handled} commande(s) traitée(s) ces dernières 24 h"
    ),
    # résumés des commandes
    "cmd.help.summary": "liste les commandes, ou montre l'usage et des exemples d'une commande",
    "cmd.status.summary": "montre que le bot est en vie et ce qu'il sert",
    # noms des paramètres, tels qu'affichés dans l'usage
    "param.command": "commande",
    # erreurs
    "error.unknown_command": "<code>{given}</code> n'est pas une commande que je connais.",
    "error.did_you_mean": "Vouliez-vous dire <code>{suggestion}</code> ?",
    "error.see_help": "Tapez <code>{help}</code> pour la liste des commandes.",
    "error.bad_arguments": "{reason}<br>Usage : <code>{usage}</code><br>Exemple : <code>{example}</code>",
    "error.missing_argument": "Il manque : <i>{name}</i>.",
    "error.extra_text": "Je n'ai pas compris <code>{extra}</code> à la fin.",
    "error.unclosed_quote": "Un guillemet est ouvert mais jamais fermé.",
    "error.denied_moderators": "Seul·es les modérateur·ices peuvent utiliser <code>{command}</code>.",
    "error.internal": (
        "Quelque chose s'est mal passé de mon côté (réf. {ref}). "
        "Les modérateur·ices peuvent la retrouver dans mon journal."
    ),
    "error.too_long": (
        "Ce message est trop long pour une commande ({length} caractères ; la limite est {limit}). "
        "Raccourcissez-le et renvoyez-le."
    ),
    "error.throttled": (
        "Vous envoyez des commandes plus vite que je ne peux les traiter, {name}. "
        "Je vous répondrai de nouveau dans {seconds} s environ."
    ),
}
