/**
 * The scenario editor's model, without React: values read and written at a path, a new value for
 * a field from its schema (a list's new entry, a union's other kind), and the form's units filed
 * under the concept groups. The form edits a plain JSON object (the complete scenario file), so
 * the JSON view and the form are two views of one value.
 */
import { FIELD_GROUPS, groupOf, type FieldGroup, type FieldNode } from '../../sim/index.ts';
import { isRecord } from '../record.ts';

/** A concrete path into the scenario: `['faults', 0, 'op', 'node']`. */
export type Segs = readonly (string | number)[];

/** The path as the parser's problems write it: `faults[0].op.node`. */
export function pathText(segs: Segs): string {
  return segs.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}


/** The value at a path (undefined when any step is missing). */
export function getAt(root: unknown, segs: Segs): unknown {
  let v: unknown = root;
  for (const s of segs) {
    if (typeof s === 'number') v = Array.isArray(v) ? (v as unknown[])[s] : undefined;
    else v = isRecord(v) ? v[s] : undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

/**
 * A copy of `root` with the value at `segs` replaced (`undefined` removes the key, or the list
 * entry); missing objects on the way are created. Nothing is changed in place.
 */
export function setAt(root: unknown, segs: Segs, value: unknown): unknown {
  if (segs.length === 0) return value;
  const [head, ...rest] = segs as [string | number, ...(string | number)[]];
  if (typeof head === 'number') {
    const list = Array.isArray(root) ? [...(root as unknown[])] : [];
    const next = setAt(list[head], rest, value);
    if (next === undefined && rest.length === 0) list.splice(head, 1);
    else list[head] = next;
    return list;
  }
  const obj: Record<string, unknown> = isRecord(root) ? { ...root } : {};
  const next = setAt(obj[head], rest, value);
  if (next === undefined) delete obj[head];
  else obj[head] = next;
  return obj;
}

/**
 * A new value for a field, from its schema: its default when it has one, else the smallest value
 * its range allows (an object with its required fields, a union's first kind, an empty list).
 * What it cannot guess (a node to crash) is left for the person, and the parser says so.
 */
export function templateOf(node: FieldNode): unknown {
  if (node.defaultValue !== undefined) return structuredClone(node.defaultValue);
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const f of node.fields) if (!f.optional) out[f.key] = templateOf(f);
      return out;
    }
    case 'union':
      return variantTemplate(node, node.variants[0]?.tag ?? '', undefined);
    case 'array':
      return [];
    case 'number':
      return node.min === null ? 0 : node.exclusiveMin ? node.min + (node.integer ? 1 : node.multipleOf ?? 1) : node.min;
    case 'string':
      return '';
    case 'boolean':
      return false;
    case 'enum':
      return node.values[0] ?? '';
    case 'literal':
      return node.value;
    default:
      return {};
  }
}

/**
 * A union's value switched to another kind: the new kind's required fields, keeping the values of
 * the fields both kinds have (a distribution's `meanMs`, a limiter's `limit` and `windowMs`).
 */
export function variantTemplate(node: FieldNode & { kind: 'union' }, tag: string, current: unknown): Record<string, unknown> {
  const variant = node.variants.find((v) => v.tag === tag);
  const out: Record<string, unknown> = { [node.discriminator]: tag };
  if (variant === undefined) return out;
  const old = isRecord(current) ? current : {};
  for (const f of variant.fields) {
    if (f.key === node.discriminator) continue;
    if (old[f.key] !== undefined) out[f.key] = old[f.key];
    else if (!f.optional) out[f.key] = templateOf(f);
  }
  return out;
}

/** The variant a union's value is (by its tag), or the first. */
export function variantOf(node: FieldNode & { kind: 'union' }, value: unknown) {
  const tag = isRecord(value) ? value[node.discriminator] : undefined;
  return node.variants.find((v) => v.tag === tag) ?? null;
}

/** One block of the form: a field, or a union, list or optional object drawn as one. */
export interface Unit {
  readonly node: FieldNode;
  readonly segs: Segs;
}

/** The form's units, filed under the concept groups, in the schema's order within each. */
export function unitsByGroup(root: FieldNode & { kind: 'object' }): ReadonlyMap<FieldGroup, readonly Unit[]> {
  const out = new Map<FieldGroup, Unit[]>(FIELD_GROUPS.map((g) => [g, []]));
  const walk = (node: FieldNode, segs: Segs) => {
    if (node.kind === 'object' && !node.optional && segs.length > 0) {
      for (const f of node.fields) walk(f, [...segs, f.key]);
      return;
    }
    out.get(groupOf(node.path))?.push({ node, segs });
  };
  for (const f of root.fields) walk(f, [f.key]);
  return out;
}

/** The words a unit is found by: its path and every description inside it. */
export function unitText(node: FieldNode): string {
  const inner = node.kind === 'object' ? node.fields.map(unitText) : node.kind === 'union' ? node.variants.flatMap((v) => v.fields.map(unitText)) : node.kind === 'array' ? [unitText(node.element)] : [];
  return [node.path, node.doc.description, node.doc.unit, ...inner].join(' ').toLowerCase();
}

/** A value shown in one line (a default, a kind). */
export function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'none';
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/**
 * A complete scenario with the fields whose default follows another field left out again when
 * they still follow it: `topology.maxWsServers` (the pool, default: wsServers) and a bucket's
 * `burst` or a queue's `queueMax` (default: the limit). Written out, they would stay put while
 * the field they follow changes (five servers, a pool of three), which is not what a person means.
 */
export function loosen(value: Record<string, unknown>): Record<string, unknown> {
  let out: unknown = value;
  const topology = getAt(out, ['topology']);
  if (isRecord(topology) && topology['maxWsServers'] === topology['wsServers']) out = setAt(out, ['topology', 'maxWsServers'], undefined);
  const limiter = getAt(out, ['rateLimit', 'limiter']);
  if (isRecord(limiter)) {
    for (const key of ['burst', 'queueMax']) if (limiter[key] !== undefined && limiter[key] === limiter['limit']) out = setAt(out, ['rateLimit', 'limiter', key], undefined);
  }
  return out as Record<string, unknown>;
}
