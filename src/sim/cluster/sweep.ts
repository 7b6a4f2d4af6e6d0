/**
 * Sweeps: one scenario run over a grid of settings and seeds, each run reduced to flat measured
 * figures, so that a trade-off chart, a lab's table or an instructor's slide is filled from real
 * runs and never from canned numbers (ADR 0019).
 *
 * A sweep is a scenario (a preset id, or a scenario object) with an optional JSON merge patch,
 * one or two axes (`{ path: 'chat.ordering', values: ['none', 'per-channel'] }`, a dotted field of
 * the scenario and the values it takes) and a list of seeds. {@link planSweep} validates all of it
 * before anything runs (every refusal is one line naming the axis and the value), and lays out one
 * point per combination of axis values and one job per (point, seed). {@link runSweepJob} runs one
 * job: it is a pure function of the job, so jobs may run in any order, on any number of workers,
 * and {@link orderResults} puts them back in the plan's order. The same spec gives byte-identical
 * results.
 *
 * The figures ({@link SWEEP_FIGURES}) are taken from the run's report: counts, latency
 * percentiles, network messages per stored message and per component, transport costs, CPU per
 * node kind and violations per checker, each with its unit.
 */
import type { RunReport } from '../contract/index.ts';
import { hashText } from '../core/trace.ts';
import { Simulation } from '../engine/simulation.ts';
import { overBudget } from '../scenario/budget.ts';
import { buildCluster } from '../scenario/build.ts';
import { deepMerge, isPlainObject } from '../scenario/patch.ts';
import { PRESETS, presetById } from '../scenario/presets.ts';
import { parseScenario, scenarioSchema, type Scenario } from '../scenario/schema.ts';
import { createWatchers, runFacts } from './run.ts';

/** One axis of a sweep: a dotted field of the scenario and the values it takes, in order. */
export interface SweepAxis {
  /** A dotted path into the scenario (`chat.ordering`, `topology.wsServers`). */
  readonly path: string;
  /** The values, in the order the chart and the table show them (JSON values, no nulls). */
  readonly values: readonly unknown[];
}

/** What to sweep. Plain data: it crosses to workers and into files as it is. */
export interface SweepSpec {
  /** A preset id (`group-chat`) or a whole scenario object (what `sim show` prints). */
  readonly scenario: string | Readonly<Record<string, unknown>>;
  /** A JSON merge patch over the scenario, applied before the axes (a lab's variant). */
  readonly patch?: unknown;
  /** One or two axes. */
  readonly axes: readonly SweepAxis[];
  /** The seeds every point runs with (integers from 0 to 4294967295, no repeats). */
  readonly seeds: readonly number[];
}

/** One combination of axis values, validated. */
export interface SweepPoint {
  /** Its place in the plan (axis 1 outer, axis 2 inner). */
  readonly index: number;
  /** One value per axis, in the axes' order. */
  readonly values: readonly unknown[];
  /**
   * The spec's patch with the axis values written in: with `spec.scenario`, exactly this point's
   * scenario (`buildRun(id, seed, patch)` opens the same run).
   */
  readonly patch: unknown;
  readonly scenario: Scenario;
  /** {@link scenarioHash} of `scenario`: equal scenarios share it (and a cache entry). */
  readonly scenarioHash: string;
}

/** One run of a sweep: a point with one seed. Plain data, so it can be posted to a worker. */
export interface SweepJob {
  readonly point: number;
  readonly values: readonly unknown[];
  readonly seed: number;
  readonly scenario: Scenario;
  readonly scenarioHash: string;
}

/** A validated sweep: its points, and its jobs in their canonical order (point, then seed). */
export interface SweepPlan {
  readonly spec: SweepSpec;
  readonly points: readonly SweepPoint[];
  readonly jobs: readonly SweepJob[];
}

/** Flat measured figures of one run: name → value (null: not measured, e.g. no latency without sends). */
export type SweepFigures = Readonly<Record<string, number | null>>;

