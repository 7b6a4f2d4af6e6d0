/**
 * Benchmarks (not tests): `npm run bench` prints a table, `npm run bench -- --json` prints one
 * JSON object. Figures and the exact commands are recorded in docs/BENCHMARKS.md.
 *
 * Kernel: the classic "hold" model. N events are pending; each popped event runs a trivial
 * handler (a checksum) and schedules one new event 1..100 ms later, so N stays constant. After a
 * warm-up of max(100k, N/4) events, 3M events are timed. Times are the kernel's integer µs
 * (ADR 0010): a delay is a uniform whole number of µs in [1 ms, 101 ms).
 *
 * Rate limiter: ns per check with 1M distinct keys for each algorithm (see ./limiter.ts).
 *
 * Workbench: ms per view question at 10 s and at 600 s of a ten-minute group chat (./workbench.ts).
 *
 * Sweep: 15 runs of a 30-second group chat on the CLI's worker-thread pool (./sweep.ts).
 */
import { Simulation } from '../src/sim/index.ts';
import { EventQueue, Prng, holdModel } from '../src/sim/kernel.ts';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { limiterBench } from './limiter.ts';
import type { MillionUsersFigures } from './million.ts';
import { SoaHeap } from './soaHeap.ts';
import type { SweepFigures } from './sweep.ts';
import { workbenchBench } from './workbench.ts';

const TIMED = 3_000_000;

