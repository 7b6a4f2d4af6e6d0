/**
 * The `sim` command line: list the preset scenarios, or run one (or a scenario JSON file) with an
 * explicit seed and print a readable summary or the JSON run report.
 *
 *   npm run --silent sim -- list
 *   npm run --silent sim -- run --scenario group-chat --seed 42 [--json] [--trace out.jsonl]
 *   npm run --silent sim -- limiter --algorithm sliding-log --limit 5 --window-ms 60000 --times 0,60000 [--json]
 *
 * Everything the command does goes through {@link main} and an injected {@link CliIo}, so tests
 * run it in-process with fake files and captured output. Exit codes: 0 success, 1 the run crashed,
 * 2 a bad command line or scenario (and then nothing at all is printed on stdout, so a script
 * piping `--json` into a parser never sees half a result).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PRESETS, parseScenario, presetById, runScenario, type Scenario, type TraceLog, type RunReport } from '../sim/index.ts';
import { USAGE, parseArgs, type RunCommand } from './args.ts';
import { runLimiter } from './limiter.ts';

/** The outside world as the CLI sees it; tests pass fakes. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a UTF-8 text file; rejects (like fs) when it cannot. */
  readFile(path: string): Promise<string>;
  writeFile(path: string, data: string): Promise<void>;
}

/** Exit codes. */
export const EXIT_OK = 0;
export const EXIT_CRASH = 1;
export const EXIT_USAGE = 2;

/** Violations listed in the readable summary before "… and N more". */
const MAX_VIOLATIONS_SHOWN = 20;
/** Node rows in the readable summary's table before the rest are folded into one line. */
const MAX_NODE_ROWS = 16;

/**
 * Runs one command line and returns the exit code. Never throws: every failure becomes a message
 * on stderr and a non-zero code.
 *
 * @example
 * const code = await main(['run', '--scenario', 'private-chat', '--seed', '42', '--json'], io);
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.stderr(`${parsed.error}\n`);
    return EXIT_USAGE;
  }
  const { command } = parsed;
  switch (command.kind) {
    case 'help':
      io.stdout(USAGE);
      return EXIT_OK;
    case 'list':
      io.stdout(formatPresetList());
      return EXIT_OK;
    case 'run':
      return run(command, io);
    case 'limiter':
      return runLimiter(command, io);
  }
}

/** One line per preset: the id padded to a column, then its summary. */
export function formatPresetList(): string {
  const width = Math.max(...PRESETS.map((p) => p.id.length));
  return PRESETS.map((p) => `${p.id.padEnd(width)}  ${p.summary}\n`).join('');
}

/** Where a scenario came from, for messages and the summary header. */
interface LoadedScenario {
  readonly scenario: Scenario;
  /** `preset private-chat` or `file ./my.json`. */
  readonly source: string;
}

type Loaded = { ok: true; value: LoadedScenario } | { ok: false; error: string; code: number };

async function run(command: RunCommand, io: CliIo): Promise<number> {
  const loaded = await loadScenario(command.scenario, io);
  if (!loaded.ok) {
    io.stderr(loaded.error.endsWith('\n') ? loaded.error : `${loaded.error}\n`);
    return loaded.code;
  }
  const { scenario, source } = loaded.value;

  let report: RunReport;
  let trace: TraceLog;
  try {
    // The wall clock feeds only the report's wallMs; the simulation itself never reads it.
    const options = { seed: command.seed, wallClock: () => performance.now(), ...(command.untilMs === undefined ? {} : { untilMs: command.untilMs }) };
    ({ report, trace } = runScenario(scenario, options));
  } catch (error) {
    // A crash is a bug in the simulator (or a scenario it cannot handle), not a usage error; the
    // stack is what the person fixing it needs, and the seed lets them reproduce it.
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`sim run: the run crashed (${source}, seed ${command.seed}):\n${detail}\n`);
    return EXIT_CRASH;
  }

  // The trace is written before anything goes to stdout, so that a failed write still leaves
  // stdout empty, as every exit-2 path promises.
  if (command.tracePath !== undefined) {
    try {
      await io.writeFile(command.tracePath, trace.toJsonLines());
    } catch (error) {
      io.stderr(`sim run: cannot write the trace to ${command.tracePath}: ${errorMessage(error)}\n`);
      return EXIT_USAGE;
    }
    if (trace.truncated) {
      io.stderr(
        `sim run: the trace was truncated: ${trace.events.length} of ${trace.count} events were kept and written to ` +
          `${command.tracePath} (raise scenario.trace.maxEvents to keep more); the trace hash still covers every event\n`,
      );
    }
  }

  io.stdout(command.json ? `${JSON.stringify(report)}\n` : formatSummary(report, source, command));
  return EXIT_OK;
}

