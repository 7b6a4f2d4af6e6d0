/**
 * Saving what is on screen: text files (Mermaid source), standalone SVG (styles inlined, so the
 * file looks the same outside the app) and PNG (the SVG drawn on a canvas). Browser-only.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Presentation properties copied from computed styles into an exported SVG. */
const INLINED = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'visibility',
] as const;

/** Starts a download of `blob` as `filename`. */
export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: Chromium starts the download asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Starts a download of text. */
export function downloadText(filename: string, text: string, type = 'text/plain'): void {
  downloadBlob(filename, new Blob([text], { type: `${type};charset=utf-8` }));
}

/** Copies text to the clipboard; resolves false when the browser refuses. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Fallback for pages without clipboard permission: a selected textarea and execCommand.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

/** The drawing size of an SVG: its viewBox, else its attributes, else its layout box. */
export function svgSize(svg: SVGSVGElement): { width: number; height: number } {
  const vb = svg.viewBox?.baseVal;
  if (vb !== undefined && vb !== null && vb.width > 0 && vb.height > 0) return { width: vb.width, height: vb.height };
  const w = Number.parseFloat(svg.getAttribute('width') ?? '');
  const h = Number.parseFloat(svg.getAttribute('height') ?? '');
  if (w > 0 && h > 0) return { width: w, height: h };
  const box = svg.getBoundingClientRect();
  return { width: Math.max(1, box.width), height: Math.max(1, box.height) };
}

export interface SvgExportOptions {
  /** Copy computed styles into attributes (for SVG styled by the page's CSS). Default true. */
  readonly inlineStyles?: boolean;
  /** A background colour painted behind the drawing; none when omitted. */
  readonly background?: string;
  /** A title written into the file. */
  readonly title?: string;
}

/**
 * A standalone SVG document of an on-screen SVG element: namespace, explicit size, computed
 * styles inlined (CSS variables resolved), optional background.
 */
export function svgElementToString(svg: SVGSVGElement, options: SvgExportOptions = {}): string {
  const { width, height } = svgSize(svg);
  const clone = svg.cloneNode(true) as SVGSVGElement;
  if (options.inlineStyles !== false) {
    const source = [svg, ...svg.querySelectorAll('*')];
    const target = [clone, ...clone.querySelectorAll('*')];
    source.forEach((el, i) => {
      const out = target[i];
      if (out === undefined || !(el instanceof SVGElement)) return;
      const cs = getComputedStyle(el);
      for (const prop of INLINED) {
        const value = cs.getPropertyValue(prop);
        if (value !== '') (out as SVGElement).style.setProperty(prop, value);
      }
    });
  }
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(Math.ceil(width)));
  clone.setAttribute('height', String(Math.ceil(height)));
  if (!clone.hasAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  clone.style.removeProperty('max-width');
  clone.removeAttribute('class');
  if (options.title !== undefined) {
    const title = document.createElementNS(SVG_NS, 'title');
    title.textContent = options.title;
    clone.prepend(title);
  }
  if (options.background !== undefined) {
    const vb = clone.viewBox.baseVal;
    const rect = document.createElementNS(SVG_NS, 'rect');
    rect.setAttribute('x', String(vb.x));
    rect.setAttribute('y', String(vb.y));
    rect.setAttribute('width', String(vb.width));
    rect.setAttribute('height', String(vb.height));
    rect.setAttribute('fill', options.background);
    clone.insertBefore(rect, clone.firstChild?.nodeName === 'title' ? clone.firstChild.nextSibling : clone.firstChild);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

/** Width and height an SVG document string declares. */
function declaredSize(svgText: string): { width: number; height: number } {
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = doc.documentElement as unknown as SVGSVGElement;
  const w = Number.parseFloat(root.getAttribute('width') ?? '');
  const h = Number.parseFloat(root.getAttribute('height') ?? '');
  if (w > 0 && h > 0) return { width: w, height: h };
  const vb = (root.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  return { width: vb[2] ?? 800, height: vb[3] ?? 600 };
}

/**
 * Pixels a PNG export holds at most. A sequence diagram of a group message is about 2,600 × 3,500
 * units; drawn at twice that, it made a 36-megapixel canvas that took seconds to encode into a
 * file of megabytes. Sixteen megapixels keep any diagram sharp on a slide and quick to save.
 */
export const MAX_PNG_PIXELS = 16_000_000;

/**
 * The scale a PNG export draws at: the screen's device pixel ratio (so the file is as sharp as
 * the diagram looked), at least 1 and at most 2, then lowered if the canvas would exceed
 * {@link MAX_PNG_PIXELS}.
 *
 * @example
 * pngScale(1000, 800, 3); // 2
 * pngScale(6000, 8000, 1); // 0.577…
 */
export function pngScale(width: number, height: number, deviceRatio = globalThis.devicePixelRatio ?? 1): number {
  const wanted = Math.min(2, Math.max(1, Number.isFinite(deviceRatio) ? deviceRatio : 1));
  return Math.min(wanted, Math.sqrt(MAX_PNG_PIXELS / Math.max(1, width * height)));
}

/**
 * Rasterises an SVG document to a PNG blob at `scale` (default {@link pngScale}; an explicit scale
 * is still held to {@link MAX_PNG_PIXELS}). The SVG is handed to the image decoder as a blob URL,
 * not a percent-encoded data URL, which for a large diagram costs a second copy of the text.
 */
export async function svgToPng(svgText: string, options: { scale?: number; background?: string } = {}): Promise<Blob> {
  const { width, height } = declaredSize(svgText);
  const cap = Math.sqrt(MAX_PNG_PIXELS / Math.max(1, width * height));
  const scale = Math.min(options.scale ?? pngScale(width, height), cap);
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  const image = new Image();
  try {
    const loaded = new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the SVG could not be drawn as an image'));
    });
    image.src = url;
    await loaded;
  } finally {
    URL.revokeObjectURL(url);
  }
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('no 2D canvas');
  if (options.background !== undefined) {
    ctx.fillStyle = options.background;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  }
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob === null ? reject(new Error('PNG encoding failed')) : resolve(blob)), 'image/png'));
}

