import { describe, expect, test } from 'vitest';
import { FIELD_GROUPS } from './fieldDocs.ts';
import { allowedText, fieldLeaves, scenarioFields, type FieldNode } from './fields.ts';
import { parseScenario } from './schema.ts';

const find = (path: string): FieldNode => {
  const leaf = fieldLeaves().find((l) => l.path === path);
  if (leaf === undefined) throw new Error(`no leaf ${path}`);
  return leaf;
};

describe('the scenario fields', () => {
  // Proves the docs table cannot drift from the schema: every leaf the walk finds (union variants and list entries included) has a description, a unit and one of the editor's groups.
  test('every leaf of the schema has a description, a unit and a group', () => {
    const leaves = fieldLeaves();
    expect(leaves.length).toBeGreaterThan(150);
    const bare = leaves.filter((l) => l.doc.description.trim() === '' || l.doc.unit.trim() === '' || !(FIELD_GROUPS as readonly string[]).includes(l.doc.group)).map((l) => l.path);
    expect([...new Set(bare)]).toEqual([]);
  });

  // Proves every concept group holds at least one field, so none of the editor's sections is empty.
  test('every group has fields', () => {
    const groups = new Set(fieldLeaves().map((l) => l.doc.group));
    expect([...groups].sort()).toEqual([...FIELD_GROUPS].sort());
  });

  // Proves defaults and ranges come from the schema: the walk's defaults equal what parseScenario fills in, for every plain leaf outside lists and unions.
  test('defaults are the ones parseScenario fills', () => {
    const parsed = parseScenario({ durationMs: 1000 });
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const at = (path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], parsed.scenario);
    const plain = (n: FieldNode, out: FieldNode[]): FieldNode[] => {
      if (n.kind === 'object') { if (!n.optional) n.fields.forEach((f) => plain(f, out)); }
      else if (n.kind !== 'union' && n.kind !== 'array' && !n.optional && n.defaultValue !== undefined) out.push(n);
      return out;
    };
    const leaves = plain(scenarioFields(), []);
    expect(leaves.length).toBeGreaterThan(100);
    for (const l of leaves) expect({ path: l.path, value: at(l.path) }).toEqual({ path: l.path, value: l.defaultValue });
  });

  // Proves the ranges and enums are read from the schema's checks.
  test('ranges and allowed values', () => {
    expect(allowedText(find('topology.wsServers'))).toBe('an integer from 1 to 200');
    expect(allowedText(find('workload.groups.size.exponent'))).toBe('a number > 0, ≤ 8, a multiple of 0.5');
    expect(allowedText(find('transport'))).toBe('one of "websocket", "sse", "long-polling", "tcp"');
    expect(find('wsServer.cpu.serviceTime.meanMs').defaultValue).toBe(0.2);
    expect(find('broker.cpu.serviceTime.meanMs').defaultValue).toBe(0.05);
    const limiter = scenarioFields().fields.find((f) => f.key === 'rateLimit');
    const spec = limiter?.kind === 'object' ? limiter.fields.find((f) => f.key === 'limiter') : undefined;
    expect(spec?.kind === 'union' ? spec.variants.map((v) => v.tag) : null).toEqual(['fixed-window', 'sliding-log', 'sliding-counter', 'token-bucket', 'leaky-bucket', 'leaky-queue', 'gcra']);
  });
});