/** What one run measured, independent of the sweep that asked for it (what a cache keeps). */
export interface SweepMeasurement {
  /** The run's trace hash: the run itself, checkable against `sim run`. */
  readonly traceHash: string;
  readonly figures: SweepFigures;
}

/** One result of a sweep: a job and what its run measured. */
export interface SweepResult extends SweepMeasurement {
  readonly point: number;
  readonly values: readonly unknown[];
  readonly seed: number;
  readonly scenarioHash: string;
}

/** The result of {@link planSweep}. */
export type SweepPlanResult = { readonly ok: true; readonly plan: SweepPlan } | { readonly ok: false; readonly errors: readonly string[] };

/** The most axes a sweep has (a chart shows one along x and the other as separate lines). */
export const SWEEP_MAX_AXES = 2;
/** The most values one axis takes. */
export const SWEEP_MAX_VALUES = 50;
/** The most seeds one sweep takes. */
export const SWEEP_MAX_SEEDS = 100;
/** The most runs (points × seeds) one sweep does: everything has a limit. */
export const SWEEP_MAX_RUNS = 1_000;

const MAX_SEED = 0xffff_ffff;

/** A value as a message shows it: JSON, cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// The schema's fields, for naming an unknown path [1]

interface SchemaDef {
  readonly type: string;
  readonly shape?: Readonly<Record<string, unknown>>;
  readonly innerType?: unknown;
  readonly in?: unknown;
  readonly element?: unknown;
  readonly options?: readonly unknown[];
}

function defOf(schema: unknown): SchemaDef | null {
  const def = (schema as { _zod?: { def?: SchemaDef } } | null)?._zod?.def;
  return def ?? null;
}

/** The object schemas a value at `schema` may be (wrappers unwrapped, union options expanded). */
function objectShapes(schema: unknown, depth = 0): Readonly<Record<string, unknown>>[] {
  const def = defOf(schema);
  if (def === null || depth > 20) return [];
  switch (def.type) {
    case 'object':
      return def.shape === undefined ? [] : [def.shape];
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return objectShapes(def.innerType, depth + 1);
    case 'pipe':
      return objectShapes(def.in, depth + 1);
    case 'union':
      return (def.options ?? []).flatMap((o) => objectShapes(o, depth + 1));
    default:
      return [];
  }
}

/** True when the schema at this level is a list (a path cannot index into it). */
function isList(schema: unknown, depth = 0): boolean {
  const def = defOf(schema);
  if (def === null || depth > 20) return false;
  if (def.type === 'array') return true;
  if (def.innerType !== undefined) return isList(def.innerType, depth + 1);
  if (def.type === 'pipe') return isList(def.in, depth + 1);
  return false;
}

/**
 * Null when `segments` names a field the scenario schema knows, else why not (the fields it
 * could have named at the level where it went wrong).
 */
function unknownPath(segments: readonly string[]): string | null {
  let schema: unknown = scenarioSchema;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string;
    const where = i === 0 ? 'the scenario' : segments.slice(0, i).join('.');
    const shapes = objectShapes(schema);
    if (shapes.length === 0) {
      return isList(schema)
        ? `${where} is a list: a sweep varies a whole field, not one entry of a list (vary ${where} itself)`
        : `${where} is a value, not a group of fields`;
    }
    const owner = shapes.find((s) => Object.hasOwn(s, seg));
    if (owner === undefined) {
      const fields = [...new Set(shapes.flatMap((s) => Object.keys(s)))].sort();
      return `${where} has no field '${seg}' (its fields: ${fields.join(', ')})`;
    }
    schema = owner[seg];
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Patches

/** A merge patch that sets `segments` to `value`, replacing (not merging) an object already there [2]. */
function patchAt(segments: readonly string[], value: unknown, current: unknown): unknown {
  let leaf: unknown = value;
  if (isPlainObject(value) && isPlainObject(current)) leaf = replacement(current, value);
  for (let i = segments.length - 1; i >= 0; i--) leaf = { [segments[i] as string]: leaf };
  return leaf;
}

/** The merge patch that turns `from` into `to` where both are objects: keys `to` lacks are deleted. */
function replacement(from: Readonly<Record<string, unknown>>, to: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(from)) if (!Object.hasOwn(to, k)) out[k] = null;
  for (const [k, v] of Object.entries(to)) out[k] = isPlainObject(v) && isPlainObject(from[k]) ? replacement(from[k], v) : v;
  return out;
}

