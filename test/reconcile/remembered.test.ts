// The memory account-created's judging keeps of answers about device-supplied strings.

import { describe, expect, it } from 'vitest';
import { keyOf, remembered } from '../../src/reconcile/remembered.js';

describe('keyOf', () => {
  it('tells apart lists that join to the same text, and a missing value from an empty one', () => {
    const lists: Array<Array<string | undefined>> = [['ab', 'c'], ['a', 'bc'], ['abc', undefined], ['abc', ''], [undefined, 'abc'], ['1:a'], ['1', 'a'], ['-'], [undefined]];
    expect(new Set(lists.map(keyOf)).size).toBe(lists.length);
  });
});

describe('remembered', () => {
  it('makes each answer once, forgets all when full, and keeps no key longer than it bounds', () => {
    let made = 0;
    const get = remembered<string>(2);
    const make = (v: string) => () => {
      made++;
      return v.toUpperCase();
    };
    expect(get('a', make('a'))).toBe('A');
    expect(get('a', make('a'))).toBe('A');
    expect(made).toBe(1);
    get('b', make('b'));
    get('c', make('c'));
    // Full at two: `c` forgot `a` and `b`.
    expect(get('a', make('a'))).toBe('A');
    expect(made).toBe(4);
    const long = 'x'.repeat(600);
    get(long, make(long));
    get(long, make(long));
    expect(made).toBe(6);
  });

  it('keeps an answer that is undefined as an answer', () => {
    let made = 0;
    const get = remembered<string | undefined>(10);
    get('k', () => (made++, undefined));
    expect(get('k', () => (made++, 'other'))).toBeUndefined();
    expect(made).toBe(1);
  });
});
