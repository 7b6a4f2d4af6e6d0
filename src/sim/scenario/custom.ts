/**
 * Custom scenarios (ADR 0030): a person's edit of a preset, kept as `{ name, base, patch }` where
 * `patch` is the JSON merge patch from the preset to the edited scenario. A session, a link, a lab
 * and the CLI all load a preset plus a patch already, so a custom scenario is nothing new to them.
 * Here: the patch between two scenarios, the check of an edited scenario (the real parser, the
 * cross-field bounds and the work budget), and scenario files read and written as the CLI does.
 */
import { overBudget } from './budget.ts';
import { deepMerge, isPlainObject, jsonEqual, mergePatchBetween } from './patch.ts';
import { PRESETS, type Preset } from './presets.ts';
import { parseScenario, type Scenario } from './schema.ts';

/** A person's scenario: a preset and the merge patch that turns it into theirs. */
export interface CustomScenario {
  readonly name: string;
  /** The preset's id (a light one: the workbench loads it). */
  readonly base: string;
  readonly patch: Readonly<Record<string, unknown>>;
}

/** One problem of a scenario, at a field (`topology.wsServers`, `faults[0].op.node`; '' for the whole scenario). */
export interface ScenarioProblem {
  readonly path: string;
  readonly message: string;
}

/** A checked scenario: the parsed scenario, or every problem with its field. */
export type ScenarioCheck = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly problems: readonly ScenarioProblem[] };

/** A value as plain JSON (what a file or localStorage holds). */
const asJson = (v: unknown): unknown => JSON.parse(JSON.stringify(v)) as unknown;

/**
 * The merge patch from a preset (`parsed`: with its defaults filled; `written`: as its source has
 * it) to `to`: it recurses into an object only where the preset's source has that object, and
 * elsewhere carries the changed object whole, since merging a part of it over nothing would lose
 * the defaults that filled the rest.
 */
function patchOverPreset(parsed: unknown, written: unknown, to: unknown): unknown {
  if (!isPlainObject(parsed) || !isPlainObject(to)) return to;
  const src = isPlainObject(written) ? written : {};
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed)) if (v !== undefined && to[k] === undefined) patch[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (v === undefined || jsonEqual(parsed[k], v)) continue;
    patch[k] = isPlainObject(parsed[k]) && isPlainObject(v) && isPlainObject(src[k]) ? patchOverPreset(parsed[k], src[k], v) : v;
  }
  return patch;
}

/**
 * The patch from a preset to a scenario: only what differs from the preset as parsed (defaults
 * filled), so it names what changed; checked by merging it over the preset as written and parsing.
 * If that does not give the scenario back (a limiter of another kind, merged over none, lacks its
 * limit), the changed parts the preset does not write go whole; failing that, the difference from
 * the preset as written, which always gives it back.
 */
export function patchFromPreset(preset: Preset, scenario: Scenario): Record<string, unknown> {
  const target = asJson(scenario);
  const parsedPreset = parseScenario(preset.scenario);
  const gives = (patch: unknown): patch is Record<string, unknown> => {
    if (!isPlainObject(patch)) return false;
    const back = parseScenario(deepMerge(preset.scenario, patch));
    return back.ok && jsonEqual(asJson(back.scenario), target);
  };
  if (parsedPreset.ok) {
    const parsed = asJson(parsedPreset.scenario);
    // The smallest first: only the changed leaves; then changed parts the preset does not write, whole.
    const small = mergePatchBetween(parsed, target);
    if (gives(small)) return small;
    const parts = patchOverPreset(parsed, preset.scenario, target);
    if (gives(parts)) return parts;
  }
  const exact = mergePatchBetween(asJson(preset.scenario), target);
  return isPlainObject(exact) ? exact : {};
}

/** The presets a custom scenario may start from (those a browser tab can run). */
export function basePresets(): readonly Preset[] {
  return PRESETS.filter((p) => p.heavy !== true);
}

/** The preset whose patch to `scenario` is smallest (an imported file names no base), and that patch. */
export function closestPreset(scenario: Scenario): { base: string; patch: Record<string, unknown> } {
  let best: { base: string; patch: Record<string, unknown>; size: number } | null = null;
  for (const p of basePresets()) {
    const patch = patchFromPreset(p, scenario);
    const size = JSON.stringify(patch).length;
    if (best === null || size < best.size) best = { base: p.id, patch, size };
  }
  if (best === null) throw new Error('no preset to start from');
  return { base: best.base, patch: best.patch };
}