/**
 * Two merge patches as one: applying the result equals applying `a` then `b`. Unlike applying a
 * patch, a null in `b` stays a null (it must still delete when the composed patch is applied).
 */
function composePatches(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (!isPlainObject(a) || !isPlainObject(b)) return b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = Object.hasOwn(out, k) && v !== null ? composePatches(out[k], v) : v;
  return out;
}

/** The value at `segments` of a plain JSON value, or undefined. */
function valueAt(root: unknown, segments: readonly string[]): unknown {
  let v = root;
  for (const seg of segments) v = isPlainObject(v) ? v[seg] : undefined;
  return v;
}

// ---------------------------------------------------------------------------------------------
// Planning

/**
 * A stable hash of a validated scenario: its canonical JSON (keys sorted) through the trace's
 * 64-bit text hash. Equal scenarios (however they were written: a preset, a patch, a file) hash
 * the same, so a cache keyed by (scenario hash, seed) shares their runs.
 *
 * @example
 * scenarioHash(parseScenario(presetById('group-chat')!.scenario).scenario); // 16 hex digits
 */
export function scenarioHash(scenario: Scenario): string {
  const [a, b] = hashText(canonicalJson(scenario), 0x5ca1ab1e, 0x0ddba11);
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** JSON with object keys sorted at every level (undefined fields left out, as JSON does). */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** The scenario input the axes are laid over, or the lines saying why there is none. */
function baseInput(spec: SweepSpec): { ok: true; input: unknown; name: string } | { ok: false; errors: string[] } {
  let raw: unknown;
  let name: string;
  if (typeof spec.scenario === 'string') {
    const preset = presetById(spec.scenario);
    if (preset === undefined) return { ok: false, errors: [`scenario: unknown preset ${shown(spec.scenario)}; the presets are: ${PRESETS.map((p) => p.id).join(', ')}`] };
    raw = preset.scenario;
    name = `preset ${preset.id}`;
  } else if (isPlainObject(spec.scenario)) {
    raw = spec.scenario;
    name = 'the scenario';
  } else {
    return { ok: false, errors: ['scenario: must be a preset id or a scenario object'] };
  }
  if (spec.patch !== undefined && !isPlainObject(spec.patch)) return { ok: false, errors: ['patch: must be an object (a JSON merge patch)'] };
  const input = deepMerge(raw, spec.patch);
  const parsed = parseScenario(input);
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => `${name}${spec.patch === undefined ? '' : ' with its patch'}: ${e}`) };
  return { ok: true, input, name };
}

/** The seeds' problems, one line each. */
function seedErrors(seeds: readonly number[]): string[] {
  if (!Array.isArray(seeds) || seeds.length === 0) return ['seeds: a sweep needs at least one seed'];
  if (seeds.length > SWEEP_MAX_SEEDS) return [`seeds: ${seeds.length} seeds is too many (allowed: at most ${SWEEP_MAX_SEEDS})`];
  const errors: string[] = [];
  const seen = new Set<number>();
  for (const s of seeds) {
    if (!Number.isInteger(s) || s < 0 || s > MAX_SEED) errors.push(`seeds: ${shown(s)} is not a seed (allowed: an integer from 0 to ${MAX_SEED})`);
    else if (seen.has(s)) errors.push(`seeds: ${s} is given twice`);
    seen.add(s);
  }
  return errors;
}

