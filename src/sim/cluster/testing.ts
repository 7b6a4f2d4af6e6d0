/**
 * Helpers for cluster tests and the fuzzer: run a preset, optionally patched, and read the
 * result. Plain functions over the public pieces; no test framework here.
 */
import { deepMerge } from '../scenario/patch.ts';
import { presetById } from '../scenario/presets.ts';
import { parseScenario, type Scenario, type ScenarioInput } from '../scenario/schema.ts';
import type { RunReport, TraceEvent } from '../contract/index.ts';
import { runScenario } from './run.ts';

export { deepMerge };

/** A preset's scenario, patched and validated; throws with the validation errors if invalid. */
export function presetScenario(id: string, patch?: unknown): Scenario {
  const preset = presetById(id);
  if (preset === undefined) throw new Error(`unknown preset "${id}"`);
  const parsed = parseScenario(deepMerge<ScenarioInput>(preset.scenario, patch));
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.scenario;
}

/** Runs a (patched) preset with a seed and returns the report and the stored events. */
export function runPreset(id: string, seed: number, patch?: unknown): { report: RunReport; events: readonly TraceEvent[] } {
  const { report, trace } = runScenario(presetScenario(id, patch), { seed });
  return { report, events: trace.events };
}

/** Counts violations by checker name. */
export function violationsByChecker(report: RunReport): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of report.violations) out[v.checker] = (out[v.checker] ?? 0) + 1;
  return out;
}

/**
 * Which server each user's session is on, followed event by event (feed every event in order):
 * set when a session becomes ready, cleared when that server closes the connection.
 */
export function sessionTracker(): { see(e: TraceEvent): void; serverOf(user: string): string | undefined; usersOn(server: string): Set<string> } {
  const where = new Map<string, string>();
  return {
    see(e) {
      if (e.type === 'ws/sessionReady') where.set(e.data.user, e.node);
      else if (e.type === 'ws/connectionClosed' && where.get(e.data.user) === e.node) where.delete(e.data.user);
    },
    serverOf: (user) => where.get(user),
    usersOn: (server) => new Set([...where].filter(([, s]) => s === server).map(([u]) => u)),
  };
}

/**
 * Send → shown latencies in ms, sorted, of the sends made at or after `fromMs` by users who were
 * not on `server` at `fromMs` and are not on it when they send, shown to users who were not on it
 * at `fromMs` either: the bystanders of a failure of `server` (ADR 0022). With `server` null,
 * every send from `fromMs` on and every show of it count.
 *
 * @example
 * bystanderLatencies(events, 'ws-6', 5_000).at(-1); // the slowest show among bystanders
 */
export function bystanderLatencies(events: readonly TraceEvent[], server: string | null, fromMs: number): number[] {
  const where = sessionTracker();
  let victims: Set<string> | null = null;
  const sentAt = new Map<string, number>();
  const out: number[] = [];
  for (const e of events) {
    if (victims === null && e.at >= fromMs) victims = server === null ? new Set() : where.usersOn(server);
    where.see(e);
    if (victims === null) continue;
    if (e.type === 'client/messageSent') {
      const k = `${e.data.user}\u0000${e.data.clientMsgId}`;
      if (!victims.has(e.data.user) && (server === null || where.serverOf(e.data.user) !== server) && !sentAt.has(k)) sentAt.set(k, e.at);
    } else if (e.type === 'client/messageShown' && !victims.has(e.node.startsWith('c-') ? e.node.slice(2) : e.node)) {
      const at = sentAt.get(`${e.data.author}\u0000${e.data.clientMsgId}`);
      if (at !== undefined) out.push(e.at - at);
    }
  }
  return out.sort((a, b) => a - b);
}

/** The q-quantile (0 ≤ q ≤ 1) of sorted numbers, nearest rank; 0 for none. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
}
