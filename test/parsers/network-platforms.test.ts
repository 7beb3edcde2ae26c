// What holds for all network platforms together: each rejects the others' lines and
// ordinary chatter cheaply and without allocating, and none throws on hostile input.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { platforms } from '../../parsers/index.js';
import { parseSyslog } from '../../src/ingest/header.js';
import type { RecogniseContext } from '../../src/types.js';
import { corpusPath } from '../support/corpus.js';
import { RECEIVED, recogniser } from './harness.js';

// Every platform that is both pulled and read from syslog: found in parsers/, never listed here.
const PLATFORMS = platforms.filter((p) => p.ssh !== undefined && p.recognise !== undefined).map((p) => [p.id, p.recognise!] as const);

const ctx: RecogniseContext = {
  state<T>(_key: string, init: () => T): T {
    return init();
  },
  unknown: () => undefined,
  zoneFor: () => undefined,
};

// Ordinary device chatter in the vendors' documented formats (link state, connections, flows,
// traffic logs, routing): the bulk of what a collector receives.
const CHATTER = [
  '<187>1001: Nov 21 22:10:01.123 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet1/0/7, changed state to up',
  '<189>1002: r1: Nov 21 22:10:01.123 UTC: %LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet1/0/7, changed state to up',
  '<189>1003: r1: Nov 21 22:10:01.123 UTC: %SYS-5-RESTART: System restarted --',
  '<166>Nov 21 2026 22:10:01 fw1 : %ASA-6-302013: Built inbound TCP connection 100 for outside:198.51.100.7/40000 (198.51.100.7/40000) to inside:192.0.2.10/443 (192.0.2.10/443)',
  '<166>Nov 21 2026 22:10:01 fw1 : %ASA-4-106023: Deny tcp src outside:198.51.100.7/40000 dst inside:192.0.2.10/22 by access-group "outside_in" [0x0, 0x0]',
  '<189>2026 Nov 21 22:10:01 nx1 %ETHPORT-5-IF_UP: Interface Ethernet1/7 is up in mode access',
  '<14>1 2026-11-21T22:10:01.000Z srx1 RT_FLOW - RT_FLOW_SESSION_CREATE [junos@2636.1.1.1.2.129 source-address="10.0.1.1" destination-address="192.0.2.1"] session created',
  '<30>Nov 21 22:10:01 mx1 rpd[1510]: RPD_OSPF_NBRUP: OSPF neighbor 192.0.2.2 (realm ospf-v2 ge-0/0/1.0 area 0.0.0.0) state changed from Init to ExStart',
  '<189>Nov 21 22:10:01 leaf1 Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet7, changed state to up',
  '<189>Nov 21 22:10:01 xr1 812: RP/0/RP0/CPU0:Nov 21 22:10:01.691 UTC: ifmgr[337]: %PKT_INFRA-LINK-5-CHANGED : Interface GigabitEthernet0/0/0/1, changed state to Up',
  '<189>date=2026-11-21 time=22:10:01 devname="FGT-EDGE" devid="FG100FTK00000001" eventtime=1795299001000000000 tz="+0000" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=10.1.1.1 srcport=40000 srcintf="internal" dstip=8.8.8.8 dstport=53 dstintf="wan1" proto=17 action="accept" policyid=1 service="DNS" duration=1 sentbyte=60 rcvdbyte=120',
  '<14>Nov 21 22:10:01 fw-edge 1,2026/11/21 22:10:01,012801000001,TRAFFIC,end,2561,2026/11/21 22:10:01,192.0.2.10,198.51.100.7,0.0.0.0,0.0.0.0,allow-web,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1',
  '<78>Nov 21 22:10:01 host1 CRON[2001]: (root) CMD (run-parts /etc/cron.hourly)',
  '<86>Nov 21 22:10:01 host1 sshd[3001]: Connection closed by 192.0.2.9 port 40001 [preauth]',
];

