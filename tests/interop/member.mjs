// One community member driven by matrix-js-sdk, the SDK Element is built on.
//
// A Python test runs it as a child process and speaks JSON lines: each line on stdin is
// {"id", "cmd", ...arguments}; each answer on stdout is {"id", "ok", "result"} or
// {"id", "ok": false, "error"}. Commands run one at a time, in order. js-sdk's own logs go
// to stderr, which the test shows when something fails.
//
// With `crypto`, the member runs js-sdk's Rust crypto (what Element uses), its stores in
// memory: it sends encrypted in encrypted rooms, and each event it reads there is reported once
// js-sdk decrypted it, with js-sdk's verdict on its sender (the shield Element draws).
import { Console } from "node:console";
import { createInterface } from "node:readline";

// Before js-sdk logs anything: stdout carries only the answers.
globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });

const { ClientEvent, createClient, MatrixEventEvent, Method, PollEvent } = await import("matrix-js-sdk");
const { EventShieldColour, EventShieldReason, OnlySignedDevicesIsolationMode } = await import(
    "matrix-js-sdk/lib/crypto-api/index.js"
);
const { logger } = await import("matrix-js-sdk/lib/logger.js");
const { PollEndEvent } = await import("matrix-js-sdk/lib/extensible_events_v1/PollEndEvent.js");
const { PollResponseEvent } = await import("matrix-js-sdk/lib/extensible_events_v1/PollResponseEvent.js");

logger.setLevel("info"); // not each HTTP request

let client;
const seen = []; // every room event js-sdk handed to the client, as summaries, in order
const events = new Map(); // the same events by id, as js-sdk holds them
const undecryptable = new Map(); // event id → why js-sdk could not decrypt it (so far)
const arrivals = new Set(); // callbacks waiting for the next event

function summary(event) {
    // What this member's client makes of an event: js-sdk's own thread, reply and push reading.
    // Element's call: getPushDetailsForEvent would return the empty details it starts with.
    const actions = client.getPushActionsForEvent(event);
    return {
        event_id: event.getId(),
        room_id: event.getRoomId(),
        sender: event.getSender(),
        type: event.getType(),
        content: event.getContent(),
        thread_root: event.threadRootId ?? null,
        reply_to: event.replyEventId ?? null,
        encrypted: event.isEncrypted(),
        push: {
            notify: Boolean(actions?.notify),
            highlight: Boolean(actions?.tweaks?.highlight),
            rule: event.getPushDetails().rule?.rule_id ?? null,
        },
    };
}

function note(event) {
    // An event from sync. One sent encrypted is noted once js-sdk decrypted it (sync starts
    // the decryption; a key that comes later decrypts it again, emitting Decrypted again).
    const id = event.getId();
    if (id === undefined || event.getRoomId() === undefined) return; // receipts, typing
    events.set(id, event);
    if (!event.isEncrypted() || client.getCrypto() === undefined) return record(event); // as sent
    event.on(MatrixEventEvent.Decrypted, () => record(event));
    if (!event.isBeingDecrypted() && !event.shouldAttemptDecryption()) record(event);
}

function record(event) {
    const id = event.getId();
    if (event.isBeingDecrypted() || seen.some((each) => each.event_id === id)) return;
    if (event.isDecryptionFailure()) {
        undecryptable.set(id, `${event.getSender()}'s ${id}: ${event.decryptionFailureReason}`);
    } else {
        undecryptable.delete(id);
        seen.push(summary(event));
    }
    changed();
}

async function encryption(event) {
    // Element's shield for this event and the sender's device that encrypted it (the one
    // whose Curve25519 key js-sdk found in the room key), asked now: it follows key updates.
    const crypto = client.getCrypto();
    if (!event.isEncrypted() || crypto === undefined) return null;
    const info = await crypto.getEncryptionInfoForEvent(event);
    const devices = (await crypto.getUserDeviceInfo([event.getSender()], true)).get(event.getSender());
    const device = [...(devices?.values() ?? [])].find((each) => each.getIdentityKey() === event.getSenderKey());
    return {
        shield_colour: info === null ? null : EventShieldColour[info.shieldColour],
        shield_reason: info?.shieldReason == null ? null : EventShieldReason[info.shieldReason],
        sender_device: device?.deviceId ?? null,
    };
}

