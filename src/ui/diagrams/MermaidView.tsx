import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';

export interface MermaidViewProps {
  /**
   * Mermaid source (from the diagram builders, whose printer escapes every user text), with long
   * labels already broken into `<br>` lines by `wrapMermaidLabels`: Mermaid runs with `wrap: false`
   * here, because its own wrapping splits entity codes (see src/diagrams/mermaid/print.ts).
   */
  readonly text: string;
  readonly theme: 'light' | 'dark';
  /** Shrink to the container's width (true) or draw at natural size and scroll. */
  readonly fit: boolean;
  /** Names the picture for screen readers. */
  readonly label: string;
  /**
   * Loads Mermaid. The default imports it on first use, so it is never in the first bundle and
   * loads only once a diagram needs drawing; stories pass their own to hold the loading state.
   */
  readonly load?: MermaidLoader;
}

/** What the parent can take from the rendered diagram, for export. */
export interface MermaidHandle {
  /** The rendered SVG markup, or null before the first render. */
  svg(): string | null;
  /**
   * The whole rendered diagram as a detached SVG element (participants included: on screen they
   * are drawn apart, in the sticky header), or null before the first render.
   */
  element(): SVGSVGElement | null;
}

/** The slice of Mermaid's API this view uses. */
export interface MermaidApi {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

export type MermaidLoader = () => Promise<MermaidApi>;

let shared: Promise<MermaidApi> | null = null;

/** Mermaid, imported once per page on first use (a chunk of its own, about 600 kB gzip with its diagrams). */
export const loadMermaid: MermaidLoader = () => {
  shared ??= import('mermaid').then((m) => m.default as unknown as MermaidApi);
  return shared;
};

let counter = 0;

/** Gap kept below the participants' boxes in the sticky header, in diagram units. */
const HEAD_PAD = 6;

/**
 * Splits a rendered sequence diagram in two pictures of the same width: a header with only the
 * participants' boxes, which stays in view while the diagram scrolls (CSS `position: sticky`), and
 * the body below them. Both keep the diagram's viewBox x and width, so they scale alike in every
 * layout; the body's viewBox starts where the boxes end, so nothing is drawn twice.
 */
function splitHeader(host: HTMLElement, head: HTMLElement, id: string): void {
  head.replaceChildren();
  const svg = host.querySelector('svg');
  const vb = svg?.viewBox.baseVal;
  if (svg === null || svg === undefined || vb === undefined || vb.width <= 0) return;
  const boxes = [...svg.querySelectorAll<SVGRectElement>('rect.actor-top')];
  if (boxes.length === 0) return;
  const bottom = Math.max(...boxes.map((r) => r.y.baseVal.value + r.height.baseVal.value)) + HEAD_PAD;
  if (bottom <= vb.y || bottom >= vb.y + vb.height) return;

  const clone = svg.cloneNode(true) as SVGSVGElement;
  // Only the style sheet and the participants' groups stay; the lifelines start below the header.
  // A copy of the live child list, because removing a child while walking it would skip the next.
  for (const child of Array.from(clone.children)) {
    if (child.tagName.toLowerCase() === 'style') continue;
    if (child.querySelector('[data-et="participant"]') === null) child.remove();
    else child.querySelectorAll('.actor-line').forEach((line) => line.remove());
  }
  // Mermaid scopes its style sheet to the diagram's id: the copy gets an id of its own, and its
  // style sheet follows, so the page never holds two elements with one id.
  const headId = `${id}-head`;
  clone.id = headId;
  const style = clone.querySelector('style');
  if (style !== null) style.textContent = (style.textContent ?? '').replaceAll(`#${id}`, `#${headId}`);
  clone.setAttribute('viewBox', `${vb.x} ${vb.y} ${vb.width} ${bottom - vb.y}`);
  clone.setAttribute('aria-hidden', 'true');
  clone.removeAttribute('role');
  clone.removeAttribute('aria-roledescription');
  head.append(clone);
  svg.setAttribute('viewBox', `${vb.x} ${bottom} ${vb.width} ${vb.y + vb.height - bottom}`);
}

/**
 * Sizes the header and body pictures: fit means the whole width within the pane (never larger
 * than natural size, never a minimum that would make it overflow); otherwise natural size, and
 * the pane scrolls.
 */
function sizeSvgs(fit: boolean, ...hosts: (HTMLElement | null)[]): void {
  for (const host of hosts) {
    const svg = host?.querySelector('svg');
    if (svg === null || svg === undefined) continue;
    const natural = svg.dataset['naturalWidth'] ?? svg.style.maxWidth;
    svg.dataset['naturalWidth'] = natural;
    svg.style.width = fit || natural === '' ? '100%' : natural;
    svg.style.maxWidth = fit ? natural : 'none';
    svg.style.minWidth = '';
  }
}

/**
 * Renders Mermaid text to SVG, with the participants' names in a header that stays in view while
 * the diagram scrolls. Mermaid is loaded on first use (see `load`); until it is there, the
 * diagram's source is shown as text. Renders only when the text or theme changes, and drops a
 * render that a newer one overtook.
 */
export const MermaidView = forwardRef<MermaidHandle, MermaidViewProps>(function MermaidView({ text, theme, fit, label, load = loadMermaid }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const lastSvg = useRef<string | null>(null);
  const [mermaid, setMermaid] = useState<MermaidApi | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rendering, setRendering] = useState(false);
  const fitRef = useRef(fit);
  fitRef.current = fit;

  useEffect(() => {
    let current = true;
    load()
      .then((api) => {
        if (current) setMermaid(api);
      })
      .catch((cause: unknown) => {
        if (current) setError(`Mermaid could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}`);
      });
    return () => {
      current = false;
    };
  }, [load]);

  useEffect(() => {
    sizeSvgs(fit, head.current, host.current);
  }, [fit]);

  useImperativeHandle(ref, () => ({
    svg: () => lastSvg.current,
    element: () => {
      if (lastSvg.current === null) return null;
      const root = new DOMParser().parseFromString(lastSvg.current, 'image/svg+xml').documentElement;
      return root instanceof SVGSVGElement ? root : null;
    },
  }));

  useEffect(() => {
    if (mermaid === null) return;
    let current = true;
    const id = `seq-${++counter}`;
    setRendering(true);
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: theme === 'dark' ? 'dark' : 'default',
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      sequence: {
        useMaxWidth: true,
        mirrorActors: false,
        width: 130,
        height: 44,
        actorMargin: 36,
        boxMargin: 6,
        noteMargin: 6,
        messageMargin: 26,
        messageFontSize: 13,
        noteFontSize: 12,
        actorFontSize: 13,
        // The text comes wrapped (see `text`): Mermaid's own wrapping would split entity codes.
        wrap: false,
      },
    });
    mermaid
      .render(id, text)
      .then(({ svg }) => {
        if (!current || host.current === null || head.current === null) return;
        host.current.innerHTML = svg;
        lastSvg.current = svg;
        splitHeader(host.current, head.current, id);
        sizeSvgs(fitRef.current, head.current, host.current);
        setError(null);
      })
      .catch((cause: unknown) => {
        if (current) setError(cause instanceof Error ? cause.message : String(cause));
        // Mermaid leaves its scratch element behind when a render fails.
        document.getElementById(`d${id}`)?.remove();
      })
      .finally(() => {
        if (current) setRendering(false);
      });
    return () => {
      current = false;
    };
  }, [mermaid, text, theme]);

  return (
    <div className={`mermaid-view${fit ? ' is-fit' : ''}${rendering ? ' is-rendering' : ''}`}>
      {error === null ? null : (
        <p className="error-text" role="alert">
          Mermaid could not draw this diagram: {error}
        </p>
      )}
      {mermaid === null && error === null ? (
        <div className="mermaid-fallback" role="status" data-testid="mermaid-fallback">
          <p className="hint">Loading the diagram renderer; meanwhile, this is the diagram’s Mermaid source.</p>
          <pre className="mono">{text}</pre>
        </div>
      ) : null}
      <div ref={head} className="mermaid-head" data-testid="mermaid-head" />
      <div ref={host} className="mermaid-host" role="img" aria-label={label} data-testid="mermaid" />
    </div>
  );
});

export default MermaidView;
