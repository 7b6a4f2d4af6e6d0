/**
 * A scenario is data: topology, component options, workload, fault script, duration and seed. This
 * zod schema validates it and fills every default; an invalid scenario yields messages that name
 * the field and the problem. Defaults are calibrated from real systems; docs/CALIBRATION.md lists
 * each with its source.
 */
import { z } from 'zod';
import { DRAIN_GRACE_MS_DEFAULT, type Op } from '../contract/index.ts';
import { limiterSpecSchema } from '../limiter/limiter.ts';
import { injectMsgSchema, senderProblem } from './inject.ts';
import { describeIssue } from './issues.ts';
import { boundProblems } from './bounds.ts';
import { QUEUES_MAX, WORKERS_MAX, WORKER_COST_US_MAX } from '../engine/workers.ts';

const int = (min = 0) => z.number().int().min(min);
const ms = () => int(0);

/**
 * The longest delay a distribution or a link may add: 2^32 − 1 ms (49.7 days). A uniform draw is
 * one 32-bit integer, so its span must fit in 2^32, and no lab needs a longer delay.
 */
export const MAX_DELAY_MS = 0xffff_ffff;
const delayMs = () => ms().max(MAX_DELAY_MS);
const meanDelayMs = () => z.number().min(0).max(MAX_DELAY_MS);
/**
 * The slowest and fastest Poisson send rates per user (messages per second), besides 0. Slower
 * than one send in about 11.6 days has a first gap no timer can hold; faster than one a
 * millisecond is below the clock's resolution.
 */
export const MIN_SEND_RATE_PER_SEC = 1e-6;
export const MAX_SEND_RATE_PER_SEC = 1000;
/** Zipf exponents are multiples of 0.5 up to 8 (see `Zipf` in core/dist.ts: exact in every engine). */
export const MAX_ZIPF_EXPONENT = 8;

/** A distribution of integer milliseconds (see `DistSpec`). */
export const distSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('constant'), valueMs: delayMs() }),
  z.strictObject({ kind: z.literal('uniform'), minMs: delayMs(), maxMs: delayMs() }).refine((d) => d.maxMs >= d.minMs, {
    message: 'maxMs must be ≥ minMs',
    path: ['maxMs'],
  }),
  z.strictObject({ kind: z.literal('exponential'), meanMs: meanDelayMs() }),
  z.strictObject({ kind: z.literal('normal'), meanMs: meanDelayMs(), stdDevMs: meanDelayMs() }),
]);

const probability = () => z.number().min(0).max(1);

/** One class of network links. */
export const linkSchema = z.strictObject({
  latencyMs: delayMs(),
  jitter: distSchema.optional(),
  lossRatio: probability().default(0),
  duplicateRatio: probability().default(0),
  fifo: z.boolean(),
  bandwidthBytesPerMs: z.number().min(0).default(0),
});

const cpuSchema = z.strictObject({
  serviceTime: distSchema,
  queueCapacity: int(0),
  dropPolicy: z.enum(['drop-newest', 'drop-oldest']).default('drop-newest'),
});

const nodeList = z.array(z.string().min(1)).min(1);
const ratioSchema = z.strictObject({ num: int(0), den: int(1) }).refine((r) => r.num <= r.den, { message: 'num must be ≤ den' });
const linkTarget = { from: z.string().min(1), to: z.string().min(1), twoWay: z.boolean().optional() };

/** An operator verb (see `Op`); node names are checked against the topology in crossCheck. */
const opSchema = z.discriminatedUnion('verb', [
  z.strictObject({ verb: z.literal('partition'), a: nodeList, b: nodeList, oneWay: z.boolean().optional() }),
  z.strictObject({ verb: z.literal('heal'), a: nodeList.optional(), b: nodeList.optional() }),
  z.strictObject({ verb: z.literal('crash'), node: z.string().min(1) }),
  z.strictObject({ verb: z.literal('restart'), node: z.string().min(1) }),
  z.strictObject({ verb: z.literal('slow'), node: z.string().min(1), factor: z.number().positive() }),
  z.strictObject({ verb: z.literal('delay'), ...linkTarget, extraMs: ms() }),
  z.strictObject({ verb: z.literal('drop'), ...linkTarget, ratio: ratioSchema.nullable() }),
  z.strictObject({ verb: z.literal('duplicate'), ...linkTarget, ratio: ratioSchema.nullable() }),
  z.strictObject({ verb: z.literal('hold'), ...linkTarget }),
  z.strictObject({ verb: z.literal('release'), ...linkTarget }),
  z.strictObject({ verb: z.literal('clog'), ...linkTarget, durationMs: ms() }),
  z.strictObject({ verb: z.literal('inject'), node: z.string().min(1), from: z.string().min(1).optional(), msg: injectMsgSchema }),
  z.strictObject({ verb: z.literal('addServer'), node: z.string().min(1).optional() }),
  z.strictObject({ verb: z.literal('removeServer'), node: z.string().min(1), graceMs: delayMs().optional() }),
]).transform((op): Op => op);

