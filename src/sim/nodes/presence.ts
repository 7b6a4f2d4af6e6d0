/**
 * The presence service: who is online, since when, and who is typing. Servers report connects,
 * disconnects and heartbeats; an entry that stops beating expires after a TTL (so a crashed
 * server's users stay "online" as ghosts until then, as in Centrifugo). A status change is fanned
 * out by one of three strategies, whose message counts are the lesson:
 *
 * - `broadcast`: to every contact (everyone sharing a channel) who is online;
 * - `subscribers`: only to users currently looking at this user (Slack's `presence_sub`);
 * - `lazy`: to nobody; clients ask when they need to know.
 *
 * It also tells the notification service which members of a channel are offline.
 *
 * Every action is authorized like a send (ADR 0013): a user may type only in a channel they are a
 * member of, and may watch or ask about only users who share a channel with them (their contacts)
 * or themselves. Anything else is refused with `presence/actionRefused`, and nothing about it is
 * sent to anyone.
 */
import type { ServerFrame, WireMsg } from '../contract/index.ts';
import { fx, type Effect, type NodeBehavior } from '../core/node.ts';
import { NODE } from './protocol.ts';

/** Presence configuration. */
export interface PresenceConfig {
  readonly strategy: 'broadcast' | 'subscribers' | 'lazy';
  readonly ttlMs: number;
  readonly sweepMs: number;
  /** user → contacts (members of any shared channel). */
  readonly contacts: Readonly<Record<string, readonly string[]>>;
  /** channel → members (for typing notices). */
  readonly channels: Readonly<Record<string, readonly string[]>>;
  readonly notifications: boolean;
}

interface Entry {
  server: string;
  lastSeenMs: number;
  online: boolean;
}

/** Presence state. */
export interface PresenceState {
  readonly config: PresenceConfig;
  entries: Record<string, Entry>;
  /** watched user → users looking at them (subscribers strategy). */
  watchers: Record<string, string[]>;
  /** user → the users they currently watch (to replace the list on each presence_sub). */
  watching: Record<string, readonly string[]>;
  /** Channels whose members changed during the run (joins and leaves): their members now. */
  changedChannels: Record<string, readonly string[]>;
  /** Users whose contacts changed with them: their contacts now. */
  changedContacts: Record<string, readonly string[]>;
}

function membersNow(state: PresenceState, channel: string): readonly string[] {
  return state.changedChannels[channel] ?? state.config.channels[channel] ?? [];
}

function contactsOf(state: PresenceState, user: string): readonly string[] {
  return state.changedContacts[user] ?? state.config.contacts[user] ?? [];
}

/**
 * A join or leave the chat service reports (a leave before it takes effect there, a join after:
 * presence never allows more than the chat service). Contacts follow: a leaver's are recomputed
 * from every channel (rare, so a scan is affordable), a joiner and the members gain each other.
 */
function membershipChanged(state: PresenceState, user: string, channel: string, join: boolean): void {
  const before = membersNow(state, channel);
  if (before.includes(user) === join) return;
  const after = join ? [...before, user] : before.filter((u) => u !== user);
  state.changedChannels[channel] = after;
  if (join) {
    for (const m of before) {
      state.changedContacts[m] = [...new Set([...contactsOf(state, m), user])];
      state.changedContacts[user] = [...new Set([...contactsOf(state, user), m])];
    }
    return;
  }
  const channels = new Set([...Object.keys(state.config.channels), ...Object.keys(state.changedChannels)]);
  for (const x of [user, ...before]) {
    const contacts = new Set<string>();
    for (const ch of channels) {
      const members = membersNow(state, ch);
      if (members.includes(x)) for (const m of members) if (m !== x) contacts.add(m);
    }
    state.changedContacts[x] = [...contacts];
  }
}

type Fx = Effect<WireMsg, unknown>[];

