import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Op } from '../../sim/index.ts';
import { decodeLink, MAX_LINK_INTERVENTIONS, validateLink } from './decode.ts';
import { DEFAULT_LINK_STATE, encodeLink, fromBase64Url, LINK_DIAGRAMS, toBase64Url, toWire, type LinkState } from './state.ts';

/** A link's text for any JSON (the uncompressed form), to hand-write hostile content. */
const rawLink = (value: unknown): string => `1u.${toBase64Url(new TextEncoder().encode(JSON.stringify(value)))}`;

/** A decoded state is valid when reading it back changes nothing and says nothing. */
function expectValid(state: LinkState): void {
  const again = validateLink(JSON.parse(JSON.stringify(toWire(state))));
  expect(again.messages).toEqual([]);
  expect(again.state).toEqual(state);
}

const FULL: LinkState = {
  lab: { id: 'sliding-window', step: 'burst' },
  scenario: 'crash-at-least-once',
  patch: { settleMs: 12_000, workload: { sendRatePerUserPerSec: 0.5 } },
  seed: 4_294_967_295,
  interventions: [
    { at: 1_500.25, op: { verb: 'crash', node: 'ws-2' } },
    { at: 3_000, op: { verb: 'restart', node: 'ws-2' } },
    { at: 4_000, op: { verb: 'partition', a: ['ws-1'], b: ['broker'] } },
  ],
  nowMs: 4_321.5,
  diagram: 'ratelimit',
  message: 'c-u1:3',
  rateLimitKey: 'u1',
  theme: 'dark',
};

describe('link codec', () => {
  it('round-trips every field', async () => {
    const code = await encodeLink(FULL);
    expect(code).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    const { state, messages } = await decodeLink(code);
    expect(messages).toEqual([]);
    expect(state).toEqual(FULL);
  });

  it('writes the default state as a tiny link and reads it back', async () => {
    const code = await encodeLink(DEFAULT_LINK_STATE);
    expect(code.length).toBeLessThan(12);
    expect(await decodeLink(code)).toEqual({ state: DEFAULT_LINK_STATE, messages: [] });
  });

  it('reads the uncompressed form too (a browser without CompressionStream writes it)', async () => {
    expect(await decodeLink(rawLink(toWire(FULL)))).toEqual({ state: FULL, messages: [] });
  });

  it('keeps a link with a hundred interventions short', async () => {
    const interventions = Array.from({ length: 100 }, (_, i) => ({ at: i * 100, op: (i % 2 === 0 ? { verb: 'crash', node: 'ws-1' } : { verb: 'restart', node: 'ws-1' }) as Op }));
    const code = await encodeLink({ ...DEFAULT_LINK_STATE, interventions, nowMs: 10_000 });
    // Measured: 100 alternating crash/restart verbs pack to a few hundred characters.
    expect(code.length).toBeLessThan(1_000);
    expect((await decodeLink(code)).state.interventions).toEqual(interventions);
  });

  it('decode ∘ encode is the identity on valid states (property)', async () => {
    const preset = fc.constantFrom('group-chat', 'private-chat', 'crash-at-most-once', 'reordering-with-sequence', 'no-broker', 'join-and-leave');
    const node = fc.constantFrom('ws-1', 'ws-2', 'chat', 'db', 'gw');
    const op: fc.Arbitrary<Op> = fc.oneof(
      node.map((n): Op => ({ verb: 'crash', node: n })),
      node.map((n): Op => ({ verb: 'restart', node: n })),
      fc.tuple(node, fc.integer({ min: 1, max: 5_000 })).map(([n, extraMs]): Op => ({ verb: 'delay', from: n, to: 'chat', extraMs })),
      fc.tuple(node, fc.integer({ min: 1, max: 8 })).map(([n, factor]): Op => ({ verb: 'slow', node: n, factor })),
    );
    const state: fc.Arbitrary<LinkState> = fc.record({
      lab: fc.option(fc.record({ id: fc.stringMatching(/^[a-z][a-z-]{0,20}$/), step: fc.option(fc.stringMatching(/^[a-z][\w-]{0,20}$/), { nil: null }) }), { nil: null }),
      scenario: preset,
      patch: fc.option(fc.integer({ min: 0, max: 60_000 }).map((settleMs) => ({ settleMs })), { nil: null }),
      seed: fc.integer({ min: 0, max: 0xffff_ffff }),
      interventions: fc
        .array(fc.record({ at: fc.integer({ min: 0, max: 60_000_000 }).map((us) => us / 1000), op }), { maxLength: 12 })
        .map((ivs) => [...ivs].sort((a, b) => a.at - b.at)),
      nowMs: fc.integer({ min: 0, max: 60_000_000 }).map((us) => us / 1000),
      diagram: fc.constantFrom(...LINK_DIAGRAMS),
      message: fc.option(fc.stringMatching(/^[A-Za-z0-9][\w:.@-]{0,30}$/), { nil: null }),
      rateLimitKey: fc.option(fc.stringMatching(/^[A-Za-z0-9][\w:.@/-]{0,30}$/), { nil: null }),
      theme: fc.constantFrom('light' as const, 'dark' as const, null),
    });
    await fc.assert(
      fc.asyncProperty(state, async (s) => {
        const { state: back, messages } = await decodeLink(await encodeLink(s));
        expect(messages).toEqual([]);
        expect(back).toEqual(s);
      }),
      { numRuns: 150 },
    );
  });
});

