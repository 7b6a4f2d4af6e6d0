/**
 * The dedicated rate-limit service: one more network hop per request, and one more thing that
 * can fail. Servers ask it before forwarding a send; what they do when it does not answer
 * (let the request through, or refuse it) is the scenario's `failOpen` choice.
 */
import type { WireMsg } from '../contract/index.ts';
import { fx, type NodeBehavior } from '../core/node.ts';
import { createSlot, decide, decisionTrace, keyOf, type LimiterSlot, type RateLimitConfig } from './rateLimit.ts';

/** Limiter service state. */
export interface LimiterServiceState {
  slot: LimiterSlot;
}

export const limiterService: NodeBehavior<LimiterServiceState, WireMsg, unknown, RateLimitConfig> = {
  kind: 'limiter',
  init: (config) => ({ slot: createSlot(config) }),
  handle(state, now, input) {
    if (input.type !== 'message' || input.msg.type !== 'rl/check') return { state, effects: [] };
    const { reqId, user } = input.msg;
    const { decision, data } = decide(state.slot, keyOf(state.slot.config, user), now);
    const allowed = decision?.allowed ?? true;
    return {
      state,
      effects: [
        ...(data === null ? [] : [decisionTrace(data, allowed)]),
        fx.send<WireMsg>(input.from, { type: 'rl/verdict', reqId, allowed, retryAfterMs: decision?.retryAfterMs ?? null }, 32),
      ],
    };
  },
};
