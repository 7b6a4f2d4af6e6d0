/**
 * Lab: rate-limiting strategy and placement (critical decision 2). One abusive user floods a
 * group of eight; the same token bucket sits at the gateway, in each WebSocket server, in the chat
 * service or in a dedicated service, and the table reads from the four runs what got through,
 * who was refused, what the back end carried and what the check added to latency. Then the
 * algorithm's state request by request, the abuser's server failing under the per-server limiter,
 * the dedicated service failing open and closed, keying by address against keying by user, and a
 * slider over the limit.
 */
import type { FigureSpec, GoalMetric, LabManifest, LabRun } from '../framework/index.ts';
import { ALGORITHM, CONTROLS, FAIL_OPEN, KEY_BY, LIMIT, PLACEMENT } from './controls.ts';
import { ABUSER_MOVED, DECISIONS, FAILED_CLOSED, FLOOD_HELD, FLOOD_REFUSED, NO_BYSTANDER_REFUSED, NOTHING_LOST } from './goals.ts';
import * as text from './narration.ts';
import { ABUSER, AT_CHAT, AT_GATEWAY, AT_SERVER, AT_SERVICE, limiterFails, rollingRestart, sharedAddress } from './patches.ts';

const U1 = { user: ABUSER } as const;

/** u1's sends the cluster accepted (acked): the flood let through. */
const through = (run?: LabRun): FigureSpec => ({ kind: 'eventCount', type: 'client/sendAcked', match: U1, unit: '', label: 'u1\u2019s sends let through', ...(run === undefined ? {} : { run }) });
/** u1's sends refused as rate limited. */
const refused = (run?: LabRun): FigureSpec => ({ kind: 'eventCount', type: 'client/sendFailed', match: { ...U1, code: 'RATE_LIMITED' }, unit: '', label: 'u1\u2019s sends refused', ...(run === undefined ? {} : { run }) });
/** Everyone else's sends refused as rate limited: legitimate traffic turned away. */
const bystanders = (run?: LabRun): FigureSpec => ({ kind: 'eventCount', type: 'client/sendFailed', match: { code: 'RATE_LIMITED' }, exclude: U1, unit: '', label: 'normal users\u2019 sends refused', ...(run === undefined ? {} : { run }) });
const metric = (metricName: GoalMetric, unit: string, label: string, run?: LabRun): FigureSpec => ({ kind: 'metric', metric: metricName, unit, label, ...(run === undefined ? {} : { run }) });

const PLACEMENTS: readonly [string, LabRun][] = [
  ['gateway', AT_GATEWAY],
  ['server', AT_SERVER],
  ['chat', AT_CHAT],
  ['service', AT_SERVICE],
];

const ROWS: readonly { readonly id: string; readonly label: string; readonly figure: (run: LabRun) => FigureSpec }[] = [
  { id: 'through', label: 'u1\u2019s sends let through', figure: through },
  { id: 'refused', label: 'u1\u2019s sends refused', figure: refused },
  { id: 'bystanders', label: 'normal users\u2019 sends refused', figure: bystanders },
  { id: 'wsMessages', label: 'messages the WebSocket servers sent', figure: (run) => metric('messages.ws-server', '', 'messages the WebSocket servers sent', run) },
  { id: 'chatInputs', label: 'inputs the chat service processed', figure: (run) => metric('nodes.chat.processed', '', 'inputs the chat service processed', run) },
  { id: 'limiterMessages', label: 'messages the rate-limit service sent', figure: (run) => metric('messages.limiter', '', 'messages the rate-limit service sent', run) },
  { id: 'p50', label: 'p50 delivery', figure: (run) => metric('latencyMs.p50', 'ms', 'p50 delivery', run) },
  { id: 'p99', label: 'p99 delivery', figure: (run) => metric('latencyMs.p99', 'ms', 'p99 delivery', run) },
];

const tableFigures: Record<string, FigureSpec> = Object.fromEntries(ROWS.flatMap((r) => PLACEMENTS.map(([p, run]) => [`${r.id}-${p}`, r.figure(run)] as const)));

