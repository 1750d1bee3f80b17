"""Messages for workshops: announcing, signing up, reminding, closing the loop."""

from bot.i18n.types import Messages

MESSAGES: Messages = {
    "cmd.workshop.summary": {
        "fr": "annonce un atelier : quand, quelle compétence, combien de places, où",
        "en": "announces a workshop: when, which skill, how many places, where",
    },
    "cmd.join.summary": {"fr": "s'inscrire à un atelier", "en": "signs up for a workshop"},
    "cmd.leave.summary": {
        "fr": "se désinscrire d'un atelier (la liste d'attente avance)",
        "en": "leaves a workshop (the waitlist moves up)",
    },
    "cmd.workshops.summary": {
        "fr": "les ateliers à venir dans ce salon, avec les places restantes",
        "en": "this room's upcoming workshops, with the places left",
    },
    "cmd.notify.summary": {
        "fr": "être prévenu·e (mentionné·e) des ateliers qui répondent à vos besoins",
        "en": "be pinged about workshops that meet your needs",
    },
    "param.workshop": {"fr": "atelier", "en": "workshop"},
    "param.workshop_ref": {"fr": "atelier", "en": "workshop"},
    "param.attendees": {
        "fr": "@présent·es… [: ce qu'on a fait]",
        "en": "@attendees… [: what we made]",
    },
    "param.notify_what": {"fr": "ateliers", "en": "workshops"},
    "param.when": {"fr": "quand", "en": "when"},
    "workshops.options": {
        "fr": "[--places N] [--lieu …] [--duree 2h] [: détails]",
        "en": "[--places N] [--where …] [--duration 2h] [: details]",
    },
    "workshops.verb.done": {"fr": "fait", "en": "done"},
    "workshops.verb.cancel": {"fr": "annuler", "en": "cancel"},
    "workshops.missing": {
        "fr": "Quand, et quelle compétence ? Par exemple <code>!atelier samedi 14h menuiserie --places 4</code>.",
        "en": "When, and which skill? For example <code>!workshop sat 2pm woodworking --places 4</code>.",
    },
    "workshops.when_unreadable": {
        "fr": "Je ne lis pas de date et d'heure dans <code>{given}</code> : écrivez par exemple « samedi 14h », « demain 18h30 » ou « 2026-12-05 14:00 ».",
        "en": "I cannot read a date and time in <code>{given}</code>: write for instance “sat 2pm”, “tomorrow 6:30pm” or “2026-12-05 14:00”.",
    },
    "workshops.when_no_time": {
        "fr": "À quelle heure ? Ajoutez-la après la date, par exemple « samedi 14h ».",
        "en": "At what time? Add it after the date, for instance “sat 2pm”.",
    },
    "workshops.when_past": {
        "fr": "Ce moment est déjà passé : un atelier s'annonce pour plus tard.",
        "en": "That moment has passed: a workshop is announced for later.",
    },
    "workshops.when_too_far": {
        "fr": "C'est dans plus d'un an : annoncez-le plus près de la date.",
        "en": "That is more than a year away: announce it nearer the time.",
    },
    "workshops.when_wrong_weekday": {
        "fr": "Ce jour de la semaine ne tombe pas à cette date : vérifiez <code>{given}</code>.",
        "en": "That weekday is not that date's: check <code>{given}</code>.",
    },
    "workshops.when_no_such_time": {
        "fr": "Cette heure n'existe pas ce jour-là (changement d'heure) : choisissez-en une autre.",
        "en": "That time does not exist on that day (the clocks change): choose another.",
    },
    "workshops.unknown_option": {
        "fr": "Je ne connais pas l'option <code>{given}</code> : --places, --lieu, --duree.",
        "en": "I do not know the option <code>{given}</code>: --places, --where, --duration.",
    },
    "workshops.option_needs_value": {
        "fr": "L'option <code>{option}</code> attend une valeur juste après elle.",
        "en": "The option <code>{option}</code> needs a value right after it.",
    },
    "workshops.missing_skill": {
        "fr": "Quelle compétence ? Écrivez-la après la date, par exemple « samedi 14h menuiserie ».",
        "en": "Which skill? Write it after the date, for instance “sat 2pm woodworking”.",
    },
    "workshops.bad_places": {
        "fr": "<code>{given}</code> places ? Écrivez un nombre de 1 à 999.",
        "en": "<code>{given}</code> places? Write a number from 1 to 999.",
    },
    "workshops.bad_length": {
        "fr": "Durée illisible ou trop longue : <code>{given}</code>. Écrivez par exemple 2h ou 1h30 (24 h au plus).",
        "en": "I cannot use the length <code>{given}</code>. Write for instance 2h or 1h30 (24 h at most).",
    },
    "workshops.details_too_long": {
        "fr": "Les détails sont trop longs ({limit} caractères au plus).",
        "en": "The details are too long ({limit} characters at most).",
    },
    "workshops.announced": {
        "fr": "Atelier {ref} annoncé ci-dessous. On s'inscrit en réagissant 🙋 à l'annonce, ou avec <code>{join}</code>.",
        "en": "Workshop {ref} is announced below. Sign up by reacting 🙋 to the announcement, or with <code>{join}</code>.",
    },
    "workshops.offer_recorded": {
        "fr": "Votre offre {ref} de {skill} est notée au passage (niveau 3 ; <code>!offre</code> la précise).",
        "en": "Your offer {ref} of {skill} is recorded on the way (level 3; <code>!offer</code> sets it).",
    },
    "workshops.card": {
        "fr": "<b>Atelier {ref}</b> : {skill}, avec {host} — {when}, {length}",
        "en": "<b>Workshop {ref}</b>: {skill}, with {host} — {when}, {length}",
    },
    "workshops.card_where": {"fr": "Lieu : {where}", "en": "Where: {where}"},
    "workshops.card_details": {"fr": "{details}", "en": "{details}"},
    "workshops.card_places": {
        "fr": "{places} place(s) ; au-delà, une liste d'attente.",
        "en": "{places} place(s); beyond them, a waitlist.",
    },
    "workshops.card_open": {"fr": "Places : sans limite.", "en": "Places: no limit."},
    "workshops.card_join": {
        "fr": "Réagissez 🙋 pour vous inscrire (retirez-la pour vous désinscrire).",
        "en": "React 🙋 to sign up (take it back to leave).",
    },
    "workshops.for_learners": {
        "fr": "Pour qui en a besoin, par exemple : {names}.",
        "en": "For those who need it, such as: {names}.",
    },
    "workshops.no_such": {
        "fr": "Je ne trouve pas d'atelier {ref}.",
        "en": "I find no workshop {ref}.",
    },
    "workshops.not_open": {
        "fr": "On ne s'inscrit plus à {ref} : il a commencé, est fini ou annulé.",
        "en": "{ref} takes no more sign-ups: it has begun, is done or was cancelled.",
    },
    "workshops.host_joins": {
        "fr": "Vous animez {ref} : votre place est réservée.",
        "en": "You host {ref}: your place is kept.",
    },
    "workshops.coming": {
        "fr": "Inscrit·e à {ref} ({skill}) : à bientôt !",
        "en": "You are signed up for {ref} ({skill}): see you there!",
    },
    "workshops.waiting": {
        "fr": "{ref} est complet : vous êtes n° {rank} sur la liste d'attente. Je vous préviens si une place se libère.",
        "en": "{ref} is full: you are number {rank} on the waitlist. I will tell you if a place opens.",
    },
    "workshops.not_signed_up": {
        "fr": "Vous n'êtes pas inscrit·e à {ref}.",
        "en": "You are not signed up for {ref}.",
    },
    "workshops.left": {
        "fr": "Désinscrit·e de {ref}.",
        "en": "You left {ref}.",
    },
    "workshops.promoted": {
        "fr": "Une place s'est libérée à {ref} : {names}, vous y êtes.",
        "en": "A place opened in {ref}: {names}, you are in.",
    },
    "workshops.not_host": {
        "fr": "Seule la personne qui anime {ref}, ou la modération, peut faire cela.",
        "en": "Only whoever hosts {ref}, or a moderator, can do that.",
    },
    "workshops.closed": {
        "fr": "{ref} est déjà fini ou annulé.",
        "en": "{ref} is already done or cancelled.",
    },
    "workshops.not_yet": {
        "fr": "{ref} n'a pas encore eu lieu.",
        "en": "{ref} has not taken place yet.",
    },
    "workshops.nobody_came": {
        "fr": "Personne n'était inscrit : nommez qui est venu, par exemple <code>!atelier fait w3 @bob @chloe</code>.",
        "en": "Nobody was signed up: name who came, for instance <code>!workshop done w3 @bob @chloe</code>.",
    },
    "workshops.contribution": {
        "fr": "Atelier {ref} : {skill}",
        "en": "Workshop {ref}: {skill}",
    },
    "workshops.done": {
        "fr": "{ref} est fait, merci ! Vos {hours} sont notées en {contribution}, confirmées par {witnesses} des {count} présent·es.",
        "en": "{ref} is done, thank you! Your {hours} are recorded as {contribution}, confirmed by {witnesses} of the {count} who came.",
    },
    "workshops.level_up": {
        "fr": "{name}, {skill} niveau {level} → {next} ? <code>{command}</code> le met à jour.",
        "en": "{name}, {skill} level {level} → {next}? <code>{command}</code> updates it.",
    },
    "workshops.cancelled": {
        "fr": "L'atelier {ref} ({skill}) est annulé : {reason}.",
        "en": "Workshop {ref} ({skill}) is cancelled: {reason}.",
    },
    "workshops.no_reason": {"fr": "sans raison donnée", "en": "no reason given"},
    "workshops.list_title": {"fr": "<b>Ateliers à venir</b>", "en": "<b>Upcoming workshops</b>"},
    "workshops.list_line": {
        "fr": "<b>{ref}</b> {skill} — {when} — {places}",
        "en": "<b>{ref}</b> {skill} — {when} — {places}",
    },
    "workshops.places_left": {
        "fr": "{left} place(s) libre(s), {waiting} en attente",
        "en": "{left} place(s) left, {waiting} waiting",
    },
    "workshops.places_open": {
        "fr": "{coming} inscrit·e(s), sans limite",
        "en": "{coming} signed up, no limit",
    },
    "workshops.none": {
        "fr": "Aucun atelier à venir dans ce salon.",
        "en": "No upcoming workshop in this room.",
    },
    "workshops.notify_what": {
        "fr": "Écrivez <code>!prevenir ateliers oui</code> ou <code>!prevenir ateliers non</code>.",
        "en": "Write <code>!notify workshops on</code> or <code>!notify workshops off</code>.",
    },
    "workshops.pings_on": {
        "fr": "C'est noté : je vous mentionnerai quand un atelier répond à l'un de vos besoins.",
        "en": "Done: I will ping you when a workshop meets one of your needs.",
    },
    "workshops.pings_off": {
        "fr": "C'est noté : je ne vous mentionnerai plus pour les ateliers (votre nom reste cité).",
        "en": "Done: no more workshop pings (your name is still shown).",
    },
    "digest.workshops_held.title": {
        "fr": "Ateliers de la semaine",
        "en": "This week's workshops",
    },
    "digest.workshops_coming.title": {
        "fr": "Ateliers à venir",
        "en": "Coming workshops",
    },
    "digest.workshop": {
        "fr": "{ref} {skill} avec {host}, {when} ({count} participant·e(s))",
        "en": "{ref} {skill} with {host}, {when} ({count} taking part)",
    },
    "waiting.me_workshop": {
        "fr": "• prochain atelier : <b>{ref}</b> {skill}, {when} ; empêché·e ? <code>{leave}</code>",
        "en": "• next workshop: <b>{ref}</b> {skill}, {when}; cannot come? <code>{leave}</code>",
    },
    "waiting.me_workshop_held": {
        "fr": "• l'atelier <b>{ref}</b> a eu lieu : <code>{done}</code> note vos heures et qui est venu",
        "en": "• workshop <b>{ref}</b> took place: <code>{done}</code> records your hours and who came",
    },
    "workshops.reminder": {
        "fr": "Rappel : {names}, l'atelier {ref} ({skill}) a lieu {when} — {where}.",
        "en": "Reminder: {names}, workshop {ref} ({skill}) takes place on {when} — {where}.",
    },
    # The calendar (``!workshops ics``, ``compagnon export --format ics``): its events are
    # plain text, rendered from these templates' plain form.
    "workshops.verb.ics": {"fr": "ics", "en": "ics"},
    "workshops.ics_name": {"fr": "Ateliers", "en": "Workshops"},
    "workshops.ics_summary": {"fr": "Atelier : {skill}", "en": "Workshop: {skill}"},
    "workshops.ics_host": {"fr": "Animé par {host}", "en": "Hosted by {host}"},
    "workshops.ics_places": {"fr": "{places} place(s)", "en": "{places} place(s)"},
    "workshops.ics_open": {"fr": "Places : sans limite", "en": "Places: no limit"},
    "workshops.ics_ref": {
        "fr": "Atelier {ref} : inscriptions dans le salon de la communauté",
        "en": "Workshop {ref}: sign up in the community's room",
    },
    "workshops.ics_sending": {
        "fr": "Je vous envoie le calendrier en message privé, {name} : le fichier <code>{filename}</code>.",
        "en": "I am sending you the calendar privately, {name}: the file <code>{filename}</code>.",
    },
    "workshops.ics_notice": {
        "fr": "Les ateliers à venir du salon, au format iCalendar : ouvrez le fichier pour les ajouter à votre agenda.",
        "en": "The room's upcoming workshops, as iCalendar: open the file to add them to your calendar.",
    },
    "workshops.ics_failed": {
        "fr": "Je n'ai pas pu vous envoyer le calendrier en message privé (réf. {ref}). Réessayez plus tard ; si cela persiste, les modérateur·ices trouveront pourquoi dans mon journal.",
        "en": "I could not send you the calendar privately (ref {ref}). Try again later; if it keeps failing, the moderators will find why in my log.",
    },
}