export const presence: NodeBehavior<PresenceState, WireMsg, unknown, PresenceConfig> = {
  kind: 'presence',
  init: (config, _ctx, durable) => {
    const disk = durable as Pick<PresenceState, 'changedChannels' | 'changedContacts'> | undefined;
    return { config, entries: {}, watchers: {}, watching: {}, changedChannels: disk?.changedChannels ?? {}, changedContacts: disk?.changedContacts ?? {} };
  },
  // Memberships are the database's (presence reloads them after a restart); statuses are not kept.
  durable: (state) => ({ changedChannels: state.changedChannels, changedContacts: state.changedContacts }),
  handle(state, now, input) {
    const out: Fx = [];
    if (input.type === 'started') {
      out.push(fx.setTimer('sweep', state.config.sweepMs));
      return { state, effects: out };
    }
    if (input.type === 'timer') {
      sweep(state, now, out);
      out.push(fx.setTimer('sweep', state.config.sweepMs));
      return { state, effects: out };
    }
    const msg = input.msg;
    const from = input.from;
    switch (msg.type) {
      case 'presence/connected': {
        const e = state.entries[msg.user];
        const was = e?.online ?? false;
        state.entries[msg.user] = { server: from, lastSeenMs: now, online: true };
        if (!was) changed(state, msg.user, true, 'connected', out);
        break;
      }
      case 'presence/disconnected': {
        const e = state.entries[msg.user];
        // A late disconnect from a server the user already left must not mark them offline.
        if (e === undefined || e.server !== from || !e.online) break;
        e.online = false;
        e.lastSeenMs = now;
        changed(state, msg.user, false, 'disconnected', out);
        break;
      }
      case 'presence/beat': {
        const e = state.entries[msg.user];
        if (e !== undefined && e.online && e.server === from) e.lastSeenMs = now;
        else {
          state.entries[msg.user] = { server: from, lastSeenMs: now, online: true };
          if (e === undefined || !e.online) changed(state, msg.user, true, 'connected', out);
        }
        break;
      }
      case 'presence/sub': {
        // The full list each time: drop the old watches, add the new ones, answer with a snapshot.
        const users = authorized(state, msg.user, 'sub', msg.users, out);
        for (const u of state.watching[msg.user] ?? []) state.watchers[u] = (state.watchers[u] ?? []).filter((w) => w !== msg.user);
        state.watching[msg.user] = users;
        for (const u of users) (state.watchers[u] ??= []).push(msg.user);
        answer(state, from, msg.user, users, out);
        break;
      }
      case 'presence/query':
        answer(state, from, msg.user, authorized(state, msg.user, 'query', msg.users, out), out);
        break;
      case 'presence/typing': {
        // Only a member may type in a channel, as only a member may post there.
        if (!membersNow(state, msg.channel).includes(msg.user)) {
          out.push(fx.trace('presence/actionRefused', { user: msg.user, action: 'typing', channel: msg.channel, refused: 1 }));
          break;
        }
        const recipients = membersNow(state, msg.channel).filter((u) => u !== msg.user);
        const sent = deliver(state, recipients, { type: 'typingNotice', user: msg.user, channel: msg.channel }, out);
        out.push(fx.trace('presence/typingFannedOut', { user: msg.user, channel: msg.channel, recipients: sent }));
        break;
      }
      case 'presence/membership':
        membershipChanged(state, msg.user, msg.channel, msg.action === 'join');
        break;
      case 'presence/notifyOffline': {
        const offline = msg.members.filter((u) => u !== msg.message.author && !(state.entries[u]?.online ?? false));
        if (offline.length > 0) out.push(fx.send<WireMsg>(NODE.notifier, { type: 'notify/push', users: offline, message: msg.message }, 64 + offline.length * 8));
        break;
      }
      default:
        break;
    }
    return { state, effects: out };
  },
};

/** Entries that stopped beating for a TTL go offline (the crash case: no disconnect ever came). */
function sweep(state: PresenceState, now: number, out: Fx): void {
  for (const [user, e] of Object.entries(state.entries)) {
    if (e.online && now - e.lastSeenMs > state.config.ttlMs) {
      e.online = false;
      changed(state, user, false, 'ttlExpired', out);
    }
  }
}

function changed(state: PresenceState, user: string, online: boolean, reason: string, out: Fx): void {
  const e = state.entries[user] as Entry;
  out.push(fx.trace('presence/statusChanged', { user, online, reason }));
  const c = state.config;
  const recipients = c.strategy === 'broadcast' ? contactsOf(state, user) : c.strategy === 'subscribers' ? (state.watchers[user] ?? []) : [];
  const sent = deliver(state, recipients, { type: 'presence', users: [{ user, online, lastSeenMs: e.lastSeenMs }] }, out);
  out.push(fx.trace('presence/fannedOut', { user, strategy: c.strategy, recipients: sent }));
}

/** Sends a frame to the online ones among `recipients`, one message per server. */
function deliver(state: PresenceState, recipients: readonly string[], frame: ServerFrame, out: Fx): number {
  const byServer = new Map<string, string[]>();
  for (const r of recipients) {
    const e = state.entries[r];
    if (e === undefined || !e.online) continue;
    byServer.set(e.server, [...(byServer.get(e.server) ?? []), r]);
  }
  let n = 0;
  for (const [server, users] of byServer) {
    n += users.length;
    out.push(fx.send<WireMsg>(server, { type: 'presence/deliver', recipients: users, frame }, 48 + users.length * 8));
  }
  return n;
}

/** The users `asker` may learn about (themselves and their contacts); the rest are refused and traced. */
function authorized(state: PresenceState, asker: string, action: 'sub' | 'query', users: readonly string[], out: Fx): readonly string[] {
  const contacts = contactsOf(state, asker);
  const allowed = users.filter((u) => u === asker || contacts.includes(u));
  if (allowed.length < users.length) out.push(fx.trace('presence/actionRefused', { user: asker, action, channel: null, refused: users.length - allowed.length }));
  return allowed;
}

function answer(state: PresenceState, server: string, to: string, users: readonly string[], out: Fx): void {
  const snapshot = users.map((u) => ({ user: u, online: state.entries[u]?.online ?? false, lastSeenMs: state.entries[u]?.lastSeenMs ?? 0 }));
  out.push(fx.send<WireMsg>(server, { type: 'presence/deliver', recipients: [to], frame: { type: 'presence', users: snapshot } }, 48 + users.length * 16));
}
