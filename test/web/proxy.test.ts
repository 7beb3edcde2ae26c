// Behind a reverse proxy: with web.trustedProxies, the client's own address (X-Forwarded-For) is
// what the sign-in limit counts and the activity log records, so one client's guesses do not lock
// out everyone else behind the same proxy; a header from anyone else is not believed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await startWebFixture((c) => {
    c.web.trustedProxies = ['127.0.0.1', '::1'];
    // Two per name, eight per address: fewer slow password checks for the test.
    c.web.loginMaxFailures = 2;
  });
});
afterAll(async () => {
  await f?.stop();
});

async function guess(user: string, password: string, forwardedFor: string): Promise<number> {
  const form = await fetch(`${f.base}/login`);
  const cookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const res = await fetch(`${f.base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor },
    body: new URLSearchParams({ _csrf: csrf, user, password }).toString(),
  });
  return res.status;
}

describe('web.trustedProxies', () => {
  it('limits and logs by the forwarded client address', async () => {
    // Eight failures (four times the per-name limit) from one client, over four names, lock that client…
    for (let i = 0; i < 8; i++) expect(await guess(`nobody${i % 4}`, 'wrong', '203.0.113.5')).toBe(401);
    expect(await guess('viewer', 'viewer-password-1', '203.0.113.5')).toBe(429);
    // …and nobody else behind the same proxy.
    expect(await guess('viewer', 'viewer-password-1', '203.0.113.6')).toBe(303);
    const addresses = f.t.db.prepare(`SELECT DISTINCT address FROM web_audit WHERE action IN ('login.refused', 'login')`).all() as Array<{ address: string }>;
    expect(addresses.map((a) => a.address).sort()).toEqual(['203.0.113.5', '203.0.113.6']);
  });
});