describe('a damaged link', () => {
  it('drops each damaged field with a message naming it, and uses the rest', async () => {
    const { state, messages } = await decodeLink(rawLink({ ...toWire(FULL), seed: -3, d: 'gantt', th: 'neon', iv: [[100, { verb: 'crash', node: 'ws-99' }], [200, { verb: 'crash', node: 'ws-1' }]] }));
    expect(state.seed).toBe(42);
    expect(state.diagram).toBe('sequence');
    expect(state.theme).toBeNull();
    expect(state.interventions).toEqual([{ at: 200, op: { verb: 'crash', node: 'ws-1' } }]);
    expect(state.scenario).toBe(FULL.scenario);
    expect(state.patch).toEqual(FULL.patch);
    expect(messages.join('\n')).toMatch(/seed -3/);
    expect(messages.join('\n')).toMatch(/diagram "gantt"/);
    expect(messages.join('\n')).toMatch(/theme "neon"/);
    expect(messages.join('\n')).toMatch(/intervention 1 \("crash"\).*unknown node "ws-99"/);
  });

  it('checks overrides with the scenario files\' schema and drops invalid ones with its message', async () => {
    const { state, messages } = await decodeLink(rawLink({ sc: 'group-chat', p: { topology: { wsServers: 0 } } }));
    expect(state.patch).toBeNull();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/scenario overrides.*scenario\.topology\.wsServers/);
  });

  it('refuses an unknown scenario, a heavy one, a wrong version and a truncated link, each with a reason', async () => {
    expect((await decodeLink(rawLink({ sc: 'nope', iv: [[1, { verb: 'crash', node: 'ws-1' }]] }))).messages.join(' ')).toMatch(/scenario "nope".*no such scenario.*interventions/);
    expect((await decodeLink(rawLink({ sc: 'million-users' }))).messages[0]).toMatch(/too big for a browser tab/);
    expect((await decodeLink('7.abc')).messages[0]).toMatch(/version "7"/);
    const code = await encodeLink(FULL);
    const cut = await decodeLink(code.slice(0, code.length - 9));
    expect(cut.state).toEqual(DEFAULT_LINK_STATE);
    expect(cut.messages[0]).toMatch(/could not be read/);
  });

  it('never merges prototype keys and never pollutes Object.prototype', async () => {
    const hostile = '{"__proto__":{"polluted":1},"sc":"group-chat","p":{"__proto__":{"polluted":2},"constructor":{"prototype":{"polluted":3}},"settleMs":1000}}';
    const { state, messages } = await decodeLink(`1u.${toBase64Url(new TextEncoder().encode(hostile))}`);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(state.patch).toEqual({ settleMs: 1000 });
    expect(Object.getPrototypeOf(state.patch)).toBe(Object.prototype);
    expect(messages.join(' ')).toMatch(/__proto__/);
  });

  it('refuses huge numbers and moments far past the end', async () => {
    const { state, messages } = await decodeLink(rawLink({ seed: 1e300, t: 9e15, iv: [[1e308, { verb: 'crash', node: 'ws-1' }]] }));
    expect(state).toEqual(DEFAULT_LINK_STATE);
    expect(messages).toHaveLength(3);
  });

  it('caps the interventions a link may carry', async () => {
    const iv = Array.from({ length: MAX_LINK_INTERVENTIONS + 5 }, (_, i) => [i, { verb: 'crash', node: 'ws-1' }]);
    const { state, messages } = await decodeLink(rawLink({ iv }));
    expect(state.interventions).toHaveLength(MAX_LINK_INTERVENTIONS);
    expect(messages[0]).toMatch(/after the first 500/);
  });

  it('quotes Mermaid and HTML metacharacters as plain text in its messages', async () => {
    const evil = '<img src=x onerror=alert(1)>;%%{init}%%\n-->>';
    const { state, messages } = await decodeLink(rawLink({ m: evil, k: evil, lab: evil }));
    expect(state.message).toBeNull();
    expect(state.rateLimitKey).toBeNull();
    expect(state.lab).toBeNull();
    expect(messages).toHaveLength(3);
    for (const m of messages) expect(m).not.toMatch(/\n/);
  });
});

