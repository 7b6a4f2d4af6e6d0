/**
 * The database: messages keyed by (channel, sequence) with id, author and text (design 001's
 * group chat table); memberships live with the chat service that authorizes. Its latency and its
 * slow and unavailable modes come from the node's CPU model and the operator's verbs (`slow`,
 * `crash`); what it stored survives a crash, as a disk does.
 */
import type { ChatMessage, WireMsg } from '../contract/index.ts';
import { fx, type Effect, type NodeBehavior } from '../core/node.ts';

/** Database configuration. */
export interface DatabaseConfig {
  /** Rows returned by one history query at most. */
  readonly historyPageMax: number;
  /** The membership table (design 001): user → channels. */
  readonly memberships: ReadonlyMap<string, readonly string[]>;
}

/** Database state: what is on disk. */
export interface DatabaseState {
  readonly config: DatabaseConfig;
  /** channel → rows ordered by sequence number (or by insertion when there is none). */
  rows: Record<string, ChatMessage[]>;
  /** channel → rows written so far (the insertion order). */
  inserted: Record<string, number>;
  /**
   * Message id → its insertion order: the primary key. A second write of the same message (the
   * chat service's retry of a write that timed out) stores nothing and answers like the first.
   */
  ids: Map<string, number>;
  /** Users whose memberships changed during the run: their channels now (the rest are as configured). */
  changedMemberships: Map<string, readonly string[]>;
  /** User → channels joined mid-run under `since-join` history, with the join time (the membership row's). */
  visibleFrom: Map<string, Record<string, number>>;
}

type Fx = Effect<WireMsg, unknown>[];

/** The position of a row in the channel's history: its sequence number, or its insertion order. */
function key(m: ChatMessage, order: number): number {
  return m.seq ?? order;
}

export const database: NodeBehavior<DatabaseState, WireMsg, unknown, DatabaseConfig> = {
  kind: 'db',
  init: (config, _ctx, durable) => {
    const disk = durable as Pick<DatabaseState, 'rows' | 'inserted' | 'ids' | 'changedMemberships' | 'visibleFrom'> | undefined;
    return { config, rows: disk?.rows ?? {}, inserted: disk?.inserted ?? {}, ids: disk?.ids ?? new Map(), changedMemberships: disk?.changedMemberships ?? new Map(), visibleFrom: disk?.visibleFrom ?? new Map() };
  },
  durable: (state) => ({ rows: state.rows, inserted: state.inserted, ids: state.ids, changedMemberships: state.changedMemberships, visibleFrom: state.visibleFrom }),
  handle(state, _now, input) {
    const out: Fx = [];
    if (input.type !== 'message') return { state, effects: out };
    const msg = input.msg;
    if (msg.type === 'db/insert') {
      const m = msg.message;
      const known = state.ids.get(m.id);
      if (known !== undefined) {
        out.push(fx.trace('db/duplicateInsertIgnored', { id: m.id, channel: m.channel, order: known }));
        out.push(fx.send<WireMsg>(input.from, { type: 'db/inserted', reqId: msg.reqId, order: known }, 24));
        return { state, effects: out };
      }
      const order = (state.inserted[m.channel] = (state.inserted[m.channel] ?? 0) + 1);
      state.ids.set(m.id, order);
      const rows = (state.rows[m.channel] ??= []);
      const k = key(m, order);
      // Keep rows sorted by their history position; writes can arrive out of order.
      let i = rows.length;
      while (i > 0 && key(rows[i - 1] as ChatMessage, i) > k) i--;
      rows.splice(i, 0, m.seq === null ? { ...m } : m);
      out.push(fx.trace('db/messageStored', { id: m.id, channel: m.channel, seq: m.seq, order }));
      out.push(fx.send<WireMsg>(input.from, { type: 'db/inserted', reqId: msg.reqId, order }, 24));
    } else if (msg.type === 'db/session') {
      const channels = state.changedMemberships.get(msg.user) ?? state.config.memberships.get(msg.user) ?? [];
      out.push(fx.trace('db/sessionLoaded', { user: msg.user, channels: channels.length }));
      const visibleFrom = state.visibleFrom.get(msg.user);
      const info: WireMsg = { type: 'chat/sessionInfo', user: msg.user, channels };
      out.push(fx.send<WireMsg>(msg.replyTo, visibleFrom === undefined ? info : { ...info, visibleFrom }, 32 + channels.length * 12));
    } else if (msg.type === 'db/membership') {
      const now = state.changedMemberships.get(msg.user) ?? state.config.memberships.get(msg.user) ?? [];
      const has = now.includes(msg.channel);
      if (msg.action === 'join' && !has) state.changedMemberships.set(msg.user, [...now, msg.channel]);
      if (msg.action === 'leave' && has) state.changedMemberships.set(msg.user, now.filter((c) => c !== msg.channel));
      const visible = { ...state.visibleFrom.get(msg.user) };
      if (msg.action === 'join' && msg.visibleFromMs > 0) visible[msg.channel] = msg.visibleFromMs;
      else delete visible[msg.channel];
      if (Object.keys(visible).length > 0) state.visibleFrom.set(msg.user, visible);
      else state.visibleFrom.delete(msg.user);
      out.push(fx.send<WireMsg>(input.from, { type: 'db/membershipSaved', reqId: msg.reqId }, 24));
    } else if (msg.type === 'db/history') {
      const rows = state.rows[msg.channel] ?? [];
      const page: ChatMessage[] = [];
      const since = msg.sinceMs ?? 0;
      for (let i = 0; i < rows.length && page.length < state.config.historyPageMax; i++) {
        const m = rows[i] as ChatMessage;
        if (key(m, i + 1) > msg.afterSeq && m.sentAtMs >= since) page.push(m);
      }
      out.push(fx.trace('db/historyServed', { channel: msg.channel, afterSeq: msg.afterSeq, count: page.length }));
      const bytes = page.reduce((s, m) => s + 96 + m.text.length * 2, 48);
      out.push(fx.send<WireMsg>(msg.replyTo, { type: 'db/historyResult', user: msg.user, channel: msg.channel, afterSeq: msg.afterSeq, messages: page }, bytes));
    }
    return { state, effects: out };
  },
};
