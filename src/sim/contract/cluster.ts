/**
 * Static facts about a built cluster that readers of its trace need: channels and members, the
 * client node of each user, node kinds, when the workload ends.
 */

/** Static facts about a built cluster that checkers and metrics need. */
export interface ClusterInfo {
  /** Channel id → member user ids. */
  readonly channels: ReadonlyMap<string, readonly string[]>;
  /** User id → the client node id that plays that user. */
  readonly clientNodes: ReadonlyMap<string, string>;
  /** Node id → node kind (`client`, `gateway`, `ws-server`, `broker`, `chat`, `db`, …). */
  readonly nodeKinds: ReadonlyMap<string, string>;
  /** Time after which no new message is sent (the settle period starts). */
  readonly workloadEndMs: number;
  /**
   * Users u1..u<n> each have a personal channel `p:<user>`, not listed in `channels` (a million of
   * them would cost more than the rest of the cluster). 0 when there are none.
   */
  readonly personalChannelUsers?: number;
  /**
   * Users u1..u<n> are connected from the start (a warm start): online until a trace event says
   * otherwise, without a million `client/connected` events. 0 when there is no warm start.
   */
  readonly warmStartUsers?: number;
  /**
   * What a member who joined mid-run may read (`chat.historyVisibility`): the checkers judge joins
   * and leaves by it. Absent: `all`.
   */
  readonly historyVisibility?: 'all' | 'since-join';
}

/** The members of a channel, personal channels included; undefined for an unknown channel. */
export function channelMembers(
  channels: ReadonlyMap<string, readonly string[]>,
  personalChannelUsers: number,
  channel: string,
): readonly string[] | undefined {
  const listed = channels.get(channel);
  if (listed !== undefined || personalChannelUsers <= 0 || !channel.startsWith('p:u')) return listed;
  const n = Number(channel.slice(3));
  return Number.isInteger(n) && n >= 1 && n <= personalChannelUsers ? [channel.slice(2)] : undefined;
}
