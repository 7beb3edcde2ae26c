// Native accounting on the pages: a device's TACACS+ sender with a wrong key shows on the device
// page (counted, with when) and on the overview's list of senders, and the receivers' counters on the overview.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startWebFixture, type WebFixture } from './fixture.js';

let f: WebFixture;
beforeAll(async () => {
  f = await startWebFixture();
});
afterAll(async () => {
  await f?.stop();
});

describe('native accounting on the pages', () => {
  it('the device page shows requests with a wrong key against the sender, the overview the counters', async () => {
    const w = f.t.ingest.writer;
    const now = Date.now();
    w.nativeRequest('tacacs', '192.0.2.11', 'core-sw1', now - 60_000, 'accepted');
    w.nativeRequest('tacacs', '192.0.2.11', 'core-sw1', now - 30_000, 'bad-key');
    w.nativeRequest('tacacs', '192.0.2.11', 'core-sw1', now - 20_000, 'bad-key');
    w.count('received.tacacs', 3);
    w.count('rejected.tacacs-bad-key', 2);
    await f.t.ingest.settle();
    const viewer = await signIn(f.base, 'viewer');
    const device = await (await viewer.get('/devices/core-sw1')).text();
    const row = /<tr><td>native TACACS\+ accounting from <code>192\.0\.2\.11<\/code><\/td>(.*?)<\/tr>/s.exec(device);
    expect(row?.[1]).toContain('badge bad">fail');
    expect(row?.[1]).toContain('1 accepted');
    expect(row?.[1]).toContain('2 with a wrong key');
    const overview = await (await viewer.get('/')).text();
    expect(overview).toContain('rejected.tacacs-bad-key');
    expect(overview).toContain('received.tacacs');
    // The sender and the device it sent for.
    expect(overview).toMatch(/<h3>Native accounting senders \(1\)<\/h3>.*<code>192\.0\.2\.11<\/code>.*<a href="\/devices\/core-sw1"><code>core-sw1<\/code><\/a>/s);
    // Its requests: accepted, with a wrong key, naming a device not its own.
    const sender = /<tr><td><code>192\.0\.2\.11<\/code><\/td>(.*?)<\/tr>/s.exec(overview)?.[1] ?? '';
    expect([...sender.matchAll(/<td>(.*?)<\/td>/gs)].map((m) => m[1]).slice(2, 5)).toEqual(['1', '<span class="bad">2</span>', '0']);
  });
});
