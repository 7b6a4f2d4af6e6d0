/**
 * The million-users benchmark: the `million-users` preset (1,000,000 users over 20 servers, a
 * personal channel and a group of 10 each, one message every ten minutes, heartbeats every 25 s),
 * 60 simulated seconds with every checker and the metrics watching, in this process (then the
 * preset's short settle period, untimed, before the checkers' verdict).
 *
 * Run on its own (`node --expose-gc --import tsx bench/million.ts [--users N] --json`) or through
 * `npm run bench`, which starts it as a child process so that its heap is measured alone.
 */
import { parseScenario, presetById, reportOf, startScenario } from '../src/sim/index.ts';
import { deepMerge } from '../src/sim/kernel.ts';

/** What the benchmark reports (`millionUsers` in `npm run bench -- --json`). */
export interface MillionUsersFigures {
  users: number;
  simulatedMs: number;
  wallMs: number;
  buildMs: number;
  heapBytesPeak: number;
  /** Live heap after building the cluster (after GC), per connected user. */
  heapBytesPerUser: number;
  events: number;
  messagesSent: number;
  messagesDelivered: number;
  violations: number;
  /** The hash of the whole trace (settle period included): a speed change must leave it alone. */
  traceHash: string;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function runMillion(users: number): MillionUsersFigures {
  const parsed = parseScenario(deepMerge(presetById('million-users')?.scenario, { workload: { users, groups: { count: Math.floor(users / 10) } } }));
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const run = startScenario(parsed.scenario, 1);
  const buildMs = performance.now() - t0;
  gc();
  const heapBuilt = process.memoryUsage().heapUsed;
  let peak = heapBuilt;
  const t1 = performance.now();
  const end = parsed.scenario.durationMs;
  for (let t = 1000; t <= end; t += 1000) {
    run.sim.runUntil(t);
    const h = process.memoryUsage().heapUsed;
    if (h > peak) peak = h;
  }
  const wallMs = performance.now() - t1;
  // The settle period (untimed) lets the last messages arrive before the loss checker judges.
  run.sim.runUntil(end + parsed.scenario.settleMs);
  const report = reportOf(run, parsed.scenario.id, wallMs);
  return {
    users,
    simulatedMs: end,
    wallMs: Math.round(wallMs),
    buildMs: Math.round(buildMs),
    heapBytesPeak: peak,
    heapBytesPerUser: Math.round((heapBuilt - heapBefore) / users),
    events: run.sim.trace.count,
    messagesSent: report.counts.sent,
    messagesDelivered: report.counts.delivered,
    violations: report.violations.length,
    traceHash: run.sim.trace.hash(),
  };
}

if (process.argv[1]?.endsWith('million.ts')) {
  const i = process.argv.indexOf('--users');
  const users = i >= 0 ? Number(process.argv[i + 1]) : 1_000_000;
  if (!Number.isInteger(users) || users < 10) {
    console.error(`million: --users must be an integer ≥ 10, got ${process.argv[i + 1]}`);
    process.exit(2);
  }
  const figures = runMillion(users);
  console.log(process.argv.includes('--json') ? JSON.stringify(figures) : figures);
}