/** The page's panel background colour, for exports that match the theme. */
export function themeBackground(): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue('--surface').trim();
  return value === '' ? '#ffffff' : value;
}

/** A file-name-safe stem: `group-chat-seed42-t12.345s`. */
export function fileStem(scenario: string, seed: number, nowMs: number, what: string): string {
  return `${scenario}-seed${seed}-t${(nowMs / 1000).toFixed(3)}s-${what}`.replace(/[^\w.-]+/g, '_');
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote, or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A JSON value as flat CSV, two columns `field,value`, one row per scalar (number, string, boolean,
 * null) in the JSON's own key order. `field` is the path to the scalar, its keys joined by dots
 * and array positions written as numbers from 0 (`counts.sent`, `latencyMs.p99`,
 * `nodes.ws-1.cpuUtilisation`, `violations.0.message`); `value` is the number as JSON writes it,
 * the string as is, `true`/`false`, or empty for null. An empty object or array has no rows.
 * Line ends are CRLF, as RFC 4180 says. This is the report's CSV layout (the report panel's
 * "Download CSV"); it holds every figure of the JSON report, so a spreadsheet can filter it by
 * the prefix of `field`.
 *
 * @example
 * flatCsv({ counts: { sent: 3 }, latencyMs: null, violations: [{ message: 'u2 saw m5, then m4' }] });
 * // 'field,value\r\ncounts.sent,3\r\nlatencyMs,\r\nviolations.0.message,"u2 saw m5, then m4"\r\n'
 */
export function flatCsv(value: unknown): string {
  const rows: string[] = ['field,value'];
  const walk = (v: unknown, path: string): void => {
    if (v === null || v === undefined) {
      if (v === null) rows.push(`${csvField(path)},`);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, path === '' ? String(i) : `${path}.${i}`));
      return;
    }
    if (typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) walk(item, path === '' ? key : `${path}.${key}`);
      return;
    }
    const text = typeof v === 'string' ? v : typeof v === 'number' ? JSON.stringify(v) : String(v);
    rows.push(`${csvField(path)},${csvField(text)}`);
  };
  walk(value, '');
  return rows.join('\r\n') + '\r\n';
}
