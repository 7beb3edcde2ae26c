// Access control over plain HTTP: every page and API call needs a sign-in; forms and API writes
// made with a cookie need the session's CSRF token; roles limit what each user may do; sign-ins
// are rate-limited; bearer tokens work for /api only; the security headers are sent.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/web/passwords.js';
import { createToken, findUser, saveUser, verifyActivity } from '../../src/web/store.js';
import { hostileStrings, signIn, startWebFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await startWebFixture();
});
afterAll(async () => {
  await f?.stop();
});

describe('without signing in', () => {
  it('pages redirect to the sign-in form, the API answers 401, and writes are refused', async () => {
    for (const path of ['/', '/findings', `/findings/${f.findingId}`, '/devices', '/devices/core-sw1', '/audit', '/roster', '/exports', '/exports/evidence.zip', '/activity']) {
      const res = await fetch(`${f.base}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    for (const path of ['/api/overview', '/api/findings', '/api/events', '/api/exports/accounts.csv']) {
      const res = await fetch(`${f.base}${path}`);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const post = await fetch(`${f.base}/findings/${f.findingId}/acknowledge`, { method: 'POST', body: new URLSearchParams({ reason: 'x' }), redirect: 'manual' });
    expect(post.status).toBe(401);
    const stranger = await fetch(`${f.base}/`, { headers: { cookie: 'aaawatch_session=forged' }, redirect: 'manual' });
    expect(stranger.status).toBe(303);
  });

  it('sends a strict Content-Security-Policy and the usual security headers', async () => {
    const res = await fetch(`${f.base}/login`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const cookie = res.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('refuses a sign-in form that did not come from the sign-in page (login CSRF)', async () => {
    const res = await fetch(`${f.base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user: 'admin', password: 'admin-password-1' }).toString(),
    });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('aaawatch_session='))).toBe(false);
  });
});

