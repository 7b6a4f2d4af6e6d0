/**
 * The notification service: messages for offline users go to the phone makers' push services,
 * best effort (design 001). The provider has a quota (FCM: 600,000 messages a minute per project;
 * over it, HTTP 429) modelled as a token bucket refilled continuously; a push over quota is
 * dropped and recorded. A delivered push reaches the user's device after the provider's latency,
 * even while the app is closed.
 */
import type { WireMsg } from '../contract/index.ts';
import { fx, type Effect, type NodeBehavior } from '../core/node.ts';
import { sampleMs, type DistSpec } from '../core/dist.ts';
import { NODE } from './protocol.ts';

/** Notifier configuration. */
export interface NotifierConfig {
  readonly quotaPerMinute: number;
  readonly providerLatency: DistSpec;
}

/** Notifier state: the quota bucket. */
export interface NotifierState {
  readonly config: NotifierConfig;
  tokens: number;
  refilledAt: number;
}

type Fx = Effect<WireMsg, unknown>[];

export const notifier: NodeBehavior<NotifierState, WireMsg, unknown, NotifierConfig> = {
  kind: 'notifier',
  init: (config) => ({ config, tokens: config.quotaPerMinute, refilledAt: 0 }),
  handle(state, now, input, ctx) {
    const out: Fx = [];
    if (input.type === 'timer') {
      // The provider's delay is over: the device shows the notification.
      const { user, message } = input.payload as { user: string; message: WireMsg };
      out.push(fx.send<WireMsg>(NODE.client(user), message, 128));
      return { state, effects: out };
    }
    if (input.type !== 'message' || input.msg.type !== 'notify/push') return { state, effects: out };
    const c = state.config;
    state.tokens = Math.min(c.quotaPerMinute, state.tokens + ((now - state.refilledAt) * c.quotaPerMinute) / 60_000);
    state.refilledAt = now;
    for (const user of input.msg.users) {
      if (state.tokens < 1) {
        out.push(fx.trace('notify/dropped', { user, id: input.msg.message.id, reason: 'quota' }));
        continue;
      }
      state.tokens -= 1;
      out.push(fx.trace('notify/sent', { user, id: input.msg.message.id }));
      out.push(fx.setTimer(`push:${input.msg.message.id}:${user}`, sampleMs(ctx.rng, c.providerLatency), { user, message: { type: 'push', message: input.msg.message } }));
    }
    return { state, effects: out };
  },
};
