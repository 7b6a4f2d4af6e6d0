/**
 * Swarm fuzzing, in the style of TigerBeetle's VOPR: each seed draws a design (broker kind,
 * ordering, delivery, transport, stateless servers, presence, limiter placement, large groups,
 * the client's protections, a steady or jittery back end) and a fault mix over every node kind
 * (crashes and slowdowns of the database, broker, chat service, gateway and servers; links that
 * drop, duplicate or delay; partitions; slowdowns long enough to reach the timeouts). Swarm
 * testing (Groce et al., 2012) switches whole fault kinds on or off per seed instead of mixing
 * every kind into every run, so a bug that one kind of fault masks still gets runs without it.
 *
 * The oracle is the design's own claims: each design promises some guarantees (at-least-once
 * promises nothing lost, client dedup promises nothing shown twice, a sequenced channel with a
 * reorder buffer promises one agreed order, and every design promises that nobody sees a channel
 * they are not in). A violation of a claimed guarantee is a finding; a violation of an unclaimed
 * one is the design's documented weakness, which the negative controls in `swarm.test.ts` check
 * the checkers do catch.
 *
 * A finding is shrunk to the fewest fault episodes that still break the same guarantee, and is
 * replayed exactly by {@link swarmWith} from its design patch, seed and fault script.
 *
 * Pure (no clock, no I/O, no Math.random); `scripts/fuzz.ts --swarm` drives it under a budget.
 */
import type { Op, RunReport } from '../contract/index.ts';
import { Prng } from '../core/prng.ts';
import { NODE } from '../nodes/protocol.ts';
import { presetById } from '../scenario/presets.ts';
import { deepMerge } from '../scenario/patch.ts';
import { parseScenario, type Scenario, type ScenarioInput } from '../scenario/schema.ts';
import type { FuzzFault } from './fuzz.ts';
import { runScenario } from './run.ts';

/** The design switches a swarm seed draws. */
export interface SwarmDesign {
  readonly broker: 'redis' | 'kafka' | 'none';
  readonly ordering: 'global' | 'per-channel' | 'none';
  readonly delivery: 'at-most-once' | 'at-least-once';
  readonly transport: 'websocket' | 'sse' | 'long-polling';
  readonly servers: 'stateful' | 'stateless';
  readonly presence: boolean;
  /** Where the rate limiter sits, or null for none. */
  readonly limiter: 'gateway' | 'ws-server' | 'chat' | 'service' | null;
  /** One large group read by pull or hybrid delivery, or only the preset's small groups. */
  readonly largeGroups: 'none' | 'pull' | 'hybrid';
  readonly reorderBuffer: boolean;
  readonly gapDetection: boolean;
  readonly dedup: boolean;
  /** Jittery: back-end links that are not FIFO and can overtake (the reordering presets' network). */
  readonly network: 'steady' | 'jittery';
  /**
   * A spare server in the pool (`topology.maxWsServers` 4), so the `scale` fault kind can add
   * and drain servers. Optional: designs written before it (pinned regressions) have none.
   */
  readonly spareServer?: boolean;
  /**
   * Switches added after the first designs (issue 9 item 12), drawn from a fork of their own so
   * that every earlier switch and fault of a seed stays as it was. Optional: pinned designs
   * written before them have none. `churn`: members leave and rejoin g1 mid-run, under that
   * history visibility (only with the small groups: a pulled channel keeps its poll list);
   * `tcp`: JSON over a raw TCP stream instead of the drawn transport; `dataCalls`: history and
   * presence queries over HTTP; `workers`: the servers' worker model (design 002).
   */
  readonly churn?: 'none' | 'all' | 'since-join';
  readonly tcp?: boolean;
  readonly dataCalls?: 'stream' | 'http';
  readonly workers?: 'single' | 'shared-queue' | 'queue-per-group' | 'process-per-client';
}

/** The guarantees that depend on the design, by the name of the checker that judges each. */
export type Guarantee = 'lost' | 'lost-sends' | 'duplicates' | 'ordering' | 'causal' | 'sender-order';

