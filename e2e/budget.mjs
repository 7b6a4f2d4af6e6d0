// The initial-JavaScript budget of the built app: every script the page loads before anything is
// clicked (the entry and its modulepreloads), gzipped, must stay under BUDGET_KB, and none may carry
// Mermaid (it loads with the sequence diagram). Run alone with `node e2e/budget.mjs` after a build.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_KB = 250;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The scripts `dist/index.html` loads up front, with raw and gzip sizes in bytes. */
export function initialScripts(dist = path.join(root, 'dist')) {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const srcs = [...html.matchAll(/<script[^>]+src="([^"]+)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]);
  return [...new Set(srcs)].map((src) => {
    const body = readFileSync(path.join(dist, src.replace(/^\//, '')));
    return { src, raw: body.length, gzip: gzipSync(body, { level: 9 }).length, text: body.toString('utf8') };
  });
}

/** Checks the budget; returns a report line, throws when over budget or when Mermaid is eager. */
export function checkBudget(dist) {
  const scripts = initialScripts(dist);
  const gzip = scripts.reduce((sum, s) => sum + s.gzip, 0);
  const raw = scripts.reduce((sum, s) => sum + s.raw, 0);
  const line = `initial JS: ${scripts.length} file(s), ${(raw / 1024).toFixed(1)} kB raw, ${(gzip / 1024).toFixed(1)} kB gzip (budget ${BUDGET_KB} kB)`;
  // Mermaid's own error text, and its sequence diagram grammar's keyword, mark its code.
  const eager = scripts.filter((s) => s.text.includes('mermaid.initialize') || s.text.includes('Syntax error in text'));
  if (eager.length > 0) throw new Error(`${line}; Mermaid is in the initial bundle: ${eager.map((s) => s.src).join(', ')}`);
  if (gzip > BUDGET_KB * 1024) throw new Error(`${line}: over budget`);
  return line;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    console.log(`budget: ${checkBudget()}`);
  } catch (error) {
    console.error(`budget: ${error.message}`);
    process.exit(1);
  }
}
