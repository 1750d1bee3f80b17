"""Messages for offers, needs, skills and references."""

from bot.i18n.types import Messages

MESSAGES: Messages = {
    "lookup.no_such_member": {
        "fr": "Je ne trouve personne qui s'appelle <code>{given}</code> dans ce salon. Écrivez son identifiant complet, comme <code>@camille:exemple.org</code>, ou mentionnez-la.",
        "en": "I cannot find anyone called <code>{given}</code> in this room. Write their full id, like <code>@sam:example.org</code>, or mention them.",
    },
    "lookup.which_member": {
        "fr": "<code>{given}</code> peut désigner {candidates}. Écrivez l'identifiant complet de la bonne personne, comme <code>@camille:exemple.org</code>, ou mentionnez-la.",
        "en": "<code>{given}</code> could be {candidates}. Write the full id of the one you mean, like <code>@sam:example.org</code>, or mention them.",
    },
    "lookup.empty_skill": {
        "fr": "Il manque le nom de la compétence.",
        "en": "The skill's name is missing.",
    },
    "lookup.bad_ref": {
        "fr": "<code>{given}</code> n'est pas une référence valable ici ; elle ressemble à <code>{kinds}</code>.",
        "en": "<code>{given}</code> is not a valid reference here; it looks like <code>{kinds}</code>.",
    },
    "param.skill": {"fr": "compétence", "en": "skill"},
    "param.level": {"fr": "niveau", "en": "level"},
    "param.details": {"fr": "détails", "en": "details"},
    "param.page": {"fr": "page", "en": "page"},
    "param.ref": {"fr": "réf", "en": "ref"},
    "cmd.offer.summary": {
        "fr": "ce que je peux partager ou transmettre (niveau 1 à 5, 3 par défaut)",
        "en": "what I can share or teach (level 1 to 5, 3 by default)",
    },
    "cmd.need.summary": {
        "fr": "ce que je veux apprendre ; le niveau dit où j'en suis (1 par défaut)",
        "en": "what I want to learn; the level says where I am now (1 by default)",
    },
    "cmd.offers.summary": {
        "fr": "les offres ouvertes, les plus récentes d'abord",
        "en": "open offers, newest first",
    },
    "cmd.needs.summary": {
        "fr": "les besoins ouverts, les plus récents d'abord",
        "en": "open needs, newest first",
    },
    "cmd.withdraw.summary": {
        "fr": "retire une de mes offres ou un de mes besoins",
        "en": "withdraws one of my offers or needs",
    },
    "level.1": {"fr": "curieux·se", "en": "curious"},
    "level.2": {"fr": "débutant·e", "en": "beginner"},
    "level.3": {"fr": "praticien·ne", "en": "practitioner"},
    "level.4": {"fr": "expérimenté·e", "en": "experienced"},
    "level.5": {"fr": "expert·e", "en": "expert"},
    "offers.level": {"fr": "{level} ({name})", "en": "{level} ({name})"},
    "offers.bad_level": {
        "fr": "<code>{given}</code> n'est pas un niveau : écrivez un chiffre de 1 à 5, ou curieux, débutant, praticien, expérimenté, expert.",
        "en": "<code>{given}</code> is not a level: write a number from 1 to 5, or curious, beginner, practitioner, experienced, expert.",
    },
    "offers.skill_too_long": {
        "fr": "Le nom de la compétence est trop long ({limit} caractères au plus) ; les détails vont après <code>:</code>.",
        "en": "The skill's name is too long (at most {limit} characters); details go after <code>:</code>.",
    },
    "offers.details_too_long": {
        "fr": "Les détails sont trop longs ({limit} caractères au plus).",
        "en": "The details are too long (at most {limit} characters).",
    },
    "offers.bad_page": {
        "fr": "<code>{given}</code> n'est pas un numéro de page (1, 2, 3…).",
        "en": "<code>{given}</code> is not a page number (1, 2, 3…).",
    },
    "offers.recorded_offer": {
        "fr": "Offre <b>{ref}</b> notée : <b>{skill}</b>, niveau {level}. Merci de partager !",
        "en": "Offer <b>{ref}</b> recorded: <b>{skill}</b>, level {level}. Thank you for sharing!",
    },
    "offers.recorded_need": {
        "fr": "Besoin <b>{ref}</b> noté : <b>{skill}</b>, niveau actuel {level}.",
        "en": "Need <b>{ref}</b> recorded: <b>{skill}</b>, current level {level}.",
    },
    "offers.updated_offer": {
        "fr": "Vous offriez déjà cette compétence : offre <b>{ref}</b> mise à jour ({skill}, niveau {level}).",
        "en": "You already offered this skill: offer <b>{ref}</b> updated ({skill}, level {level}).",
    },
    "offers.updated_need": {
        "fr": "Vous aviez déjà ce besoin : besoin <b>{ref}</b> mis à jour ({skill}, niveau {level}).",
        "en": "You already had this need: need <b>{ref}</b> updated ({skill}, level {level}).",
    },
    "offers.taken_as": {
        "fr": "J'ai compris « {typed} » comme <b>{skill}</b>.",
        "en": "I took “{typed}” as <b>{skill}</b>.",
    },
    "offers.nobody_offers": {
        "fr": "Personne ne propose encore {skill} : je le signalerai dans le prochain bilan, quelqu'un se lancera peut-être.",
        "en": "Nobody offers {skill} yet: I will mention it in the next digest, someone may step up.",
    },
    "offers.who_can_help": {
        "fr": "Peuvent vous aider : {people}.",
        "en": "Who can help: {people}.",
    },
    "offers.nobody_needs": {
        "fr": "Personne ne cherche {skill} pour l'instant ; je garde votre offre sous le coude.",
        "en": "Nobody is looking for {skill} right now; your offer is kept for when someone does.",
    },
    "offers.who_needs": {
        "fr": "Cherchent à apprendre : {people}.",
        "en": "Looking to learn it: {people}.",
    },
    "offers.person": {
        "fr": "{name} (niveau {level}, {ref})",
        "en": "{name} (level {level}, {ref})",
    },
    "offers.unknown_skill": {
        "fr": "Je ne connais pas encore de compétence comme « {skill} ».",
        "en": "I know no skill like “{skill}” yet.",
    },
    "offers.none_open_offer": {
        "fr": "Aucune offre ouverte pour l'instant.",
        "en": "No open offers yet.",
    },
    "offers.none_open_need": {
        "fr": "Aucun besoin ouvert pour l'instant.",
        "en": "No open needs right now.",
    },
    "offers.no_such_page": {
        "fr": "Il n'y a pas de page {page}.",
        "en": "There is no page {page}.",
    },
    "offers.title_offer": {
        "fr": "<b>Offres ouvertes</b> (page {page}) :",
        "en": "<b>Open offers</b> (page {page}):",
    },
    "offers.title_need": {
        "fr": "<b>Besoins ouverts</b> (page {page}) :",
        "en": "<b>Open needs</b> (page {page}):",
    },
    "offers.title_offer_skill": {
        "fr": "<b>Offres ouvertes en {skill}</b> (page {page}) :",
        "en": "<b>Open offers for {skill}</b> (page {page}):",
    },
    "offers.title_need_skill": {
        "fr": "<b>Besoins ouverts en {skill}</b> (page {page}) :",
        "en": "<b>Open needs for {skill}</b> (page {page}):",
    },
    "offers.line": {
        "fr": "<code>{ref}</code> · {name} · {skill} · niveau {level} · {age}",
        "en": "<code>{ref}</code> · {name} · {skill} · level {level} · {age}",
    },
    "offers.details": {"fr": "— <i>{details}</i>", "en": "— <i>{details}</i>"},
    "offers.more": {
        "fr": "La suite : <code>{command}</code>",
        "en": "More: <code>{command}</code>",
    },
    "offers.no_such_ref": {
        "fr": "Je ne trouve pas <code>{ref}</code>.",
        "en": "I cannot find <code>{ref}</code>.",
    },
    "offers.not_yours": {
        "fr": "<code>{ref}</code> appartient à {name} : seul·e cette personne ou un·e modérateur·ice peut le retirer.",
        "en": "<code>{ref}</code> belongs to {name}: only they or a moderator can withdraw it.",
    },
    "offers.already_withdrawn": {
        "fr": "<code>{ref}</code> était déjà retiré.",
        "en": "<code>{ref}</code> was already withdrawn.",
    },
    "offers.withdrawn": {
        "fr": "<code>{ref}</code> ({skill}) est retiré.",
        "en": "<code>{ref}</code> ({skill}) is withdrawn.",
    },
}
