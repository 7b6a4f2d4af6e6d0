/**
 * Seeded fault fuzzing: run a preset with extra faults drawn from the seed and see whether any
 * checker complains. The faults are the everyday ones a chat cluster must survive: a WebSocket
 * server crashes and comes back, a server loses the broker for a while, the chat service or the
 * database slows down. Each one starts inside the workload period and is undone before the settle
 * period begins, so a correct design has the whole settle period to recover and any violation
 * left at the end is a real finding, reproducible from (preset, seed) alone.
 *
 * This module is pure (no clock, no I/O, no Math.random): `scripts/fuzz.ts` drives it under a time
 * budget, and a test can call {@link fuzzOnce} directly.
 */
import type { Op } from '../contract/index.ts';
import { Prng } from '../core/prng.ts';
import { NODE } from '../nodes/protocol.ts';
import { presetById, type Preset } from '../scenario/presets.ts';
import { parseScenario, type Scenario } from '../scenario/schema.ts';
import type { RunReport } from '../contract/index.ts';
import { runScenario } from './run.ts';

/** The presets whose designs claim to be correct, so any violation under faults is a bug. */
export const FUZZ_PRESETS: readonly string[] = ['group-chat', 'reordering-with-sequence', 'crash-at-least-once', 'private-chat'];

/**
 * Checkers whose findings a preset's design does not claim to prevent: per-channel sequencing
 * keeps the channel's agreed order, not each sender's order (see the cluster tests), so a fuzzed
 * run of it is judged on everything else.
 */
export const NOT_CLAIMED: Readonly<Record<string, readonly string[]>> = { 'reordering-with-sequence': ['sender-order'] };

/** One scheduled fault, in the same shape as a scenario's `faults` entries. */
export interface FuzzFault {
  readonly at: number;
  readonly op: Op;
}

/** The outcome of one fuzzed run. */
export interface FuzzResult {
  readonly preset: string;
  readonly seed: number;
  /** The faults added to the preset's own fault script. */
  readonly faults: readonly FuzzFault[];
  /** The run's report, or null when the run threw. */
  readonly report: RunReport | null;
  /** The exception's message and stack when the run threw. */
  readonly error?: string;
  /** True when the run finished without violations of what the preset's design claims. */
  readonly ok: boolean;
}

/**
 * The extra faults for `preset` under `seed`: a crash and restart of a random WebSocket server,
 * a partition between a random server and the broker that heals, and a slowdown of the chat
 * service or the database that ends. Same arguments, same faults.
 *
 * @example
 * fuzzFaults('group-chat', 7);
 * // [{ at: 4210, op: { verb: 'crash', node: 'ws-2' } }, { at: 9876, op: { verb: 'restart', node: 'ws-2' } }, …]
 */
export function fuzzFaults(preset: Preset | string, seed: number): FuzzFault[] {
  const { id, scenario } = resolve(preset);
  return drawFaults(id, scenario, seed);
}

/**
 * Runs `preset` once with the seed's extra faults and reports whether any checker complained.
 * Exceptions from the run are caught and returned, since a crash is a finding too.
 */
export function fuzzOnce(preset: Preset | string, seed: number): FuzzResult {
  const { id, scenario } = resolve(preset);
  return runFuzzed(id, scenario, seed, drawFaults(id, scenario, seed));
}

/**
 * Runs `preset` with the seed and an explicit list of extra faults: how a failure the fuzzer
 * found is pinned as a regression, so that a later change to how faults are drawn (or to the
 * preset's randomness) cannot silently turn the test into another run. The preset's own fault
 * script still applies.
 *
 * @example
 * fuzzWith('group-chat', 244, [{ at: 4210, op: { verb: 'crash', node: 'ws-2' } }, …]).ok; // true
 */
export function fuzzWith(preset: Preset | string, seed: number, faults: readonly FuzzFault[]): FuzzResult {
  const { id, scenario } = resolve(preset);
  return runFuzzed(id, scenario, seed, faults);
}

/** The line that replays a fuzzed run exactly: a `fuzzWith` call with its faults written out. */
export function replayLine(r: Pick<FuzzResult, 'preset' | 'seed' | 'faults'>): string {
  return `fuzzWith(${JSON.stringify(r.preset)}, ${r.seed}, ${JSON.stringify(r.faults)})`;
}

