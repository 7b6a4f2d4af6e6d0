import { describe, expect, test } from 'vitest';
import { CLIENT_FRAME_TYPES, SERVER_FRAME_TYPES } from '../contract/index.ts';
import { INJECTABLE_TYPES } from './inject.ts';

// The inject schema repeats the frames' shapes field by field (it bounds every field); this keeps
// it from falling behind the protocol: when a frame type is added to the wire, it must be added
// there too (the merge of issue 9's branches found login, loginOk and authError missing).
describe('the inject schema', () => {
  test('covers every frame a client or a server sends', () => {
    const frames = [...Object.keys(CLIENT_FRAME_TYPES), ...Object.keys(SERVER_FRAME_TYPES)];
    expect(frames.filter((t) => !(INJECTABLE_TYPES as readonly string[]).includes(t))).toEqual([]);
  });
});
