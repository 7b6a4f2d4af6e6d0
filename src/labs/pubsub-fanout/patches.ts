/**
 * The pub/sub lab's runs. Every run is a preset (`group-chat`: a Redis-like broker; `no-broker`:
 * the directory and one HTTP call per other server, ADR 0022) with a JSON merge patch, so each one
 * opens in the workbench as it is. The sizes are chosen to keep each run short enough to play in
 * the browser (well under 150,000 events) while the model's costs still show.
 */
import type { LabRun, ScenarioPatch } from '../framework/index.ts';

/** The design of the fan-out: `redis` (a broker pushes to subscribed servers) or `none` (direct calls). */
export type Design = 'redis' | 'none';

/** Users u1..uN, all in one group g1 (the patch replaces the preset's channels). */
function oneGroup(size: number): { users: number; channels: { id: string; members: string[] }[] } {
  return { users: size, channels: [{ id: 'g1', members: Array.from({ length: size }, (_, i) => `u${i + 1}`) }] };
}

/** The component view: the group-chat preset as it is (8 users, 3 servers, a Redis-like broker). */
export const COMPONENTS: LabRun = { scenario: 'group-chat' };

/** The servers the growth slider and table run on (a group of 16 has one member per server at 16). */
export const GROWTH_SERVERS = [2, 4, 8, 16] as const;
/** Messages per second the busy member sends, for four seconds. */
export const GROWTH_RATE = 80;
const GROWTH_GROUP = 16;

/**
 * One busy member (u1, a bot posting 80 messages a second for 4 s from t = 2 s) in a group of 16
 * spread round-robin over the servers: the busiest server is u1's, so its CPU is what sending a
 * message costs the sender's server. Keep-alives are counted, not traced.
 */
function growthPatch(servers: number, design: Design): ScenarioPatch {
  const script = Array.from({ length: GROWTH_RATE * 4 }, (_, i) => ({ atMs: 2_000 + Math.round((i * 1_000) / GROWTH_RATE), user: 'u1', channel: 'g1', text: `update ${i + 1}` }));
  return {
    broker: { kind: design },
    topology: { wsServers: servers },
    durationMs: 6_000,
    settleMs: 3_000,
    workload: { ...oneGroup(GROWTH_GROUP), sendRatePerUserPerSec: 0, burstProbability: 0, script },
    trace: { control: 'counted' },
  };
}

/** The growth run on `servers` servers, with or without a broker (over the `no-broker` preset). */
export const growth = (servers: number, design: Design): LabRun => ({ scenario: 'no-broker', patch: growthPatch(servers, design) });

/** The group sizes the group-size slider runs, on {@link GROUP_SERVERS} servers. */
export const GROUP_SIZES = [4, 8, 16, 32] as const;
/** The cluster the group-size slider holds fixed. */
export const GROUP_SERVERS = 8;
/** Users connected in every group-size run (those outside the group are idle), so only the group changes. */
const GROUP_USERS = 32;

/** The group g1 of the first `size` users, as the group-size slider's value for `workload.channels`. */
export const groupOf = (size: number): { id: string; members: string[] }[] => oneGroup(size).channels;

/**
 * The same busy member on {@link GROUP_SERVERS} servers with 32 users connected, in a group of
 * `size` (u1..u{size}; round-robin, so the group's members sit on min(size, 8) servers).
 */
export const groupSize = (size: number, design: Design): LabRun => {
  const base = growthPatch(GROUP_SERVERS, design) as { workload: Record<string, unknown> } & ScenarioPatch;
  return { scenario: 'no-broker', patch: { ...base, workload: { ...base.workload, users: GROUP_USERS, channels: groupOf(size) } } };
};

/** The failing server. */
export const FAILING = 'ws-6';
/** When it crashes (ms). */
export const CRASH_AT = 3_000;

/**
 * Twenty-four members on six servers sending 40 messages a second between them for 9 s; ws-6
 * crashes at 3 s and stays down (its users reconnect elsewhere). The same seed with and without a
 * broker.
 */
export const failure = (design: Design): LabRun => ({
  scenario: 'no-broker',
  patch: {
    broker: { kind: design },
    topology: { wsServers: 6 },
    durationMs: 9_000,
    settleMs: 3_000,
    workload: { ...oneGroup(24), sendRatePerUserPerSec: 40 / 24 },
    faults: [{ at: CRASH_AT, op: { verb: 'crash', node: FAILING } }],
    trace: { control: 'counted' },
  },
});

/**
 * ws-2 crashes at 15 s and restarts at 17 s; each of the 8 users sends one message from 15.2 s on
 * (those on ws-2 cannot). The gateway is sticky, so ws-2's users come back to it; at most once and
 * no gap detection, so nothing but the broker can bring them what they missed (the setup of
 * `src/sim/cluster/nobroker.test.ts`).
 */
export function restart(kind: 'redis' | 'kafka'): LabRun {
  const script = Array.from({ length: 8 }, (_, i) => ({ atMs: 15_200 + i * 100, user: `u${i + 1}`, channel: 'g1', text: `while ws-2 is down ${i + 1}` }));
  return {
    scenario: 'group-chat',
    patch: {
      broker: { kind, partitions: 2 },
      delivery: 'at-most-once',
      gateway: { strategy: 'sticky' },
      client: { gapDetection: false },
      durationMs: 30_000,
      workload: { sendRatePerUserPerSec: 0, burstProbability: 0, script },
      faults: [
        { at: 15_000, op: { verb: 'crash', node: 'ws-2' } },
        { at: 17_000, op: { verb: 'restart', node: 'ws-2' } },
      ],
    },
  };
}

export const REDIS_RESTART = restart('redis');
export const KAFKA_RESTART = restart('kafka');
