/**
 * The global sequencer: one counter for the whole system, so every message in every channel gets
 * a place in one total order. Every send waits for it, and its single CPU is a shared bottleneck:
 * that is the cost of "strong global order" in the lab's trade-off table.
 */
import type { WireMsg } from '../contract/index.ts';
import { fx, type NodeBehavior } from '../core/node.ts';

/** Sequencer state: the last number handed out (kept across a crash, as a durable counter). */
export interface SequencerState {
  last: number;
}

export const sequencer: NodeBehavior<SequencerState, WireMsg> = {
  kind: 'sequencer',
  init: (_config, _ctx, durable) => ({ last: typeof durable === 'number' ? durable : 0 }),
  durable: (state) => state.last,
  handle(state, _now, input) {
    if (input.type !== 'message' || input.msg.type !== 'seq/next') return { state, effects: [] };
    state.last++;
    return { state, effects: [fx.send<WireMsg>(input.from, { type: 'seq/assigned', reqId: input.msg.reqId, seq: state.last }, 16)] };
  },
};
