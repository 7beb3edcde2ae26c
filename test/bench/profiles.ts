// Traffic profiles for bench:ingest besides the default file (traffic.ts):
//
// - `aaa-only`: every line an AAA / CLI / account record, as an AAA server (ISE, tac_plus,
//   tac_plus-ng) or devices with command accounting forward them (Junos UI_CMDLINE_READ_LINE, IOS
//   PARSER-5-CFGLOG, ASA 111008/502101/605005, Linux sshd/sudo/useradd, FortiOS admin changes);
//   ≥ 5% account creations, each a distinct name; stamps out of order (a few minutes of jitter, as
//   several relays deliver).
// - `mixed-random`: the same templates plus device chatter and real corpus lines, in a mix drawn
//   at random for each run (weights, stamps, names) from a seed that is printed, so no fixed file
//   can be tuned to and a run can be repeated (BENCH_SEED).
// - `burst`: the account creations alone, each a distinct name (bench:ingest sends them as one
//   burst on top of an aaa-only stream).
//
// Line shapes are those of the corpus files named beside each template (test/corpus/syslog, with
// their provenance in test/corpus/README.md); names, addresses, commands and stamps vary. Written to
// a temporary file at bench time, never committed.

import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CHATTER } from './traffic.js';

export type Profile = 'default' | 'aaa-only' | 'mixed-random' | 'burst';
export const PROFILES: readonly Profile[] = ['default', 'aaa-only', 'mixed-random', 'burst'];

export const isProfile = (s: string): s is Profile => (PROFILES as readonly string[]).includes(s);

/** mulberry32: a small seeded generator, so a run's traffic can be made again from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const one = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)]!;

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');
/** `Mar  1 10:00:00` (RFC 3164). */
const bsd = (d: Date): string => `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
/** `2020-02-21 19:13:08.328 +00:00` (ISE's own stamp). */
const iseStamp = (d: Date): string => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 23)} +00:00`;
/** `2020-07-17 17:41:26 +0000` (tac_plus). */
const tacStamp = (d: Date): string => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} +0000`;

const ADMINS = ['admin', 'netops', 'jsmith', 'a.kowalski', 'mgarcia', 'svc-ansible', 'noc1', 'psxvne', 'lchen', 'root'];
const COMMANDS = [
  'show running-config', 'show interfaces terse', 'show ip bgp summary', 'show mac address-table', 'configure terminal',
  'interface GigabitEthernet1/0/12', 'description uplink to core', 'no shutdown', 'write memory', 'show log messages',
  'show version', 'commit', 'show route 10.0.0.0/8', 'ping 192.0.2.1', 'show system users', 'exit',
];
const JUNOS_COMMANDS = [
  'show interfaces terse', 'show configuration system login', 'set interfaces ge-0/0/1 description core', 'commit check',
  'show route summary', 'show log messages | last 50', 'show chassis alarms', 'commit and-quit',
];
const dev = (r: Rand, prefix: string): string => `${prefix}${int(r, 400)}`;
const ip = (r: Rand, a = 10): string => `${a}.${int(r, 250)}.${int(r, 250)}.${1 + int(r, 250)}`;
const salt = (r: Rand): string => Math.floor(r() * 2 ** 48).toString(36);

type Line = (r: Rand, d: Date, n: number) => string;
/** An account creation template: `name` is distinct for every line. */
type Create = (r: Rand, d: Date, n: number, name: string) => string;

/** test/corpus/syslog/tacacs/elastic-cisco-ise-tacacs-accounting.log: ISE's TACACS+ accounting, one long line. */
const iseCommand = (r: Rand, d: Date, n: number, cmd: string, user: string): string => {
  const dip = ip(r, 81);
  return `<182>${bsd(d)} ise-psn${int(r, 4)} CISE_TACACS_Accounting 00000${10000 + (n % 89999)} 1 0 ${iseStamp(d)} 00184${10000 + (n % 89999)} 3300 NOTICE Tacacs-Accounting: ` +
    `TACACS+ Accounting with Command, ConfigVersionId=1829, Device IP Address=${dip}, CmdSet=[ CmdAV=${cmd} <cr> ], RequestLatency=1, ` +
    `NetworkDeviceName=${dev(r, 'wan')}, Type=Accounting, Privilege-Level=15, Service=Login, User=${user}, Port=tty${int(r, 20)}, Remote-Address=${ip(r)}, ` +
    `Authen-Method=TacacsPlus, AVPair=task_id=${n}, AVPair=timezone=GMT, AVPair=start_time=${Math.floor(d.getTime() / 1000)}, AVPair=priv-lvl=15, ` +
    `AcctRequest-Flags=Stop, Service-Argument=shell, AcsSessionID=ise-psn1/359344348/${n}, SelectedAccessService=Device Admin - TACACS, ` +
    `Step=13006, Step=15049, Step=15008, Step=15048, Step=13035, NetworkDeviceGroups=Location#All Locations#EMEA, ` +
    `NetworkDeviceGroups=Device Type#All Device Types#Routers, NetworkDeviceGroups=IPSEC#Is IPSEC Device, CPMSessionID=${dip}Accounting${n}, ` +
    `Model Name=Unknown, Software Version=Unknown, Network Device Profile=Cisco, Location=Location#All Locations#EMEA, ` +
    `Device Type=Device Type#All Device Types#Routers, IPSEC=IPSEC#Is IPSEC Device, Response={AcctReply-Status=Success; }`;
};

