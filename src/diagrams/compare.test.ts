import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { runPreset } from '../sim/kernel.ts';
import type { RunReport, TraceEvent } from '../sim/index.ts';
import { diffReports, firstRawDivergence, firstShownDivergence, reportFigures, shownSequences } from './compare.ts';

type Run = { report: RunReport; events: readonly TraceEvent[] };
const cache = new Map<string, Run>();
/** Each (preset, seed) runs once for the whole file. */
function run(id: string, seed: number): Run {
  const key = `${id}:${seed}`;
  let r = cache.get(key);
  if (r === undefined) cache.set(key, (r = runPreset(id, seed)));
  return r;
}

describe('the reordering pair: same traffic, one decision changed', () => {
  for (const seed of [1, 2, 42]) {
    test(`seed ${seed}: A (no sequence numbers) breaks order where B does not, and a user sees it`, () => {
      // Runs both presets to their end with the same seed and compares them as the side-by-side view does.
      const a = run('reordering-without-sequence', seed);
      const b = run('reordering-with-sequence', seed);

      const raw = firstRawDivergence(a.events, b.events);
      expect(raw).not.toBeNull();
      // Both traces agree on every event before the divergence.
      for (let i = 0; i < (raw?.index ?? 0); i++) expect(a.events[i]?.type).toBe(b.events[i]?.type);
      expect(raw?.a?.text).toContain(raw?.a?.type ?? '?');
      expect(raw?.summary).toMatch(/the traces differ/);

      const shown = firstShownDivergence(a.events, b.events);
      expect(shown).not.toBeNull();
      if (shown === null) return;
      // The two sides name different sends (or one shows nothing there) at the same place.
      expect(shown.a?.clientMsgId === shown.b?.clientMsgId && shown.a?.author === shown.b?.author).toBe(false);
      expect(shown.channel).toBe('g1');
      expect(shown.atMs).toBeGreaterThanOrEqual(raw?.atMs ?? 0);
      // Every (user, channel) list agrees up to that position on both sides.
      const key = `${shown.user}\u0000${shown.channel}`;
      const la = shownSequences(a.events).get(key) ?? [];
      const lb = shownSequences(b.events).get(key) ?? [];
      for (let i = 0; i < shown.position; i++) expect(`${la[i]?.author}/${la[i]?.clientMsgId}`).toBe(`${lb[i]?.author}/${lb[i]?.clientMsgId}`);
      expect(shown.clientMsgId).toMatch(/^u\d+-\d+$/);

      const diff = diffReports(a.report, b.report);
      const ordering = diff.find((d) => d.figure === 'violations.ordering');
      expect(ordering?.a).toBeGreaterThan(0);
      expect(ordering?.b).toBe(0);
      expect(ordering?.better).toBe('b');
      expect(ordering?.direction).toBe('lower');
      const outOfOrder = diff.find((d) => d.figure === 'counts.outOfOrderShown');
      expect(outOfOrder?.a).toBe(a.report.counts.outOfOrderShown);
      expect(outOfOrder?.b).toBe(0);
      // Every listed figure really differs, with B − A as its delta.
      for (const d of diff) {
        expect(d.a).not.toBe(d.b);
        expect(d.delta).toBeCloseTo(d.b - d.a, 6);
      }
    });
  }

  test('the same sends match across runs by author and client id, whatever id the server gave them', () => {
    // Renames every server id on one side: the shown-order comparison must not notice.
    const a = run('reordering-with-sequence', 42);
    const renamed = a.events.map((e) => (e.type === 'client/messageShown' ? ({ ...e, data: { ...e.data, id: `x-${e.data.id}` } } as TraceEvent) : e));
    expect(firstShownDivergence(a.events, renamed)).toBeNull();
    expect(firstRawDivergence(a.events, renamed)).not.toBeNull();
  });
});

describe('a run compared with itself', () => {
  test('has no divergence and no report difference (property over presets and seeds)', () => {
    // Two independent runs of the same preset and seed are byte-identical, so nothing differs.
    fc.assert(
      fc.property(fc.constantFrom('private-chat', 'reordering-without-sequence', 'rate-limit-burst'), fc.integer({ min: 0, max: 1000 }), (id, seed) => {
        const a = runPreset(id, seed);
        const b = runPreset(id, seed);
        expect(firstRawDivergence(a.events, b.events)).toBeNull();
        expect(firstShownDivergence(a.events, b.events)).toBeNull();
        expect(diffReports(a.report, b.report)).toEqual([]);
      }),
      { numRuns: 4, seed: 11 },
    );
  });

  test('a trace cut short diverges where it ends, and says which side ended', () => {
    // Drops the tail of B: the first divergence is the first missing event.
    const a = run('reordering-with-sequence', 1).events;
    const b = a.slice(0, 100);
    const raw = firstRawDivergence(a, b);
    expect(raw?.index).toBe(100);
    expect(raw?.b).toBeNull();
    expect(raw?.summary).toMatch(/B has ended/);
  });
});

describe('report figures', () => {
  test('counts violations by checker and leaves out the bookkeeping', () => {
    // The flattened figures name each checker's violations and skip seed, hash and wall time.
    const r = run('reordering-without-sequence', 42).report;
    const f = reportFigures(r);
    expect(f.get('violations.ordering')).toBe(r.violations.filter((v) => v.checker === 'ordering').length);
    expect(f.get('counts.sent')).toBe(r.counts.sent);
    expect([...f.keys()].some((k) => /seed|wallMs|traceHash|events/.test(k))).toBe(false);
  });
});
