/**
 * Who may see what when members join and leave during a run. The chat service is the authority:
 * its `chat/membershipChanged` events say when a change took effect, and its
 * `chat/messageSequenced` events say when each message came to be, both as positions in the trace.
 *
 * The rule a checker applies to a message `m` of channel `c` shown to user `u` at trace position `t`:
 * - `since-join` history: `u` was a member of `c` when `m` was sequenced;
 * - `all` history: `m` was sequenced before the end of a membership of `u` in `c` that had begun by
 *   `t` (a member reads the whole channel, and keeps what reached them before they left).
 * Members from the start have been members since before the first event. Without any change in a
 * channel, this is the configured membership, and nothing is recorded for it (a run without joins
 * or leaves pays nothing).
 */
import { channelMembers, type ClusterInfo, type TraceEvent } from '../contract/index.ts';

interface Change {
  /** The trace position where it took effect. */
  readonly at: number;
  readonly user: string;
  readonly join: boolean;
}

/** A span of membership: from `from` (exclusive of nothing before it) until `until` (Infinity: still a member). */
interface Period {
  readonly from: number;
  readonly until: number;
}

/** The membership history of a run's channels, built from its trace (feed every event in order). */
export class MembershipTimeline {
  /** channel → its changes in trace order (only channels that had any). */
  private readonly changes = new Map<string, Change[]>();
  /** message id → the trace position it was sequenced at (only in channels that had a change by then). */
  private readonly sequencedAt = new Map<string, number>();

  /** @param info the cluster's configured channels and the history visibility rule. */
  constructor(private readonly info: ClusterInfo) {}

  /** True once any membership changed: until then the configured membership is the whole truth. */
  get dynamic(): boolean {
    return this.changes.size > 0;
  }

  observe(e: TraceEvent): void {
    if (e.type === 'chat/membershipChanged') {
      const d = e.data;
      let list = this.changes.get(d.channel);
      if (list === undefined) this.changes.set(d.channel, (list = []));
      list.push({ at: e.seq, user: d.user, join: d.action === 'join' });
    } else if (e.type === 'chat/messageSequenced' && this.changes.has(e.data.channel)) {
      this.sequencedAt.set(e.data.id, e.seq);
    }
  }

  /** Whether the channel exists (configured, or personal). */
  exists(channel: string): boolean {
    return this.configured(channel) !== undefined;
  }

  /** May `user` see message `id` of `channel` at trace position `at`? (The rule above.) */
  maySee(user: string, channel: string, id: string, at: number): boolean {
    const list = this.changes.get(channel);
    if (list === undefined) return this.configured(channel)?.includes(user) ?? false;
    // A message with no recorded position was sequenced before the channel's first change.
    const born = this.sequencedAt.get(id) ?? -1;
    for (const p of this.periods(user, channel, list)) {
      if (this.info.historyVisibility === 'since-join' ? p.from <= born && born < p.until : p.from <= at && born < p.until) return true;
    }
    return false;
  }

  /** Is `user` a member of `channel` at trace position `at`? */
  isMember(user: string, channel: string, at: number): boolean {
    const list = this.changes.get(channel);
    if (list === undefined) return this.configured(channel)?.includes(user) ?? false;
    return this.periods(user, channel, list).some((p) => p.from <= at && at < p.until);
  }

  /** Has `user` been a member of `channel` at any time up to `at`? */
  wasMember(user: string, channel: string, at: number): boolean {
    const list = this.changes.get(channel);
    if (list === undefined) return this.configured(channel)?.includes(user) ?? false;
    return this.periods(user, channel, list).some((p) => p.from <= at);
  }

  /**
   * The users who must eventually see message `id` of `channel`: members when it was sequenced who
   * are still members (a leaver owes nothing; a joiner after it is not owed it). Undefined when the
   * channel never changed (the configured members, as the caller knows them).
   */
  owedTo(channel: string, id: string): readonly string[] | undefined {
    const list = this.changes.get(channel);
    if (list === undefined) return undefined;
    const born = this.sequencedAt.get(id) ?? -1;
    const users = new Set([...(this.configured(channel) ?? []), ...list.map((c) => c.user)]);
    const owed: string[] = [];
    for (const u of users) {
      const ps = this.periods(u, channel, list);
      const last = ps[ps.length - 1];
      if (last !== undefined && last.until === Infinity && last.from <= born) owed.push(u);
    }
    return owed;
  }

  /** Every channel a user has been in (configured or joined), for contact checks. */
  channelsEverOf(user: string): string[] {
    const out: string[] = [];
    for (const [channel, list] of this.changes) if (list.some((c) => c.user === user && c.join)) out.push(channel);
    return out;
  }

  private configured(channel: string): readonly string[] | undefined {
    return channelMembers(this.info.channels, this.info.personalChannelUsers ?? 0, channel);
  }

  private periods(user: string, channel: string, list: readonly Change[]): Period[] {
    const out: Period[] = [];
    let from: number | null = (this.configured(channel) ?? []).includes(user) ? -Infinity : null;
    for (const c of list) {
      if (c.user !== user) continue;
      if (c.join && from === null) from = c.at;
      else if (!c.join && from !== null) {
        out.push({ from, until: c.at });
        from = null;
      }
    }
    if (from !== null) out.push({ from, until: Infinity });
    return out;
  }
}
