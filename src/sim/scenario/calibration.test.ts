import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseScenario } from './schema.ts';

// Issue 9 item 14: docs/CALIBRATION.md says what every scenario field means and where its default
// comes from. A field added to the schema without a row there fails here.

const REPO = path.resolve(import.meta.dirname, '../../..');

/** Scenario paths two levels deep (`chat.dbTimeoutMs`); a distribution or a CPU model is one field. */
function fieldPaths(): string[] {
  const parsed = parseScenario({ durationMs: 1 });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const out: string[] = [];
  const isDistribution = (v: object): boolean => 'meanMs' in v || 'valueMs' in v || 'minMs' in v;
  const walk = (value: unknown, at: string, depth: number): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < 2 && !isDistribution(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, at === '' ? k : `${at}.${k}`, depth + 1);
    } else out.push(at);
  };
  walk(parsed.scenario, '', 0);
  return out;
}

describe('docs/CALIBRATION.md', () => {
  test('names every field of the scenario schema (the field, or its parts)', () => {
    const doc = readFileSync(path.join(REPO, 'docs/CALIBRATION.md'), 'utf8');
    const paths = fieldPaths();
    expect(paths.length).toBeGreaterThan(60);
    expect(paths.filter((p) => !doc.includes(`\`${p}\``) && !doc.includes(`\`${p}.`))).toEqual([]);
  });
});
