/**
 * Seeded fault fuzzing of the presets whose designs claim to be correct.
 *
 *   npm run --silent fuzz -- [--seconds 60] [--from 1] [--max-seeds N]
 *   npm run --silent fuzz -- --swarm [--kinds crash-ws,link-drop,…] [--seconds 60] [--from 1] [--max-seeds N]
 *
 * For each seed from --from upward, every protected preset runs once with extra faults drawn from
 * the seed (see src/sim/cluster/fuzz.ts, which holds all the logic). With --swarm, each seed draws
 * a design and a mix of fault kinds instead (src/sim/cluster/swarm.ts), is judged by what its
 * design claims, and a failure is shrunk to the fewest fault episodes that still fail. A run with
 * violations, or one that crashes, is printed with its seed and faults, so it can be replayed
 * exactly. The budget is checked before each run; a run already started (and its shrinking) is
 * allowed to finish. Exit code 0 when every run passed, 1 when any failed, 2 for a bad command
 * line.
 */
import { parseArgs } from 'node:util';
import {
  FAULT_KINDS,
  FUZZ_PRESETS,
  describeDesign,
  faultsOf,
  formatFault,
  fuzzOnce,
  replayLine,
  shrink,
  swarmCase,
  swarmReplayLine,
  swarmWith,
  type FaultKind,
  type FuzzResult,
  type SwarmResult,
} from '../src/sim/kernel.ts';

/** Violations printed per failing run. */
const VIOLATIONS_SHOWN = 5;

interface Options {
  seconds: number;
  from: number;
  maxSeeds: number;
  /** Swarm mode, with the fault kinds allowed (null: every kind). */
  swarm: { kinds: readonly FaultKind[] | null } | null;
}

function parseOptions(argv: string[]): Options | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { seconds: { type: 'string' }, from: { type: 'string' }, 'max-seeds': { type: 'string' }, swarm: { type: 'boolean' }, kinds: { type: 'string' } },
    }));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const whole = (name: string, text: string | undefined, fallback: number, min: number): number | string => {
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) return `--${name} must be an integer ≥ ${min}, got '${text}'`;
    return Number(text);
  };
  const seconds = whole('seconds', values.seconds, 60, 1);
  const from = whole('from', values.from, 1, 0);
  const maxSeeds = whole('max-seeds', values['max-seeds'], Number.MAX_SAFE_INTEGER, 1);
  for (const v of [seconds, from, maxSeeds]) if (typeof v === 'string') return v;
  if ((from as number) > 0xffff_ffff) return `--from must be at most 4294967295`;
  let swarm: Options['swarm'] = null;
  if (values.kinds !== undefined && values.swarm !== true) return '--kinds needs --swarm';
  if (values.swarm === true) {
    let kinds: FaultKind[] | null = null;
    if (values.kinds !== undefined) {
      kinds = [];
      for (const k of values.kinds.split(',')) {
        if (!(FAULT_KINDS as readonly string[]).includes(k)) return `--kinds: unknown fault kind ${JSON.stringify(k)}; the kinds are ${FAULT_KINDS.join(', ')}`;
        kinds.push(k as FaultKind);
      }
    }
    swarm = { kinds };
  }
  return { seconds: seconds as number, from: from as number, maxSeeds: maxSeeds as number, swarm };
}

function report(result: FuzzResult): void {
  const lines = [`FAIL ${result.preset} seed ${result.seed}`];
  // The faults written out, so the regression test pins this exact run, not a (preset, seed) a
  // later change could redraw.
  lines.push(`  replay (pin this in fuzz.test.ts): ${replayLine(result)}`);
  lines.push('  faults:');
  for (const f of result.faults) lines.push(`    ${formatFault(f)}`);
  if (result.error !== undefined) {
    lines.push('  the run crashed:');
    lines.push(...result.error.split('\n').map((l) => `    ${l}`));
  } else if (result.report !== null) {
    const vs = result.report.violations;
    lines.push(`  violations (${vs.length}):`);
    for (const v of vs.slice(0, VIOLATIONS_SHOWN)) lines.push(`    [${v.checker}] t=${v.at} ms seq ${v.seq}: ${v.message}`);
    if (vs.length > VIOLATIONS_SHOWN) lines.push(`    … and ${vs.length - VIOLATIONS_SHOWN} more`);
  }
  console.log(lines.join('\n'));
}

function reportSwarm(whole: SwarmResult, shrunk: SwarmResult, runs: number): void {
  const lines = [`FAIL swarm seed ${whole.seed}: ${whole.error !== undefined ? 'the run crashed' : `broke ${whole.broken.join(', ')}`}`];
  lines.push(`  design: ${describeDesign(whole.design)}`);
  lines.push(`  shrunk from ${whole.faults.length} faults to ${shrunk.faults.length} in ${runs} runs; replay (pin this in swarm.test.ts):`);
  lines.push(`    ${swarmReplayLine(shrunk)}`);
  lines.push('  faults:');
  for (const f of shrunk.faults) lines.push(`    ${formatFault(f)}`);
  if (shrunk.error !== undefined) lines.push(...shrunk.error.split('\n').map((l) => `    ${l}`));
  else if (shrunk.report !== null) {
    const vs = shrunk.report.violations.filter((v) => shrunk.broken.includes(v.checker));
    lines.push(`  violations of what the design claims (${vs.length}):`);
    for (const v of vs.slice(0, VIOLATIONS_SHOWN)) lines.push(`    [${v.checker}] t=${v.at} ms seq ${v.seq}: ${v.message}`);
    if (vs.length > VIOLATIONS_SHOWN) lines.push(`    … and ${vs.length - VIOLATIONS_SHOWN} more`);
  }
  console.log(lines.join('\n'));
}

function swarm(options: Options, kinds: readonly FaultKind[] | null): number {
  const deadline = performance.now() + options.seconds * 1000;
  let passed = 0;
  let failed = 0;
  console.log(`fuzz --swarm: fault kinds ${(kinds ?? FAULT_KINDS).join(', ')}; seeds from ${options.from}; budget ${options.seconds} s`);
  for (let i = 0; i < options.maxSeeds; i++) {
    const seed = options.from + i;
    if (seed > 0xffff_ffff || performance.now() >= deadline) break;
    const c = swarmCase(seed, kinds === null ? {} : { kinds });
    const first = swarmWith(c.design, seed, faultsOf(c.episodes));
    if (first.ok) {
      passed++;
      continue;
    }
    failed++;
    const { result, runs } = shrink(c);
    reportSwarm(first, result, runs);
  }
  console.log(`fuzz --swarm: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

function fuzz(options: Options): number {
  const deadline = performance.now() + options.seconds * 1000;
  let passed = 0;
  let failed = 0;
  console.log(`fuzz: presets ${FUZZ_PRESETS.join(', ')}; seeds from ${options.from}; budget ${options.seconds} s`);
  outer: for (let i = 0; i < options.maxSeeds; i++) {
    const seed = options.from + i;
    if (seed > 0xffff_ffff) break;
    for (const preset of FUZZ_PRESETS) {
      if (performance.now() >= deadline) break outer;
      const result = fuzzOnce(preset, seed);
      if (result.ok) passed++;
      else {
        failed++;
        report(result);
      }
    }
  }
  console.log(`fuzz: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

const options = parseOptions(process.argv.slice(2));
if (typeof options === 'string') {
  console.error(`fuzz: ${options}`);
  process.exitCode = 2;
} else {
  process.exitCode = options.swarm === null ? fuzz(options) : swarm(options, options.swarm.kinds);
}
