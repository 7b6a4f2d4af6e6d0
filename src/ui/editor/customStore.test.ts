import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CUSTOM_KEY, readCustoms, withCustom, writeCustoms, type CustomStorage } from './customStore.ts';
import { getAt, loosen, setAt, templateOf, unitsByGroup, variantTemplate } from './model.ts';
import { FIELD_GROUPS, fieldLeaves, scenarioFields, type FieldNode } from '../../sim/index.ts';

const memory = (text: string | null): CustomStorage => {
  let value = text;
  return { getItem: () => value, setItem: (_k, v) => void (value = v) };
};

describe('saved custom scenarios', () => {
  // Proves damaged storage never throws: any text (and any JSON) under the key reads as a list of well-formed entries plus messages, and each bad entry is named in a message.
  test('damaged data is dropped with a message', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.array(fc.record({ name: fc.oneof(fc.string(), fc.integer()), base: fc.oneof(fc.constant('group-chat'), fc.string()), patch: fc.jsonValue() }), { maxLength: 5 }).map((a) => JSON.stringify(a))), (text) => {
        const { customs, messages } = readCustoms(memory(text));
        for (const c of customs) {
          expect(typeof c.name).toBe('string');
          expect(c.name.trim()).toBe(c.name);
          expect(typeof c.patch === 'object' && c.patch !== null && !Array.isArray(c.patch)).toBe(true);
        }
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(text);
        } catch {
          expect(messages).toHaveLength(1);
        }
        if (Array.isArray(parsed)) expect(customs.length + messages.length).toBe(parsed.length);
      }),
      { numRuns: 300 },
    );
    expect(readCustoms(memory('{')).messages).toEqual(['Your saved scenarios were damaged (not JSON) and were dropped.']);
    const thrower: CustomStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => undefined,
    };
    expect(readCustoms(thrower).messages[0]).toMatch(/could not be read \(denied\)/);
  });

  // Proves a full storage is reported as a sentence, not thrown, and a good write round-trips.
  test('quota errors become a message', () => {
    const full: CustomStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    };
    expect(writeCustoms(full, [{ name: 'a', base: 'group-chat', patch: {} }])).toMatch(/storage for this page is full/);
    const store = memory(null);
    const list = withCustom(withCustom([], { name: 'a', base: 'group-chat', patch: {} }), { name: 'b', base: 'private-chat', patch: { durationMs: 5 } });
    expect(writeCustoms(store, list)).toBeNull();
    expect(readCustoms(store)).toEqual({ customs: list, messages: [] });
    expect(withCustom(list, { name: 'c', base: 'group-chat', patch: {} }, 'a').map((c) => c.name)).toEqual(['c', 'b']);
    expect(store.getItem(CUSTOM_KEY)).toContain('"b"');
  });
});

describe('the editor model', () => {
  // Proves setAt writes without mutating, creates missing objects, and removes with undefined (a key, or a list entry).
  test('paths', () => {
    const v = { a: { b: [1, 2, 3] } };
    expect(setAt(v, ['a', 'b', 1], undefined)).toEqual({ a: { b: [1, 3] } });
    expect(setAt(v, ['x', 'y'], 1)).toEqual({ a: { b: [1, 2, 3] }, x: { y: 1 } });
    expect(v).toEqual({ a: { b: [1, 2, 3] } });
    expect(getAt(v, ['a', 'b', 2])).toBe(3);
  });

  // Proves every field can make a new value from the schema alone, and switching a union keeps the shared fields.
  test('templates and kind switches', () => {
    for (const leaf of fieldLeaves()) expect(templateOf(leaf as FieldNode)).not.toBeUndefined();
    const limiter = (scenarioFields().fields.find((f) => f.key === 'rateLimit') as FieldNode & { kind: 'object' }).fields.find((f) => f.key === 'limiter');
    if (limiter?.kind !== 'union') throw new Error('the limiter is a union');
    expect(variantTemplate(limiter, 'token-bucket', { algorithm: 'sliding-log', limit: 7, windowMs: 1000, boundary: 'inclusive' })).toEqual({ algorithm: 'token-bucket', limit: 7, windowMs: 1000, refill: 'continuous' });
    expect(loosen({ topology: { wsServers: 3, maxWsServers: 3 }, rateLimit: { limiter: { limit: 5, burst: 5 } } })).toEqual({ topology: { wsServers: 3 }, rateLimit: { limiter: { limit: 5 } } });
  });

  // Proves every unit of the form lands in one of the editor's groups and none is lost.
  test('units cover the schema', () => {
    const groups = unitsByGroup(scenarioFields());
    expect([...groups.keys()]).toEqual([...FIELD_GROUPS]);
    const paths = [...groups.values()].flat().map((u) => u.node.path);
    for (const leaf of fieldLeaves()) expect(paths.some((p) => leaf.path === p || leaf.path.startsWith(`${p}.`) || leaf.path.startsWith(`${p}[`))).toBe(true);
  });
});
