/**
 * The golden runs: check them, or write them again after a deliberate change.
 *
 *   npm run --silent golden            # compares each run with its pinned trace
 *   npm run --silent golden -- --write # rewrites src/sim/golden/*.jsonl.gz (commit them, say why)
 *
 * Writing prints the new counts and hashes to paste into src/sim/golden.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GOLDEN_RUNS, describeDivergence, firstDivergence, rerun } from '../src/sim/kernel.ts';

const simDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'sim');
const write = process.argv.includes('--write');
let failed = 0;
for (const g of GOLDEN_RUNS) {
  const run = rerun(g);
  const file = path.join(simDir, g.file);
  if (write) {
    writeFileSync(file, gzipSync(run.lines.join('\n') + '\n', { level: 9 }));
    console.log(`${g.scenario} seed ${g.seed} to ${g.untilMs} ms: eventCount ${run.eventCount}, traceHash '${run.traceHash}' → ${g.file}`);
    continue;
  }
  const pinned = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
  if (run.traceHash === g.traceHash && run.eventCount === g.eventCount) {
    console.log(`${g.scenario} seed ${g.seed}: same trace (${run.traceHash})`);
    continue;
  }
  failed++;
  console.log(describeDivergence(g, firstDivergence(pinned, run.lines)));
}
process.exit(failed > 0 ? 1 : 0);
