import { describe, expect, test } from 'vitest';
import { Limiter, runPreset } from '../sim/kernel.ts';
import { LIMITER_ALGORITHMS, type LimiterDecisionData, type TraceEvent } from '../sim/index.ts';
import { rateLimitTimeline, rateLimitTimelineFromDecisions, type RateLimitTimeline } from './rateLimit.ts';
import { EXPLAINED_ALGORITHMS, explainRateLimit, rateLimitStateDiagram, rateLimitTerms, type RateLimitStep } from './rateLimitStates.ts';

/**
 * The sliding-window lab's comparison traffic (its BURSTY patch: both users send bursts of four at
 * random for four minutes) under the rate-limit-burst preset's limiter, 5 per 60 s at the gateway,
 * with the algorithm patched: every algorithm on the same real traffic.
 */
const BURSTY = { durationMs: 240_000, workload: { script: [], sendRatePerUserPerSec: 0.1, burstProbability: 0.5, burstSize: 4, burstGapMs: 400 } };

const runs = new Map<string, readonly TraceEvent[]>();
function eventsOf(algorithm: string): readonly TraceEvent[] {
  let events = runs.get(algorithm);
  if (events === undefined) {
    events = runPreset('rate-limit-burst', 42, { ...BURSTY, rateLimit: { limiter: { algorithm } } }).events;
    runs.set(algorithm, events);
  }
  return events;
}

/** u1's decisions as the trace has them, and its timeline at the end. */
function u1(algorithm: string): { decisions: { at: number; allowed: boolean; data: LimiterDecisionData }[]; timeline: RateLimitTimeline } {
  const events = eventsOf(algorithm);
  const decisions = events.flatMap((e) => ((e.type === 'limiter/allowed' || e.type === 'limiter/rejected') && e.data.key === 'user:u1' ? [{ at: Math.floor(e.at), allowed: e.type === 'limiter/allowed', data: e.data }] : []));
  return { decisions, timeline: rateLimitTimeline(events, { key: 'user:u1' }) };
}

const close = (a: number | null | undefined, b: number): void => {
  expect(a).not.toBeNull();
  expect(a as number).toBeCloseTo(b, 9);
};