/** Every design-dependent guarantee. */
export const GUARANTEES: readonly Guarantee[] = ['lost', 'lost-sends', 'duplicates', 'ordering', 'causal', 'sender-order'];

/**
 * The design-dependent guarantees a design claims. No send vanishes without an ack or an error on
 * the sender's screen when the client waits for acks (at least once). Nothing is lost when
 * delivery is at least once and clients notice gaps, which needs sequence numbers to notice them
 * by (a push lost on a dropped link or a crashed server is fetched again); nothing is shown twice when clients
 * deduplicate; members agree on a channel's order when the chat service sequences it and clients
 * hold back what arrives early, fetch what is missing (at least once) instead of giving up on it
 * and showing a late arrival out of place, and drop what they have shown. Each sender's own order
 * is not claimed by any design: a retried send is sequenced after the sends that overtook it.
 *
 * Every other checker (membership, the network's causality, the rate limiter's promised bound,
 * and any checker added later) judges what every design promises: when it fires, that is a
 * finding, whatever the design.
 */
export function claims(d: SwarmDesign): Set<Guarantee> {
  const out = new Set<Guarantee>();
  const sequenced = d.ordering !== 'none';
  // Without dedup a re-delivered message is shown again and moves the client's place in the
  // chain back, so its gap detection misreads the channel: no design without it claims no loss.
  if (d.delivery === 'at-least-once' && d.gapDetection && sequenced && d.dedup) out.add('lost');
  // A send is acknowledged, or its failure shown, only when the client waits for an ack.
  if (d.delivery === 'at-least-once') out.add('lost-sends');
  if (d.dedup) out.add('duplicates');
  if (sequenced && d.delivery === 'at-least-once' && d.reorderBuffer && d.gapDetection && d.dedup) {
    out.add('ordering');
    // One order for everyone puts every reply after what it answers (ADR 0011's ordering table).
    out.add('causal');
  }
  return out;
}

/**
 * True when a checker's finding breaks what the design promises under these faults. One
 * exception to "every other checker is always claimed": a limiter keeps its log in memory, so a
 * crash of the node it runs on gives every key a fresh budget, and the bound is not promised
 * across that crash (a real limiter's weakness the rate-limit lab shows, not a bug).
 */
export function isClaimed(d: SwarmDesign, checker: string, faults: readonly FuzzFault[] = []): boolean {
  if ((GUARANTEES as readonly string[]).includes(checker)) return claims(d).has(checker as Guarantee);
  if (checker === 'rate-limit' && d.limiter !== null) {
    const host = LIMITER_HOST[d.limiter];
    if (faults.some((f) => f.op.verb === 'crash' && host(f.op.node))) return false;
  }
  return true;
}

/** The crashes that reset a limiter placement's log, for a user. */
const LIMITER_HOST: Readonly<Record<NonNullable<SwarmDesign['limiter']>, (node: string) => boolean>> = {
  gateway: (node) => node === NODE.gateway,
  // Each server keeps its own log: a user whose connection moves (a server or the gateway
  // crashed) starts with a fresh budget on the next server, the per-server placement's pitfall.
  'ws-server': (node) => node.startsWith('ws-') || node === NODE.gateway,
  chat: (node) => node === NODE.chat,
  service: (node) => node === NODE.limiter,
};

/** The fault kinds a swarm seed switches on or off. */
export const FAULT_KINDS = [
  'crash-ws',
  'crash-chat',
  'crash-db',
  'crash-broker',
  'crash-gateway',
  'slow-ws',
  'slow-chat',
  'slow-db',
  'slow-broker',
  'slow-gateway',
  'link-drop',
  'link-duplicate',
  'link-delay',
  'partition',
  'timeout-slow',
  'scale',
] as const;

/** One kind of fault. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** A fault and its undo: the unit the shrinker removes. */
export interface SwarmEpisode {
  readonly kind: FaultKind;
  readonly faults: readonly FuzzFault[];
}

/** One drawn swarm case: the design, its patch over the base preset, and the faults. */
export interface SwarmCase {
  readonly seed: number;
  readonly design: SwarmDesign;
  readonly kinds: readonly FaultKind[];
  readonly episodes: readonly SwarmEpisode[];
}

