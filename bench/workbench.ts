/**
 * What a view question costs on a long run against a short one: the workbench's promise is that
 * a question costs what it reads, not the length of the run. A group chat whose workload lasts
 * ten minutes is opened in the workbench; at 10 s and again at 600 s of virtual time each view
 * the page asks while playing is timed: the sequence diagram following the latest message, the
 * event table's newest 200 rows, a user's screen, the pub/sub graph with the last frame's flows,
 * the rate-limit view and the report (as if the run ended there). Before timing at a moment, one
 * question of each kind catches the views up with the events recorded since the last one (work
 * proportional to those events, done once per frame while playing, not per question).
 */
import { createWorkbench, type Workbench } from '../src/workbench/index.ts';

/** Milliseconds per question of each view, and their sum. */
export interface ViewCosts {
  readonly sequenceMs: number;
  readonly tableMs: number;
  readonly chatMs: number;
  readonly graphMs: number;
  readonly rateLimitMs: number;
  readonly reportMs: number;
  /** One question of every view above, in ms. */
  readonly totalMs: number;
  /** Trace events recorded by then. */
  readonly events: number;
}

/** The figures recorded in docs/BENCHMARKS.md. */
export interface WorkbenchFigures {
  readonly viewMsAt10s: number;
  readonly viewMsAt600s: number;
  readonly at10s: ViewCosts;
  readonly at600s: ViewCosts;
}

const questions: readonly [keyof Omit<ViewCosts, 'totalMs' | 'events'>, (wb: Workbench) => unknown][] = [
  ['sequenceMs', (wb) => wb.sequence({ mode: 'follow' })],
  ['tableMs', (wb) => wb.table({ hideTimers: true, limit: 200 })],
  ['chatMs', (wb) => wb.chat('u1')],
  ['graphMs', (wb) => wb.current({ graph: true, flows: true })],
  ['rateLimitMs', (wb) => wb.rateLimit()],
  ['reportMs', (wb) => wb.report()],
];

function costsAt(wb: Workbench, repeats: number): ViewCosts {
  // The first question catches the views up; the next few let the JIT settle before timing.
  for (let i = 0; i < 10; i++) for (const [, ask] of questions) ask(wb);
  const out: Record<string, number> = {};
  let total = 0;
  for (const [name, ask] of questions) {
    const t0 = performance.now();
    for (let i = 0; i < repeats; i++) ask(wb);
    const ms = (performance.now() - t0) / repeats;
    out[name] = Math.round(ms * 1000) / 1000;
    total += ms;
  }
  return { ...(out as Omit<ViewCosts, 'totalMs' | 'events'>), totalMs: Math.round(total * 1000) / 1000, events: wb.current().summary.eventCount };
}

/**
 * Times the views at 10 s and at 600 s of a ten-minute group chat.
 *
 * @example
 * workbenchBench({ repeats: 20 }).viewMsAt600s; // about the same as viewMsAt10s
 */
export function workbenchBench(options: { readonly repeats?: number } = {}): WorkbenchFigures {
  const repeats = options.repeats ?? 20;
  const wb = createWorkbench();
  wb.open('group-chat', 42, {}, { durationMs: 600_000 });
  wb.advance(10_000 - 1);
  const at10s = costsAt(wb, repeats);
  // Forward in one-second frames, as playback would, so no single call meets the step budget.
  while (wb.current().summary.nowMs < 600_000) wb.advance(1_000);
  const at600s = costsAt(wb, repeats);
  return { viewMsAt10s: at10s.totalMs, viewMsAt600s: at600s.totalMs, at10s, at600s };
}
