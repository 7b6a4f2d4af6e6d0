/**
 * Lab: pub/sub fan-out (required diagram 2). The component view with the servers' subscription
 * maps; interest-based routing answered by the run; the no-broker pitfall as the cluster grows (a
 * slider over the servers with a line per design, and a table of both designs, ADR 0022), and as
 * the group grows on a fixed cluster (a slider over the group's size); coupling when one server
 * crashes, as a table of two runs; a Redis-like push against a Kafka-like log when a server comes
 * back; and the student's own component diagram checked against the cluster.
 *
 * No pitfall entry: no checker fires on the no-broker design (it loses nothing and breaks no
 * order); its cost is shown by figures from runs, and `lab.test.ts` pins the relations the text
 * states.
 */
import type { FigureSpec, GoalMetric, LabManifest, LabRun, SweepAxis } from '../framework/index.ts';
import { CONTROLS, DESIGN, SERVERS } from './controls.ts';
import { MEDIAN_UNHURT, NOTHING_LOST, PUBLISHED, SENDER_PAYS, SERVERS_SUBSCRIBED } from './goals.ts';
import * as text from './narration.ts';
import { COMPONENTS, CRASH_AT, FAILING, GROUP_SERVERS, GROUP_SIZES, GROWTH_SERVERS, KAFKA_RESTART, REDIS_RESTART, failure, groupOf, groupSize, growth } from './patches.ts';

const SMALL = GROWTH_SERVERS[0];

/**
 * The growth step's slider: the servers along the slider, the design as two lines (a broker, or
 * none), three seeds; the group's size is the step's (16, so at 16 servers each member has a
 * server of their own). 4 × 2 × 3 = 24 runs; the sweep's cost is measured in docs/BENCHMARKS.md.
 */
export const GROWTH_SWEEP: SweepAxis = {
  title: 'Servers against fan-out design: messages per component, the sender\u2019s server, latency',
  path: 'topology.wsServers',
  values: [...GROWTH_SERVERS],
  series: { path: 'broker.kind', values: ['none', 'redis'], labels: ['no broker', 'Redis-like broker'] },
  seeds: [1, 2, 3],
  figures: ['messagesPerStoredMessage', 'cpu.ws-server.utilizationMax', 'latency.p50Ms'],
  tableFigures: ['messagesPerStoredMessage', 'messages.ws-server', 'messages.broker', 'messages.directory', 'cpu.ws-server.utilizationMax', 'latency.p50Ms', 'latency.p99Ms'],
  label: 'WebSocket servers',
  figureLabels: {
    messagesPerStoredMessage: 'network messages per stored message',
    'messages.ws-server': 'messages the servers sent',
    'messages.broker': 'messages the broker sent',
    'messages.directory': 'messages the directory sent',
    'cpu.ws-server.utilizationMax': 'busiest server\u2019s CPU',
    'latency.p50Ms': 'p50 delivery',
    'latency.p99Ms': 'p99 delivery',
  },
};
const LARGE = GROWTH_SERVERS[GROWTH_SERVERS.length - 1] ?? 16;

/**
 * The group-size slider: the same busy member on 8 servers, the group g1 growing along
 * `workload.channels` (4, 8, 16, 32 members, named for the reader), a line per design, three
 * seeds: 4 × 2 × 3 = 24 runs.
 */
export const GROUP_SWEEP: SweepAxis = {
  title: `Group size against fan-out design, on ${GROUP_SERVERS} servers`,
  path: 'workload.channels',
  values: GROUP_SIZES.map((n) => groupOf(n)),
  valueLabels: GROUP_SIZES.map((n) => `${n} members`),
  label: 'Group size',
  series: { path: 'broker.kind', values: ['none', 'redis'], labels: ['no broker', 'Redis-like broker'] },
  seeds: [1, 2, 3],
  figures: ['messagesPerStoredMessage', 'messages.broker', 'cpu.ws-server.utilizationMax', 'latency.p50Ms'],
  tableFigures: ['messagesPerStoredMessage', 'messages.ws-server', 'messages.broker', 'messages.directory', 'cpu.ws-server.utilizationMax', 'latency.p50Ms', 'latency.p99Ms'],
  figureLabels: GROWTH_SWEEP.figureLabels ?? {},
};

/** The growth table's four runs: each design on the fewest and the most servers. */
const GROWTH_RUNS: readonly [string, LabRun][] = [
  ['direct-small', growth(SMALL, 'none')],
  ['direct-large', growth(LARGE, 'none')],
  ['broker-small', growth(SMALL, 'redis')],
  ['broker-large', growth(LARGE, 'redis')],
];