function nowNs(): bigint {
  return process.hrtime.bigint();
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

/** µs in a ms: the queue's times are the kernel's integer µs. */
const US = 1000;

/** Events per second of the event queue in the hold model with `pending` events. */
function holdQueue(pending: number): number {
  const q = new EventQueue();
  const rng = new Prng(1);
  for (let i = 0; i < pending; i++) q.push(rng.intBetween(US, 100 * US), 1, i, 0, null);
  let checksum = 0;
  const cycle = (count: number): void => {
    for (let i = 0; i < count; i++) {
      q.pop();
      checksum = (checksum + q.poppedA) | 0;
      q.push(q.poppedTime + US + (rng.nextUint32() % (100 * US)), 1, q.poppedA, 0, null);
    }
  };
  cycle(Math.max(100_000, pending >>> 2));
  const t0 = nowNs();
  cycle(TIMED);
  const ns = Number(nowNs() - t0);
  if (checksum === 42) console.error('');
  return Math.round(TIMED / (ns / 1e9));
}

/** The same hold model on a plain struct-of-arrays binary heap, for comparison. */
function holdHeap(pending: number): number {
  const q = new SoaHeap();
  const rng = new Prng(1);
  for (let i = 0; i < pending; i++) q.push(rng.intBetween(US, 100 * US), i);
  let checksum = 0;
  const cycle = (count: number): void => {
    for (let i = 0; i < count; i++) {
      q.pop();
      checksum = (checksum + q.poppedA) | 0;
      q.push(q.poppedTime + US + (rng.nextUint32() % (100 * US)), q.poppedA);
    }
  };
  cycle(Math.max(100_000, pending >>> 2));
  const t0 = nowNs();
  cycle(TIMED);
  const ns = Number(nowNs() - t0);
  if (checksum === 42) console.error('');
  return Math.round(TIMED / (ns / 1e9));
}

/**
 * The hold model through the whole simulator: timers on a node, a real handler returning
 * effects, a trace event per fire (hashed, not stored). This is what a simulated cluster pays.
 */
function holdSimulation(pending: number): number {
  const sim = new Simulation({ seed: 1, nodes: [{ id: 'hold', behavior: holdModel, config: { timers: pending } }], trace: { maxEvents: 0 } });
  const timed = 1_000_000;
  sim.runUntil(50);
  const before = sim.trace.count;
  const t0 = nowNs();
  let until = sim.nowMs;
  while (sim.trace.count - before < timed) {
    until += 10;
    sim.runUntil(until);
  }
  const ns = Number(nowNs() - t0);
  // Each fire records one trace event, so trace events = events processed.
  return Math.round((sim.trace.count - before) / (ns / 1e9));
}

/** Bytes of heap and array buffers per pending event with 1M pending. */
function bytesPerPending(): number {
  const n = 1_000_000;
  gc();
  const before = process.memoryUsage();
  const q = new EventQueue();
  const rng = new Prng(1);
  for (let i = 0; i < n; i++) q.push(rng.intBetween(US, 100 * US), 1, i, 0, null);
  gc();
  const after = process.memoryUsage();
  const bytes = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  if (q.size !== n) throw new Error('queue lost events');
  return Math.round(bytes / n);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function main(): void {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const unknown = args.filter((a) => a !== '--json' && a !== '--quick' && a !== '--skip-million' && a !== '--skip-sweep');
  if (unknown.length > 0) {
    console.error(`bench: unknown argument ${unknown.join(' ')}; use --json, --quick, --skip-million and/or --skip-sweep`);
    process.exit(2);
  }
  const runs = args.includes('--quick') ? 1 : 3;
  const rep = (f: () => number): number => median(Array.from({ length: runs }, f));
  const kernel = {
    eventsPerSec1k: rep(() => holdQueue(1_000)),
    eventsPerSec100k: rep(() => holdQueue(100_000)),
    eventsPerSec1M: rep(() => holdQueue(1_000_000)),
    bytesPerPendingEvent: bytesPerPending(),
    simulationEventsPerSec1k: rep(() => holdSimulation(1_000)),
    simulationEventsPerSec100k: rep(() => holdSimulation(100_000)),
    soaHeapEventsPerSec1k: rep(() => holdHeap(1_000)),
    soaHeapEventsPerSec100k: rep(() => holdHeap(100_000)),
    soaHeapEventsPerSec1M: rep(() => holdHeap(1_000_000)),
  };
  const limiter = limiterBench({ quick: args.includes('--quick'), runs, gc });
  const workbench = workbenchBench({ repeats: args.includes('--quick') ? 10 : 30 });
  const millionUsers = args.includes('--skip-million') ? null : millionInChild();
  const sweep = args.includes('--skip-sweep') ? null : sweepInChild(runs);
  const result = {
    node: process.version,
    runs,
    kernel,
    limiter: limiter.nsPerCheck,
    limiterAllowFraction: limiter.allowFraction,
    workbench,
    ...(millionUsers === null ? {} : { millionUsers }),
    ...(sweep === null ? {} : { sweep }),
  };
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  const m = (x: number): string => `${(x / 1e6).toFixed(2)} M/s`;
  console.log(`Switchboard benchmarks (Node ${process.version}, median of ${runs})`);
  console.log('kernel hold model, event queue (wheel + far heap):');
  console.log(`  1k pending    ${m(kernel.eventsPerSec1k)}`);
  console.log(`  100k pending  ${m(kernel.eventsPerSec100k)}`);
  console.log(`  1M pending    ${m(kernel.eventsPerSec1M)}`);
  console.log(`  bytes per pending event (1M pending): ${kernel.bytesPerPendingEvent}`);
  console.log('same model, plain struct-of-arrays binary heap (the alternative):');
  console.log(`  1k ${m(kernel.soaHeapEventsPerSec1k)}  100k ${m(kernel.soaHeapEventsPerSec100k)}  1M ${m(kernel.soaHeapEventsPerSec1M)}`);
  console.log('same model through the whole simulator (node handler, effects, hashed trace):');
  console.log(`  1k ${m(kernel.simulationEventsPerSec1k)}  100k ${m(kernel.simulationEventsPerSec100k)}`);
  console.log('rate limiter, 1M keys, limit 10 per 1000 ms, offered load = limit (checkFast):');
  console.log(`  ${'algorithm'.padEnd(16)}${'ns/check'.padStart(9)}${'allowed'.padStart(9)}`);
  for (const [algorithm, ns] of Object.entries(limiter.nsPerCheck)) {
    const allowed = limiter.allowFraction[algorithm as keyof typeof limiter.allowFraction];
    console.log(`  ${algorithm.padEnd(16)}${ns.toFixed(1).padStart(9)}${allowed.toFixed(3).padStart(9)}`);
  }
  const ms = (x: number): string => `${x.toFixed(2)} ms`;
  console.log('workbench, one question of every view (ten-minute group chat, same run):');
  console.log(`  at 10 s  ${ms(workbench.viewMsAt10s).padStart(9)}  (${workbench.at10s.events.toLocaleString('en-US')} events)`);
  console.log(`  at 600 s ${ms(workbench.viewMsAt600s).padStart(9)}  (${workbench.at600s.events.toLocaleString('en-US')} events)`);
  for (const key of ['sequenceMs', 'tableMs', 'chatMs', 'graphMs', 'rateLimitMs', 'reportMs'] as const) {
    console.log(`    ${key.replace('Ms', '').padEnd(10)} ${ms(workbench.at10s[key]).padStart(9)} ${ms(workbench.at600s[key]).padStart(9)}`);
  }
  if (sweep !== null) {
    console.log(`sweep: ${sweep.runs} runs of a group chat, ${sweep.simulatedMsPerRun / 1000} simulated s each:`);
    console.log(`  sweep.groupChat15RunsMs ${sweep.groupChat15RunsMs} ms on ${sweep.workers} thread(s) and the caller (target ≤ 3000 ms)`);
    console.log(`  threads alone ${sweep.groupChat15RunsMsThreadsOnly} ms, two threads ${sweep.groupChat15RunsMsTwoWorkers} ms, serial ${sweep.serialMs} ms`);
  }
  if (millionUsers !== null) {
    const mu = millionUsers;
    console.log('million-users preset (60 simulated seconds, every checker watching):');
    console.log(`  wall ${(mu.wallMs / 1000).toFixed(1)} s (target ≤ 60 s), build ${(mu.buildMs / 1000).toFixed(1)} s`);
    console.log(`  heap peak ${(mu.heapBytesPeak / 2 ** 30).toFixed(2)} GiB (target < 2 GB), ${mu.heapBytesPerUser} bytes per connected user`);
    console.log(`  ${mu.events.toLocaleString('en-US')} trace events, ${mu.messagesSent} messages sent, ${mu.messagesDelivered} shown, ${mu.violations} violations`);
  }
}

/** Runs bench/sweep.ts in its own Node process, so its worker threads start as `sim sweep`'s do. */
function sweepInChild(reps: number): SweepFigures {
  const script = fileURLToPath(new URL('./sweep.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, '--json', '--reps', String(reps)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as SweepFigures;
}

/**
 * Runs bench/million.ts in its own Node process, so its heap is measured alone. The old space is
 * capped at 2 GB (the target: the run fails if it needs more) and the young generation is given
 * 128 MB semispaces, which halves the time spent promoting short-lived messages.
 */
function millionInChild(): MillionUsersFigures {
  const script = fileURLToPath(new URL('./million.ts', import.meta.url));
  const flags = ['--expose-gc', '--max-old-space-size=2048', '--max-semi-space-size=128'];
  const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', script, '--json'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as MillionUsersFigures;
}

main();