/** A message a user sends at a fixed time (for demos and exact tests). */
export const scriptedSendSchema = z.strictObject({
  atMs: ms(),
  user: z.string().min(1),
  channel: z.string().min(1),
  text: z.string(),
});

/** A user joins or leaves a channel at a fixed time (membership changes mid-run). */
export const membershipChangeSchema = z.strictObject({
  atMs: ms(),
  user: z.string().min(1),
  channel: z.string().min(1),
  action: z.enum(['join', 'leave']),
});

/** An explicit channel with its members. */
export const channelSchema = z.strictObject({
  id: z.string().min(1).regex(/^[A-Za-z0-9:_-]+$/, 'channel ids use letters, digits, ":", "_" and "-"'),
  members: z.array(z.string().min(1)).min(1),
});

const groupSizeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), size: int(2) }),
  z.strictObject({
    kind: z.literal('zipf'),
    max: int(2),
    exponent: z
      .number()
      .positive()
      .max(MAX_ZIPF_EXPONENT)
      .multipleOf(0.5, { error: (issue) => `${String(issue.input)} is not a multiple of 0.5 (allowed: 0.5, 1, 1.5, … ${MAX_ZIPF_EXPONENT})` }),
  }),
]);

/** The whole scenario. */
export const scenarioSchema = z.strictObject({
  id: z.string().min(1).default('custom'),
  description: z.string().default(''),
  /** Virtual ms during which users send; then the settle period lets everything arrive. */
  durationMs: int(1),
  settleMs: ms().default(30_000),
  topology: z
    .strictObject({
      wsServers: int(1).max(200).default(3),
      /**
       * The pool `addServer` draws from (ADR 0014): servers ws-(wsServers+1)..ws-maxWsServers exist
       * as spares, not provisioned until an operator adds them. Default: wsServers (no spares).
       */
      maxWsServers: int(1).max(200).optional(),
    })
    .prefault({})
    .transform((t) => ({ wsServers: t.wsServers, maxWsServers: t.maxWsServers ?? t.wsServers })),
  gateway: z
    .strictObject({
      strategy: z.enum(['round-robin', 'least-connections', 'sticky']).default('round-robin'),
      connectionLimitPerServer: int(1).default(100_000),
      healthCheckIntervalMs: int(1).default(1000),
      healthCheckTimeoutMs: int(1).default(3000),
      /** Admission control for reconnect storms: connects accepted per second (0: unlimited). */
      admissionPerSec: z.number().min(0).default(0),
      admissionBurst: int(1).default(50),
    })
    .prefault({}),
  wsServer: z
    .strictObject({
      cpu: cpuSchema.default({ serviceTime: { kind: 'exponential', meanMs: 0.2 }, queueCapacity: 10_000, dropPolicy: 'drop-newest' }),
      /** Stateful (connection state in the server) or stateless (in an external session store). */
      state: z.enum(['stateful', 'stateless']).default('stateful'),
      sendQueueLimitBytes: int(1).default(1_048_576),
      /**
       * A connection silent this long (no frame at all: no ping, poll or send) is closed by the
       * server, as nginx's proxy_read_timeout (60 s by default) or a WebSocket server's missed
       * pongs do; clients ping every heartbeatIntervalMs, so only dead connections reach it. 0: never.
       */
      idleTimeoutMs: ms().default(60_000),
      /** 0 turns batching off; else outgoing broker/server traffic waits up to this long. */
      batchWindowMs: ms().default(0),
      /** Each server's batch window starts at a random offset in [0, this] (001: randomized offsets). */
      batchOffsetMaxMs: ms().default(0),
      /**
       * The pitfall of a blocking operation in a handler: on `server`, every `everyNth` message a
       * client sends takes `durationMs` of the event loop (a synchronous call), stalling every
       * connection on that server.
       */
      blockingHandler: z
        .strictObject({ server: z.string().min(1), everyNth: int(1).default(10), durationMs: int(1).default(500) })
        .optional(),
      /**
       * How each server's CPU serves its inputs (design 002, ADR 0016): `single`, one event loop;
       * `process-per-client`, a process per client connection on `workers` cores; `shared-queue`,
       * `workers` worker processes taking clients off one queue; `queue-per-group`, `queues`
       * queues each served by a subset of the workers. The costs are in µs.
       */
      workers: z
        .strictObject({
          model: z.enum(['single', 'process-per-client', 'shared-queue', 'queue-per-group']).default('single'),
          workers: int(1).max(WORKERS_MAX).default(4),
          queues: int(1).max(QUEUES_MAX).default(1),
          switchUs: int(0).max(WORKER_COST_US_MAX).default(5),
          contentionUs: int(0).max(WORKER_COST_US_MAX).default(1),
          quantumUs: int(0).max(WORKER_COST_US_MAX).default(3000),
        })
        .prefault({}),
    })
    .prefault({}),
  broker: z
    .strictObject({
      kind: z.enum(['redis', 'kafka', 'none']).default('redis'),
      routing: z.enum(['interest', 'broadcast']).default('interest'),
      cpu: cpuSchema.default({ serviceTime: { kind: 'exponential', meanMs: 0.05 }, queueCapacity: 100_000, dropPolicy: 'drop-newest' }),
      /** CPU per subscriber (Redis-like) or consumer (Kafka-like) a publish goes to, on top of `cpu` (ADR 0022). */
      cpuPerSubscriberUs: int(0).max(1_000_000).default(5),
      outputBufferLimitBytes: int(1).default(33_554_432),
      /** Subscribers report consumption every this many bytes (TCP window updates). */
      drainReportBytes: int(1).default(16_384),
      /** Servers ping the broker this often, and call the connection lost after this long without a pong. */
      pingIntervalMs: int(1).default(1000),
      pingTimeoutMs: int(1).default(3000),
      /** At most 1,024: the broker lays out one log per partition when it starts. */
      partitions: int(1).max(1024).default(8),
      retentionMessages: int(1).default(100_000),
      fetchMaxRecords: int(1).default(100),
    })
    .prefault({}),
  chat: z
    .strictObject({
      ordering: z.enum(['global', 'per-channel', 'none']).default('per-channel'),
      maxTextBytes: int(1).default(4000),
      /** How long the chat service waits for the database to confirm a write before it gives up on it. */
      dbTimeoutMs: int(1).default(2000),
      /**
       * How long the chat service remembers an idempotency key after its first submit (ADR 0011):
       * a day, as Stripe keeps its keys, far past any retry of a send; at least a minute.
       */
      idempotencyKeyTtlMs: int(60_000).default(86_400_000),
      /**
       * What a member who joins mid-run may read: the channel's whole history (`all`, as Slack
       * shows newcomers) or only what was sent since they joined (`since-join`, as WhatsApp groups).
       */
      historyVisibility: z.enum(['all', 'since-join']).default('all'),
      cpu: cpuSchema.default({ serviceTime: { kind: 'exponential', meanMs: 0.5 }, queueCapacity: 100_000, dropPolicy: 'drop-newest' }),
    })
    .prefault({}),
  database: z
    .strictObject({
      cpu: cpuSchema.default({ serviceTime: { kind: 'exponential', meanMs: 2 }, queueCapacity: 100_000, dropPolicy: 'drop-newest' }),
      historyPageMax: int(1).default(100),
    })
    .prefault({}),
  delivery: z.enum(['at-most-once', 'at-least-once']).default('at-least-once'),
  /** WebSocket, Server-Sent Events with POST for sending, long polling, or JSON over a raw TCP stream (a native app's; ADR 0017). */
  transport: z.enum(['websocket', 'sse', 'long-polling', 'tcp']).default('websocket'),
  /**
   * History fetches and presence queries: on the client's stream as request and response frames
   * (`stream`), or each as its own HTTP/1.1 request on a kept-alive connection (`http`; ADR 0017).
   */
  dataCalls: z.enum(['stream', 'http']).default('stream'),
  /** Long polling: a poll is held this long before an empty answer. */
  pollTimeoutMs: int(1).default(25_000),
  presence: z
    .strictObject({
      enabled: z.boolean().default(false),
      strategy: z.enum(['broadcast', 'subscribers', 'lazy']).default('broadcast'),
      /** An entry that stops beating goes offline after this long (a crash leaves ghosts until then). */
      ttlMs: int(1).default(60_000),
      sweepMs: int(1).default(5_000),
      /** Subscribers and lazy presence: mean time a user looks at one channel before another. */
      viewSwitchMeanMs: int(1).default(20_000),
      typingProbability: probability().default(0.3),
    })
    .prefault({}),
  notifications: z
    .strictObject({
      enabled: z.boolean().default(false),
      /** The push provider's quota (FCM: 600,000 a minute per project). */
      quotaPerMinute: int(1).default(600_000),
      providerLatency: distSchema.default({ kind: 'exponential', meanMs: 300 }),
    })
    .prefault({}),
  /**
   * Large groups: push every message to members (fan-out on write), let members poll history
   * (pull), or push to small groups and let members of groups above a size poll (hybrid).
   */
  largeGroups: z
    .strictObject({
      mode: z.enum(['push', 'pull', 'hybrid']).default('push'),
      thresholdMembers: int(2).default(100),
      pollIntervalMs: int(1).default(2000),
    })
    .prefault({}),
  /**
   * Rate limiting: where (the edge, each server, the chat service, or a dedicated service one hop
   * away), keyed by user or by IP address, with which algorithm and edge conventions.
   */
  rateLimit: z
    .strictObject({
      enabled: z.boolean().default(false),
      placement: z.enum(['gateway', 'ws-server', 'chat', 'service']).default('gateway'),
      keyBy: z.enum(['user', 'ip']).default('user'),
      /** Keyed by IP: how many users share one address (a NAT, an office). */
      usersPerIp: int(1).default(1),
      limiter: limiterSpecSchema.prefault({ algorithm: 'sliding-log', limit: 5, windowMs: 60_000 }),
      maxKeys: int(1).default(100_000),
      /** Dedicated service: how long a server waits for a verdict, and what it does without one. */
      serviceTimeoutMs: int(1).default(200),
      failOpen: z.boolean().default(true),
    })
    .prefault({}),
  /**
   * The helper services' CPUs (each exists only when the design uses it): the global sequencer,
   * the dedicated rate-limit service, the stateless servers' session store, the user → server
   * directory, the presence service and the push notifier.
   */
  services: z
    .strictObject({
      sequencer: cpuSchema.default({ serviceTime: { kind: 'exponential', meanMs: 0.1 }, queueCapacity: 100_000, dropPolicy: 'drop-newest' }),
      limiter: cpuSchema.default({ serviceTime: { kind: 'exponential', meanMs: 0.1 }, queueCapacity: 100_000, dropPolicy: 'drop-newest' }),
      sessionStore: cpuSchema.default({ serviceTime: { kind: 'exponential', meanMs: 0.05 }, queueCapacity: 100_000, dropPolicy: 'drop-newest' }),
      directory: cpuSchema.default({ serviceTime: { kind: 'exponential', meanMs: 0.2 }, queueCapacity: 100_000, dropPolicy: 'drop-newest' }),
      presence: cpuSchema.default({ serviceTime: { kind: 'exponential', meanMs: 0.1 }, queueCapacity: 100_000, dropPolicy: 'drop-newest' }),
      notifier: cpuSchema.default({ serviceTime: { kind: 'exponential', meanMs: 0.2 }, queueCapacity: 100_000, dropPolicy: 'drop-newest' }),
    })
    .prefault({}),
  /**
   * Authentication (ADR 0013): clients log in to the auth service for a signed token that the
   * WebSocket servers verify at every connect. Fleets of a warm start hold valid tokens by rule.
   */
  auth: z
    .strictObject({
      /** How long an issued token is valid (1 h: the default of Amazon Cognito and Google's OAuth access tokens). */
      tokenLifetimeMs: int(1).default(3_600_000),
      /** Clients log in again this long before their token expires (MSAL refreshes 5 minutes early). */
      refreshBeforeExpiryMs: ms().default(300_000),
      /** A login's time may differ from the service's by this much; its nonce is remembered that long (Kerberos allows 5 minutes of skew). */
      loginWindowMs: int(1).default(300_000),
      /** The auth service's CPU: checking a proof and signing a token. */
      cpu: cpuSchema.default({ serviceTime: { kind: 'exponential', meanMs: 1 }, queueCapacity: 100_000, dropPolicy: 'drop-newest' }),
    })
    .prefault({}),
  /** The user → server directory (always on without a broker). */
  mapping: z.strictObject({ enabled: z.boolean().default(false) }).prefault({}),
  /**
   * Without a broker (ADR 0022), a server reaches the others with one HTTP call per target server
   * per message: each request costs the sender `requestCpuUs` (serialising, headers, the write), a
   * new connection `connectCpuUs` more (TLS), and its response one input; at most `poolSize` calls
   * are in flight per server, the rest wait (at most `queueMax`), and a call unanswered after
   * `timeoutMs` frees its slot and closes its connection. `headerBytes` go each way with every call.
   */
  serverCalls: z
    .strictObject({
      poolSize: int(1).max(10_000).default(20),
      queueMax: int(0).max(1_000_000).default(1000),
      timeoutMs: int(1).max(MAX_DELAY_MS).default(5000),
      requestCpuUs: int(0).max(1_000_000).default(150),
      connectCpuUs: int(0).max(1_000_000).default(1000),
      headerBytes: int(0).max(65_536).default(300),
    })
    .prefault({}),
  client: z
    .strictObject({
      reorderBuffer: z.boolean().default(true),
      reorderMaxWaitMs: ms().default(500),
      gapDetection: z.boolean().default(true),
      dedup: z.boolean().default(true),
      ackTimeoutMs: int(1).default(5000),
      maxSendAttempts: int(1).default(5),
      reconnect: z
        .strictObject({
          strategy: z.enum(['fixed', 'full-jitter']).default('full-jitter'),
          baseMs: int(1).default(500),
          maxMs: int(1).default(20_000),
        })
        .prefault({}),
      heartbeatIntervalMs: int(1).default(25_000),
      heartbeatTimeoutMs: int(1).default(8000),
      /** The client's downlink, used for slow-consumer modelling; 0 is unlimited. */
      downlinkBytesPerMs: z.number().min(0).default(0),
    })
    .prefault({}),
  network: z
    .strictObject({
      /** Client ↔ gateway (and gateway ↔ server) traffic: one TCP stream per connection. */
      client: linkSchema.default({ latencyMs: 20, jitter: { kind: 'uniform', minMs: 0, maxMs: 10 }, lossRatio: 0, duplicateRatio: 0, fifo: true, bandwidthBytesPerMs: 0 }),
      /** Traffic between back-end services inside the data centre. */
      internal: linkSchema.default({ latencyMs: 1, jitter: { kind: 'uniform', minMs: 0, maxMs: 1 }, lossRatio: 0, duplicateRatio: 0, fifo: true, bandwidthBytesPerMs: 0 }),
      /** Server-to-server calls when there is no broker: separate requests, so not one stream. */
      serverToServer: linkSchema.default({ latencyMs: 2, jitter: { kind: 'exponential', meanMs: 5 }, lossRatio: 0, duplicateRatio: 0, fifo: false, bandwidthBytesPerMs: 0 }),
    })
    .prefault({}),
  workload: z
    .strictObject({
      users: int(1).max(1_000_000).default(8),
      /**
       * How users are played: one node each (every client behaviour: retries, reorder buffer,
       * reconnects), or fleets of many users per node (steady load at scale: a million users).
       */
      clients: z.enum(['nodes', 'fleets']).default('nodes'),
      usersPerFleet: int(1).default(50_000),
      /** Fleets only: the fleet's clock tick; pings and sends due within one tick go out together. */
      fleetTickMs: int(1).default(100),
      /**
       * Fleets with personal channels only: the share of sends that go to the user's personal
       * channel (a direct message) rather than one of their groups.
       */
      fleetPersonalShare: probability().default(0.1),
      /** Fleets only: start with every user already connected (a cluster in steady state). */
      warmStart: z.boolean().default(false),
      /** Give every user a personal channel `p:<user>` (design: one channel per user for direct delivery). */
      personalChannels: z.boolean().default(false),
      /** Explicit channels; when absent, channels are generated from privateChats and groups. */
      channels: z.array(channelSchema).optional(),
      privateChats: int(0).default(0),
      groups: z
        .strictObject({
          count: int(0).default(0),
          size: groupSizeSchema.default({ kind: 'fixed', size: 8 }),
          /** random: each group draws its members; partition: every user in exactly one group. */
          membership: z.enum(['random', 'partition']).default('random'),
        })
        .prefault({}),
      /** Poisson send rate per user, messages per second (0 for scripted-only scenarios). */
      sendRatePerUserPerSec: z
        .number()
        .min(0)
        .max(MAX_SEND_RATE_PER_SEC)
        .refine((r) => r === 0 || r >= MIN_SEND_RATE_PER_SEC, {
          error: (issue) => `${String(issue.input)} is too small (allowed: 0, or ${MIN_SEND_RATE_PER_SEC} to ${MAX_SEND_RATE_PER_SEC} sends a second)`,
        })
        .default(0.2),
      /** Chance that a send opens a burst of `burstSize` quick messages. */
      burstProbability: probability().default(0),
      burstSize: int(1).default(5),
      burstGapMs: ms().default(50),
      /**
       * Chance that a send replies to the latest message its sender has been shown in that channel
       * (it carries `replyTo`; the causal checker judges that every reader sees it after what it
       * answers). 0 by default, so a preset's trace does not change unless it asks for replies.
       */
      replyProbability: probability().default(0),
      /** Users that go offline and come back during the run. */
      offlineFraction: probability().default(0),
      meanOnlineMs: int(1).default(20_000),
      meanOfflineMs: int(1).default(5_000),
      /** Users connect over this many ms at the start (a real fleet does not connect at once). */
      connectSpreadMs: ms().default(1000),
      script: z.array(scriptedSendSchema).default([]),
      /**
       * Users joining and leaving group channels during the run (001's join/leave group calls).
       * Each is a request the user's app sends; it takes effect when the chat service applies it.
       */
      membershipChanges: z.array(membershipChangeSchema).max(10_000).default([]),
    })
    .prefault({}),
  faults: z.array(z.strictObject({ at: ms(), op: opSchema })).default([]),
  trace: z
    .strictObject({
      maxEvents: int(0).default(500_000),
      /** Keep-alive traffic (heartbeats, health checks) recorded message by message, or only counted. */
      control: z.enum(['traced', 'counted']).default('traced'),
    })
    .prefault({}),
});

