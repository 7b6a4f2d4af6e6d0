#!/usr/bin/env node
/**
 * Browser sweep benchmark (not a test): `sweep.groupChat15RunsMs` in headless Debian Chromium.
 * Builds bench/sweep-page (the page's sweep pool of Web Workers, nothing else) into a temporary
 * folder, serves it with vite preview, and times the same 15 runs as bench/sweep.ts from the plan
 * to the last result: on a fresh pool (cold: worker start-up and a cold JIT), and on the same pool
 * after a sweep of other seeds (warm, as on a page in use; the cache cannot answer); on a fresh pool
 * prewarmed with `warm()` (workers loaded and idle, as after a lab with a slider opened); and where
 * a fresh worker's time goes (module load, then each run, the first with a cold JIT). Then the
 * runs serially on the page's thread, whose trace hashes must equal the workers'.
 *
 *   node bench/sweepBrowser.mjs [--json] [--reps N] [--rate R]   (R: CPU throttle, default 1)
 *   node bench/sweepBrowser.mjs --lab pubsub-fanout [--reps N]     (a lab's slider sweep, cold pool)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { launchBrowser, root, startPreview } from '../e2e/lib.mjs';

function parseArgs(argv) {
  const options = { json: false, reps: 3, rate: 1, lab: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const number = () => {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value <= 0) throw new Error(`${arg} needs a positive number`);
      return value;
    };
    if (arg === '--json') options.json = true;
    else if (arg === '--reps') options.reps = Math.round(number());
    else if (arg === '--rate') options.rate = number();
    else if (arg === '--lab') options.lab = argv[++i] ?? '';
    else throw new Error(`unknown argument ${arg}; use --json, --reps N, --rate R, --lab ID`);
  }
  return options;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (line) => process.stderr.write(`bench:sweep-browser: ${line}\n`);

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-sweep-bench-'));
  let preview = null;
  let browser = null;
  try {
    log('building bench/sweep-page');
    await build({ root: path.join(root, 'bench', 'sweep-page'), configFile: false, logLevel: 'warn', worker: { format: 'es' }, build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4000 } });
    preview = await startPreview({ outDir });
    browser = await launchBrowser();
    const page = await (await browser.newContext()).newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    if (options.rate !== 1) await (await page.context().newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: options.rate });
    await page.goto(preview.url);
    await page.locator('#status', { hasText: 'ready' }).waitFor({ timeout: 60_000 });
    if (options.lab !== null) {
      const times = [];
      let last = null;
      for (let i = 0; i < options.reps; i++) {
        last = await page.evaluate((id) => window.labSweepBench(id), options.lab);
        times.push(last.ms);
      }
      if (errors.length > 0) throw new Error(errors.join('\n'));
      const figures = { lab: options.lab, runs: last.runs, workers: last.workers, cpuThrottle: options.rate, labSweepMs: Math.round(median(times)), samples: times.map(Math.round) };
      if (options.json) console.log(JSON.stringify(figures));
      else console.log(`lab ${options.lab}: its slider's ${figures.runs} runs on a fresh pool of ${figures.workers} Web Worker(s): ${figures.labSweepMs} ms (median of ${options.reps}: ${figures.samples.join(', ')} ms)`);
      return;
    }
    log(`timing ${options.reps} sweeps of 15 runs`);
    const r = await page.evaluate((reps) => window.sweepBench(reps), options.reps);
    if (errors.length > 0) throw new Error(errors.join('\n'));
    if (!r.sameTraceHashes) throw new Error('the workers and the page thread disagree on a trace hash');
    const figures = {
      hardwareConcurrency: r.hardwareConcurrency,
      workers: r.workers,
      cpuThrottle: options.rate,
      groupChat15RunsMs: Math.round(median(r.warmMs)),
      groupChat15RunsMsCold: Math.round(median(r.coldMs)),
      groupChat15RunsMsTwoWorkers: Math.round(median(r.twoWarmMs)),
      groupChat15RunsMsTwoWorkersCold: Math.round(median(r.twoColdMs)),
      serialMs: Math.round(r.serialMs),
      groupChat15RunsMsPrewarmed: Math.round(median(r.prewarm.map((p) => p.sweepMs))),
      prewarmLoadMs: Math.round(median(r.prewarm.map((p) => p.warmUpMs))),
      groupChat15RunsMsPrewarmedFirstRun: Math.round(median(r.prewarmRun.map((p) => p.sweepMs))),
      prewarmFirstRunMs: Math.round(median(r.prewarmRun.map((p) => p.warmUpMs))),
      workerLoadMs: Math.round(median(r.breakdowns.map((b) => b.loadMs))),
      firstRunMs: Math.round(median(r.breakdowns.map((b) => b.runsMs[0]))),
      firstRunAgainMs: Math.round(median(r.breakdowns.map((b) => b.firstAgainMs))),
      oneWorker15RunsMs: Math.round(median(r.breakdowns.map((b) => b.runsMs.reduce((a, x) => a + x, 0)))),
      samples: { warmMs: r.warmMs.map(Math.round), coldMs: r.coldMs.map(Math.round), twoWarmMs: r.twoWarmMs.map(Math.round), twoColdMs: r.twoColdMs.map(Math.round), prewarmedMs: r.prewarm.map((p) => Math.round(p.sweepMs)), prewarmedFirstRunMs: r.prewarmRun.map((p) => Math.round(p.sweepMs)), runsMs: r.breakdowns.map((b) => b.runsMs.map(Math.round)) },
    };
    if (options.json) console.log(JSON.stringify(figures));
    else {
      console.log(`sweep in Chromium: 15 runs of group-chat, 30 simulated s each (median of ${options.reps}, CPU throttle ${options.rate}×)`);
      console.log(`  ${figures.workers} Web Worker(s) (hardwareConcurrency ${figures.hardwareConcurrency} − 1): warm ${figures.groupChat15RunsMs} ms, cold ${figures.groupChat15RunsMsCold} ms  (target ≤ 3000 ms)`);
      console.log(`  2 Web Workers: warm ${figures.groupChat15RunsMsTwoWorkers} ms, cold ${figures.groupChat15RunsMsTwoWorkersCold} ms`);
      console.log(`  serial, the page's thread    ${figures.serialMs} ms`);
      console.log(`  prewarmed pool (warm() settled in ${figures.prewarmLoadMs} ms, then the sweep): ${figures.groupChat15RunsMsPrewarmed} ms`);
      console.log(`  prewarmed with a first run per worker (warm(jobs) settled in ${figures.prewarmFirstRunMs} ms, then the sweep): ${figures.groupChat15RunsMsPrewarmedFirstRun} ms`);
      console.log(`  a fresh worker: module loaded in ${figures.workerLoadMs} ms; first run ${figures.firstRunMs} ms, the same run again ${figures.firstRunAgainMs} ms; 15 runs one by one ${figures.oneWorker15RunsMs} ms`);
    }
  } finally {
    await browser?.close();
    preview?.stop();
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