/** test/corpus/syslog/tacacs/tac_plus-accounting-srlinux.log: tac_plus's accounting line, sent by syslog. */
const tacPlus = (r: Rand, d: Date, n: number, cmd: string, user: string): string =>
  `<38>${bsd(d)} tacacs${int(r, 3)} tac_plus[${1000 + int(r, 9000)}]: ${tacStamp(d)}\t${ip(r)}\t${user}\tssh\t${ip(r)}\tstop\ttask_id=${n}\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=${cmd}`;

/** parsers/tac-plus/lines.ts: tac_plus-ng's pipe-separated syslog accounting line. */
const tacPlusNg = (r: Rand, d: Date, _n: number, cmd: string, user: string): string =>
  `<38>${bsd(d)} tacng${int(r, 2)} tac_plus-ng[${1000 + int(r, 9000)}]: ${ip(r)}|${user}|tty${int(r, 8)}|${ip(r)}|stop|shell|service=shell priv-lvl=15 cmd=${cmd}`;

/** test/corpus/syslog/juniper-junos/mx-cmdline.log (RFC 5424 with structured data, and the BSD form). */
const junos5424 = (r: Rand, d: Date, n: number, cmd: string, user: string): string =>
  `<29>1 ${d.toISOString()} ${dev(r, 'mx')} mgd ${4000 + (n % 5000)} UI_CMDLINE_READ_LINE [junos@2636.1.1.1.2.29 username="${user}" command="${cmd}"] User '${user}', command '${cmd}'`;
const junosBsd = (r: Rand, d: Date, n: number, cmd: string, user: string): string =>
  `<38>${bsd(d)} ${dev(r, 'srx')} mgd[${1000 + (n % 60000)}]: UI_CMDLINE_READ_LINE: User '${user}', command '${cmd} '`;

/** test/corpus/syslog/cisco-ios/lab-syslog.log: the IOS archive log. */
const iosCfglog = (r: Rand, d: Date, n: number, cmd: string, user: string): string =>
  `<189>${bsd(d)} ${dev(r, 'r')} ${n % 100000}: ${String(n % 1000000).padStart(6, '0')}: ${bsd(d)}.${String(d.getUTCMilliseconds()).padStart(3, '0')}: %PARSER-5-CFGLOG_LOGGEDCMD: User:${user}  logged command:${cmd}`;

