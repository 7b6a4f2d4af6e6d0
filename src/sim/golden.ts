/**
 * Pinned results of two runs, checked in Node (unit tests) and in Chromium (browser tests,
 * through the worker and on the main thread): the same numbers everywhere is what determinism
 * means. Each run's whole trace is kept beside this file (`golden/*.jsonl.gz`, the CLI's
 * `--trace` format), so a test that finds another hash names the first event that differs — its
 * seq, type, and both versions — rather than only "hash differs".
 *
 * If a deliberate change to the kernel, the cluster or a preset changes them, regenerate with
 * `npm run --silent golden -- --write` in the same commit and say why in its body.
 */
import { buildRun } from './cluster/catalog.ts';
import { eventLine } from './core/trace.ts';
import { Simulation } from './engine/simulation.ts';

/** A pinned run. */
export interface GoldenRun {
  readonly scenario: string;
  readonly seed: number;
  readonly untilMs: number;
  readonly eventCount: number;
  readonly traceHash: string;
  /** The fixture holding its trace, beside this file. */
  readonly file: string;
}

export const GOLDEN_KERNEL_DEMO: GoldenRun = {
  scenario: 'kernel-demo',
  seed: 42,
  untilMs: 2000,
  eventCount: 1983,
  traceHash: '926fa0e54195071c',
  file: 'golden/kernel-demo-42-2000.jsonl.gz',
};

/** A cluster run pinned the same way: group-chat, seed 42, the first 20 virtual seconds. */
export const GOLDEN_GROUP_CHAT: GoldenRun = {
  scenario: 'group-chat',
  seed: 42,
  untilMs: 20_000,
  eventCount: 5886,
  traceHash: 'c6ae81de0a8d692e',
  file: 'golden/group-chat-42-20000.jsonl.gz',
};

export const GOLDEN_RUNS: readonly GoldenRun[] = [GOLDEN_KERNEL_DEMO, GOLDEN_GROUP_CHAT];

/** Runs a pinned run again: its count, hash and trace as JSON lines. */
export function rerun(g: Pick<GoldenRun, 'scenario' | 'seed' | 'untilMs'>): { eventCount: number; traceHash: string; lines: string[] } {
  const { config } = buildRun(g.scenario, g.seed);
  const sim = new Simulation({ ...config, trace: { ...config.trace, maxEvents: 1_000_000 } });
  sim.runUntil(g.untilMs);
  return { eventCount: sim.trace.count, traceHash: sim.trace.hash(), lines: sim.trace.events.map(eventLine) };
}

/** Where two traces first differ. */
export interface Divergence {
  readonly seq: number;
  /** The event type on each side (null where a trace ended). */
  readonly expectedType: string | null;
  readonly actualType: string | null;
  readonly expected: string | null;
  readonly actual: string | null;
}

/**
 * The first event at which two traces (as JSON lines) differ, or null when they are the same.
 *
 * @example
 * firstDivergence(pinnedLines, rerun(GOLDEN_GROUP_CHAT).lines)?.seq; // 1234
 */
export function firstDivergence(expected: readonly string[], actual: readonly string[]): Divergence | null {
  const n = Math.max(expected.length, actual.length);
  const typeOf = (line: string | null): string | null => (line === null ? null : ((JSON.parse(line) as { type?: string }).type ?? null));
  for (let i = 0; i < n; i++) {
    const e = expected[i] ?? null;
    const a = actual[i] ?? null;
    if (e !== a) return { seq: i, expectedType: typeOf(e), actualType: typeOf(a), expected: e, actual: a };
  }
  return null;
}

/** A divergence as a few lines a person can act on. */
export function describeDivergence(g: GoldenRun, d: Divergence | null): string {
  if (d === null) return `${g.scenario} seed ${g.seed}: the traces are the same event by event, but the hash differs (a change to the hash itself?)`;
  return [
    `${g.scenario} seed ${g.seed} to ${g.untilMs} ms first differs at seq ${d.seq} (${d.expectedType ?? 'end of trace'} expected, ${d.actualType ?? 'end of trace'} found):`,
    `  expected: ${d.expected ?? '(the pinned trace ends here)'}`,
    `  actual:   ${d.actual ?? '(the run ends here)'}`,
  ].join('\n');
}
