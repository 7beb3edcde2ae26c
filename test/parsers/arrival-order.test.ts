// The order every bounded table of aaawatch forgets by (parsers/lib/arrival-order.ts): the RADIUS
// duplicate cache and open sessions, the sign-in limiter, auditd's pending syscalls, Comware's views.

import { describe, expect, it } from 'vitest';
import { ArrivalOrder } from '../../parsers/lib/arrival-order.js';
import { mulberry32 } from '../support/random.js';

describe('ArrivalOrder', () => {
  it('gives the oldest live entry after any mix of sets, sets again and deletes (checked against a Map kept in order)', () => {
    const rnd = mulberry32(7);
    const order = new ArrivalOrder<number>();
    const model = new Map<string, number>();
    for (let i = 0; i < 200_000; i++) {
      const key = `k${Math.floor(rnd() * 3000)}`;
      const r = rnd();
      if (r < 0.6) {
        order.set(key, i);
        model.delete(key);
        model.set(key, i);
      } else if (r < 0.9) {
        order.delete(key);
        model.delete(key);
      } else {
        const o = order.oldest();
        const first = model.entries().next();
        expect(o ? [o.key, o.value] : undefined).toEqual(first.done ? undefined : first.value);
        if (o) {
          order.delete(o.key);
          model.delete(o.key);
        }
      }
      if (order.size !== model.size) expect.fail(`size ${order.size} against ${model.size} at ${i}`);
    }
    expect([...order.keys()].sort()).toEqual([...model.keys()].sort());
  });
});

describe('ArrivalOrder.bound', () => {
  it('forgets the oldest entries until the bound holds; an entry set again is the newest', () => {
    const order = new ArrivalOrder<number>();
    for (let i = 0; i < 10; i++) order.set(`k${i}`, i);
    order.set('k0', 100);
    order.bound(7);
    expect(order.size).toBe(7);
    expect([...order.keys()].sort()).toEqual(['k0', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
    expect(order.oldest()).toEqual({ key: 'k4', value: 4 });
    order.bound(0);
    expect(order.size).toBe(0);
    expect(order.oldest()).toBeUndefined();
  });

  it('keeps a table of 200,000 arrivals at its bound, the newest kept (checked against a Map kept in order)', () => {
    const rnd = mulberry32(11);
    const order = new ArrivalOrder<number>();
    const model = new Map<string, number>();
    for (let i = 0; i < 200_000; i++) {
      const key = `k${Math.floor(rnd() * 50_000)}`;
      order.set(key, i);
      model.delete(key);
      model.set(key, i);
      order.bound(1000);
      while (model.size > 1000) model.delete(model.keys().next().value!);
    }
    expect(order.size).toBe(1000);
    expect([...order.keys()].sort()).toEqual([...model.keys()].sort());
    expect(order.oldest()).toEqual({ key: model.keys().next().value, value: model.values().next().value });
  });
});