describe('explainRateLimit on real runs', () => {
  // Proves the module knows every algorithm the simulator has.
  test('every algorithm is explained', () => {
    expect([...EXPLAINED_ALGORITHMS].sort()).toEqual([...LIMITER_ALGORITHMS].sort());
  });

  // Proves, for each algorithm, that the trace's decisions are the limiter's (a fresh Limiter with
  // the same spec, fed u1's request times, decides the same), that the explanation has one step per
  // decision, and that each figure it quotes equals the limiter's record or follows from two of them.
  test.each(LIMITER_ALGORITHMS)('%s: the figures are the limiter’s decisions', (algorithm) => {
    const { decisions, timeline } = u1(algorithm);
    // The run exercises both outcomes (seed 42 of this traffic; checked for every algorithm).
    expect(decisions.some((d) => d.allowed)).toBe(true);
    expect(decisions.some((d) => !d.allowed)).toBe(true);
    const limiter = new Limiter({ algorithm, limit: 5, windowMs: 60_000 } as never, 1);
    for (const d of decisions) {
      const again = limiter.check(0, d.at);
      expect(again.allowed).toBe(d.allowed);
      expect(again.count).toBe(d.data.count);
      expect(again.detail).toEqual(d.data.detail);
    }
    const ex = explainRateLimit(timeline);
    expect(ex.algorithm).toBe(algorithm);
    expect(ex.steps).toHaveLength(decisions.length);
    const W = 60_000;
    const L = 5;
    ex.steps.forEach((s, i) => {
      const d = decisions[i]!;
      const prev = decisions[i - 1];
      expect([s.t, s.allowed, s.name]).toEqual([d.at, d.allowed, `R${i + 1}`]);
      expect(s.sentence).toContain(`R${i + 1} at `);
      expect(s.sentence).toContain(d.allowed ? 'allowed' : 'denied');
      const f = s.figures;
      const detail = d.data.detail;
      switch (algorithm) {
        case 'token-bucket': {
          expect(f['tokensAfter']).toBe(detail.tokens);
          expect(f['tokensBefore']).toBe((detail.tokens as number) + (d.allowed ? 1 : 0));
          expect(f['burst']).toBe(5);
          expect(d.allowed).toBe((f['tokensBefore'] as number) >= 1);
          if (prev !== undefined) {
            // Continuous refill: limit per window, capped at the burst.
            const expected = Math.min(5, (prev.data.detail.tokens as number) + ((d.at - prev.at) * L) / W) - (prev.data.detail.tokens as number);
            close(f['refilled'], expected);
          } else expect(f['refilled']).toBeNull();
          break;
        }
        case 'leaky-bucket': {
          expect(f['levelBefore']).toBe(d.data.count - 1);
          close(f['levelAfter'], 5 - (detail.tokens as number));
          expect(d.allowed).toBe(d.data.count <= 5);
          if (prev !== undefined) {
            const prevLevel = 5 - (prev.data.detail.tokens as number);
            close(f['drained'], Math.min(prevLevel, ((d.at - prev.at) * L) / W));
          }
          break;
        }
        case 'gcra': {
          expect(f['tatMs']).toBe(detail.tatMs);
          expect(f['ahead']).toBe(d.data.count);
          expect(f['intervalMs']).toBe(12_000);
          expect(d.allowed).toBe(d.data.count <= 5);
          if (d.allowed) close(((detail.tatMs as number) - d.at) / 12_000, d.data.count);
          break;
        }
        case 'leaky-queue': {
          expect(f['place']).toBe(d.data.count);
          expect(f['delayMs']).toBe(detail.delayMs);
          expect(f['queueMax']).toBe(5);
          expect(d.allowed).toBe(d.data.count <= 5);
          break;
        }
        case 'fixed-window': {
          const start = detail.windowStartMs as number;
          expect([f['windowStartMs'], f['windowEndMs']]).toEqual([start, start + W]);
          expect(d.at >= start && d.at < start + W).toBe(true);
          expect(f['countedBefore']).toBe(d.data.count - 1);
          // Recount: u1's allowed requests earlier in the same window.
          expect(f['countedBefore']).toBe(decisions.slice(0, i).filter((x) => x.allowed && x.at >= start).length);
          break;
        }
        case 'sliding-log': {
          // Recount: u1's allowed requests in [t − W, t] before this one (the inclusive boundary).
          const held = decisions.slice(0, i).filter((x) => x.allowed && x.at >= d.at - W).length;
          expect(f['inWindowBefore']).toBe(d.allowed ? held : 5);
          expect(d.allowed).toBe(held < 5);
          break;
        }
        case 'sliding-counter': {
          expect(f['compared']).toBe(d.data.count);
          // The default comparison counts the new request in: est + 1 against the limit.
          close((f['estimateBefore'] as number) + 1, d.data.count);
          close(f['previousShare'], (detail.previousCount as number) * (detail.previousWeight as number));
          break;
        }
      }
    });
  });

  // Proves the chart's wording follows the algorithm: no window for the buckets and the queue, and
  // the bound is what the limiter compared with.
  test('terms per algorithm', () => {
    expect(rateLimitTerms(u1('token-bucket').timeline)).toMatchObject({ boundName: 'burst', bound: 5, windowed: false, name: 'Token bucket' });
    expect(rateLimitTerms(u1('leaky-queue').timeline)).toMatchObject({ boundName: 'queue max', bound: 5, windowed: false, yTitle: 'place in queue' });
    expect(rateLimitTerms(u1('sliding-log').timeline)).toMatchObject({ boundName: 'limit', windowed: true });
    expect(rateLimitTerms(rateLimitTimeline([]))).toMatchObject({ yTitle: 'count', windowed: true });
  });

  // Proves the worked example still reads as the lab states it: R6 denied with five in the window.
  test('the worked example in sliding-log terms', () => {
    const tl = rateLimitTimelineFromDecisions([0, 15_000, 20_000, 35_000, 55_000, 60_000, 65_000], [true, true, true, true, true, false, true], { limit: 5, windowMs: 60_000, atMs: 60_000 });
    const ex = explainRateLimit(tl);
    expect(ex.last?.sentence).toBe('R6 at 60 s: the window [0 s, 60 s] held 5 logged requests, so this one makes 6 > 5: denied, and not logged; retry after 0 s.');
    expect(ex.steps.map((s) => s.after)).toEqual(['room', 'room', 'room', 'room', 'full', 'full']);
    expect(ex.last?.figures).toMatchObject({ inWindowBefore: 5, count: 6, limit: 5 });
  });
});