describe('network platforms together', () => {
  it('are the ones that were here before discovery, and any added since', () => {
    const ids = PLATFORMS.map(([id]) => id);
    for (const id of ['cisco-ios', 'cisco-asa', 'cisco-nxos', 'cisco-iosxr', 'arista-eos', 'juniper-junos', 'fortinet-fortios', 'paloalto-panos']) expect(ids).toContain(id);
  });

  const messages = CHATTER.map((l) => parseSyslog(l, { receivedAt: RECEIVED, transport: 'udp' }));

  it('reject chatter without allocating a result', () => {
    for (const [id, recognise] of PLATFORMS) {
      const empty = recognise(messages[0]!, ctx);
      for (const m of messages) {
        const r = recognise(m, ctx);
        expect(r, `${id}: ${m.raw}`).toEqual([]);
        expect(r, `${id} returns its shared empty result`).toBe(empty);
      }
    }
  });

  it('never throw on hostile names, commands, hostnames, sizes and control characters', () => {
    const hostile = readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').filter(Boolean);
    hostile.push('__proto__', 'constructor', '\u0000\u0001\u001b[31m', 'x'.repeat(100_000), "'".repeat(5000), '-- '.repeat(20_000), '['.repeat(50_000));
    const templates = (h: string): string[] => [
      `<189>1: ${h}: Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:${h}  logged command:username ${h} privilege 15 secret ${h}`,
      `<189>1: r1: Nov 21 22:10:01.123 UTC: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: ${h}] [Source: ${h}] [localport: 22] at ${h}`,
      `<189>1: r1: Nov 21 22:10:01.123 UTC: %DMI-5-AUTH_PASSED: R0/0: dmiauthd: User '${h}' authenticated successfully from ${h} for netconf ${h}`,
      `<166>Nov 21 2026 22:10:01 fw1 : %ASA-5-502101: New user added to local dbase: Uname: ${h} Priv: 15 Encpass: *****`,
      `<166>Nov 21 2026 22:10:01 fw1 : %ASA-5-111010: User '${h}', running '${h}' from IP ${h}, executed '${h}'`,
      `<190>2026 Nov 21 22:10:01 nx1 %AAA-6-AAA_ACCOUNTING_MESSAGE: update:${h}@pts/0:${h}:configure terminal ; username ${h} role ${h} (SUCCESS)`,
      `<189>Nov 21 22:10:01 leaf1 Aaa: %ACCOUNTING-6-CMD: ${h} vty6 ${h} stop task_id=1 service=shell priv-lvl=15 cmd=username ${h} secret ${h} <cr>`,
      `<189>Nov 21 22:10:01 xr1 1: RP/0/RP0/CPU0:Nov 21 22:10:01.691 UTC: exec[1]: %SECURITY-LOGIN-4-AUTHEN_FAILED : Failed authentication attempt by user '${h}' from '${h}' on 'vty4'`,
      `<189>Nov 21 22:10:01 mx1 mgd[1]: UI_CMDLINE_READ_LINE: User '${h}', command 'edit system login user ${h}'`,
      `<189>Nov 21 22:10:01 mx1 mgd[1]: UI_CFG_AUDIT_SET: User '${h}' set: [system login user ${h} class] unconfigured -- "${h}"`,
      `<189>1 2026-11-21T22:10:01.000Z mx1 mgd 1 UI_LOGIN_EVENT [junos@2636.1.1.1.2.29 username="${h.replace(/["\\\]]/g, '')}" __proto__="x"] ${h}`,
      `<189>date=2026-11-21 time=22:10:01 devname="${h}" __proto__="${h}" logid="0100044547" type="event" subtype="system" user="${h}" ui="${h}" action="Edit" cfgpath="user.group" cfgobj="${h}" cfgattr="member[${h}->${h} x]${h}"`,
      `<14>Nov 21 22:10:01 fw-edge 1,2026/11/21 22:10:01,0,CONFIG,0,0,2026/11/21 22:10:01,${h},,set,${h},Web,Succeeded, config mgt-config users  ${h},"${h}",1,0x0`,
    ];
    for (const h of hostile) {
      for (const line of templates(h)) {
        for (const [id, recognise] of PLATFORMS) {
          const run = recogniser(recognise, id);
          // Catastrophic regex backtracking on these would show as this test's timeout.
          expect(() => run(line), `${id}: ${line.slice(0, 120)}`).not.toThrow();
        }
      }
    }
  });
});