/** `scenario.faults[0].op.node: unknown node` → its field and its message. */
export function problemOf(line: string): ScenarioProblem {
  const m = /^scenario((?:\.[\w$]+|\[\d+\])*): (.*)$/s.exec(line);
  if (m === null) return { path: '', message: line };
  return { path: (m[1] ?? '').replace(/^\./, ''), message: m[2] ?? line };
}

/**
 * Checks a scenario as the workbench would load it: the schema and its cross-field rules
 * (`parseScenario`), then the work budget (ADR 0012), whose refusal concerns the whole scenario.
 *
 * @example
 * checkScenario({ durationMs: 0 }); // { ok: false, problems: [{ path: 'durationMs', message: '0 is too small (allowed: a number ≥ 1)' }] }
 */
export function checkScenario(input: unknown): ScenarioCheck {
  const parsed = parseScenario(input);
  if (!parsed.ok) return { ok: false, problems: parsed.errors.map(problemOf) };
  const tooBig = overBudget(parsed.scenario);
  if (tooBig !== null) return { ok: false, problems: [{ path: '', message: `${tooBig} (shorten or shrink it; the CLI can run it with --allow-long)` }] };
  return { ok: true, scenario: parsed.scenario };
}

/** A JSON syntax error with its line and column (1-based), or null when the text is JSON. */
export interface JsonSyntaxError {
  readonly message: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Where JSON text first goes wrong (an offset) and what was expected there: a small recursive
 * descent over the grammar of RFC 8259, run only after `JSON.parse` refused the text, since
 * engines word (and place) their own errors differently.
 */
function locateJsonError(text: string): { at: number; expected: string } {
  let i = 0;
  const fail = (expected: string): never => {
    throw { at: i, expected };
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const lit = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`a value`);
  };
  const str = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('a closing quote (control characters must be escaped)');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('four hex digits after \\u');
          i += 5;
        } else if (i < text.length && '"\\/bfnrt'.includes(text[i] as string)) i++;
        else fail('an escape such as \\n or \\"');
      } else i++;
    }
    if (i >= text.length) fail('a closing quote');
    i++;
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (m === null || m[0] === '' || m[0] === '-') fail('a number');
    i += (m as RegExpExecArray)[0].length;
  };
  const value = (depth: number): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a field name in double quotes');
        str();
        ws();
        if (text[i] !== ':') fail('":" after the field name');
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail('"," or "}"');
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail('"," or "]"');
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) num();
    else fail('a value');
  };
  try {
    value(0);
    ws();
    if (i < text.length) fail('the end of the text');
  } catch (e) {
    if (typeof e === 'object' && e !== null && 'at' in e) return e as { at: number; expected: string };
  }
  return { at: Math.min(i, text.length), expected: 'valid JSON' };
}

/** Reads JSON text: the value, or the syntax error with its line and column. */
export function readJson(text: string): { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const { at, expected } = locateJsonError(text);
    const before = text.slice(0, at).split('\n');
    const found = at >= text.length ? 'the end of the text' : JSON.stringify(text[at]);
    return { ok: false, error: { message: `expected ${expected}, found ${found}`, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 } };
  }
}

/** What reading a scenario file gives: the scenario, or each problem with its field. */
export type ScenarioFileRead = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly problems: readonly ScenarioProblem[] };

/**
 * Reads a scenario file (the JSON the CLI runs): JSON first (a syntax error names line and
 * column), then the scenario's own check. Never throws, whatever the text.
 */
export function readScenarioFile(text: string): ScenarioFileRead {
  const json = readJson(text);
  if (!json.ok) return { ok: false, problems: [{ path: '', message: `not valid JSON at line ${json.error.line}, column ${json.error.column}: ${json.error.message}` }] };
  if (!isPlainObject(json.value)) return { ok: false, problems: [{ path: '', message: 'a scenario file holds one JSON object' }] };
  return checkScenario(json.value);
}

/** A scenario as a complete file, every default filled, exactly as `sim show` prints it. */
export function scenarioFileText(scenario: Scenario): string {
  return `${JSON.stringify(scenario, null, 2)}\n`;
}

/** The scenario a custom scenario stands for (its preset with its patch), checked. */
export function customScenarioOf(custom: CustomScenario): ScenarioCheck {
  const preset = basePresets().find((p) => p.id === custom.base);
  if (preset === undefined) return { ok: false, problems: [{ path: '', message: `"${custom.base}" is not a preset a browser can run` }] };
  return checkScenario(deepMerge(preset.scenario, custom.patch));
}