/** The outcome of one swarm run. */
export interface SwarmResult {
  readonly seed: number;
  readonly design: SwarmDesign;
  readonly faults: readonly FuzzFault[];
  readonly report: RunReport | null;
  readonly error?: string;
  /** The checkers that fired on what the design claims (empty when the run held every claim). */
  readonly broken: readonly string[];
  /** Every checker that fired, claimed or not, with its count. */
  readonly fired: Readonly<Partial<Record<string, number>>>;
  readonly ok: boolean;
}

/** The preset every swarm run starts from: eight users in a group and two private chats. */
export const SWARM_BASE = 'group-chat';

/** What a swarm may draw: switches pinned to a value, and the fault kinds allowed. */
export interface SwarmOptions {
  /** Design switches fixed for every seed (the rest are drawn). */
  readonly design?: Partial<SwarmDesign>;
  /** The fault kinds a seed may switch on (default: all of them). */
  readonly kinds?: readonly FaultKind[];
}

/** Draws the design and fault mix of `seed`. Same seed and options, same case. */
export function swarmCase(seed: number, options: SwarmOptions = {}): SwarmCase {
  const root = new Prng(seed).fork('swarm');
  // Every switch is drawn, pinned or not, so pinning one never shifts the others.
  const design = { ...drawDesign(root.fork('design')), ...drawLaterSwitches(root.fork('design/later')), ...options.design };
  const scenario = scenarioOf(designPatch(design));
  const kinds = drawKinds(root.fork('kinds'), design, options.kinds ?? FAULT_KINDS);
  const episodes: SwarmEpisode[] = [];
  for (const kind of kinds) episodes.push(...drawEpisodes(root.fork(`fault/${kind}`), kind, design, scenario));
  return { seed, design, kinds, episodes };
}

/** Runs the seed's case once and judges it by the design's claims. */
export function swarmOnce(seed: number, options: SwarmOptions = {}): SwarmResult {
  const c = swarmCase(seed, options);
  return swarmWith(c.design, seed, faultsOf(c.episodes));
}

/**
 * Runs a design with an explicit fault script: how a shrunk finding is pinned, so a later change
 * to how seeds draw designs or faults cannot turn the regression test into another run.
 */
export function swarmWith(design: SwarmDesign, seed: number, faults: readonly FuzzFault[]): SwarmResult {
  const base = scenarioOf(designPatch(design));
  const scenario: Scenario = { ...base, faults: [...base.faults, ...faults].sort((a, b) => a.at - b.at) };
  try {
    const { report } = runScenario(scenario, { seed });
    const fired: Partial<Record<string, number>> = {};
    for (const v of report.violations) fired[v.checker] = (fired[v.checker] ?? 0) + 1;
    const broken = Object.keys(fired)
      .filter((checker) => isClaimed(design, checker, faults))
      .sort();
    return { seed, design, faults, report, broken, fired, ok: broken.length === 0 };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { seed, design, faults, report: null, error: message, broken: [], fired: {}, ok: false };
  }
}

/**
 * Shrinks a failing case to the fewest fault episodes that still fail: removes one episode at a
 * time, keeping each removal that still fails, until no single removal does (a 1-minimal script).
 * "Fails" is, by default, breaking the same claim as the whole case did first (or crashing, when
 * the run threw); `fails` replaces it. Runs at most `maxRuns` runs.
 */
export function shrink(
  c: SwarmCase,
  options: { readonly fails?: (r: SwarmResult) => boolean; readonly maxRuns?: number } = {},
): { result: SwarmResult; episodes: readonly SwarmEpisode[]; runs: number } {
  const maxRuns = options.maxRuns ?? 200;
  let episodes = [...c.episodes];
  let result = swarmWith(c.design, c.seed, faultsOf(episodes));
  let fails = options.fails;
  if (fails === undefined) {
    if (result.ok) return { result, episodes, runs: 1 };
    const target = result.error !== undefined ? null : result.broken[0];
    fails = (r) => (target === null ? r.error !== undefined : r.broken.includes(target as string));
  } else if (!fails(result)) return { result, episodes, runs: 1 };
  let runs = 1;
  let progress = true;
  while (progress && runs < maxRuns) {
    progress = false;
    for (let i = episodes.length - 1; i >= 0 && runs < maxRuns; i--) {
      const fewer = episodes.filter((_, j) => j !== i);
      const r = swarmWith(c.design, c.seed, faultsOf(fewer));
      runs++;
      if (fails(r)) {
        episodes = fewer;
        result = r;
        progress = true;
      }
    }
  }
  return { result, episodes, runs };
}