/**
 * Resolves `--scenario`: a value naming an existing file (or ending in .json, or containing a path
 * separator) is read as a scenario file; otherwise it must be a preset id.
 */
async function loadScenario(value: string, io: CliIo): Promise<Loaded> {
  const looksLikePath = value.endsWith('.json') || value.includes('/') || value.includes('\\');
  let text: string | null = null;
  let readError: unknown = null;
  try {
    text = await io.readFile(value);
  } catch (error) {
    readError = error;
  }

  if (text === null && !looksLikePath) {
    const preset = presetById(value);
    if (preset === undefined) {
      const ids = PRESETS.map((p) => p.id).join(', ');
      return { ok: false, code: EXIT_USAGE, error: `sim run: unknown preset '${value}' (and no such file); the presets are: ${ids}` };
    }
    const parsed = parseScenario(preset.scenario);
    if (!parsed.ok) {
      // A preset that fails its own schema is a bug in the presets, not in the command line.
      return { ok: false, code: EXIT_CRASH, error: parsed.errors.map((e) => `preset ${preset.id}: ${e}`).join('\n') };
    }
    return { ok: true, value: { scenario: parsed.scenario, source: `preset ${preset.id}` } };
  }

  if (text === null) {
    return { ok: false, code: EXIT_USAGE, error: `sim run: cannot read the scenario file ${value}: ${errorMessage(readError)}` };
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: EXIT_USAGE, error: `sim run: ${value} is not valid JSON: ${errorMessage(error)}` };
  }
  const parsed = parseScenario(json);
  if (!parsed.ok) {
    const lines = parsed.errors.map((e) => `${value}: ${e}`);
    return { ok: false, code: EXIT_USAGE, error: `sim run: ${value} is not a valid scenario:\n${lines.join('\n')}` };
  }
  return { ok: true, value: { scenario: parsed.scenario, source: `file ${value}` } };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Formats an integer with thousands separators, independent of the machine's locale. */
