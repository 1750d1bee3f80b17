"""Messages for a member's own data: the profile, the copy sent privately, forgetting."""

from bot.i18n.types import Messages

MESSAGES: Messages = {
    "cmd.profile.summary": {
        "fr": "les offres, besoins, contributions, heures et poids de vote d'un membre (les miens par défaut)",
        "en": "a member's offers, needs, contributions, hours and vote weight (mine by default)",
    },
    "cmd.mydata.summary": {
        "fr": "m'envoie en message privé tout ce que le bot garde à mon sujet (un fichier JSON)",
        "en": "sends me, in a direct message, everything the bot keeps about me (a JSON file)",
    },
    "cmd.forget.summary": {
        "fr": "efface mes données personnelles, après confirmation",
        "en": "erases my personal data, after a confirmation",
    },
    "personal.word_me": {"fr": "moi", "en": "me"},
    "personal.word_confirm": {"fr": "confirmer", "en": "confirm"},
    "personal.profile_title": {
        "fr": "<b>Profil : {name}</b>",
        "en": "<b>Profile: {name}</b>",
    },
    "personal.offers": {
        "fr": "<b>Offres</b> : {items}",
        "en": "<b>Offers</b>: {items}",
    },
    "personal.needs": {
        "fr": "<b>Besoins</b> : {items}",
        "en": "<b>Needs</b>: {items}",
    },
    "personal.listing": {
        "fr": "<code>{ref}</code> {skill}, niveau {level} ({level_name})",
        "en": "<code>{ref}</code> {skill}, level {level} ({level_name})",
    },
    "personal.contributions": {
        "fr": "<b>Contributions</b> : {count} (confirmées : {confirmed} · en attente : {pending})",
        "en": "<b>Contributions</b>: {count} (confirmed: {confirmed} · pending: {pending})",
    },
    "personal.contribution": {
        "fr": "• <code>{ref}</code> · {summary} · {status}",
        "en": "• <code>{ref}</code> · {summary} · {status}",
    },
    "personal.confirmed": {"fr": "confirmée", "en": "confirmed"},
    "personal.pending": {"fr": "en attente de confirmation", "en": "awaiting confirmation"},
    "personal.voided": {"fr": "invalidée ({reason})", "en": "voided ({reason})"},
    "personal.more": {
        "fr": "… et {count} de plus",
        "en": "… and {count} more",
    },
    "personal.workshops": {
        "fr": "<b>Ateliers</b> animés : {hosted} ; suivis : {attended}",
        "en": "<b>Workshops</b> hosted: {hosted}; attended: {attended}",
    },
    "personal.workshop": {"fr": "{ref} {skill} ({day})", "en": "{ref} {skill} ({day})"},
    "personal.matches": {
        "fr": "<b>Binômes</b> : {items} ({done} terminé(s))",
        "en": "<b>Matches</b>: {items} ({done} finished)",
    },
    "personal.match": {
        "fr": "<code>{ref}</code> {skill}, {role}, {state}",
        "en": "<code>{ref}</code> {skill}, {role}, {state}",
    },
    "personal.as_mentor": {"fr": "en transmission", "en": "as mentor"},
    "personal.as_mentee": {"fr": "en apprentissage", "en": "as mentee"},
    "personal.match_asked": {"fr": "demandé", "en": "asked"},
    "personal.match_accepted": {"fr": "en cours", "en": "under way"},
    "personal.hours": {
        "fr": "<b>Heures par domaine</b> : {domains}",
        "en": "<b>Hours by domain</b>: {domains}",
    },
    "personal.domain_hours": {
        "fr": "{domain} {hours}",
        "en": "{domain} {hours}",
    },
    "personal.pending_hours": {
        "fr": "(+ {hours} en attente)",
        "en": "(+ {hours} pending)",
    },
    "personal.no_domain": {"fr": "hors domaine", "en": "no domain"},
    "personal.vote_weight": {
        "fr": "<b>Poids de vote</b> : {weight} (<code>{command}</code> l'explique)",
        "en": "<b>Vote weight</b>: {weight} (<code>{command}</code> explains it)",
    },
    "personal.profile_empty_self": {
        "fr": "Rien à votre nom pour l'instant, {name}. Pour commencer : <code>{offer}</code> ce que vous pouvez transmettre, <code>{need}</code> ce que vous voulez apprendre, <code>{contribute}</code> ce que vous avez fait pour le groupe.",
        "en": "Nothing under your name yet, {name}. To begin: <code>{offer}</code> what you can teach, <code>{need}</code> what you want to learn, <code>{contribute}</code> what you did for the group.",
    },
    "personal.profile_empty_other": {
        "fr": "{name} n'a encore rien inscrit : ni offre, ni besoin, ni contribution.",
        "en": "{name} has nothing recorded yet: no offer, no need, no contribution.",
    },
    "personal.mydata_sending": {
        "fr": "Je vous envoie en message privé tout ce que je garde à votre sujet, {name} : le fichier <code>{filename}</code>.",
        "en": "I am sending you everything I keep about you in a direct message, {name}: the file <code>{filename}</code>.",
    },
    "personal.mydata_notice": {
        "fr": "Voici tout ce que Compagnon garde à votre sujet, au format JSON. Pour tout effacer, tapez {forget} dans un salon de la communauté.",
        "en": "Here is everything Compagnon keeps about you, as JSON. To erase it, type {forget} in a community room.",
    },
    "personal.mydata_failed": {
        "fr": "Je n'ai pas pu vous envoyer le fichier en message privé (réf. {ref}). Réessayez plus tard ; si cela persiste, les modérateur·ices trouveront pourquoi dans mon journal.",
        "en": "I could not send you the file in a direct message (ref {ref}). Try again later; if it keeps failing, the moderators will find why in my log.",
    },
    "personal.forget_whom": {
        "fr": "Je n'oublie que la personne qui le demande : écrivez <i>moi</i> après la commande.",
        "en": "I only forget whoever asks: write <i>me</i> after the command.",
    },
    "personal.forget_preview": {
        "fr": "Voici ce que j'effacerais, {name}, si vous confirmez :",
        "en": "Here is what I would erase, {name}, if you confirm:",
    },
    "personal.will_keep": {
        "fr": "Resterait, sans votre nom, parce que d'autres s'y appuient :",
        "en": "Would stay, without your name, because others rely on it:",
    },
    "personal.forget_how": {
        "fr": "Pour confirmer, tapez <code>{command}</code> dans les {minutes} minutes ; sans cela, rien n'est effacé. Pour garder une copie avant : <code>{mydata}</code>.",
        "en": "To confirm, type <code>{command}</code> within {minutes} minutes; otherwise nothing is erased. To keep a copy first: <code>{mydata}</code>.",
    },
    "personal.forgotten": {
        "fr": "C'est fait, {name} : je vous ai oublié·e. Effacé :",
        "en": "Done, {name}: I have forgotten you. Erased:",
    },
    "personal.kept": {
        "fr": "Reste, sans votre nom :",
        "en": "Stays, without your name:",
    },
    "personal.fresh_start": {
        "fr": "Si vous utilisez de nouveau une commande, vous repartez de zéro.",
        "en": "If you use a command again, you start afresh.",
    },
    "personal.item_member": {
        "fr": "• votre fiche de membre (nom affiché, date d'arrivée)",
        "en": "• your member record (display name, first seen)",
    },
    "personal.item_listings": {
        "fr": "• offres et besoins, retirés compris : {count}",
        "en": "• offers and needs, withdrawn ones included: {count}",
    },
    "personal.item_contributions": {
        "fr": "• contributions à votre nom, avec leurs confirmations : {count}",
        "en": "• contributions in your name, with their confirmations: {count}",
    },
    "personal.item_direct_room": {
        "fr": "• notre salon privé : j'efface ce que je vous y ai envoyé, fichiers compris, et je le quitte",
        "en": "• our direct room: I redact what I sent you there, files included, and leave it",
    },
    "personal.item_disputes": {
        "fr": "• contestations que vous avez soulevées, avec leurs raisons : {count}",
        "en": "• disputes you raised, with their reasons: {count}",
    },
    "personal.item_workshops_hosted": {
        "fr": "• ateliers que vous avez animés : {count} (ils restent pour qui est venu, sans votre nom)",
        "en": "• workshops you hosted: {count} (they stay for those who came, without your name)",
    },
    "personal.item_workshop_signups": {
        "fr": "• vos inscriptions et présences aux ateliers : {count}",
        "en": "• your workshop sign-ups and attendances: {count}",
    },
    "personal.item_objections": {
        "fr": "• objections que vous avez soulevées, avec leurs raisons : {count}",
        "en": "• objections you raised, with their reasons: {count}",
    },
    "personal.item_reviews": {
        "fr": "• relectures qu'on vous a demandées au hasard : {count}",
        "en": "• reviews you were asked for at random: {count}",
    },
    "personal.item_recorded": {
        "fr": "• contributions que vous avez notées pour d'autres : {count} (elles restent à leur nom)",
        "en": "• contributions you recorded for others: {count} (they stay in their name)",
    },
    "personal.item_confirmations": {
        "fr": "• vos confirmations des contributions des autres : {count} (sans votre nom, elles ne comptent plus : un autre témoin pourra confirmer)",
        "en": "• your confirmations of others' contributions: {count} (without your name they no longer count: another witness may confirm)",
    },
    "personal.item_matches": {
        "fr": "• binômes dont vous faisiez partie : {count} (l'autre personne en garde la trace)",
        "en": "• mentorship matches you were part of: {count} (the other person keeps their record)",
    },
    "personal.item_polls_voted": {
        "fr": "• sondages clos où vous avez voté : {count} (vos votes restent comptés, anonymement)",
        "en": "• closed polls you voted in: {count} (your votes stay counted, anonymously)",
    },
    "personal.item_open_votes": {
        "fr": "• vos votes dans les sondages encore ouverts : {count} (retirés ; vous pourrez voter à nouveau)",
        "en": "• your votes in polls still open: {count} (taken back; you may vote again)",
    },
    "personal.item_polls_opened": {
        "fr": "• sondages que vous avez ouverts : {count} (ils restent au salon, sans leur auteur·ice)",
        "en": "• polls you opened: {count} (they stay with the room, without their creator)",
    },
    "personal.forget_nothing_to_confirm": {
        "fr": "Il n'y a rien à confirmer : tapez d'abord <code>{command}</code> pour voir ce qui serait effacé.",
        "en": "There is nothing to confirm: first type <code>{command}</code> to see what would be erased.",
    },
    "personal.forget_expired": {
        "fr": "Votre demande a expiré (elle vaut {minutes} minutes) ; rien n'a été effacé. Pour recommencer : <code>{command}</code>.",
        "en": "Your request has expired (it holds for {minutes} minutes); nothing was erased. To start again: <code>{command}</code>.",
    },
}
