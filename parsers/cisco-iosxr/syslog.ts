// Cisco IOS-XR syslog: configuration commits and logins.
//
// IOS-XR puts a node id, its own stamp and a process before the tag, and a space before the
// tag's colon (the header parser reads all of that):
//   RP/0/RP0/CPU0:Nov 21 22:10:01.691 UTC: config[pid]: %MGBL-CONFIG-6-DB_COMMIT : Configuration committed by user 'x'. Use 'show configuration commit changes 1000000001' to view the changes.
//   RP/0/RP0/CPU0:… config[pid]: %MGBL-SYS-5-CONFIG_I : Configured from console by x on vty0 (10.1.1.1)
//   RP/0/RP0/CPU0:… exec[pid]: %SECURITY-LOGIN-6-AUTHEN_SUCCESS : Successfully authenticated user 'x' from 'console' on 'con0_RP0_CPU0'
//   RP/0/RP0/CPU0:… exec[pid]: %SECURITY-LOGIN-4-AUTHEN_FAILED : Failed authentication attempt by user 'x' from '10.1.1.1' on 'vty4'
//   RP/0/RP0/CPU0:… exec[pid]: %SECURITY-LOGIN-6-CLOSE : User 'x' logged out
//   RP/0/RP0/CPU0:… SSHD_[pid]: %SECURITY-SSHD-6-INFO_SUCCESS : Successfully authenticated user 'x' from '10.1.1.1' on 'vty0'(cipher …, mac …)
//   RP/0/RP0/CPU0:… SSHD_[pid]: %SECURITY-SSHD-6-INFO_USER_LOGOUT : User 'x' from '10.1.1.1' logged out on 'vty0'
// (the layout as public lab captures show it; see parsers/cisco-iosxr/test/cisco-iosxr.test.ts).
// Releases whose SSH server is OpenSSH (XR 7, XRd) relay its lines through a syslog proxy instead of
// SECURITY-SSHD-6-INFO_SUCCESS (test/corpus/syslog/cisco-iosxr):
//   RP/0/RP0/CPU0:… ssh_syslog_proxy[pid]: %SECURITY-SSHD_SYSLOG_PRX-6-INFO_GENERAL : sshd[pid]: Accepted authentication for x from 10.1.1.1 port 38466 ssh2
//   RP/0/RP0/CPU0:… ssh_syslog_proxy[pid]: %SECURITY-SSHD_SYSLOG_PRX-6-INFO_GENERAL : sshd[pid]: Failed authentication/pam for <unknown> from 10.1.1.1 port 48906 ssh2
// OpenSSH's `Accepted`/`Failed METHOD for [invalid user ]USER from ADDRESS port N` are a login and a
// failed login; its other lines (connections closed, read errors) are transport, as INFO_GENERAL is.
// One login is one line: an SSH login is SSHD's INFO_SUCCESS alone (a lab's `show logging` of two
// dozen SSH logins holds no SECURITY-LOGIN line beside them), exec's SECURITY-LOGIN-6-AUTHEN_SUCCESS
// is a login SSHD did not serve (console, telnet, ZTP's own user on a vty), so each is a session.
//
// IOS-XR logs no per-command line over syslog (command accounting goes to TACACS+, read by the
// tac-plus and cisco-ise platforms): a commit is the change record. It yields a command record
// whose command is the device's sentence, which names the commit id to look the change up by.

import type { AaaRecord, ChangePath, Offer, RecogniseContext, SyslogMessage } from '../../src/types.js';
import { mnemonicOf, parseConfiguredFrom } from '../lib/cisco.js';
import { address, commandRecord, origin, sessionRecord, type Origin } from '../lib/record.js';

const PLATFORM = 'cisco-iosxr';
const NONE: AaaRecord[] = [];

// Offered: the facilities read below.
export const offer: Offer = { tags: ['MGBL-', 'SECURITY-'] };

export function recognise(msg: SyslogMessage, ctx: RecogniseContext): AaaRecord[] {
  // The header parser reads the node id, node stamp and process in front of the tag.
  const tag = msg.tag;
  if (tag === undefined || !(tag.startsWith('MGBL-') || tag.startsWith('SECURITY-'))) return NONE;
  const body = msg.message;
  const o = origin(msg, PLATFORM);
  let out: AaaRecord[] | undefined;
  if (tag.startsWith('MGBL-CONFIG-')) {
    if (mnemonicOf(tag) === 'DB_COMMIT') out = commit(o, body);
  } else if (tag.startsWith('MGBL-SYS-')) {
    if (mnemonicOf(tag) !== 'CONFIG_I') return NONE;
    out = configured(o, body);
  } else if (tag.startsWith('SECURITY-LOGIN-') || tag.startsWith('SECURITY-SSHD-')) {
    out = security(o, tag, body);
  } else if (tag.startsWith('SECURITY-SSHD_SYSLOG_PRX-')) {
    return openSsh(o, body);
  } else {
    return NONE;
  }
  if (out) return out;
  ctx.unknown(`${PLATFORM}:${tag}`);
  return NONE;
}

function commit(o: Origin, body: string): AaaRecord[] | undefined {
  const m = /^Configuration committed by user '([^']*)'/.exec(body);
  if (!m) return undefined;
  return [commandRecord(o, { actor: m[1] }, body.trim())];
}

function configured(o: Origin, body: string): AaaRecord[] | undefined {
  const c = parseConfiguredFrom(body);
  if (!c) return undefined;
  const path: ChangePath | undefined = c.source === 'console' ? 'cli' : undefined;
  return [commandRecord(o, { actor: c.user, actorAddress: c.address, path }, body.trim())];
}

/** SSHD messages that describe the transport, not a user's login. */
const SSHD_QUIET = new Set(['INFO_GENERAL', 'INFO_REKEY', 'INFO_ALERT', 'ERR_GENERAL']);

function security(o: Origin, tag: string, body: string): AaaRecord[] | undefined {
  const mnemonic = mnemonicOf(tag);
  const success = /^Successfully authenticated user '([^']*)' from '([^']*)'/.exec(body);
  if (success) return [sessionRecord(o, { actor: success[1], actorAddress: address(success[2]), path: 'cli' }, 'login')];
  const failed = /^Failed authentication attempt by user '([^']*)' from '([^']*)'/.exec(body);
  if (failed) return [sessionRecord(o, { actor: failed[1], actorAddress: address(failed[2]), path: 'cli' }, 'login.failed')];
  // SSHD's logout names the address; exec's (`%SECURITY-LOGIN-6-CLOSE : User 'x' logged out`) does not.
  const logout = /^User '([^']*)' (?:from '([^']*)' )?logged out/.exec(body);
  if (logout) return [sessionRecord(o, { actor: logout[1], actorAddress: address(logout[2]), path: 'cli' }, 'logout')];
  return tag.startsWith('SECURITY-SSHD-') && SSHD_QUIET.has(mnemonic) ? NONE : undefined;
}

/** OpenSSH's own words, relayed; `<unknown>` is OpenSSH's name for a user it could not read. */
const OPENSSH = /^sshd\[\d{1,10}\]: (Accepted|Failed) \S{1,64} for (?:invalid user )?(\S{1,256}) from (\S{1,64}) port \d{1,5}\b/;

function openSsh(o: Origin, body: string): AaaRecord[] {
  const m = OPENSSH.exec(body);
  if (!m) return NONE;
  const who = { actor: m[2] === '<unknown>' ? undefined : m[2], actorAddress: address(m[3]), path: 'cli' as const };
  return [sessionRecord(o, who, m[1] === 'Accepted' ? 'login' : 'login.failed')];
}