/** Deterministic bytes for the fuzz (the test's own PRNG, so a failure replays). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  -1,
  1e308,
  -0,
  2 ** 53 + 1,
  '',
  '__proto__',
  '<script>alert(1)</script>',
  'A-->>B: %%{init: {"theme":"x"}}%%',
  '"]; click A call alert(1)',
  '\u0000\u2028',
  [],
  [[]],
  {},
  { __proto__: { x: 1 } },
  { constructor: { prototype: { x: 1 } } },
  'x'.repeat(300),
];

/** One mutation of a valid link (its text, its bytes or its JSON). */
function mutate(code: string, wire: Record<string, unknown>, r: () => number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  switch (Math.floor(r() * 8)) {
    case 0: // truncation
      return code.slice(0, Math.floor(r() * code.length));
    case 1: {
      // bit flips in the compressed bytes
      const bytes = fromBase64Url(code.slice(2)) ?? new Uint8Array();
      for (let i = 0, n = 1 + Math.floor(r() * 4); i < n && bytes.length > 0; i++) {
        const at = Math.floor(r() * bytes.length);
        bytes[at] = (bytes[at] as number) ^ (1 << Math.floor(r() * 8));
      }
      return `1.${toBase64Url(bytes)}`;
    }
    case 2: // random bytes, compressed-looking
      return `1.${toBase64Url(Uint8Array.from({ length: Math.floor(r() * 200) }, () => Math.floor(r() * 256)))}`;
    case 3: // random characters
      return Array.from({ length: Math.floor(r() * 80) }, () => String.fromCharCode(Math.floor(r() * 0x3000))).join('');
    case 4: // wrong version
      return `${pick(['0', '2', '99', '', '1x', '-1', '1.1'])}.${code.slice(2)}`;
    case 5: {
      // a field replaced by a hostile value
      const key = pick([...Object.keys(wire), 'lab', 'step', 'sc', 'p', 'seed', 'iv', 't', 'd', 'm', 'k', 'th', '__proto__', 'zzz']);
      return rawLink({ ...wire, [key]: pick(HOSTILE_VALUES) });
    }
    case 6: {
      // an intervention damaged
      const iv = [...((wire['iv'] as unknown[] | undefined) ?? [[1, { verb: 'crash', node: 'ws-1' }]])];
      iv[Math.floor(r() * iv.length)] = pick([[pick(HOSTILE_VALUES), { verb: 'crash', node: 'ws-1' }], [5, { verb: pick(HOSTILE_VALUES), node: pick(HOSTILE_VALUES) }], pick(HOSTILE_VALUES)]);
      return rawLink({ ...wire, iv });
    }
    default: {
      // the patch damaged with a hostile value somewhere
      return rawLink({ ...wire, p: { [pick(['topology', 'workload', '__proto__', 'constructor', 'settleMs', 'durationMs', 'x'])]: pick(HOSTILE_VALUES) } });
    }
  }
}

describe('fuzz: thousands of damaged links', () => {
  it('never throws, always yields a valid state, and says something whenever it ignored a part', async () => {
    const r = rng(11);
    const code = await encodeLink(FULL);
    const wire = toWire(FULL) as Record<string, unknown>;
    let withMessages = 0;
    const N = 3_000;
    for (let i = 0; i < N; i++) {
      const text = mutate(code, wire, r);
      const { state, messages } = await decodeLink(text);
      expect(messages.every((m) => typeof m === 'string' && m.length > 0 && !/[\n\r]/.test(m))).toBe(true);
      expectValid(state);
      if (messages.length > 0) withMessages++;
    }
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    // Most mutations damage something; the few that do not (a flip in an unused bit) open cleanly.
    expect(withMessages).toBeGreaterThan(N * 0.8);
  });
});
