"""Messages for the contribution ledger: contributing, thanking, confirming."""

from bot.i18n.types import Messages

MESSAGES: Messages = {
    "cmd.contribute.summary": {
        "fr": "note une contribution que j'ai faite, payée ou bénévole (elles comptent pareil)",
        "en": "records a contribution I made, paid or volunteer (they count alike)",
    },
    "cmd.thanks.summary": {
        "fr": "remercie un membre : sa contribution est notée, et je la confirme",
        "en": "thanks a member: their contribution is recorded, confirmed by me",
    },
    "cmd.confirm.summary": {
        "fr": "confirme une contribution dont j'ai été témoin (réagir ✅ ou 👍 à son message fait pareil)",
        "en": "confirms a contribution I witnessed (reacting ✅ or 👍 to its message does the same)",
    },
    "param.hours": {
        "fr": "heures",
        "en": "hours",
    },
    "param.domain": {
        "fr": "domaine",
        "en": "domain",
    },
    "param.what": {
        "fr": "ce qui a été fait",
        "en": "what was done",
    },
    "param.member": {
        "fr": "@membre",
        "en": "@member",
    },
    "contributions.recorded": {
        "fr": "Contribution <b>{ref}</b> notée : {summary}",
        "en": "Contribution <b>{ref}</b> recorded: {summary}",
    },
    "contributions.thanked": {
        "fr": "{thanker} remercie {name} ! Contribution <b>{ref}</b> notée : {summary}",
        "en": "{thanker} thanks {name}! Contribution <b>{ref}</b> recorded: {summary}",
    },
    "contributions.in_domain": {
        "fr": "en {domain}",
        "en": "in {domain}",
    },
    "contributions.counts": {
        "fr": "Confirmée : {witnesses} ({required} requis) ; elle compte.",
        "en": "Confirmed: {witnesses} ({required} needed); it counts.",
    },
    "contributions.pending": {
        "fr": "À confirmer : {witnesses} ({required} requis) ; encore {missing} et elle compte.",
        "en": "To be confirmed: {witnesses} ({required} needed); {missing} more and it counts.",
    },
    "contributions.witnesses": {"fr": "{n} témoin|{n} témoins", "en": "{n} witness|{n} witnesses"},
    "contributions.review_asked": {
        "fr": "Relecture au hasard : {name}, vous n'y êtes pour rien — avez-vous vu ce travail ? Réagissez ✅ s'il a bien eu lieu, sinon <code>{contest}</code> avec la raison.",
        "en": "Random review: {name}, you had no part in it — did you see this work? React ✅ if it happened, or <code>{contest}</code> with the reason if not.",
    },
    "contributions.how_to_confirm": {
        "fr": "Un·e témoin la confirme avec <code>{command}</code>, ou en réagissant ✅ ou 👍 à ce message.",
        "en": "A witness confirms it with <code>{command}</code>, or by reacting ✅ or 👍 to this message.",
    },
    "contributions.confirmation_recorded": {
        "fr": "Merci {name} ! Vous confirmez <b>{ref}</b> : {member}, {summary}",
        "en": "Thank you {name}! You confirm <b>{ref}</b>: {member}, {summary}",
    },
    "contributions.already_confirmed": {
        "fr": "Vous avez déjà confirmé <b>{ref}</b>, {name}.",
        "en": "You already confirmed <b>{ref}</b>, {name}.",
    },
    "contributions.own": {
        "fr": "<b>{ref}</b> est votre propre contribution : c'est aux autres de la confirmer.",
        "en": "<b>{ref}</b> is your own contribution: it is for others to confirm.",
    },
    "contributions.no_such_ref": {
        "fr": "Je ne trouve aucune contribution <b>{ref}</b>. Sa référence figure dans mon message qui l'a notée.",
        "en": "I find no contribution <b>{ref}</b>. Its reference is in my message that recorded it.",
    },
    "contributions.probation": {
        "fr": "Vous êtes arrivé·e depuis peu : vous pourrez confirmer le travail des autres à partir du {date}. D'ici là, d'autres membres peuvent confirmer <b>{ref}</b>.",
        "en": "You arrived recently: you can confirm others' work from {date}. Until then, other members can confirm <b>{ref}</b>.",
    },
    "cmd.void.summary": {
        "fr": "(modération) retire une contribution du calcul des poids, en disant pourquoi ; elle reste notée",
        "en": "(moderators) takes a contribution out of the weights, saying why; it stays on record",
    },
    "cmd.restore.summary": {
        "fr": "(modération) rétablit une contribution invalidée",
        "en": "(moderators) restores a voided contribution",
    },
    "param.reason": {"fr": ": raison", "en": ": reason"},
    "contributions.voided_now": {
        "fr": "<b>{ref}</b> est invalidée : elle ne compte plus dans aucun poids ({summary}). Pour annuler : <code>{restore}</code>",
        "en": "<b>{ref}</b> is voided: it no longer counts toward any weight ({summary}). To undo: <code>{restore}</code>",
    },
    "contributions.restored": {
        "fr": "<b>{ref}</b> est rétablie : elle compte de nouveau, une fois confirmée ({summary}).",
        "en": "<b>{ref}</b> is restored: it counts again once confirmed ({summary}).",
    },
    "contributions.already_voided": {
        "fr": "<b>{ref}</b> est déjà invalidée.",
        "en": "<b>{ref}</b> is voided already.",
    },
    "contributions.not_voided": {
        "fr": "<b>{ref}</b> n'est pas invalidée : rien à rétablir.",
        "en": "<b>{ref}</b> is not voided: there is nothing to restore.",
    },
    "contributions.moderators_only": {
        "fr": "Seule la modération (de la communauté, ou du salon où <b>{ref}</b> a été notée) peut invalider ou rétablir une contribution.",
        "en": "Only moderators (of the community, or of the room where <b>{ref}</b> was recorded) can void or restore a contribution.",
    },
    "contributions.void_status": {
        "fr": "Invalidée par la modération : elle ne compte pas. Raison : {reason}",
        "en": "Voided by a moderator: it does not count. Reason: {reason}",
    },
    "cmd.contest.summary": {
        "fr": "conteste une contribution, en disant pourquoi ; la modération tranche",
        "en": "contests a contribution, saying why; moderators settle it",
    },
    "cmd.dismiss.summary": {
        "fr": "(modération) rejette les contestations d'une contribution : elle continue de compter",
        "en": "(moderators) dismisses the disputes on a contribution: it keeps counting",
    },
    "contributions.contest_why": {
        "fr": "Dites pourquoi, après deux-points : <code>!contester c12 : raison</code>",
        "en": "Say why, after a colon: <code>!contest c12 : reason</code>",
    },
    "contributions.contested": {
        "fr": "Contestation de <b>{ref}</b> notée ({summary}). La modération la verra dans <code>{audit}</code> et tranchera ; d'ici là, elle compte comme avant.",
        "en": "Your dispute of <b>{ref}</b> is recorded ({summary}). Moderators will see it in <code>{audit}</code> and settle it; until then it counts as before.",
    },
    "contributions.already_contested": {
        "fr": "Vous contestez déjà <b>{ref}</b> : la modération n'a pas encore tranché.",
        "en": "You are already contesting <b>{ref}</b>: moderators have not settled it yet.",
    },
    "contributions.not_contested": {
        "fr": "Personne ne conteste <b>{ref}</b> en ce moment.",
        "en": "Nobody is contesting <b>{ref}</b> at the moment.",
    },
    "contributions.dismissed": {
        "fr": "Contestations de <b>{ref}</b> rejetées : elle continue de compter.",
        "en": "The disputes of <b>{ref}</b> are dismissed: it keeps counting.",
    },
    "contributions.over_budget": {
        "fr": "Vous avez déjà confirmé {done} de travail des autres ces 7 derniers jours : une personne peut en confirmer au plus {most} par semaine. D'autres membres peuvent confirmer <b>{ref}</b>.",
        "en": "You have confirmed {done} of others' work in the last 7 days: one member may confirm at most {most} a week. Other members can confirm <b>{ref}</b>.",
    },
    "contributions.thanks_over_budget": {
        "fr": "Votre merci est noté mais ne vaut pas confirmation : vous avez déjà confirmé {done} de travail des autres ces 7 derniers jours (au plus {most} par semaine).",
        "en": "Your thanks is recorded but does not count as a confirmation: you have confirmed {done} of others' work in the last 7 days (at most {most} a week).",
    },
    "contributions.thanks_probation": {
        "fr": "Vous êtes arrivé·e depuis peu : votre merci est noté mais ne vaut pas encore confirmation ; il le vaudra à partir du {date}.",
        "en": "You arrived recently: your thanks is recorded but does not count as a confirmation yet; it will from {date}.",
    },
    "contributions.self_thanks": {
        "fr": "On ne se remercie pas soi-même ! Pour noter ce que vous avez fait : <code>{command}</code>",
        "en": "You cannot thank yourself! To record what you did: <code>{command}</code>",
    },
    "contributions.thanks_bot": {
        "fr": "C'est gentil, mais je ne tiens pas le compte de mes propres heures.",
        "en": "That is kind, but I keep no count of my own hours.",
    },
    "contributions.thanks_stranger": {
        "fr": "{name} n'est dans aucun des salons que je sers : je ne note de remerciements que pour les membres de la communauté.",
        "en": "{name} is in none of the rooms I serve: I record thanks for members of the community only.",
    },
    "contributions.missing_member": {
        "fr": "Qui voulez-vous remercier ? Mentionnez la personne juste après la commande.",
        "en": "Whom are you thanking? Mention them right after the command.",
    },
    "contributions.missing_what": {
        "fr": "Dites ce qui a été fait, après deux-points.",
        "en": "Say what was done, after a colon.",
    },
    "contributions.what_too_long": {
        "fr": "Cette description fait {length} caractères ; {limit} au plus, s'il vous plaît.",
        "en": "That description is {length} characters long; {limit} at most, please.",
    },
    "contributions.missing_hours": {
        "fr": "Combien de temps ? Écrivez la durée comme <code>3h</code>, <code>1h30</code>, <code>1.5h</code> ou <code>90min</code>.",
        "en": "How long did it take? Write it like <code>3h</code>, <code>1h30</code>, <code>1.5h</code> or <code>90min</code>.",
    },
    "contributions.bad_hours": {
        "fr": "Je ne lis pas <code>{given}</code> comme une durée : écrivez <code>3h</code>, <code>1h30</code>, <code>1.5h</code> ou <code>90min</code>, jusqu'à {most}.",
        "en": "I cannot read <code>{given}</code> as a duration: write <code>3h</code>, <code>1h30</code>, <code>1.5h</code> or <code>90min</code>, up to {most}.",
    },
    "contributions.missing_domain": {
        "fr": "Dans quel domaine ? Au choix : {domains}.",
        "en": "In which domain? One of: {domains}.",
    },
    "contributions.unknown_domain": {
        "fr": "<code>{given}</code> n'est pas un domaine de la communauté. Au choix : {domains}.",
        "en": "<code>{given}</code> is not one of the community's domains. Choose one of: {domains}.",
    },
}
