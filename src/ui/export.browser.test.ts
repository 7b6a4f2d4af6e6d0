import { expect, test } from 'vitest';
import { LIGHT_PALETTE, graphToSvg } from './diagrams/graphSvg.ts';
import { createWorkbench } from '../workbench/index.ts';
import { svgElementToString, svgToPng } from './export.ts';

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