const AAA: Line[] = [
  (r, d, n) => iseCommand(r, d, n, one(r, COMMANDS), one(r, ADMINS)),
  (r, d, n) => iseCommand(r, d, n, one(r, COMMANDS), one(r, ADMINS)),
  (r, d, n) => tacPlus(r, d, n, one(r, COMMANDS), one(r, ADMINS)),
  (r, d, n) => tacPlusNg(r, d, n, one(r, COMMANDS), one(r, ADMINS)),
  (r, d, n) => junos5424(r, d, n, one(r, JUNOS_COMMANDS), one(r, ADMINS)),
  (r, d, n) => junosBsd(r, d, n, one(r, JUNOS_COMMANDS), one(r, ADMINS)),
  (r, d, n) => iosCfglog(r, d, n, one(r, COMMANDS), one(r, ADMINS)),
  // test/corpus/syslog/cisco-ios/elastic-test-cisco-ios.log: login success.
  (r, d, n) => `<189>${bsd(d)} ${dev(r, 'sw')} ${n % 100000}: ${bsd(d)}.${p2(n % 100)}1 UTC: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: ${one(r, ADMINS)}] [Source: ${ip(r)}] [localport: 22] at ${d.toISOString().slice(11, 19)} UTC`,
  // test/corpus/syslog/cisco-asa/elastic-additional-messages.log: commands and logins.
  (r, d) => `<165>${bsd(d)} ${dev(r, 'asa')} : %ASA-5-111008: User '${one(r, ADMINS)}' executed the '${one(r, COMMANDS)}' command.`,
  (r, d) => `<166>${bsd(d)} ${dev(r, 'asa')} : %ASA-6-605005: Login permitted from ${ip(r)}/${1024 + int(r, 60000)} to inside:${ip(r)}/ssh for user "${one(r, ADMINS)}"`,
  // test/corpus/syslog/linux/test-usermod-group.log and test-auth.log: group membership, password changes.
  (r, d) => `<86>${bsd(d)} ${dev(r, 'host')} usermod[${1000 + int(r, 60000)}]: add '${one(r, ADMINS)}' to group '${one(r, ['wheel', 'sudo', 'adm', 'docker'])}'`,
  (r, d) => `<85>${bsd(d)} ${dev(r, 'host')} passwd[${1000 + int(r, 60000)}]: pam_unix(passwd:chauthtok): password changed for ${one(r, ADMINS)}`,
];

const CREATES: Create[] = [
  // Account creations relayed by ISE and tac_plus (the command as typed, secret and all).
  (r, d, n, name) => iseCommand(r, d, n, `username ${name} privilege 15 secret 9 $9$${salt(r)}$${salt(r)}${salt(r)}`, one(r, ADMINS)),
  (r, d, n, name) => tacPlus(r, d, n, `username ${name} privilege 15 secret 5 $1$${salt(r)}$${salt(r)}`, one(r, ADMINS)),
  (r, d, n, name) => iosCfglog(r, d, n, `username ${name} privilege 15 secret *`, one(r, ADMINS)),
  (r, d, n, name) => junos5424(r, d, n, `set system login user ${name} class super-user`, one(r, ADMINS)),
  // test/corpus/syslog/cisco-asa (Cisco's message guide): 502101.
  (r, d, _n, name) => `<165>${bsd(d)} ${dev(r, 'asa')} : %ASA-5-502101: New user added to local dbase: Uname: ${name} Priv: 15 Encpass: ***** Executed by: ${one(r, ADMINS)}`,
  // test/corpus/syslog/linux/test-auth.log: shadow-utils useradd.
  (r, d, _n, name) => `<86>${bsd(d)} ${dev(r, 'host')} useradd[${1000 + int(r, 60000)}]: new user: name=${name}, UID=${1000 + int(r, 60000)}, GID=${1000 + int(r, 60000)}, home=/home/${name}, shell=/bin/bash`,
  // test/corpus/syslog/fortinet-fortios/psirt-admin-add.log: an administrator added.
  (r, d, _n, name) =>
    `<189>date=${d.toISOString().slice(0, 10)} time=${d.toISOString().slice(11, 19)} devname="${dev(r, 'FGT60F-')}" devid="FGT60FTK1900${1000 + int(r, 8999)}" eventtime=${d.getTime()}000000 tz="+0000" logid="0100044547" ` +
    `type="event" subtype="system" level="information" vd="root" logdesc="Object attribute configured" user="${one(r, ADMINS)}" ui="jsconsole(${ip(r)})" action="Add" cfgtid=${int(r, 2 ** 31)} ` +
    `cfgpath="system.admin" cfgobj="${name}" cfgattr="password[*]accprofile[super_admin]vdom[root]" msg="Add system.admin ${name}"`,
];