/** A validated scenario with every default filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
/** What a scenario file may contain (defaults optional). */
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** The result of validating a scenario: the scenario, or sentences naming each bad field. */
export type ScenarioParse = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

/**
 * Validates a scenario, filling defaults.
 *
 * @example
 * parseScenario({ durationMs: 0 });
 * // { ok: false, errors: ['scenario.durationMs: Too small: expected number to be >=1'] }
 */
export function parseScenario(input: unknown): ScenarioParse {
  const result = scenarioSchema.safeParse(input, { reportInput: true });
  if (!result.success) return { ok: false, errors: result.error.issues.map((issue) => describeIssue('scenario', issue)) };
  const problems = crossCheck(result.data);
  return problems.length > 0 ? { ok: false, errors: problems } : { ok: true, scenario: result.data };
}

/** Rules that span fields (a scripted sender must exist, a channel's members must be users…). */
function crossCheck(s: Scenario): string[] {
  const errors: string[] = [];
  const users = new Set(Array.from({ length: s.workload.users }, (_, i) => `u${i + 1}`));
  const channelIds = new Set<string>();
  (s.workload.channels ?? []).forEach((c, i) => {
    if (channelIds.has(c.id)) errors.push(`scenario.workload.channels[${i}].id: channel "${c.id}" is defined twice`);
    channelIds.add(c.id);
    c.members.forEach((m, j) => {
      if (!users.has(m)) errors.push(`scenario.workload.channels[${i}].members[${j}]: unknown user "${m}"; users are u1..u${s.workload.users}`);
    });
  });
  s.workload.script.forEach((send, i) => {
    if (!users.has(send.user)) errors.push(`scenario.workload.script[${i}].user: unknown user "${send.user}"; users are u1..u${s.workload.users}`);
    if (send.atMs >= s.durationMs) errors.push(`scenario.workload.script[${i}].atMs: ${send.atMs} is not before durationMs (${s.durationMs})`);
  });
  s.workload.membershipChanges.forEach((m, i) => {
    const at = `scenario.workload.membershipChanges[${i}]`;
    if (!users.has(m.user)) errors.push(`${at}.user: unknown user "${m.user}"; users are u1..u${s.workload.users}`);
    if (m.atMs >= s.durationMs) errors.push(`${at}.atMs: ${m.atMs} is not before durationMs (${s.durationMs})`);
    const group = /^g([1-9][0-9]*)$/.exec(m.channel);
    const known = channelIds.has(m.channel) || (group !== null && Number(group[1]) <= s.workload.groups.count);
    if (!known || m.channel.startsWith('dm:') || m.channel.startsWith('p:')) {
      const kind = m.channel.startsWith('dm:') ? 'a private chat, whose two members are fixed' : m.channel.startsWith('p:') ? 'a personal channel' : 'not a channel of this scenario';
      const groups = s.workload.groups.count > 0 ? `, or g1..g${s.workload.groups.count}` : '';
      errors.push(`${at}.channel: "${m.channel}" is ${kind}; joins and leaves are for group channels (workload.channels ids${groups})`);
    }
  });
  if (s.workload.membershipChanges.length > 0 && s.workload.clients !== 'nodes') errors.push('scenario.workload.membershipChanges: joins and leaves are played by client nodes (workload.clients: "nodes"), not fleets');
  if (s.workload.groups.size.kind === 'fixed' && s.workload.groups.count > 0 && s.workload.groups.size.size > s.workload.users) {
    errors.push(`scenario.workload.groups.size.size: a group of ${s.workload.groups.size.size} needs at least that many users (have ${s.workload.users})`);
  }
  if (s.workload.privateChats > 0 && s.workload.users < 2) errors.push('scenario.workload.privateChats: private chats need at least 2 users');
  if (s.workload.clients === 'nodes' && s.workload.users > 100_000) errors.push(`scenario.workload.users: ${s.workload.users} users need clients: "fleets" (one node per user is limited to 100,000)`);
  if (s.workload.warmStart && s.workload.clients !== 'fleets') errors.push('scenario.workload.warmStart: a warm start needs clients: "fleets"');
  if (s.auth.refreshBeforeExpiryMs >= s.auth.tokenLifetimeMs) errors.push(`scenario.auth.refreshBeforeExpiryMs: ${s.auth.refreshBeforeExpiryMs} must be less than tokenLifetimeMs (${s.auth.tokenLifetimeMs}), or every token would need a refresh as soon as it is issued`);
  if (s.notifications.enabled && !s.presence.enabled) errors.push('scenario.notifications.enabled: push notifications need presence (scenario.presence.enabled) to know who is offline');
  if (s.topology.maxWsServers < s.topology.wsServers) errors.push(`scenario.topology.maxWsServers: ${s.topology.maxWsServers} is fewer than wsServers (${s.topology.wsServers}); the pool holds the servers in service and the spares`);
  errors.push(...scalingProblems(s));
  const nodes = nodeIdsOf(s);
  const blocking = s.wsServer.blockingHandler;
  if (blocking !== undefined && !nodes.has(blocking.server)) errors.push(`scenario.wsServer.blockingHandler.server: unknown server "${blocking.server}"; servers are ws-1..ws-${s.topology.wsServers}`);
  s.faults.forEach((f, i) => {
    const op = f.op as Record<string, unknown>;
    for (const field of ['node', 'from', 'to'] as const) {
      const v = op[field];
      // An inject's `from` too: the simulator refuses a sender that is not a node (a reply to it
      // would have nowhere to go), so the schema must not accept one.
      if (typeof v === 'string' && !nodes.has(v)) {
        errors.push(`scenario.faults[${i}].op.${field}: unknown node "${v}"; nodes are ${describeNodes(s)}`);
      }
    }
    const msg = op['msg'] as { type?: unknown } | undefined;
    if (op['verb'] === 'inject' && typeof msg?.type === 'string') {
      const problem = senderProblem(msg.type, typeof op['from'] === 'string' ? op['from'] : undefined, String(op['node']));
      if (problem !== null) errors.push(`scenario.faults[${i}].op.${problem}`);
    }
    for (const field of ['a', 'b'] as const) {
      const list = op[field];
      if (Array.isArray(list)) list.forEach((v, j) => {
        if (!nodes.has(String(v))) errors.push(`scenario.faults[${i}].op.${field}[${j}]: unknown node "${String(v)}"; nodes are ${describeNodes(s)}`);
      });
    }
  });
  errors.push(...boundProblems(s));
  return errors;
}

