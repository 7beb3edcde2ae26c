// What the health checks and /metrics see of serve's receivers: every one started, over real
// sockets — syslog UDP, TCP and RELP, TACACS+ and RADIUS accounting — and each no longer bound once
// stopped.

import { afterEach, describe, expect, it } from 'vitest';
import { watching } from '../../src/observe/service.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';

let t: TestIngest | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

describe('watching', () => {
  it('covers RELP, TACACS+ and RADIUS beside the syslog listeners', async () => {
    process.env.AAAWATCH_TEST_WATCH_KEY = 'k';
    t = await startTestIngest((c) => {
      c.ingest.relp.enabled = true;
      c.ingest.relp.port = 0;
      c.ingest.tacacs.port = 0;
      c.ingest.tacacs.keys = [{ devices: [], sources: ['127.0.0.0/8'], key: { env: 'AAAWATCH_TEST_WATCH_KEY' } }];
      c.ingest.radius.port = 0;
      c.ingest.radius.secrets = [{ devices: [], sources: ['127.0.0.0/8'], secret: { env: 'AAAWATCH_TEST_WATCH_KEY' } }];
    });
    const w = watching(t.ingest, undefined, undefined);
    const listeners = w.listeners();
    expect(listeners.map((l) => [l.name, l.transport, l.listening])).toEqual([
      ['syslog udp', 'udp', true],
      ['syslog tcp', 'tcp', true],
      ['syslog relp', 'relp', true],
      ['tacacs+', 'tacacs', true],
      ['radius', 'radius', true],
    ]);
    expect(listeners.find((l) => l.name === 'syslog relp')?.port).toBe(t.ingest.relp!.port);
    await t.stop();
    t = undefined;
    expect(w.listeners().map((l) => l.listening)).toEqual([false, false, false, false, false]);
  });
});
