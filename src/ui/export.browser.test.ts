import { expect, test } from 'vitest';
import { LIGHT_PALETTE, graphToSvg } from './diagrams/graphSvg.ts';
import { createWorkbench } from '../workbench/index.ts';
import { MAX_PNG_PIXELS, pngScale, svgElementToString, svgToPng } from './export.ts';

// Proves an on-screen SVG styled by CSS exports as a standalone document with the styles inlined
// (CSS variables resolved), and rasterises to a PNG at twice its size.
test('an SVG element exports as a styled document and a PNG', async () => {
  document.documentElement.style.setProperty('--probe', 'rgb(1, 2, 3)');
  const host = document.createElement('div');
  host.innerHTML = '<style>.mark { fill: var(--probe); }</style><svg viewBox="0 0 40 20" width="40" height="20"><circle class="mark" cx="10" cy="10" r="5"/></svg>';
  document.body.append(host);
  const svg = host.querySelector('svg') as SVGSVGElement;
  const text = svgElementToString(svg, { background: '#ffffff', title: 'probe' });
  host.remove();
  expect(text).toContain('fill: rgb(1, 2, 3)');
  expect(text).toContain('<title>probe</title>');
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  expect(doc.querySelector('parsererror')).toBeNull();
  const png = await svgToPng(text, { scale: 2 });
  expect(png.type).toBe('image/png');
  const bitmap = await createImageBitmap(png);
  expect([bitmap.width, bitmap.height]).toEqual([80, 40]);
});

// Proves the pub/sub export draws as an image too (no foreign objects that would taint a canvas).
test('the pub/sub SVG rasterises', async () => {
  const wb = createWorkbench();
  wb.open('group-chat', 42);
  const graph = wb.advance(3_000, { graph: true }).graph;
  expect(graph).not.toBeNull();
  const png = await svgToPng(graphToSvg(graph as NonNullable<typeof graph>, LIGHT_PALETTE, 'probe'));
  expect(png.size).toBeGreaterThan(10_000);
});

/** A plain SVG document of the given size with some drawing in it. */
function bigSvg(width: number, height: number): string {
  const rows = Array.from({ length: 40 }, (_, i) => `<text x="20" y="${(i + 1) * (height / 42)}" font-size="16">row ${i} of a long diagram</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="#fff"/>${rows}</svg>`;
}

// Proves issue item 6 by pixel counts, which set both the time to encode and the file size: a PNG
// export draws at the screen's pixel ratio (at least 1, at most 2), not at a fixed 2, and never
// makes a canvas larger than MAX_PNG_PIXELS, however large the diagram.
test('PNG exports draw at the pixel ratio, within a pixel budget', async () => {
  expect(pngScale(1000, 800, 1)).toBe(1);
  expect(pngScale(1000, 800, 1.5)).toBe(1.5);
  expect(pngScale(1000, 800, 3)).toBe(2);
  expect(pngScale(6000, 8000, 2) ** 2 * 6000 * 8000).toBeCloseTo(MAX_PNG_PIXELS, -3);

  // A group message's diagram is about 2,600 × 3,500 units.
  const scale = pngScale(2600, 3500);
  expect(scale).toBe(Math.min(2, Math.max(1, devicePixelRatio)));
  const usual = await createImageBitmap(await svgToPng(bigSvg(2600, 3500)));
  expect([usual.width, usual.height]).toEqual([Math.round(2600 * scale), Math.round(3500 * scale)]);
  expect(usual.width * usual.height).toBeLessThanOrEqual(MAX_PNG_PIXELS);

  // A whole run of every hop is far larger: it is scaled down to the budget, even when asked for 2×.
  const huge = await createImageBitmap(await svgToPng(bigSvg(3000, 11_000), { scale: 2 }));
  expect(huge.width * huge.height).toBeLessThanOrEqual(MAX_PNG_PIXELS);
  expect(huge.width * huge.height).toBeGreaterThan(MAX_PNG_PIXELS * 0.95);
});
