"""Messages for weighted polls: opening, voting, results, closing and weights explained."""

from bot.i18n.types import Messages

MESSAGES: Messages = {
    "cmd.poll.summary": {
        "fr": "ouvre un sondage pondéré (2 à 20 réponses), montre ses résultats ou le clôt",
        "en": "opens a weighted poll (2 to 20 answers), shows its results or closes it",
    },
    "cmd.vote.summary": {
        "fr": "vote sans client compatible avec les sondages ; un nouveau vote remplace le précédent",
        "en": "votes without a poll-capable client; a later vote replaces the earlier one",
    },
    "cmd.weight.summary": {
        "fr": "explique un poids de vote, terme à terme",
        "en": "explains a vote weight, term by term",
    },
    "polls.options": {
        "fr": "[--multi] [--secret] [--egal] [--domaine D] [--fin 3j|2026-12-01 18:00] [--quorum 50%] [--quorum-poids 40%] [--rappel 24h]",
        "en": "[--multi] [--secret] [--equal] [--domain D] [--closes 3d|2026-12-01 18:00] [--quorum 50%] [--quorum-weight 40%] [--remind 24h]",
    },
    "param.question": {"fr": "question", "en": "question"},
    "param.answer": {"fr": "réponse", "en": "answer"},
    "param.poll_ref": {"fr": "sondage", "en": "poll"},
    "param.choices": {"fr": "réponses", "en": "answers"},
    "param.member_and_domain": {"fr": "membre] [domaine", "en": "member] [domain"},
    "polls.verb.results": {"fr": "résultats", "en": "results"},
    "polls.verb.close": {"fr": "fermer", "en": "close"},
    # --- reading !poll --------------------------------------------------------------------
    "polls.unknown_option": {
        "fr": "Je ne connais pas l'option <code>{given}</code>. Options : {options}.",
        "en": "I do not know the option <code>{given}</code>. Options: {options}.",
    },
    "polls.bad_quorum": {
        "fr": "Quorum illisible : <code>{given}</code>. Écrivez une part des membres entre 1 % et 100 %, par exemple <code>--quorum 50%</code>.",
        "en": "I cannot read the quorum <code>{given}</code>. Write a share of the members from 1% to 100%, such as <code>--quorum 50%</code>.",
    },
    "polls.quorum_weight_equal": {
        "fr": "Un sondage <code>--egal</code> compte les voix, pas les poids : son quorum se donne avec <code>--quorum</code>.",
        "en": "An <code>--equal</code> poll counts heads, not weights: give its quorum with <code>--quorum</code>.",
    },
    "polls.bad_reminder": {
        "fr": "Rappel illisible : <code>{given}</code>. Écrivez une durée avant la clôture, par exemple <code>--rappel 24h</code>.",
        "en": "I cannot read the reminder <code>{given}</code>. Write a time before the close, such as <code>--remind 24h</code>.",
    },
    "polls.reminder_too_late": {
        "fr": "Un rappel {given} avant la clôture tomberait avant l'ouverture : donnez-en un plus court, ou une clôture plus lointaine.",
        "en": "A reminder {given} before the close would come before the poll opens: give a shorter one, or a later close.",
    },
    "polls.reminder": {
        "fr": "Rappel : {names}, le sondage {ref} « {question} » attend votre voix (ou votre abstention) jusqu'au {closes}.",
        "en": "Reminder: {names}, poll {ref} “{question}” awaits your vote (or your abstention) until {closes}.",
    },
    "polls.reminders_off": {
        "fr": "C'est noté : plus de rappels pour les sondages. <code>{on}</code> les remet.",
        "en": "Done: no more poll reminders for you. <code>{on}</code> brings them back.",
    },
    "polls.reminders_on": {
        "fr": "C'est noté : les sondages vous rappelleront quand vous n'avez pas voté.",
        "en": "Done: polls will remind you when you have not voted.",
    },
    "cmd.reminders.summary": {
        "fr": "reçoit ou non les rappels des sondages où vous n'avez pas voté",
        "en": "turns on or off the reminders of polls you have not voted in",
    },
    "cmd.polls.summary": {
        "fr": "les sondages ouverts de ce salon : leur clôture, leur quorum, et si vous avez voté",
        "en": "this room's open polls: when each closes, its quorum so far, and whether you voted",
    },
    "cmd.me.summary": {
        "fr": "tout ce qui vous attend : sondages, binômes, confirmations, relectures, contestations",
        "en": "everything waiting for you: polls, matches, confirmations, reviews, disputes",
    },
    "waiting.polls_title": {"fr": "<b>Sondages ouverts ici</b>", "en": "<b>Open polls here</b>"},
    "waiting.no_polls": {
        "fr": "Aucun sondage ouvert dans ce salon.",
        "en": "No open poll in this room.",
    },
    "waiting.poll": {
        "fr": "<b>{ref}</b> « {question} », clôture {closes}",
        "en": "<b>{ref}</b> “{question}”, closes {closes}",
    },
    "waiting.voted": {"fr": "vous avez voté", "en": "you voted"},
    "waiting.not_voted": {
        "fr": "vous n'avez pas voté : <code>{vote}</code>",
        "en": "you have not voted: <code>{vote}</code>",
    },
    "waiting.quorum": {
        "fr": "quorum : {took} sur {needed} requis",
        "en": "quorum: {took} of {needed} needed",
    },
    "waiting.me_title": {
        "fr": "<b>Ce qui vous attend, {name}</b>",
        "en": "<b>Waiting for you, {name}</b>",
    },
    "waiting.me_nothing": {
        "fr": "Rien ne vous attend, {name}.",
        "en": "Nothing is waiting for you, {name}.",
    },
    "waiting.me_poll": {
        "fr": "• sondage <b>{ref}</b> « {question} » : <code>{vote}</code>",
        "en": "• poll <b>{ref}</b> “{question}”: <code>{vote}</code>",
    },
    "waiting.me_match_asked": {
        "fr": "• binôme <b>{ref}</b> ({skill}) demandé : <code>{accept}</code> ou <code>{decline}</code>",
        "en": "• match <b>{ref}</b> ({skill}) asked of you: <code>{accept}</code> or <code>{decline}</code>",
    },
    "waiting.me_match_accepted": {
        "fr": "• binôme <b>{ref}</b> ({skill}) en cours ; une fois fini : <code>{done}</code>",
        "en": "• match <b>{ref}</b> ({skill}) under way; once finished: <code>{done}</code>",
    },
    "waiting.me_confirm": {
        "fr": "• <b>{ref}</b> de {name} attend un·e témoin ({what}) : <code>{confirm}</code> si vous l'avez vu",
        "en": "• <b>{ref}</b> of {name} awaits a witness ({what}): <code>{confirm}</code> if you saw it",
    },
    "waiting.me_review": {
        "fr": "• relecture de <b>{ref}</b> demandée : <code>{confirm}</code> ou <code>{contest}</code>",
        "en": "• review of <b>{ref}</b> asked of you: <code>{confirm}</code> or <code>{contest}</code>",
    },
    "waiting.me_disputed": {
        "fr": "• <b>{ref}</b>, votre contribution, est contestée ({reason}) : la modération tranchera",
        "en": "• <b>{ref}</b>, your contribution, is disputed ({reason}): a moderator will settle it",
    },
    "cmd.proposal.summary": {
        "fr": "propose une décision par consentement : elle passe sauf objection motivée",
        "en": "puts forward a decision by consent: it passes unless someone objects with a reason",
    },
    "cmd.object.summary": {
        "fr": "objecte à une proposition, avec la raison",
        "en": "objects to a proposal, with the reason",
    },
    "param.proposal": {"fr": "proposition", "en": "proposal"},
    "proposals.verb.amend": {"fr": "amender", "en": "amend"},
    "proposals.consent_answer": {"fr": "Je consens", "en": "I consent"},
    "proposals.objection_answer": {"fr": "J'objecte", "en": "I object"},
    "proposals.missing_text": {
        "fr": "Écrivez la proposition après la commande, par exemple <code>!proposition On repeint l'atelier en mars</code>.",
        "en": "Write the proposal after the command, such as <code>!proposal We repaint the workshop in March</code>.",
    },
    "proposals.opened": {
        "fr": "Proposition {ref} ouverte : « {question} ». Elle passe sauf objection motivée : consentez, abstenez-vous, ou objectez avec <code>{object}</code>. Clôture : {closes}.",
        "en": "Proposal {ref} is open: “{question}”. It passes unless someone objects with a reason: consent, abstain, or object with <code>{object}</code>. Closes: {closes}.",
    },
    "proposals.new_round": {
        "fr": "Nouveau tour : elle amende {previous}, qui se clôt.",
        "en": "A new round: it amends {previous}, which closes now.",
    },
    "proposals.no_such_proposal": {
        "fr": "Je ne trouve pas de proposition {ref} dans ce salon.",
        "en": "I find no proposal {ref} in this room.",
    },
    "proposals.amend_denied": {
        "fr": "Seule la personne qui a proposé {ref} peut l'amender.",
        "en": "Only whoever put {ref} forward can amend it.",
    },
    "proposals.amend_closed": {
        "fr": "{ref} est close : faites une nouvelle proposition.",
        "en": "{ref} is closed: put forward a new proposal.",
    },
    "proposals.closed": {
        "fr": "{ref} est close : l'objection n'est plus reçue.",
        "en": "{ref} is closed: objections are no longer taken.",
    },
    "proposals.missing_reason": {
        "fr": "Une objection se motive : <code>!objecter p4 : la raison</code>.",
        "en": "An objection needs its reason: <code>!object p4 : the reason</code>.",
    },
    "proposals.reason_too_long": {
        "fr": "La raison est trop longue ({limit} caractères au plus) : résumez-la, et détaillez dans le fil.",
        "en": "The reason is too long ({limit} characters at most): sum it up, and say more in the thread.",
    },
    "proposals.objected": {
        "fr": "Objection à {ref} notée : {reason}. Elle tient tant que vous ne votez pas autrement.",
        "en": "Objection to {ref} recorded: {reason}. It stands until you vote otherwise.",
    },
    "proposals.objection_listed": {
        "fr": "Objection de {name} à {ref} : {reason}",
        "en": "Objection from {name} to {ref}: {reason}",
    },
    "proposals.reason_asked": {
        "fr": "Vous objectez à {ref} : quelle est la raison ? <code>{prefix}objecter {ref} : …</code>",
        "en": "You object to {ref}: what is the reason? <code>{prefix}object {ref} : …</code>",
    },
    "proposals.result_title": {
        "fr": "<b>Proposition {ref}</b> — « {question} » (en cours)",
        "en": "<b>Proposal {ref}</b> — “{question}” (still open)",
    },
    "proposals.final_title": {
        "fr": "<b>Issue de la proposition {ref}</b> — « {question} »",
        "en": "<b>Outcome of proposal {ref}</b> — “{question}”",
    },
    "proposals.result_counts": {
        "fr": "Consentements : {consent} (poids {weight}) ; objections : {objections} ; abstentions : {abstentions}.",
        "en": "Consent: {consent} (weight {weight}); objections: {objections}; abstentions: {abstentions}.",
    },
    "proposals.objections": {
        "fr": "<b>Objections à traiter</b> :",
        "en": "<b>Objections to address</b>:",
    },
    "proposals.objection_line": {"fr": "• {name} : {reason}", "en": "• {name}: {reason}"},
    "proposals.no_reason": {"fr": "(raison pas encore donnée)", "en": "(no reason given yet)"},
    "proposals.adopted": {
        "fr": "<b>Adoptée</b> : aucune objection ne tient.",
        "en": "<b>Adopted</b>: no objection stands.",
    },
    "proposals.nobody": {
        "fr": "<b>Pas de décision</b> : personne n'a pris part.",
        "en": "<b>No decision</b>: nobody took part.",
    },
    "proposals.amended": {
        "fr": "Amendée : le tour suivant est {next}.",
        "en": "Amended: the next round is {next}.",
    },
    "polls.abstain_answer": {"fr": "Je m'abstiens", "en": "Abstain"},
    "polls.option_needs_value": {
        "fr": "L'option <code>{option}</code> attend une valeur juste après elle.",
        "en": "The option <code>{option}</code> needs a value right after it.",
    },
    "polls.missing_question": {
        "fr": "Il manque la question, puis les réponses séparées par <code>|</code>.",
        "en": "The question is missing, then the answers separated by <code>|</code>.",
    },
    "polls.question_too_long": {
        "fr": "La question fait {length} caractères ; {limit} au plus.",
        "en": "The question is {length} characters long; {limit} at most.",
    },
    "polls.answer_count": {
        "fr": "Un sondage a de {least} à {most} réponses, séparées par <code>|</code> ; j'en lis {count}.",
        "en": "A poll has {least} to {most} answers, separated by <code>|</code>; I read {count}.",
    },
    "polls.empty_answer": {
        "fr": "La réponse n° {number} est vide (deux <code>|</code> de suite ?).",
        "en": "Answer number {number} is empty (two <code>|</code> in a row?).",
    },
    "polls.answer_too_long": {
        "fr": "La réponse n° {number} est trop longue : {limit} caractères au plus.",
        "en": "Answer number {number} is too long: {limit} characters at most.",
    },
    "polls.answer_twice": {
        "fr": "La réponse « {answer} » apparaît deux fois.",
        "en": "The answer “{answer}” appears twice.",
    },
    "polls.bad_closes": {
        "fr": "Je ne lis pas <code>{given}</code> comme une fin : écrivez une durée (<code>90m</code>, <code>3j</code>) ou une date (<code>2026-12-01</code>, <code>2026-12-01 18:00</code>).",
        "en": "I cannot read <code>{given}</code> as a closing time: write a duration (<code>90m</code>, <code>3d</code>) or a date (<code>2026-12-01</code>, <code>2026-12-01 18:00</code>).",
    },
    "polls.closes_in_past": {
        "fr": "La fin <code>{given}</code> est déjà passée.",
        "en": "The closing time <code>{given}</code> has already passed.",
    },
    "polls.closes_too_far": {
        "fr": "La fin <code>{given}</code> est à plus d'un an : un sondage dure un an au plus.",
        "en": "The closing time <code>{given}</code> is more than a year away: a poll lasts a year at most.",
    },
    "polls.unknown_domain": {
        "fr": "Je ne connais pas le domaine « {given} ». Domaines : {domains}.",
        "en": "I do not know the domain “{given}”. Domains: {domains}.",
    },
    # --- opening --------------------------------------------------------------------------
    "polls.opened": {
        "fr": "Sondage <b>{ref}</b> ouvert : « {question} ». Votez sur le sondage ci-dessous, ou <code>{vote}</code>. Clôture : {closes}.",
        "en": "Poll <b>{ref}</b> is open: “{question}”. Vote on the poll below, or <code>{vote}</code>. Closes: {closes}.",
    },
    "polls.weights_rule": {
        "fr": "Poids : 1 + {a}·log₂(1 + H){domain_term}, {most} au plus ; H = heures de contributions confirmées, divisées par deux tous les {half_life} jours. Figés à l'ouverture ; <code>{weight}</code> explique le vôtre.",
        "en": "Weights: 1 + {a}·log₂(1 + H){domain_term}, {most} at most; H = hours of confirmed contributions, halved every {half_life} days. Frozen now; <code>{weight}</code> explains yours.",
    },
    "polls.weights_domain_term": {
        "fr": " + {b}·log₂(1 + H en {domain})",
        "en": " + {b}·log₂(1 + H in {domain})",
    },
    "polls.weights_equal": {
        "fr": "Une personne, une voix (<code>--egal</code>).",
        "en": "One member, one vote (<code>--equal</code>).",
    },
    "polls.multi": {
        "fr": "Jusqu'à {most} réponses par personne.",
        "en": "Up to {most} answers each.",
    },
    "polls.secret": {
        "fr": "Résultats cachés jusqu'à la clôture.",
        "en": "Results are hidden until the close.",
    },
    "polls.not_posted": {
        "fr": "Je n'ai pas pu publier le sondage {ref} dans ce salon ; il est annulé. Réessayez plus tard.",
        "en": "I could not post poll {ref} in this room; it is cancelled. Please try again later.",
    },
    # --- voting ---------------------------------------------------------------------------
    "polls.not_found": {
        "fr": "Je ne trouve pas de sondage {ref}.",
        "en": "I cannot find poll {ref}.",
    },
    "polls.vote_elsewhere": {
        "fr": "Le sondage {ref} vit dans un autre salon : votez-y.",
        "en": "Poll {ref} lives in another room: vote there.",
    },
    "polls.already_closed": {
        "fr": "Le sondage {ref} est clos. Résultats : <code>{results}</code>",
        "en": "Poll {ref} is closed. Results: <code>{results}</code>",
    },
    "polls.bad_choice": {
        "fr": "Je ne lis pas <code>{given}</code> : donnez des numéros de réponse de 1 à {most} (<code>1</code>, <code>1,3</code>) ou <code>aucun</code> pour retirer votre vote.",
        "en": "I cannot read <code>{given}</code>: give answer numbers from 1 to {most} (<code>1</code>, <code>1,3</code>) or <code>none</code> to take your vote back.",
    },
    "polls.no_such_answer": {
        "fr": "Il n'y a pas de réponse n° {number} : les réponses vont de 1 à {most}.",
        "en": "There is no answer number {number}: answers go from 1 to {most}.",
    },
    "polls.too_many_choices": {
        "fr": "Vous choisissez {count} réponses ; ce sondage en permet {most}.",
        "en": "You chose {count} answers; this poll allows {most}.",
    },
    "polls.answer": {"fr": "{number}. {answer}", "en": "{number}. {answer}"},
    "polls.voted": {
        "fr": "Vote enregistré sur {ref} : {answers} (poids {weight}, figé à l'ouverture). Pour changer : <code>{again} …</code>",
        "en": "Vote recorded on {ref}: {answers} (weight {weight}, frozen at the opening). To change it: <code>{again} …</code>",
    },
    "polls.voted_secret": {
        "fr": "Vote enregistré sur {ref}. Le sondage est secret : je ne répète pas votre choix (cliquer sur le sondage le garde hors du fil du salon).",
        "en": "Vote recorded on {ref}. The poll is secret: I do not repeat your choice (clicking the poll keeps it out of the room's timeline).",
    },
    "polls.unvoted": {
        "fr": "Votre vote sur {ref} est retiré.",
        "en": "Your vote on {ref} is taken back.",
    },
    # --- results and closing ----------------------------------------------------------------
    "polls.results_hidden": {
        "fr": "Les résultats de {ref} restent cachés jusqu'à la clôture, {closes}. Votant·es à ce jour : {voters}.",
        "en": "The results of {ref} stay hidden until the close, {closes}. Voters so far: {voters}.",
    },
    "polls.result_title": {
        "fr": "<b>Sondage {ref}</b> — « {question} » (en cours)",
        "en": "<b>Poll {ref}</b> — “{question}” (still open)",
    },
    "polls.final_title": {
        "fr": "<b>Résultat du sondage {ref}</b> — « {question} »",
        "en": "<b>Result of poll {ref}</b> — “{question}”",
    },
    "polls.result_line": {
        "fr": "{number}. {answer} : {share} % — poids {weight}, {voters} voix",
        "en": "{number}. {answer}: {share}% — weight {weight}, {voters} vote(s)",
    },
    "polls.result_leader": {
        "fr": "<b>{number}. {answer} : {share} %</b> — poids {weight}, {voters} voix",
        "en": "<b>{number}. {answer}: {share}%</b> — weight {weight}, {voters} vote(s)",
    },
    "polls.result_totals": {
        "fr": "{voters} votant·e(s), poids total {weight} ; chaque pourcentage est la part de ce poids qui a choisi la réponse.",
        "en": "{voters} voter(s), total weight {weight}; each percentage is the share of that weight which chose the answer.",
    },
    "polls.result_two_leaders": {
        "fr": "Au poids, {weighted} l'emporte ; au nombre de voix (ce qu'affiche Element), {heads}.",
        "en": "Weighted, {weighted} leads; by head count (what Element shows), {heads}.",
    },
    "polls.quoted": {"fr": "« {answer} »", "en": "“{answer}”"},
    "polls.result_bounded": {
        "fr": "{count} de ces votant·es ont eu moins d'heures comptées que déclarées (plafond par semaine, ou confiance de la communauté envers leurs témoins) : leur poids ne compte que les heures créditées.",
        "en": "{count} of these voters had fewer hours counted than recorded (the weekly cap, or the community's trust in their witnesses): their weight counts only the credited ones.",
    },
    "polls.result_abstentions": {
        "fr": "Abstentions : {count} (poids {weight}), comptées pour le quorum, pour aucune réponse.",
        "en": "Abstentions: {count} (weight {weight}), counted for the quorum, for no answer.",
    },
    "polls.quorum_heads": {
        "fr": "Quorum : {took} membre(s) sur {members} ont pris part ; {needed} requis.",
        "en": "Quorum: {took} of {members} members took part; {needed} needed.",
    },
    "polls.quorum_weight": {
        "fr": "Quorum de poids : {took} sur {total} ont pris part ; {needed} requis.",
        "en": "Weight quorum: {took} of {total} took part; {needed} needed.",
    },
    "polls.quorum_reached": {"fr": "Quorum atteint.", "en": "Quorum reached."},
    "polls.quorum_not_yet": {
        "fr": "Quorum pas encore atteint.",
        "en": "Quorum not reached yet.",
    },
    "polls.quorum_missed": {
        "fr": "<b>Pas de décision</b> : le quorum n'est pas atteint.",
        "en": "<b>No decision</b>: the quorum was not reached.",
    },
    "polls.result_equal": {
        "fr": "{voters} votant·e(s) ; une personne, une voix.",
        "en": "{voters} voter(s); one member, one vote.",
    },
    "polls.result_open": {
        "fr": "Clôture : {closes}.",
        "en": "Closes: {closes}.",
    },
    "polls.closing": {
        "fr": "Je clos le sondage {ref} ; le résultat pondéré suit dans son fil.",
        "en": "Closing poll {ref}; the weighted result follows in its thread.",
    },
    "polls.ended": {
        "fr": "Le sondage {ref} — « {question} » est clos ; son résultat pondéré suit dans son fil.",
        "en": "Poll {ref} — “{question}” is closed; its weighted result follows in its thread.",
    },
    "polls.close_denied": {
        "fr": "Seule la personne qui a ouvert {ref}, ou une modératrice ou un modérateur, peut le clore.",
        "en": "Only whoever opened {ref}, or a moderator, can close it.",
    },
    # --- !weight --------------------------------------------------------------------------
    "polls.weight_title": {
        "fr": "<b>{name} : poids {weight}</b>, si un sondage s'ouvrait maintenant",
        "en": "<b>{name}'s weight: {weight}</b>, were a poll to open now",
    },
    "polls.weight_base": {
        "fr": "• base : 1 (chaque voix compte)",
        "en": "• base: 1 (every voice counts)",
    },
    "polls.weight_engagement": {
        "fr": "• engagement : {a} × log₂(1 + {hours} h) = {term} — {count} contribution(s) confirmée(s), dont les heures sont divisées par deux tous les {half_life} jours",
        "en": "• engagement: {a} × log₂(1 + {hours} h) = {term} — {count} confirmed contribution(s), their hours halved every {half_life} days",
    },
    "polls.weight_bounded": {
        "fr": "  ({credited} h comptées sur {recorded} h notées : au plus {most} h par semaine sont créditées à une personne)",
        "en": "  ({credited} of {recorded} h count: at most {most} h a week are credited to one member)",
    },
    "cmd.audit.summary": {
        "fr": "(modération) en privé : les cercles qui ne se confirment qu'entre eux, les heures au-delà de la confiance, les grosses déclarations du mois",
        "en": "(moderators) in private: circles that only confirm one another, hours beyond what trust vouches for, the month's large claims",
    },
    "polls.audit_sending": {
        "fr": "Je vous envoie l'audit dans notre salon privé : il nomme des membres.",
        "en": "I am sending you the audit in our direct room: it names members.",
    },
    "polls.audit_failed": {
        "fr": "Je n'ai pas pu vous envoyer l'audit en privé (réf. {ref}).",
        "en": "I could not send you the audit privately (ref {ref}).",
    },
    "polls.audit_title": {
        "fr": "<b>Audit des contributions, {date}</b>",
        "en": "<b>Contributions audit, {date}</b>",
    },
    "polls.audit_no_trust": {
        "fr": "La communauté n'a aucun·e modérateur·ice (ni listé·e, ni dans le salon de modération) : la confiance ne part de personne, les heures ne sont pas bornées par elle.",
        "en": "The community has no moderators (listed, or in the moderation room): trust starts from nobody, and does not bound the hours.",
    },
    "polls.audit_circles": {
        "fr": "Cercles qui ne se confirment qu'entre eux, sans témoin à qui la communauté fait confiance :",
        "en": "Circles that confirm only one another, with no witness the community trusts:",
    },
    "polls.audit_circle": {
        "fr": "• {names} — {hours} h entre eux",
        "en": "• {names} — {hours} h between them",
    },
    "polls.audit_unvouched": {
        "fr": "Heures confirmées au-delà de ce que la confiance garantit :",
        "en": "Confirmed hours beyond what trust vouches for:",
    },
    "polls.audit_unvouched_line": {
        "fr": "• {name} : {confirmed} h confirmées, {vouched} h garanties",
        "en": "• {name}: {confirmed} h confirmed, {vouched} h vouched for",
    },
    "polls.audit_gains": {
        "fr": "Plus fortes hausses de poids de la semaine :",
        "en": "The week's largest weight gains:",
    },
    "polls.audit_gain": {
        "fr": "• {name} : {before} → {now}",
        "en": "• {name}: {before} → {now}",
    },
    "polls.audit_large": {
        "fr": "Grosses déclarations des 30 derniers jours (20 h ou plus) :",
        "en": "Large claims of the last 30 days (20 h or more):",
    },
    "polls.audit_large_line": {
        "fr": "• <b>{ref}</b> — {hours} pour {name} : {what}",
        "en": "• <b>{ref}</b> — {hours} for {name}: {what}",
    },
    "polls.audit_witnesses": {
        "fr": "Confirmations des 30 derniers jours par des membres depuis oublié·es (elles ne comptent plus) ou en période d'essai quand ils et elles ont confirmé :",
        "en": "The last 30 days' confirmations by members since forgotten (they count no more) or in probation when they confirmed:",
    },
    "polls.audit_witnesses_line": {
        "fr": "• <b>{ref}</b> de {name} : {forgotten} par des membres oublié·es, {in_probation} en période d'essai ; {counted} confirmation(s) comptent",
        "en": "• <b>{ref}</b> of {name}: {forgotten} by forgotten members, {in_probation} in probation; {counted} confirmation(s) count",
    },
    "polls.audit_reviews": {
        "fr": "Relectures au hasard des 30 derniers jours : {asked} demandées, {confirmed} confirmées, {contested} contestées, {unanswered} sans réponse.",
        "en": "Random reviews of the last 30 days: {asked} asked, {confirmed} confirmed, {contested} contested, {unanswered} unanswered.",
    },
    "polls.audit_disputes": {
        "fr": "Contestations en attente (trancher avec <code>{void}</code> ou <code>{dismiss}</code>) :",
        "en": "Open disputes (settle with <code>{void}</code> or <code>{dismiss}</code>):",
    },
    "polls.audit_dispute": {
        "fr": "• <b>{ref}</b> de {name} : {reason} (contestée par {by})",
        "en": "• <b>{ref}</b> of {name}: {reason} (contested by {by})",
    },
    "polls.audit_none": {"fr": "• rien à signaler", "en": "• nothing to report"},
    "polls.weight_trusted": {
        "fr": "  ({credited} h comptées sur {recorded} h : {in_full} h confirmées par les modérateur·ices comptent en entier, les autres autant que la confiance de la communauté les garantit)",
        "en": "  ({credited} of {recorded} h count: {in_full} h confirmed by moderators count in full, the others as far as the community's trust vouches for them)",
    },
    "polls.weight_domain": {
        "fr": "• en {domain} : {b} × log₂(1 + {hours} h) = {term} — {count} contribution(s) dans ce domaine",
        "en": "• in {domain}: {b} × log₂(1 + {hours} h) = {term} — {count} contribution(s) in this domain",
    },
    "polls.weight_capped": {
        "fr": "• total {uncapped}, plafonné à {most}",
        "en": "• total {uncapped}, capped at {most}",
    },
    "polls.weight_frozen": {
        "fr": "Une contribution sans heures compte pour une heure. Un sondage fige les poids à son ouverture.",
        "en": "A contribution without hours counts as one hour. A poll freezes the weights when it opens.",
    },
    # The result's chart, posted after the text in the poll's thread.
    "polls.chart_weighted": {"fr": "part du poids", "en": "share of the weight"},
    "polls.chart_heads": {"fr": "part des votant·es", "en": "share of the voters"},
    "polls.chart_share": {"fr": "{share} %", "en": "{share}%"},
    "polls.chart_turnout": {"fr": "Participation", "en": "Turnout"},
    "polls.chart_turnout_heads": {
        "fr": "membres : {took} sur {members}, {needed} requis",
        "en": "members: {took} of {members}, {needed} needed",
    },
    "polls.chart_turnout_weight": {
        "fr": "poids : {took} sur {total}, {needed} requis",
        "en": "weight: {took} of {total}, {needed} needed",
    },
    "polls.chart_voted": {"fr": "ont voté", "en": "voted"},
    "polls.chart_abstained": {"fr": "se sont abstenu·es", "en": "abstained"},
    "polls.chart_needed": {"fr": "quorum requis", "en": "quorum needed"},
    "polls.chart_alt": {
        "fr": "Graphique du résultat du sondage {ref} « {question} » : {answers}.",
        "en": "Chart of the result of poll {ref} “{question}”: {answers}.",
    },
    "polls.chart_alt_answer": {
        "fr": "{number}. {answer} : {share} % ({voters} voix)",
        "en": "{number}. {answer}: {share}% ({voters} vote(s))",
    },
    "polls.chart_alt_abstentions": {
        "fr": "{count} abstention(s)",
        "en": "{count} abstention(s)",
    },
}
