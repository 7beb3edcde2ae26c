import { describe, expect, it } from 'vitest';
import { AccountKnowledge } from '../../src/ingest/resolve.js';
import type { AccountEvent } from '../../src/types.js';

const set = (target: string, technique: AccountEvent['technique']): AccountEvent => ({
  kind: 'account', action: 'account.set', time: '2026-11-21T22:10:01.000Z', device: 'mx1', platform: 'juniper-junos',
  target, role: 'super-user', technique,
});

describe('create or modify', () => {
  it('a set for an account the device did not have creates it (T1136.001); a second set modifies it (T1098)', () => {
    const k = new AccountKnowledge();
    expect(k.resolve(set('bob', 'T1098'))).toMatchObject({ action: 'account.create', technique: 'T1136.001' });
    expect(k.resolve(set('bob', 'T1136.001'))).toMatchObject({ action: 'account.modify', technique: 'T1098' });
  });

  it('knowledge from a pull and from deletes decides it; other techniques are left alone', () => {
    const k = new AccountKnowledge([['mx1', 'alice']]);
    expect(k.resolve(set('alice', undefined))).toEqual({ ...set('alice', undefined), action: 'account.modify' });
    k.resolve({ ...set('alice', undefined), action: 'account.delete' });
    expect(k.resolve(set('alice', 'T1136.003')).action).toBe('account.create');
    k.setDevice('mx1', ['carol']);
    expect([k.has('mx1', 'alice'), k.has('mx1', 'carol')]).toEqual([false, true]);
  });
});
