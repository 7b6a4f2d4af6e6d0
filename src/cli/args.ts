/**
 * Argument parsing for the `sim` command line, kept apart from the simulation so that it is a pure
 * function of the argument list: it reads no files and runs nothing, which makes every accepted
 * and refused command line cheap to unit test.
 */
import { parseArgs as parseNodeArgs } from 'node:util';
import { LIMITER_CLI_OPTIONS, LIMITER_NUMERIC_FLAGS, LIMITER_USAGE, limiterCommandFrom, type LimiterCommand } from './limiter.ts';
import { SWEEP_CLI_OPTIONS, SWEEP_USAGE, sweepCommandFrom, type SweepCommand } from './sweepArgs.ts';

/** The largest seed the PRNG accepts (seeds are unsigned 32-bit integers). */
export const MAX_SEED = 0xffff_ffff;

/** `sim run`: one simulated run of a preset or a scenario file. */
export interface RunCommand {
  readonly kind: 'run';
  /** A preset id or a path to a scenario JSON file (resolved by the caller, which may read files). */
  readonly scenario: string;
  readonly seed: number;
  /** Stop the run at this virtual time instead of the scenario's durationMs + settleMs. */
  readonly untilMs?: number;
  /** Print the RunReport as one JSON object instead of the readable summary. */
  readonly json: boolean;
  /** Write the trace as JSON lines to this file. */
  readonly tracePath?: string;
  /** Run even when the work estimate is above the budget (docs/adr/0012-work-budget.md). */
  readonly allowLong: boolean;
}

/** `sim show`: print a preset or a scenario file as a complete scenario file, defaults filled in. */
export interface ShowCommand {
  readonly kind: 'show';
  /** A preset id or a path to a scenario JSON file, resolved like `run --scenario`. */
  readonly scenario: string;
}

/** A parsed command line. */
export type Command = { readonly kind: 'help' } | { readonly kind: 'list' } | RunCommand | ShowCommand | LimiterCommand | SweepCommand;

/** The result of {@link parseArgs}: a command, or one sentence saying what is wrong. */
export type ParsedArgs = { readonly ok: true; readonly command: Command } | { readonly ok: false; readonly error: string };

/** The most problems printed for one bad scenario; the rest are counted ("… and 9,980 more"). */
export const MAX_PROBLEM_LINES = 20;

/** The commands, which are also the topics `help` accepts. */
export const COMMANDS = ['list', 'run', 'show', 'limiter', 'sweep', 'help'] as const;

/** The usage text printed by `sim help`, `--help`, and after some errors. */
export const USAGE = `Switchboard simulator: runs the simulated chat cluster from the command line.

Usage:
  npm run --silent sim -- list
  npm run --silent sim -- run --scenario <preset id | file.json> --seed <n> [options]
  npm run --silent sim -- show --scenario <preset id | file.json>
  npm run --silent sim -- limiter --algorithm <name> --limit <n> --window-ms <n> --times <t1,t2,...> [options]
  npm run --silent sim -- sweep --scenario <preset id | file.json> --vary <path=v1,v2,...> --seeds <1..3> --json|--csv
  npm run --silent sim -- help [list | run | show | limiter | sweep | help]

Commands:
  list                  List the preset scenarios with a one-line summary each.
  run                   Run one scenario and print a summary (or the JSON report).
  show                  Print a scenario as a complete JSON file, every default filled in: save
                        it, edit it, and run it with \`run --scenario <file>\`.
  limiter               Run request times through one rate limiter and print each decision.
  sweep                 Run a scenario over one or two varied fields and several seeds, in
                        parallel, and print every run's measured figures as JSON or CSV.
  help [command]        Print this text (any command's name is accepted; others are refused).

Options for run:
  --scenario <s>        A preset id (see \`list\`) or a path to a scenario JSON file.
  --seed <n>            Required. An integer from 0 to ${MAX_SEED}. The same scenario and
                        seed always give the same run, so there is no random default.
  --until-ms <n>        Stop at this virtual time (ms). Default: durationMs + settleMs.
  --json                Print exactly one JSON object (the run report) and nothing else. Its
                        latencyMs is null when no message was shown (nothing to time).
  --trace <file>        Write the trace to <file> as JSON lines, one event per line.
  --allow-long          Run even when the estimated work is above the budget (about 2.5 times
                        the million-users preset; see docs/adr/0012-work-budget.md). Without it
                        such a run is refused, naming the biggest term of the estimate.
  -h, --help            Print this text.

Options for show:
  --scenario <s>        A preset id (see \`list\`) or a path to a scenario JSON file. The same
                        seed gives the same trace hash for the preset and the printed file.

${LIMITER_USAGE}
${SWEEP_USAGE}
Exit codes: 0 success, 1 the run crashed, 2 a bad command line or scenario (then stdout is
empty and stderr says why, one line per problem, at most ${MAX_PROBLEM_LINES} of them).
`;


