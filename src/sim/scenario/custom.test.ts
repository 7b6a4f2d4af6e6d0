import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { basePresets, checkScenario, closestPreset, customScenarioOf, patchFromPreset, readJson, readScenarioFile, scenarioFileText } from './custom.ts';
import { deepMerge, jsonEqual, mergePatchBetween } from './patch.ts';
import { presetById } from './presets.ts';
import { parseScenario, type Scenario } from './schema.ts';

const full = (input: unknown): Scenario => {
  const parsed = parseScenario(input);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return parsed.scenario;
};
const json = (v: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

/** An edit of a complete scenario file, as the editor makes one: a field set, a key removed, a union's kind switched. */
type Edit = (s: Record<string, unknown>) => void;
const at = (s: Record<string, unknown>, path: string): Record<string, unknown> => path.split('.').reduce((o, k) => o[k] as Record<string, unknown>, s);
const set = (path: string, key: string, value: unknown): Edit => (s) => {
  at(s, path)[key] = value;
};
const edits: fc.Arbitrary<Edit> = fc.oneof(
  fc.integer({ min: 1, max: 12 }).map((n) => set('topology', 'wsServers', n)),
  fc.integer({ min: 1, max: 12 }).map((n) => set('topology', 'maxWsServers', n)),
  fc.constantFrom('websocket', 'sse', 'long-polling', 'tcp').map((t) => (s: Record<string, unknown>) => void (s['transport'] = t)),
  fc.constantFrom('at-most-once', 'at-least-once').map((t) => (s: Record<string, unknown>) => void (s['delivery'] = t)),
  fc.constantFrom('global', 'per-channel', 'none').map((o) => set('chat', 'ordering', o)),
  fc.constantFrom('redis', 'kafka', 'none').map((k) => set('broker', 'kind', k)),
  fc.boolean().map((b) => set('rateLimit', 'enabled', b)),
  fc.record({ limit: fc.integer({ min: 1, max: 50 }), burst: fc.integer({ min: 1, max: 50 }) }).map(({ limit, burst }) => set('rateLimit', 'limiter', { algorithm: 'token-bucket', limit, windowMs: 10_000, burst, refill: 'continuous' })),
  fc.constant((s: Record<string, unknown>) => void delete at(s, 'network.client')['jitter']),
  fc.double({ min: 0.01, max: 2, noNaN: true }).map((r) => set('workload', 'sendRatePerUserPerSec', r)),
  fc.integer({ min: 1, max: 20_000 }).map((t) => (s: Record<string, unknown>) => void (s['faults'] = [{ at: t, op: { verb: 'crash', node: 'ws-1' } }])),
  fc.constant((s: Record<string, unknown>) => void (s['faults'] = [])),
  fc.string({ maxLength: 30 }).map((d) => (s: Record<string, unknown>) => void (s['description'] = d)),
);

describe('custom scenarios', () => {
  // Proves the round trip a custom scenario relies on: for any preset and any run of editor edits that gives a valid scenario, the patch from the preset, merged over the preset as written and parsed, gives back exactly the edited scenario (also after a JSON round trip, as localStorage and links store it).
  test('patch from a preset to an edited scenario merges back to it', () => {
    const presets = basePresets();
    fc.assert(
      fc.property(fc.constantFrom(...presets), fc.array(edits, { minLength: 1, maxLength: 6 }), (preset, list) => {
        const edited = json(full(preset.scenario));
        for (const e of list) e(edited);
        const parsed = parseScenario(edited);
        fc.pre(parsed.ok);
        if (!parsed.ok) return;
        const patch = json(patchFromPreset(preset, parsed.scenario));
        const back = full(deepMerge(preset.scenario, patch));
        expect(json(back)).toEqual(json(parsed.scenario));
      }),
      { numRuns: 150 },
    );
  });

  // Proves the patch names only what changed: one field edited gives a patch of that field alone.
  test('the patch is small', () => {
    const preset = presetById('group-chat');
    if (preset === undefined) throw new Error('no group-chat');
    const edited = json(full(preset.scenario));
    at(edited, 'broker')['kind'] = 'kafka';
    expect(patchFromPreset(preset, full(edited))).toEqual({ broker: { kind: 'kafka' } });
    expect(mergePatchBetween({ a: 1, b: { c: 2, d: 3 } }, { a: 1, b: { c: 5 } })).toEqual({ b: { c: 5, d: null } });
  });

  // Proves an imported complete file maps back to the preset it came from with an empty patch, and that export is `sim show`'s text.
  test('an exported preset imports as that preset', () => {
    for (const p of basePresets().slice(0, 6)) {
      const s = full(p.scenario);
      const read = readScenarioFile(scenarioFileText(s));
      expect(read.ok).toBe(true);
      if (!read.ok) continue;
      const closest = closestPreset(read.scenario);
      expect(jsonEqual(full(deepMerge(presetById(closest.base)?.scenario, closest.patch)), s)).toBe(true);
      expect(customScenarioOf({ name: 'x', base: p.id, patch: {} }).ok).toBe(true);
    }
  });

  // Proves a bad value is named at its field, and the work budget's refusal is reported (not thrown).
  test('problems name their field', () => {
    const r = checkScenario({ durationMs: 1000, topology: { wsServers: 0 } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]).toEqual({ path: 'topology.wsServers', message: '0 is too small (allowed: a number ≥ 1)' });
    const big = checkScenario({ durationMs: 1e12, workload: { users: 100_000 } });
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.problems[0]?.message).toMatch(/events of work, above the budget/);
    const deep = checkScenario({ durationMs: 1000, faults: [{ at: 1, op: { verb: 'crash', node: 'nope' } }] });
    expect(deep.ok ? [] : deep.problems.map((p) => p.path)).toEqual(['faults[0].op.node']);
  });

  // Proves a JSON syntax error carries its line and column.
  test('JSON syntax errors have a line and column', () => {
    const r = readJson('{\n  "a": 1,\n  "b": ]\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect({ line: r.error.line, column: r.error.column }).toEqual({ line: 3, column: 8 });
    const end = readJson('{ "a": ');
    expect(end.ok).toBe(false);
  });

  // Proves importing damaged files never throws and every refusal names a path or says where the JSON broke: random text, mutated valid files, and random JSON values.
  test('damaged files are refused with the path, never thrown', () => {
    const good = scenarioFileText(full(presetById('group-chat')?.scenario));
    const mutated = fc.tuple(fc.nat({ max: good.length - 1 }), fc.nat({ max: 40 }), fc.string({ maxLength: 8 })).map(([i, n, s]) => good.slice(0, i) + s + good.slice(i + n));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), mutated, fc.json({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ ...json(JSON.parse(good)), workload: v }))), (text) => {
        const r = readScenarioFile(text);
        if (r.ok) return;
        expect(r.problems.length).toBeGreaterThan(0);
        for (const p of r.problems) expect(p.path !== '' || /line \d+, column \d+|one JSON object|budget|unknown field/.test(p.message)).toBe(true);
      }),
      { numRuns: 300 },
    );
    const r = readScenarioFile(JSON.stringify({ ...json(JSON.parse(good)), workload: { users: 'eight' } }));
    expect(r.ok ? [] : r.problems.map((p) => p.path)).toContain('workload.users');
  });
});

