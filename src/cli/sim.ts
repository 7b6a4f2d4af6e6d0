/**
 * The `sim` command line: list the preset scenarios, run one (or a scenario JSON file) with an
 * explicit seed and print a readable summary or the JSON run report, or print one as a complete
 * scenario file to start from.
 *
 *   npm run --silent sim -- list
 *   npm run --silent sim -- run --scenario group-chat --seed 42 [--json] [--trace out.jsonl]
 *   npm run --silent sim -- show --scenario group-chat > my-scenario.json
 *   npm run --silent sim -- limiter --algorithm sliding-log --limit 5 --window-ms 60000 --times 0,60000 [--json]
 *   npm run --silent sim -- sweep --scenario group-chat --vary topology.wsServers=1,2,4 --seeds 1..3 --csv
 *
 * Everything the command does goes through {@link main} and an injected {@link CliIo}, so tests
 * run it in-process with fake files and captured output. Exit codes: 0 success, 1 the run crashed,
 * 2 a bad command line or scenario (and then nothing at all is printed on stdout, so a script
 * piping `--json` into a parser never sees half a result).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PRESETS, overBudget, parseScenario, presetById, runScenario, type RunReport, type Scenario, type TraceLog } from '../sim/index.ts';
import { MAX_PROBLEM_LINES, USAGE, parseArgs, printable, type RunCommand, type ShowCommand } from './args.ts';
import { runLimiter } from './limiter.ts';
import { runSweepCommand } from './sweep.ts';
import { formatSummary } from './summary.ts';

/** The outside world as the CLI sees it; tests pass fakes. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a UTF-8 text file; rejects (like fs) when it cannot. */
  readFile(path: string): Promise<string>;
  writeFile(path: string, data: string): Promise<void>;
  /** Whether stderr is a terminal (`sim sweep` prints progress there by default only then). */
  readonly stderrIsTTY?: boolean;
  /** A clock in ms for spacing progress lines (default: `performance.now`); tests pass a fake. */
  readonly now?: () => number;
}

/** Exit codes. */
export const EXIT_OK = 0;
export const EXIT_CRASH = 1;
export const EXIT_USAGE = 2;

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
    case 'show':
      return show(command, io);
    case 'limiter':
      return runLimiter(command, io);
    case 'sweep':
      return runSweepCommand(command, io);
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
  const loaded = await loadScenario('run', command.scenario, io);
  if (!loaded.ok) {
    io.stderr(loaded.error.endsWith('\n') ? loaded.error : `${loaded.error}\n`);
    return loaded.code;
  }
  const { scenario, source } = loaded.value;

  // Refused before anything is built: a billion groups would hang the build itself (ADR 0012).
  const tooBig = command.allowLong ? null : overBudget(scenario, command.untilMs);
  if (tooBig !== null) {
    io.stderr(`sim run: ${source}: ${tooBig}; shorten or shrink it, or run it anyway with --allow-long\n`);
    return EXIT_USAGE;
  }

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
      io.stderr(`sim run: cannot write the trace to ${printable(command.tracePath)}: ${errorMessage(error)}\n`);
      return EXIT_USAGE;
    }
    if (trace.truncated) {
      io.stderr(
        `sim run: the trace was truncated: ${trace.events.length} of ${trace.count} events were kept and written to ` +
          `${printable(command.tracePath)} (raise scenario.trace.maxEvents to keep more); the trace hash still covers every event\n`,
      );
    }
  }

  io.stdout(command.json ? `${JSON.stringify(report)}\n` : formatSummary({ report, scenario, events: trace.events, source, command }));
  return EXIT_OK;
}

/**
 * Prints the scenario exactly as a run uses it: parsed, with every default filled in, as a
 * pretty-printed JSON file. Printing the parsed scenario (not the preset's short source) is what
 * makes the file complete, so a student sees every switch there is; and since parsing a parsed
 * scenario changes nothing, running the saved file gives the preset's trace hash.
 */
async function show(command: ShowCommand, io: CliIo): Promise<number> {
  const loaded = await loadScenario('show', command.scenario, io);
  if (!loaded.ok) {
    io.stderr(loaded.error.endsWith('\n') ? loaded.error : `${loaded.error}\n`);
    return loaded.code;
  }
  io.stdout(`${JSON.stringify(loaded.value.scenario, null, 2)}\n`);
  return EXIT_OK;
}

/**
 * Resolves `--scenario`: a value naming an existing file (or ending in .json, or containing a path
 * separator) is read as a scenario file; otherwise it must be a preset id.
 */
async function loadScenario(commandName: 'run' | 'show', value: string, io: CliIo): Promise<Loaded> {
  const who = `sim ${commandName}`;
  // The path as it is echoed: control characters escaped, so it cannot forge lines.
  const shown = printable(value);
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
      return { ok: false, code: EXIT_USAGE, error: `${who}: unknown preset '${shown}' (and no such file); the presets are: ${ids}` };
    }
    const parsed = parseScenario(preset.scenario);
    if (!parsed.ok) {
      // A preset that fails its own schema is a bug in the presets, not in the command line.
      return { ok: false, code: EXIT_CRASH, error: parsed.errors.map((e) => `preset ${preset.id}: ${e}`).join('\n') };
    }
    return { ok: true, value: { scenario: parsed.scenario, source: `preset ${preset.id}` } };
  }

  if (text === null) {
    // Name the presets too: someone who typed `group-chat.json` may have meant the preset.
    const ids = PRESETS.map((p) => p.id).join(', ');
    return { ok: false, code: EXIT_USAGE, error: `${who}: cannot read the scenario file ${shown}: ${errorMessage(readError)}\n(the presets, which need no file, are: ${ids})` };
  }

  // A UTF-8 byte order mark (Windows editors write one) is not part of the JSON text.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: EXIT_USAGE, error: `${who}: ${shown} is not valid JSON: ${errorMessage(error)}` };
  }
  const parsed = parseScenario(json);
  if (!parsed.ok) return { ok: false, code: EXIT_USAGE, error: problemLines(`${who}: ${shown}: `, parsed.errors) };
  return { ok: true, value: { scenario: parsed.scenario, source: `file ${shown}` } };
}

/**
 * One line per problem, each starting with `prefix`, at most {@link MAX_PROBLEM_LINES} of them and
 * then a count of the rest: a 10 MB file with a million bad entries prints 21 lines, not a million.
 */
export function problemLines(prefix: string, problems: readonly string[]): string {
  const shown = problems.slice(0, MAX_PROBLEM_LINES).map((p) => `${prefix}${printable(p)}`);
  const rest = problems.length - shown.length;
  if (rest > 0) shown.push(`${prefix}… and ${rest.toLocaleString('en-US')} more problem${rest === 1 ? '' : 's'}`);
  return shown.join('\n');
}

/** An error's message, control characters escaped (a file system error repeats the path). */
function errorMessage(error: unknown): string {
  return printable(error instanceof Error ? error.message : String(error));
}

/** The real file system and streams. */
const nodeIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, data) => writeFile(path, data, 'utf8'),
  stderrIsTTY: process.stderr.isTTY === true,
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
