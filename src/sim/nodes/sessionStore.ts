/**
 * The external session store of stateless WebSocket servers (a Redis-like node): user → the
 * server holding their connection and their channels, with a channel → users index. A stateless
 * server keeps no connection state of its own beyond the sockets: it writes sessions here and
 * asks, for every message, which of its connected users should get it. The store survives a
 * server's crash, so a user who reconnects elsewhere finds the session without a database load.
 */
import type { WireMsg } from '../contract/index.ts';
import { fx, type NodeBehavior } from '../core/node.ts';

/** Session store state. */
export interface SessionStoreState {
  /**
   * user → the server holding the session ('' when it ended), its channels, and the last write's
   * server and counter (each server counts its writes; see WireMsg `store/put`).
   */
  sessions: Record<string, { server: string; channels: readonly string[]; by: string; v: number; visibleFrom?: Readonly<Record<string, number>> }>;
  /** channel → users with a session. */
  byChannel: Record<string, string[]>;
}

export const sessionStore: NodeBehavior<SessionStoreState, WireMsg> = {
  kind: 'session-store',
  init: () => ({ sessions: {}, byChannel: {} }),
  handle(state, _now, input) {
    if (input.type !== 'message') return { state, effects: [] };
    const msg = input.msg;
    const from = input.from;
    switch (msg.type) {
      case 'store/put': {
        const old = state.sessions[msg.user];
        // Overtaken on the way by a newer write from the same server: stale.
        if (old !== undefined && old.by === from && old.v > msg.v) return { state, effects: [] };
        // Keep the channel index in step with the session's channels (a join or leave changes them).
        const before = old?.channels ?? [];
        for (const ch of before) if (!msg.channels.includes(ch)) state.byChannel[ch] = (state.byChannel[ch] ?? []).filter((u) => u !== msg.user);
        for (const ch of msg.channels) if (!before.includes(ch)) (state.byChannel[ch] ??= []).push(msg.user);
        state.sessions[msg.user] = msg.visibleFrom === undefined ? { server: from, channels: msg.channels, by: from, v: msg.v } : { server: from, channels: msg.channels, by: from, v: msg.v, visibleFrom: msg.visibleFrom };
        return { state, effects: [] };
      }
      case 'store/remove': {
        const old = state.sessions[msg.user];
        // Only the server that holds the session may end it, and only a session it wrote before
        // this remove: a remove that a newer put from the same server overtook must not win.
        if (old === undefined || old.server !== from || old.v > msg.v) return { state, effects: [] };
        // The session's channels stay known: a user who comes back finds them.
        state.sessions[msg.user] = { ...old, server: '', by: from, v: msg.v };
        return { state, effects: [] };
      }
      case 'store/get': {
        const got = state.sessions[msg.user];
        const answer: WireMsg = { type: 'store/got', user: msg.user, channels: got?.channels ?? null };
        return { state, effects: [fx.send<WireMsg>(from, got?.visibleFrom === undefined ? answer : { ...answer, visibleFrom: got.visibleFrom }, 32 + (got?.channels.length ?? 0) * 12)] };
      }
      case 'store/members': {
        const users = (state.byChannel[msg.message.channel] ?? []).filter((u) => state.sessions[u]?.server === from);
        return { state, effects: [fx.send<WireMsg>(from, { type: 'store/membersOf', users, message: msg.message }, 96 + users.length * 8)] };
      }
      default:
        return { state, effects: [] };
    }
  },
};
