// The roles a pulled configuration defines reach the reader on both engines (serve's watch of
// pulled accounts: src/ingest/pulled-accounts.ts, src/store/pg/pulled-accounts.ts): at the watch's
// start from the latest pulls, and with each later pull. A Junos class with `permissions all` that
// no pulled account holds resolves the class a later syslog line puts a user in; a FortiOS profile
// that administers administrators resolves the profile a later `accprofile[auditor->helpdesk]` (a
// privilege.change, the administrator's own statement) sets.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { platformById } from '../../parsers/index.js';
import { watchPulledAccounts } from '../../src/ingest/pulled-accounts.js';
import { AccountKnowledge } from '../../src/ingest/resolve.js';
import { digest } from '../../src/pull/digest.js';
import type { PullablePlatform } from '../../src/pull/target.js';
import { openDatabase } from '../../src/store/db.js';
import { watchPulledAccountsPg } from '../../src/store/pg/pulled-accounts.js';
import type { AccountEvent } from '../../src/types.js';
import { describeEngines } from '../support/engines.js';
import { openReconStores, type ReconStores } from '../support/recon-stores.js';

const blob = createHash('sha256').update('mx1').digest();
const success = (at: number, config: string) => ({
  device: 'mx1', platform: 'juniper-junos', startedAt: at - 500, finishedAt: at, attempts: 1,
  digest: digest(platformById('juniper-junos') as PullablePlatform, config),
  hostKey: { type: 'ssh-ed25519', blob, fingerprint: 'SHA256:x' }, keySource: 'tofu' as const,
});
const userIn = (cls: string): AccountEvent => ({
  kind: 'account', action: 'account.set', device: 'mx1', platform: 'juniper-junos', time: '2026-12-05T07:40:12.000Z', target: 'bob', role: cls, actor: 'mallory',
});
// What parsers/fortinet-fortios/syslog.ts records of `action="Edit" cfgpath="system.admin" cfgobj="au" cfgattr="accprofile[auditor->helpdesk]"`.
const profileSet = (profile: string): AccountEvent => ({
  kind: 'account', action: 'privilege.change', device: 'FGT-EDGE', platform: 'fortinet-fortios', time: '2026-12-05T07:40:12.000Z', target: 'au', role: profile, actor: 'netadmin', technique: 'T1098',
});
// `show full-configuration` shapes (test/pull/platforms.test.ts): helpdesk writes sysgrp (administers administrators), auditor writes nothing.
const FORTIOS = [
  'config system accprofile',
  '    edit "helpdesk"', '        set sysgrp read-write', '    next',
  '    edit "auditor"', '        set sysgrp read', '    next',
  'end',
  'config system admin', '    edit "au"', '        set accprofile "auditor"', '    next', 'end',
].join('\n');

describeEngines('roles a pull defines, read by the reader', (engine) => {
  let e: ReconStores;
  let path: string | undefined;
  beforeAll(async () => {
    const target = await engine.fresh();
    if (target.kind === 'sqlite') path = target.path;
    e = await openReconStores(target);
  });
  afterAll(() => e.close());

  it('at the watch\'s start and with each later pull', async () => {
    await e.pulls.recordSuccess(success(1_000, 'set system login class ops-custom permissions all\nset system login class noc permissions view'));
    const knowledge = new AccountKnowledge();
    const db = path === undefined ? undefined : openDatabase(path);
    const watch = db ? watchPulledAccounts(db, knowledge, 60_000) : await watchPulledAccountsPg(e.pool!, knowledge, 60_000);
    try {
      expect(knowledge.resolve(userIn('ops-custom')).role).toBe('ops-custom (permissions all)');
      expect(knowledge.resolve(userIn('noc')).role).toBe('noc');
      await e.pulls.recordSuccess(success(2_000, 'set system login class ops-custom permissions view'));
      await watch.check();
      expect(knowledge.resolve(userIn('ops-custom')).role).toBe('ops-custom');
      // A Junos privilege.change is a class's change syslog showed: it stands.
      expect(knowledge.resolve({ ...userIn('noc'), action: 'privilege.change' }).role).toBe('noc');
      await e.pulls.recordSuccess({ ...success(3_000, FORTIOS), device: 'FGT-EDGE', platform: 'fortinet-fortios', digest: digest(platformById('fortinet-fortios') as PullablePlatform, FORTIOS) });
      await watch.check();
      expect(knowledge.resolve(profileSet('helpdesk')).role).toBe('helpdesk (admin read-write)');
      expect(knowledge.resolve(profileSet('auditor')).role).toBe('auditor (read only)');
      expect(knowledge.resolve(profileSet('super_admin')).role).toBe('super_admin');
    } finally {
      watch.stop();
      db?.close();
    }
  });
});
