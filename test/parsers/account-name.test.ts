// Account names longer than records keep: bounded, still one name each (parsers/lib/record.ts accountName).

import { describe, expect, it } from 'vitest';
import { accountName } from '../../parsers/lib/record.js';

describe('accountName', () => {
  it('keeps a name of up to 256 characters as it is', () => {
    for (const n of ['bob', 'y'.repeat(255), 'y'.repeat(256)]) expect(accountName(n)).toBe(n);
  });

  it('bounds a longer name to 256 characters with a mark and a hash of the whole name, so two names alike for 256 characters stay two', () => {
    const a = accountName('z'.repeat(256) + 'a');
    const b = accountName('z'.repeat(256) + 'b');
    expect(a).not.toBe(b);
    expect(a).toHaveLength(256);
    expect(a).toMatch(/^z{238}…#[0-9a-f]{16}$/);
    // The same name, on any path, is the same bounded name.
    expect(accountName('z'.repeat(256) + 'a')).toBe(a);
  });

  it('bounds a name of 256 characters that spells the bounded form of another, so a sender cannot be taken for it', () => {
    const bounded = accountName('q'.repeat(400));
    expect(accountName(bounded)).not.toBe(bounded);
    expect(accountName(bounded)).toMatch(/…#[0-9a-f]{16}$/);
  });

  it('never cuts a character of two UTF-16 units in half', () => {
    const n = accountName('w'.repeat(237) + '😀'.repeat(20));
    expect(n).toMatch(/^w{237}…#[0-9a-f]{16}$/);
    expect(n.isWellFormed()).toBe(true);
  });
});