/** The faults of some episodes, in time order (stable on ties). */
export function faultsOf(episodes: readonly SwarmEpisode[]): FuzzFault[] {
  return episodes.flatMap((e) => e.faults).sort((a, b) => a.at - b.at);
}

/** The line that replays a swarm run exactly: a `swarmWith` call with design and faults written out. */
export function swarmReplayLine(r: Pick<SwarmResult, 'design' | 'seed' | 'faults'>): string {
  return `swarmWith(${JSON.stringify(r.design)}, ${r.seed}, ${JSON.stringify(r.faults)})`;
}

/** A design in one line: `kafka, per-channel, at-least-once, sse, stateless, …`. */
export function describeDesign(d: SwarmDesign): string {
  const parts: string[] = [
    `broker ${d.broker}`,
    `ordering ${d.ordering}`,
    d.delivery,
    d.tcp === true ? 'raw TCP' : d.transport,
    d.servers,
    d.network === 'jittery' ? 'jittery back end' : 'steady back end',
  ];
  if (d.presence) parts.push('presence');
  if (d.limiter !== null) parts.push(`limiter at ${d.limiter}`);
  if (d.spareServer === true) parts.push('a spare server');
  if (d.dataCalls === 'http') parts.push('data calls over HTTP');
  if (d.workers !== undefined && d.workers !== 'single') parts.push(`workers: ${d.workers}`);
  if (d.churn !== undefined && d.churn !== 'none') parts.push(`members leave and rejoin (${d.churn} history)`);
  if (d.largeGroups !== 'none') parts.push(`large group by ${d.largeGroups}`);
  const off = [!d.reorderBuffer && 'reorder buffer', !d.gapDetection && 'gap detection', !d.dedup && 'dedup'].filter((x): x is string => x !== false);
  if (off.length > 0) parts.push(`no ${off.join(', no ')}`);
  return parts.join(', ');
}

/** The design as a merge patch over {@link SWARM_BASE}. */
export function designPatch(d: SwarmDesign): ScenarioInput {
  const patch: Record<string, unknown> = {
    id: 'swarm',
    broker: { kind: d.broker },
    chat: { ordering: d.ordering },
    delivery: d.delivery,
    transport: d.transport,
    wsServer: { state: d.servers },
    presence: { enabled: d.presence },
    client: { reorderBuffer: d.reorderBuffer, gapDetection: d.gapDetection, dedup: d.dedup },
  };
  if (d.limiter !== null) {
    // Generous enough that the workload (0.3 sends a second) is rarely refused: the limiter is on
    // the path, its refusals are shown to the sender, and a crash of its node is a real fault.
    patch.rateLimit = { enabled: true, placement: d.limiter, limiter: { algorithm: 'sliding-log', limit: 20, windowMs: 10_000 } };
  }
  if (d.largeGroups !== 'none') {
    patch.workload = { users: 24, groups: { count: 2, size: { kind: 'fixed', size: 20 } } };
    patch.largeGroups = { mode: d.largeGroups, thresholdMembers: 12 };
  }
  if (d.spareServer === true) patch.topology = { maxWsServers: 4 };
  if (d.tcp === true) patch.transport = 'tcp';
  if (d.dataCalls === 'http') patch.dataCalls = 'http';
  if (d.workers !== undefined && d.workers !== 'single') {
    patch.wsServer = { state: d.servers, workers: d.workers === 'queue-per-group' ? { model: d.workers, workers: 4, queues: 2 } : { model: d.workers } };
  }
  if (d.churn !== undefined && d.churn !== 'none' && d.largeGroups === 'none') {
    // g1 holds every user of the base preset: u3 leaves and comes back, u6 leaves for good.
    patch.chat = { ordering: d.ordering, historyVisibility: d.churn };
    patch.workload = {
      membershipChanges: [
        { atMs: 12_000, user: 'u3', channel: 'g1', action: 'leave' },
        { atMs: 25_000, user: 'u6', channel: 'g1', action: 'leave' },
        { atMs: 33_000, user: 'u3', channel: 'g1', action: 'join' },
      ],
    };
  }
  if (d.network === 'jittery') patch.network = { internal: { latencyMs: 2, jitter: { kind: 'exponential', meanMs: 40 }, fifo: false } };
  return patch as ScenarioInput;
}

