// A pull records a custom role of the device's own with what it grants (FortiOS `helpdesk (admin
// read-write)`, Junos `ops-custom (permissions all)`), syslog names it bare (`accprofile[helpdesk]`,
// `class ops-custom`). A record re-stating the pulled role grants nothing: no account-created, on
// both engines (held.ts compares roles by what they are, privilege.ts roleRule). Another role,
// or a higher one, is still a grant. Lines in the shapes of parsers/fortinet-fortios/test (logid
// 0100044547, "Object attribute configured") and test/reconcile/pulled-classes (Junos mgd's
// UI_CMDLINE_READ_LINE), each read by a reader that knows no pull, as an imported file or a reader
// before it read the pull; the pulls stored as a pull stores them.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { platformById } from '../../parsers/index.js';
import { digest } from '../../src/pull/digest.js';
import type { HostKey } from '../../src/pull/hostkeys.js';
import type { PullablePlatform } from '../../src/pull/target.js';
import { raiseCreationsEstate } from '../../src/reconcile/estate.js';
import { describeEngines } from '../support/engines.js';
import { batchesFor } from '../support/ingest-batches.js';
import { openReconStores, storeBatches, type ReconStores } from '../support/recon-stores.js';
import { SKEW_MS } from './support.js';

const T = Date.parse('2026-11-20T08:00:00Z');
const AT = T + 60_000;
const hostKey = (device: string): HostKey => ({ type: 'ssh-ed25519', blob: createHash('sha256').update(device).digest(), fingerprint: `SHA256:${device}` });

// FortiOS sends no syslog hostname: the device is `devname`, the time `eventtime` (ns).
const fgt = (action: string, obj: string, attr: string): string =>
  `<189>date=2026-11-20 time=08:01:00 devname="FGT-EDGE" devid="FG100FTK00000001" eventtime=${AT}000000 tz="+0000" `
  + `logid="0100044547" type="event" subtype="system" level="information" vd="root" logdesc="Object attribute configured" user="netadmin" `
  + `ui="GUI(192.0.2.44)" action="${action}" cfgtid=1 cfgpath="system.admin" cfgobj="${obj}" cfgattr="${attr}" msg="${action} system.admin ${obj}"`;
const junos = (command: string): string => `<189>Nov 20 08:01:00 mx1 mgd[4242]: UI_CMDLINE_READ_LINE: User 'mallory', command '${command} '`;

// `show full-configuration` shapes as test/pull/platforms.test.ts gives them: helpdesk administers
// administrators (ranked as prof_admin), auditor writes nothing (read only).
const FORTIOS = [
  'config system accprofile',
  '    edit "helpdesk"', '        set sysgrp read-write', '        set fwgrp read', '    next',
  '    edit "auditor"', '        set sysgrp read', '        set loggrp read', '    next',
  'end',
  'config system admin',
  '    edit "hd"', '        set accprofile "helpdesk"', '    next',
  '    edit "au"', '        set accprofile "auditor"', '    next',
  '    edit "ro"', '        set accprofile "auditor"', '    next',
  '    edit "pa"', '        set accprofile "prof_admin"', '    next',
  'end',
].join('\n');
const JUNOS = [
  'set system login class ops-custom permissions all',
  'set system login class noc permissions view',
  'set system login user bob class ops-custom',
  'set system login user carol class noc',
].join('\n');

describeEngines('a record re-stating a role a pull read with its grant', (engine) => {
  let e: ReconStores;
  beforeAll(async () => {
    const target = await engine.fresh();
    e = await openReconStores(target);
    await e.estate.startCreationsHere(T - 3_600_000);
    const batches = batchesFor([
      // hd re-stated in helpdesk; ro in auditor: nothing granted.
      fgt('Edit', 'hd', 'password[*]accprofile[helpdesk]'),
      fgt('Edit', 'ro', 'accprofile[auditor]'),
      // au (read only) put in helpdesk, pa (prof_admin) made super_admin: grants.
      fgt('Edit', 'au', 'accprofile[auditor->helpdesk]'),
      fgt('Edit', 'pa', 'accprofile[prof_admin->super_admin]'),
      // bob re-stated in ops-custom: nothing; carol moved from noc to ops-custom: a grant.
      junos('set system login user bob class ops-custom'),
      junos('set system login user carol class ops-custom'),
    ], { receivedAt: AT });
    await storeBatches(target, e, batches);
    for (const [device, platform, config] of [['FGT-EDGE', 'fortinet-fortios', FORTIOS], ['mx1', 'juniper-junos', JUNOS]] as const) {
      await e.pulls.recordSuccess({
        device, platform, startedAt: T, finishedAt: T + 3000, attempts: 1, hostKey: hostKey(device), keySource: 'tofu',
        digest: digest(platformById(platform) as PullablePlatform, config),
      });
    }
  }, 60_000);
  afterAll(() => e?.close());

  it('stores the roles bare and the pulled ones resolved', async () => {
    const roles = await e.rows(`SELECT target, action, role FROM events WHERE kind = 'account' ORDER BY target`);
    expect(roles.map((r) => [r.target, r.action, r.role])).toEqual([
      ['au', 'privilege.change', 'helpdesk'], ['bob', 'account.create', 'ops-custom'], ['carol', 'account.create', 'ops-custom'],
      ['hd', 'privilege.change', 'helpdesk'], ['pa', 'privilege.change', 'super_admin'], ['ro', 'privilege.change', 'auditor'],
    ]);
    const pulled = await e.rows(`SELECT name, roles FROM accounts ORDER BY name`);
    expect(pulled.map((r) => [r.name, r.roles])).toEqual([
      ['au', '["auditor (read only)"]'], ['bob', '["ops-custom (permissions all)"]'], ['carol', '["noc"]'],
      ['hd', '["helpdesk (admin read-write)"]'], ['pa', '["prof_admin"]'], ['ro', '["auditor (read only)"]'],
    ]);
  });

  it('raises account-created for another or a higher role, none for the pulled role re-stated', async () => {
    await raiseCreationsEstate(e.estate, undefined, new Map(), () => undefined, AT + 60_000, SKEW_MS);
    const raised = await e.rows(`SELECT account FROM findings WHERE kind = 'account-created' ORDER BY account`);
    expect(raised.map((r) => r.account)).toEqual(['au', 'carol', 'pa']);
  });
});
