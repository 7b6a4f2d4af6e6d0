/**
 * What the ordering-and-delivery lab asks of a run, as data.
 */
import type { Goal } from '../framework/index.ts';

export const ORDER_BREAKS: Goal = { kind: 'checker', checker: 'ordering', fires: true };
export const ORDER_HOLDS: Goal = { kind: 'checker', checker: 'ordering', fires: false };
export const NOTHING_LOST: Goal = { kind: 'metric', metric: 'counts.lost', op: '==', value: 0 };
export const NOTHING_TWICE: Goal = { kind: 'metric', metric: 'counts.duplicatesShown', op: '==', value: 0 };
export const LOST_CHECKER_SILENT: Goal = { kind: 'checker', checker: 'lost', fires: false };
export const DUPLICATES_CHECKER_SILENT: Goal = { kind: 'checker', checker: 'duplicates', fires: false };
export const SOME_LOST: Goal = { kind: 'checker', checker: 'lost', fires: true };
