/**
 * Issue 9, item 8: the workbench refuses a run over the work budget when it opens it, with the
 * CLI's sentence (ADR 0012); it has no --allow-long.
 */
import { expect, test } from 'vitest';
import { createWorkbench } from './workbench.ts';

// Proves open() refuses a ten-billion-second run before building it, naming the biggest term.
test('open refuses a patch over the work budget, naming the biggest term', () => {
  const wb = createWorkbench();
  expect(() => wb.open('group-chat', 1, {}, { durationMs: 1e12 })).toThrow(
    /^group-chat: this run would do about [\d,]+ events of work, above the budget of 60,000,000 \(biggest term: sends, .*8 users × 0\.3\/s × 1,000,000,000 s/,
  );
  // A run within the budget still opens.
  expect(wb.open('group-chat', 1, {}, { durationMs: 120_000 }).scenario.endMs).toBe(135_000); // 120 s of sends and group-chat's 15 s to settle
});
