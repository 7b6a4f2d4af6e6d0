/**
 * `sim sweep`'s flags: parsed by `parseArgs` in ./args.ts with the option table below and turned
 * into a command here. Like ./limiter.ts, this module imports nothing from args.ts or sim.ts, so
 * there is no import cycle.
 *
 *   npm run --silent sim -- sweep --scenario group-chat --vary topology.wsServers=1,2,4 \
 *     --vary chat.ordering=none,per-channel --seeds 1..3 --csv > sweep.csv
 */

/** `sim sweep`: a scenario over one or two axes and a list of seeds, printed as JSON or CSV. */
export interface SweepCommand {
  readonly kind: 'sweep';
  /** A preset id or a path to a scenario JSON file (resolved by the runner, which may read files). */
  readonly scenario: string;
  /** A JSON merge patch over the scenario, before the axes. */
  readonly patch?: unknown;
  readonly axes: readonly { readonly path: string; readonly values: readonly unknown[] }[];
  readonly seeds: readonly number[];
  readonly format: 'json' | 'csv';
  /** Worker threads; absent: one per spare core. */
  readonly workers?: number;
  /**
   * Progress lines on stderr (`sweep: 7/15 runs`): `auto` prints them when stderr is a terminal,
   * `on` always (`--progress`), `off` never (`--quiet`). Stdout is the same in every case.
   */
  readonly progress: 'auto' | 'on' | 'off';
}

/** The most worker threads one command may ask for. */
export const MAX_SWEEP_WORKERS = 64;
/** The widest seed range `--seeds a..b` may name (the sweep's own limit is lower). */
const MAX_SEED_RANGE = 10_000;
const MAX_SEED = 0xffff_ffff;