/** One axis's own problems (its path and the shape of its values), one line each. */
function axisErrors(axis: SweepAxis, i: number, axes: readonly SweepAxis[]): string[] {
  const label = `axis ${i + 1}`;
  if (!isPlainObject(axis) || typeof axis.path !== 'string') return [`${label}: must be { path, values }`];
  const at = `axis ${axis.path}`;
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(axis.path)) return [`${label}: ${shown(axis.path)} is not a dotted field path (like chat.ordering)`];
  if (axes.findIndex((a) => a.path === axis.path) !== i) return [`${at}: the same field is varied twice`];
  const unknown = unknownPath(axis.path.split('.'));
  if (unknown !== null) return [`${at}: unknown path: ${unknown}`];
  if (!Array.isArray(axis.values) || axis.values.length === 0) return [`${at}: needs at least one value`];
  if (axis.values.length > SWEEP_MAX_VALUES) return [`${at}: ${axis.values.length} values is too many (allowed: at most ${SWEEP_MAX_VALUES})`];
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const v of axis.values) {
    const key = canonicalJson(v);
    if (v === null || v === undefined) errors.push(`${at}: ${v === null ? 'null' : 'a missing value'} cannot be a value (to sweep over the default, write the default out)`);
    else if (seen.has(key)) errors.push(`${at}, value ${shown(v)}: given twice`);
    seen.add(key);
  }
  return errors;
}

/** Every combination of the axes' values, axis 1 outer. */
function combinations(axes: readonly SweepAxis[]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const axis of axes) out = out.flatMap((prefix) => axis.values.map((v) => [...prefix, v]));
  return out;
}

/** `chat.ordering="none", topology.wsServers=3`: a point as messages name it. */
export function describePoint(axes: readonly SweepAxis[], values: readonly unknown[]): string {
  return axes.map((a, i) => `${a.path}=${shown(values[i])}`).join(', ');
}

/**
 * Validates a sweep and lays out its points and jobs, or returns every problem, one line each,
 * naming the axis and the value (an unknown path, a value the schema refuses, a point over the
 * work budget), before anything runs.
 *
 * @example
 * const planned = planSweep({ scenario: 'group-chat', axes: [{ path: 'chat.ordering', values: ['none', 'per-channel'] }], seeds: [1, 2] });
 * if (planned.ok) planned.plan.jobs.length; // 4
 * planSweep({ scenario: 'group-chat', axes: [{ path: 'chat.orderng', values: ['none'] }], seeds: [1] });
 * // { ok: false, errors: ["axis chat.orderng: unknown path: chat has no field 'orderng' (its fields: …)"] }
 */
