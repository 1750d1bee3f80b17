"""Messages for the weekly digest: its sections, in each language."""

from bot.i18n.types import Messages

MESSAGES: Messages = {
    "cmd.digest.summary": {
        "fr": "montre maintenant ce que dirait le bilan, depuis le dernier envoi prévu, sans rien enregistrer",
        "en": "shows now what the digest would say, since its last scheduled run, without recording anything",
    },
    # The word after !digest, in each language; both are understood whatever the language.
    "digest.verb.preview": {"fr": "aperçu", "en": "preview"},
    "digest.missing_verb": {
        "fr": "Que faire du bilan ? Pour le voir dès maintenant :",
        "en": "What to do with the digest? To see it now:",
    },
    "digest.unknown_verb": {
        "fr": "Je ne sais pas faire <code>{given}</code> avec le bilan.",
        "en": "I do not know how to <code>{given}</code> the digest.",
    },
    # --- the frame ----------------------------------------------------------------------------
    "digest.title": {
        "fr": "<h4>Bilan de la communauté, du {start} au {end}</h4>",
        "en": "<h4>Community digest, {start} to {end}</h4>",
    },
    "digest.title_day": {
        "fr": "<h4>Bilan de la communauté, {date}</h4>",
        "en": "<h4>Community digest, {date}</h4>",
    },
    "digest.late": {
        "fr": "<p><i>Ce bilan arrive en retard : il était prévu le {when}.</i></p>",
        "en": "<p><i>This digest is late: it was due on {when}.</i></p>",
    },
    "digest.quiet": {
        "fr": "<p>Période calme : rien de nouveau à signaler.</p>",
        "en": "<p>A quiet period: nothing new to report.</p>",
    },
    "digest.preview_note": {
        "fr": "<p><i>Aperçu : rien n'est enregistré. Le prochain bilan partira le {next}.</i></p>",
        "en": "<p><i>Preview: nothing is recorded. The next digest goes out on {next}.</i></p>",
    },
    "digest.section": {
        "fr": "<b>{title}</b>\n<ul>{items}</ul>",
        "en": "<b>{title}</b>\n<ul>{items}</ul>",
    },
    "digest.item": {"fr": "<li>{item}</li>", "en": "<li>{item}</li>"},
    "digest.more": {
        "fr": "<li><i>… et {count} de plus</i></li>",
        "en": "<li><i>… and {count} more</i></li>",
    },
    "digest.more_than": {
        "fr": "<li><i>… et plus de {count} autres</i></li>",
        "en": "<li><i>… and over {count} more</i></li>",
    },
    # --- sections, in reading order -------------------------------------------------------------
    "digest.newcomers.title": {"fr": "Bienvenue", "en": "Welcome"},
    "digest.offers.title": {"fr": "Nouvelles offres", "en": "New offers"},
    "digest.offer": {
        "fr": "{name} propose <b>{skill}</b> (niveau {level}) — {ref}",
        "en": "{name} offers <b>{skill}</b> (level {level}) — {ref}",
    },
    "digest.needs.title": {"fr": "Nouveaux besoins", "en": "New needs"},
    "digest.need": {
        "fr": "{name} cherche <b>{skill}</b> (niveau {level}) — {ref}",
        "en": "{name} wants to learn <b>{skill}</b> (level {level}) — {ref}",
    },
    "digest.waiting.title": {
        "fr": "Besoins qui attendent depuis le plus longtemps",
        "en": "Needs waiting longest",
    },
    "digest.waiting": {
        "fr": "{name}, <b>{skill}</b> (niveau {level}) — {ref}, depuis le {since}",
        "en": "{name}, <b>{skill}</b> (level {level}) — {ref}, since {since}",
    },
    "digest.waiting_helpers": {
        "fr": "{name}, <b>{skill}</b> (niveau {level}) — {ref}, depuis le {since} ; pourrait aider : {helpers}",
        "en": "{name}, <b>{skill}</b> (level {level}) — {ref}, since {since}; could help: {helpers}",
    },
    "digest.helper": {"fr": "{name} ({ref})", "en": "{name} ({ref})"},
    "digest.pairs.title": {"fr": "Binômes suggérés", "en": "Suggested pairs"},
    "digest.pair": {
        "fr": "{mentor} pourrait accompagner {mentee} en <b>{skill}</b> ({offer} → {need})",
        "en": "{mentor} could mentor {mentee} in <b>{skill}</b> ({offer} → {need})",
    },
    "digest.started.title": {"fr": "Nouveaux binômes", "en": "Matches started"},
    "digest.started": {
        "fr": "{mentee} avec {mentor} en <b>{skill}</b> — {ref}",
        "en": "{mentee} with {mentor} in <b>{skill}</b> — {ref}",
    },
    "digest.finished.title": {"fr": "Binômes terminés", "en": "Matches finished"},
    "digest.finished": {
        "fr": "{mentor} a accompagné {mentee} en <b>{skill}</b> — {ref}",
        "en": "{mentor} mentored {mentee} in <b>{skill}</b> — {ref}",
    },
    "digest.work.title": {
        "fr": "Travail pour le groupe : {hours} en {count} contribution(s)",
        "en": "Work for the group: {hours} in {count} contribution(s)",
    },
    "digest.domain": {
        "fr": "<b>{domain}</b> : {hours} en {count} contribution(s)",
        "en": "<b>{domain}</b>: {hours} in {count} contribution(s)",
    },
    "digest.domain_untimed": {
        "fr": "<b>{domain}</b> : {count} contribution(s)",
        "en": "<b>{domain}</b>: {count} contribution(s)",
    },
    "digest.no_domain": {"fr": "sans domaine", "en": "no domain"},
    "digest.thanks.title": {"fr": "Remerciements", "en": "Thanks given"},
    "digest.thanks": {
        "fr": "{by} remercie {name} : {what}",
        "en": "{by} thanks {name}: {what}",
    },
    "digest.thanks_timed": {
        "fr": "{by} remercie {name} : {what} ({hours})",
        "en": "{by} thanks {name}: {what} ({hours})",
    },
    "digest.closed_polls.title": {"fr": "Sondages clos", "en": "Polls closed"},
    "digest.poll_weighted": {
        "fr": "{ref} « {question} » → <b>{answer}</b> ({share} % du poids, {voters} votant·e(s))",
        "en": "{ref} “{question}” → <b>{answer}</b> ({share}% of the weight, {voters} voter(s))",
    },
    "digest.poll_equal": {
        "fr": "{ref} « {question} » → <b>{answer}</b> ({votes} voix sur {voters} votant·e(s))",
        "en": "{ref} “{question}” → <b>{answer}</b> ({votes} of {voters} voter(s))",
    },
    "digest.poll_no_votes": {
        "fr": "{ref} « {question} » : aucun vote",
        "en": "{ref} “{question}”: no votes",
    },
    "digest.open_polls.title": {"fr": "Sondages ouverts", "en": "Polls open"},
    "digest.open_poll": {
        "fr": "{ref} « {question} » — jusqu'au {deadline}",
        "en": "{ref} “{question}” — until {deadline}",
    },
    # The chart posted after the digest.
    "digest.chart_title": {
        "fr": "Heures confirmées par domaine, les {weeks} dernières semaines",
        "en": "Confirmed hours by domain, the last {weeks} weeks",
    },
    "digest.chart_hours": {"fr": "heures", "en": "hours"},
    "digest.chart_weeks": {
        "fr": "semaines, par leur premier jour",
        "en": "weeks, by their first day",
    },
    "digest.chart_total": {"fr": "{hours} h", "en": "{hours} h"},
    "digest.chart_alt": {
        "fr": "Graphique des heures confirmées par domaine, les {weeks} dernières semaines : {domains}.",
        "en": "Chart of the confirmed hours by domain, the last {weeks} weeks: {domains}.",
    },
    "digest.chart_alt_domain": {"fr": "{domain} {hours} h", "en": "{domain} {hours} h"},
}
