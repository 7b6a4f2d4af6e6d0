/**
 * The workbench's run of a custom scenario (its preset with its patch) is the run the exported
 * scenario file gives `sim run` (ADR 0030); `src/cli/customScenario.test.ts` runs the CLI side.
 */
import { describe, expect, test } from 'vitest';
import { customScenarioOf, runScenario, type CustomScenario } from '../../sim/index.ts';
import { createWorkbench } from '../../workbench/index.ts';

const CUSTOM: CustomScenario = {
  name: 'kafka, five servers, a crash',
  base: 'group-chat',
  patch: { topology: { wsServers: 5 }, broker: { kind: 'kafka' }, faults: [{ at: 12_000, op: { verb: 'crash', node: 'ws-4' } }], durationMs: 20_000 },
};

describe('a custom scenario in the workbench', () => {
  // Proves the workbench session opened on preset + patch and played to the end has the trace hash of the exported scenario run as the CLI runs it (runScenario on the parsed file).
  test.each([7, 42])('same trace hash as the exported file (seed %i)', (seed) => {
    const checked = customScenarioOf(CUSTOM);
    if (!checked.ok) throw new Error('invalid custom scenario');
    const wb = createWorkbench();
    const opened = wb.open(CUSTOM.base, seed, {}, CUSTOM.patch);
    const end = opened.scenario.endMs ?? 0;
    expect(end).toBe(20_000 + checked.scenario.settleMs);
    const frame = wb.seekTo(end);
    const cli = runScenario(checked.scenario, { seed });
    expect(frame.summary.traceHash).toBe(cli.trace.hash());
  });
});
