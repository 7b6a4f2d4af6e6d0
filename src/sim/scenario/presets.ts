/**
 * The cluster's presets. Their ids are part of the interface (the CLI, the app's picker, the
 * labs and the tests name them), so rename none without a migration.
 */
import type { ScenarioInput } from './schema.ts';

/** A named scenario with a one-line summary. */
export interface Preset {
  readonly id: string;
  readonly summary: string;
  readonly scenario: ScenarioInput;
  /** Too big for a browser tab (run it from the CLI or the benchmark). */
  readonly heavy?: boolean;
}

/** Eight users in one group plus a few private chats, spread over three servers. */
const GROUP_OF_EIGHT: ScenarioInput = {
  durationMs: 60_000,
  settleMs: 15_000,
  topology: { wsServers: 3 },
  workload: {
    users: 8,
    channels: [
      { id: 'g1', members: ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'] },
      { id: 'dm:u1:u2', members: ['u1', 'u2'] },
      { id: 'dm:u3:u7', members: ['u3', 'u7'] },
    ],
    sendRatePerUserPerSec: 0.3,
    burstProbability: 0.1,
    burstSize: 3,
    burstGapMs: 200,
  },
};

/** A jittery back end: service-to-service calls travel over separate connections and can overtake. */
const JITTERY = {
  internal: { latencyMs: 2, jitter: { kind: 'exponential' as const, meanMs: 40 }, fifo: false },
};

const REORDERING_BASE: ScenarioInput = {
  durationMs: 30_000,
  settleMs: 10_000,
  topology: { wsServers: 3 },
  network: JITTERY,
  workload: {
    users: 6,
    channels: [{ id: 'g1', members: ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'] }],
    sendRatePerUserPerSec: 0.5,
    burstProbability: 0.3,
    burstSize: 4,
    burstGapMs: 30,
  },
};

const CRASH_BASE: ScenarioInput = {
  ...GROUP_OF_EIGHT,
  description: 'ws-2 crashes at 15 s under traffic and comes back at 25 s.',
  faults: [
    { at: 15_000, op: { verb: 'crash', node: 'ws-2' } },
    { at: 25_000, op: { verb: 'restart', node: 'ws-2' } },
  ],
};

/**
 * A million users: 20 servers of 50,000 connections, each user in a personal channel and a group
 * of 10, one message every ten minutes, heartbeats every 25 s (Centrifugo's benchmark shape).
 * Users are played by client fleets and start connected; keep-alive traffic is counted, not
 * recorded message by message.
 */
export const MILLION_USERS: ScenarioInput = {
  id: 'million-users',
  description: '1,000,000 connected users over 20 WebSocket servers, in steady state.',
  durationMs: 60_000,
  settleMs: 2_000,
  topology: { wsServers: 20 },
  delivery: 'at-most-once',
  client: { heartbeatIntervalMs: 25_000 },
  // 1,700 messages a second need a back end sized for them: a chat tier and a sharded database
  // an order of magnitude faster per message than the small presets' single instances.
  chat: { cpu: { serviceTime: { kind: 'exponential', meanMs: 0.05 }, queueCapacity: 100_000 } },
  database: { cpu: { serviceTime: { kind: 'exponential', meanMs: 0.2 }, queueCapacity: 100_000 } },
  workload: {
    users: 1_000_000,
    clients: 'fleets',
    usersPerFleet: 50_000,
    warmStart: true,
    personalChannels: true,
    groups: { count: 100_000, size: { kind: 'fixed', size: 10 }, membership: 'partition' },
    sendRatePerUserPerSec: 1 / 600,
    connectSpreadMs: 0,
  },
  trace: { maxEvents: 50_000, control: 'counted' },
};

/** Every preset, in the order the CLI lists them. */
export const PRESETS: readonly Preset[] = [
  {
    id: 'private-chat',
    summary: 'Two users on different servers exchange a few messages (one full of HTML and Mermaid characters).',
    scenario: {
      id: 'private-chat',
      durationMs: 20_000,
      settleMs: 5_000,
      topology: { wsServers: 3 },
      workload: {
        users: 2,
        channels: [{ id: 'dm:u1:u2', members: ['u1', 'u2'] }],
        sendRatePerUserPerSec: 0,
        script: [
          { atMs: 3_000, user: 'u1', channel: 'dm:u1:u2', text: 'Hi Bo, are you there?' },
          { atMs: 5_000, user: 'u2', channel: 'dm:u1:u2', text: 'Yes! What is up?' },
          { atMs: 7_000, user: 'u1', channel: 'dm:u1:u2', text: 'Look: <b>bold</b> & "quotes"; A->>B: not an arrow #1 %%' },
          { atMs: 9_000, user: 'u2', channel: 'dm:u1:u2', text: 'Got it, all of it.' },
        ],
      },
    },
  },
  {
    id: 'group-chat',
    summary: 'A group of 8 spread over 3 servers, Redis-like pub/sub with interest-based routing.',
    scenario: { ...GROUP_OF_EIGHT, id: 'group-chat' },
  },
  {
    id: 'reordering-without-sequence',
    summary: 'A jittery back end and no sequence numbers: users see the group out of order.',
    scenario: {
      ...REORDERING_BASE,
      id: 'reordering-without-sequence',
      chat: { ordering: 'none' },
      client: { reorderBuffer: false, gapDetection: false },
    },
  },
  {
    id: 'reordering-with-sequence',
    summary: 'The same seed and network, with per-channel sequence numbers and a client reorder buffer: every member sees one agreed order (a burst can still be sequenced out of its sender\'s order).',
    scenario: {
      ...REORDERING_BASE,
      id: 'reordering-with-sequence',
      chat: { ordering: 'per-channel' },
      client: { reorderBuffer: true, reorderMaxWaitMs: 500, gapDetection: true },
    },
  },
  {
    id: 'crash-at-most-once',
    summary: 'A WebSocket server crashes under traffic; with at-most-once delivery its users lose messages.',
    scenario: { ...CRASH_BASE, id: 'crash-at-most-once', delivery: 'at-most-once' },
  },
  {
    id: 'crash-at-least-once',
    summary: 'The same crash with acks, retries, dedup and history catch-up: nothing lost, nothing duplicated.',
    scenario: { ...CRASH_BASE, id: 'crash-at-least-once', delivery: 'at-least-once' },
  },
  {
    id: 'rate-limit-burst',
    summary: "The lab's worked example: 5 messages per 60 s, sliding log; the send at 60 s is refused, the one at 65 s allowed.",
    scenario: {
      id: 'rate-limit-burst',
      description: 'u1 sends at 0, 15, 20, 35, 55, 60 and 65 s (plus 2 s to connect); the gateway limits 5 per 60 s per user.',
      durationMs: 70_000,
      settleMs: 5_000,
      topology: { wsServers: 2 },
      // No jitter on the last mile, so the requests reach the gateway exactly as far apart as sent.
      network: { client: { latencyMs: 20, fifo: true } },
      rateLimit: { enabled: true, placement: 'gateway', keyBy: 'user', limiter: { algorithm: 'sliding-log', limit: 5, windowMs: 60_000 } },
      workload: {
        users: 2,
        channels: [{ id: 'dm:u1:u2', members: ['u1', 'u2'] }],
        sendRatePerUserPerSec: 0,
        script: [0, 15, 20, 35, 55, 60, 65].map((s, i) => ({ atMs: 2_000 + s * 1000, user: 'u1', channel: 'dm:u1:u2', text: `request ${i + 1} at ${s} s` })),
      },
    },
  },
  {
    id: 'million-users',
    summary: '1,000,000 users over 20 servers in steady state (heavy: about a minute of wall time).',
    scenario: MILLION_USERS,
    heavy: true,
  },
  {
    id: 'no-broker',
    summary: 'The pitfall: no pub/sub, servers call each other directly per message (compare with group-chat).',
    scenario: { ...GROUP_OF_EIGHT, id: 'no-broker', broker: { kind: 'none' } },
  },
  {
    id: 'join-and-leave',
    summary: 'Members join and leave g1 mid-run: who gets what, and which history a newcomer may read.',
    scenario: {
      ...GROUP_OF_EIGHT,
      id: 'join-and-leave',
      description: 'g1 starts with u1..u6. u7 joins at 10 s, u3 leaves at 20 s, u8 joins at 30 s, u3 comes back at 40 s.',
      workload: {
        ...GROUP_OF_EIGHT.workload,
        channels: [
          { id: 'g1', members: ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'] },
          { id: 'dm:u1:u2', members: ['u1', 'u2'] },
          { id: 'dm:u3:u7', members: ['u3', 'u7'] },
        ],
        membershipChanges: [
          { atMs: 10_000, user: 'u7', channel: 'g1', action: 'join' },
          { atMs: 20_000, user: 'u3', channel: 'g1', action: 'leave' },
          { atMs: 30_000, user: 'u8', channel: 'g1', action: 'join' },
          { atMs: 40_000, user: 'u3', channel: 'g1', action: 'join' },
        ],
      },
    },
  },
];

/** The preset with this id, if any. */
export function presetById(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
