/**
 * The ordering-and-delivery lab's text, in our own words; `{id}` placeholders are measured figures.
 */

export const SUMMARY = 'Out of order without sequence numbers, in order with them and a reorder buffer; lost messages at most once, none at least once; and what each guarantee costs.';

export const UNORDERED = [
  'Six users share one group. Calls between the back-end services travel over separate connections with jittery latency, so two messages can overtake each other on the way.',
  'There are no sequence numbers and no reorder buffer: each client shows messages as they arrive.',
  'Users saw {outOfOrder} messages out of order; the ordering checker\u2019s first finding is at t = {firstFinding}.',
].join(' ');

export const UNORDERED_WATCH = ['In the users\u2019 view, two members of g1 show the same messages in different orders.'];

export const FIX_QUESTION = 'Same seed, same jittery network, but the chat service numbers each channel\u2019s messages and clients hold back a message until the ones before it arrived. How many messages will users see out of order?';

export const FIX_NARRATION = 'Commit to an answer before the run: the network has not changed, only the mechanism.';

export const FIX_EXPLANATION = [
  'With sequence numbers and a reorder buffer users saw {outOfOrderWith} messages out of order, against {outOfOrderWithout} without.',
  'The buffer is not free: a message waits for the ones before it, so the median delivery time went from {p50Without} to {p50With} and the 99th percentile from {p99Without} to {p99With}.',
  'A gap that does not fill within the buffer\u2019s limit is fetched from history instead ({reorderTimeouts} times here).',
  'What the numbers give is agreement: every member sees the group in one order. They do not keep each sender\u2019s own order. The chat service numbers messages as they reach it, so a burst that the jittery back end reordered on its way there is numbered in the reordered order, the same for everyone: {senderOrderWith} messages were shown out of their sender\u2019s order (the Report\u2019s sender-order findings). Nothing in this design puts them back.',
].join(' ');

export const CRASH_QUESTION = 'ws-2 crashes at 15 s under traffic and restarts at 25 s. With at-most-once delivery (no acks, no retries), how many messages will users never be shown?';

export const CRASH_NARRATION = 'A crash takes down every connection on ws-2, and whatever was on its way through it. Predict a number, then let the run answer.';

export const CRASH_EXPLANATION = [
  'The run lost {lost}: stored in the database but never shown to some member. The lost-message checker\u2019s first finding is at t = {firstLost}.',
  'Nothing in the design notices: the sender got no ack it was waiting for, and the reader never asked for what it missed.',
].join(' ');

export const DELIVERY_NARRATION = [
  'The same crash, and a switch for the guarantee. At least once means the client keeps a message until the server acks it and retries with the same idempotency key;',
  'the server drops a key it has seen; the client drops a message it already shows; and a reconnecting client catches up from history.',
].join(' ');

export const DELIVERY_EXPLANATION = [
  'This run lost {lost} messages and showed {duplicates} twice, with {retries} retries and {historyFetches} history catch-ups; it sent {perStored} network messages per stored message.',
  'The table sets both guarantees side by side on the same seed: the difference in messages per stored message is the acks, the retries and the catch-up, and the 99th percentile grows because a message that lost its server waits for a retry or a catch-up before anyone sees it.',
].join(' ');

export const GUARANTEES = 'Check the chosen design on the crash: at least once with dedup must lose nothing and show nothing twice, judged by the checkers on the trace.';

export const GUARANTEES_EXPLANATION = 'The lost-message checker made {lostFindings} findings and the duplicates checker {duplicateFindings}; clients dropped {dropped} copies they already showed, which is dedup doing its job.';
