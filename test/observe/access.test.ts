// Who may read /metrics and /healthz: the addresses in web.metrics.allow without signing in (the
// default is loopback), anyone else only with a session or an API token, of any role; 403 otherwise.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { Observability } from '../../src/observe/service.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { startWeb, type WebServer } from '../../src/web/server.js';
import { createSession, createToken, findUser, saveUser } from '../../src/web/store.js';
import { tempDir } from '../support/temp.js';
import { parseExposition } from '../support/prometheus.js';

let dir: string | undefined;
let db: Db | undefined;
let web: WebServer | undefined;
afterEach(async () => {
  await web?.close();
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  web = undefined;
  db = undefined;
  dir = undefined;
});

async function start(metrics: { allow?: string[] }): Promise<string> {
  dir = tempDir();
  const config = configSchema.parse({ store: { path: join(dir, 'a.db') }, web: { metrics } });
  config.web.port = 0;
  db = openDatabase(config.store.path);
  const log = pino({ level: 'silent' });
  web = await startWeb(config, db, log, new Observability(log, {}));
  return web.url;
}

describe('/metrics and /healthz access', () => {
  it('answer loopback without a session by default', async () => {
    const base = await start({});
    const m = await fetch(`${base}/metrics`);
    expect(m.status).toBe(200);
    expect(parseExposition(await m.text()).types.get('aaawatch_received_messages_total')).toBe('counter');
    // Nothing here has been started for the checks to watch: they say so.
    const h = await fetch(`${base}/healthz`);
    expect(h.status).toBe(503);
    expect(await h.json()).toMatchObject({ status: 'fail', checks: { listening: { ok: false, detail: 'starting' } } });
  });

  it('refuse an address not listed, unless a signed-in user or an API token asks', async () => {
    const base = await start({ allow: ['192.0.2.1', '2001:db8::/32'] });
    for (const path of ['/metrics', '/healthz']) {
      const refused = await fetch(`${base}${path}`, { redirect: 'manual' });
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('web.metrics.allow');
      const forged = await fetch(`${base}${path}`, { headers: { authorization: 'Bearer not-a-token', cookie: 'aaawatch_session=forged' } });
      expect(forged.status).toBe(403);
    }
    saveUser(db!, 'watcher', 'viewer', 'unused-hash', Date.now(), false);
    const user = findUser(db!, 'watcher')!;
    const token = createToken(db!, user.id, 'prometheus', Date.now());
    const withToken = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(withToken.status).toBe(200);
    const session = createSession(db!, user.id, Date.now());
    const withSession = await fetch(`${base}/healthz`, { headers: { cookie: `aaawatch_session=${session.id}` } });
    expect(withSession.status).toBe(503);
    expect(((await withSession.json()) as { status: string }).status).toBe('fail');
    // Refused as the API refuses: in the activity log, the tokens that opened nothing counted as refused sign-ins;
    // the plain refusals of one source at its 1st, 10th, 100th… (here the first of two).
    const log = db!.prepare(`SELECT action, user, detail FROM web_audit ORDER BY id`).all() as Array<{ action: string; user: string; detail: string }>;
    expect(log.map((e) => [e.action, (JSON.parse(e.detail) as { path: string }).path])).toEqual([
      ['refused', '/metrics'], ['token.refused', '/metrics'], ['token.refused', '/healthz'],
    ]);
    expect(JSON.parse(log[0]!.detail)).toMatchObject({ status: 403, refusedFromSource: 1 });
    expect(log[0]!.user).toBe('(not signed in)');
  });

  it('an empty list answers no address without a session', async () => {
    const base = await start({ allow: [] });
    expect((await fetch(`${base}/metrics`)).status).toBe(403);
  });
});