describe('the JSON reader', () => {
  // Proves the reader agrees with JSON.parse on what is JSON, and places every error inside the text (the locator is a grammar walk, not an engine's wording).
  test('agrees with JSON.parse', () => {
    const nearJson = fc.json({ maxDepth: 3 }).chain((t) => fc.tuple(fc.nat({ max: t.length }), fc.constantFrom('', ',', '}', ']', '"', ':', '\\', 'x', ' ')).map(([i, s]) => t.slice(0, i) + s + t.slice(i)));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), nearJson), (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        const r = readJson(text);
        expect(r.ok).toBe(parses);
        if (!r.ok) {
          const lines = text.split('\n');
          expect(r.error.line).toBeLessThanOrEqual(lines.length);
          expect(r.error.column).toBeLessThanOrEqual((lines[r.error.line - 1]?.length ?? 0) + 1);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('patch size', () => {
  // Proves a change inside a part the preset does not write (the limiter) carries that part whole, not the whole scenario.
  test('a new limiter is one part of the patch', () => {
    const preset = presetById('group-chat');
    if (preset === undefined) throw new Error('no group-chat');
    const edited = json(full(preset.scenario));
    at(edited, 'rateLimit')['enabled'] = true;
    at(edited, 'rateLimit')['limiter'] = { algorithm: 'token-bucket', limit: 5, windowMs: 60_000 };
    at(edited, 'topology')['wsServers'] = 5;
    delete at(edited, 'topology')['maxWsServers'];
    expect(Object.keys(patchFromPreset(preset, full(edited))).sort()).toEqual(['rateLimit', 'topology']);
  });
});