describe('rateLimitStateDiagram follows the run', () => {
  /** The step each prefix of the run ends with, as the diagram at that request's time shows it. */
  function walk(algorithm: string): { step: RateLimitStep; diagram: NonNullable<ReturnType<typeof rateLimitStateDiagram>> }[] {
    const events = eventsOf(algorithm);
    const { timeline } = u1(algorithm);
    const times = [...new Set(timeline.marks.map((m) => m.t))];
    return times.map((t) => {
      const tl = rateLimitTimeline(events, { key: 'user:u1', atMs: t });
      const diagram = rateLimitStateDiagram(tl, { originMs: timeline.marks[0]!.t });
      expect(diagram).not.toBeNull();
      return { step: explainRateLimit(tl).last!, diagram: diagram! };
    });
  }

  // Proves, request by request, that the state at the playhead is the one the last request left,
  // that the highlighted transition is that request's (its number in the label, ▶ only there), that
  // the flow is continuous (each request starts where the previous left, or where time moved it),
  // and that the diagram is valid Mermaid.
  test.each(LIMITER_ALGORITHMS)('%s: the highlighted state and transition follow the requests', (algorithm) => {
    const steps = walk(algorithm);
    expect(steps.length).toBeGreaterThan(5);
    let prevAfter: string | null = null;
    for (const { step, diagram } of steps) {
      expect(diagram.current).toBe(step.after);
      expect(diagram.last?.name).toBe(step.name);
      const taken = diagram.transitions.filter((t) => t.taken);
      expect(taken.some((t) => t.from === step.before && t.to === step.after && t.label.startsWith(`▶ ${step.name} at `))).toBe(true);
      expect(diagram.transitions.filter((t) => t.label.includes('▶')).length).toBe(taken.length);
      expect(diagram.text).toContain(`class s_${step.after} now`);
      if (prevAfter !== null) {
        if (step.between === null) expect(step.before).toBe(prevAfter);
        else expect([step.between.from, step.between.to]).toEqual([prevAfter, step.before]);
      }
      prevAfter = step.after;
    }
    // Both a take and a denial appear along the way.
    expect(steps.some(({ step }) => step.allowed)).toBe(true);
    expect(steps.some(({ step }) => !step.allowed)).toBe(true);
    // Mermaid parses state diagrams only with a DOM (DOMPurify), so the stories render this text
    // through MermaidView; here its shape: one declaration per state, one line per transition.
    const last = steps[steps.length - 1]!.diagram;
    const lines = last.text.split('\n');
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines.filter((l) => /^ {4}state "[^"\n]*" as s_\w+$/.test(l))).toHaveLength(last.states.length);
    expect(lines.filter((l) => /^ {4}s_\w+ --> s_\w+ : [^\n]+$/.test(l))).toHaveLength(last.transitions.length);
  });

  // Proves a token bucket's run walks the expected flow: full at the start, tokens taken, empty, a
  // denial in the empty state with fewer than one token, and refills out of it.
  test('token bucket: take, empty, deny, refill', () => {
    const steps = walk('token-bucket').map((s) => s.step);
    expect(steps[0]).toMatchObject({ before: 'full', after: 'some', decision: { action: 'take a token' } });
    const denied = steps.find((s) => !s.allowed)!;
    expect(denied).toMatchObject({ before: 'empty', after: 'empty', decision: { action: 'deny' } });
    expect(denied.figures['tokensBefore']).toBeLessThan(1);
    expect(steps.some((s) => s.between?.action === 'refill' && s.between.from === 'empty')).toBe(true);
    expect(steps.some((s) => s.decision.action === 'take the last token')).toBe(true);
  });

  // Proves text from the run is escaped: a key full of Mermaid and HTML metacharacters parses and
  // reads back as text, with no raw markup in the source.
  test('a hostile key is escaped', () => {
    const key = 'user:<b>x</b>"; classDef a fill:#f00; %%{init}%%';
    const events: TraceEvent[] = [0, 1000, 2000].map((t, i) => ({
      seq: i,
      at: t,
      node: 'gw',
      causeSeq: null,
      type: 'limiter/allowed',
      data: { key, placement: 'gateway', algorithm: 'token-bucket', count: i + 1, limit: 3, windowMs: 60_000, retryAfterMs: null, detail: { tokens: 2 - i, burst: 3 } },
    }));
    const d = rateLimitStateDiagram(rateLimitTimeline(events))!;
    expect(d.text).not.toContain('<b>');
    expect(d.text).not.toContain('%%{');
    // Only the builder's own two classDef statements start a line; the key's text is inside labels.
    expect(d.text.split('\n').filter((l) => l.startsWith('    classDef')).length).toBe(2);
    expect(d.text).toContain('user#58;#lt;b#gt;x#lt;/b#gt;#quot;#59; classDef a fill#58;#35;f00#59; #37;#37;{init}#37;#37;');
    expect(d.current).toBe('empty');
  });

  // Proves an unknown algorithm gives no diagram, and an empty timeline nothing to explain.
  test('unknown algorithm, no decisions', () => {
    expect(rateLimitStateDiagram(rateLimitTimeline([]))).toBeNull();
    expect(explainRateLimit(rateLimitTimeline([]))).toMatchObject({ steps: [], last: null, summary: null });
  });
});