function scenarioOf(patch: ScenarioInput): Scenario {
  const preset = presetById(SWARM_BASE);
  if (preset === undefined) throw new Error(`the swarm's base preset ${SWARM_BASE} is missing`);
  const parsed = parseScenario(deepMerge(preset.scenario, patch));
  if (!parsed.ok) throw new Error(`a swarm design is not a valid scenario:\n${parsed.errors.join('\n')}`);
  return parsed.scenario;
}

function pick<T>(rng: Prng, options: readonly T[]): T {
  return options[rng.intBetween(0, options.length - 1)] as T;
}

/**
 * The design: each switch uniformly, except the client's protections, which are each on three
 * times in four so that most runs claim most guarantees and the oracle has something to judge.
 */
function drawDesign(rng: Prng): SwarmDesign {
  return {
    broker: pick(rng, ['redis', 'kafka', 'none'] as const),
    ordering: pick(rng, ['global', 'per-channel', 'none'] as const),
    delivery: pick(rng, ['at-most-once', 'at-least-once'] as const),
    transport: pick(rng, ['websocket', 'sse', 'long-polling'] as const),
    servers: pick(rng, ['stateful', 'stateless'] as const),
    presence: rng.chance(1, 2),
    limiter: pick(rng, [null, null, 'gateway', 'ws-server', 'chat', 'service'] as const),
    largeGroups: pick(rng, ['none', 'none', 'pull', 'hybrid'] as const),
    reorderBuffer: rng.chance(3, 4),
    gapDetection: rng.chance(3, 4),
    dedup: rng.chance(3, 4),
    network: pick(rng, ['steady', 'jittery'] as const),
    spareServer: rng.chance(1, 2),
  };
}

/** The switches added later (see SwarmDesign), each off or at its default half the time or more. */
function drawLaterSwitches(rng: Prng): Pick<SwarmDesign, 'churn' | 'tcp' | 'dataCalls' | 'workers'> {
  return {
    churn: pick(rng, ['none', 'all', 'since-join'] as const),
    tcp: rng.chance(1, 4),
    dataCalls: pick(rng, ['stream', 'http'] as const),
    workers: pick(rng, ['single', 'single', 'shared-queue', 'queue-per-group', 'process-per-client'] as const),
  };
}

/** The kinds that make sense for the design (no broker to crash without one), each on half the time. */
function drawKinds(rng: Prng, d: SwarmDesign, allowed: readonly FaultKind[]): FaultKind[] {
  // One coin per kind in a fixed order, allowed or not, so restricting the kinds never shifts
  // the coins of the others.
  const coins = FAULT_KINDS.map(() => rng.chance(1, 2));
  const possible = FAULT_KINDS.filter(
    (k) => allowed.includes(k) && (d.broker !== 'none' || (k !== 'crash-broker' && k !== 'slow-broker')) && (k !== 'scale' || d.spareServer === true),
  );
  if (possible.length === 0) return [];
  const on = possible.filter((k) => coins[FAULT_KINDS.indexOf(k)] === true);
  return on.length > 0 ? on : [pick(rng, possible)];
}

