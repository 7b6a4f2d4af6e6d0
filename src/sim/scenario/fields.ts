/**
 * The scenario's fields as data, read from the zod schema itself (ADR 0030): every field's path,
 * kind, default, range or allowed values, and, from the table in `fieldDocs.ts`, its meaning, unit
 * and concept group. The editor draws its form from this tree and a test walks every leaf, so a
 * field added to the schema without a description fails a test instead of showing up bare.
 */
import type { z } from 'zod';
import { docOf, type FieldDoc } from './fieldDocs.ts';
import { isPlainObject } from './patch.ts';
import { scenarioSchema } from './schema.ts';

/** What every field node carries. */
interface FieldBase {
  /** The path as a scenario file writes it, with `[]` for any list entry: `faults[].op.node`. */
  readonly path: string;
  /** The field's own name (the last part of the path). */
  readonly key: string;
  /** It may be left out (no default fills it). */
  readonly optional: boolean;
  /** It may be null (a fault's `ratio`). */
  readonly nullable: boolean;
  /** The value a scenario gets when the field is left out (undefined when none). */
  readonly defaultValue: unknown;
  readonly doc: FieldDoc;
}

/** A field of the scenario, as the schema defines it. */
export type FieldNode =
  | (FieldBase & { readonly kind: 'object'; readonly fields: readonly FieldNode[] })
  | (FieldBase & { readonly kind: 'union'; readonly discriminator: string; readonly variants: readonly { readonly tag: string; readonly fields: readonly FieldNode[] }[] })
  | (FieldBase & { readonly kind: 'array'; readonly element: FieldNode; readonly minItems: number | null; readonly maxItems: number | null })
  | (FieldBase & { readonly kind: 'number'; readonly integer: boolean; readonly min: number | null; readonly max: number | null; readonly exclusiveMin: boolean; readonly multipleOf: number | null })
  | (FieldBase & { readonly kind: 'string'; readonly minLength: number | null; readonly pattern: string | null })
  | (FieldBase & { readonly kind: 'boolean' })
  | (FieldBase & { readonly kind: 'enum'; readonly values: readonly string[] })
  | (FieldBase & { readonly kind: 'literal'; readonly value: string })
  /** Free-form JSON the schema checks as a whole (an injected message). */
  | (FieldBase & { readonly kind: 'json' });

/** The zod internals the walk reads (zod 4's `_zod.def` and its checks). */
interface ZodInternals {
  readonly _zod: { readonly def: Record<string, unknown> & { readonly type: string } };
}
const internals = (schema: unknown): ZodInternals => schema as ZodInternals;


interface Wrappers {
  optional: boolean;
  nullable: boolean;
  defaultValue: unknown;
}

/** Peels optional / nullable / default / prefault / pipe / readonly wrappers off a schema. */
function unwrap(schema: unknown, inherited: unknown): { core: ZodInternals; w: Wrappers } {
  const w: Wrappers = { optional: false, nullable: false, defaultValue: inherited };
  let s = internals(schema);
  for (;;) {
    const def = s._zod.def;
    if (def.type === 'optional') w.optional = true;
    else if (def.type === 'nullable') w.nullable = true;
    // A default object (a CPU's) is where its fields' defaults are; a prefault ({}) lets the
    // fields' own defaults fill it, so it says nothing of its own.
    else if (def.type === 'default') w.defaultValue = w.defaultValue ?? (def['defaultValue'] as unknown);
    else if (def.type === 'prefault') {
      /* its fields' defaults apply */
    } else if (def.type === 'pipe') {
      s = internals(def['in']);
      continue;
    } else if (def.type === 'readonly') {
      /* same shape */
    } else return { core: s, w };
    s = internals(def['innerType']);
  }
}

const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A schema's checks (`min`, `max`, `int`, `regex`…) as one record of what they bound. */
interface Bounds {
  min: number | null;
  exclusiveMin: boolean;
  max: number | null;
  integer: boolean;
  multipleOf: number | null;
  minLength: number | null;
  maxLength: number | null;
  pattern: string | null;
}

function boundsOf(def: Record<string, unknown>): Bounds {
  const b: Bounds = { min: null, exclusiveMin: false, max: null, integer: def['format'] === 'safeint' || def['format'] === 'int32', multipleOf: null, minLength: null, maxLength: null, pattern: null };
  const checks = Array.isArray(def['checks']) ? (def['checks'] as { _zod: { def: Record<string, unknown> } }[]) : [];
  for (const c of checks) {
    const d = c._zod.def;
    switch (d['check']) {
      case 'number_format':
        if (d['format'] === 'safeint' || d['format'] === 'int32') b.integer = true;
        break;
      case 'greater_than':
        b.min = numOrNull(d['value']);
        b.exclusiveMin = d['inclusive'] === false;
        break;
      case 'less_than':
        b.max = numOrNull(d['value']);
        break;
      case 'multiple_of':
        b.multipleOf = numOrNull(d['value']);
        break;
      case 'min_length':
        b.minLength = numOrNull(d['minimum']);
        break;
      case 'max_length':
        b.maxLength = numOrNull(d['maximum']);
        break;
      case 'string_format':
        if (d['pattern'] instanceof RegExp) b.pattern = d['pattern'].source;
        break;
    }
  }
  return b;
}

