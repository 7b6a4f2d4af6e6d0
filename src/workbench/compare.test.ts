import { describe, expect, test } from 'vitest';
import { runPreset } from '../sim/kernel.ts';
import { createWorkbench } from './workbench.ts';

const A = { scenario: 'reordering-without-sequence', seed: 42, patch: null };
const B = { scenario: 'reordering-with-sequence', seed: 42, patch: null };

describe('compare: two runs side by side in the workbench', () => {
  // Runs the reordering pair through the workbench and checks each side against the same preset
  // run alone (the CLI's path), then that the differences name A's ordering violations.
  test('reordering without vs with sequence numbers, seed 42', () => {
    const wb = createWorkbench();
    const c = wb.compare(A, B);
    const aloneA = runPreset(A.scenario, 42);
    const aloneB = runPreset(B.scenario, 42);
    expect(c.a.traceHash).toBe(aloneA.report.traceHash);
    expect(c.b.traceHash).toBe(aloneB.report.traceHash);
    expect(c.a.traceHash).not.toBe(c.b.traceHash);
    expect(c.a.report.counts).toEqual(aloneA.report.counts);
    expect(c.a.endMs).toBe(40_000);
    const ordering = c.reportDiff.find((d) => d.figure === 'violations.ordering');
    expect(ordering).toMatchObject({ b: 0, better: 'b' });
    expect(ordering?.a).toBeGreaterThan(0);
    expect(c.raw).not.toBeNull();
    expect(c.shown?.channel).toBe('g1');
    expect(c.shown?.atMs).toBeGreaterThanOrEqual(c.raw?.atMs ?? Infinity);
  });

  // The pane's playhead at the end shows the same hash as the comparison's side: same path.
  test('a side is the run the pane opens, played to its end', () => {
    const wb = createWorkbench();
    const c = wb.compare(A, B);
    wb.open(B.scenario, 42);
    expect(wb.seekTo(40_000).summary.traceHash).toBe(c.b.traceHash);
  });

  // The same intervention on both sides lands in both traces; compared with itself, nothing differs.
  test('interventions apply to both runs; a run against itself has no divergence', () => {
    const wb = createWorkbench();
    const iv = [{ at: 5_000, op: { verb: 'crash' as const, node: 'ws-2' } }];
    const c = wb.compare(A, A, iv);
    expect(c.raw).toBeNull();
    expect(c.shown).toBeNull();
    expect(c.reportDiff).toEqual([]);
    expect(c.a.traceHash).not.toBe(runPreset(A.scenario, 42).report.traceHash);
    wb.open(A.scenario, 42);
    wb.seekTo(5_000);
    wb.operate(iv[0]!.op);
    expect(wb.seekTo(40_000).summary.traceHash).toBe(c.a.traceHash);
  });

  test('bad input is refused naming the side and the problem', () => {
    // Each refusal says which side and what is wrong, before any run.
    const wb = createWorkbench();
    expect(() => wb.compare({ ...A, scenario: 'nope' }, B)).toThrow(/^A: unknown scenario "nope"; known: /);
    expect(() => wb.compare(A, { ...B, patch: { chat: { ordering: 'sideways' } } })).toThrow(/^B: reordering-with-sequence with this patch is not a valid scenario: scenario\.chat\.ordering/);
    expect(() => wb.compare(A, { ...B, scenario: 'million-users' })).toThrow(/^B: "million-users" is too heavy for a browser tab/);
    expect(() => wb.compare(A, { ...B, scenario: 'kernel-demo' })).toThrow(/^B: "kernel-demo" is not a chat cluster with an end/);
    expect(() => wb.compare(A, B, [{ at: 90_000, op: { verb: 'crash', node: 'ws-1' } }])).toThrow(/outside the run \(0 to 40000 ms\)/);
  });
});
