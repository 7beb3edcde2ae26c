// A decision's path over HTTP (issue 15): a decision from a signed-in session is recorded as web
// with the user signed in, one from an API token as api with the token's id and label and its
// user, and one typed on the command line as self-asserted with its OS user; the finding, case and
// Accounts pages show each beside the reviewer, every name in it escaped (hostile token labels and
// OS user names from the corpus), and the activity log entry carries the same path.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transition } from '../../src/reconcile/lifecycle.js';
import { createToken, findUser } from '../../src/web/store.js';
import { signIn, startWebFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await startWebFixture();
});
afterAll(async () => {
  await f?.stop();
});

const LABEL = '<script>alert(1)</script>';
const OS_USER = "'><img src=x onerror=alert(1)>";

/** The page holds none of the hostile names as markup. */
function expectEscaped(page: string): void {
  expect(page).not.toContain(LABEL);
  expect(page).not.toContain('<img src=x onerror');
}

describe('a decision path', () => {
  it('is web for a session, api for a token, self-asserted for the command line; shown escaped beside the reviewer and logged', async () => {
    const admin = await signIn(f.base, 'admin');
    const id = f.findingId;
    expect((await admin.post(`/findings/${id}/acknowledge`, { _csrf: admin.csrf, reason: 'checking with the owner' })).status).toBe(303);
    const adminId = findUser(f.t.db, 'admin')!.id;
    const token = createToken(f.t.db, adminId, LABEL, Date.now());
    const tokenId = (f.t.db.prepare('SELECT max(id) AS id FROM web_tokens').get() as { id: number }).id;
    const byToken = await fetch(`${f.base}/api/findings/${id}/reopen`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'not yet checked' }),
    });
    expect(byToken.status, await byToken.text()).toBe(200);
    // As `aaawatch finding ack --by aud` records it (the command's own test runs it: test/reconcile/cli.test.ts).
    transition(f.t.db, id, 'acknowledged', { by: 'aud', path: { kind: 'cli', osUser: OS_USER }, reason: 'typed on the appliance' });

    const history = f.t.db.prepare(`SELECT by, path, path_user, path_token FROM finding_history WHERE finding_id = ? AND by <> 'aaawatch' ORDER BY id`).all(id);
    expect(history.slice(-3)).toEqual([
      { by: 'admin', path: 'web', path_user: 'admin', path_token: null },
      { by: 'admin', path: 'api', path_user: 'admin', path_token: `${tokenId} ${LABEL}` },
      { by: 'aud', path: 'cli', path_user: OS_USER, path_token: null },
    ]);
    const logged = f.t.db.prepare(`SELECT action, detail FROM web_audit WHERE action IN ('finding.acknowledge', 'finding.reopen') ORDER BY id DESC LIMIT 2`).all() as Array<{ action: string; detail: string }>;
    expect(logged.map((e) => [e.action, (JSON.parse(e.detail) as { path: unknown }).path])).toEqual([
      ['finding.reopen', { kind: 'api', authenticated: true, user: 'admin', token: `#${tokenId} ${LABEL}`, text: `api, token #${tokenId} "${LABEL}" of admin` }],
      ['finding.acknowledge', { kind: 'web', authenticated: true, user: 'admin', token: null, text: 'web, signed in as admin' }],
    ]);

    // The API gives each history entry's path as the exports and the activity log do, not its columns.
    const pathOf = { kind: 'cli', authenticated: false, user: OS_USER, token: null, text: `command line, self-asserted by OS user ${OS_USER}` };
    const api = (await (await admin.get(`/api/findings/${id}`)).json()) as { history: Array<Record<string, unknown>> };
    expect(api.history.slice(-3).map((h) => [h.by, h.path])).toEqual([
      ['admin', { kind: 'web', authenticated: true, user: 'admin', token: null, text: 'web, signed in as admin' }],
      ['admin', { kind: 'api', authenticated: true, user: 'admin', token: `#${tokenId} ${LABEL}`, text: `api, token #${tokenId} "${LABEL}" of admin` }],
      ['aud', pathOf],
    ]);
    expect(api.history.every((h) => !('path_user' in h) && !('path_token' in h))).toBe(true);

    const finding = await (await admin.get(`/findings/${id}`)).text();
    expectEscaped(finding);
    expect(finding).toContain('via web, signed in as <code>admin</code>');
    expect(finding).toContain(`via API token #${tokenId} <code>&lt;script&gt;alert(1)&lt;/script&gt;</code> of <code>admin</code>`);
    expect(finding).toContain('<span class="bad">self-asserted</span> from the command line by OS user <code>&#39;&gt;&lt;img src=x onerror=alert(1)&gt;</code>');

    const row = f.t.db.prepare('SELECT device, account FROM findings WHERE id = ?').get(id) as { device: string; account: string };
    const kase = await (await admin.get(`/case?device=${encodeURIComponent(row.device)}&account=${encodeURIComponent(row.account)}`)).text();
    expectEscaped(kase);
    expect(kase).toContain(`via API token #${tokenId} <code>&lt;script&gt;alert(1)&lt;/script&gt;</code>`);
    expect(kase).toContain('<span class="bad">self-asserted</span> from the command line');
    const caseApi = (await (await admin.get(`/api/case?device=${encodeURIComponent(row.device)}&account=${encodeURIComponent(row.account)}`)).json()) as { findings: Array<{ id: number; history: Array<Record<string, unknown>> }> };
    const decided = caseApi.findings.find((x) => x.id === id)!;
    expect(decided.history.at(-1)).toMatchObject({ by: 'aud', path: pathOf });
    expect(decided.history.every((h) => !('path_user' in h) && !('path_token' in h))).toBe(true);

    // The Accounts page shows the latest decision on each finding: the one typed on the command line.
    const accounts = await (await admin.get(`/accounts?device=${encodeURIComponent(row.device)}`)).text();
    expectEscaped(accounts);
    expect(accounts).toMatch(/acknowledged by <code>aud<\/code> <small class="path"><span class="bad">self-asserted<\/span> from the command line by OS user <code>&#39;&gt;&lt;img src=x onerror=alert\(1\)&gt;<\/code><\/small>/);
    const csv = await (await admin.get(`/accounts/export.csv?device=${encodeURIComponent(row.device)}`)).text();
    expect(csv).toContain(`acknowledged by aud (command line, self-asserted by OS user ${OS_USER.replace(/"/g, '""')})`);
  });
});
