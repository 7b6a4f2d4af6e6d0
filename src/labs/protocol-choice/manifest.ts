/**
 * Lab: the real-time protocol (critical decision 1). The lab's comparison table with its overhead
 * and latency rows filled from runs of the same workload over WebSocket, SSE, long polling and raw
 * TCP; a trade-off slider over the transports with the spread across seeds; long polling's
 * connection lifecycle in the sequence diagram; and SSE's way up, answered by the run.
 */
import type { FigureSpec, GoalMetric, LabManifest, LabRun } from '../framework/index.ts';
import { CONTROLS, TRANSPORT, TRANSPORT_FROM_WEBSOCKET } from './controls.ts';
import { NO_REQUEST_PER_MESSAGE, NOTHING_LOST, POLLS_ANSWERED } from './goals.ts';
import * as text from './narration.ts';
import { LONG_POLLING, PAIR_OVER_WEBSOCKET, RAW_TCP, SSE, WEBSOCKET } from './patches.ts';

const RUNS: readonly [string, LabRun][] = [
  ['ws', WEBSOCKET],
  ['sse', SSE],
  ['lp', LONG_POLLING],
  ['tcp', RAW_TCP],
];

/** The same metric read from every transport's run, for the comparison table. */
const across = (id: string, metric: GoalMetric, unit: string, label: string): Record<string, FigureSpec> =>
  Object.fromEntries(RUNS.map(([t, run]) => [`${id}-${t}`, { kind: 'metric', metric, unit, label: `${label} (${t})`, run } satisfies FigureSpec]));

const ROWS = [
  { id: 'bytes', metric: 'transport.chatBytesPerStoredMessage', unit: 'bytes', label: 'chat bytes per stored message' },
  { id: 'requests', metric: 'transport.chatHttpRequestsPerSentMessage', unit: '', label: 'HTTP requests per message sent' },
  { id: 'handshakeBytes', metric: 'transport.connectHandshakeBytes', unit: 'bytes', label: 'connect handshake bytes' },
  { id: 'held', metric: 'transport.connectionsHeldPeak', unit: '', label: 'connections held (peak)' },
  { id: 'p50', metric: 'latencyMs.p50', unit: 'ms', label: 'p50 delivery' },
  { id: 'p99', metric: 'latencyMs.p99', unit: 'ms', label: 'p99 delivery' },
] as const;