/**
 * Which file of a run: the measured window's; the warm-up's, sent before it (bench:ingest
 * BENCH_WARMUP_LINES); or one sent after it over UDP, the fixed-rate runs' (`udp`) or the
 * flood's (`flood`). Every part is the same profile from the same seed — mixed-random's weights
 * drawn as the window's are, so the mix is the same — with lines drawn from a seed of its own, its
 * line numbers (task ids, ISE session ids) apart from every other part's, its account names of its
 * own and its stamps after the window's (or, the warm-up's, before them): so no part repeats
 * another's records or creations, as a live feed never does. A UDP run that replayed the window's
 * file stored each of its records a second and third time, their index entries among the first
 * ones' and their creations no longer new.
 */
export type Part = 'window' | 'warm-up' | 'udp' | 'flood';
/** Each part's first letter of its account names, first line number and seed (the run's, xor this). */
const PARTS: Record<Part, { letter: string; first: number; salt: number }> = {
  window: { letter: 'u', first: 0, salt: 0 },
  'warm-up': { letter: 'w', first: 100_000_000, salt: 0x9e3779b9 },
  udp: { letter: 'v', first: 200_000_000, salt: 0x85ebca6b },
  flood: { letter: 'f', first: 300_000_000, salt: 0xc2b2ae35 },
};
/** Milliseconds between neighbouring lines' stamps, on average. */
const STEP_MS = 13;

/**
 * What every account name a file made from `seed` starts with (the seed in it, so files stay
 * apart; the part's own letter, and the run's number after it for the second and later files of a part
 * (each fixed-rate UDP run sends one of its own), so no file's names fall in another's range).
 */
export const accountPrefix = (seed: number, part: Part = 'window', run = 0): string => `${PARTS[part].letter}${run || ''}${(seed % 46656).toString(36)}x`;

/** Stamps around `t0`: in order on average, out of order by up to `jitterMs` between neighbours. */
const stampAt = (r: Rand, t0: number, i: number, stepMs: number, jitterMs: number): Date => new Date(t0 + i * stepMs - int(r, jitterMs));

/** Real lines from the corpus (account-relevant and otherwise), for the mixed profile. */
function corpusLines(corpus: string): string[] {
  const files = [
    'syslog/cisco-ios/lab-syslog.log', 'syslog/cisco-asa/elastic-additional-messages.log', 'syslog/juniper-junos/third-party-fixtures.log',
    'syslog/juniper-junos/mx-cmdline.log', 'syslog/linux/test-auth.log', 'syslog/linux/test-auth-rhel79.log', 'syslog/tacacs/tac_plus-accounting-srlinux.log',
    'syslog/paloalto-panos/elastic-panos-config.log', 'syslog/opnsense/crowdsec-opnsense-gui-auth.log', 'syslog/pfsense/crowdsec-pfsense-gui-auth.log',
  ];
  const out: string[] = [];
  for (const f of files) {
    try {
      out.push(...readFileSync(join(corpus, f), 'utf8').split('\n').filter((l) => l.length > 0 && l.length < 4000));
    } catch {
      // the corpus is optional for benchmarks
    }
  }
  return out;
}

export interface Written {
  lines: number;
  /** What its account names start with (accountPrefix). */
  prefix: string;
  /** Lines that create an account (each a distinct name). */
  creates: number;
  /** Their line numbers (from 0), in order. */
  createAt: number[];
  seed: number;
  /** What the mix was, for the log. */
  mix: string;
}