const RUN_OPTIONS = {
  scenario: { type: 'string' },
  seed: { type: 'string' },
  'until-ms': { type: 'string' },
  json: { type: 'boolean' },
  trace: { type: 'string' },
  'allow-long': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const SHOW_OPTIONS = {
  scenario: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP_ONLY_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options that take a number: a negative number after them is a value, not a flag. */
const NUMERIC_OPTIONS = new Set(['--seed', '--until-ms']);

/**
 * Parses the arguments after `sim` (for `npm run sim -- run --seed 1`, that is
 * `['run', '--seed', '1']`). Unknown commands and flags, repeated flags, stray arguments and bad
 * numbers are refused with a sentence that names the culprit.
 *
 * @example
 * parseArgs(['run', '--scenario', 'private-chat', '--seed', '42', '--json']);
 * // { ok: true, command: { kind: 'run', scenario: 'private-chat', seed: 42, json: true } }
 * parseArgs(['run', '--scenario', 'private-chat']);
 * // { ok: false, error: 'sim run: --seed is required …' }
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [first, ...rest] = argv;
  if (first === 'help') return parseHelp(rest);
  if (first === undefined || first === '--help' || first === '-h') return { ok: true, command: { kind: 'help' } };
  if (first.startsWith('-')) return fail(`sim: expected a command (list, run, show, limiter, sweep, help) before ${quote(first)}`);
  switch (first) {
    case 'list':
      return parseList(rest);
    case 'run':
      return parseRun(rest);
    case 'show':
      return parseShow(rest);
    case 'limiter':
      return parseLimiter(rest);
    case 'sweep':
      return parseSweep(rest);
    default:
      return fail(`sim: unknown command ${quote(first)}; the commands are list, run, show, limiter, sweep and help`);
  }
}

/** `help` alone or with one command's name; anything else is a mistake worth saying so. */
function parseHelp(args: readonly string[]): ParsedArgs {
  const [topic, extra] = args;
  if (topic === undefined || topic === '--help' || topic === '-h') return { ok: true, command: { kind: 'help' } };
  if (!(COMMANDS as readonly string[]).includes(topic)) {
    return fail(`sim help: unknown topic ${quote(topic)}; the topics are the commands: ${COMMANDS.join(', ')}`);
  }
  if (extra !== undefined) return fail(`sim help: unexpected argument ${quote(extra)} (help takes one topic)`);
  return { ok: true, command: { kind: 'help' } };
}

function parseList(args: readonly string[]): ParsedArgs {
  const parsed = strictParse('list', args, HELP_ONLY_OPTIONS);
  if (!parsed.ok) return parsed;
  if (parsed.values['help'] === true) return { ok: true, command: { kind: 'help' } };
  return { ok: true, command: { kind: 'list' } };
}

function parseRun(args: readonly string[]): ParsedArgs {
  const parsed = strictParse('run', joinNegativeNumbers(args, NUMERIC_OPTIONS), RUN_OPTIONS);
  if (!parsed.ok) return parsed;
  const v = parsed.values;
  if (v['help'] === true) return { ok: true, command: { kind: 'help' } };

  const scenario = v['scenario'];
  if (typeof scenario !== 'string' || scenario === '') return fail('sim run: --scenario is required: a preset id (see `sim list`) or a path to a scenario JSON file');

  const seedText = v['seed'];
  if (typeof seedText !== 'string') return fail(`sim run: --seed is required (an integer from 0 to ${MAX_SEED}); a run is only reproducible from its seed`);
  const seed = parseWholeNumber(seedText);
  if (seed === null || seed > MAX_SEED) return fail(`sim run: --seed must be an integer from 0 to ${MAX_SEED}, got ${quote(seedText)}`);

  const untilText = v['until-ms'];
  let untilMs: number | undefined;
  if (typeof untilText === 'string') {
    const n = parseWholeNumber(untilText);
    if (n === null || !Number.isSafeInteger(n)) return fail(`sim run: --until-ms must be a non-negative integer number of virtual ms, got ${quote(untilText)}`);
    untilMs = n;
  }

  const tracePath = v['trace'];
  if (tracePath === '') return fail('sim run: --trace needs a file name');

  const command: RunCommand = {
    kind: 'run',
    scenario,
    seed,
    json: v['json'] === true,
    allowLong: v['allow-long'] === true,
    ...(untilMs === undefined ? {} : { untilMs }),
    ...(typeof tracePath === 'string' ? { tracePath } : {}),
  };
  return { ok: true, command };
}

function parseShow(args: readonly string[]): ParsedArgs {
  const parsed = strictParse('show', args, SHOW_OPTIONS);
  if (!parsed.ok) return parsed;
  if (parsed.values['help'] === true) return { ok: true, command: { kind: 'help' } };
  const scenario = parsed.values['scenario'];
  if (typeof scenario !== 'string' || scenario === '') return fail('sim show: --scenario is required: a preset id (see `sim list`) or a path to a scenario JSON file');
  return { ok: true, command: { kind: 'show', scenario } };
}

function parseLimiter(args: readonly string[]): ParsedArgs {
  const parsed = strictParse('limiter', joinNegativeNumbers(args, LIMITER_NUMERIC_FLAGS), LIMITER_CLI_OPTIONS);
  if (!parsed.ok) return parsed;
  if (parsed.values['help'] === true) return { ok: true, command: { kind: 'help' } };
  // No limiter flag is `multiple`, so every value is a string or a switch.
  return limiterCommandFrom(parsed.values as Readonly<Record<string, string | boolean | undefined>>);
}

function parseSweep(args: readonly string[]): ParsedArgs {
  const parsed = strictParse('sweep', args, SWEEP_CLI_OPTIONS);
  if (!parsed.ok) return parsed;
  if (parsed.values['help'] === true) return { ok: true, command: { kind: 'help' } };
  return sweepCommandFrom(parsed.values);
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/**
 * Runs Node's strict parser and turns its exceptions into our sentences. Repeated flags are
 * refused rather than letting the last one win, because a command line with two seeds is more
 * likely a mistake than a wish.
 */
function strictParse(
  command: string,
  args: readonly string[],
  options: OptionSpec,
): { ok: true; values: Record<string, string | boolean | string[] | undefined> } | { ok: false; error: string } {
  let result;
  try {
    result = parseNodeArgs({ args: [...args], options, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    return fail(describeParseError(command, error));
  }
  if (result.positionals.length > 0) return fail(`sim ${command}: unexpected argument ${quote(result.positionals[0] ?? '')}`);
  const seen = new Set<string>();
  for (const token of result.tokens ?? []) {
    // An option declared `multiple` (sweep's --vary) is meant to be given more than once.
    if (token.kind !== 'option' || options[token.name]?.multiple === true) continue;
    if (seen.has(token.name)) return fail(`sim ${command}: --${token.name} is given more than once`);
    seen.add(token.name);
  }
  return { ok: true, values: result.values as Record<string, string | boolean | string[] | undefined> };
}

/** Rewrites Node's parser errors (which suggest shell quoting tricks) into short sentences. */
function describeParseError(command: string, error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `sim ${command}: unknown flag ${quote(flag)} (see \`sim help\`)`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('does not take an argument')) return `sim ${command}: ${flag} is a switch and takes no value`;
    return `sim ${command}: ${flag} needs a value`;
  }
  return `sim ${command}: ${message}`;
}

/**
 * `--seed -1` would make Node's parser treat `-1` as a flag; joining it into `--seed=-1` lets the
 * number check report "must be an integer from 0…" instead of a puzzling "missing value".
 */
function joinNegativeNumbers(args: readonly string[], numeric: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    if (numeric.has(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** A string of decimal digits as a number, or null (no signs, decimals, exponents or blanks). */
function parseWholeNumber(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Quotes something the person typed for a message, with control characters escaped (`\n`,
 * `\u001b`), so that a newline or an escape sequence in a path cannot forge lines or colours in
 * the terminal.
 */
export function quote(text: string): string {
  return `'${printable(text)}'`;
}

/**
 * Text with every control character (C0, DEL, C1, and the line and paragraph separators) written
 * as an escape, the way JSON writes them.
 *
 * @example
 * printable('a\nb.json'); // 'a\\nb.json'
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const named: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
