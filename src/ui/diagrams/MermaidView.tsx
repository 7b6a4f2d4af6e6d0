import mermaid from 'mermaid';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';

export interface MermaidViewProps {
  /** Mermaid source (from the diagram builders, whose printer escapes every user text). */
  readonly text: string;
  readonly theme: 'light' | 'dark';
  /** Shrink to the container's width (true) or draw at natural size and scroll. */
  readonly fit: boolean;
  /** Names the picture for screen readers. */
  readonly label: string;
}

/** What the parent can take from the rendered diagram, for export. */
export interface MermaidHandle {
  /** The rendered SVG markup, or null before the first render. */
  svg(): string | null;
  element(): SVGSVGElement | null;
}

let counter = 0;

/** Fit to the container's width, or draw at the natural width Mermaid put in `max-width`. */
function sizeSvg(host: HTMLElement, fit: boolean): void {
  const svg = host.querySelector('svg');
  if (svg === null) return;
  const natural = svg.dataset['naturalWidth'] ?? svg.style.maxWidth;
  svg.dataset['naturalWidth'] = natural;
  svg.style.width = fit || natural === '' ? '100%' : natural;
  svg.style.maxWidth = fit ? natural : 'none';
  // Fitting never shrinks text below three quarters of its size: wider diagrams scroll instead.
  const px = Number.parseFloat(natural);
  svg.style.minWidth = fit && px > 0 ? `${Math.round(px * MIN_FIT_SCALE)}px` : '';
}

/** The smallest scale "fit width" uses. */
export const MIN_FIT_SCALE = 0.75;

/**
 * Renders Mermaid text to SVG. Mermaid is imported here, and this module is only reached through a
 * lazy import, so it is never in the first bundle. Renders only when the text or theme changes,
 * and drops a render that a newer one overtook.
 */
export const MermaidView = forwardRef<MermaidHandle, MermaidViewProps>(function MermaidView({ text, theme, fit, label }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const lastSvg = useRef<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rendering, setRendering] = useState(false);
  const fitRef = useRef(fit);
  fitRef.current = fit;

  useEffect(() => {
    if (host.current !== null) sizeSvg(host.current, fit);
  }, [fit]);

  useImperativeHandle(ref, () => ({
    svg: () => lastSvg.current,
    element: () => host.current?.querySelector('svg') ?? null,
  }));

  useEffect(() => {
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
        wrap: true,
      },
    });
    mermaid
      .render(id, text)
      .then(({ svg }) => {
        if (!current || host.current === null) return;
        host.current.innerHTML = svg;
        lastSvg.current = svg;
        sizeSvg(host.current, fitRef.current);
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
  }, [text, theme]);

  return (
    <div className={`mermaid-view${fit ? ' is-fit' : ''}${rendering ? ' is-rendering' : ''}`}>
      {error === null ? null : (
        <p className="error-text" role="alert">
          Mermaid could not draw this diagram: {error}
        </p>
      )}
      <div ref={host} className="mermaid-host" role="img" aria-label={label} data-testid="mermaid" />
    </div>
  );
});

export default MermaidView;
