// A Junos login class whose `permissions all` only a pull showed (syslog never carried its
// definition): a user syslog later puts in it is recorded holding the resolved class, so the
// creation is judged a superuser's. Real ingest over UDP into SQLite, the pull stored as a pull
// stores it (src/pull/record.ts, redacted text), read by serve's watch of pulled accounts.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformById } from '../../parsers/index.js';
import { digest } from '../../src/pull/digest.js';
import { recordSuccess } from '../../src/pull/record.js';
import type { PullablePlatform } from '../../src/pull/target.js';
import { watchPulledAccounts } from '../../src/ingest/pulled-accounts.js';
import { startPipeline, type Pipeline } from './support.js';

let p: Pipeline;
beforeAll(async () => {
  p = await startPipeline('administrators: [jdoe]\n', (c) => {
    c.devices = [{ name: 'mx1', address: '192.0.2.15', platform: 'juniper-junos', groups: [], port: 22, pull: false }];
  });
});
afterAll(async () => {
  await p?.stop();
});

// The UI_CMDLINE_READ_LINE form of parsers/juniper-junos/test (Juniper's mgd line, as the corpus's srx lines carry it).
const junos = (user: string, command: string): string => `<189>Dec  5 07:40:12 mx1 mgd[4242]: UI_CMDLINE_READ_LINE: User '${user}', command '${command} '`;
const blob = createHash('sha256').update('mx1').digest();
const pulled = (at: number, config: string): void => {
  recordSuccess(p.db, {
    device: 'mx1', platform: 'juniper-junos', startedAt: at - 500, finishedAt: at, attempts: 1,
    digest: digest(platformById('juniper-junos') as PullablePlatform, config),
    hostKey: { type: 'ssh-ed25519', blob, fingerprint: 'SHA256:x' }, keySource: 'tofu',
  });
};
const roleOf = (target: string): unknown => p.db.prepare(`SELECT role FROM events WHERE target = ? ORDER BY id DESC LIMIT 1`).pluck().get(target);

describe('a class only a pull defined', () => {
  it('resolves a user syslog puts in it from the latest pull, read at start and with each later pull', async () => {
    // Brace form as `show configuration` prints it; ops-custom has no holder in the pull.
    pulled(Date.now() - 60_000, ['system {', '    login {', '        class ops-custom {', '            permissions all;', '        }', '        class noc {', '            permissions [ view ];', '        }', '    }', '}'].join('\n'));
    // serve's watch reads the latest pulls' classes when it starts.
    const watch = watchPulledAccounts(p.db, p.ingest.knowledge, 60_000);
    try {
      await p.send([junos('mallory', 'set system login user bob class ops-custom'), junos('mallory', 'set system login user carol class noc')], 4);
      expect([roleOf('bob'), roleOf('carol')]).toEqual(['ops-custom (permissions all)', 'noc']);
      // A later pull: the class now grants only view; one with admin-control appears.
      pulled(Date.now() - 30_000, ['set system login class ops-custom permissions view', 'set system login class helpdesk permissions admin-control'].join('\n'));
      watch.check();
      await p.send([junos('mallory', 'set system login user dave class ops-custom'), junos('mallory', 'set system login user erin class helpdesk')], 4);
      expect([roleOf('dave'), roleOf('erin')]).toEqual(['ops-custom', 'helpdesk (permissions admin-control)']);
    } finally {
      watch.stop();
    }
  });
});