/** Node `parseArgs` options of `sim sweep` (`--vary` may be given twice). */
export const SWEEP_CLI_OPTIONS = {
  scenario: { type: 'string' },
  vary: { type: 'string', multiple: true },
  seeds: { type: 'string' },
  patch: { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  workers: { type: 'string' },
  progress: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Lines for the `sim help` text. */
export const SWEEP_USAGE = `Options for sweep (every run is a real run; each row names its seed and trace hash):
  --scenario <s>        A preset id (see \`list\`) or a path to a scenario JSON file.
  --vary <path=v1,v2>   A dotted scenario field and its values (given once or twice: two axes).
                        Each value is read as JSON when it parses (3, true, "x", {"a":1}), else
                        as a string: --vary chat.ordering=none,per-channel. A value holding a
                        comma is written as JSON: --vary 'rateLimit.limiter=[{"algorithm":…}]'.
  --seeds <list>        Required. Seeds as a range and/or a list: 1..3, 1,5,9, 1..3,10.
  --patch <json>        A JSON merge patch over the scenario before the axes:
                        --patch '{"durationMs":30000}'.
  --json                Print one JSON object: the axes, seeds, figure units and every result.
  --csv                 Print CSV: one row per run, a column per axis, seed, hashes, figures.
  --workers <n>         Worker threads (default: one per spare core, at least one). Results
                        are the same for any number.
  --progress            Print progress on stderr (\`sweep: 7/15 runs\`, a few lines a second at
                        most) even when stderr is not a terminal; on a terminal it is the default.
  --quiet, -q           Print no progress. Stdout is the same either way.
`;

type Values = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
type Built = { readonly ok: true; readonly command: SweepCommand } | { readonly ok: false; readonly error: string };

/** A value of `--vary` as the axis takes it: JSON when it parses, else the text itself. */
export function axisValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Splits `v1,v2,…` at the commas that are not inside a JSON value (brackets, braces or quotes),
 * so `[1,2],{"a":1,"b":2}` is two values.
 */
function splitValues(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** `--vary path=v1,v2` as an axis, or what is wrong with it. */
function parseVary(text: string): { ok: true; axis: SweepCommand['axes'][number] } | { ok: false; error: string } {
  const eq = text.indexOf('=');
  if (eq <= 0) return { ok: false, error: `--vary needs path=v1,v2,… (like chat.ordering=none,per-channel), got '${text}'` };
  const path = text.slice(0, eq);
  const list = text.slice(eq + 1);
  if (list === '') return { ok: false, error: `--vary ${path}: needs at least one value after '='` };
  const parts = splitValues(list);
  const empty = parts.findIndex((p) => p === '');
  if (empty !== -1) return { ok: false, error: `--vary ${path}: value ${empty + 1} is empty (two commas in a row, or a comma at an end)` };
  return { ok: true, axis: { path, values: parts.map(axisValue) } };
}

/** `1..3,7` as seeds, or what is wrong. */
export function parseSeeds(text: string): { ok: true; seeds: number[] } | { ok: false; error: string } {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const range = /^(\d+)\.\.(\d+)$/.exec(part);
    if (range !== null) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (from > MAX_SEED || to > MAX_SEED) return { ok: false, error: `--seeds: ${part} goes past the largest seed, ${MAX_SEED}` };
      if (to < from) return { ok: false, error: `--seeds: the range ${part} runs backwards` };
      if (to - from >= MAX_SEED_RANGE) return { ok: false, error: `--seeds: the range ${part} is too wide` };
      for (let s = from; s <= to; s++) seeds.push(s);
    } else if (/^\d+$/.test(part) && Number(part) <= MAX_SEED) {
      seeds.push(Number(part));
    } else {
      return { ok: false, error: `--seeds: '${part}' is not a seed or a range of seeds (like 1..3, or 1,5,9; seeds are integers from 0 to ${MAX_SEED})` };
    }
  }
  return { ok: true, seeds };
}

/**
 * Builds the command from parsed flag values, or says which flag is wrong. (The axes' paths and
 * values are checked against the scenario later, by `planSweep`, before anything runs.)
 *
 * @example
 * sweepCommandFrom({ scenario: 'group-chat', vary: ['topology.wsServers=1,2'], seeds: '1..2', json: true });
 * // { ok: true, command: { kind: 'sweep', scenario: 'group-chat', axes: [{ path: 'topology.wsServers', values: [1, 2] }], seeds: [1, 2], format: 'json', progress: 'auto' } }
 */
export function sweepCommandFrom(values: Values): Built {
  const scenario = values['scenario'];
  if (typeof scenario !== 'string' || scenario === '') return fail('--scenario is required: a preset id (see `sim list`) or a path to a scenario JSON file');
  const vary = values['vary'];
  const varies = Array.isArray(vary) ? (vary as readonly string[]) : [];
  if (varies.length === 0) return fail('--vary is required: a field and its values, like --vary chat.ordering=none,per-channel');
  if (varies.length > 2) return fail(`--vary is given ${varies.length} times; a sweep varies one or two fields`);
  const axes: SweepCommand['axes'][number][] = [];
  for (const v of varies) {
    const parsed = parseVary(v);
    if (!parsed.ok) return fail(parsed.error);
    axes.push(parsed.axis);
  }
  const seedsText = values['seeds'];
  if (typeof seedsText !== 'string') return fail('--seeds is required (like 1..3 or 1,5,9); a run is only reproducible from its seed');
  const seeds = parseSeeds(seedsText);
  if (!seeds.ok) return fail(seeds.error);

  let patch: unknown;
  const patchText = values['patch'];
  if (typeof patchText === 'string') {
    try {
      patch = JSON.parse(patchText) as unknown;
    } catch (error) {
      return fail(`--patch is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return fail('--patch must be a JSON object (a merge patch over the scenario)');
  }

  if (values['json'] === true && values['csv'] === true) return fail('--json and --csv are both given; choose one');
  if (values['json'] !== true && values['csv'] !== true) return fail('choose the output: --json or --csv');

  if (values['progress'] === true && values['quiet'] === true) return fail('--progress and --quiet are both given; choose one');

  let workers: number | undefined;
  const workersText = values['workers'];
  if (typeof workersText === 'string') {
    const n = /^\d+$/.test(workersText) ? Number(workersText) : NaN;
    if (!(n >= 1 && n <= MAX_SWEEP_WORKERS)) return fail(`--workers must be a whole number from 1 to ${MAX_SWEEP_WORKERS}, got '${workersText}'`);
    workers = n;
  }

  const command: SweepCommand = {
    kind: 'sweep',
    scenario,
    axes,
    seeds: seeds.seeds,
    format: values['json'] === true ? 'json' : 'csv',
    progress: values['quiet'] === true ? 'off' : values['progress'] === true ? 'on' : 'auto',
    ...(patch === undefined ? {} : { patch }),
    ...(workers === undefined ? {} : { workers }),
  };
  return { ok: true, command };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error: `sim sweep: ${error}` };
}
