/**
 * Issue 9, item 7: every value the schema accepts builds and runs; every value it cannot run is
 * refused with the field's path and the allowed range. Each named test below was a crash with a
 * stack trace on 622d528 (the values the schema took and the code then threw on); the property
 * test at the end fuzzes the schema for more of the same kind.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Simulation } from '../engine/simulation.ts';
import { kernelDemo } from '../demo/kernelDemo.ts';
import { reportOf, runScenario, startScenario } from '../cluster/run.ts';
import { buildCluster } from './build.ts';
import { estimateWork } from './budget.ts';
import { INJECTABLE_TYPES } from './inject.ts';
import { parseScenario, nodeIdsOf, type Scenario, type ScenarioInput } from './schema.ts';

/** A small group of four, a few seconds long: the base every repro below changes one field of. */
const BASE = { durationMs: 3_000, settleMs: 1_000, workload: { users: 4, channels: [{ id: 'g1', members: ['u1', 'u2', 'u3', 'u4'] }] } } satisfies ScenarioInput;

function errorsOf(input: unknown): string[] {
  const parsed = parseScenario(input);
  return parsed.ok ? [] : parsed.errors;
}

function parsed(input: unknown): Scenario {
  const p = parseScenario(input);
  if (!p.ok) throw new Error(p.errors.join('\n'));
  return p.scenario;
}

/** Numbers at the edges of a double (written as powers: the literals are not exact). */
const TINY = 10 ** -300;
const HUGE = 10 ** 300;

/** A deeply nested JSON value, as JSON.parse makes it from a file. */
const nested = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