describe('signed in', () => {
  it('refuses a form posted without the CSRF token, or with another session’s', async () => {
    const auditor = await signIn(f.base, 'auditor');
    const other = await signIn(f.base, 'admin');
    const none = await auditor.post(`/findings/${f.findingId}/acknowledge`, { reason: 'seen' });
    expect(none.status).toBe(403);
    const foreign = await auditor.post(`/findings/${f.findingId}/acknowledge`, { reason: 'seen', _csrf: other.csrf });
    expect(foreign.status).toBe(403);
    const api = await auditor.post(`/api/findings/${f.findingId}/acknowledge`, { reason: 'seen' });
    expect(api.status).toBe(403);
    const status = (f.t.db.prepare('SELECT status FROM findings WHERE id = ?').get(f.findingId) as { status: string }).status;
    expect(status).toBe('open');
  });

  it('lets a viewer read but not export or decide', async () => {
    const viewer = await signIn(f.base, 'viewer');
    expect((await viewer.get('/findings')).status).toBe(200);
    expect((await viewer.get('/exports')).status).toBe(403);
    expect((await viewer.get('/exports/accounts.csv')).status).toBe(403);
    expect((await viewer.get('/activity')).status).toBe(403);
    const decide = await viewer.post(`/findings/${f.hostileFindings[0]}/acknowledge`, { reason: 'seen', _csrf: viewer.csrf });
    expect(decide.status).toBe(403);
    const page = await (await viewer.get(`/findings/${f.hostileFindings[0]}`)).text();
    expect(page).not.toContain('action="/findings/');
  });

  it('refuses a viewer any change, and logs it, whatever the body or action: malformed, unknown, bulk', async () => {
    const viewer = await signIn(f.base, 'viewer');
    const tries: Array<[string, Record<string, string>]> = [
      ['/cases/decide', { _csrf: viewer.csrf }],
      ['/case/decide', { _csrf: viewer.csrf, action: 'accept' }],
      [`/findings/${f.hostileFindings[0]}/no-such-action`, { _csrf: viewer.csrf }],
      ['/api/cases/decide', { _csrf: viewer.csrf, cases: 'not json' }],
    ];
    for (const [path, body] of tries) {
      const before = (f.t.db.prepare(`SELECT count(*) AS n FROM web_audit WHERE action = 'refused' AND user = 'viewer'`).get() as { n: number }).n;
      expect((await viewer.post(path, body)).status, path).toBe(403);
      const last = f.t.db.prepare(`SELECT detail FROM web_audit WHERE action = 'refused' AND user = 'viewer' ORDER BY id DESC LIMIT 1`).get() as { detail: string };
      expect((f.t.db.prepare(`SELECT count(*) AS n FROM web_audit WHERE action = 'refused' AND user = 'viewer'`).get() as { n: number }).n, path).toBe(before + 1);
      expect(JSON.parse(last.detail)).toMatchObject({ method: 'POST', path, role: 'viewer' });
    }
    // Signing out is not a change a viewer is refused.
    expect((await viewer.post('/logout', { _csrf: viewer.csrf })).status).toBe(303);
  });

  it('refuses an export whose period or scope does not exist, and says why, instead of an empty or moved review', async () => {
    const auditor = await signIn(f.base, 'auditor');
    for (const [query, says] of [
      ['group=no-such-group', 'group no-such-group: no device in the inventory is in it'],
      ['platform=cisco-iso', 'platform cisco-iso: not a platform id'],
      ['to=2026-09-31', 'to: a UTC date'],
      // A device no one knows, or one of two, or a glob no name answers to: said, not an empty review.
      ['devices=core-sw9', 'devices core-sw9: names no device aaawatch knows'],
      ['devices=core-sw1%2Ccore-sw9', 'devices core-sw9: names no device aaawatch knows'],
      ['devices=edge-*', 'devices edge-*: names no device aaawatch knows'],
    ]) {
      const res = await auditor.get(`/api/exports/accounts.csv?${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain(says);
      const page = await (await auditor.get(`/exports?${query}`)).text();
      expect(page).toContain(says);
      // The page offers no download its problem would refuse, and no period as though it held.
      expect(page, query).not.toContain('href="/exports/accounts.csv');
      expect(page, query).not.toMatch(/<p>Period /);
      expect(page, query).toContain('Nothing to download for this choice: correct it above');
    }
    expect((await auditor.get('/api/exports/accounts.csv?platform=cisco-asa')).status).toBe(200);
    // Every hostile device typed as one list (over 1,000 characters): read whole, not cut at 256 into a narrower scope.
    const all = [...new Set(f.hostileDevices)];
    const listed = await auditor.get(`/api/exports/report.json?devices=${encodeURIComponent(all.join(','))}`);
    expect(listed.status).toBe(200);
    const review = (await listed.json()) as { header: { scope: string }; accounts: Array<{ device: string }> };
    expect(review.header.scope).toBe(`devices ${all.join(', ')}`);
    expect(new Set(review.accounts.map((r) => r.device))).toEqual(new Set(all));
    // Past the bound, said rather than cut: 51 names.
    const many = await auditor.get(`/api/exports/accounts.csv?devices=${encodeURIComponent(Array.from({ length: 51 }, (_, i) => `core-sw${i}`).join(','))}`);
    expect(many.status).toBe(400);
    expect(((await many.json()) as { error: string }).error).toBe('devices: at most 50 names or globs (51 given)');
    // A device only syslog named (a hostile name, as sent) is known: its review is taken, in any case the name is typed.
    const hostile = f.hostileDevices[0]!;
    for (const devices of [hostile, hostile.toUpperCase(), 'core-*']) {
      const res = await auditor.get(`/api/exports/accounts.csv?devices=${encodeURIComponent(devices)}`);
      expect(res.status, devices).toBe(200);
      expect((await res.text()).trim().split('\r\n').length, devices).toBeGreaterThan(1);
    }
  });

  it('takes a period that starts and ends within a day, given with its zone\'s offset, on the page and the API', async () => {
    const auditor = await signIn(f.base, 'auditor');
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const query = `from=${encodeURIComponent(`${day}T08:30+02:00`)}&to=${encodeURIComponent(`${day}T17:45+02:00`)}`;
    const page = await (await auditor.get(`/exports?${query}`)).text();
    // The picker is typed text a time and an offset fit in (a date input holds a day only).
    expect(page).toMatch(/<input[^>]*name="from"[^>]*>/);
    expect(/<input[^>]*name="from"[^>]*>/.exec(page)![0]).not.toContain('type="date"');
    expect(page).toContain(`value="${day}T08:30+02:00"`);
    expect(page).not.toContain('class="error"');
    const json = (await (await auditor.get(`/api/exports/report.json?${query}`)).json()) as { header: { period: { from: string; to: string } } };
    // The end given to the minute covers that minute (asof19): 17:45+02:00 runs to 15:45:59.999Z.
    expect(json.header.period).toEqual({ from: `${day}T06:30:00Z`, to: `${day}T15:45:59Z` });
    // The page says the period as the exports read it (in UTC, the end's whole minute), not as typed.
    expect(page).toContain(`<p>Period ${day}T06:30:00Z to ${day}T15:45:59Z; every device.</p>`);
    expect(await (await auditor.get('/exports')).text()).toMatch(/<p>Period \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z to now, when the export is taken \(90 days\); every device\.<\/p>/);
  });

  it('lets an auditor acknowledge but not accept or resolve; an admin accepts', async () => {
    const auditor = await signIn(f.base, 'auditor');
    const id = f.hostileFindings[1]!;
    expect((await auditor.post(`/findings/${id}/resolve`, { reason: 'fixed', _csrf: auditor.csrf })).status).toBe(403);
    const ack = await auditor.post(`/findings/${id}/acknowledge`, { reason: 'looking into it', _csrf: auditor.csrf });
    expect(ack.status).toBe(303);
    expect(ack.headers.get('location')).toBe(`/findings/${id}?done=acknowledge`);
    const admin = await signIn(f.base, 'admin');
    const noDate = await admin.post(`/findings/${id}/accept`, { reason: 'lab device', _csrf: admin.csrf });
    expect(noDate.status).toBe(400);
    // Malformed requests are the asker's mistake (400), not a conflict with the finding's state (409).
    expect((await admin.post(`/findings/${id}/resolve`, { reason: 'fixed\u0000', _csrf: admin.csrf })).status).toBe(400);
    expect((await admin.post(`/findings/${id}/resolve`, { reason: 'fixed', ticket: 'CHG\t1', _csrf: admin.csrf })).status).toBe(400);
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    expect((await admin.post(`/findings/${id}/accept`, { reason: 'lab device', until, _csrf: admin.csrf })).status).toBe(303);
    const history = f.t.db.prepare('SELECT by, to_status, reason FROM finding_history WHERE finding_id = ? ORDER BY id').all(id);
    expect(history).toEqual([
      { by: 'aaawatch', to_status: 'open', reason: null },
      { by: 'auditor', to_status: 'acknowledged', reason: 'looking into it' },
      { by: 'admin', to_status: 'accepted', reason: 'lab device' },
    ]);
    const log = f.t.db.prepare(`SELECT user, action FROM web_audit WHERE action LIKE 'finding.%' ORDER BY id`).all();
    expect(log).toEqual([
      { user: 'auditor', action: 'finding.acknowledge' },
      { user: 'admin', action: 'finding.accept' },
    ]);
  });

  it('ends the session on sign-out', async () => {
    const c = await signIn(f.base, 'viewer');
    expect((await c.post('/logout', { _csrf: c.csrf })).status).toBe(303);
    expect((await c.get('/')).status).toBe(303);
  });
});

describe('sign-in limits', () => {
  it('refuses further tries for a name after five failures, even with the right password', async () => {
    const attempt = async (password: string): Promise<number> => {
      const form = await fetch(`${f.base}/login`);
      const cookie = form.headers.getSetCookie()[0]!.split(';')[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
      const res = await fetch(`${f.base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, user: 'viewer', password }).toString(),
      });
      return res.status;
    };
    // The address limit is shared with the other tests' sign-ins, so only this name's failures count here.
    for (let i = 0; i < 5; i++) expect(await attempt('wrong-password')).toBe(401);
    expect(await attempt('wrong-password')).toBe(429);
    expect(await attempt('viewer-password-1')).toBe(429);
    const refused = f.t.db.prepare(`SELECT count(*) AS n FROM web_audit WHERE action = 'login.refused' AND user = 'viewer'`).get() as { n: number };
    expect(refused.n).toBe(5);
  });
});

