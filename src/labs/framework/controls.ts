/**
 * Controls bound to scenario fields: the student's values become a JSON merge patch over the
 * step's own patch, so each change is a new, real run of the same preset. Values are checked
 * against the control first; a bad one is refused with a message naming the control and why.
 */
import type { Control, ControlValue, ScenarioPatch } from './types.ts';

type Mutable = { [key: string]: unknown };

/** A deep copy of plain JSON data (patches are small). */
function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Sets `path` (dotted) in a patch object, creating the objects on the way. */
function setPath(target: Mutable, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = target;
  for (const part of parts.slice(0, -1)) {
    const next = at[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) at[part] = {};
    at = at[part] as Mutable;
  }
  at[parts[parts.length - 1] ?? path] = value;
}

/** Why a value does not fit a control, or null when it does. */
export function controlProblem(control: Control, value: ControlValue): string | null {
  switch (control.kind) {
    case 'choice':
      return control.options.some((o) => o.value === value) ? null : `${control.id} must be one of ${control.options.map((o) => JSON.stringify(o.value)).join(', ')}, got ${JSON.stringify(value)}`;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${control.id} must be a number, got ${JSON.stringify(value)}`;
      return value < control.min || value > control.max ? `${control.id} must be from ${control.min} to ${control.max}, got ${value}` : null;
    case 'requestTimes': {
      if (!Array.isArray(value)) return `${control.id} must be a list of whole seconds, got ${JSON.stringify(value)}`;
      const times = value as readonly unknown[];
      if (times.length > control.maxCount) return `${control.id} holds at most ${control.maxCount} requests, got ${times.length}`;
      const bad = times.findIndex((t) => typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > control.maxSeconds);
      return bad === -1 ? null : `${control.id}[${bad}] must be a whole second from 0 to ${control.maxSeconds}, got ${JSON.stringify(times[bad])}`;
    }
  }
}

/** The value a control starts with. */
export function initialValue(control: Control): ControlValue {
  return control.initial;
}

/**
 * The step's patch with the controls' values applied (a missing value takes the control's initial
 * one). Throws, naming the control, when a value does not fit.
 *
 * @example
 * patchWith({ workload: { users: 2 } }, [deliveryControl], { delivery: 'at-least-once' });
 * // { workload: { users: 2 }, delivery: 'at-least-once' }
 */
export function patchWith(base: ScenarioPatch | undefined, controls: readonly Control[], values: Readonly<Record<string, ControlValue>>): ScenarioPatch | null {
  const unknown = Object.keys(values).filter((k) => !controls.some((c) => c.id === k));
  if (unknown.length > 0) throw new Error(`unknown control ${unknown.map((k) => `"${k}"`).join(', ')}; controls are ${controls.map((c) => c.id).join(', ') || 'none'}`);
  if (controls.length === 0) return base === undefined ? null : copy(base);
  const out = (copy(base) ?? {}) as Mutable;
  for (const control of controls) {
    const value = values[control.id] ?? control.initial;
    const problem = controlProblem(control, value);
    if (problem !== null) throw new Error(problem);
    if (control.kind === 'requestTimes') {
      const times = [...(value as readonly number[])].sort((a, b) => a - b);
      setPath(
        out,
        'workload.script',
        times.map((s, i) => ({ atMs: control.offsetMs + s * 1000, user: control.user, channel: control.channel, text: `request ${i + 1} at ${s} s` })),
      );
    } else {
      setPath(out, control.path, value);
    }
  }
  return out;
}
