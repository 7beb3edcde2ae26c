// Behind a reverse proxy: with web.trustedProxies, the client's own address (X-Forwarded-For) is
// what the sign-in limit counts and the activity log records, so one client's guesses do not lock
// out everyone else behind the same proxy; a header from anyone else is not believed.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, findUser } from '../../src/web/store.js';
import { postSignIn, startWebFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
/** The same, but the proxy it trusts is not the one the requests come from. */
let untrusted: WebFixture;
beforeAll(async () => {
  const patch = (trusted: string[]) => (c: WebFixture['t']['config']) => {
    c.web.trustedProxies = trusted;
    // Two per name, eight per address: fewer slow password checks for the test.
    c.web.loginMaxFailures = 2;
  };
  f = await startWebFixture(patch(['127.0.0.1', '::1']));
  untrusted = await startWebFixture(patch(['192.0.2.1']));
});
afterAll(async () => {
  await f?.stop();
  await untrusted?.stop();
});

async function guess(user: string, password: string, forwardedFor: string, base = f.base): Promise<number> {
  return (await postSignIn(base, user, password, { 'x-forwarded-for': forwardedFor })).status;
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

  it('counts an IPv6 client by its /64, which it could otherwise walk through one address a guess', async () => {
    for (let i = 0; i < 8; i++) expect(await guess(`v6-${i}`, 'wrong', `2001:db8:1:2::${(i + 1).toString(16)}`)).toBe(401);
    expect(await guess('viewer', 'viewer-password-1', '2001:db8:1:2:ffff:ffff:ffff:fffe')).toBe(429);
    expect(await guess('viewer', 'viewer-password-1', '2001:db8:1:3::1')).toBe(303);
    // The activity log keeps each full address.
    const logged = f.t.db.prepare(`SELECT count(DISTINCT address) AS n FROM web_audit WHERE action = 'login.refused' AND address LIKE '2001:db8:1:2:%'`).get() as { n: number };
    expect(logged.n).toBe(8);
  });

  it('counts an IPv4 client as one however the proxy writes it (plain, or IPv4-mapped IPv6)', async () => {
    for (let i = 0; i < 8; i++) expect(await guess(`v4-${i}`, 'wrong', i % 2 ? '198.51.100.7' : '::ffff:198.51.100.7')).toBe(401);
    expect(await guess('viewer', 'viewer-password-1', '198.51.100.7')).toBe(429);
    expect(await guess('viewer', 'viewer-password-1', '::ffff:198.51.100.7')).toBe(429);
    expect(await guess('viewer', 'viewer-password-1', '198.51.100.8')).toBe(303);
  });
});

describe('a forwarded value that is no address (text a client sent that a proxy passed on, `unknown`)', () => {
  it('is not a source of its own: the proxy is, for the limits and the activity log', async () => {
    const api = (forwardedFor: string) => fetch(`${f.base}/api/findings`, { headers: { authorization: 'Bearer aaw_nothing', 'x-forwarded-for': forwardedFor } });
    const before = f.t.db.prepare('SELECT coalesce(max(id), 0) FROM web_audit').pluck().get() as number;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await api(i % 2 ? `junk-${i}` : `<b>${i}</b>`)).status);
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(8).every((s) => s === 429)).toBe(true);
    expect((await api('unknown')).status).toBe(429);
    const addresses = f.t.db.prepare(`SELECT DISTINCT address FROM web_audit WHERE id > ?`).pluck().all(before) as string[];
    expect(addresses).toEqual([expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$/)]);
  });
});

describe('a forwarded address with its port (Azure Application Gateway writes 203.0.113.9:50123)', () => {
  it('is one source whatever the port, logged without it; an inner proxy named with a port is a hop, not the client', async () => {
    for (let i = 0; i < 8; i++) expect(await guess(`port-${i}`, 'wrong', i % 2 ? `203.0.113.9:${50_000 + i}` : `[2001:db8:9::1]:${443 + i}`)).toBe(401);
    // Four each: neither is locked yet by the other's guesses…
    for (let i = 0; i < 4; i++) expect(await guess(`port-v4-${i}`, 'wrong', `203.0.113.9:${60_000 + i}`)).toBe(401);
    // …and now 203.0.113.9 has had its eight, on eight ports.
    expect(await guess('viewer', 'viewer-password-1', '203.0.113.9:61000')).toBe(429);
    expect(await guess('viewer', 'viewer-password-1', '203.0.113.9')).toBe(429);
    const logged = f.t.db.prepare(`SELECT DISTINCT address FROM web_audit WHERE action = 'login.refused' AND (address LIKE '203.0.113.9%' OR address LIKE '%2001:db8:9::1%')`).all() as Array<{ address: string }>;
    expect(logged.map((a) => a.address).sort()).toEqual(['2001:db8:9::1', '203.0.113.9']);
    // The client, then an inner proxy (trusted: 127.0.0.1) that wrote its own address with a port.
    expect(await guess('viewer', 'viewer-password-1', '198.51.100.44, 127.0.0.1:8443')).toBe(303);
    expect(f.t.db.prepare(`SELECT address FROM web_audit WHERE action = 'login' ORDER BY id DESC LIMIT 1`).pluck().get()).toBe('198.51.100.44');
  });
});