function int(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Formats a measurement: integers as they are, fractions with at most `digits` decimals. */
function num(n: number, digits = 2): string {
  return Number.isInteger(n) ? int(n) : n.toFixed(digits);
}

/**
 * The readable summary of a run. The first line carries the seed and the scenario, because a run
 * someone wants to discuss is only reproducible from those two.
 */
export function formatSummary(report: RunReport, source: string, command: Pick<RunCommand, 'scenario' | 'seed' | 'untilMs'>): string {
  const lines: string[] = [];
  lines.push(`seed ${report.seed}  scenario ${report.scenario} (${source})`);
  const until = command.untilMs === undefined ? '' : ` --until-ms ${command.untilMs}`;
  lines.push(`  reproduce: npm run --silent sim -- run --scenario ${shellWord(command.scenario)} --seed ${command.seed}${until}`);
  lines.push('');
  lines.push(`sim time      ${int(report.simTimeMs)} ms   (wall ${int(report.wallMs)} ms)`);
  lines.push(`events        ${int(report.events)}`);
  lines.push(`trace hash    ${report.traceHash}${report.truncated ? '   (trace TRUNCATED: not every event was stored; the hash covers all)' : ''}`);

  const c = report.counts;
  lines.push('');
  lines.push('counts');
  lines.push(`  sent ${int(c.sent)}   persisted ${int(c.persisted)}   delivered ${int(c.delivered)}`);
  lines.push(`  duplicates shown ${int(c.duplicatesShown)}   out of order shown ${int(c.outOfOrderShown)}   lost ${int(c.lost)}`);
  lines.push(`  rate limited ${int(c.rateLimited)}   forbidden ${int(c.forbidden)}`);
  const l = report.latencyMs;
  lines.push(
    l === null
      ? 'latency (send → shown, ms)   none: no message was shown'
      : `latency (send → shown, ms)   p50 ${num(l.p50)}   p90 ${num(l.p90)}   p99 ${num(l.p99)}   max ${num(l.max)}`,
  );
  lines.push(`network messages per persisted message   ${num(report.messagesPerPersisted)}`);
  if (report.brokerLag.max > 0 || report.brokerLag.final > 0) {
    lines.push(`broker consumer lag   max ${int(report.brokerLag.max)}   final ${int(report.brokerLag.final)}`);
  }

  lines.push('');
  lines.push(...formatNodeTable(report));

  lines.push('');
  if (report.violations.length === 0) {
    lines.push('violations    none');
  } else {
    lines.push(`violations    ${int(report.violations.length)}`);
    for (const v of report.violations.slice(0, MAX_VIOLATIONS_SHOWN)) {
      lines.push(`  [${v.checker}] t=${int(v.at)} ms seq ${v.seq}: ${v.message}`);
    }
    const more = report.violations.length - MAX_VIOLATIONS_SHOWN;
    if (more > 0) lines.push(`  … and ${int(more)} more`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A small table of per-node figures. With many nodes (hundreds of clients or servers) only the
 * busiest rows are shown, since those are the ones a reader looks for.
 */
function formatNodeTable(report: RunReport): string[] {
  const entries = Object.entries(report.nodes);
  if (entries.length === 0) return ['nodes         none reported'];
  let shown = entries.sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  let folded = 0;
  if (shown.length > MAX_NODE_ROWS) {
    const busiest = new Set(
      [...shown]
        .sort(([, a], [, b]) => b.utilization - a.utilization || b.processed - a.processed)
        .slice(0, MAX_NODE_ROWS)
        .map(([id]) => id),
    );
    folded = shown.length - MAX_NODE_ROWS;
    shown = shown.filter(([id]) => busiest.has(id));
  }
  const header = ['node', 'kind', 'processed', 'util %', 'wait ms', 'sojourn ms', 'max queue'];
  const rows = shown.map(([id, n]) => [
    id,
    n.kind,
    int(n.processed),
    percent(n.utilization),
    n.queueWaitMsMean.toFixed(2),
    n.sojournMsMean.toFixed(2),
    int(n.queueDepthMax),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  // Text columns align left, numeric columns right, as in any printed table.
  const cell = (text: string, i: number): string => (i < 2 ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0));
  const out = [`nodes${folded > 0 ? ` (the ${MAX_NODE_ROWS} busiest of ${entries.length})` : ''}`];
  out.push(`  ${header.map(cell).join('  ')}`);
  for (const r of rows) out.push(`  ${r.map(cell).join('  ')}`);
  if (folded > 0) out.push(`  … and ${int(folded)} more nodes (see --json)`);
  return out;
}

/** Quotes a word for a POSIX shell when it needs it, so the reproduce line can be pasted as is. */
function shellWord(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A utilization as a percentage; a busy-but-tiny share shows as `<0.1` rather than a misleading 0.0. */
function percent(utilization: number): string {
  const p = utilization * 100;
  return p > 0 && p < 0.1 ? '<0.1' : p.toFixed(1);
}

/** The real file system and streams. */
const nodeIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, data) => writeFile(path, data, 'utf8'),
};

/** True when this file is the program being run (not imported by a test). */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // exitCode rather than process.exit(), so that buffered stdout (a large JSON report piped into
  // another program) is flushed before Node leaves.
  process.exitCode = await main(process.argv.slice(2), nodeIo);
}
