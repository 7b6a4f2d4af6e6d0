import { describe, expect, it } from 'vitest';
import { createMainThreadClient } from '../runtime/simClient.ts';
import { Session } from './session.ts';

describe('Session.open with interventions to replay', () => {
  it('applies the verbs the run accepts, leaves out the one it refuses and names it', async () => {
    const session = new Session(createMainThreadClient());
    await session.open('group-chat', 42, {
      interventions: [
        { at: 2_000, op: { verb: 'crash', node: 'ws-2' } },
        // Valid in shape, refused by this run: there is no ws-9 in group-chat.
        { at: 3_000, op: { verb: 'crash', node: 'ws-9' } },
        { at: 4_000, op: { verb: 'restart', node: 'ws-2' } },
      ],
      nowMs: 5_000,
    });
    const st = session.store.get();
    expect(st.interventions.map((iv) => [iv.at, iv.op.verb])).toEqual([
      [2_000, 'crash'],
      [4_000, 'restart'],
    ]);
    expect(st.summary?.nowMs).toBe(5_000);
    expect(st.notice?.kind).toBe('error');
    expect(st.notice?.text).toMatch(/^One intervention was not applied.*crash at 3\.000 s \(.*ws-9/);
  });

  it('opens without a notice when every verb applies', async () => {
    const session = new Session(createMainThreadClient());
    await session.open('group-chat', 42, { interventions: [{ at: 1_000, op: { verb: 'crash', node: 'ws-1' } }], nowMs: 1_500 });
    expect(session.store.get().notice).toBeNull();
    expect(session.store.get().interventions).toHaveLength(1);
  });
});
