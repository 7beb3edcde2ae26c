// A replayable traffic file of real-format syslog lines: about 90% ordinary device chatter and
// 10% AAA / CLI-history / account records, as a busy collector sees. The line shapes follow the
// vendors' documented formats (and the fixtures in test/ingest/header.test.ts); the AAA share
// also takes real lines from test/corpus. Written to a temporary file at
// bench time, never committed.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length]!;
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function stamp(t: number): { bsd: string; iso: string; year: number; ms: string } {
  const d = new Date(t);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const hms = d.toISOString().slice(11, 19);
  return { bsd: `${MON[d.getUTCMonth()]} ${day} ${hms}`, iso: d.toISOString(), year: d.getUTCFullYear(), ms: d.toISOString().slice(19, 23) };
}

export const CHATTER: Array<(i: number, t: number) => string> = [
  (i, t) => `<187>${1000 + i}: ${stamp(t).bsd}${stamp(t).ms} UTC: %LINK-3-UPDOWN: Interface GigabitEthernet1/0/${i % 48 + 1}, changed state to ${i % 2 ? 'up' : 'down'}`,
  (i, t) => `<189>${1000 + i}: sw${i % 40}: ${stamp(t).bsd}${stamp(t).ms} UTC: %LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet1/0/${i % 48 + 1}, changed state to up`,
  (i, t) => `<166>${stamp(t).bsd.slice(0, 6)} ${stamp(t).year} ${stamp(t).bsd.slice(7)}: %ASA-6-302013: Built inbound TCP connection ${100000 + i} for outside:198.51.100.${i % 250}/${40000 + (i % 20000)} (198.51.100.${i % 250}/${40000 + (i % 20000)}) to inside:10.1.${i % 200}.${i % 250}/443 (10.1.${i % 200}.${i % 250}/443)`,
  (i, t) => `<166>${stamp(t).bsd.slice(0, 6)} ${stamp(t).year} ${stamp(t).bsd.slice(7)} fw${i % 4} : %ASA-6-302014: Teardown TCP connection ${100000 + i} for outside:198.51.100.${i % 250}/${40000 + (i % 20000)} to inside:10.1.2.3/443 duration 0:00:${String(i % 60).padStart(2, '0')} bytes ${i * 7 % 99999} TCP FINs`,
  (i, t) => `<189>${stamp(t).year} ${stamp(t).bsd} nx${i % 10} %ETHPORT-5-IF_UP: Interface Ethernet1/${i % 48 + 1} is up in mode access`,
  (i, t) => `<14>1 ${stamp(t).iso} srx${i % 3} RT_FLOW - RT_FLOW_SESSION_CREATE [junos@2636.1.1.1.2.129 source-address="10.0.${i % 250}.1" source-port="${1024 + i % 60000}" destination-address="192.0.2.${i % 250}" destination-port="443" service-name="junos-https" nat-source-address="203.0.113.1" nat-source-port="${2048 + i % 60000}" src-nat-rule-name="r1" protocol-id="6" policy-name="allow-web" source-zone-name="trust" destination-zone-name="untrust" session-id-32="${i}"] session created 10.0.${i % 250}.1/${1024 + i % 60000}->192.0.2.${i % 250}/443 junos-https`,
  (i, t) => `<78>${stamp(t).bsd} host${i % 30} CRON[${2000 + i % 30000}]: (root) CMD (run-parts /etc/cron.hourly)`,
  (i, t) => `<30>${stamp(t).bsd} host${i % 30} systemd[1]: Started Session ${i % 9999} of user svc${i % 7}.`,
  (i, t) => `<189>date=${stamp(t).iso.slice(0, 10)} time=${stamp(t).iso.slice(11, 19)} devname="FGT60F-${i % 5}" devid="FGT60FTK19000${i % 5}" eventtime=${t}000000 tz="+0000" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=10.1.${i % 200}.${i % 250} srcport=${1024 + i % 60000} srcintf="internal" dstip=8.8.${i % 8}.8 dstport=53 dstintf="wan1" proto=17 action="accept" policyid=1 service="DNS" duration=${i % 180} sentbyte=${i % 9000} rcvdbyte=${i % 12000}`,
  (i, t) => `<86>${stamp(t).bsd} host${i % 30} sshd[${3000 + i % 30000}]: Connection closed by 10.9.${i % 200}.${i % 250} port ${30000 + i % 30000} [preauth]`,
];

const AAA: Array<(i: number, t: number) => string> = [
  (i, t) => `<189>${5000 + i}: ${stamp(t).bsd}${stamp(t).ms} UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin${i % 5}  logged command:interface GigabitEthernet1/0/${i % 48 + 1}`,
  (i, t) => `<189>${5000 + i}: r${i % 20}: ${stamp(t).bsd}${stamp(t).ms} UTC: %SYS-5-CONFIG_I: Configured from console by admin${i % 5} on vty0 (10.1.1.${i % 250})`,
  (i, t) => `<189>${5000 + i}: ${stamp(t).bsd}${stamp(t).ms} UTC: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: admin${i % 5}] [Source: 10.2.55.${i % 250}] [localport: 22] at ${stamp(t).bsd.slice(7)} UTC`,
  (i, t) => `<189>${5000 + i}: ${stamp(t).bsd}${stamp(t).ms} UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin${i % 5}  logged command:username user${i % 997} privilege 15 secret *`,
  (i, t) => `<166>${stamp(t).bsd.slice(0, 6)} ${stamp(t).year} ${stamp(t).bsd.slice(7)}: %ASA-5-111008: User 'admin${i % 5}' executed the 'show running-config' command.`,
  (i, t) => `<29>1 ${stamp(t).iso} mx${i % 4} mgd ${4000 + i % 5000} UI_CMDLINE_READ_LINE [junos@2636.1.1.1.2.29 username="admin${i % 5}" command="show interfaces terse"] User 'admin${i % 5}', command 'show interfaces terse'`,
  (i, t) => `<86>${stamp(t).bsd} host${i % 30} sshd[${3000 + i % 30000}]: Accepted publickey for svc${i % 7} from 10.9.1.${i % 250} port ${30000 + i % 30000} ssh2`,
];

/** Real account-relevant lines from the corpus, when it is there, to mix into the AAA share. */
function corpusAaa(corpus: string | undefined): string[] {
  if (!corpus) return [];
  const files = [
    'syslog/cisco-ios/lab-syslog.log', 'syslog/cisco-asa/elastic-additional-messages.log',
    'syslog/juniper-junos/third-party-fixtures.log', 'syslog/linux/test-auth.log', 'syslog/tacacs/tac_plus-accounting-srlinux.log',
  ];
  const out: string[] = [];
  for (const f of files) {
    try {
      out.push(...readFileSync(join(corpus, f), 'utf8').split('\n').filter((l) => l.length > 0 && l.length < 2000));
    } catch {
      // the corpus is optional for benchmarks
    }
  }
  return out;
}

/** Write `count` lines to `path` (a tenth AAA/CLI); returns how many were AAA. */
export function writeTrafficFile(path: string, count: number, corpus?: string): { aaa: number } {
  const real = corpusAaa(corpus);
  const t0 = Date.now() - 3_600_000;
  const lines: string[] = [];
  let aaa = 0;
  for (let i = 0; i < count; i++) {
    const t = t0 + i * 13;
    if (i % 10 === 7) {
      aaa++;
      lines.push(real.length && i % 20 === 7 ? pick(real, Math.floor(i / 20)) : pick(AAA, Math.floor(i / 10))(i, t));
    } else {
      lines.push(pick(CHATTER, i)(i, t));
    }
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return { aaa };
}
