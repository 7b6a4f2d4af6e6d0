/**
 * A custom scenario exported from the editor (ADR 0030) is a scenario file the CLI runs: the same
 * run, trace hash included, as the preset plus the patch the workbench loads.
 */
import { describe, expect, test } from 'vitest';
import { buildRun, customScenarioOf, runScenario, scenarioFileText, type CustomScenario } from '../sim/index.ts';
import { runSim } from './fakeIo.ts';

const CUSTOM: CustomScenario = {
  name: 'kafka, five servers, a crash',
  base: 'group-chat',
  patch: { topology: { wsServers: 5 }, broker: { kind: 'kafka' }, faults: [{ at: 12_000, op: { verb: 'crash', node: 'ws-4' } }], durationMs: 20_000 },
};

describe('an exported custom scenario', () => {
  // Proves the exported file run through the CLI's own code path (`sim run --scenario file --json`) gives the trace hash of the preset-plus-patch run the workbench builds (buildRun), for two seeds.
  test.each([7, 42])('runs in the CLI with the workbench run\'s trace hash (seed %i)', async (seed) => {
    const checked = customScenarioOf(CUSTOM);
    if (!checked.ok) throw new Error(checked.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    const file = scenarioFileText(checked.scenario);
    const r = await runSim(['run', '--scenario', '/tmp/custom.json', '--seed', String(seed), '--json'], { '/tmp/custom.json': file });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { traceHash: string };
    const built = buildRun(CUSTOM.base, seed, CUSTOM.patch);
    if (built.cluster === null) throw new Error('not a cluster');
    expect(report.traceHash).toBe(runScenario(built.cluster.scenario, { seed }).trace.hash());
  });
});