function node(schema: unknown, path: string, key: string, inherited: unknown): FieldNode {
  const { core, w } = unwrap(schema, inherited);
  const def = core._zod.def;
  const b = boundsOf(def);
  const base: FieldBase = { path, key, optional: w.optional, nullable: w.nullable, defaultValue: w.defaultValue, doc: docOf(path) };
  // An injected message is checked as a whole (inject.ts): the form shows it as JSON.
  if (path === 'faults[].op.msg') return { ...base, kind: 'json' };
  switch (def.type) {
    case 'object': {
      const shape = def['shape'] as Record<string, unknown>;
      const own = isPlainObject(w.defaultValue) ? w.defaultValue : {};
      return { ...base, kind: 'object', fields: Object.entries(shape).map(([k, v]) => node(v, path === '' ? k : `${path}.${k}`, k, own[k])) };
    }
    case 'union': {
      const discriminator = def['discriminator'];
      if (typeof discriminator !== 'string') return { ...base, kind: 'json' };
      const variants = (def['options'] as unknown[]).map((option) => {
        const { core: o } = unwrap(option, undefined);
        const shape = o._zod.def['shape'] as Record<string, unknown>;
        const tagSchema = internals(shape[discriminator])._zod.def;
        const tag = String((tagSchema['values'] as unknown[])[0]);
        const own = isPlainObject(w.defaultValue) && w.defaultValue[discriminator] === tag ? w.defaultValue : {};
        return { tag, fields: Object.entries(shape).map(([k, v]) => node(v, `${path}.${k}`, k, own[k])) };
      });
      return { ...base, kind: 'union', discriminator, variants };
    }
    case 'array':
      return { ...base, kind: 'array', element: node(def['element'], `${path}[]`, key, undefined), minItems: b.minLength, maxItems: b.maxLength };
    case 'number':
      return { ...base, kind: 'number', integer: b.integer, min: b.min, exclusiveMin: b.exclusiveMin, max: b.max, multipleOf: b.multipleOf };
    case 'string':
      return { ...base, kind: 'string', minLength: b.minLength, pattern: b.pattern };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'enum':
      return { ...base, kind: 'enum', values: Object.values(def['entries'] as Record<string, string>) };
    case 'literal':
      return { ...base, kind: 'literal', value: String((def['values'] as unknown[])[0]) };
    default:
      return { ...base, kind: 'json' };
  }
}

let root: FieldNode | null = null;

/**
 * The scenario's field tree, read from the schema once.
 *
 * @example
 * scenarioFields().kind; // 'object'
 */
export function scenarioFields(): FieldNode & { kind: 'object' } {
  root ??= node(scenarioSchema as z.ZodType, '', '', undefined);
  return root as FieldNode & { kind: 'object' };
}

/** Every leaf of the tree (the fields that hold a value, not a group), union variants included. */
export function fieldLeaves(n: FieldNode = scenarioFields()): FieldNode[] {
  switch (n.kind) {
    case 'object':
      return n.fields.flatMap((f) => fieldLeaves(f));
    case 'union':
      return n.variants.flatMap((v) => v.fields.flatMap((f) => fieldLeaves(f)));
    case 'array':
      return fieldLeaves(n.element);
    default:
      return [n];
  }
}

/** The allowed values of a field in words: `an integer from 1 to 200`, `one of "a", "b"`. */
export function allowedText(n: FieldNode): string {
  switch (n.kind) {
    case 'number': {
      const what = n.integer ? 'an integer' : 'a number';
      const lo = n.min === null ? null : `${n.exclusiveMin ? '>' : '≥'} ${n.min}`;
      const hi = n.max === null ? null : `≤ ${n.max}`;
      const range = n.min !== null && n.max !== null && !n.exclusiveMin ? `from ${n.min} to ${n.max}` : [lo, hi].filter((x) => x !== null).join(', ');
      return `${what}${range === '' ? '' : ` ${range}`}${n.multipleOf === null ? '' : `, a multiple of ${n.multipleOf}`}`;
    }
    case 'enum':
      return `one of ${n.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'boolean':
      return 'true or false';
    case 'string':
      return n.minLength !== null && n.minLength > 0 ? 'non-empty text' : 'text';
    case 'literal':
      return JSON.stringify(n.value);
    case 'array':
      return `a list${n.minItems === null || n.minItems === 0 ? '' : ` of at least ${n.minItems}`}${n.maxItems === null ? '' : ` of at most ${n.maxItems}`}`;
    case 'union':
      return `one of the kinds ${n.variants.map((v) => JSON.stringify(v.tag)).join(', ')}`;
    case 'object':
      return 'an object';
    default:
      return 'JSON the schema checks as a whole';
  }
}
