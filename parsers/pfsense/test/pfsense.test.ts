// pfSense / OPNsense: its corpus cases, users and groups of config.xml (group membership by uid,
// page-all), the secret elements and auditability. The recorded sessions are pulled through the
// emulator by test/pull/corpus.test.ts from recordings.ts here.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { platformById } from '../../index.js';
import { recogniser } from '../../../test/parsers/harness.js';
import { corpusPath } from '../../../test/support/corpus.js';
import { platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { audit } from '../audit.js';
import { accounts, redact, ssh } from '../config.js';
import { pfsense } from '../index.js';
import { recognise } from '../syslog.js';
import { cases, files } from './cases.js';

const PF = readFileSync(corpusPath('ssh-sessions', 'pfsense#CE_2.7.2#output.txt'), 'utf8');
const OPN = readFileSync(corpusPath('ssh-sessions', 'opnsense#nano_24.7#output.txt'), 'utf8');

describe('pfsense', () => {
  it('is found in its folder and yields what its corpus cases say', () => {
    expect(platformById('pfsense')).toBe(pfsense);
    expect(platformCaseProblems(pfsense, files, cases)).toEqual([]);
  });

  it('reads users with their groups, by name and by uid, and privilege from page-all', () => {
    const xml = [
      '<?xml version="1.0"?>', '<pfsense>', '\t<system>',
      '\t\t<group>', '\t\t\t<name>admins</name>', '\t\t\t<gid>1999</gid>', '\t\t\t<member>0</member>', '\t\t\t<priv>page-all</priv>', '\t\t</group>',
      '\t\t<group>', '\t\t\t<name>helpdesk</name>', '\t\t\t<member>2001</member>', '\t\t\t<priv>page-status-systemlogs</priv>', '\t\t</group>',
      '\t\t<user>', '\t\t\t<name>admin</name>', '\t\t\t<groupname>admins</groupname>', '\t\t\t<bcrypt-hash>$2b$10$abcdefghijklmnopqrstuv</bcrypt-hash>', '\t\t\t<uid>0</uid>', '\t\t</user>',
      '\t\t<user>', '\t\t\t<name><![CDATA[desk&amp;1]]></name>', '\t\t\t<uid>2001</uid>', '\t\t\t<authorizedkeys>c3NoLWVkMjU1MTkgQUFBQQ==</authorizedkeys>', '\t\t\t<otp_seed>JBSWY3DPEHPK3PXP</otp_seed>', '\t\t</user>',
      '\t\t<user>', '\t\t\t<name>shell</name>', '\t\t\t<uid>2002</uid>', '\t\t\t<priv>page-all</priv>', '\t\t</user>',
      '\t\t<ssh>', '\t\t\t<group>admins</group>', '\t\t</ssh>',
      '\t</system>', '</pfsense>',
    ].join('\n');
    const got = accounts(xml);
    expect(got.map(({ lines: _l, ...a }) => a)).toEqual([
      { name: 'admin', roles: ['admins'], credentials: ['secret'], privilege: '15' },
      { name: 'desk&amp;1', roles: ['helpdesk'], credentials: ['key'] },
      { name: 'shell', roles: [], credentials: ['none'], privilege: '15' },
    ]);
    expect(JSON.stringify(got)).not.toMatch(/abcdefghijklmnopqrstuv|JBSWY3DPEHPK3PXP/);
  });

  it('redacts hashes, private keys, communities and seeds in both products, and keeps the rest', () => {
    for (const [text, secrets] of [[PF, ['$2b$10$13u6', 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t', '<rocommunity>public']], [OPN, ['$2y$11$R998', 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t']]] as const) {
      const out = redact(text);
      for (const s of secrets) expect(out).not.toContain(s);
      expect(out.split('\n').length).toBe(text.split('\n').length);
    }
    expect(redact('<passwordauth>1</passwordauth>')).toBe('<passwordauth>1</passwordauth>');
    expect(redact('<ipsec><phase1><pre-shared-key>Psk-1</pre-shared-key></phase1></ipsec>')).toBe('<ipsec><phase1><pre-shared-key><redacted></pre-shared-key></phase1></ipsec>');
    expect(redact('<ldap_bindpw>Bind-1</ldap_bindpw><radius_secret>Rad-1</radius_secret><otp_seed/>')).toBe('<ldap_bindpw><redacted></ldap_bindpw><radius_secret><redacted></radius_secret><otp_seed/>');
  });

  it('ignores the revision stamp when judging a change', () => {
    const strip = (t: string) => ssh.volatile.reduce((s, re) => s.replace(re, ''), redact(t));
    const saved = (time: string, who: string) =>
      PF.replace('\t<version>23.3</version>\n', `\t<version>23.3</version>\n\t<revision>\n\t\t<time>${time}</time>\n\t\t<username><![CDATA[${who}]]></username>\n\t</revision>\n`);
    expect(saved('1734429642', 'admin@192.0.2.1')).not.toBe(saved('1799999999', 'ops@192.0.2.2'));
    expect(strip(saved('1734429642', 'admin@192.0.2.1'))).toBe(strip(saved('1799999999', 'ops@192.0.2.2')));
  });

  it('judges auditability', () => {
    expect(audit(PF, ['192.0.2.10']).map((c) => c.ok)).toEqual([false]);
    expect(audit('<syslog><remoteserver>192.0.2.10:514</remoteserver><enable/></syslog>', ['192.0.2.10']).map((c) => c.ok)).toEqual([true]);
    expect(audit('<Syslog><destinations><destination uuid="x"><hostname>192.0.2.10</hostname></destination></destinations></Syslog>', ['192.0.2.10']).map((c) => c.ok)).toEqual([true]);
  });

  it('rejects other programs and never throws on hostile text', () => {
    const run = recogniser(recognise, 'pfsense');
    expect(run("<13>Nov 21 22:10:01 fw1 nginx: /index.php: webConfigurator authentication error for user 'x' from: 192.0.2.1").records).toEqual([]);
    const hostile = readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').filter(Boolean);
    for (const h of [...hostile, "'".repeat(50_000)]) {
      expect(() => run(`<134>Jul  3 19:10:30 fw1 php-fpm[1]: /index.php: Successful login for user '${h}' from: ${h}`)).not.toThrow();
    }
    expect(() => accounts(`<pfsense><system>${'<user>\n<name>x</name>'.repeat(20_000)}</system></pfsense>`)).not.toThrow();
    expect(redact(`<password><![CDATA[a<b]]></password>${'<password>x'.repeat(20_000)}`)).toMatch(/^<password><redacted><\/password>/);
  });
});
