// The Windows account-name memory (parsers/windows/names.ts) on its own: case, bounds, what a
// hostile sender can make it hold.

import { describe, expect, it } from 'vitest';
import { AccountNames } from '../names.js';

const SID = 'S-1-5-21-1-2-3-1203';

describe('AccountNames', () => {
  it('matches SIDs, computers and domains without regard to case, and keeps the name\'s own case', () => {
    const names = new AccountNames();
    names.learn('CORP-DC1.corp.example', 'Mallory', SID.toLowerCase(), 'CORP');
    expect(names.canonical('corp-dc1.CORP.example', SID)).toBe('Mallory');
    expect(names.canonical('CORP-DC1.corp.example', 'corp\\MALLORY')).toBe('Mallory');
    names.learn('WS01', 'Helpdesk', undefined, undefined);
    expect(names.canonical('ws01', 'WS01\\HELPDESK')).toBe('Helpdesk');
    expect(names.canonical('ws01', 'WS01\\other')).toBe('other');
    expect(names.member('CORP-DC1.corp.example', 'CN=Mallory Jones,DC=corp,DC=example', SID)).toBe('Mallory');
  });

  it('keeps forms that are no SID and no DOMAIN\\name as they are', () => {
    const names = new AccountNames();
    for (const s of ['mallory', 'CN=Mallory Jones,OU=Staff,DC=corp,DC=example', 'mallory@corp.example', '\\mallory', 'CORP\\', 'A\\B\\C', 'S-1-5']) {
      expect(names.canonical('WS01', s)).toBe(s);
    }
  });

  it('spells an account event\'s name as the first one on that computer did, in the same domain or none said', () => {
    const names = new AccountNames();
    names.learn('CORP-DC1.corp.example', 'Bob3', SID, 'CORP');
    expect(names.spelt('corp-dc1.corp.example', 'BOB3', 'corp')).toBe('Bob3');
    expect(names.spelt('CORP-DC1.corp.example', 'bob3', undefined)).toBe('Bob3');
    expect(names.spelt('CORP-DC1.corp.example', 'BOB3', 'PARTNER')).toBe('BOB3');
    expect(names.spelt('WS01', 'BOB3', 'CORP')).toBe('BOB3');
    expect(names.spelt('CORP-DC1.corp.example', 'carol', 'CORP')).toBe('carol');
  });

  it('forgets the oldest accounts first, past 20,000', () => {
    const names = new AccountNames();
    names.learn('WS01', 'first', 'S-1-5-21-1-2-3-1000', 'CORP');
    for (let i = 0; i < 20_000; i++) names.learn('WS01', `u${i}`, `S-1-5-21-1-2-3-${2000 + i}`, 'CORP');
    expect(names.canonical('WS01', 'S-1-5-21-1-2-3-1000')).toBe('S-1-5-21-1-2-3-1000');
    expect(names.canonical('WS01', 'CORP\\first')).toBe('CORP\\first');
    expect(names.canonical('WS01', 'S-1-5-21-1-2-3-2000')).toBe('u0');
    expect(names.canonical('WS01', 'CORP\\u19999')).toBe('u19999');
  });

  it('remembers no name, computer or domain longer than a record keeps', () => {
    const names = new AccountNames();
    const long = 'x'.repeat(257);
    names.learn('WS01', long, SID, 'CORP');
    names.learn(long, 'bob', SID, 'CORP');
    names.learn('WS02', 'bob', SID, long);
    expect(names.canonical('WS01', SID)).toBe(SID);
    expect(names.canonical(long, SID)).toBe(SID);
    expect(names.canonical('WS02', SID)).toBe('bob');
    expect(names.canonical('WS02', `${long}\\bob`)).toBe(`${long}\\bob`);
  });
});