/** The node ids a scenario's topology has (what fault scripts may name). */
export function nodeIdsOf(s: Scenario): Set<string> {
  const ids = ['gw', 'auth', 'chat', 'db'];
  for (let i = 1; i <= Math.max(s.topology.wsServers, s.topology.maxWsServers); i++) ids.push(`ws-${i}`);
  if (s.broker.kind !== 'none') ids.push('broker');
  if (s.broker.kind === 'none' || s.mapping.enabled) ids.push('directory');
  if (s.presence.enabled) ids.push('presence');
  if (s.wsServer.state === 'stateless') ids.push('sessions');
  if (s.rateLimit.enabled && s.rateLimit.placement === 'service') ids.push('limiter');
  if (s.notifications.enabled) ids.push('notifier');
  if (s.chat.ordering === 'global') ids.push('sequencer');
  if (s.workload.clients === 'fleets') for (let i = 1; i <= Math.ceil(s.workload.users / s.workload.usersPerFleet); i++) ids.push(`fleet-${i}`);
  else for (let i = 1; i <= s.workload.users; i++) ids.push(`c-u${i}`);
  return new Set(ids);
}

function describeNodes(s: Scenario): string {
  const services = [...nodeIdsOf(s)].filter((id) => !id.startsWith('c-') && !id.startsWith('ws-'));
  return `${services.join(', ')}, ws-1..ws-${Math.max(s.topology.wsServers, s.topology.maxWsServers)} and c-u1..c-u${s.workload.users}`;
}

