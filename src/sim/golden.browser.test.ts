import { expect, test } from 'vitest';
import { Prng } from './core/prng.ts';
import { GOLDEN_RUNS, describeDivergence, firstDivergence, rerun } from './golden.ts';

/** A pinned trace, fetched and unzipped in the browser. */
async function pinnedLines(file: string): Promise<string[]> {
  const response = await fetch(new URL(file, import.meta.url));
  const text = await new Response(response.body?.pipeThrough(new DecompressionStream('gzip')) ?? null).text();
  return text.trimEnd().split('\n');
}

// Proves Node and Chromium agree to the bit: the PRNG's first outputs are the numbers Node pins
// (prng.test.ts).
test('Chromium reproduces the Node-pinned PRNG stream', () => {
  const rng = new Prng(42);
  expect(Array.from({ length: 5 }, () => rng.nextUint32())).toEqual([2837322924, 544945897, 479756282, 3500138142, 339756180]);
});

for (const g of GOLDEN_RUNS) {
  // Proves the whole run (for the cluster: zod, every node, the brokers) replays in Chromium to
  // the hash Node pins; a difference names the first differing event, as in Node.
  test(`Chromium reproduces the Node-pinned trace of ${g.scenario} seed ${g.seed}`, async () => {
    const run = rerun(g);
    const same = run.traceHash === g.traceHash && run.eventCount === g.eventCount;
    expect(same, same ? '' : describeDivergence(g, firstDivergence(await pinnedLines(g.file), run.lines))).toBe(true);
  });
}
