/**
 * Issue 9, item 8: a run's work is estimated from the scenario before anything is built, and a
 * run above the budget is refused with a sentence naming the biggest term (ADR 0012). Each named
 * repro below started a run (or a build) that never finished on 622d528.
 */
import { describe, expect, test } from 'vitest';
import { buildRun } from '../cluster/catalog.ts';
import { PRESETS, presetById } from './presets.ts';
import { MEMORY_BUDGET_BYTES, WORK_BUDGET_EVENTS, estimateWork, overBudget } from './budget.ts';
import { parseScenario, type Scenario } from './schema.ts';
import { deepMerge } from './patch.ts';

function parsed(input: unknown): Scenario {
  const p = parseScenario(input);
  if (!p.ok) throw new Error(p.errors.join('\n'));
  return p.scenario;
}

const groupChat = (patch: unknown = {}): Scenario => parsed(deepMerge(presetById('group-chat')?.scenario, patch));

describe('the budget', () => {
  // Proves every preset runs by default, the million-user showcase included, with room to spare
  // (the ADR's table: million-users is estimated at about 25 M events, the budget is 60 M).
  test('every preset is within the budget, the million-users preset with room to spare', () => {
    for (const p of PRESETS) expect(overBudget(parsed(p.scenario)), p.id).toBeNull();
    const million = estimateWork(parsed(presetById('million-users')?.scenario));
    expect(million.events).toBeLessThan(WORK_BUDGET_EVENTS / 2);
    expect(million.bytes).toBeLessThan(MEMORY_BUDGET_BYTES / 1.5);
  });

  // Proves the estimate follows the measured runs of the light presets: within a factor of two
  // of the trace's event count (seed 42; the ADR's table has each pair).
  test.each([
    ['group-chat', 17_962],
    ['crash-at-least-once', 19_260],
    // no-broker: 17,257 since each server-to-server call has a response (ADR 0022; 16,754 before).
    ['no-broker', 17_257],
    ['rate-limit-burst', 1_998],
  ])('the estimate of %s is within a factor of two of its measured run (%i events at seed 42)', (id, measured) => {
    const e = estimateWork(parsed(presetById(id)?.scenario)).events;
    expect(e).toBeGreaterThan(measured / 2);
    expect(e).toBeLessThan(measured * 2);
  });
});

describe('runs that never finished are refused, naming the biggest term', () => {
  test.each<[string, () => string | null, RegExp]>([
    ['--until-ms 1e15 on group-chat', () => overBudget(groupChat(), 1e15), /biggest term: health checks and broker pings, .*3 servers × 1,000,000,000,000 s/],
    ['groups.count 1e9 (the build alone never returned)', () => overBudget(parsed({ durationMs: 60_000, workload: { users: 8, groups: { count: 1e9 } } })), /biggest term: nodes and channels, .*1,000,000,000 channels with 8,000,000,000 memberships/],
    ['burst size 1e9', () => overBudget(groupChat({ workload: { burstProbability: 0.1, burstSize: 1e9 } })), /biggest term: sends, .*for bursts/],
    ['a send rate of 1000/s for 100,000 users', () => overBudget(parsed({ durationMs: 60_000, workload: { users: 100_000, sendRatePerUserPerSec: 1000, groups: { count: 10_000, size: { kind: 'fixed', size: 10 }, membership: 'partition' } } })), /biggest term: sends, .*100,000 users × 1000\/s × 60 s/],
    ['100,000 fleets of 10 users', () => overBudget(parsed({ durationMs: 600_000, workload: { users: 1_000_000, clients: 'fleets', usersPerFleet: 10, sendRatePerUserPerSec: 0 } })), /biggest term: fleet ticks, .*100,000 fleets × 630 s/],
    ['450,000 groups of 100 (45 M memberships to hold)', () => overBudget(parsed({ durationMs: 1_000, workload: { users: 1_000, sendRatePerUserPerSec: 0, groups: { count: 450_000, size: { kind: 'fixed', size: 100 } } } })), /allocate about [\d,]+ MB up front, .*biggest term: memberships, .*450,000 channels with 45,000,000 memberships/],
  ])('%s', (_name, check, term) => {
    const message = check();
    expect(message).toMatch(/^this run would (do about [\d,.e+]+ events of work|allocate about [\d,]+ MB up front), above the budget of /);
    expect(message).toMatch(term);
  });

  // Proves a send rate of 1e9 per user is refused by the schema itself (the field's own range).
  test('a send rate of 1e9 is refused by the schema, naming the range', () => {
    const p = parseScenario({ durationMs: 1000, workload: { sendRatePerUserPerSec: 1e9 } });
    expect(p.ok ? [] : p.errors).toEqual(['scenario.workload.sendRatePerUserPerSec: 1000000000 is too big (allowed: a number ≤ 1000)']);
  });

  // Proves the workbench's way in (the catalog's build, under RunSession and open) refuses a
  // patch over the budget with the same sentence, before building anything.
  test('the catalog refuses a patch over the budget with the same sentence', () => {
    const expected = overBudget(groupChat({ durationMs: 1e12 }));
    expect(expected).not.toBeNull();
    expect(() => buildRun('group-chat', 1, { durationMs: 1e12 })).toThrow(`group-chat: ${expected}`);
    expect(() => buildRun('group-chat', 1, { workload: { burstProbability: 1, burstSize: 1e9 } })).toThrow(/biggest term: sends/);
  });
});