describe('sign-in limits under concurrency', () => {
  it('counts a guess before its hash is checked: 100 sent at once get no more checks than the limit', async () => {
    const right = 'victim-password-1';
    saveUser(f.t.db, 'victim', 'viewer', await hashPassword(right), Date.now(), false);
    // Each guess with its own sign-in form (the form's token is bound to its cookie), all sent together.
    const forms = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const form = await fetch(`${f.base}/login`);
        return { cookie: form.headers.getSetCookie()[0]!.split(';')[0]!, csrf: /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]! };
      }),
    );
    // The right password is among them: it must not sign in unless it was one of the few checked.
    const passwords = forms.map((_, i) => (i === 60 ? right : `guess-${i}`));
    const answers = await Promise.all(
      forms.map((form, i) =>
        fetch(`${f.base}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: form.csrf, user: 'victim', password: passwords[i]! }).toString(),
        }).then((r) => r.status),
      ),
    );
    const checked = answers.filter((s) => s === 401 || s === 303).length;
    expect(checked).toBe(5);
    expect(answers.filter((s) => s === 429)).toHaveLength(95);
    if (answers[60] === 303) expect(answers.filter((s) => s === 401)).toHaveLength(4);
    else expect(answers[60]).toBe(429);
    const refused = f.t.db.prepare(`SELECT count(*) AS n FROM web_audit WHERE action = 'login.refused' AND user = 'victim'`).get() as { n: number };
    expect(refused.n).toBe(answers.filter((s) => s === 401).length);
  });
});

describe('sign-in limits kept in the store', () => {
  it('a hundred wrong guesses at once get five checks, and the right password sent once they are counted is refused', async () => {
    const right = 'victim3-password-1';
    saveUser(f.t.db, 'victim3', 'viewer', await hashPassword(right), Date.now(), false);
    const form = async (): Promise<{ cookie: string; csrf: string }> => {
      const res = await fetch(`${f.base}/login`);
      return { cookie: res.headers.getSetCookie()[0]!.split(';')[0]!, csrf: /name="_csrf" value="([^"]+)"/.exec(await res.text())![1]! };
    };
    const send = (x: { cookie: string; csrf: string }, password: string): Promise<Response> =>
      fetch(`${f.base}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: x.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: x.csrf, user: 'victim3', password }).toString(),
      });
    // Sent again once when a kept-alive connection the server had just closed is reset (seen at load 47):
    // a guess that did arrive is counted once, and its second try is refused like any past the limit.
    const post = async (x: { cookie: string; csrf: string }, password: string): Promise<number> => (await send(x, password).catch(() => send(x, password))).status;
    const forms = await Promise.all(Array.from({ length: 100 }, form));
    const guesses = Promise.all(forms.map((x, i) => post(x, `guess-${i}`)));
    // The store holds the count (web_login_limits): once five are counted, before their hashes are checked, the right password is refused.
    const counted = f.t.db.prepare(`SELECT attempts, locked_until FROM web_login_limits WHERE key = 'user:victim3'`);
    for (const deadline = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 20))) {
      const row = counted.get() as { attempts: string; locked_until: number } | undefined;
      if (row && ((JSON.parse(row.attempts) as number[]).length >= 5 || row.locked_until > 0)) break;
      if (Date.now() > deadline) throw new Error('five guesses not counted in time');
    }
    // Its form asked for now: a connection left idle while the guesses are checked may be closed by the server's keep-alive timeout.
    const last = await form();
    expect(await post(last, right)).toBe(429);
    const answers = await guesses;
    expect(answers.filter((s) => s === 401)).toHaveLength(5);
    expect(answers.filter((s) => s === 429)).toHaveLength(95);
  });
});