function waitFor(find, timeoutMs, what) {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
        const check = () => {
            const result = find();
            if (result === undefined) return;
            clearTimeout(timer);
            arrivals.delete(check);
            resolve(result);
        };
        const timer = setTimeout(() => {
            arrivals.delete(check);
            const failed = [...undecryptable.values()];
            const why = failed.length ? `; js-sdk could not decrypt ${failed.join(", ")}` : "";
            reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`));
        }, timeoutMs);
        arrivals.add(check);
    });
}

function changed() {
    for (const check of [...arrivals]) check();
}

function matches(event, match) {
    return Object.entries(match).every(([key, value]) =>
        key === "body_startswith" ? String(event.content.body ?? "").startsWith(value) : event[key] === value,
    );
}

function pollCounts(poll, responses) {
    // Element's reading (MPollBody): each voter's latest response counts, checked against
    // the poll's answers and max selections; spoiled ones count for nothing.
    const latest = new Map();
    for (const event of responses.getRelations()) {
        const previous = latest.get(event.getSender());
        if (!previous || previous.getTs() < event.getTs()) latest.set(event.getSender(), event);
    }
    const counts = Object.fromEntries(poll.pollEvent.answers.map((answer) => [answer.id, 0]));
    for (const event of latest.values()) {
        const given = event.unstableExtensibleEvent;
        const response = PollResponseEvent.from(given.spoiled ? [] : given.answerIds, poll.pollId);
        response.validateAgainst(poll.pollEvent);
        if (response.spoiled) continue;
        for (const id of response.answerIds) counts[id] += 1;
    }
    return counts;
}

const commands = {
    async login({ homeserver, user, password, crypto = false, isolation = "all", cross_signing = false }) {
        const anonymous = createClient({ baseUrl: homeserver });
        const session = await anonymous.loginRequest({
            type: "m.login.password",
            identifier: { type: "m.id.user", user },
            password,
            initial_device_display_name: "interop member",
        });
        client = createClient({
            baseUrl: homeserver,
            userId: session.user_id,
            accessToken: session.access_token,
            deviceId: session.device_id,
        });
        if (crypto) {
            // Element's crypto, its stores in memory (Node has no IndexedDB); it loads the
            // WebAssembly build of matrix-sdk-crypto and uploads this device's keys at sync.
            await client.initRustCrypto({ useIndexedDB: false });
            // Element's "exclude insecure devices" (MSC4153): room keys go only to devices
            // their owner cross-signed, and only such devices' messages are decrypted.
            if (isolation === "signed") client.getCrypto().setDeviceIsolationMode(new OnlySignedDevicesIsolationMode());
            else if (isolation !== "all") throw new Error(`unknown isolation mode ${isolation}`);
        } else if (isolation !== "all" || cross_signing) {
            throw new Error("isolation and cross_signing need crypto");
        }
        client.on(ClientEvent.Event, note);
        // Rooms do not pass their polls' news up to the client: listen to each room's polls.
        client.on(ClientEvent.Room, (room) =>
            room.on(PollEvent.New, (poll) => {
                poll.on(PollEvent.Responses, changed);
                poll.on(PollEvent.End, changed);
                changed();
            }),
        );
        const prepared = new Promise((resolve, reject) => {
            client.on(ClientEvent.Sync, (state, _previous, data) => {
                if (state === "PREPARED") resolve();
                if (state === "ERROR") reject(data?.error ?? new Error("sync failed"));
            });
        });
        // As Element starts it: threads on; push rules are the server's, untouched.
        await client.startClient({ initialSyncLimit: 20, threadSupport: true });
        await prepared;
        if (cross_signing) {
            // As Element does at first login: this user's cross-signing keys, this device
            // signed by them; the upload is authorised with the password.
            await client.getCrypto().bootstrapCrossSigning({
                authUploadDeviceSigningKeys: (makeRequest) =>
                    makeRequest({ type: "m.login.password", identifier: { type: "m.id.user", user }, password }),
            });
        }
        return session.user_id;
    },

    async create_room({ name, invite, encrypted = false }) {
        // As Element creates a private room; encrypted, with Element's algorithm.
        const initial_state = encrypted
            ? [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }]
            : [];
        const { room_id } = await client.createRoom({ name, invite, initial_state, preset: "private_chat" });
        await waitFor(() => client.getRoom(room_id) ?? undefined, 10_000, `the room ${room_id} in sync`);
        return room_id;
    },

    async trust({ user }) {
        // What js-sdk's crypto makes of a user and of each of their devices, keys downloaded
        // if this client does not track them yet.
        const crypto = client.getCrypto();
        if (crypto === undefined) throw new Error("trust needs a member started with crypto");
        const devices = (await crypto.getUserDeviceInfo([user], true)).get(user) ?? new Map();
        const status = await crypto.getUserVerificationStatus(user);
        const found = {};
        for (const id of devices.keys()) {
            const device = await crypto.getDeviceVerificationStatus(user, id);
            found[id] = device && {
                signed_by_owner: device.signedByOwner,
                cross_signing_verified: device.crossSigningVerified,
                local_verified: device.localVerified,
                verified: device.isVerified(),
            };
        }
        return {
            has_cross_signing_keys: await crypto.userHasCrossSigningKeys(user, true),
            verified: status.isVerified(),
            cross_signing_verified: status.isCrossSigningVerified(),
            was_cross_signing_verified: status.wasCrossSigningVerified(),
            needs_user_approval: status.needsUserApproval,
            devices: found,
        };
    },

    async join({ room }) {
        await client.joinRoom(room);
        return room;
    },

    async send({ room, text, html, mentions, thread, reply_to }) {
        const content = { msgtype: "m.text", body: text };
        if (html !== undefined) Object.assign(content, { format: "org.matrix.custom.html", formatted_body: html });
        if (mentions !== undefined) content["m.mentions"] = { user_ids: mentions };
        if (reply_to !== undefined) content["m.relates_to"] = { "m.in_reply_to": { event_id: reply_to } };
        // js-sdk adds the thread relation and its reply fallback, as for Element's thread composer.
        const sent = await client.sendEvent(room, thread ?? null, "m.room.message", content);
        return sent.event_id;
    },

    async react({ room, event, key }) {
        const relation = { rel_type: "m.annotation", event_id: event, key };
        return (await client.sendEvent(room, "m.reaction", { "m.relates_to": relation })).event_id;
    },

    async vote({ room, poll, answers }) {
        // As Element's poll body sends a click.
        const response = PollResponseEvent.from(answers, poll).serialize();
        return (await client.sendEvent(room, response.type, response.content)).event_id;
    },

    async end_poll({ room, poll, text }) {
        // As Element's "End poll" dialog sends it.
        const end = PollEndEvent.from(poll, text).serialize();
        return (await client.sendEvent(room, end.type, end.content)).event_id;
    },

    async poll({ room, poll: pollId, timeout_ms = 10_000 }) {
        const found = await waitFor(
            () => client.getRoom(room)?.polls.get(pollId),
            timeout_ms,
            `js-sdk's Poll model of ${pollId}`,
        );
        const responses = await found.getResponses();
        await waitFor(() => (found.isFetchingResponses ? undefined : true), timeout_ms, "every page of responses");
        return {
            question: found.pollEvent.question.text,
            answers: found.pollEvent.answers.map((answer) => ({ id: answer.id, text: answer.text })),
            max_selections: found.pollEvent.maxSelections,
            ended: found.isEnded,
            end_event: found.endEventId ?? null,
            sender: found.rootEvent.getSender(),
            thread_root: found.rootEvent.threadRootId ?? null,
            counts: pollCounts(found, responses),
        };
    },

    async wait({ match, timeout_ms = 15_000 }) {
        const found = await waitFor(() => seen.find((event) => matches(event, match)), timeout_ms, JSON.stringify(match));
        return { ...found, encryption: await encryption(events.get(found.event_id)) };
    },

    async notifications() {
        // The homeserver's own list (GET /_matrix/client/v3/notifications), through js-sdk's HTTP layer.
        return (await client.http.authedRequest(Method.Get, "/notifications", { limit: "100" })).notifications;
    },

    async stop() {
        client?.stopClient();
        return null;
    },
};

const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on("line", (line) => {
    queue = queue.then(async () => {
        const { id, cmd, ...args } = JSON.parse(line);
        let answer;
        try {
            if (!(cmd in commands)) throw new Error(`unknown command ${cmd}`);
            answer = { id, ok: true, result: await commands[cmd](args) };
        } catch (error) {
            answer = { id, ok: false, error: String(error?.stack ?? error) };
        }
        process.stdout.write(JSON.stringify(answer) + "\n");
        if (cmd === "stop") process.exit(0);
    });
});
lines.on("close", () => queue.then(() => process.exit(0)));