export const manifest: LabManifest = {
  id: 'rate-limit-placement',
  title: 'Decision: rate-limiting strategy and placement',
  summary: text.SUMMARY,
  group: 'decisions',
  seed: 42,
  pitfalls: [],
  steps: [
    {
      id: 'placements',
      kind: 'experiment',
      title: 'Four places for one limiter',
      run: AT_GATEWAY,
      controls: [PLACEMENT],
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.PLACEMENTS,
      explanation: text.PLACEMENTS_EXPLANATION,
      figures: {
        through: through(),
        refused: refused(),
        bystanders: bystanders(),
        wsMessages: metric('messages.ws-server', '', 'messages the WebSocket servers sent'),
        chatInputs: metric('nodes.chat.processed', '', 'inputs the chat service processed'),
        p50: metric('latencyMs.p50', 'ms', 'p50 delivery'),
        ...tableFigures,
      },
      table: {
        caption: 'The same flood, seed and limit, with the limiter in each place',
        columns: ['Gateway', 'Each WebSocket server', 'Chat service', 'Dedicated service'],
        rows: ROWS.map((r) => ({ label: r.label, figures: PLACEMENTS.map(([p]) => `${r.id}-${p}`) })),
      },
      goals: [FLOOD_REFUSED, NOTHING_LOST],
    },
    {
      id: 'state-flow',
      kind: 'experiment',
      title: 'The log, request by request',
      run: AT_GATEWAY,
      controls: [ALGORITHM],
      focus: { kind: 'ratelimit', source: 'run' },
      seekTo: { figure: 'firstRefusal' },
      narration: text.STATE_FLOW,
      explanation: text.STATE_FLOW_EXPLANATION,
      watch: text.STATE_FLOW_WATCH,
      marks: ['limiter/rejected'],
      figures: {
        allowed: { kind: 'eventCount', type: 'limiter/allowed', match: { key: `user:${ABUSER}` }, unit: '', label: 'u1\u2019s requests allowed' },
        rejected: { kind: 'eventCount', type: 'limiter/rejected', match: { key: `user:${ABUSER}` }, unit: '', label: 'u1\u2019s requests refused' },
        firstRefusal: { kind: 'eventAt', type: 'limiter/rejected', match: { key: `user:${ABUSER}` }, unit: 'ms', label: 'u1\u2019s first refusal' },
        firstRefusalS: { kind: 'eventAt', type: 'limiter/rejected', match: { key: `user:${ABUSER}` }, unit: 's', scale: 0.001, label: 'u1\u2019s first refusal' },
      },
      goals: [DECISIONS],
    },
    {
      id: 'server-fails',
      kind: 'predict',
      title: 'The abuser\u2019s server fails',
      run: rollingRestart('ws-server'),
      focus: { kind: 'ratelimit', source: 'run' },
      seekTo: { figure: 'moved' },
      narration: text.SERVER_FAILS,
      question: text.SERVER_FAILS_QUESTION,
      prediction: {
        kind: 'choice',
        options: [
          { id: 'more', label: 'More of the flood gets through than with one limiter at the gateway', when: [{ figure: 'through', op: '>', than: { figure: 'gatewayThrough' } }] },
          { id: 'same', label: 'The same: u1\u2019s budget follows it to the new server', when: [{ figure: 'through', op: '==', than: { figure: 'gatewayThrough' } }] },
          { id: 'less', label: 'Less: the reconnect costs u1 time', when: [{ figure: 'through', op: '<', than: { figure: 'gatewayThrough' } }] },
        ],
      },
      explanation: text.SERVER_FAILS_EXPLANATION,
      figures: {
        through: through(),
        gatewayThrough: through(rollingRestart('gateway')),
        chatThrough: through(rollingRestart('chat')),
        moved: { kind: 'eventAt', type: 'gw/connectionRouted', match: U1, nth: 1, unit: 'ms', label: 'u1 routed to another server' },
      },
      goals: [ABUSER_MOVED],
    },
    {
      id: 'limiter-fails',
      kind: 'predict',
      title: 'The dedicated limiter goes down',
      run: limiterFails(true),
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.LIMITER_FAILS,
      question: text.LIMITER_FAILS_QUESTION,
      prediction: {
        kind: 'choice',
        options: [
          { id: 'more', label: 'More of the flood gets through', when: [{ figure: 'through', op: '>', than: { figure: 'healthyThrough' } }] },
          { id: 'same', label: 'The same: the servers still refuse it', when: [{ figure: 'through', op: '<=', than: { figure: 'healthyThrough' } }] },
        ],
      },
      explanation: text.LIMITER_FAILS_EXPLANATION,
      figures: {
        through: through(),
        healthyThrough: through(AT_SERVICE),
        noVerdict: { kind: 'eventCount', type: 'ws/limiterUnavailable', unit: '', label: 'sends without a verdict' },
        p50: metric('latencyMs.p50', 'ms', 'p50 delivery'),
        healthyP50: metric('latencyMs.p50', 'ms', 'p50 delivery with the limiter up', AT_SERVICE),
      },
      goals: [FLOOD_REFUSED],
    },
    {
      id: 'open-or-closed',
      kind: 'experiment',
      title: 'Fail open or fail closed',
      run: limiterFails(true),
      controls: [FAIL_OPEN],
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.OPEN_OR_CLOSED,
      explanation: text.OPEN_OR_CLOSED_EXPLANATION,
      figures: {
        through: through(),
        noVerdict: { kind: 'eventCount', type: 'ws/limiterUnavailable', unit: '', label: 'sends without a verdict' },
        p99: metric('latencyMs.p99', 'ms', 'p99 delivery'),
        'through-open': through(limiterFails(true)),
        'through-closed': through(limiterFails(false)),
        'noVerdictOthers-open': { kind: 'eventCount', type: 'ws/limiterUnavailable', exclude: U1, unit: '', label: 'normal users\u2019 sends without a verdict', run: limiterFails(true) },
        'noVerdictOthers-closed': { kind: 'eventCount', type: 'ws/limiterUnavailable', exclude: U1, unit: '', label: 'normal users\u2019 sends without a verdict', run: limiterFails(false) },
        'p50-open': metric('latencyMs.p50', 'ms', 'p50 delivery', limiterFails(true)),
        'p50-closed': metric('latencyMs.p50', 'ms', 'p50 delivery', limiterFails(false)),
        'p99-open': metric('latencyMs.p99', 'ms', 'p99 delivery', limiterFails(true)),
        'p99-closed': metric('latencyMs.p99', 'ms', 'p99 delivery', limiterFails(false)),
      },
      table: {
        caption: 'The limiter down from 20 s to 40 s, same flood and seed',
        columns: ['Fail open', 'Fail closed'],
        rows: [
          { label: 'u1\u2019s sends let through', figures: ['through-open', 'through-closed'] },
          { label: 'normal users\u2019 sends without a verdict', figures: ['noVerdictOthers-open', 'noVerdictOthers-closed'] },
          { label: 'p50 delivery', figures: ['p50-open', 'p50-closed'] },
          { label: 'p99 delivery', figures: ['p99-open', 'p99-closed'] },
        ],
      },
      goals: [FAILED_CLOSED],
    },
    {
      id: 'key-by',
      kind: 'experiment',
      title: 'Per address or per user',
      run: sharedAddress('ip'),
      controls: [KEY_BY],
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.KEY_BY,
      explanation: text.KEY_BY_EXPLANATION,
      figures: {
        through: through(),
        bystanders: bystanders(),
        'bystanders-ip': bystanders(sharedAddress('ip')),
        'bystanders-user': bystanders(sharedAddress('user')),
        'through-ip': through(sharedAddress('ip')),
        'through-user': through(sharedAddress('user')),
      },
      table: {
        caption: 'u1..u4 behind one address, the limiter at the gateway',
        columns: ['Per address', 'Per user'],
        rows: [
          { label: 'u1\u2019s sends let through', figures: ['through-ip', 'through-user'] },
          { label: 'normal users\u2019 sends refused', figures: ['bystanders-ip', 'bystanders-user'] },
        ],
      },
      goals: [NO_BYSTANDER_REFUSED],
    },
    {
      id: 'limit-slider',
      kind: 'experiment',
      title: 'Too tight, too loose',
      run: AT_GATEWAY,
      controls: [LIMIT],
      focus: { kind: 'report' },
      seekTo: 'end',
      narration: text.LIMIT,
      explanation: text.LIMIT_EXPLANATION,
      figures: {
        through: through(),
        bystanders: bystanders(),
        chatInputs: metric('nodes.chat.processed', '', 'inputs the chat service processed'),
      },
      sweep: {
        title: 'The limit: refusals and what reaches the chat service',
        path: 'rateLimit.limiter.limit',
        values: [2, 5, 10, 20, 40, 80, 160],
        seeds: [1, 2, 3],
        figures: ['counts.rateLimited', 'cpu.chat.processed'],
        tableFigures: ['counts.rateLimited', 'counts.acked', 'cpu.chat.processed', 'messages.chat', 'latency.p99Ms'],
        label: 'Sends allowed per window',
        figureLabels: {
          'counts.rateLimited': 'sends refused',
          'counts.acked': 'sends acknowledged',
          'cpu.chat.processed': 'inputs the chat service processed',
          'messages.chat': 'messages the chat service sent',
          'latency.p99Ms': 'p99 delivery',
        },
      },
      goals: [NO_BYSTANDER_REFUSED, FLOOD_HELD],
    },
  ],
};

/** This lab's controls. */
export const controls = CONTROLS;