describe('API', () => {
  it('takes bearer tokens under /api only, with the same roles', async () => {
    const viewer = findUser(f.t.db, 'viewer')!;
    const token = createToken(f.t.db, viewer.id, 'test', Date.now());
    const auth = { authorization: `Bearer ${token}` };
    const list = await fetch(`${f.base}/api/findings?severity=high`, { headers: auth });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { findings: Array<{ severity: string }> };
    expect(body.findings.length).toBeGreaterThan(0);
    expect(body.findings.every((x) => x.severity === 'high')).toBe(true);
    expect((await fetch(`${f.base}/api/exports/accounts.csv`, { headers: auth })).status).toBe(403);
    expect((await fetch(`${f.base}/findings`, { headers: auth, redirect: 'manual' })).status).toBe(303);
    expect((await fetch(`${f.base}/api/findings`, { headers: { authorization: 'Bearer aaw_not-a-token' } })).status).toBe(401);
    const stored = f.t.db.prepare('SELECT hash FROM web_tokens').all() as Array<{ hash: Buffer }>;
    expect(stored.some((r) => r.hash.toString('utf8').includes(token))).toBe(false);
    // A token stops working when it expires.
    const expired = createToken(f.t.db, viewer.id, 'old', Date.now() - 100_000, Date.now() - 1000);
    expect((await fetch(`${f.base}/api/findings`, { headers: { authorization: `Bearer ${expired}` } })).status).toBe(401);
    // Each refused token (unknown, expired) is in the chained activity log, with where it was used;
    // one that ran out with whose it was, its label and when it ended.
    const refused = f.t.db.prepare(`SELECT user, detail FROM web_audit WHERE action = 'token.refused' ORDER BY id`).all() as Array<{ user: string; detail: string }>;
    const ended = (f.t.db.prepare("SELECT expires_at AS at FROM web_tokens WHERE label = 'old'").get() as { at: number }).at;
    expect(refused.map((r) => [r.user, JSON.parse(r.detail)])).toEqual([
      ['(unknown token)', { method: 'GET', path: '/api/findings' }],
      ['viewer', { method: 'GET', path: '/api/findings', label: 'old', expired: new Date(ended).toISOString() }],
    ]);
    expect(JSON.stringify(refused)).not.toContain(expired);
    expect(verifyActivity(f.t.db)).toMatchObject({ ok: true });
  });

  it('reads a number typed with an unencoded + (a space) as that number, and refuses one that is none with 400, page and API alike', async () => {
    const admin = await signIn(f.base, 'admin');
    // A page's position: the records older than one in the middle, asked for by the cursor a link gives, with a + before it typed raw (a space) or encoded.
    const ids = async (path: string): Promise<number[]> => {
      const res = await admin.get(path);
      expect(res.status, path).toBe(200);
      return ((await res.json()) as { records: Array<{ id: number }> }).records.map((x) => x.id);
    };
    const all = (await (await admin.get('/api/events')).json()) as { records: Array<{ id: number; time: number }> };
    expect(all.records.length).toBeGreaterThan(4);
    const middle = all.records[2]!;
    const older = await ids(`/api/events?before=${middle.time}.${middle.id}`);
    // The first page holds the newest (a page's worth); the records before the middle one start with its next.
    expect(older.slice(0, all.records.length - 3)).toEqual(all.records.slice(3).map((r) => r.id));
    expect(await ids(`/api/events?before=+${middle.time}.${middle.id}`)).toEqual(older);
    expect(await ids(`/api/events?before=%2B${middle.time}.${middle.id}`)).toEqual(older);
    // Not a position, not a snapshot id: said, not the first page or no diff with no word why.
    for (const [path, says] of [
      ['/findings?before=yesterday', 'before: a position as a page link gives it (time.id)'],
      ['/audit?after=1.x', 'after: a position as a page link gives it (time.id)'],
      ['/api/events?before=+-', 'before: a position as a page link gives it (time.id)'],
      ['/activity?before=0x10.1', 'before: a position as a page link gives it (time.id)'],
      ['/devices/core-sw1?from=1e3&to=2', 'from: a whole number'],
      ['/api/devices/core-sw1?from=1&to=two', 'to: a whole number'],
    ] as const) {
      const res = await admin.get(path);
      expect(res.status, path).toBe(400);
      expect(await res.text(), path).toContain(says);
    }
    // The two snapshots of a diff, typed with + raw (spaces) or encoded: the diff all the same.
    const device = (await (await admin.get('/api/devices/core-sw1')).json()) as { snapshots: Array<{ id: number }> };
    const [to, from] = device.snapshots.map((s) => s.id);
    const diff = async (query: string): Promise<unknown> => ((await (await admin.get(`/api/devices/core-sw1?${query}`)).json()) as { diff?: unknown }).diff;
    const plain = await diff(`from=${from}&to=${to}`);
    expect(plain).toMatchObject({ from, to });
    expect(await diff(`from=+${from}&to=%2B${to}`)).toEqual(plain);
    // A case by its finding's id, + before it.
    expect((await admin.get(`/api/case?finding=+${f.findingId}`)).status).toBe(200);
  });

  it('refuses a page position no page link gives with 400 on every paged list (the page: the link is no longer valid, and the first page), and answers one past the end with an empty page', async () => {
    const admin = await signIn(f.base, 'admin');
    const logged = (): number => (f.t.db.prepare('SELECT count(*) AS n FROM web_audit').get() as { n: number }).n;
    const before = logged();
    const u = encodeURIComponent;
    // Each list's page and API, a position no link gives, and the first page of the same view.
    const stale: Array<readonly [string, string | undefined, string]> = [
      ['/cases?after=garbage', '/api/cases?after=garbage', '/cases'],
      [`/cases?severity=high&after=${u('[99,0,"core-sw1",""]')}`, `/api/cases?after=${u('[99,0,"core-sw1",""]')}`, '/cases?severity=high'],
      [`/cases?after=${u('[4,1,"core-sw1"]')}`, `/api/cases?after=${u('[4,-1,"core-sw1",""]')}`, '/cases'],
      ['/findings?status=all&before=garbage', '/api/findings?after=1.2.3', '/findings?status=all'],
      // Well-formed, but no finding has the id: read as no position it gave the first page.
      ['/findings?kind=account-created&before=999999.999999', '/api/findings?after=999999.999999', '/findings?kind=account-created'],
      ['/audit?kind=account&after=x', '/api/events?before=x', '/audit?kind=account'],
      ['/activity?before=yesterday', undefined, '/activity'],
      ['/devices/core-sw1?before=x', '/api/devices/core-sw1?after=x', '/devices/core-sw1'],
      ['/accounts?device=core-sw1&afterDevice=core-sw1', '/api/accounts?afterDevice=core-sw1', '/accounts?device=core-sw1'],
      ['/accounts?afterAccount=bob', '/api/accounts?afterAccount=bob', '/accounts'],
      ['/accounts?afterDevice=core-sw1&afterStarts=bo&afterSha256=zz', '/api/accounts?afterDevice=core-sw1&afterStarts=bo&afterSha256=zz', '/accounts'],
      [`/accounts?afterDevice=${'d'.repeat(1025)}&afterAccount=bob`, `/api/accounts?afterDevice=${'d'.repeat(1025)}&afterAccount=bob`, '/accounts'],
      ['/accounts?sort=account&afterDevice=core-sw1&afterAccount=bob', '/api/accounts?sort=account&afterDevice=core-sw1&afterAccount=bob', '/accounts?sort=account'],
      ['/accounts?sort=account&offset=x', '/api/accounts?sort=account&offset=x', '/accounts?sort=account'],
    ];
    for (const [page, api, first] of stale) {
      const res = await admin.get(page);
      expect(res.status, page).toBe(400);
      const text = await res.text();
      expect(text, page).toContain('This page link is no longer valid');
      expect(text, page).toContain(`<a href="${first.replace(/&/g, '&amp;')}">Go to the first page</a>`);
      if (api === undefined) continue;
      const answer = await admin.get(api);
      expect(answer.status, api).toBe(400);
      expect(answer.headers.get('content-type'), api).toMatch(/^application\/json/);
      expect(((await answer.json()) as { error: string }).error, api).toMatch(/^(after|before|afterDevice|afterAccount|afterStarts|offset)\b/);
    }
    // The position is shown as device text is: escaped, never markup.
    for (const h of hostileStrings()) {
      for (const path of [`/cases?after=${u(h)}`, `/findings?before=${u(h)}`, `/accounts?afterDevice=${u(h)}`]) {
        if (h.trim() === '') continue;
        const res = await admin.get(path);
        expect(res.status, path).toBe(400);
        const text = await res.text();
        if (/[<>"'`]/.test(h)) expect(text, path).not.toContain(h);
        expect(text, path).not.toContain('\u001b');
      }
    }
    // A stale link is no refusal of access: the activity log holds nothing of them.
    expect(logged()).toBe(before);

    // Well-formed, past the end: an empty page, not the first.
    const rows = async (path: string, key: string): Promise<unknown[]> => {
      const res = await admin.get(path);
      expect(res.status, path).toBe(200);
      return ((await res.json()) as Record<string, unknown[]>)[key]!;
    };
    expect((await rows('/api/cases', 'cases')).length).toBeGreaterThan(0);
    expect(await rows(`/api/cases?after=${u('[0,0,"\u{10ffff}","\u{10ffff}"]')}`, 'cases')).toEqual([]);
    expect((await admin.get(`/cases?after=${u('[0,0,"\u{10ffff}",""]')}`)).status).toBe(200);
    const ids = ((await rows('/api/findings?status=all&sort=id', 'findings')) as Array<{ id: number }>).map((x) => x.id);
    const oldest = Math.min(...ids);
    expect(await rows(`/api/findings?status=all&sort=id&before=${oldest}.${oldest}`, 'findings')).toEqual([]);
    expect(await rows('/api/events?before=0.0', 'records')).toEqual([]);
    expect((await admin.get('/activity?before=0.0')).status).toBe(200);
    expect(await rows(`/api/accounts?afterDevice=${u('\u{10ffff}')}&afterAccount=x`, 'accounts')).toEqual([]);
    expect(await rows('/api/accounts?sort=account&offset=9000', 'accounts')).toEqual([]);
  });

  it('answers JSON that stays inert: markup in device text is escaped as \\u003c', async () => {
    const admin = await signIn(f.base, 'admin');
    const res = await admin.get('/api/events?text=script');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text).not.toContain('<script');
    expect(text).toContain('\\u003cscript');
    const body = JSON.parse(text) as { records: Array<{ actor: string | null }> };
    expect(body.records.some((r) => r.actor === '<script>alert(1)</script>')).toBe(true);
  });
});