const GROWTH_ROWS = [
  { id: 'perStored', metric: 'messagesPerPersisted', unit: '', label: 'network messages per stored message' },
  { id: 'wsPerStored', metric: 'messagesPerStored.wsServer', unit: '', label: 'sent by the servers, per stored message' },
  { id: 'brokerPerStored', metric: 'messagesPerStored.broker', unit: '', label: 'sent by the broker, per stored message' },
  { id: 'directoryPerStored', metric: 'messagesPerStored.directory', unit: '', label: 'sent by the directory, per stored message' },
  { id: 'senderCpu', metric: 'cpu.wsServerBusiestMsPerStored', unit: 'ms', label: "sender's server CPU per message" },
  { id: 'p50', metric: 'latencyMs.p50', unit: 'ms', label: 'p50 delivery' },
  { id: 'p99', metric: 'latencyMs.p99', unit: 'ms', label: 'p99 delivery' },
] as const;

/** One metric read from each run of a list, as `${id}-${run}` figures. */
const across = (runs: readonly [string, LabRun][], id: string, metric: GoalMetric, unit: string, label: string): Record<string, FigureSpec> =>
  Object.fromEntries(runs.map(([r, run]) => [`${id}-${r}`, { kind: 'metric', metric, unit, label: `${label} (${r})`, run } satisfies FigureSpec]));

/** The growth figures of the step's own run (the student's servers and design). */
const OWN_GROWTH: Record<string, FigureSpec> = Object.fromEntries(GROWTH_ROWS.map((r) => [r.id, { kind: 'metric', metric: r.metric, unit: r.unit, label: r.label } satisfies FigureSpec]));

const FAILURE_RUNS: readonly [string, LabRun][] = [
  ['direct', failure('none')],
  ['broker', failure('redis')],
];

const FAILURE_ROWS: readonly { id: string; label: string; spec: FigureSpec }[] = [
  { id: 'p50', label: 'p50 delivery', spec: { kind: 'metric', metric: 'latencyMs.p50', unit: 'ms', label: 'p50 delivery' } },
  { id: 'p90', label: 'p90 delivery', spec: { kind: 'metric', metric: 'latencyMs.p90', unit: 'ms', label: 'p90 delivery' } },
  { id: 'queued', label: 'calls queued for a slot', spec: { kind: 'eventCount', type: 'ws/serverCallQueued', unit: '', label: 'calls queued' } },
  { id: 'timedOut', label: 'calls timed out', spec: { kind: 'eventCount', type: 'ws/serverCallTimedOut', unit: '', label: 'calls timed out' } },
  { id: 'lost', label: 'lost (stored, never shown)', spec: { kind: 'metric', metric: 'counts.lost', unit: '', label: 'lost' } },
];

