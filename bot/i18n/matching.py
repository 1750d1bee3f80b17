"""Messages for mentorship matches: suggestions with their reasons, and a match's life."""

from bot.i18n.types import Messages

MESSAGES: Messages = {
    "cmd.match.summary": {
        "fr": "mes meilleurs mentors pour chaque besoin et mentoré·es pour chaque offre, avec pourquoi ; puis demander, accepter, refuser, finir un binôme",
        "en": "my best mentors for each of my needs and mentees for each of my offers, with why; then ask, accept, decline, finish a match",
    },
    "param.action": {"fr": "action", "en": "action"},
    "param.feedback": {"fr": "retour", "en": "feedback"},
    # The words after !match, in each language; both are understood whatever the language.
    "matching.verb.ask": {"fr": "demander", "en": "ask"},
    "matching.verb.accept": {"fr": "accepter", "en": "accept"},
    "matching.verb.decline": {"fr": "refuser", "en": "decline"},
    "matching.verb.done": {"fr": "fini", "en": "done"},
    "matching.verb.cancel": {"fr": "annuler", "en": "cancel"},
    "matching.flag.close": {"fr": "--clore", "en": "--close"},
    "matching.state.asked": {"fr": "demandé", "en": "asked"},
    "matching.state.accepted": {"fr": "accepté", "en": "accepted"},
    "matching.state.declined": {"fr": "refusé", "en": "declined"},
    "matching.state.done": {"fr": "terminé", "en": "done"},
    "matching.state.cancelled": {"fr": "annulé", "en": "cancelled"},
    "matching.someone": {"fr": "(membre parti·e)", "en": "(a former member)"},
    # --- parsing ------------------------------------------------------------------------
    "matching.unknown_verb": {
        "fr": "Je ne sais pas faire <code>{given}</code> avec un binôme.",
        "en": "I do not know how to <code>{given}</code> a match.",
    },
    "matching.feedback_too_long": {
        "fr": "Ce retour est trop long ({limit} caractères au plus).",
        "en": "That feedback is too long (at most {limit} characters).",
    },
    # --- suggestions ----------------------------------------------------------------------
    "matching.nothing_listed": {
        "fr": "Vous n'avez encore ni offre ni besoin ouverts : notez-en avec <code>{offer}</code> ou <code>{need}</code>, et je vous proposerai des binômes.",
        "en": "You have no open offer or need yet: record one with <code>{offer}</code> or <code>{need}</code>, and I will suggest matches.",
    },
    "matching.your_need": {
        "fr": "<b>Votre besoin {ref}</b> ({skill}, niveau {level}) :",
        "en": "<b>Your need {ref}</b> ({skill}, level {level}):",
    },
    "matching.your_offer": {
        "fr": "<b>Votre offre {ref}</b> ({skill}, niveau {level} ; places libres : {left} sur {capacity}) :",
        "en": "<b>Your offer {ref}</b> ({skill}, level {level}; places left: {left} of {capacity}):",
    },
    "matching.mentor_line": {
        "fr": "• {why} → <code>{command}</code>",
        "en": "• {why} → <code>{command}</code>",
    },
    "matching.mentee_line": {"fr": "• {why}", "en": "• {why}"},
    "matching.they_can_ask": {
        "fr": "Ces personnes peuvent vous le demander avec <code>{command}</code> : faites-leur signe !",
        "en": "They can ask you with <code>{command}</code>: let them know!",
    },
    "matching.no_mentor": {
        "fr": "Personne de plus avancé n'a de place libre pour l'instant ; je le signalerai dans le bilan.",
        "en": "Nobody further along has a place free right now; the digest will mention it.",
    },
    "matching.no_mentee": {
        "fr": "Personne à vous suggérer pour l'instant.",
        "en": "Nobody to suggest right now.",
    },
    "matching.offer_full": {
        "fr": "Toutes vos places sont prises.",
        "en": "All your places are taken.",
    },
    "matching.ongoing_asked_by_me": {
        "fr": "• Binôme <b>{ref}</b> : vous l'avez demandé à {name}, en attente de sa réponse.",
        "en": "• Match <b>{ref}</b>: you asked {name}, waiting for their answer.",
    },
    "matching.ongoing_asked_of_me": {
        "fr": "• Binôme <b>{ref}</b> : {name} vous le demande → <code>{accept}</code> ou <code>{decline}</code>",
        "en": "• Match <b>{ref}</b>: {name} asks you → <code>{accept}</code> or <code>{decline}</code>",
    },
    "matching.ongoing_accepted": {
        "fr": "• Binôme <b>{ref}</b> avec {name}, en cours ; une fois fini : <code>{done}</code>",
        "en": "• Match <b>{ref}</b> with {name}, under way; once finished: <code>{done}</code>",
    },
    # Why a suggestion: one line, from the reader's side. "steps" is one of matching.steps.*.
    "matching.why_ahead": {
        "fr": "{name} ({ref}, niveau {level}) a {steps} d'avance en {skill}",
        "en": "{name} ({ref}, level {level}) is {steps} ahead in {skill}",
    },
    "matching.why_behind": {
        "fr": "{name} ({ref}, niveau {level}) a {steps} de moins que vous en {skill}",
        "en": "{name} ({ref}, level {level}) is {steps} behind you in {skill}",
    },
    "matching.why_wants_yours": {
        "fr": "et veut apprendre {skill}, que vous proposez ({ref})",
        "en": "and wants to learn {skill}, which you offer ({ref})",
    },
    "matching.why_offers_yours": {
        "fr": "et propose {skill}, que vous cherchez ({ref})",
        "en": "and offers {skill}, which you are looking for ({ref})",
    },
    "matching.why_waiting": {
        "fr": "et attend depuis {days} jours",
        "en": "and has been waiting for {days} days",
    },
    "matching.why_again": {
        "fr": "et vous avez déjà fait binôme sur ce sujet",
        "en": "and you were paired on it before",
    },
    "matching.steps.1": {"fr": "un niveau", "en": "one step"},
    "matching.steps.2": {"fr": "deux niveaux", "en": "two steps"},
    "matching.steps.n": {"fr": "{steps} niveaux", "en": "{steps} steps"},
    # --- ask --------------------------------------------------------------------------------
    "matching.asked": {
        "fr": "{mentor}, {mentee} aimerait apprendre {skill} avec vous : binôme <b>{ref}</b> ({mentee} au niveau {need_level}, vous au niveau {offer_level}). Acceptez avec <code>{accept}</code> ou refusez avec <code>{decline}</code>.",
        "en": "{mentor}, {mentee} would like to learn {skill} with you: match <b>{ref}</b> ({mentee} at level {need_level}, you at level {offer_level}). Accept with <code>{accept}</code> or decline with <code>{decline}</code>.",
    },
    "matching.already_asked": {
        "fr": "Déjà demandé (<b>{ref}</b>) : en attente de la réponse de {name}.",
        "en": "Already asked (<b>{ref}</b>): waiting for {name}'s answer.",
    },
    "matching.already_paired": {
        "fr": "Déjà en binôme avec {name} (<b>{ref}</b>) ; une fois fini : <code>{done}</code>",
        "en": "Already paired with {name} (<b>{ref}</b>); once finished: <code>{done}</code>",
    },
    "matching.no_such_offer": {
        "fr": "Je ne trouve aucune offre <b>{ref}</b> ; <code>{command}</code> montre les suggestions.",
        "en": "I find no offer <b>{ref}</b>; <code>{command}</code> shows the suggestions.",
    },
    "matching.offer_withdrawn": {
        "fr": "L'offre <b>{ref}</b> a été retirée ; <code>{command}</code> montre les autres suggestions.",
        "en": "Offer <b>{ref}</b> was withdrawn; <code>{command}</code> shows other suggestions.",
    },
    "matching.own_offer": {
        "fr": "<b>{ref}</b> est votre propre offre.",
        "en": "<b>{ref}</b> is your own offer.",
    },
    "matching.no_need": {
        "fr": "Vous n'avez pas de besoin ouvert en {skill} : notez d'abord où vous en êtes avec <code>{command}</code>, puis redemandez.",
        "en": "You have no open need in {skill}: first record where you are with <code>{command}</code>, then ask again.",
    },
    "matching.need_taken": {
        "fr": "Votre besoin <b>{need}</b> a déjà un binôme, <b>{ref}</b> avec {name} ({state}) ; pour demander à quelqu'un d'autre, annulez-le d'abord : <code>{cancel}</code>",
        "en": "Your need <b>{need}</b> already has a match, <b>{ref}</b> with {name} ({state}); to ask someone else, cancel it first: <code>{cancel}</code>",
    },
    "matching.not_ahead": {
        "fr": "{name} propose {skill} au niveau {offer_level}, pas au-dessus du vôtre ({need_level}) : un·e mentor a un peu d'avance.",
        "en": "{name} offers {skill} at level {offer_level}, not above yours ({need_level}): a mentor is a step or two ahead.",
    },
    "matching.was_declined": {
        "fr": "{name} a déjà refusé un binôme avec vous en {skill} ; je ne le redemande pas. <code>{command}</code> montre d'autres suggestions.",
        "en": "{name} already declined a match with you in {skill}; I will not ask again. <code>{command}</code> shows other suggestions.",
    },
    "matching.full": {
        "fr": "{name} n'a plus de place sur <b>{ref}</b> ({capacity} binôme(s) à la fois au plus). <code>{command}</code> montre d'autres suggestions.",
        "en": "{name} has no place left on <b>{ref}</b> (at most {capacity} match(es) at a time). <code>{command}</code> shows other suggestions.",
    },
    # --- a match's life ------------------------------------------------------------------------
    "matching.no_such_match": {
        "fr": "Je ne trouve aucun binôme <b>{ref}</b>.",
        "en": "I find no match <b>{ref}</b>.",
    },
    "matching.not_party": {
        "fr": "Vous ne faites pas partie du binôme <b>{ref}</b> : seul·es son ou sa mentor et son ou sa mentoré·e peuvent agir dessus (et les modérateur·ices, l'annuler).",
        "en": "You are not part of match <b>{ref}</b>: only its mentor and mentee can act on it (and moderators can cancel it).",
    },
    "matching.mentor_only": {
        "fr": "C'est au ou à la mentor de <b>{ref}</b> d'accepter ou de refuser.",
        "en": "It is for the mentor of <b>{ref}</b> to accept or decline.",
    },
    "matching.closed": {
        "fr": "Le binôme <b>{ref}</b> est déjà {state}.",
        "en": "Match <b>{ref}</b> is already {state}.",
    },
    "matching.accepted": {
        "fr": "{mentor} accepte d'accompagner {mentee} en {skill} (<b>{ref}</b>). J'ouvre un salon privé pour vous deux : surveillez l'invitation.",
        "en": "{mentor} agrees to mentor {mentee} in {skill} (<b>{ref}</b>). I am opening a private room for the two of you: look for the invitation.",
    },
    "matching.already_accepted": {
        "fr": "Vous avez déjà accepté <b>{ref}</b> ; votre salon avec {name} est ouvert.",
        "en": "You already accepted <b>{ref}</b>; your room with {name} is open.",
    },
    "matching.room_failed": {
        "fr": "Je n'ai pas pu ouvrir le salon de <b>{ref}</b> (réf. {error}). Le binôme reste accepté ; retapez <code>{command}</code> pour réessayer.",
        "en": "I could not open the room for <b>{ref}</b> (ref {error}). The match stays accepted; type <code>{command}</code> again to retry.",
    },
    "matching.room_name": {
        "fr": "{mentee} & {mentor} — {skill}",
        "en": "{mentee} & {mentor} — {skill}",
    },
    "matching.intro": {
        "fr": "<b>Bonjour {mentee} et {mentor} !</b> {mentee} aimerait apprendre <b>{skill}</b>, et {mentor} a accepté de l'accompagner : c'est le binôme <b>{ref}</b>.",
        "en": "<b>Hello {mentee} and {mentor}!</b> {mentee} would like to learn <b>{skill}</b>, and {mentor} agreed to mentor them: this is match <b>{ref}</b>.",
    },
    "matching.intro_mentee": {
        "fr": "{name} en est au niveau {level}",
        "en": "{name} is at level {level}",
    },
    "matching.intro_mentor": {
        "fr": "{name} le pratique au niveau {level}",
        "en": "{name} practises it at level {level}",
    },
    "matching.intro_next": {
        "fr": "Convenez ici de quand et comment vous voir. Une fois fini, l'un·e de vous tape <code>{done}</code> dans le salon de la communauté (suivi de <code>: quelques mots</code> pour laisser un retour).",
        "en": "Agree here on when and how to meet. Once you are done, either of you types <code>{done}</code> in the community room (followed by <code>: a few words</code> to leave feedback).",
    },
    "matching.declined": {
        "fr": "C'est noté pour <b>{ref}</b> ; je vous ai écrit en privé, à l'un·e et à l'autre.",
        "en": "Noted for <b>{ref}</b>; I have written to each of you privately.",
    },
    "matching.declined_mentee": {
        "fr": "{mentor} ne peut pas vous accompagner en {skill} (<b>{ref}</b>) ; je ne vous proposerai plus ce binôme. <code>{command}</code> montre d'autres mentors.",
        "en": "{mentor} cannot mentor you in {skill} (<b>{ref}</b>); I will not suggest this pair again. <code>{command}</code> shows other mentors.",
    },
    "matching.declined_mentor": {
        "fr": "Vous avez refusé d'accompagner {mentee} en {skill} (<b>{ref}</b>) : je ne vous proposerai plus ce binôme, et je l'ai dit à {mentee}, en privé aussi.",
        "en": "You declined to mentor {mentee} in {skill} (<b>{ref}</b>): I will not suggest this pair again, and I have told {mentee}, privately too.",
    },
    "matching.declined_untold": {
        "fr": "Le refus de <b>{ref}</b> est enregistré, mais je n'ai pas pu l'écrire en privé (réf. {error}).",
        "en": "Declining <b>{ref}</b> is recorded, but I could not write about it privately (ref {error}).",
    },
    "matching.decline_too_late": {
        "fr": "<b>{ref}</b> est déjà accepté : finissez-le avec <code>{done}</code> ou annulez-le avec <code>{cancel}</code>.",
        "en": "<b>{ref}</b> is already accepted: finish it with <code>{done}</code> or cancel it with <code>{cancel}</code>.",
    },
    "matching.not_accepted": {
        "fr": "{name} n'a pas encore accepté <b>{ref}</b> : il ne peut pas être fini. Pour y renoncer : <code>{cancel}</code>",
        "en": "{name} has not accepted <b>{ref}</b> yet: it cannot be finished. To give it up: <code>{cancel}</code>",
    },
    "matching.close_by_mentee": {
        "fr": "Seul·e {name}, qui apprenait, peut clore son besoin en finissant le binôme.",
        "en": "Only {name}, who was learning, can close their need when finishing the match.",
    },
    "matching.done": {
        "fr": "Binôme <b>{ref}</b> terminé : {mentor} a accompagné {mentee} en {skill}. Merci à vous deux !",
        "en": "Match <b>{ref}</b> is done: {mentor} mentored {mentee} in {skill}. Thank you both!",
    },
    "matching.feedback": {
        "fr": "Retour : <i>{feedback}</i>",
        "en": "Feedback: <i>{feedback}</i>",
    },
    "matching.need_closed": {
        "fr": "Besoin <b>{ref}</b> ({skill}) clos.",
        "en": "Need <b>{ref}</b> ({skill}) closed.",
    },
    "matching.transmission_what": {
        "fr": "compagnonnage en {skill} (binôme {ref})",
        "en": "mentoring in {skill} (match {ref})",
    },
    "matching.cancelled": {
        "fr": "Binôme <b>{ref}</b> ({mentee} avec {mentor}, {skill}) annulé. Rien n'est retenu contre personne : chacun·e peut en redemander un.",
        "en": "Match <b>{ref}</b> ({mentee} with {mentor}, {skill}) cancelled. Nothing is held against anyone: either can ask for a match again.",
    },
}
