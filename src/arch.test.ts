/**
 * Architecture rules as a test. The linter (.oxlintrc.json) enforces the same rules in the editor,
 * but a lint config can be loosened by accident; this test reads the source itself, so breaking a
 * layer boundary or using wall-clock time in the kernel fails `npm test` with the file and line.
 *
 * The rules:
 * 1. Layers import only downward: ui → workbench → labs → diagrams → sim (and the CLI, beside
 *    the UI, → sim).
 * 2. Another layer is imported only through its public entry, `<layer>/index.ts`; tests may also
 *    use the kernel's entry for internals, `sim/kernel.ts`. Benchmarks, scripts and stories obey
 *    the same rule from outside src/ (stories may open the UI's own modules, which they show).
 * 3. Below ui, no layer imports a UI, DOM, RPC or rendering library (React, React Flow, Comlink,
 *    Mermaid, XState) or touches a DOM global; the simulation and the workbench leave d3 to the
 *    layers that draw.
 * 4. src/sim and src/workbench (outside their tests) use no wall-clock time, timers or unseeded
 *    randomness, because the same scenario and seed must always give the same trace and answers.
 * 5. Inside src/sim, folders import only downward too: contract (a leaf) ← core ← net ← engine ←
 *    checkers ← limiter ← metrics ← nodes ← demo ← testing ← scenario ← cluster ← the entries.
 * 6. Every lab folder (`src/labs/<id>/`, besides the framework) is whole: a manifest, its
 *    narration, its scenario patches, its controls, its goals and its `lab.test.ts`.
 *
 * The checks work on text with comments and string literals blanked out, so a comment saying
 * "never call Date.now()" is not a violation. They are regexes, not a parser: good enough for
 * these rules, and the self-tests at the bottom prove each one fires.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const SRC = path.dirname(fileURLToPath(import.meta.url));

/** The layers, each allowed to import itself and the layers listed after it. */
const LAYER_IMPORTS: Record<string, readonly string[]> = {
  ui: ['ui', 'workbench', 'labs', 'diagrams', 'sim'],
  cli: ['cli', 'sim'],
  workbench: ['workbench', 'labs', 'diagrams', 'sim'],
  labs: ['labs', 'diagrams', 'sim'],
  diagrams: ['diagrams', 'sim'],
  sim: ['sim'],
};

/** Folders of src/sim from the bottom up: each may import only itself and the ones before it. */
const SIM_ORDER: readonly string[] = ['contract', 'core', 'net', 'engine', 'checkers', 'limiter', 'metrics', 'nodes', 'demo', 'testing', 'scenario', 'cluster'];

/** Package names a layer may not import; a name also bans its subpaths (`react-dom/client`). */
const UI_PACKAGES: readonly RegExp[] = [
  /^react(\/|$)/,
  /^react-dom(\/|$)/,
  /^@xyflow\//,
  /^comlink(\/|$)/,
  /^mermaid(\/|$)/,
  /^xstate(\/|$)/,
  /^@xstate\//,
];
const D3 = /^d3(-[\w-]+)?(\/|$)/;
const BANNED_PACKAGES: Record<string, readonly RegExp[]> = {
  // The kernel and the session also leave d3 to the layers that draw.
  sim: [...UI_PACKAGES, D3],
  workbench: [...UI_PACKAGES, D3],
  labs: UI_PACKAGES,
  diagrams: UI_PACKAGES,
};

const DOM_GLOBALS = ['document', 'window', 'HTMLElement'] as const;

const NONDETERMINISTIC_GLOBALS = [
  'Date',
  'performance',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'requestAnimationFrame',
] as const;

/** Globals each layer may not mention outside its tests. */
const BANNED_GLOBALS: Record<string, readonly string[]> = {
  sim: [...NONDETERMINISTIC_GLOBALS, ...DOM_GLOBALS],
  workbench: [...NONDETERMINISTIC_GLOBALS, ...DOM_GLOBALS],
  labs: [...DOM_GLOBALS],
  diagrams: [...DOM_GLOBALS],
};

/** Layers in which `Math.random` is banned outside tests. */
const NO_MATH_RANDOM = new Set(['sim', 'workbench']);