export function planSweep(spec: SweepSpec): SweepPlanResult {
  const base = baseInput(spec);
  const errors: string[] = base.ok ? [] : [...base.errors];
  const axes: readonly SweepAxis[] = Array.isArray(spec.axes) ? spec.axes : [];
  if (axes.length === 0 || axes.length > SWEEP_MAX_AXES) errors.push(`axes: a sweep varies one or two fields, got ${axes.length}`);
  axes.forEach((a, i) => errors.push(...axisErrors(a, i, axes)));
  errors.push(...seedErrors(spec.seeds));
  if (errors.length > 0 || !base.ok) return { ok: false, errors };
  const runs = axes.reduce((n, a) => n * a.values.length, 1) * spec.seeds.length;
  if (runs > SWEEP_MAX_RUNS) return { ok: false, errors: [`sweep: ${runs} runs (values × seeds) is too many (allowed: at most ${SWEEP_MAX_RUNS})`] };

  // Each value alone first, so a refused value is named once, not once per combination.
  for (const axis of axes) {
    const segments = axis.path.split('.');
    for (const v of axis.values) {
      const parsed = parseScenario(deepMerge(base.input, patchAt(segments, v, valueAt(base.input, segments))));
      if (!parsed.ok) errors.push(...parsed.errors.map((e) => `axis ${axis.path}, value ${shown(v)}: ${e}`));
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const points: SweepPoint[] = [];
  for (const values of combinations(axes)) {
    let patch: unknown = spec.patch;
    let input = base.input;
    axes.forEach((axis, i) => {
      const segments = axis.path.split('.');
      const axisPatch = patchAt(segments, values[i], valueAt(input, segments));
      patch = composePatches(patch, axisPatch);
      input = deepMerge(input, axisPatch);
    });
    const at = `point ${describePoint(axes, values)}`;
    const parsed = parseScenario(input);
    if (!parsed.ok) {
      errors.push(...parsed.errors.map((e) => `${at}: ${e}`));
      continue;
    }
    const tooBig = overBudget(parsed.scenario);
    if (tooBig !== null) errors.push(`${at}: ${tooBig}`);
    else points.push({ index: points.length, values, patch, scenario: parsed.scenario, scenarioHash: scenarioHash(parsed.scenario) });
  }
  if (errors.length > 0) return { ok: false, errors };
  const jobs = points.flatMap((p) => spec.seeds.map((seed): SweepJob => ({ point: p.index, values: p.values, seed, scenario: p.scenario, scenarioHash: p.scenarioHash })));
  return { ok: true, plan: { spec, points, jobs } };
}

// ---------------------------------------------------------------------------------------------
// Running

/**
 * Runs one job to the end of its scenario (duration and settle) and measures it. Pure: the same
 * job gives the same result wherever and whenever it runs. The trace is hashed and counted but
 * not kept (a sweep reads figures; `sim run` or the workbench opens the run itself).
 *
 * @example
 * const r = runSweepJob(plan.jobs[0]);
 * r.figures['latency.p99Ms']; // ms
 */
export function runSweepJob(job: SweepJob): SweepResult {
  const m = measureRun(job.scenario, job.seed);
  return { point: job.point, values: job.values, seed: job.seed, scenarioHash: job.scenarioHash, ...m };
}

/** Runs a validated scenario with a seed and measures it (what a cache keeps). */
export function measureRun(scenario: Scenario, seed: number): SweepMeasurement {
  const { config, info } = buildCluster(scenario, seed);
  const sim = new Simulation({ ...config, trace: { ...config.trace, maxEvents: 0 } });
  const watchers = createWatchers(info, scenario);
  sim.trace.subscribe((e) => watchers.observe(e));
  sim.runUntil(scenario.durationMs + scenario.settleMs);
  const report = watchers.report(runFacts(sim, scenario.id, 0));
  return { traceHash: report.traceHash, figures: sweepFigures(report, watchers.checkers.map((c) => c.name)) };
}

/**
 * Puts results (in any order, e.g. as workers finished them) into the plan's job order, and
 * checks that there is exactly one per job.
 */
export function orderResults(plan: SweepPlan, results: readonly SweepResult[]): SweepResult[] {
  const byKey = new Map<string, SweepResult>();
  for (const r of results) byKey.set(`${r.point}/${r.seed}`, r);
  return plan.jobs.map((j) => {
    const r = byKey.get(`${j.point}/${j.seed}`);
    if (r === undefined) throw new Error(`sweep: no result for point ${j.point} seed ${j.seed}`);
    return r;
  });
}

/**
 * Runs a whole plan here, one job after another, in the plan's order: the reference the worker
 * pools are compared with.
 */
export function runSweep(plan: SweepPlan): SweepResult[] {
  return plan.jobs.map(runSweepJob);
}

// ---------------------------------------------------------------------------------------------
// Figures

/** A figure's name (or pattern, with `<…>`), its unit and what it measures. */
export interface FigureDoc {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
}

const COUNT_DOCS: readonly [keyof RunReport['counts'], string][] = [
  ['sent', 'messages users sent (first attempts)'],
  ['persisted', 'messages the database confirmed'],
  ['delivered', 'messages shown to users, every recipient counted'],
  ['duplicatesShown', 'times a user was shown a message already seen'],
  ['outOfOrderShown', "times the channel's agreed order was broken on screen"],
  ['senderOrderBroken', "times a sender's own order was broken on screen"],
  ['causalBroken', 'times a reply was shown before what it answers'],
  ['lost', '(message, online member) pairs never shown'],
  ['acked', 'sends acknowledged to their sender'],
  ['failedShown', 'sends that failed with an error shown'],
  ['pending', 'sends still pending that someone was shown'],
  ['lostSends', 'sends that silently vanished'],
  ['rateLimited', 'sends refused as rate limited'],
  ['forbidden', 'sends refused as forbidden'],
];

const TRANSPORT_DOCS: readonly [string, string, string][] = [
  ['lastMileBytes', 'bytes', 'bytes on the client ↔ gateway links'],
  ['backEndBytes', 'bytes', 'bytes between back-end nodes'],
  ['httpPostRequests', 'requests', 'HTTP POSTs (SSE and long polling send every frame as one)'],
  ['httpPollRequests', 'requests', 'long polls'],
  ['httpDataRequests', 'requests', 'data calls made as their own HTTP requests'],
  ['httpDataConnections', 'connections', 'HTTP connections opened for data calls'],
  ['connectHandshakes', 'handshakes', 'connect handshakes, attempts included'],
  ['connectHandshakeBytes', 'bytes', 'their bytes on the last mile'],
  ['loginHandshakes', 'handshakes', 'logins sent to the auth service'],
  ['connectionsHeldAtEnd', 'connections', 'client connections open at the end'],
  ['connectionsHeldPeak', 'connections', 'the most client connections open at once'],
  ['keepAliveMessages', 'messages', 'keep-alive network messages'],
  ['keepAliveBytes', 'bytes', 'keep-alive bytes'],
  ['chatMessages', 'messages', 'chat-traffic network messages'],
  ['chatBytes', 'bytes', 'chat-traffic bytes'],
  ['chatBytesPerStoredMessage', 'bytes per message', 'chat-traffic bytes per persisted message'],
  ['chatNetworkMessagesPerStoredMessage', 'messages per message', 'chat-traffic network messages per persisted message'],
  ['chatHttpRequestsPerSentMessage', 'requests per message', 'client HTTP requests of chat traffic per message sent'],
];

/**
 * Every figure a sweep result carries, with its unit. Names with `<component>`, `<kind>` or
 * `<checker>` stand for one figure per component kind (as the report's messagesPerComponent names
 * them), per node kind (`ws`, `chat`, `client`, …) or per checker the run was watched by.
 */
export const SWEEP_FIGURES: readonly FigureDoc[] = [
  { name: 'events', unit: 'events', description: 'trace events the run recorded' },
  ...COUNT_DOCS.map(([k, d]) => ({ name: `counts.${k}`, unit: k === 'lost' ? 'pairs' : k.endsWith('Shown') || k.endsWith('Broken') ? 'times' : 'messages', description: d })),
  { name: 'latency.p50Ms', unit: 'ms', description: 'send → shown latency, median over every (message, recipient) shown (null without any)' },
  { name: 'latency.p90Ms', unit: 'ms', description: 'send → shown latency, 90th percentile' },
  { name: 'latency.p99Ms', unit: 'ms', description: 'send → shown latency, 99th percentile' },
  { name: 'latency.maxMs', unit: 'ms', description: 'send → shown latency, the longest' },
  { name: 'messagesPerStoredMessage', unit: 'messages per message', description: 'network messages of the whole run per persisted chat message (write amplification)' },
  { name: 'messages.<component>', unit: 'messages', description: 'network messages sent by one kind of component' },
  ...TRANSPORT_DOCS.map(([k, unit, d]) => ({ name: `transport.${k}`, unit, description: d })),
  { name: 'brokerLag.max', unit: 'messages', description: 'Kafka-like broker: the largest consumer lag (0 for other brokers)' },
  { name: 'brokerLag.final', unit: 'messages', description: 'Kafka-like broker: the consumer lag at the end' },
  { name: 'cpu.<kind>.utilizationMean', unit: 'ratio', description: 'busy time over elapsed time, mean over the nodes of that kind (0–1)' },
  { name: 'cpu.<kind>.utilizationMax', unit: 'ratio', description: 'the busiest node of that kind (0–1)' },
  { name: 'cpu.<kind>.processed', unit: 'inputs', description: 'inputs the nodes of that kind processed' },
  { name: 'cpu.<kind>.queueWaitMsMean', unit: 'ms', description: 'mean wait in the input queue, over every input of that kind' },
  { name: 'cpu.<kind>.queueDepthMax', unit: 'inputs', description: 'the longest input queue of any node of that kind' },
  { name: 'violations.<checker>', unit: 'violations', description: 'findings of one checker (each checker keeps at most 1,000)' },
  { name: 'violations.total', unit: 'violations', description: 'findings of every checker' },
];

/**
 * What a figure is: its doc entry (the pattern's, for per-component, per-kind and per-checker
 * figures), or null for a name no sweep produces.
 *
 * @example
 * figureDoc('cpu.ws.utilizationMax')?.unit; // 'ratio'
 */
export function figureDoc(name: string): FigureDoc | null {
  const exact = SWEEP_FIGURES.find((f) => f.name === name);
  if (exact !== undefined) return exact;
  const patterned = SWEEP_FIGURES.filter((f) => f.name.includes('<'));
  for (const f of patterned) {
    const re = new RegExp(`^${f.name.replace(/\./g, '\\.').replace(/<[a-z]+>/, '[^]+?')}$`);
    if (re.test(name)) return f;
  }
  return null;
}

/** Per-node-kind CPU figures. */
function cpuFigures(report: RunReport, out: Record<string, number | null>): void {
  const kinds = new Map<string, { n: number; utilSum: number; utilMax: number; processed: number; waitSum: number; depthMax: number }>();
  for (const id of Object.keys(report.nodes).sort()) {
    const f = report.nodes[id];
    if (f === undefined) continue;
    const k = kinds.get(f.kind) ?? { n: 0, utilSum: 0, utilMax: 0, processed: 0, waitSum: 0, depthMax: 0 };
    k.n++;
    k.utilSum += f.utilization;
    k.utilMax = Math.max(k.utilMax, f.utilization);
    k.processed += f.processed;
    k.waitSum += f.queueWaitMsMean * f.processed;
    k.depthMax = Math.max(k.depthMax, f.queueDepthMax);
    kinds.set(f.kind, k);
  }
  for (const kind of [...kinds.keys()].sort()) {
    const k = kinds.get(kind) as NonNullable<ReturnType<typeof kinds.get>>;
    out[`cpu.${kind}.utilizationMean`] = k.utilSum / k.n;
    out[`cpu.${kind}.utilizationMax`] = k.utilMax;
    out[`cpu.${kind}.processed`] = k.processed;
    out[`cpu.${kind}.queueWaitMsMean`] = k.processed === 0 ? 0 : k.waitSum / k.processed;
    out[`cpu.${kind}.queueDepthMax`] = k.depthMax;
  }
}

/**
 * A run's report as flat figures ({@link SWEEP_FIGURES}), in the documented order; `checkers`
 * names every checker that watched the run, so a silent one still has its `violations.<name>: 0`.
 * The report's wall time is left out: it is the one thing a run does not determine.
 */
export function sweepFigures(report: RunReport, checkers: readonly string[]): SweepFigures {
  const out: Record<string, number | null> = { events: report.events };
  for (const [k] of COUNT_DOCS) out[`counts.${k}`] = report.counts[k];
  const lat = report.latencyMs;
  out['latency.p50Ms'] = lat?.p50 ?? null;
  out['latency.p90Ms'] = lat?.p90 ?? null;
  out['latency.p99Ms'] = lat?.p99 ?? null;
  out['latency.maxMs'] = lat?.max ?? null;
  out['messagesPerStoredMessage'] = report.messagesPerPersisted;
  for (const c of Object.keys(report.messagesPerComponent).sort()) out[`messages.${c}`] = report.messagesPerComponent[c] ?? 0;
  const t = report.transport;
  const transport: Record<string, number> = {
    ...t,
    keepAliveMessages: t.keepAlive.networkMessages,
    keepAliveBytes: t.keepAlive.bytes,
    chatMessages: t.chat.networkMessages,
    chatBytes: t.chat.bytes,
  } as unknown as Record<string, number>;
  for (const [k] of TRANSPORT_DOCS) out[`transport.${k}`] = transport[k] ?? 0;
  out['brokerLag.max'] = report.brokerLag.max;
  out['brokerLag.final'] = report.brokerLag.final;
  cpuFigures(report, out);
  const names = [...new Set([...checkers, ...report.violations.map((v) => v.checker)])].sort();
  for (const name of names) out[`violations.${name}`] = report.violations.filter((v) => v.checker === name).length;
  out['violations.total'] = report.violations.length;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading results

/** One point's spread of one figure across its seeds. */
export interface FigureSpread {
  readonly point: number;
  readonly values: readonly unknown[];
  /** Seeds that measured the figure (a null figure is left out). */
  readonly n: number;
  readonly min: number | null;
  /** The middle value (the mean of the two middle ones for an even count). */
  readonly median: number | null;
  readonly max: number | null;
}

/**
 * The spread across seeds of one figure at every point of the plan that has results (points
 * whose runs are still missing are left out).
 *
 * @example
 * spreadByPoint(plan, results, 'latency.p99Ms'); // [{ point: 0, values: ['none'], n: 3, min, median, max }, …]
 */
export function spreadByPoint(plan: SweepPlan, results: readonly SweepResult[], figure: string): FigureSpread[] {
  const out: FigureSpread[] = [];
  for (const p of plan.points) {
    const mine = results.filter((r) => r.point === p.index);
    if (mine.length === 0) continue;
    const xs = mine
      .map((r) => r.figures[figure])
      .filter((x): x is number => typeof x === 'number')
      .sort((a, b) => a - b);
    const mid = xs.length >> 1;
    const median = xs.length === 0 ? null : xs.length % 2 === 1 ? (xs[mid] as number) : ((xs[mid - 1] as number) + (xs[mid] as number)) / 2;
    out.push({ point: p.index, values: p.values, n: xs.length, min: xs[0] ?? null, median, max: xs.at(-1) ?? null });
  }
  return out;
}

/** Every figure name across results, in the documented order (patterned ones sorted within). */
export function figureNames(results: readonly SweepResult[]): string[] {
  const names = new Set<string>();
  for (const r of results) for (const k of Object.keys(r.figures)) names.add(k);
  const rank = (n: string): number => {
    const doc = figureDoc(n);
    return doc === null ? SWEEP_FIGURES.length : SWEEP_FIGURES.indexOf(doc);
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Results as CSV: one row per run, columns for each axis, the seed, both hashes, then every
 * figure (an empty field for a null figure). Axis values are written as JSON unless they are
 * plain strings.
 *
 * @example
 * sweepCsv(plan, results).split('\n')[0]; // 'chat.ordering,seed,scenarioHash,traceHash,events,counts.sent,…'
 */
export function sweepCsv(plan: SweepPlan, results: readonly SweepResult[]): string {
  const figures = figureNames(results);
  const header = [...plan.spec.axes.map((a) => a.path), 'seed', 'scenarioHash', 'traceHash', ...figures];
  const rows = results.map((r) => [
    ...r.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
    String(r.seed),
    r.scenarioHash,
    r.traceHash,
    ...figures.map((f) => {
      const x = r.figures[f];
      return x === null || x === undefined ? '' : String(x);
    }),
  ]);
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

// [1] zod does not name a misspelt field until it parses a value there, and then as "unknown
//     field" at whatever level it went wrong. Walking the schema's own shape names the level and
//     the fields it has, before any value is tried. Union options (a discriminated union's shapes)
//     are pooled: a path valid for any option is a known path; the value then decides.
// [2] A JSON merge patch merges objects. Sweeping `rateLimit.limiter` from a sliding log to a
//     token bucket by merging would keep the log's `boundary` and the strict schema would refuse
//     the mix; an axis value replaces what is there, so the patch deletes the fields it lacks.