/** Lines written at a time: a flood's file (two million lines and more) is past V8's longest string. */
const CHUNK_LINES = 65_536;

/**
 * Write `count` lines of `profile` to `path`: the window's file, or another part's (Part). A part
 * sent after the window (`udp`, `flood`) has its stamps begin `afterLines` lines' worth past the
 * window's first (the window's file's length, and the parts sent before it); `run` tells files of one
 * part apart (loggen reads each file from its first line).
 */
export function writeProfile(path: string, profile: Exclude<Profile, 'default'>, count: number, seed: number, corpus: string, part: Part = 'window', afterLines = 0, run = 0): Written {
  const window = part === 'window';
  // The mix (mixed-random's weights) from the run's seed; the window's lines go on from the same
  // generator, as they always have, each other part's from its own.
  const pick = rng(seed);
  const r = window ? pick : rng((seed ^ PARTS[part].salt ^ Math.imul(run, 0x27d4eb2d)) >>> 0);
  // The warm-up's stamps end where the window's begin, as one feed's would; the later parts' begin after them.
  const t0 = Date.now() - 3_600_000 + (part === 'warm-up' ? -count : afterLines) * STEP_MS;
  const first = PARTS[part].first + run * 10_000_000;
  const prefix = accountPrefix(seed, part, run);
  const fd = openSync(path, 'w');
  let chunk: string[] = [];
  const put = (line: string): void => {
    chunk.push(line);
    if (chunk.length === CHUNK_LINES) flush();
  };
  const flush = (): void => {
    if (chunk.length) writeSync(fd, chunk.join('\n') + '\n');
    chunk = [];
  };
  let creates = 0;
  const createAt: number[] = [];
  /** A distinct account name per creation. */
  const accountName = (): string => prefix + (creates++).toString(36);
  try {
    if (profile === 'aaa-only' || profile === 'burst') {
      const createShare = profile === 'burst' ? 1 : 0.06;
      for (let i = 0; i < count; i++) {
        const d = stampAt(r, t0, i, STEP_MS, 300_000);
        if (r() < createShare) {
          createAt.push(i);
          put(one(r, CREATES)(r, d, first + i, accountName()));
        } else put(one(r, AAA)(r, d, first + i));
      }
      flush();
      return { lines: count, prefix, creates, createAt, seed, mix: profile === 'burst' ? 'account creations only' : `${AAA.length} AAA templates, 6% creations from ${CREATES.length}` };
    }
    // mixed-random: weights drawn for this run over every template family.
    const real = corpusLines(corpus);
    const families: Array<{ name: string; weight: number; line: (i: number, d: Date) => string }> = [
      ...CHATTER.map((f, k) => ({ name: `chatter${k}`, weight: pick(), line: (i: number, d: Date) => f(first + i, d.getTime()) })),
      ...AAA.map((f, k) => ({ name: `aaa${k}`, weight: pick() * 0.6, line: (i: number, d: Date) => f(r, d, first + i) })),
      ...CREATES.map((f, k) => ({ name: `create${k}`, weight: pick() * 0.15, line: (i: number, d: Date) => (createAt.push(i), f(r, d, first + i, accountName())) })),
      ...(real.length ? [{ name: 'corpus', weight: pick() * 0.5, line: () => one(r, real) }] : []),
    ];
    const total = families.reduce((s, f) => s + f.weight, 0);
    const cumulative: number[] = [];
    let acc = 0;
    for (const f of families) cumulative.push((acc += f.weight / total));
    for (let i = 0; i < count; i++) {
      const x = r();
      let k = 0;
      while (k < cumulative.length - 1 && cumulative[k]! < x) k++;
      put(families[k]!.line(i, stampAt(r, t0, i, STEP_MS, 1 + int(r, 600_000))));
    }
    flush();
    const shares = families.map((f) => `${f.name} ${((f.weight / total) * 100).toFixed(1)}%`).join(', ');
    return { lines: count, prefix, creates, createAt, seed, mix: shares };
  } finally {
    closeSync(fd);
  }
}