export const manifest: LabManifest = {
  id: 'pubsub-fanout',
  title: 'Pub/sub fan-out',
  summary: text.SUMMARY,
  group: 'diagrams',
  seed: 42,
  pitfalls: [],
  steps: [
    {
      id: 'components',
      kind: 'explore',
      title: 'The components and who subscribes to what',
      run: COMPONENTS,
      focus: { kind: 'pubsub' },
      seekTo: 'end',
      narration: text.COMPONENTS,
      watch: text.COMPONENTS_WATCH,
      marks: ['broker/subscribed'],
      figures: {
        subscriptions: { kind: 'eventCount', type: 'broker/subscribed', unit: '', label: 'subscriptions' },
        g1Subscribers: { kind: 'eventCount', type: 'broker/subscribed', match: { topic: 'g1' }, unit: '', label: 'servers subscribed to g1' },
        published: { kind: 'eventCount', type: 'broker/published', match: { topic: 'g1' }, unit: '', label: 'group messages published' },
        copies: { kind: 'eventSum', type: 'broker/published', field: 'subscribers', match: { topic: 'g1' }, unit: '', label: 'copies the broker pushed' },
        fannedOut: { kind: 'eventCount', type: 'ws/fannedOut', match: { channel: 'g1' }, unit: '', label: 'fan-outs by the servers' },
      },
      goals: [SERVERS_SUBSCRIBED, PUBLISHED, NOTHING_LOST],
    },
    {
      id: 'interest',
      kind: 'predict',
      title: 'Routing by interest: who subscribes to a private channel?',
      run: COMPONENTS,
      focus: { kind: 'pubsub' },
      seekTo: 'end',
      narration: text.INTEREST_NARRATION,
      question: text.INTEREST_QUESTION,
      prediction: { kind: 'number', figure: 'dmSubscribers', unit: 'servers', tolerance: 0, min: 0, max: 3 },
      explanation: text.INTEREST_EXPLANATION,
      figures: {
        dmSubscribers: { kind: 'eventCount', type: 'broker/subscribed', match: { topic: 'dm:u3:u7' }, unit: '', label: 'servers subscribed to dm:u3:u7' },
        g1Subscribers: { kind: 'eventCount', type: 'broker/subscribed', match: { topic: 'g1' }, unit: '', label: 'servers subscribed to g1' },
        dmPublished: { kind: 'eventCount', type: 'broker/published', match: { topic: 'dm:u3:u7' }, unit: '', label: 'dm:u3:u7 messages published' },
        dmCopies: { kind: 'eventSum', type: 'broker/published', field: 'subscribers', match: { topic: 'dm:u3:u7' }, unit: '', label: 'copies of dm:u3:u7 messages' },
      },
      goals: [],
    },
    {
      id: 'grow',
      kind: 'experiment',
      title: 'Without a broker, as the cluster grows',
      run: growth(SMALL, 'none'),
      controls: [SERVERS, DESIGN],
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.GROW_NARRATION,
      explanation: text.GROW_EXPLANATION,
      figures: {
        stored: { kind: 'metric', metric: 'counts.persisted', unit: '', label: 'messages stored' },
        ...OWN_GROWTH,
        ...Object.assign({}, ...GROWTH_ROWS.map((r) => across(GROWTH_RUNS, r.id, r.metric, r.unit, r.label))),
      },
      table: {
        caption: `One busy sender, the same seed: each design on ${SMALL} and ${LARGE} servers`,
        columns: [`no broker, ${SMALL} servers`, `no broker, ${LARGE} servers`, `broker, ${SMALL} servers`, `broker, ${LARGE} servers`],
        rows: GROWTH_ROWS.map((r) => ({ label: r.label, figures: GROWTH_RUNS.map(([run]) => `${r.id}-${run}`) })),
      },
      sweep: GROWTH_SWEEP,
      goals: [SENDER_PAYS],
    },
    {
      id: 'group-size',
      kind: 'experiment',
      title: 'A bigger group on the same servers',
      run: groupSize(16, 'none'),
      controls: [],
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.GROUP_NARRATION,
      explanation: text.GROUP_EXPLANATION,
      figures: {
        perStored: { kind: 'metric', metric: 'messagesPerPersisted', unit: '', label: 'network messages per stored message' },
        senderCpu: { kind: 'metric', metric: 'cpu.wsServerBusiestMsPerStored', unit: 'ms', label: "sender's server CPU per message" },
      },
      sweep: GROUP_SWEEP,
      goals: [],
    },
    {
      id: 'one-fails',
      kind: 'experiment',
      title: 'One server fails: who slows down?',
      run: failure('none'),
      controls: [DESIGN],
      focus: { kind: 'pubsub' },
      seekTo: 'end',
      narration: text.FAIL_NARRATION,
      explanation: text.FAIL_EXPLANATION,
      marks: ['ws/serverCallTimedOut'],
      figures: {
        ...Object.fromEntries(FAILURE_ROWS.map((r) => [r.id, r.spec])),
        ...Object.fromEntries(FAILURE_ROWS.flatMap((r) => FAILURE_RUNS.map(([d, run]) => [`${r.id}-${d}`, { ...r.spec, label: `${r.spec.label} (${d})`, run }]))),
      },
      table: {
        caption: `${FAILING} crashes at ${CRASH_AT / 1000} s: the same seed with and without a broker`,
        columns: ['no broker', 'broker'],
        rows: FAILURE_ROWS.map((r) => ({ label: r.label, figures: FAILURE_RUNS.map(([d]) => `${r.id}-${d}`) })),
      },
      goals: [MEDIAN_UNHURT],
    },
    {
      id: 'replay',
      kind: 'predict',
      title: 'A server comes back: pushed and gone, or kept in a log?',
      run: KAFKA_RESTART,
      focus: { kind: 'pubsub' },
      seekTo: 'end',
      narration: text.REPLAY_NARRATION,
      question: text.REPLAY_QUESTION,
      prediction: {
        kind: 'choice',
        options: [
          { id: 'replayed', label: 'What they missed, read again from the log', when: [{ figure: 'lostKafka', op: '<', than: { figure: 'lostRedis' } }] },
          { id: 'lost', label: 'Nothing: like a Redis-like push, what was sent meanwhile is gone', when: [{ figure: 'lostKafka', op: '>=', than: { figure: 'lostRedis' } }] },
        ],
      },
      explanation: text.REPLAY_EXPLANATION,
      figures: {
        stored: { kind: 'metric', metric: 'counts.persisted', unit: 'messages', label: 'messages stored' },
        lostKafka: { kind: 'metric', metric: 'counts.lost', unit: '', label: 'lost pairs with the Kafka-like log' },
        lostRedis: { kind: 'metric', metric: 'counts.lost', unit: '', label: 'lost pairs with Redis-like push', run: REDIS_RESTART },
        fanKafka: { kind: 'eventCount', type: 'ws/fannedOut', unit: '', label: 'fan-outs with the Kafka-like log' },
        fanRedis: { kind: 'eventCount', type: 'ws/fannedOut', unit: '', label: 'fan-outs with Redis-like push', run: REDIS_RESTART },
        // The moment to look at the log: the step opens at the end, when ws-2 has long caught up.
        backAt: { kind: 'eventAt', type: 'op/restarted', unit: 's', scale: 0.001, label: 'ws-2 back up' },
      },
      goals: [],
    },
    {
      id: 'draw',
      kind: 'explore',
      title: 'Draw the pub/sub architecture yourself',
      run: COMPONENTS,
      focus: { kind: 'whiteboard', diagram: 'component' },
      seekTo: 'end',
      narration: text.DRAW,
      watch: text.DRAW_WATCH,
      figures: {},
      goals: [],
    },
  ],
};

/** This lab's controls. */
export const controls = CONTROLS;
