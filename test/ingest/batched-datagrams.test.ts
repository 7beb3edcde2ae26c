// `ingest.batchedDatagrams`: serve's UDP syslog and RADIUS listeners read with recvmmsg (and RADIUS
// answers with sendmmsg) by default on this machine, and with Node's own calls when it is false;
// either way a syslog datagram is stored and a RADIUS request stored and answered. Real sockets,
// a real store.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { accountingStart, radiusEvents, udpAnswers } from '../support/radius.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { tempDir } from '../support/temp.js';
import { sendDatagrams } from '../support/udp.js';

const SECRET = 'batched-secret';

let t: TestIngest | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function start(batched: boolean | undefined): Promise<TestIngest> {
  const file = join(tempDir(), 'radius-secret');
  writeFileSync(file, SECRET);
  return startTestIngest((c) => {
    if (batched !== undefined) c.ingest.batchedDatagrams = batched;
    c.ingest.radius.port = 0;
    c.ingest.radius.host = '127.0.0.1';
    c.ingest.radius.secrets = [{ devices: [], sources: ['127.0.0.0/8'], secret: { file } }];
  });
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ingest.batchedDatagrams', () => {
  for (const [batched, calls] of [[undefined, 'recvmmsg'], [false, 'dgram']] as const) {
    it(`${batched === undefined ? 'unset' : String(batched)}: UDP syslog and RADIUS read with ${calls}, a line stored, a request stored and answered`, async () => {
      t = await start(batched);
      expect(t.ingest.udp!.calls).toBe(calls);
      expect(t.ingest.native.radius!.calls).toBe(calls);

      const line = '<189>42: *Dec  7 09:30:00.123: %PARSER-5-CFGLOG_LOGGEDCMD: User:alice  logged command:username batchtest privilege 15 secret 9 $9$abc$def';
      await sendDatagrams(t.ingest.udp!.port, [line]);
      const answers = await udpAnswers(t.ingest.native.radius!.port, [accountingStart(7, `batched-${calls}`, SECRET, 'bob', 'nas-b')]);
      expect(answers[0]?.[0]).toBe(5); // Accounting-Response
      expect(answers[0]?.[1]).toBe(7);
      await until(() => (t!.db.prepare("SELECT count(*) AS n FROM events WHERE transport = 'udp'").get() as { n: number }).n > 0, 'the syslog record');
      expect(radiusEvents(t.db).filter((e) => e.transport === 'radius')).toHaveLength(1);
    });
  }
});