/** The back-end node a link or partition fault hits, with the other end. */
function linkEnds(rng: Prng, d: SwarmDesign, servers: number): [string, string] {
  const ws = NODE.ws(rng.intBetween(1, servers));
  const pairs: [string, string][] = [
    [ws, NODE.chat],
    [NODE.chat, NODE.db],
    [NODE.gateway, ws],
  ];
  if (d.broker !== 'none') pairs.push([NODE.broker, ws], [NODE.chat, NODE.broker]);
  return pick(rng, pairs);
}

/** One or two episodes of a kind, each inside the workload period and undone before it ends. */
function drawEpisodes(rng: Prng, kind: FaultKind, d: SwarmDesign, s: Scenario): SwarmEpisode[] {
  const servers = s.topology.wsServers;
  const count = rng.intBetween(1, 2);
  const out: SwarmEpisode[] = [];
  for (let i = 0; i < count; i++) {
    const [from, to] = faultWindow(rng, s.durationMs);
    const pair = (start: Op, end: Op): SwarmEpisode => ({ kind, faults: [{ at: from, op: start }, { at: to, op: end }] });
    const nodeOf = (k: string): string => (k === 'ws' ? NODE.ws(rng.intBetween(1, servers)) : k === 'gateway' ? NODE.gateway : k);
    if (kind.startsWith('crash-')) {
      const node = nodeOf(kind.slice('crash-'.length));
      out.push(pair({ verb: 'crash', node }, { verb: 'restart', node }));
    } else if (kind.startsWith('slow-')) {
      const node = nodeOf(kind.slice('slow-'.length));
      out.push(pair({ verb: 'slow', node, factor: rng.intBetween(2, 30) }, { verb: 'slow', node, factor: 1 }));
    } else if (kind === 'scale') {
      // Scaling out and back in: the spare joins and is drained again, or a server is drained
      // (its users reconnect elsewhere) and a server is added back.
      if (rng.chance(1, 2)) out.push(pair({ verb: 'addServer', node: NODE.ws(servers + 1) }, { verb: 'removeServer', node: NODE.ws(servers + 1) }));
      else {
        const node = NODE.ws(rng.intBetween(1, servers));
        out.push(pair({ verb: 'removeServer', node }, { verb: 'addServer' }));
      }
    } else if (kind === 'timeout-slow') {
      // Slow enough that a request outlives the callers' timeouts (the chat service's wait for
      // the database, the client's ack timeout): the case where a retry races the late original.
      const node = pick(rng, [NODE.db, NODE.chat]);
      out.push(pair({ verb: 'slow', node, factor: rng.intBetween(500, 3000) }, { verb: 'slow', node, factor: 1 }));
    } else if (kind === 'partition') {
      const [a, b] = linkEnds(rng, d, servers);
      out.push(pair({ verb: 'partition', a: [a], b: [b] }, { verb: 'heal', a: [a], b: [b] }));
    } else {
      const [a, b] = linkEnds(rng, d, servers);
      const ratio = { num: rng.intBetween(1, 30), den: 100 };
      if (kind === 'link-drop') out.push(pair({ verb: 'drop', from: a, to: b, ratio, twoWay: true }, { verb: 'drop', from: a, to: b, ratio: null, twoWay: true }));
      else if (kind === 'link-duplicate')
        out.push(pair({ verb: 'duplicate', from: a, to: b, ratio, twoWay: true }, { verb: 'duplicate', from: a, to: b, ratio: null, twoWay: true }));
      else out.push(pair({ verb: 'delay', from: a, to: b, extraMs: rng.intBetween(10, 400), twoWay: true }, { verb: 'delay', from: a, to: b, extraMs: 0, twoWay: true }));
    }
  }
  return out;
}

/** A window `[from, to)` that starts after the first 5 % of the workload and ends by 80 %. */
function faultWindow(rng: Prng, durationMs: number): [number, number] {
  const earliest = Math.floor(durationMs / 20);
  const latestEnd = Math.floor((durationMs * 4) / 5);
  const from = rng.intBetween(earliest, Math.floor((durationMs * 3) / 5));
  const to = rng.intBetween(from + 1, Math.max(from + 1, Math.min(latestEnd, from + Math.floor(durationMs / 4))));
  return [from, to];
}
