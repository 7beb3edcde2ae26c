// Cisco IOS / IOS-XE running configuration: the SSH session, local accounts and redaction.
// The IOS-style redaction here (banners and descriptions left as written, the Cisco family's
// secret grammar on every other line) is shared by the other Cisco-syntax platforms (NX-OS, EOS,
// ASA, IOS-XR), which pass their own matcher.

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import {
  redactUnambiguous,
  redactPrivateKeyBlocks,
  splitLines,
  AccountBook,
  addCredential,
  addRole,
} from '../lib/config-text.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { compile, redactWith, type Matcher } from '../lib/secrets/grammar.js';
import { ciscoSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // `LAB-SW123_9200L#`, `core-sw1>`; a whole line, so `description uplink#` inside a config never matches.
  prompt: /^[\w.@()/:-]+[#>]\s?$/,
  setup: ['terminal length 0', 'terminal width 0'],
  configCommands: ['show running-config'],
  enable: 'secret',
  privileged: /#\s?$/,
  more: /\s*--More--\s*$/,
  errors: [/^% ?Invalid input/m, /^% ?Incomplete command/m, /^% ?Ambiguous command/m, /^% ?Authorization failed/m, /^Command authorization failed/m],
  volatile: [
    /^Building configuration\.\.\.[ \t]*$/gm,
    /^Current configuration ?: \d+ bytes[ \t]*$/gm,
    /^! (?:Last configuration change|NVRAM config last updated) at .*$/gm,
    /^ntp clock-period \d+[ \t]*$/gm,
  ],
  complete: /^end[ \t]*$/m,
};

/** Where Cisco-syntax configuration keeps secrets: the family's grammar and the generic one. */
const IOS: Matcher = compile([ciscoSecrets, genericSecrets]);

/** Lines of free text a person wrote: never rewritten, so a banner saying "password" stays readable. */
const PROSE = /^\s*(?:description|remark)\s/;

export interface CiscoRedaction {
  /** The platform's matcher (its grammar, the Cisco family's and the generic one); IOS's by default. */
  matcher?: Matcher;
}

/** Banner bodies: IOS `banner motd ^C … ^C` (any delimiter), EOS `banner login` … `EOF`. */
function bannerEnd(line: string): ((l: string) => boolean) | undefined {
  const m = /^banner\s+\S+\s+(\^C|\S)(.*)$/.exec(line);
  if (m) {
    const delimiter = m[1]!;
    return m[2]!.includes(delimiter) ? undefined : (l) => l.includes(delimiter);
  }
  if (/^banner\s+(?:login|motd)\s*$/.test(line)) return (l) => l === 'EOF';
  return undefined;
}

/**
 * Redact one line of Cisco-syntax configuration. The grammar reads a bare `key X` as the start of
 * a command (a server sub-mode's shared secret) and a key chain's `key 1` as an id, so a line needs
 * no knowledge of its block.
 */
export function redactCiscoLine(line: string, options: CiscoRedaction = {}): string {
  if (PROSE.test(line)) return line;
  return redactWith(options.matcher ?? IOS, line);
}

/** Redact Cisco-syntax configuration text, leaving banners and descriptions as written. */
export function redactCiscoStyle(configText: string, options: CiscoRedaction = {}): string {
  const out: string[] = [];
  let inBanner: ((l: string) => boolean) | undefined;
  for (const line of redactPrivateKeyBlocks(splitLines(configText))) {
    if (inBanner) {
      out.push(redactUnambiguous(line));
      if (inBanner(line)) inBanner = undefined;
      continue;
    }
    inBanner = bannerEnd(line);
    out.push(inBanner ? line : redactCiscoLine(line, options));
  }
  return out.join('\n');
}

export function redact(configText: string): string {
  return redactCiscoStyle(configText);
}

const redactLine = (line: string): string => redactCiscoLine(line);

/**
 * `username NAME [privilege N] [view V] [algorithm-type T] {secret|password} [TYPE] VALUE |
 * nopassword`, every line of one name merged; keys from `ip ssh pubkey-chain` join the account.
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  let inPubkeyChain = false;
  let pubkeyUser: LocalAccount | undefined;
  for (const line of splitLines(configText)) {
    if (/^\S/.test(line)) {
      inPubkeyChain = /^ip ssh pubkey-chain\b/.test(line);
      pubkeyUser = undefined;
    }
    if (inPubkeyChain) {
      const user = /^ {1,2}username\s+(\S+)/.exec(line);
      if (user) {
        pubkeyUser = book.add(user[1]!, line);
        continue;
      }
      if (pubkeyUser && /^\s+key-(?:hash|string)\b/.test(line)) {
        pubkeyUser.lines.push(redactLine(line).trimEnd());
        addCredential(pubkeyUser, 'key');
      }
      continue;
    }
    const m = /^username\s+(\S+)(.*)$/.exec(line);
    if (!m) continue;
    const account = book.add(m[1]!, line);
    const rest = m[2]!;
    const privilege = /\sprivilege\s+(\d+)/.exec(rest);
    if (privilege) account.privilege = privilege[1]!;
    const view = /\sview\s+(\S+)/.exec(rest);
    if (view) addRole(account, view[1]!);
    if (/\ssecret\s/.test(rest)) addCredential(account, 'secret');
    else if (/\spassword\s/.test(rest)) addCredential(account, 'password');
    else if (/\snopassword\b/.test(rest)) addCredential(account, 'none');
  }
  return book.all();
}

/** Numeric levels only (a `view` is custom, so unranked); `username x secret` without a level is level 1. */
export const privileges: PrivilegeScheme = { defaultPrivilege: '1' };
