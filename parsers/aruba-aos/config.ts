// ArubaOS: AOS-W mobility controllers and Instant APs (`show running-config`): the SSH session,
// management users and the secret grammar. Sources: the Oxidized recordings
// `aosw#Aruba7210_8.10.0.7`, `arubainstant#IAP515_8.10.0.6_VWLC` (and its #secret.yaml), Oxidized's
// aosw.rb and arubainstant.rb (docs/notes/platforms.md, "ArubaOS"). Oxidized sends `encrypt
// disable` (controllers) and `show running-config no-encrypt` (Instant), which print secrets in
// clear; aaawatch never asks for clear text.

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { AccountBook, REDACTED, addCredential, addRole, redactPrivateKeyBlocks, splitLines } from '../lib/config-text.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { S, VALUE, compile, form, redactWith, rx, type Matcher } from '../lib/secrets/grammar.js';
import { COMMAND_KEYWORDS, arubaAosSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // Controllers `(ctrl1) [mynode] #`, `(ctrl1) *[mynode] #`, `(ctrl1) ^[mynode] #`; Instant `AP-1# `
  // (with a leading space when a core file is present).
  prompt: /^\s?(?:\([\w.-]{1,64}\) [*^]?\[[\w/.-]{0,64}\] ?[#>]|[\w.-]{1,64}[#>]) ?$/,
  setup: ['no paging'],
  configCommands: ['show running-config'],
  enable: 'secret',
  privileged: /#\s?$/,
  more: /--More-- \(q\) quit \(u\) pageup \(\/\) search \(n\) repeat\s*$|--More--\s*$/,
  // `Parse error`, and under the caret `% Parse error` (as gnetcli's ArubaOS tests have it).
  errors: [/^% ?Invalid input detected/m, /^% ?Incomplete command/m, /^(?:% ?)?Parse error/m],
  volatile: [/^\s*Building Configuration\.\.\.\s*$/gm],
};

/**
 * Values written alone after a keyword at the start of a configuration line (`key "X"`, `secret X`,
 * VRRP `authentication X`): only in a configuration, where the line start is a command; in a log
 * line the same words are prose.
 */
const LINE_START: Matcher = compile([
  arubaAosSecrets,
  [form(['key', 'password', 'secret', 'passphrase', 'ipsec', 'authentication'], rx('m')`^[^\S\n]*${COMMAND_KEYWORDS}${S}(?!pre-share\b)${VALUE()}`)],
  genericSecrets,
]);

/** Instant's older `mgmt-user NAME HASH [read-only|guest-mgmt]`; a controller's `mgmt-user NAME ROLE HASH …`. */
const INSTANT_TYPES = new Set(['read-only', 'guest-mgmt']);

/**
 * Words after `mgmt-user` that are settings, not a user's name (ArubaOS CLI reference, `mgmt-user`):
 * `localdb …`, `localauth-disable`, `console-block`, and the certificate users read below. A
 * controller prints `mgmt-user console-block` in its running configuration (rafahpe/device-hardening,
 * controllers.rst), which was read as a user named `console-block`.
 */
const SETTINGS = new Set(['localdb', 'localauth-disable', 'console-block', 'ssh-pubkey', 'webui-cacert']);

function mgmtUser(line: string): { name: string; role?: string; hashAt: number } | undefined {
  const words = line.trim().split(/\s+/);
  // A user's line names it and holds its hash (or its role and hash): never two words alone.
  if (words[0] !== 'mgmt-user' || !words[1] || words.length < 3 || SETTINGS.has(words[1])) return undefined;
  if (words.length >= 4 && !INSTANT_TYPES.has(words[3]!) || (words.length === 3 && !/^[0-9a-fA-F*]{16,}$/.test(words[2]!))) {
    return { name: words[1], role: words[2], hashAt: 3 };
  }
  return { name: words[1], role: words[3], hashAt: 2 };
}

/**
 * A management user a certificate logs in as (ArubaOS CLI reference, `mgmt-user`; Dell W-Series
 * ArubaOS 6.4 user guide, p. 647): `mgmt-user ssh-pubkey client-cert CERT NAME ROLE [RCP]` (SSH, the
 * X.509 client certificate converted to SSH-RSA keys), `mgmt-user ssh-pubkey NAME ROLE …` and
 * `mgmt-user webui-cacert CA serial N NAME ROLE` (the WebUI). The certificate is the credential: `key`.
 */
function certificateUser(line: string): { name: string; role?: string } | undefined {
  const words = line.trim().split(/\s+/);
  if (words[0] !== 'mgmt-user') return undefined;
  const at = words[1] === 'ssh-pubkey' ? (words[2] === 'client-cert' ? 4 : 2) : words[1] === 'webui-cacert' && words[3] === 'serial' ? 5 : -1;
  if (at < 0 || !words[at]) return undefined;
  return { name: words[at]!, ...(words[at + 1] ? { role: words[at + 1]! } : {}) };
}

export function redactLine(line: string): string {
  // The positional hash first: the grammar cannot tell the two generations' word orders apart.
  let out = line;
  const user = mgmtUser(out);
  if (user) {
    const words = out.split(/(\s+)/);
    // The word index in a split that keeps separators: words 0, 2, 4 … (after leading space, 1 more).
    const offset = words[0] === '' ? 2 : 0;
    const at = offset + user.hashAt * 2;
    if (words[at] !== undefined && !/^\*+$/.test(words[at]!)) words[at] = REDACTED;
    out = words.join('');
  }
  return redactWith(LINE_START, out);
}

export function redact(configText: string): string {
  return redactPrivateKeyBlocks(splitLines(configText)).map(redactLine).join('\n');
}

/**
 * Controller `mgmt-user NAME ROLE HASH` (the role: root, read-only, network-operations, …) and the
 * users a certificate logs in as (`mgmt-user ssh-pubkey …`, `mgmt-user webui-cacert …`: `key`);
 * Instant `hash-mgmt-user NAME password hash X [usertype read-only|guest-mgmt]` and the older
 * `mgmt-user NAME HASH [read-only|guest-mgmt]` (no type: the administrator).
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  for (const line of splitLines(configText)) {
    const hashed = /^hash-mgmt-user\s+(\S+)\s+password\s+\S+\s+\S+(?:\s+usertype\s+(\S+))?/.exec(line);
    if (hashed) {
      const account = book.add(hashed[1]!, line);
      if (hashed[2]) addRole(account, hashed[2]);
      addCredential(account, 'secret');
      continue;
    }
    if (!/^mgmt-user\s/.test(line)) continue;
    const byCertificate = certificateUser(line);
    if (byCertificate) {
      const account = book.add(byCertificate.name, line);
      if (byCertificate.role) addRole(account, byCertificate.role);
      addCredential(account, 'key');
      continue;
    }
    const user = mgmtUser(line);
    if (!user) continue;
    const account = book.add(user.name, line);
    if (user.role) addRole(account, user.role);
    addCredential(account, 'secret');
  }
  return book.all();
}

/** Built-in management roles; an Instant user with no type is its administrator. */
export const privileges: PrivilegeScheme = {
  roleRanks: { root: 15, admin: 15, 'read-only': 1, 'guest-provisioning': 1, 'guest-mgmt': 1, 'location-api-mgmt': 1 },
  defaultRole: 'admin',
};
