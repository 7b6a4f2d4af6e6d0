import { expect, test } from 'vitest';
import { describeOp, interventionKind, isFault } from './opText.ts';

// Proves every kind of verb reads as a short sentence and is classed as fault or repair.
test('verbs read in the lab’s words', () => {
  expect(describeOp({ verb: 'crash', node: 'ws-2' })).toBe('crash ws-2');
  expect(describeOp({ verb: 'partition', a: ['ws-1'], b: ['broker'], oneWay: true })).toBe('partition ws-1 → broker');
  expect(describeOp({ verb: 'heal' })).toBe('heal every partition');
  expect(describeOp({ verb: 'drop', from: 'gw', to: 'ws-1', ratio: { num: 1, den: 2 }, twoWay: true })).toBe('drop 50% on gw ↔ ws-1');
  expect(describeOp({ verb: 'slow', node: 'db', factor: 1 })).toBe('db back to normal speed');
  expect(describeOp({ verb: 'inject', node: 'c-u1', msg: { type: 'userSend', channel: 'g1', text: 'hi' } })).toBe('u1 sends “hi” in g1');
  expect(isFault({ verb: 'crash', node: 'ws-2' })).toBe(true);
  expect(isFault({ verb: 'restart', node: 'ws-2' })).toBe(false);
  expect(isFault({ verb: 'delay', from: 'a', to: 'b', extraMs: 0 })).toBe(false);
  expect(describeOp({ verb: 'inject', node: 'c-u1', msg: { type: 'userSend', channel: 'g1', text: 'a'.repeat(40) } })).toBe(`u1 sends “${'a'.repeat(31)}…” in g1`);
});

// Proves a user's send is told apart from faults and repairs, so it never counts as a fault.
test('interventions are classed as fault, repair or the user’s action', () => {
  expect(interventionKind({ verb: 'crash', node: 'ws-2' })).toBe('fault');
  expect(interventionKind({ verb: 'restart', node: 'ws-2' })).toBe('repair');
  expect(interventionKind({ verb: 'inject', node: 'c-u1', msg: { type: 'userSend', channel: 'g1', text: 'hi' } })).toBe('user');
  expect(interventionKind({ verb: 'inject', node: 'gw', msg: { type: 'reload' } })).toBe('fault');
  // Scaling (ADR 0014): adding a server repairs capacity; a drain cuts its users off (they reconnect).
  expect(describeOp({ verb: 'addServer' })).toBe('add a server');
  expect(describeOp({ verb: 'removeServer', node: 'ws-2' })).toBe('drain ws-2');
  expect(interventionKind({ verb: 'addServer' })).toBe('repair');
  expect(interventionKind({ verb: 'removeServer', node: 'ws-2' })).toBe('fault');
});
