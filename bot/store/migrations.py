"""Numbered schema migrations, applied in order, each in its own transaction.

Append new steps; never edit a released one.
"""

from collections.abc import Sequence

MIGRATIONS: Sequence[str] = (
    # 1: what the foundation needs to answer each command exactly once.
    """
    CREATE TABLE handled_event (
        event_id   TEXT PRIMARY KEY,
        room_id    TEXT NOT NULL,
        handled_at TEXT NOT NULL
    );
    CREATE INDEX handled_event_by_time ON handled_event (handled_at);
    CREATE TABLE served_room (
        room_id   TEXT PRIMARY KEY,
        joined_at TEXT NOT NULL
    );
    """,
    # 2: the ledger: members, skills, offers and needs, contributions and their confirmations.
    """
    CREATE TABLE member (
        user_id      TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        first_seen   TEXT NOT NULL
    );
    CREATE INDEX member_by_first_seen ON member (first_seen);
    CREATE TABLE skill (
        id   INTEGER PRIMARY KEY,
        key  TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL
    );
    CREATE TABLE listing (
        id           INTEGER PRIMARY KEY,
        kind         TEXT NOT NULL CHECK (kind IN ('offer', 'need')),
        member       TEXT NOT NULL,
        skill_id     INTEGER NOT NULL REFERENCES skill (id),
        level        INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
        details      TEXT NOT NULL DEFAULT '',
        room_id      TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        withdrawn_at TEXT
    );
    CREATE INDEX listing_open_by_skill ON listing (kind, skill_id, created_at)
        WHERE withdrawn_at IS NULL;
    CREATE INDEX listing_open_by_time ON listing (kind, created_at) WHERE withdrawn_at IS NULL;
    CREATE INDEX listing_by_member ON listing (member, kind);
    CREATE TABLE contribution (
        id           INTEGER PRIMARY KEY,
        member       TEXT NOT NULL,
        minutes      INTEGER CHECK (minutes IS NULL OR minutes > 0),
        domain       TEXT NOT NULL,
        what         TEXT NOT NULL,
        recorded_by  TEXT,
        room_id      TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        record_event TEXT UNIQUE
    );
    CREATE INDEX contribution_by_member ON contribution (member, created_at);
    CREATE INDEX contribution_by_time ON contribution (created_at);
    CREATE INDEX contribution_by_recorder ON contribution (recorded_by);
    CREATE TABLE confirmation (
        id              INTEGER PRIMARY KEY,
        contribution_id INTEGER NOT NULL REFERENCES contribution (id) ON DELETE CASCADE,
        confirmer       TEXT,
        via_event       TEXT UNIQUE,
        created_at      TEXT NOT NULL,
        UNIQUE (contribution_id, confirmer)
    );
    CREATE INDEX confirmation_by_confirmer ON confirmation (confirmer);
    CREATE TABLE forget_request (
        member       TEXT PRIMARY KEY,
        requested_at TEXT NOT NULL
    );
    CREATE TABLE direct_room (
        member  TEXT PRIMARY KEY,
        room_id TEXT NOT NULL
    );
    """,
    # 3: "who can help" reads the best open offers of a skill straight from an index, and
    # "do I already offer this?" looks at one member's records, not at the whole skill.
    """
    CREATE INDEX listing_offers_by_skill_level ON listing (skill_id, level DESC, created_at)
        WHERE kind = 'offer' AND withdrawn_at IS NULL;
    CREATE INDEX listing_open_by_member_skill ON listing (member, kind, skill_id)
        WHERE withdrawn_at IS NULL;
    """,
    # 4: mentorship matches. A declined row is kept forever: that pair never comes back.
    """
    CREATE TABLE match (
        id         INTEGER PRIMARY KEY,
        need_id    INTEGER REFERENCES listing (id) ON DELETE SET NULL,
        offer_id   INTEGER REFERENCES listing (id) ON DELETE SET NULL,
        mentee     TEXT,
        mentor     TEXT,
        skill_id   INTEGER NOT NULL REFERENCES skill (id),
        state      TEXT NOT NULL
                   CHECK (state IN ('asked', 'accepted', 'declined', 'done', 'cancelled')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        room_id    TEXT,
        feedback   TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX match_by_offer ON match (offer_id, state);
    CREATE INDEX match_by_need ON match (need_id, state);
    CREATE INDEX match_by_mentee ON match (mentee, state);
    CREATE INDEX match_by_mentor ON match (mentor, state);
    CREATE INDEX match_by_time ON match (updated_at);
    CREATE UNIQUE INDEX match_one_open_per_pair ON match (need_id, offer_id)
        WHERE state IN ('asked', 'accepted');
    """,
    # 5: weighted polls. Weights are frozen when a poll opens (members absent weigh 1);
    # every response event is kept, so the latest one and a redaction's fallback can be told.
    """
    CREATE TABLE poll (
        id             INTEGER PRIMARY KEY,
        room_id        TEXT NOT NULL,
        creator        TEXT,
        question       TEXT NOT NULL,
        answers        TEXT NOT NULL,
        max_selections INTEGER NOT NULL CHECK (max_selections >= 1),
        secret         INTEGER NOT NULL,
        equal          INTEGER NOT NULL,
        domain         TEXT,
        opened_at      TEXT NOT NULL,
        closes_at      TEXT NOT NULL,
        closed_at      TEXT,
        start_event    TEXT UNIQUE,
        end_event      TEXT,
        result         TEXT
    );
    CREATE INDEX poll_open_by_deadline ON poll (closes_at) WHERE closed_at IS NULL;
    CREATE INDEX poll_by_opening ON poll (opened_at);
    CREATE INDEX poll_by_closing ON poll (closed_at);
    CREATE TABLE poll_weight (
        poll_id INTEGER NOT NULL REFERENCES poll (id) ON DELETE CASCADE,
        member  TEXT NOT NULL,
        weight  REAL NOT NULL,
        PRIMARY KEY (poll_id, member)
    ) WITHOUT ROWID;
    CREATE TABLE poll_response (
        event_id TEXT PRIMARY KEY,
        poll_id  INTEGER NOT NULL REFERENCES poll (id) ON DELETE CASCADE,
        voter    TEXT NOT NULL,
        answers  TEXT,
        sent_at  TEXT NOT NULL,
        redacted INTEGER NOT NULL DEFAULT 0,
        typed    INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX poll_response_by_poll ON poll_response (poll_id, voter, sent_at);
    CREATE INDEX poll_response_by_voter ON poll_response (voter);
    """,
    # 6: the weekly digest: one row per room and period, written with its text before it is
    # sent, so a send cut short by a stop is finished at start-up (and never doubled).
    """
    CREATE TABLE digest_sent (
        room_id    TEXT NOT NULL,
        period_end TEXT NOT NULL,
        sent_at    TEXT NOT NULL,
        late       INTEGER NOT NULL,
        body       TEXT,
        html       TEXT,
        event_id   TEXT,
        PRIMARY KEY (room_id, period_end)
    ) WITHOUT ROWID;
    """,
    # 7: the durable intake. Every event the bot must act on is written down in the same
    # transaction as the sync position passing it, and every reply is owed, with its text,
    # from the transaction that decided it until the homeserver took it: a crash loses
    # neither. Who invited the bot into a room, so it leaves when they may no longer.
    """
    CREATE TABLE sync_position (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        next_batch TEXT NOT NULL
    );
    ALTER TABLE served_room ADD COLUMN invited_by TEXT;
    CREATE TABLE intake (
        seq         INTEGER PRIMARY KEY,
        event_id    TEXT NOT NULL UNIQUE,
        kind        TEXT NOT NULL,
        payload     TEXT NOT NULL,
        received_at TEXT NOT NULL
    );
    CREATE TABLE owed_reply (
        txn_id      TEXT PRIMARY KEY,
        room_id     TEXT NOT NULL,
        in_reply_to TEXT NOT NULL,
        thread_root TEXT,
        body        TEXT NOT NULL,
        html        TEXT NOT NULL,
        mentions    TEXT NOT NULL,
        record_of   INTEGER,
        owed_since  TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 8: the direct rooms of forgotten members, until the bot has emptied and left them.
    """
    CREATE TABLE room_to_leave (
        room_id TEXT PRIMARY KEY
    ) WITHOUT ROWID;
    """,
    # 9: a contribution a moderator voided counts for nothing, and says why, until restored.
    """
    ALTER TABLE contribution ADD COLUMN voided_at TEXT;
    ALTER TABLE contribution ADD COLUMN void_reason TEXT NOT NULL DEFAULT '';
    """,
    # 10: disputes: anyone may contest a contribution, with a reason; a moderator settles.
    """
    CREATE TABLE dispute (
        id              INTEGER PRIMARY KEY,
        contribution_id INTEGER NOT NULL REFERENCES contribution (id) ON DELETE CASCADE,
        raised_by       TEXT NOT NULL,
        reason          TEXT NOT NULL,
        raised_at       TEXT NOT NULL,
        settled_at      TEXT,
        upheld          INTEGER
    );
    CREATE INDEX dispute_open ON dispute (raised_at) WHERE settled_at IS NULL;
    CREATE INDEX dispute_by_member ON dispute (raised_by);
    CREATE UNIQUE INDEX dispute_one_open_each ON dispute (contribution_id, raised_by)
        WHERE settled_at IS NULL;
    """,
    # 11: whether a bound (the weekly one, trust) cut a member's hours when a poll froze
    # their weight, so the result can say how many voters it cut.
    """
    ALTER TABLE poll_weight ADD COLUMN bounded INTEGER NOT NULL DEFAULT 0;
    """,
    # 12: random reviews: a member with no part in a contribution is asked whether it
    # happened; their confirmation or dispute answers it.
    """
    CREATE TABLE review (
        contribution_id INTEGER PRIMARY KEY REFERENCES contribution (id) ON DELETE CASCADE,
        reviewer        TEXT NOT NULL,
        asked_at        TEXT NOT NULL,
        answered_at     TEXT,
        verdict         TEXT CHECK (verdict IN ('confirmed', 'contested'))
    );
    CREATE INDEX review_by_reviewer ON review (reviewer);
    CREATE INDEX review_by_time ON review (asked_at);
    """,
    # 13: the result posted in a poll's thread, kept apart from its end event: the end may be
    # a member's (Element's "End poll"), and the bot's own goes out before it counts. A poll
    # ended before had its result posted first ('': its id was not kept).
    """
    ALTER TABLE poll ADD COLUMN result_event TEXT;
    UPDATE poll SET result_event = '' WHERE end_event IS NOT NULL;
    """,
    # 14: how a command went, so that its edit knows what to do: 'done' (an edit gets a
    # hint, once: 'hinted'), 'failed' (the edit is run). NULL: handled before this was kept.
    """
    ALTER TABLE handled_event ADD COLUMN outcome TEXT;
    """,
    # 15: the thread a poll was asked for in: its card and its result go there.
    """
    ALTER TABLE poll ADD COLUMN thread_root TEXT;
    """,
    # 16: decisions. A poll may ask for a quorum (a share of the room's members, or of their
    # weight, as they stood at the opening) and then offers "abstain" as its last answer; it
    # may remind those who have not voted, once (decided, then sent: a stop between the two
    # sends it at the next start). Members may decline reminders.
    """
    ALTER TABLE poll ADD COLUMN abstain INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE poll ADD COLUMN quorum REAL;
    ALTER TABLE poll ADD COLUMN quorum_weight REAL;
    ALTER TABLE poll ADD COLUMN members INTEGER;
    ALTER TABLE poll ADD COLUMN members_weight REAL;
    ALTER TABLE poll ADD COLUMN remind_at TEXT;
    ALTER TABLE poll ADD COLUMN reminded_at TEXT;
    ALTER TABLE poll ADD COLUMN reminder_event TEXT;
    CREATE INDEX poll_reminder_due ON poll (remind_at)
        WHERE remind_at IS NOT NULL AND reminder_event IS NULL AND closed_at IS NULL;
    ALTER TABLE member ADD COLUMN reminders INTEGER NOT NULL DEFAULT 1;
    """,
    # 17: consent proposals: a poll of the kind 'proposal' (consent / objection / abstain),
    # the round it amends, and the reason each objector gave (their latest).
    """
    ALTER TABLE poll ADD COLUMN kind TEXT NOT NULL DEFAULT 'poll'
        CHECK (kind IN ('poll', 'proposal'));
    ALTER TABLE poll ADD COLUMN amends INTEGER REFERENCES poll (id);
    CREATE TABLE objection (
        poll_id   INTEGER NOT NULL REFERENCES poll (id) ON DELETE CASCADE,
        member    TEXT NOT NULL,
        reason    TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        PRIMARY KEY (poll_id, member)
    ) WITHOUT ROWID;
    CREATE INDEX objection_by_member ON objection (member);
    """,
    # 18: workshops: a host teaches a skill at a time and place; members sign up (by command
    # or a 🙋 reaction: via_event), in order, beyond the places on a waitlist. When done, the
    # host's hours become a contribution the attendees present confirm. A reminder is decided
    # then sent, once. Members may ask to be pinged when a workshop meets one of their needs.
    """
    CREATE TABLE workshop (
        id              INTEGER PRIMARY KEY,
        room_id         TEXT NOT NULL,
        host            TEXT,
        skill_id        INTEGER NOT NULL REFERENCES skill (id),
        starts_at       TEXT NOT NULL,
        minutes         INTEGER NOT NULL CHECK (minutes > 0),
        places          INTEGER CHECK (places > 0),
        place           TEXT NOT NULL DEFAULT '',
        details         TEXT NOT NULL DEFAULT '',
        created_at      TEXT NOT NULL,
        announce_event  TEXT UNIQUE,
        cancelled_at    TEXT,
        cancel_reason   TEXT NOT NULL DEFAULT '',
        done_at         TEXT,
        made            TEXT NOT NULL DEFAULT '',
        contribution_id INTEGER REFERENCES contribution (id) ON DELETE SET NULL,
        remind_at       TEXT,
        reminded_at     TEXT,
        reminder_event  TEXT
    );
    CREATE INDEX workshop_by_start ON workshop (starts_at);
    CREATE INDEX workshop_by_host ON workshop (host);
    CREATE TABLE signup (
        workshop_id INTEGER NOT NULL REFERENCES workshop (id) ON DELETE CASCADE,
        member      TEXT NOT NULL,
        signed_at   TEXT NOT NULL,
        via_event   TEXT UNIQUE,
        attended    INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (workshop_id, member)
    ) WITHOUT ROWID;
    CREATE INDEX signup_by_member ON signup (member);
    ALTER TABLE member ADD COLUMN workshop_pings INTEGER NOT NULL DEFAULT 0;
    """,
)

LATEST_VERSION = len(MIGRATIONS)
