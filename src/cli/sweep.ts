/**
 * `sim sweep`: one scenario over one or two axes and a list of seeds, every run real, printed as
 * JSON or CSV for an instructor's slides (ADR 0019). The plan is validated before anything runs
 * (`planSweep`: an unknown path, a refused value or a point over the work budget is one line on
 * stderr, exit 2, empty stdout); the runs go to a pool of worker threads (./sweepPool.ts) and the
 * output is the same for any number of them. Progress goes to stderr only (`sweep: 7/15 runs`),
 * by default when stderr is a terminal; `--progress` forces it, `--quiet` silences it.
 */
import { figureDoc, figureNames, planSweep, sweepCsv, type SweepPlan, type SweepResult, type SweepSpec } from '../sim/index.ts';
import { MAX_PROBLEM_LINES, printable } from './args.ts';
import type { SweepCommand } from './sweepArgs.ts';
import { defaultWorkerCount, runSweepInWorkers } from './sweepPool.ts';

/** The parts of the CLI's io a sweep uses. */
export interface SweepIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  /** Whether stderr is a terminal (progress is printed there by default only then). */
  readonly stderrIsTTY?: boolean;
  /** A clock in ms for spacing the progress lines (default: `performance.now`). */
  readonly now?: () => number;
}

/** The least time between two progress lines: at most four a second. */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * A progress reporter for `sim sweep` on stderr: `sweep: 7/15 runs`, at most one line per
 * {@link PROGRESS_INTERVAL_MS} and always the last one, or nothing when progress is off (or
 * `auto` and stderr is not a terminal). It only ever writes to stderr, so stdout is the same
 * with and without it.
 */
export function progressReporter(mode: SweepCommand['progress'], io: SweepIo): ((done: number, total: number) => void) | undefined {
  const on = mode === 'on' || (mode === 'auto' && io.stderrIsTTY === true);
  if (!on) return undefined;
  const now = io.now ?? (() => performance.now());
  let last = Number.NEGATIVE_INFINITY;
  return (done, total) => {
    const t = now();
    if (done < total && t - last < PROGRESS_INTERVAL_MS) return;
    last = t;
    io.stderr(`sweep: ${done}/${total} runs\n`);
  };
}

const EXIT_OK = 0;
const EXIT_CRASH = 1;
const EXIT_USAGE = 2;

/** `--scenario` as a sweep takes it: a preset id (validated by the plan) or a scenario file's object. */
async function scenarioOf(value: string, io: SweepIo): Promise<{ ok: true; scenario: SweepSpec['scenario'] } | { ok: false; error: string }> {
  const shown = printable(value);
  const looksLikePath = value.endsWith('.json') || value.includes('/') || value.includes('\\');
  let text: string;
  try {
    text = await io.readFile(value);
  } catch (error) {
    if (!looksLikePath) return { ok: true, scenario: value };
    return { ok: false, error: `sim sweep: cannot read the scenario file ${shown}: ${printable(error instanceof Error ? error.message : String(error))}` };
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `sim sweep: ${shown} is not valid JSON: ${printable(error instanceof Error ? error.message : String(error))}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, error: `sim sweep: ${shown} is not a scenario object` };
  return { ok: true, scenario: json as Record<string, unknown> };
}

/** Problem lines under a prefix, at most {@link MAX_PROBLEM_LINES}, then a count of the rest. */
function problemLines(prefix: string, problems: readonly string[]): string {
  const shown = problems.slice(0, MAX_PROBLEM_LINES).map((p) => `${prefix}${printable(p)}`);
  const rest = problems.length - shown.length;
  if (rest > 0) shown.push(`${prefix}… and ${rest} more problem${rest === 1 ? '' : 's'}`);
  return `${shown.join('\n')}\n`;
}

/**
 * The JSON form: the sweep (`scenario` is the preset id or the file as given), the unit of every
 * figure, the points (with the patch that opens each) and every result.
 */
export function sweepJson(plan: SweepPlan, results: readonly SweepResult[], scenario: string): string {
  const figures: Record<string, { unit: string; description: string }> = {};
  for (const name of figureNames(results)) {
    const doc = figureDoc(name);
    if (doc !== null) figures[name] = { unit: doc.unit, description: doc.description };
  }
  const { spec } = plan;
  return `${JSON.stringify({
    scenario,
    ...(spec.patch === undefined ? {} : { patch: spec.patch }),
    axes: spec.axes,
    seeds: spec.seeds,
    figures,
    points: plan.points.map((p) => ({ index: p.index, values: p.values, patch: p.patch, scenarioHash: p.scenarioHash })),
    results,
  })}\n`;
}

/**
 * Runs `sim sweep` and returns the exit code. Never throws.
 *
 * @example
 * await runSweepCommand({ kind: 'sweep', scenario: 'group-chat', axes: [{ path: 'topology.wsServers', values: [1, 2] }], seeds: [1], format: 'csv', progress: 'auto' }, io);
 */
export async function runSweepCommand(command: SweepCommand, io: SweepIo): Promise<number> {
  const loaded = await scenarioOf(command.scenario, io);
  if (!loaded.ok) {
    io.stderr(`${loaded.error}\n`);
    return EXIT_USAGE;
  }
  const planned = planSweep({ scenario: loaded.scenario, axes: command.axes, seeds: command.seeds, ...(command.patch === undefined ? {} : { patch: command.patch }) });
  if (!planned.ok) {
    io.stderr(problemLines('sim sweep: ', planned.errors));
    return EXIT_USAGE;
  }
  let results: SweepResult[];
  const onProgress = progressReporter(command.progress, io);
  try {
    results = await runSweepInWorkers(planned.plan, { workers: command.workers ?? defaultWorkerCount(), ...(onProgress === undefined ? {} : { onProgress }) });
  } catch (error) {
    io.stderr(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_CRASH;
  }
  io.stdout(command.format === 'json' ? sweepJson(planned.plan, results, command.scenario) : sweepCsv(planned.plan, results));
  return EXIT_OK;
}
