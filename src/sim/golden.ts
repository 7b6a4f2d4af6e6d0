/**
 * Pinned results of one run, checked in Node (unit tests) and in Chromium (browser tests, through
 * the worker and on the main thread): the same numbers everywhere is what determinism means.
 * If a deliberate change to the kernel or the demo changes them, update them here in the same
 * commit and say why.
 */
export const GOLDEN_KERNEL_DEMO = {
  scenario: 'kernel-demo',
  seed: 42,
  untilMs: 2000,
  eventCount: 1979,
  traceHash: 'ae96c88f932574fc',
} as const;

/** A cluster run pinned the same way: group-chat, seed 42, the first 20 virtual seconds. */
export const GOLDEN_GROUP_CHAT = {
  scenario: 'group-chat',
  seed: 42,
  untilMs: 20_000,
  eventCount: 5798,
  traceHash: '6a3e84d40a199d18',
} as const;
