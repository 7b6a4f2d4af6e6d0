/**
 * One sentence per schema issue, on one line: `path: what is wrong (allowed: what would do)`.
 * zod's own messages say what was expected but not always what the field allows, and some (a
 * union's) span several lines; a person fixing a scenario file needs the field, the value it had
 * and the range, in one line they can grep.
 */
import type { z } from 'zod';

/** The path of an issue as a scenario file writes it: `scenario.faults[0].op.msg`. */
export function issuePath(root: string, path: readonly PropertyKey[]): string {
  return root + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

/** A short, one-line rendering of the value a field had (scalars only; shapes are named). */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return 'a list';
  return value === undefined ? 'missing' : `a ${typeof value}`;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  object: 'an object',
  array: 'a list',
  boolean: 'true or false',
};

/** What a numeric bound allows, in words: `an integer ≥ 1`, `a number ≤ 1000`. */
function bound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const what = issue.origin === 'array' || issue.origin === 'set' ? 'entries' : issue.origin === 'string' ? 'characters' : null;
  if (issue.code === 'too_small') {
    const op = issue.inclusive === false ? '>' : '≥';
    return what === null ? `a number ${op} ${String(issue.minimum)}` : `${op} ${String(issue.minimum)} ${what}`;
  }
  const op = issue.inclusive === false ? '<' : '≤';
  return what === null ? `a number ${op} ${String(issue.maximum)}` : `${op} ${String(issue.maximum)} ${what}`;
}

/**
 * One line for one zod issue, under `root` (`scenario`, `msg`).
 *
 * @example
 * describeIssue('scenario', issue); // 'scenario.durationMs: 0 is too small (allowed: a number ≥ 1)'
 */
export function describeIssue(root: string, issue: z.core.$ZodIssue): string {
  const path = issuePath(root, issue.path);
  const had = 'input' in issue ? shown(issue.input) : null;
  let line: string;
  switch (issue.code) {
    case 'too_small':
    case 'too_big':
      line = `${had === null ? 'the value' : had} is too ${issue.code === 'too_small' ? 'small' : 'big'} (allowed: ${bound(issue)})`;
      break;
    case 'not_multiple_of':
      line = `${had ?? 'the value'} is not a multiple of ${String(issue.divisor)} (allowed: multiples of ${String(issue.divisor)})`;
      break;
    case 'invalid_type':
      line =
        had === 'missing'
          ? `is required (allowed: ${TYPE_NAMES[issue.expected] ?? issue.expected})`
          : `${had ?? 'the value'} has the wrong type (allowed: ${TYPE_NAMES[issue.expected] ?? issue.expected})`;
      break;
    case 'invalid_value':
      line = `${had ?? 'the value'} is not allowed (allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')})`;
      break;
    case 'unrecognized_keys':
      line = `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (allowed: the fields \`sim show\` prints)`;
      break;
    case 'invalid_union': {
      // A discriminated union names its tag and the tags it knows; the input is the whole object.
      const { discriminator, options, input } = issue as { discriminator?: unknown; options?: unknown; input?: unknown };
      const tag = typeof discriminator === 'string' && typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[discriminator] : undefined;
      line = Array.isArray(options)
        ? `${shown(tag)} is not allowed (allowed: ${options.map((o) => JSON.stringify(o)).join(', ')})`
        : issue.message;
      break;
    }
    default:
      line = issue.message;
  }
  // A custom message written for the field wins over the generic sentence above.
  if (issue.code !== 'custom' && issue.message !== '' && !issue.message.startsWith('Invalid') && !issue.message.startsWith('Too ') && !issue.message.startsWith('Unrecognized')) {
    line = issue.message;
  }
  return `${path}: ${line.replace(/[\r\n]+\s*/g, ' ')}`;
}