interface Violation {
  file: string;
  line: number;
  message: string;
}

/** True for a test file, which may use timers and wall-clock time to run the kernel. */
function isTestFile(file: string): boolean {
  // Test files, and helpers only tests import (`*.test-helper.ts`, which Vitest does not run).
  return /\.test(-helper)?\.tsx?$/.test(file);
}

/** Lists every .ts/.tsx file under `dir`, as paths relative to `root`, in sorted order. */
function listSourceFiles(dir: string, root: string = dir, scripts = false): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'artifacts' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSourceFiles(full, root, scripts));
    else if ((scripts ? /\.(tsx?|m?js)$/ : /\.tsx?$/).test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  }
  return out.sort();
}

/**
 * Blanks comments (and, unless `keepStrings`, the contents of string and template literals) with
 * spaces, keeping newlines so line numbers still match. Template `${...}` expressions stay, since
 * they are code. Regex literals are skipped whole so a quote inside one does not start a string.
 */
function stripCommentsAndStrings(source: string, keepStrings = false): string {
  let out = '';
  let i = 0;
  // A stack of brace depths, one per open template expression, so `}` can end `${ ... }`.
  const templateDepths: number[] = [];
  let braceDepth = 0;
  const blank = (text: string): string => text.replace(/[^\n]/g, ' ');
  const prevSignificant = (): string => {
    for (let j = out.length - 1; j >= 0; j--) {
      const ch = out[j] ?? '';
      if (!/\s/.test(ch)) return ch;
    }
    return '';
  };

  const readTemplateText = (): void => {
    // We are just past a backtick or a closing `}` of an expression: copy until `${` or the end.
    const start = i;
    while (i < source.length) {
      const ch = source[i];
      if (ch === '\\') {
        i += 2;
        continue;
      }
      if (ch === '`') {
        out += keepStrings ? source.slice(start, i) : blank(source.slice(start, i));
        out += '`';
        i++;
        return;
      }
      if (ch === '$' && source[i + 1] === '{') {
        out += keepStrings ? source.slice(start, i) : blank(source.slice(start, i));
        out += '${';
        i += 2;
        templateDepths.push(braceDepth);
        braceDepth++;
        return;
      }
      i++;
    }
    out += keepStrings ? source.slice(start) : blank(source.slice(start));
  };

  while (i < source.length) {
    const ch = source[i] ?? '';
    const next = source[i + 1] ?? '';
    if (ch === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      out += blank(source.slice(i, stop));
      i = stop;
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += blank(source.slice(i, stop));
      i = stop;
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== ch && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      const body = source.slice(i + 1, j);
      out += ch + (keepStrings ? body : blank(body)) + (source[j] === ch ? ch : '');
      i = source[j] === ch ? j + 1 : j;
    } else if (ch === '`') {
      out += '`';
      i++;
      readTemplateText();
    } else if (ch === '/' && /^$|[(,=:[!&|?{};+\-*%<>~^]/.test(prevSignificant())) {
      // A regex literal: skip to the closing slash, honouring escapes and character classes.
      let j = i + 1;
      let inClass = false;
      while (j < source.length && source[j] !== '\n') {
        const c = source[j];
        if (c === '\\') j++;
        else if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
        j++;
      }
      out += '/' + blank(source.slice(i + 1, j)) + '/';
      i = j + 1;
    } else if (ch === '{') {
      braceDepth++;
      out += ch;
      i++;
    } else if (ch === '}') {
      braceDepth--;
      out += ch;
      i++;
      if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === braceDepth) {
        templateDepths.pop();
        readTemplateText();
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

interface ImportRef {
  specifier: string;
  line: number;
}

/** Finds `import ... from`, side-effect `import '...'`, `export ... from` and `import('...')`. */
function findImports(source: string): ImportRef[] {
  const code = stripCommentsAndStrings(source, true);
  const refs: ImportRef[] = [];
  const lineAt = (index: number): number => code.slice(0, index).split('\n').length;
  const patterns = [
    /(?<![\w$.])(?:import|export)\s+(?:type\s+)?(?:[\w$*{}\s,]+?\s+from\s*)?(['"])([^'"\n]+)\1/g,
    /(?<![\w$.])import\s*\(\s*(['"])([^'"\n]+)\1\s*[,)]/g,
  ];
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) {
      refs.push({ specifier: match[2] ?? '', line: lineAt(match.index) });
    }
  }
  return refs.sort((a, b) => a.line - b.line);
}

/** The layer of a path relative to src/ (`sim/core/queue.ts` → `sim`), or null for top-level files. */
function layerOf(relativePath: string): string | null {
  const parts = relativePath.split('/');
  return parts.length > 1 ? (parts[0] ?? null) : null;
}

/** The public entry of each layer; tests may also use the kernel's entry. */
const ENTRY = 'index.ts';
const TEST_ENTRIES: Readonly<Record<string, readonly string[]>> = { sim: ['index.ts', 'kernel.ts'] };

/** The folder of src/sim a path is in (`core` for `sim/core/queue.ts`), or `entry` for a file at its top. */
function simFolderOf(relativePath: string): string {
  const parts = relativePath.split('/');
  return parts.length > 2 ? (parts[1] ?? 'entry') : 'entry';
}

/** Why a layer's file may not import a file of another layer this way, or null when it may. */
function entryProblem(importer: string, target: string, targetLayer: string): string | null {
  const rest = target.slice(targetLayer.length + 1);
  const entries = isTestFile(importer) ? (TEST_ENTRIES[targetLayer] ?? [ENTRY]) : [ENTRY];
  return entries.includes(rest) ? null : `${targetLayer} is imported through ${entries.map((e) => `${targetLayer}/${e}`).join(' or ')}, not '${rest}'`;
}

/** Why a file of src/sim may not import another of its folders, or null when it may. */
function simOrderProblem(importer: string, target: string): string | null {
  if (isTestFile(importer)) return null;
  const from = simFolderOf(importer);
  const to = simFolderOf(target);
  if (from === 'entry' || from === to) return null;
  const rank = (f: string): number => (f === 'entry' ? SIM_ORDER.length : SIM_ORDER.indexOf(f));
  if (rank(from) < 0 || rank(to) < 0) return `sim/${from === 'entry' ? '' : from} and sim/${to} must both be placed in the kernel's folder order (SIM_ORDER)`;
  return rank(to) > rank(from) ? `sim/${from} may not import sim/${to}, which sits above it (${SIM_ORDER.join(' ← ')})` : null;
}

/**
 * Checks one file's imports against the layer rules, the public entries and banned packages.
 * `file` is relative to src/. Relative specifiers are resolved to find the layer they land in.
 */
function checkImports(file: string, source: string): Violation[] {
  const layer = layerOf(file);
  if (layer === null) return [];
  const violations: Violation[] = [];
  const allowed = LAYER_IMPORTS[layer];
  const banned = BANNED_PACKAGES[layer] ?? [];
  for (const { specifier, line } of findImports(source)) {
    if (specifier.startsWith('.')) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      const targetLayer = target.startsWith('..') ? 'outside src' : (layerOf(target) ?? 'src root');
      // Layers not in the table (new folders) are unrestricted themselves, but no listed layer may
      // import them, so a new folder cannot become a back door around the rules.
      if (allowed !== undefined && !allowed.includes(targetLayer)) {
        violations.push({ file, line, message: `${layer} may not import ${targetLayer} ('${specifier}'); allowed: ${allowed.join(', ')}` });
        continue;
      }
      const problem = targetLayer === layer ? (layer === 'sim' ? simOrderProblem(file, target) : null) : LAYER_IMPORTS[targetLayer] === undefined ? null : entryProblem(file, target, targetLayer);
      if (problem !== null) violations.push({ file, line, message: `${problem} ('${specifier}')` });
    } else if (banned.some((re) => re.test(specifier))) {
      // Diagram tests check their output with Mermaid's own parser; the layer's code never loads it.
      if (layer === 'diagrams' && specifier === 'mermaid' && isTestFile(file)) continue;
      violations.push({ file, line, message: `${layer} may not import the package '${specifier}'` });
    }
  }
  return violations;
}

/**
 * Checks a file outside src/ (a benchmark, script, story or e2e helper, `file` relative to the
 * repository): its imports into src/ go through the public entries (the kernel's for benchmarks
 * and scripts), and a story may also open the UI's own modules, which it shows.
 */
function checkOutsideImports(file: string, source: string): Violation[] {
  const violations: Violation[] = [];
  const story = file.startsWith('stories/');
  for (const { specifier, line } of findImports(source)) {
    if (!specifier.startsWith('.')) continue;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    if (!target.startsWith('src/')) continue;
    const inSrc = target.slice('src/'.length);
    const targetLayer = layerOf(inSrc);
    if (targetLayer === null || LAYER_IMPORTS[targetLayer] === undefined) continue;
    if (story && targetLayer === 'ui') continue;
    const entries = story ? [ENTRY] : (TEST_ENTRIES[targetLayer] ?? [ENTRY]);
    const rest = inSrc.slice(targetLayer.length + 1);
    if (!entries.includes(rest)) violations.push({ file, line, message: `${targetLayer} is imported through ${entries.map((e) => `src/${targetLayer}/${e}`).join(' or ')}, not '${rest}' ('${specifier}')` });
  }
  return violations;
}

/** Checks one file for banned globals (identifiers, not property names) and `Math.random`. */
function checkGlobals(file: string, source: string): Violation[] {
  const layer = layerOf(file);
  if (layer === null || isTestFile(file)) return [];
  const names = BANNED_GLOBALS[layer] ?? [];
  const code = stripCommentsAndStrings(source);
  const violations: Violation[] = [];
  code.split('\n').forEach((text, index) => {
    for (const name of names) {
      // A bare identifier, or one reached through globalThis/self; `obj.setTimeout` is someone's
      // own property and `updatedDate` is another name, so neither counts.
      const bare = new RegExp(`(?<![\\w$.#])${name}(?![\\w$])`);
      const viaGlobal = new RegExp(`\\b(?:globalThis|self)\\s*\\??\\.\\s*${name}(?![\\w$])`);
      if (bare.test(text) || viaGlobal.test(text)) {
        violations.push({ file, line: index + 1, message: `${layer} may not use the global '${name}'` });
      }
    }
    if (NO_MATH_RANDOM.has(layer) && /(?<![\w$.])Math\s*\??\.\s*random(?![\w$])/.test(text)) {
      violations.push({ file, line: index + 1, message: `${layer} may not use Math.random; use the seeded PRNG` });
    }
  });
  return violations;
}

/** The files every lab folder has (ADR 0021). */
const LAB_FILES: readonly string[] = ['manifest.ts', 'narration.ts', 'patches.ts', 'controls.ts', 'goals.ts', 'lab.test.ts'];
/** Folders of src/labs that are not labs. */
const LAB_NON_LABS: ReadonlySet<string> = new Set(['framework']);

/** Checks that every lab folder among `files` (paths relative to src/) has each of its files. */
function checkLabFolders(files: readonly string[]): Violation[] {
  const folders = new Map<string, Set<string>>();
  for (const file of files) {
    const parts = file.split('/');
    if (parts[0] !== 'labs' || parts.length < 3 || LAB_NON_LABS.has(parts[1] ?? '')) continue;
    const folder = parts[1] ?? '';
    const set = folders.get(folder) ?? new Set<string>();
    if (parts.length === 3) set.add(parts[2] ?? '');
    folders.set(folder, set);
  }
  const violations: Violation[] = [];
  for (const [folder, present] of folders) {
    const missing = LAB_FILES.filter((f) => !present.has(f));
    if (missing.length > 0) violations.push({ file: `labs/${folder}/`, line: 0, message: `the lab folder lacks ${missing.join(', ')} (every lab has ${LAB_FILES.join(', ')})` });
  }
  return violations;
}

const format = (violations: Violation[]): string[] =>
  violations.map((v) => `${/^(bench|scripts|stories|e2e)\//.test(v.file) ? '' : 'src/'}${v.file}:${v.line}: ${v.message}`);

describe('architecture of src/', () => {
  const files = listSourceFiles(SRC);
  const read = (file: string): string => readFileSync(path.join(SRC, file), 'utf8');

  // Proves the walk really reaches every layer, so the checks below cannot pass by seeing nothing.
  test('the walk finds the source files', () => {
    for (const entry of ['sim/index.ts', 'sim/contract/index.ts', 'diagrams/index.ts', 'labs/index.ts', 'workbench/index.ts', 'ui/App.tsx', 'arch.test.ts']) {
      expect(files).toContain(entry);
    }
  });

  // Proves every layer imports only itself and the layers below it, and that sim and diagrams pull
  // in no UI, DOM, RPC or rendering package.
  test('layers import only downward and the pure layers import no UI packages', () => {
    expect(format(files.flatMap((file) => checkImports(file, read(file))))).toEqual([]);
  });

  // Proves benchmarks, scripts, stories and the e2e harness reach src/ only through the entries.
  test('code outside src/ imports the layers through their entries', () => {
    const ROOT = path.dirname(SRC);
    const outside = ['bench', 'scripts', 'stories', 'e2e'].flatMap((dir) => listSourceFiles(path.join(ROOT, dir), ROOT, true));
    expect(outside.length).toBeGreaterThan(10);
    expect(format(outside.flatMap((file) => checkOutsideImports(file, readFileSync(path.join(ROOT, file), 'utf8'))))).toEqual([]);
  });

  // Proves every lab folder has its manifest, narration, patches, controls, goals and lab test.
  test('every lab folder is whole', () => {
    expect(files.filter((f) => /^labs\/[^/]+\/manifest\.ts$/.test(f)).length).toBeGreaterThan(0);
    expect(format(checkLabFolders(files))).toEqual([]);
  });

  // Proves src/sim and src/workbench use no wall-clock time, timers, DOM or Math.random, and the
  // other layers below ui no DOM.
  test('the kernel and the session are deterministic and the pure layers touch no DOM', () => {
    expect(format(files.flatMap((file) => checkGlobals(file, read(file))))).toEqual([]);
  });
});

describe('the architecture checks themselves', () => {
  // Proves an upward import from each lower layer is caught, including export-from and import().
  test('upward imports are reported', () => {
    const bad = [
      ['sim/core/a.ts', "import { App } from '../../ui/App.tsx';"],
      ['sim/a.ts', "export { lab } from '../labs/x.ts';"],
      ['sim/a.ts', "const d = await import('../diagrams/seq.ts');"],
      ['diagrams/a.ts', "import type { Lab } from '../labs/types.ts';"],
      ['labs/l1/a.ts', "import {\n  Panel,\n} from '../../ui/Panel.tsx';"],
      ['sim/a.ts', "import '../../stories/x.ts';"],
    ] as const;
    for (const [file, source] of bad) {
      expect(checkImports(file, source), `${file}: ${source}`).toHaveLength(1);
    }
  });

  // Proves downward and same-layer imports through the entries pass, and that commented-out
  // imports are ignored.
  test('downward imports are allowed', () => {
    const good = [
      ['ui/App.tsx', "import type { Op } from '../sim/index.ts';\nimport { x } from '../workbench/index.ts';"],
      ['workbench/views/a.ts', "import { lab } from '../../labs/index.ts';\nimport { seq } from '../../diagrams/index.ts';"],
      ['labs/l1/a.ts', "import { seq } from '../../diagrams/index.ts';"],
      ['diagrams/a.ts', "import type { TraceEvent } from '../sim/index.ts';"],
      ['diagrams/a.test.ts', "import { presetScenario } from '../sim/kernel.ts';"],
      ['cli/a.ts', "import { runScenario } from '../sim/index.ts';"],
      ['sim/net/a.ts', "import { Queue } from '../core/queue.ts';\n// import { App } from '../../ui/App.tsx';"],
      ['sim/engine/a.ts', "import { Network } from '../net/network.ts';\nimport type { Op } from '../contract/index.ts';"],
      ['sim/kernel.ts', "export { fuzzOnce } from './cluster/fuzz.ts';"],
      ['sim/core/a.test.ts', "import { kernelDemo } from '../demo/kernelDemo.ts';"],
    ] as const;
    for (const [file, source] of good) expect(checkImports(file, source), file).toEqual([]);
  });

  // Proves another layer's internals are refused, naming the entry to use; the kernel's entry is
  // for tests only.
  test('another layer is imported through its entry', () => {
    const bad = [
      ['diagrams/a.ts', "import type { TraceEvent } from '../sim/core/trace.ts';"],
      ['diagrams/a.ts', "import { presetScenario } from '../sim/kernel.ts';"],
      ['ui/App.tsx', "import { createWorkbench } from '../workbench/workbench.ts';"],
      ['workbench/a.ts', "import { sequenceDiagram } from '../diagrams/sequence.ts';"],
      ['cli/a.ts', "import { runScenario } from '../sim/cluster/run.ts';"],
    ] as const;
    for (const [file, source] of bad) {
      const found = checkImports(file, source);
      expect(found, `${file}: ${source}`).toHaveLength(1);
      expect(found[0]?.message, source).toMatch(/is imported through \w+\/index\.ts/);
    }
  });

  // Proves the kernel's folders import only downward: the contract is a leaf, the nodes may not
  // reach the scenario builder, the kernel may not reach the cluster.
  test('folders of src/sim import only downward', () => {
    const bad = [
      ['sim/contract/a.ts', "import type { TraceLog } from '../core/trace.ts';"],
      ['sim/core/a.ts', "import { Simulation } from '../engine/simulation.ts';"],
      ['sim/nodes/a.ts', "import { buildCluster } from '../scenario/build.ts';"],
      ['sim/checkers/a.ts', "import { runScenario } from '../cluster/run.ts';"],
      ['sim/newfolder/a.ts', "import type { Op } from '../contract/index.ts';"],
    ] as const;
    for (const [file, source] of bad) expect(checkImports(file, source), `${file}: ${source}`).toHaveLength(1);
  });

  // Proves files outside src/ are held to the entries too, and that stories may show UI modules.
  test('benchmarks, scripts and stories use the entries', () => {
    expect(checkOutsideImports('bench/a.ts', "import { Prng } from '../src/sim/core/prng.ts';")).toHaveLength(1);
    expect(checkOutsideImports('bench/a.ts', "import { Prng } from '../src/sim/kernel.ts';")).toEqual([]);
    expect(checkOutsideImports('stories/a.tsx', "import { createWorkbench } from '../src/workbench/workbench.ts';")).toHaveLength(1);
    expect(checkOutsideImports('stories/a.tsx', "import { ChatPanel } from '../src/ui/components/ChatPanel.tsx';\nimport type { UserView } from '../src/workbench/index.ts';")).toEqual([]);
    expect(checkOutsideImports('scripts/a.mjs', "import { x } from './lib.mjs';")).toEqual([]);
  });

  // Proves diagram tests (and their helpers) may load Mermaid to parse output, the layer's code may not.
  test('mermaid is for diagram tests only', () => {
    const load = "const m = await import('mermaid');";
    expect(checkImports('diagrams/seq.ts', load)).toHaveLength(1);
    expect(checkImports('diagrams/seq.test.ts', load)).toEqual([]);
    expect(checkImports('diagrams/mermaid/kit.test-helper.ts', load)).toEqual([]);
    expect(checkImports('sim/a.test.ts', "import { useState } from 'react';")).toHaveLength(1);
  });

  // Proves each banned package is caught in sim and diagrams, while ui may use them freely.
  test('banned packages are reported per layer', () => {
    const sim = [
      "import { useState } from 'react';",
      "import { createRoot } from 'react-dom/client';",
      "import { ReactFlow } from '@xyflow/react';",
      "import { wrap } from 'comlink';",
      "const m = await import('mermaid');",
      "import { createMachine } from 'xstate';",
      "import * as d3 from 'd3';",
      "export { scaleLinear } from 'd3-scale';",
    ];
    for (const source of sim) expect(checkImports('sim/a.ts', source), source).toHaveLength(1);
    expect(checkImports('diagrams/a.ts', "import mermaid from 'mermaid';")).toHaveLength(1);
    expect(checkImports('diagrams/a.ts', "import { useMemo } from 'react';")).toHaveLength(1);
    expect(checkImports('diagrams/a.ts', "import { scaleLinear } from 'd3-scale';")).toEqual([]);
    expect(checkImports('ui/a.tsx', "import { wrap } from 'comlink';\nimport mermaid from 'mermaid';")).toEqual([]);
    // React, DOM and Comlink stay in ui: the session and the labs are plain TypeScript too.
    expect(checkImports('workbench/a.ts', "import { wrap } from 'comlink';")).toHaveLength(1);
    expect(checkImports('workbench/a.ts', "import { useState } from 'react';")).toHaveLength(1);
    expect(checkImports('workbench/a.ts', "import * as d3 from 'd3';")).toHaveLength(1);
    expect(checkImports('labs/l1/a.ts', "import { useState } from 'react';")).toHaveLength(1);
  });

  // Proves each nondeterministic global and Math.random is caught in sim, with the right line.
  test('nondeterministic globals are reported in sim', () => {
    const cases = [
      'const t = Date.now();',
      'const d = new Date(0);',
      'const t = performance.now();',
      'setTimeout(tick, 10);',
      'const h = setInterval(tick, 10);',
      'setImmediate(tick);',
      'queueMicrotask(tick);',
      'requestAnimationFrame(tick);',
      'const t = globalThis.setTimeout;',
      'const r = Math.random();',
      'const el = document.body;',
      'const w = window;',
      'let e: HTMLElement;',
    ];
    for (const source of cases) {
      const found = checkGlobals('sim/core/a.ts', `// header\n${source}`);
      expect(found, source).toHaveLength(1);
      expect(found[0]?.line, source).toBe(2);
    }
  });

  // Proves mentions in comments, strings and templates, property names, longer identifiers and
  // test files are not reported, so the rule does not push people to work around it.
  test('look-alikes are not reported', () => {
    const source = [
      '// Never call Date.now() or Math.random() here.',
      '/* setTimeout would break replay */',
      "const label = 'Date: performance of setTimeout';",
      'const t = `at ${nowMs} (not Date.now())`;',
      'const r = node.setTimeout(5) + updatedDate + rng.random() + sim.performance;',
      'const re = /Date|"setTimeout/g;',
    ].join('\n');
    expect(checkGlobals('sim/core/a.ts', source)).toEqual([]);
    expect(checkGlobals('sim/core/a.test.ts', 'const t0 = performance.now(); setTimeout(f);')).toEqual([]);
    expect(checkGlobals('diagrams/a.ts', 'const t = Date.now();')).toEqual([]);
    expect(checkGlobals('diagrams/a.ts', 'const el = document.body;')).toHaveLength(1);
    expect(checkGlobals('ui/a.tsx', 'requestAnimationFrame(tick); Math.random();')).toEqual([]);
    expect(checkGlobals('workbench/a.ts', 'const t = Date.now();')).toHaveLength(1);
    expect(checkGlobals('workbench/a.ts', 'const r = Math.random();')).toHaveLength(1);
    expect(checkGlobals('labs/a.ts', 'const el = document.body;')).toHaveLength(1);
  });

  // Proves a lab folder missing any of its files is reported with what it lacks, a whole one passes,
  // and the framework folder and the layer's own files are not taken for labs.
  test('an incomplete lab folder is reported', () => {
    const whole = LAB_FILES.map((f) => `labs/good/${f}`);
    expect(checkLabFolders([...whole, 'labs/framework/types.ts', 'labs/index.ts', 'labs/registry.ts'])).toEqual([]);
    for (const missing of LAB_FILES) {
      const found = checkLabFolders(whole.map((f) => f.replace('labs/good/', 'labs/bad/')).filter((f) => !f.endsWith(`/${missing}`)));
      expect(found, missing).toHaveLength(1);
      expect(found[0]?.message, missing).toContain(`lacks ${missing}`);
    }
    // A file in a subfolder does not stand in for the lab's own.
    expect(checkLabFolders([...whole.filter((f) => !f.endsWith('/goals.ts')), 'labs/good/extra/goals.ts'])).toHaveLength(1);
  });

  // Proves code inside a template expression is still checked, since only the literal text is blanked.
  test('template expressions are still code', () => {
    expect(checkGlobals('sim/a.ts', 'const s = `t=${Date.now()}`;')).toHaveLength(1);
    expect(stripCommentsAndStrings('a(`x${b({c:1})}y`, "q") // z')).toBe('a(` ${b({c:1})} `, " ")     ');
  });
});
