/**
 * A report taken "as if the run ended now" and then played on must be the report of a run stopped
 * at that moment, however often it is asked: the workbench asks every second while playing, and
 * the lost-message checker forgets on the way the messages every member has already seen.
 */
import { describe, expect, test } from 'vitest';
import { createWatchers, reportOf, runFacts, startScenario } from './run.ts';
import { presetScenario } from './testing.ts';

describe('judging the end while the run goes on', () => {
  // crash-at-most-once loses messages (5 on seed 42), so the lost checker has findings to keep;
  // group-chat has churn (users online and offline) and none to find.
  test.each([
    ['crash-at-most-once', 42],
    ['group-chat', 42],
  ])('%s seed %i: asked every 2 s (twice each time), the report is the one of a run stopped there', (id, seed) => {
    const scenario = presetScenario(id);
    const run = startScenario(scenario, seed);
    const end = scenario.durationMs + scenario.settleMs;
    let withFindings = 0;
    for (let at = 2_000; at <= end; at += 2_000) {
      run.sim.runUntil(at);
      const live = reportOf(run, id, 0);
      expect(reportOf(run, id, 0)).toEqual(live);
      // A fresh set of checkers fed the same trace up to here and judged once.
      const fresh = createWatchers(run.info, scenario);
      for (const e of run.sim.trace.events) fresh.observe(e);
      const stopped = fresh.report(runFacts(run.sim, id, 0));
      expect(live.violations).toEqual(stopped.violations);
      expect(live.counts).toEqual(stopped.counts);
      if (live.counts.lost > 0) withFindings++;
    }
    // The comparison is only worth something if crash-at-most-once had lost messages to compare.
    if (id === 'crash-at-most-once') expect(withFindings).toBeGreaterThan(0);
  });
});
