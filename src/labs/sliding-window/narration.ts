/**
 * The sliding-window lab's text, in our own words; `{id}` placeholders are measured figures.
 */

export const SUMMARY = 'The lab\u2019s sliding-window example run by the simulator\u2019s own limiter, your own requests judged one by one, and every algorithm on the same traffic.';

export const EXAMPLE = [
  'The lab\u2019s example: at most 5 requests in any 60 s, remembered as a log of timestamps. User u1 sends at 0, 15, 20, 35, 55, 60 and 65 s.',
  'The gateway\u2019s limiter let {allowed} through and refused {refused}: the one at {refusedAt} after the first, when the log already held five requests from the last 60 s.',
  'At {readmittedAt} the request from 0 s has slid out of the window, so the next one passes.',
].join(' ');

export const EXAMPLE_WATCH = ['Step the window along the timeline: the shaded span is the last 60 s, and the count inside it is what the limiter compares with 5.'];

export const OWN_QUESTION = 'Place your own requests on the timeline, then mark each one: will the limiter allow it or deny it?';

export const OWN_NARRATION = 'The same limit, 5 per 60 s, your traffic. Click the timeline (or type a second) to add a request, remove the ones you do not want, and predict each verdict before the gateway answers.';

export const OWN_EXPLANATION = [
  'The gateway\u2019s sliding log allowed {allowed} of your requests and refused {refused}.',
  'A request is refused exactly when five allowed ones already sit in the 60 s before it; refused requests do not enter the log, so they do not push the window\u2019s end.',
].join(' ');

export const COMPARE = [
  'Now both users send bursts at random for four minutes. Pick the gateway\u2019s algorithm and every pick is a new run.',
  'The table replays the requests of this run through each of the simulator\u2019s algorithms, with the same limit, and counts against the exact sliding log.',
].join(' ');

export const COMPARE_EXPLANATION = [
  'With this algorithm the gateway allowed {admitted} requests and refused {refused}, and the most it let through in one 60 s window was {worstWindow} (the limit is 5).',
  'On the same traffic, the sliding counter admitted {counterOver} requests the exact log would have refused and refused {counterUnder} the log would have admitted: the price of keeping two counters instead of a log.',
  'Find an algorithm that lets more than 5 through in some window.',
].join(' ');

export const BOUND = 'Back to the exact sliding log on the bursty traffic: the rate-limit checker replays every decision and fails if any 60 s window ever admitted more than 5.';

export const BOUND_EXPLANATION = [
  'The log refused {refused} requests and admitted at most {worstWindow} in any window; the checker made {findings} findings.',
  'Its cost is memory: the log keeps a timestamp per admitted request, where the counter keeps two numbers per key.',
].join(' ');
