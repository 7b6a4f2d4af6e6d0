import { describe, expect, test } from 'vitest';
import { createWorkbench } from './workbench.ts';

describe('labs in the workbench', () => {
  // Proves a figure's moment is the same event in the run the page opens: the step's run is
  // resolved headless, then opened in the session with the same patch and seed, and the event at
  // the figure's seq there is the figure's event, at the figure's time.
  test('a figure links to the same event in the opened run', () => {
    const wb = createWorkbench();
    const outcome = wb.labStep('message-flow', 'private-path', 42);
    const fig = outcome.figures['dmShownEvent'];
    expect(fig?.seq).not.toBeNull();
    wb.open(outcome.run.scenario, outcome.run.seed, {}, outcome.run.patch ?? undefined);
    wb.seekTo(outcome.seekToMs);
    const e = wb.eventAt(fig?.seq ?? -1);
    expect(e?.type).toBe('client/messageShown');
    expect(e?.at).toBe(fig?.at);
  });

  // Proves the step's run is left alone (labStep does not replace the loaded run), the map lists
  // the groups, and a bad seed or an unknown lab is refused by name.
  test('labStep leaves the loaded run alone and refuses bad input by name', () => {
    const wb = createWorkbench();
    const opened = wb.open('group-chat', 7);
    wb.labStep('ordering-delivery', 'out-of-order', 42);
    expect(wb.current().summary.scenario).toBe('group-chat');
    expect(wb.current().summary.traceHash).toBe(opened.frame.summary.traceHash);
    expect(wb.labMap().map((g) => g.id)).toContain('decisions');
    expect(() => wb.labStep('nope', 'x', 1)).toThrow(/unknown lab "nope"/);
    expect(() => wb.labStep('ordering-delivery', 'x', 1)).toThrow(/has no step "x"/);
    expect(() => wb.labStep('ordering-delivery', 'out-of-order', -1)).toThrow(/seed must be an integer/);
  });
});