describe('values the schema took and the code crashed on are refused, naming the field and the range', () => {
  // Each case: the scenario, the path the message must name, and the allowed range it must state.
  test.each<[string, unknown, string, RegExp]>([
    ['a Zipf exponent that is not a multiple of 0.5 (the Zipf table threw)', { ...BASE, workload: { users: 4, groups: { count: 2, size: { kind: 'zipf', max: 4, exponent: 0.7 } } } }, 'scenario.workload.groups.size.exponent', /0\.7 is not a multiple of 0\.5 \(allowed: 0\.5, 1, 1\.5, … 8\)/],
    ['a Zipf exponent above 8', { ...BASE, workload: { users: 4, groups: { count: 2, size: { kind: 'zipf', max: 4, exponent: 9 } } } }, 'scenario.workload.groups.size.exponent', /\(allowed: a number ≤ 8\)/],
    ['a sliding log of limit × keys above what the limiter allocates (the limiter threw)', { ...BASE, rateLimit: { enabled: true, limiter: { algorithm: 'sliding-log', limit: 1_000_000, windowMs: 1000 } } }, 'scenario.rateLimit.limiter.limit', /1028 × 1000000 is more than 134217728 .*\(allowed: limit ≤ 130561, or fewer keys\)/],
    ['a token bucket whose limit × windowMs passes 2^52 (the limiter threw)', { ...BASE, rateLimit: { enabled: true, limiter: { algorithm: 'token-bucket', limit: 1_000_000, windowMs: 31_622_400_000 } } }, 'scenario.rateLimit.limiter.limit', /2\^52 .*\(allowed with windowMs 31622400000: limit ≤ 142417\)/],
    ['a GCRA whose limit × windowMs passes 2^52 (the limiter threw)', { ...BASE, rateLimit: { enabled: true, limiter: { algorithm: 'gcra', limit: 1_000_000, windowMs: 31_622_400_000 } } }, 'scenario.rateLimit.limiter.limit', /2\^52/],
    ['a uniform jitter above 2^32 (nextInt threw)', { ...BASE, network: { client: { latencyMs: 1, fifo: true, jitter: { kind: 'uniform', minMs: 0, maxMs: 2 ** 33 } } } }, 'scenario.network.client.jitter.maxMs', /\(allowed: a number ≤ 4294967295\)/],
    ['an exponential service time of 1e300 ms', { ...BASE, chat: { cpu: { serviceTime: { kind: 'exponential', meanMs: HUGE }, queueCapacity: 10 } } }, 'scenario.chat.cpu.serviceTime.meanMs', /\(allowed: a number ≤ 4294967295\)/],
    ['a send rate of 1e-300 (the client set a timer 6.6e302 ms away and threw)', { ...BASE, workload: { ...BASE.workload, sendRatePerUserPerSec: TINY } }, 'scenario.workload.sendRatePerUserPerSec', /\(allowed: 0, or 0\.000001 to 1000 sends a second\)/],
    ['a send rate of 5e-324 (an infinite timer)', { ...BASE, workload: { ...BASE.workload, sendRatePerUserPerSec: Number.MIN_VALUE } }, 'scenario.workload.sendRatePerUserPerSec', /allowed: 0, or/],
    ['an inject of msg: null (a node read null.type)', { ...BASE, faults: [{ at: 100, op: { verb: 'inject', node: 'c-u1', msg: null } }] }, 'scenario.faults[0].op.msg', /null has the wrong type \(allowed: an object\)/],
    ['an inject of {"type":"deliver"} (a client read undefined.id)', { ...BASE, faults: [{ at: 1500, op: { verb: 'inject', node: 'c-u1', msg: { type: 'deliver' } } }] }, 'scenario.faults[0].op.msg.message', /is required \(allowed: an object\)/],
    ['an inject of a userSend without text', { ...BASE, faults: [{ at: 1500, op: { verb: 'inject', node: 'c-u1', msg: { type: 'userSend', channel: 'g1' } } }] }, 'scenario.faults[0].op.msg.text', /is required \(allowed: a string\)/],
    ['an inject of a send frame without its fields at the gateway', { ...BASE, faults: [{ at: 1500, op: { verb: 'inject', node: 'gw', from: 'c-u1', msg: { type: 'send' } } }] }, 'scenario.faults[0].op.msg.clientMsgId', /is required/],
    ['an inject of a back-end message (pub at the broker)', { ...BASE, faults: [{ at: 1500, op: { verb: 'inject', node: 'broker', msg: { type: 'pub' } } }] }, 'scenario.faults[0].op.msg.type', /"pub" is not allowed \(allowed: "login", "connect", "send", /],
    ['an inject nested 10,000 deep (the trace hash overflowed the stack)', { ...BASE, faults: [{ at: 1500, op: { verb: 'inject', node: 'db', msg: nested(10_000) } }] }, 'scenario.faults[0].op.msg', /a list has the wrong type \(allowed: an object\)/],
  ])('%s', (_name, input, path, allowed) => {
    const errors = errorsOf(input);
    const line = errors.find((e) => e.startsWith(`${path}: `));
    expect(line, errors.join('\n')).toBeDefined();
    expect(line).toMatch(allowed);
    expect(line).not.toContain('\n');
  });

  // Proves the bounds are where the code needs them, not stricter: the largest accepted values run.
  test('the largest accepted values of each bound build and run', () => {
    const edges: ScenarioInput[] = [
      { ...BASE, workload: { users: 4, groups: { count: 2, size: { kind: 'zipf', max: 4, exponent: 8 } } } },
      { ...BASE, workload: { users: 4, groups: { count: 2, size: { kind: 'zipf', max: 4, exponent: 0.5 } } } },
      { ...BASE, rateLimit: { enabled: true, limiter: { algorithm: 'token-bucket', limit: 142_417, windowMs: 31_622_400_000 } } },
      { ...BASE, network: { client: { latencyMs: 1, fifo: true, jitter: { kind: 'uniform', minMs: 0, maxMs: 2 ** 32 - 1 } } } },
      { ...BASE, workload: { ...BASE.workload, sendRatePerUserPerSec: 1e-6 } },
      { ...BASE, workload: { ...BASE.workload, sendRatePerUserPerSec: 1000 }, durationMs: 200, settleMs: 100 },
    ];
    for (const input of edges) expect(() => runScenario(parsed(input), { seed: 1 })).not.toThrow();
    // The largest sliding log is accepted (its 1 GiB of timestamps is allocated when it runs, so
    // it is only parsed here).
    expect(errorsOf({ ...BASE, rateLimit: { enabled: true, limiter: { algorithm: 'sliding-log', limit: 130_561, windowMs: 1000 } } })).toEqual([]);
  });
});

describe('an operator verb at run time is checked like the fault script', () => {
  // Proves a malformed inject through the live operator path (the workbench's operate, sendAs) is
  // refused with the field's path instead of crashing the node that would read it.
  test.each<[string, unknown, RegExp]>([
    ['msg: null', null, /^inject: msg: null has the wrong type/],
    ['{"type":"deliver"}', { type: 'deliver' }, /^inject: msg\.message: is required/],
    ['a userSend with a numeric text', { type: 'userSend', channel: 'g1', text: 5 }, /^inject: msg\.text: 5 has the wrong type \(allowed: a string\)/],
    ['a back-end message', { type: 'db/insert', reqId: 1 }, /^inject: msg\.type: "db\/insert" is not allowed/],
    ['JSON nested 10,000 deep', nested(10_000), /^inject: msg is nested more than 64 levels deep/],
  ])('operate refuses an inject of %s', (_name, msg, message) => {
    const run = startScenario(parsed(BASE), 1);
    run.sim.runUntil(1_500);
    expect(() => run.sim.operate({ verb: 'inject', node: 'c-u1', msg })).toThrow(message);
    expect(() => run.sim.applyOp({ verb: 'inject', node: 'gw', from: 'c-u1', msg })).toThrow(message);
    // The run goes on, untouched by the refused verb.
    expect(() => run.sim.runUntil(4_000)).not.toThrow();
  });

  // Proves the kernel alone (no cluster, any payload allowed) still bounds the depth, so the hash,
  // snapshots and the JSON-lines export never walk 10,000 levels.
  test('the kernel refuses an inject nested 10,000 deep even without a wire check', () => {
    const sim = new Simulation(kernelDemo({ seed: 1 }));
    const node = sim.nodeIds[0] as string;
    expect(() => sim.operate({ verb: 'inject', node, msg: nested(10_000) })).toThrow(/nested more than 64 levels/);
    expect(() => sim.operate({ verb: 'inject', node, msg: nested(64) })).not.toThrow();
    sim.runUntil(100);
    expect(sim.trace.hash()).toMatch(/^[0-9a-f]{16}$/);
  });
});

// ---- the property: whatever the schema accepts builds and runs --------------------------------

/** Numbers where code breaks: zero, tiny, huge, powers of two and their neighbours. */
const EDGE_NUMBERS = [0, 1, 2, 3, 0.5, 1.5, TINY, Number.MIN_VALUE, 1e-6, 0.001, 100, 1000, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 52, 2 ** 53 - 1, 1e9, 1e15, HUGE, -1];
const num = fc.oneof(fc.constantFrom(...EDGE_NUMBERS), fc.integer({ min: 0, max: 200 }), fc.double({ min: 0, max: 1, noNaN: true }));
const small = fc.oneof(fc.constantFrom(0, 1, 2, 2 ** 32 - 1, 2 ** 52, 1e-6), fc.integer({ min: 0, max: 50 }));
const dist = fc.oneof(
  fc.record({ kind: fc.constant('constant'), valueMs: num }),
  fc.record({ kind: fc.constant('uniform'), minMs: num, maxMs: num }),
  fc.record({ kind: fc.constant('exponential'), meanMs: num }),
  fc.record({ kind: fc.constant('normal'), meanMs: num, stdDevMs: num }),
);
const link = fc.record({ latencyMs: small, jitter: dist, lossRatio: fc.constantFrom(0, 0.1, 1), duplicateRatio: fc.constantFrom(0, 0.1, 1), fifo: fc.boolean(), bandwidthBytesPerMs: fc.constantFrom(0, TINY, 1, HUGE) }, { requiredKeys: ['latencyMs', 'fifo'] });
const cpu = fc.record({ serviceTime: dist, queueCapacity: small, dropPolicy: fc.constantFrom('drop-newest', 'drop-oldest') }, { requiredKeys: ['serviceTime', 'queueCapacity'] });
const limiter = fc.oneof(
  fc.record({ algorithm: fc.constantFrom('fixed-window', 'sliding-log', 'sliding-counter'), limit: num, windowMs: num }),
  fc.record({ algorithm: fc.constantFrom('token-bucket', 'leaky-bucket', 'gcra'), limit: num, windowMs: num, burst: num }, { requiredKeys: ['algorithm', 'limit', 'windowMs'] }),
  fc.record({ algorithm: fc.constant('leaky-queue'), limit: num, windowMs: num, queueMax: num }, { requiredKeys: ['algorithm', 'limit', 'windowMs'] }),
);
const userName = (n: number) => fc.integer({ min: 1, max: n }).map((i) => `u${i}`);
/** A message the inject verb may carry, well formed (the malformed ones are the named tests above). */
const injectMsg = fc.oneof(
  fc.record({ type: fc.constant('userSend'), channel: fc.constantFrom('g1', 'nope', 'p:u1'), text: fc.string({ maxLength: 20 }) }),
  fc.constant({ type: 'reload' }),
  fc.record({ type: fc.constant('connect'), user: userName(6), token: fc.constantFrom('tok:u1', 'x'), downlinkBytesPerMs: fc.constantFrom(0, 1) }),
  fc.record({ type: fc.constant('send'), clientMsgId: fc.constantFrom('m1', 'c-u1:1'), channel: fc.constantFrom('g1', 'zz'), text: fc.string({ maxLength: 10 }) }),
  fc.record({ type: fc.constantFrom('bye', 'poll', 'resync', 'httpOk') }),
  fc.record({ type: fc.constantFrom('ping', 'pong'), n: small.filter((n) => Number.isSafeInteger(n)) }),
  fc.record({ type: fc.constant('ack'), id: fc.constantFrom('m1', 'x') }),
  fc.record({ type: fc.constant('history'), channel: fc.constantFrom('g1', 'zz'), afterSeq: fc.constantFrom(0, 5, 2 ** 52) }),
  fc.record({ type: fc.constantFrom('presenceSub', 'presenceQuery'), users: fc.array(userName(8), { maxLength: 3 }) }),
  fc.record({ type: fc.constant('typing'), channel: fc.constantFrom('g1', 'zz') }),
  fc.record({ type: fc.constant('connected'), server: fc.constantFrom('ws-1', 'nope') }),
  fc.record({ type: fc.constant('rejected'), reason: fc.constantFrom('noLiveServer', 'connectionLimit', 'badToken', 'admission') }),
  fc.record({ type: fc.constant('closed'), reason: fc.constantFrom('wentOffline', 'serverCrashed', 'heartbeatTimeout', 'slowConsumer', 'rejected', 'gatewayDropped') }),
  fc.record({
    type: fc.constantFrom('deliver', 'push'),
    message: fc.record({ id: fc.constantFrom('m1', 'm9'), channel: fc.constantFrom('g1', 'zz'), seq: fc.constantFrom(null, 0, 1, 7), prevId: fc.constantFrom(null, 'm0'), author: userName(6), clientMsgId: fc.constantFrom('c1', 'c2'), text: fc.constant('forged') }),
  }),
  fc.record({ type: fc.constant('sendAck'), clientMsgId: fc.constantFrom('c-u1:1', 'x'), channel: fc.constant('g1'), id: fc.constant('m1'), seq: fc.constantFrom(null, 1) }),
  fc.record({ type: fc.constant('sendError'), clientMsgId: fc.constantFrom('c-u1:1', 'x'), channel: fc.constant('g1'), code: fc.constantFrom('FORBIDDEN', 'INVALID', 'RATE_LIMITED', 'UNAVAILABLE'), message: fc.constant('no') }),
  fc.record({ type: fc.constant('historyPage'), channel: fc.constant('g1'), afterSeq: fc.constant(0), messages: fc.constant([]) }),
  fc.record({ type: fc.constant('presence'), users: fc.constant([{ user: 'u2', online: true, lastSeenMs: 0 }]) }),
  fc.record({ type: fc.constant('typingNotice'), user: userName(6), channel: fc.constantFrom('g1', 'zz') }),
  fc.record({ type: fc.constant('pollResponse'), frames: fc.constant([{ type: 'resync' }, { type: 'pong', n: 1 }]) }),
);

/** A setting: a path in the scenario and the values to try there. */
type Setting = readonly [path: string, values: fc.Arbitrary<unknown>];

/** Every field the property varies, each with the values it tries there (edges included). */
const SETTINGS: readonly Setting[] = [
  ['durationMs', fc.oneof(fc.constantFrom(1, 500, 1e15), fc.integer({ min: 1, max: 3_000 }))],
  ['settleMs', fc.oneof(fc.constantFrom(0, 2 ** 52), fc.integer({ min: 0, max: 2_000 }))],
  ['topology.wsServers', fc.integer({ min: 1, max: 4 })],
  ['gateway.strategy', fc.constantFrom('round-robin', 'least-connections', 'sticky')],
  ...['connectionLimitPerServer', 'healthCheckIntervalMs', 'healthCheckTimeoutMs', 'admissionBurst'].map((f): Setting => [`gateway.${f}`, small]),
  ['gateway.admissionPerSec', num],
  ['wsServer.cpu', cpu],
  ['wsServer.state', fc.constantFrom('stateful', 'stateless')],
  ...['sendQueueLimitBytes', 'batchWindowMs', 'batchOffsetMaxMs'].map((f): Setting => [`wsServer.${f}`, small]),
  ['wsServer.blockingHandler', fc.record({ server: fc.constant('ws-1'), everyNth: small, durationMs: small })],
  ['broker.kind', fc.constantFrom('redis', 'kafka', 'none')],
  ['broker.routing', fc.constantFrom('interest', 'broadcast')],
  ['broker.cpu', cpu],
  ...['outputBufferLimitBytes', 'drainReportBytes', 'partitions', 'retentionMessages', 'fetchMaxRecords'].map((f): Setting => [`broker.${f}`, small]),
  ['chat.ordering', fc.constantFrom('global', 'per-channel', 'none')],
  ['chat.maxTextBytes', small],
  ['chat.cpu', cpu],
  ['database.cpu', cpu],
  ['database.historyPageMax', small],
  ['delivery', fc.constantFrom('at-most-once', 'at-least-once')],
  ['transport', fc.constantFrom('websocket', 'sse', 'long-polling', 'tcp')],
  ['dataCalls', fc.constantFrom('stream', 'http')],
  ['pollTimeoutMs', small],
  ['presence', fc.record({ enabled: fc.boolean(), strategy: fc.constantFrom('broadcast', 'subscribers', 'lazy'), ttlMs: small, sweepMs: small, viewSwitchMeanMs: small, typingProbability: fc.constantFrom(0, 0.5, 1) }, { requiredKeys: ['enabled'] })],
  ['notifications', fc.record({ enabled: fc.boolean(), quotaPerMinute: small, providerLatency: dist }, { requiredKeys: ['enabled'] })],
  ['largeGroups', fc.record({ mode: fc.constantFrom('push', 'pull', 'hybrid'), thresholdMembers: small, pollIntervalMs: small }, { requiredKeys: [] })],
  ['rateLimit', fc.record({ enabled: fc.boolean(), placement: fc.constantFrom('gateway', 'ws-server', 'chat', 'service'), keyBy: fc.constantFrom('user', 'ip'), usersPerIp: small, limiter, maxKeys: small, serviceTimeoutMs: small, failOpen: fc.boolean() }, { requiredKeys: ['enabled'] })],
  ['mapping.enabled', fc.boolean()],
  ...['reorderBuffer', 'gapDetection', 'dedup'].map((f): Setting => [`client.${f}`, fc.boolean()]),
  ...['reorderMaxWaitMs', 'ackTimeoutMs', 'maxSendAttempts', 'heartbeatIntervalMs', 'heartbeatTimeoutMs'].map((f): Setting => [`client.${f}`, small]),
  ['client.reconnect', fc.record({ strategy: fc.constantFrom('fixed', 'full-jitter'), baseMs: small, maxMs: small }, { requiredKeys: [] })],
  ['client.downlinkBytesPerMs', fc.constantFrom(0, TINY, 0.01, HUGE)],
  ['network.client', link],
  ['network.internal', link],
  ['network.serverToServer', link],
  ['workload.personalChannels', fc.boolean()],
  ['workload.clients', fc.constantFrom('nodes', 'fleets')],
  ['workload.usersPerFleet', small],
  ['workload.warmStart', fc.boolean()],
  ['workload.privateChats', fc.integer({ min: 0, max: 3 })],
  ['workload.groups', fc.record({ count: fc.integer({ min: 0, max: 3 }), size: fc.oneof(fc.record({ kind: fc.constant('fixed'), size: fc.integer({ min: 2, max: 4 }) }), fc.record({ kind: fc.constant('zipf'), max: small, exponent: fc.constantFrom(0.5, 0.7, 1, 2.5, 8, 9) })), membership: fc.constantFrom('random', 'partition') }, { requiredKeys: [] })],
  ['workload.sendRatePerUserPerSec', fc.oneof(num, fc.constantFrom(0.2, 1, 5))],
  ['workload.burstProbability', fc.constantFrom(0, 0.3, 1)],
  ['workload.burstSize', fc.integer({ min: 1, max: 5 })],
  ...['burstGapMs', 'meanOnlineMs', 'meanOfflineMs', 'connectSpreadMs'].map((f): Setting => [`workload.${f}`, small]),
  ['workload.offlineFraction', fc.constantFrom(0, 0.5, 1)],
  ['workload.script', fc.array(fc.record({ atMs: fc.integer({ min: 0, max: 400 }), user: fc.constantFrom('u1', 'u2'), channel: fc.constantFrom('g1', 'dm:u1:u2', 'zz'), text: fc.string({ maxLength: 10 }) }), { maxLength: 3 })],
  ['trace', fc.record({ maxEvents: fc.constantFrom(0, 10, 100_000), control: fc.constantFrom('traced', 'counted') }, { requiredKeys: [] })],
];

const fault = fc.record({
  at: fc.integer({ min: 0, max: 2_500 }),
  op: fc.oneof(
    fc.record({ verb: fc.constant('inject'), node: fc.constantFrom('gw', 'c-u1', 'ws-1', 'chat', 'db', 'broker'), from: fc.constantFrom('c-u1', 'c-u2', 'operator', 'ws-1', 'chat', 'db', 'gw'), msg: injectMsg }, { requiredKeys: ['verb', 'node', 'msg'] }),
    fc.record({ verb: fc.constantFrom('crash', 'restart'), node: fc.constantFrom('gw', 'ws-1', 'chat', 'db', 'broker', 'c-u1') }),
    fc.record({ verb: fc.constant('slow'), node: fc.constantFrom('ws-1', 'chat', 'db'), factor: fc.constantFrom(0.001, 1, 1000, HUGE) }),
    fc.record({ verb: fc.constant('delay'), from: fc.constantFrom('gw', 'chat'), to: fc.constantFrom('ws-1', 'db'), extraMs: small }),
    fc.record({ verb: fc.constant('clog'), from: fc.constantFrom('gw', 'chat'), to: fc.constantFrom('ws-1', 'db'), durationMs: small }),
    fc.record({ verb: fc.constantFrom('hold', 'release'), from: fc.constantFrom('gw', 'chat'), to: fc.constantFrom('ws-1', 'db'), twoWay: fc.boolean() }),
    fc.record({ verb: fc.constantFrom('drop', 'duplicate'), from: fc.constantFrom('gw', 'chat'), to: fc.constantFrom('ws-1', 'db'), ratio: fc.constantFrom(null, { num: 1, den: 2 }) }),
    fc.constant({ verb: 'partition', a: ['ws-1'], b: ['chat', 'gw'] }),
    fc.constant({ verb: 'heal' }),
  ),
});

/** Sets `value` at a dotted `path` of `target`, making the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = target;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    at = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : (at[k] = {});
  }
  at[keys[keys.length - 1] as string] = value;
}

/**
 * A small cluster (1–6 users in a group, a few seconds) with up to six settings changed and up to
 * four faults: few enough changes that most draws are accepted and run, each from the edges of
 * its range often enough to find what breaks there.
 */
const scenarioInput = fc
  .record({
    users: fc.integer({ min: 1, max: 6 }),
    durationMs: fc.integer({ min: 200, max: 3_000 }),
    settings: fc.array(fc.oneof(...SETTINGS.map(([path, values]) => values.map((v) => [path, v] as const))), { maxLength: 6 }),
    faults: fc.array(fault, { maxLength: 4 }),
  })
  .map(({ users, durationMs, settings, faults }) => {
    const input: Record<string, unknown> = {
      durationMs,
      settleMs: 1_000,
      workload: { users, sendRatePerUserPerSec: 1, ...(users >= 2 ? { channels: [{ id: 'g1', members: Array.from({ length: users }, (_, i) => `u${i + 1}`) }] } : {}) },
      faults,
    };
    for (const [path, value] of settings) setPath(input, path, value);
    return input;
  });

/** Runs at most this much work in the property (bounded sizes keep it fast); bigger ones are only parsed and estimated. */
const PROPERTY_EVENTS_MAX = 150_000;

describe('the schema, fuzzed', () => {
  // Proves the schema's promise over generated scenarios: any scenario it accepts builds and runs
  // its first seconds without throwing, and every refusal is one line naming a path under
  // `scenario`. The generator draws most switches and takes numbers from the edges of their ranges
  // (0, 1e-300, 2^32, 2^52, 1e300…) and well-formed injects at every kind of node.
  test('every accepted scenario builds and runs; every refusal names its field on one line', () => {
    let ran = 0;
    fc.assert(
      fc.property(scenarioInput, fc.integer({ min: 0, max: 0xffff_ffff }), (input, seed) => {
        const p = parseScenario(input);
        if (!p.ok) {
          for (const e of p.errors) expect(e).toMatch(/^scenario[.[:]/);
          for (const e of p.errors) expect(e).not.toContain('\n');
          return;
        }
        const untilMs = Math.min(p.scenario.durationMs + p.scenario.settleMs, 3_000);
        const estimate = estimateWork(p.scenario, untilMs);
        expect(Number.isFinite(estimate.events)).toBe(true);
        if (estimate.events > PROPERTY_EVENTS_MAX) return;
        const run = startScenario(p.scenario, seed);
        run.sim.runUntil(untilMs);
        reportOf(run, p.scenario.id, 0);
        ran++;
      }),
      { numRuns: 150, seed: 9, endOnFailure: true },
    );
    // The generator must reach the runs it is there for, not only refusals: 70 of the 150 draws
    // at seed 9 ran when this was written.
    expect(ran).toBeGreaterThan(40);
  });

  // Proves the injectable types all parse as the schema's inject payloads (the generator above uses them).
  test('every injectable type is a wire type the nodes know', () => {
    expect(INJECTABLE_TYPES).toContain('userSend');
    expect(INJECTABLE_TYPES).toContain('connect');
    expect(INJECTABLE_TYPES).not.toContain('pub');
    expect(nodeIdsOf(parsed(BASE)).has('c-u1')).toBe(true);
    expect(buildCluster(parsed(BASE), 1).config.checkInject?.({ type: 'reload' }, undefined, 'gw')).toBeNull();
  });
});
