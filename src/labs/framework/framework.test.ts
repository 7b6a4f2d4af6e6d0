import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { COMING_LABS, LABS, labById, labMap } from '../registry.ts';
import { evaluateGoal, fillNarration, formatFigure, patchWith, type Control, type Figure } from './index.ts';

const LABS_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const figure = (id: string, value: number | null): Figure => ({ id, label: id, value, unit: 'ms', text: formatFigure(value, 'ms'), run: { scenario: 'group-chat', seed: 1, patch: null }, at: null, moment: 75_000, seq: null, messageId: null });

describe('the lab framework', () => {
  // Proves every lab folder is in the registry (a folder nobody registered would never be shown).
  test('every lab folder is registered, and every id is unique', () => {
    const folders = readdirSync(LABS_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'framework')
      .map((d) => d.name)
      .sort();
    expect(LABS.map((l) => l.id).sort()).toEqual(folders);
    const ids = [...LABS, ...COMING_LABS].map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(() => labById('nope')).toThrow(/unknown lab "nope"; labs are message-flow, sliding-window, ordering-delivery/);
  });

  // Proves the map has the six groups of the lab in order, each ready lab before the coming ones.
  test('the map lists the six groups with ready labs first', () => {
    const map = labMap();
    expect(map.map((g) => g.id)).toEqual(['concepts', 'diagrams', 'decisions', 'tradeoffs', 'pitfalls', 'discussion']);
    const diagrams = map.find((g) => g.id === 'diagrams')?.labs.map((l) => `${l.status}:${l.lab.id}`);
    expect(diagrams).toEqual(['ready:message-flow', 'ready:sliding-window', 'ready:pubsub-fanout']);
  });

  // Proves placeholders become figures in order, and an unknown one is an error that names it.
  test('narration is filled from figures; an unknown placeholder is named', () => {
    const segments = fillNarration('From {a} to {b}.', { a: figure('a', 1.25), b: figure('b', 385.152) });
    expect(segments.map((s) => (s.kind === 'text' ? s.text : `[${s.figure.text}]`)).join('')).toBe('From [1.3 ms] to [385.2 ms].');
    expect(() => fillNarration('See {nope}.', { a: figure('a', 1) }, 'lab x, step y')).toThrow('lab x, step y: the placeholder {nope} names no figure; figures are a');
  });

  // Proves controls write their values into the patch at their paths, leave the base alone, and
  // refuse a bad value or an unknown control by name.
  test('controls patch the scenario at their paths and refuse bad values by name', () => {
    const delivery: Control = { kind: 'choice', id: 'delivery', label: 'Delivery', path: 'delivery', options: [{ value: 'at-most-once', label: 'a' }, { value: 'at-least-once', label: 'b' }], initial: 'at-most-once' };
    const servers: Control = { kind: 'number', id: 'servers', label: 'Servers', path: 'topology.wsServers', min: 1, max: 12, step: 1, initial: 3 };
    const base = { topology: { maxWsServers: 12 } };
    expect(patchWith(base, [delivery, servers], { servers: 6 })).toEqual({ topology: { maxWsServers: 12, wsServers: 6 }, delivery: 'at-most-once' });
    expect(base).toEqual({ topology: { maxWsServers: 12 } });
    expect(() => patchWith(base, [delivery], { delivery: 'exactly-once' })).toThrow('delivery must be one of "at-most-once", "at-least-once", got "exactly-once"');
    expect(() => patchWith(base, [servers], { servers: 40 })).toThrow('servers must be from 1 to 12, got 40');
    expect(() => patchWith(base, [servers], { speed: 2 })).toThrow('unknown control "speed"; controls are servers');
    expect(patchWith(undefined, [], {})).toBeNull();
  });

  // Proves a figure goal needs the run's evidence and says so instead of guessing.
  test('a figure goal without evidence is not met, and says why', () => {
    const r = evaluateGoal({ kind: 'figure', figure: { kind: 'eventCount', type: 'broker/published', label: 'publishes' }, op: '>', value: 0 }, null, { ofType: () => ({ count: 0, first: null }) });
    expect(r.met).toBe(false);
    expect(r.explanation).toMatch(/publishes.*evidence/);
  });

  // Proves figures format as the narration prints them.
  test('figures format counts, times and ratios', () => {
    expect(formatFigure(1234, 'messages')).toBe('1,234 messages');
    expect(formatFigure(0.0042, '')).toBe('0.004');
    expect(formatFigure(60, 's')).toBe('60 s');
    expect(formatFigure(null, 'ms')).toBe('none');
  });
});