function runFuzzed(id: string, scenario: Scenario, seed: number, faults: readonly FuzzFault[]): FuzzResult {
  // Stable sort: on a tie the preset's own fault stays first, as it was written.
  const combined = [...scenario.faults, ...faults].sort((a, b) => a.at - b.at);
  const fuzzed: Scenario = { ...scenario, faults: combined };
  try {
    const { report } = runScenario(fuzzed, { seed });
    const accepted = NOT_CLAIMED[id] ?? [];
    return { preset: id, seed, faults, report, ok: report.violations.every((v) => accepted.includes(v.checker)) };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { preset: id, seed, faults, report: null, error: message, ok: false };
  }
}

/** A fault as one short line: `t=4,210 ms crash ws-2`. */
export function formatFault(fault: FuzzFault): string {
  const op = fault.op;
  let what: string;
  switch (op.verb) {
    case 'crash':
    case 'restart':
      what = `${op.verb} ${op.node}`;
      break;
    case 'slow':
      what = op.factor === 1 ? `slow ${op.node} back to normal (×1)` : `slow ${op.node} ×${op.factor}`;
      break;
    case 'partition':
      what = `partition [${op.a.join(', ')}] | [${op.b.join(', ')}]`;
      break;
    case 'heal':
      what = op.a === undefined ? 'heal everything' : `heal [${op.a.join(', ')}] | [${(op.b ?? []).join(', ')}]`;
      break;
    default:
      what = JSON.stringify(op);
  }
  return `t=${fault.at} ms ${what}`;
}

function resolve(preset: Preset | string): { id: string; scenario: Scenario } {
  const found = typeof preset === 'string' ? presetById(preset) : preset;
  if (found === undefined) throw new RangeError(`unknown preset '${String(preset)}'`);
  const parsed = parseScenario(found.scenario);
  if (!parsed.ok) throw new Error(`preset ${found.id} is not a valid scenario:\n${parsed.errors.join('\n')}`);
  return { id: found.id, scenario: parsed.scenario };
}

/**
 * Draws the faults. Each fault gets its own fork of the seed's stream, so changing how one fault
 * is drawn never shifts the others.
 */
function drawFaults(presetId: string, scenario: Scenario, seed: number): FuzzFault[] {
  const root = new Prng(seed).fork(`fuzz/${presetId}`);
  const durationMs = scenario.durationMs;
  const servers = scenario.topology.wsServers;
  const faults: FuzzFault[] = [];

  // 1. A WebSocket server crashes and restarts (its clients must reconnect and catch up).
  {
    const rng = root.fork('crash');
    const node = NODE.ws(rng.intBetween(1, servers));
    const [from, to] = drawWindow(rng, durationMs);
    faults.push({ at: from, op: { verb: 'crash', node } }, { at: to, op: { verb: 'restart', node } });
  }

  // 2. A server loses the broker (or, with no broker, a peer server) and gets it back.
  {
    const rng = root.fork('partition');
    const server = NODE.ws(rng.intBetween(1, servers));
    const other = scenario.broker.kind === 'none' ? NODE.chat : NODE.broker;
    const [from, to] = drawWindow(rng, durationMs);
    faults.push({ at: from, op: { verb: 'partition', a: [server], b: [other] } }, { at: to, op: { verb: 'heal', a: [server], b: [other] } });
  }

  // 3. The chat service or the database runs 2–20× slower for a while (a GC pause, a noisy
  // neighbour, a compaction), then recovers.
  {
    const rng = root.fork('slow');
    const node = rng.chance(1, 2) ? NODE.chat : NODE.db;
    const factor = rng.intBetween(2, 20);
    const [from, to] = drawWindow(rng, durationMs);
    faults.push({ at: from, op: { verb: 'slow', node, factor } }, { at: to, op: { verb: 'slow', node, factor: 1 } });
  }

  return faults.sort((a, b) => a.at - b.at);
}

/**
 * A fault window `[from, to)` inside the workload period `[0, durationMs)`: it starts after the
 * first 5 % (so clients have begun connecting) and ends by 90 %, which leaves the last tenth of
 * the workload plus the whole settle period for recovery.
 */
function drawWindow(rng: Prng, durationMs: number): [number, number] {
  const earliest = Math.floor(durationMs / 20);
  const latestEnd = Math.max(earliest + 1, Math.floor((durationMs * 9) / 10));
  const latestStart = Math.max(earliest, Math.floor((durationMs * 6) / 10));
  const from = rng.intBetween(earliest, Math.min(latestStart, latestEnd - 1));
  const to = rng.intBetween(from + 1, latestEnd);
  return [from, to];
}