describe('a flood from one source', () => {
  const count = (action: string, address: string): number =>
    (f.t.db.prepare(`SELECT count(*) AS n FROM web_audit WHERE action = ? AND address = ?`).get(action, address) as { n: number }).n;

  it('locks a source after its refused sign-ins, and logs the refusals that follow a handful of times, not once each', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push(await guess(`flood-${i}`, 'wrong', '192.0.2.77'));
    expect(statuses.filter((s) => s === 401)).toHaveLength(8);
    expect(statuses.slice(8).every((s) => s === 429)).toBe(true);
    expect(count('login.refused', '192.0.2.77')).toBe(8);
    const limited = f.t.db.prepare(`SELECT detail FROM web_audit WHERE action = 'login.limited' AND address = '192.0.2.77' ORDER BY id`).all() as Array<{ detail: string }>;
    expect(limited.map((r) => (JSON.parse(r.detail) as { refusedWhileLocked: number }).refusedWhileLocked)).toEqual([1, 10]);
  });

  it('counts refused bearer tokens against their source like wrong passwords; a valid token still works', async () => {
    const viewer = findUser(f.t.db, 'viewer')!;
    const token = createToken(f.t.db, viewer.id, 'test', Date.now());
    const api = (bearer: string) => fetch(`${f.base}/api/findings`, { headers: { authorization: `Bearer ${bearer}`, 'x-forwarded-for': '192.0.2.88' } });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await api(`aaw_guess-${i}`)).status);
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(8).every((s) => s === 429)).toBe(true);
    expect(count('token.refused', '192.0.2.88')).toBe(8);
    expect(count('token.limited', '192.0.2.88')).toBe(2);
    expect((await api(token)).status).toBe(200);
  });
});

describe('refused before anyone signed in', () => {
  const entries = (address: string) =>
    (f.t.db.prepare(`SELECT user, detail FROM web_audit WHERE action = 'refused' AND address = ? ORDER BY id`).all(address) as Array<{ user: string; detail: string }>).map((e): Record<string, unknown> => ({ user: e.user, ...(JSON.parse(e.detail) as Record<string, unknown>) }));

  it('a sign-in form that did not come from this site (403), a form posted and the API read without a session (401): each in the activity log', async () => {
    const noForm = await fetch(`${f.base}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.101' }, body: 'user=admin&password=guess' });
    expect(noForm.status).toBe(403);
    const post = await fetch(`${f.base}/findings/${f.findingId}/acknowledge`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.102' }, body: 'reason=x' });
    expect(post.status).toBe(401);
    expect((await fetch(`${f.base}/api/findings`, { headers: { 'x-forwarded-for': '192.0.2.103' } })).status).toBe(401);
    expect(entries('192.0.2.101')).toEqual([{ user: '(not signed in)', method: 'POST', path: '/login', status: 403, why: 'sign-in form expired or not from this site', refusedFromSource: 1 }]);
    expect(entries('192.0.2.102')).toEqual([{ user: '(not signed in)', method: 'POST', path: `/findings/${f.findingId}/acknowledge`, status: 401, why: 'not signed in', refusedFromSource: 1 }]);
    expect(entries('192.0.2.103')).toEqual([{ user: '(not signed in)', method: 'GET', path: '/api/findings', status: 401, why: 'not signed in', refusedFromSource: 1 }]);
    // The password typed into a forged form is not kept.
    expect(JSON.stringify(f.t.db.prepare(`SELECT * FROM web_audit`).all())).not.toContain('guess');
  });

  it('a flood from one source writes its 1st, 10th, 100th… refusal, with the count', async () => {
    for (let i = 0; i < 25; i++) expect((await fetch(`${f.base}/api/overview`, { headers: { 'x-forwarded-for': '192.0.2.105' } })).status).toBe(401);
    expect(entries('192.0.2.105').map((e) => e.refusedFromSource)).toEqual([1, 10]);
  });
});

describe('X-Forwarded-For from a peer that is not a trusted proxy', () => {
  it('is not believed: a new forwarded address a guess neither dodges the limit nor is logged', async () => {
    for (let i = 0; i < 8; i++) expect(await guess(`spoof-${i}`, 'wrong', `203.0.113.${i + 1}`, untrusted.base)).toBe(401);
    expect(await guess('viewer', 'viewer-password-1', '203.0.113.200', untrusted.base)).toBe(429);
    const addresses = untrusted.t.db.prepare(`SELECT DISTINCT address FROM web_audit WHERE action LIKE 'login%'`).all() as Array<{ address: string }>;
    expect(addresses.map((a) => a.address)).toEqual([expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$/)]);
  });
});