export const manifest: LabManifest = {
  id: 'protocol-choice',
  title: 'Decision: the real-time protocol',
  summary: text.SUMMARY,
  group: 'decisions',
  seed: 42,
  pitfalls: [],
  steps: [
    {
      id: 'compare',
      kind: 'experiment',
      title: 'The comparison table, measured',
      run: LONG_POLLING,
      controls: [TRANSPORT],
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.TABLE_NARRATION,
      explanation: text.TABLE_EXPLANATION,
      figures: {
        bytes: { kind: 'metric', metric: 'transport.chatBytesPerStoredMessage', unit: 'bytes', label: 'chat bytes per stored message' },
        requests: { kind: 'metric', metric: 'transport.chatHttpRequestsPerSentMessage', unit: '', label: 'HTTP requests per message sent' },
        handshakes: { kind: 'metric', metric: 'transport.connectHandshakes', unit: '', label: 'connect handshakes' },
        handshakeBytes: { kind: 'metric', metric: 'transport.connectHandshakeBytes', unit: 'bytes', label: 'handshake bytes' },
        ...Object.assign({}, ...ROWS.map((r) => across(r.id, r.metric, r.unit, r.label))),
      },
      table: {
        caption: 'The same workload and seed over each transport',
        columns: ['WebSocket', 'SSE + POST', 'Long polling', 'Raw TCP'],
        properties: text.PROPERTIES,
        rows: ROWS.map((r) => ({ label: r.label, figures: RUNS.map(([t]) => `${r.id}-${t}`) })),
      },
      goals: [NO_REQUEST_PER_MESSAGE, NOTHING_LOST],
    },
    {
      id: 'slider',
      kind: 'experiment',
      title: 'A slider over the transports, three seeds each',
      run: WEBSOCKET,
      controls: [],
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.SWEEP_NARRATION,
      explanation: text.SWEEP_EXPLANATION,
      figures: {},
      sweep: {
        title: 'Transport: bytes per message and tail latency',
        path: 'transport',
        values: ['long-polling', 'sse', 'websocket', 'tcp'],
        seeds: [1, 2, 3],
        figures: ['transport.chatBytesPerStoredMessage', 'latency.p99Ms'],
        tableFigures: ['transport.chatBytesPerStoredMessage', 'transport.chatHttpRequestsPerSentMessage', 'transport.connectHandshakeBytes', 'latency.p50Ms', 'latency.p99Ms'],
        label: 'Transport',
        figureLabels: {
          'transport.chatBytesPerStoredMessage': 'chat bytes per stored message',
          'transport.chatHttpRequestsPerSentMessage': 'HTTP requests per message sent',
          'transport.connectHandshakeBytes': 'connect handshake bytes',
          'latency.p50Ms': 'p50 delivery',
          'latency.p99Ms': 'p99 delivery',
        },
      },
      goals: [],
    },
    {
      id: 'lifecycles',
      kind: 'experiment',
      title: 'Each protocol\u2019s connection, drawn from its run',
      run: PAIR_OVER_WEBSOCKET,
      controls: [TRANSPORT_FROM_WEBSOCKET],
      focus: { kind: 'sequence', messageFigure: 'firstShown', connect: true },
      seekTo: { figure: 'firstShown' },
      narration: text.LIFECYCLES,
      watch: text.LIFECYCLES_WATCH,
      explanation: text.LIFECYCLES_EXPLANATION,
      figures: {
        firstShown: { kind: 'eventAt', type: 'client/messageShown', match: { user: 'u2' }, unit: 'ms', label: 'the first message shown to u2' },
        handshakes: { kind: 'metric', metric: 'transport.connectHandshakes', unit: '', label: 'connect handshakes' },
        handshakeBytes: { kind: 'metric', metric: 'transport.connectHandshakeBytes', unit: 'bytes', label: 'handshake bytes' },
      },
      goals: [],
    },
    {
      id: 'lifecycle',
      kind: 'explore',
      title: 'Long polling\u2019s lifecycle',
      run: LONG_POLLING,
      focus: { kind: 'sequence', span: { channel: 'g1', spanMs: 3_000, hops: 'client' } },
      seekTo: { figure: 'tenthPoll' },
      narration: text.LIFECYCLE,
      watch: text.LIFECYCLE_WATCH,
      figures: {
        polls: { kind: 'eventCount', type: 'ws/pollAnswered', unit: '', label: 'polls answered' },
        tenthPoll: { kind: 'eventAt', type: 'ws/pollAnswered', nth: 9, unit: 'ms', label: 'the tenth answered poll' },
      },
      goals: [POLLS_ANSWERED],
    },
    {
      id: 'sse-up',
      kind: 'predict',
      title: 'One way down: how does SSE send up?',
      run: SSE,
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.SEND_NARRATION,
      question: text.SEND_QUESTION,
      prediction: {
        kind: 'choice',
        options: [
          { id: 'post', label: 'Each message is a separate HTTP request (a POST)', when: [{ figure: 'sseRequests', op: '>=', than: { value: 0.5 } }] },
          { id: 'stream', label: 'Over the same event stream', when: [{ figure: 'sseRequests', op: '<', than: { value: 0.5 } }] },
        ],
      },
      explanation: text.SEND_EXPLANATION,
      figures: {
        sseRequests: { kind: 'metric', metric: 'transport.chatHttpRequestsPerSentMessage', unit: '', label: 'requests per message over SSE' },
        wsRequests: { kind: 'metric', metric: 'transport.chatHttpRequestsPerSentMessage', unit: '', label: 'requests per message over a WebSocket', run: WEBSOCKET },
      },
      goals: [],
    },
  ],
};

/** This lab's controls. */
export const controls = CONTROLS;
