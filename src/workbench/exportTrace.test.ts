/**
 * The workbench's trace exports: the JSONL file is byte for byte what the CLI's `run --trace`
 * writes for the same run up to the same moment (also after seeking back and forth), and the
 * Perfetto file is the converter's output for the same events.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { perfettoJson } from '../diagrams/index.ts';
import { parseScenario, presetById, runScenario } from '../sim/index.ts';
import { createWorkbench } from './index.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What the CLI writes with `--trace`: runScenario's trace up to `untilMs`, as JSON lines (src/cli/sim.ts). */
function cliTrace(id: string, seed: number, untilMs: number): string {
  const parsed = parseScenario(presetById(id)?.scenario);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return runScenario(parsed.scenario, { seed, untilMs }).trace.toJsonLines();
}

describe('exportTrace', () => {
  // Proves the JSONL export equals the CLI's trace for the same run and moment, for several presets.
  test.each([
    ['private-chat', 3, 4_000],
    ['group-chat', 42, 12_345],
    ['crash-at-least-once', 7, 20_000],
    ['rate-limit-burst', 1, 70_000],
  ] as const)('%s seed %i up to %i ms: JSONL is the CLI trace', (id, seed, untilMs) => {
    const wb = createWorkbench();
    wb.open(id, seed);
    wb.seekTo(untilMs);
    const jsonl = wb.exportTrace('jsonl');
    expect(jsonl.length).toBeGreaterThan(0);
    expect(jsonl).toBe(cliTrace(id, seed, untilMs));
  });

  // Proves a seek back (a snapshot restored and replayed) exports the same bytes as a straight run.
  test('after seeking back, the export is still the CLI trace at the playhead', () => {
    const wb = createWorkbench();
    wb.open('group-chat', 42);
    wb.seekTo(20_000);
    wb.seekTo(7_500);
    expect(wb.exportTrace('jsonl')).toBe(cliTrace('group-chat', 42, 7_500));
  });

  // Proves the Perfetto export is the converter's output over the same events, and deterministic.
  test('the Perfetto export is the converter over the kept events', () => {
    const wb = createWorkbench();
    wb.open('private-chat', 3);
    wb.seekTo(3_000);
    const events = wb
      .exportTrace('jsonl')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Parameters<typeof perfettoJson>[0][number]);
    const text = wb.exportTrace('perfetto');
    expect(text).toBe(perfettoJson(events, { scenario: 'private-chat', seed: 3, untilMs: 3_000 }));
    expect(wb.exportTrace('perfetto')).toBe(text);
  });

  // Proves an unknown format is refused by name.
  test('an unknown format is refused', () => {
    const wb = createWorkbench();
    wb.open('private-chat', 3);
    expect(() => wb.exportTrace('csv' as 'jsonl')).toThrow(/unknown trace format "csv"/);
  });

  // Proves, against the real command (`npm run --silent sim -- run … --trace f`), that the file is byte-identical.
  test('JSONL equals the file the real CLI process writes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-trace-'));
    const file = path.join(dir, 't.jsonl');
    try {
      await new Promise<void>((resolve, reject) => {
        execFile('npx', ['tsx', 'src/cli/sim.ts', 'run', '--scenario', 'private-chat', '--seed', '5', '--until-ms', '6000', '--json', '--trace', file], { cwd: REPO, timeout: 60_000 }, (error) =>
          error === null ? resolve() : reject(error),
        );
      });
      const wb = createWorkbench();
      wb.open('private-chat', 5);
      wb.seekTo(6_000);
      expect(wb.exportTrace('jsonl')).toBe(readFileSync(file, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