/**
 * The fault script's scaling verbs against the pool: an `addServer` needs a spare (a drained server
 * is one again once its grace period is over), a `removeServer` names a server in the pool. The
 * simulator refuses what still cannot apply (`node/scaleRefused`); this catches the plain mistakes.
 */
function scalingProblems(s: Scenario): string[] {
  const errors: string[] = [];
  const pool = Math.max(s.topology.wsServers, s.topology.maxWsServers);
  const scaling = s.faults.map((f, i) => ({ at: f.at, op: f.op, i })).filter((f) => f.op.verb === 'addServer' || f.op.verb === 'removeServer');
  // Servers in service or draining, walking the script in time order (stops are free again later).
  let busy = s.topology.wsServers;
  const stopsAt: number[] = [];
  for (const f of [...scaling].sort((x, y) => x.at - y.at || x.i - y.i)) {
    for (let k = stopsAt.length - 1; k >= 0; k--) if ((stopsAt[k] as number) <= f.at) { stopsAt.splice(k, 1); busy--; }
    if (f.op.verb === 'addServer') {
      if (f.op.node !== undefined && !/^ws-\d+$/.test(f.op.node)) errors.push(`scenario.faults[${f.i}].op.node: "${f.op.node}" is not a WebSocket server; the pool is ws-1..ws-${pool}`);
      else if (busy >= pool) errors.push(`scenario.faults[${f.i}].op: addServer at ${f.at} ms finds no spare server (allowed: raise topology.maxWsServers above ${pool})`);
      else busy++;
    } else if (f.op.verb === 'removeServer') {
      if (!/^ws-\d+$/.test(f.op.node) || Number(f.op.node.slice(3)) > pool) errors.push(`scenario.faults[${f.i}].op.node: "${f.op.node}" is not a server of the pool (ws-1..ws-${pool})`);
      else stopsAt.push(f.at + (f.op.graceMs ?? DRAIN_GRACE_MS_DEFAULT));
    }
  }
  return errors;
}
