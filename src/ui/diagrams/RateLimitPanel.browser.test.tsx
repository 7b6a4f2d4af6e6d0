import { describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import { explainRateLimit, rateLimitStateDiagram, rateLimitTimeline } from '../../diagrams/index.ts';
import type { TraceEvent } from '../../sim/index.ts';
import { createWorkbench, type RateLimitView } from '../../workbench/index.ts';
import { MermaidView } from './MermaidView.tsx';
import { RateLimitPanel, type RateLimitPanelProps } from './RateLimitPanel.tsx';

/**
 * The sliding-window lab's bursty traffic (its BURSTY patch) under rate-limit-burst's limiter with
 * the algorithm patched, seed 42, played to `atMs`; u1's view.
 */
function algorithmRun(algorithm: string, atMs: number): RateLimitView {
  const wb = createWorkbench();
  wb.open('rate-limit-burst', 42, {}, {
    durationMs: 240_000,
    workload: { script: [], sendRatePerUserPerSec: 0.1, burstProbability: 0.5, burstSize: 4, burstGapMs: 400 },
    rateLimit: { limiter: { algorithm } },
  });
  wb.advance(atMs - wb.current().summary.nowMs);
  return wb.rateLimit('user:u1');
}

function props(view: RateLimitView, onJump = vi.fn()): RateLimitPanelProps {
  return {
    view,
    example: null,
    exampleAtMs: 0,
    onExampleAt: vi.fn(),
    exampleTimes: [],
    source: 'run',
    onSource: vi.fn(),
    keyName: 'user:u1',
    onKey: vi.fn(),
    fromFirst: true,
    onFromFirst: vi.fn(),
    onJump,
    fileStem: 'test-rate-limit',
    theme: 'light',
  };
}

/** The drawn state diagram's text, once Mermaid has drawn it. */
async function drawnStates(container: HTMLElement): Promise<string> {
  const svg = () => container.querySelector('[aria-label="Limiter state diagram"] [data-testid=mermaid] svg');
  await expect.poll(() => svg(), { timeout: 20_000 }).not.toBeNull();
  return svg()?.textContent ?? '';
}

describe('RateLimitPanel speaks the chosen algorithm', () => {
  // Proves a token bucket is explained in tokens (no window wording), its chart names the burst,
  // Mermaid draws its state diagram with the empty state now and the last request's transition,
  // and the previous/next buttons move the playhead to a request's decision, forward once the
  // playhead has been there.
  test('token bucket', async () => {
    const onJump = vi.fn();
    const view = algorithmRun('token-bucket', 46_000);
    const last = explainRateLimit(view.timeline, { originMs: view.firstDecisionMs ?? 0 }).last;
    expect(last?.allowed).toBe(false);
    const screen = await render(<RateLimitPanel {...props(view, onJump)} />);
    const text = screen.container.textContent ?? '';
    expect(text).toContain(last?.sentence ?? '?');
    expect(text).toMatch(/tokens were there: less than one token: denied/);
    expect(text).not.toMatch(/Window at T/);
    const chart = screen.container.querySelector('[data-testid=rate-limit-chart]');
    expect(chart?.getAttribute('aria-label')).toMatch(/token bucket at 5 per 60 s, burst 5/);
    expect(chart?.textContent).toContain('burst 5');
    expect(chart?.textContent).not.toMatch(/Window \(/);
    const drawn = await drawnStates(screen.container);
    expect(drawn).toContain('Empty (under 1 token) – now');
    expect(drawn).toContain(`▶ ${last?.label}`);
    expect(screen.container.querySelector('[aria-label="Limiter state diagram"] .error-text')).toBeNull();

    const marks = view.timeline.marks;
    const lastT = marks[marks.length - 1]?.t ?? 0;
    const prevT = marks[marks.length - 2]?.t ?? 0;
    // The playhead is past the last request: "previous" goes to that request's decision first.
    expect(view.timeline.atMs).toBeGreaterThan(lastT);
    const prev = screen.getByRole('button', { name: '◀ Previous request' });
    await prev.click();
    expect(onJump).toHaveBeenLastCalledWith(lastT + 1);
    const next = screen.getByRole('button', { name: 'Next request ▶' });
    await expect.element(next).toBeDisabled();
    // At that decision, "previous" is the request before it.
    await screen.rerender(<RateLimitPanel {...props(algorithmRun('token-bucket', lastT + 1), onJump)} />);
    await prev.click();
    expect(onJump).toHaveBeenLastCalledWith(prevT + 1);
    // Back at the earlier request, the one the playhead has passed is the next one.
    await screen.rerender(<RateLimitPanel {...props(algorithmRun('token-bucket', prevT + 1), onJump)} />);
    await expect.element(next).toBeEnabled();
    await next.click();
    expect(onJump).toHaveBeenLastCalledWith(lastT + 1);
  });

  // Proves every algorithm's state diagram from a real run is drawn by Mermaid without an error,
  // with the state at the playhead marked.
  test.each(['fixed-window', 'sliding-log', 'sliding-counter', 'leaky-bucket', 'leaky-queue', 'gcra'])('%s draws', async (algorithm) => {
    const view = algorithmRun(algorithm, 46_000);
    const screen = await render(<RateLimitPanel {...props(view)} />);
    const drawn = await drawnStates(screen.container);
    expect(drawn).toContain('– now');
    expect(drawn).toMatch(/▶ R\d+ at /);
    expect(screen.container.querySelector('[aria-label="Limiter state diagram"] .error-text')).toBeNull();
  });

  // Proves a key full of Mermaid and HTML metacharacters is drawn as text by Mermaid itself.
  test('a hostile key renders as text', async () => {
    const key = 'user:<b>x</b>"; classDef a fill:#f00; %%{init}%%';
    const events: TraceEvent[] = [0, 1000].map((t, i) => ({
      seq: i,
      at: t,
      node: 'gw',
      causeSeq: null,
      type: 'limiter/allowed',
      data: { key, placement: 'gateway', algorithm: 'token-bucket', count: i + 1, limit: 3, windowMs: 60_000, retryAfterMs: null, detail: { tokens: 2 - i, burst: 3 } },
    }));
    const d = rateLimitStateDiagram(rateLimitTimeline(events));
    const screen = await render(<MermaidView text={d?.text ?? ''} theme="light" fit label="states" />);
    await expect.poll(() => screen.container.querySelector('[data-testid=mermaid] svg'), { timeout: 20_000 }).not.toBeNull();
    expect(screen.container.querySelector('[data-testid=mermaid] svg b')).toBeNull();
    expect(screen.container.querySelector('[data-testid=mermaid]')?.textContent).toContain(`first request of ${key} (burst 3)`);
  });
});
