// Falco runtime alerts about accounts (AN1239, T1136.001): user-management programs run on a host
// or inside a container, and writes to /etc/passwd, /etc/shadow, /etc/group seen below /etc. The
// alert names the process, so the command line tells which account it acted on.

import type { AaaRecord, ContainerRef, Platform, SyslogMessage } from '../../src/types.js';
import { parseJsonObject } from '../lib/json-fields.js';
import { accountRecord, type Origin } from '../lib/record.js';
import { recordTime } from '../lib/record-time.js';
import type { ActorChange as Change } from '../lib/record.js';
import { ACCOUNT_FILES } from '../lib/account-files.js';
import { isJsonAlert, readJsonAlert, readTextAlert, type Alert } from './alert.js';
import { commandChanges } from '../lib/host-commands.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'falco';

// Falco's `user_mgmt_binaries` list (falcosecurity/rules), the programs that change accounts.
const USER_MGMT = new Set([
  'useradd', 'adduser', 'usermod', 'userdel', 'deluser', 'groupadd', 'addgroup', 'groupmod', 'groupdel', 'delgroup',
  'gpasswd', 'passwd', 'chpasswd', 'chage', 'chfn', 'chsh', 'newusers', 'vipw', 'vigr', 'pwconv', 'grpconv',
]);

function programOf(a: Alert): string | undefined {
  const cmd = a.command?.trim();
  const first = cmd === undefined ? a.program : cmd.slice(0, cmd.search(/\s|$/));
  return first?.slice(first.lastIndexOf('/') + 1);
}

/** The rule says a user-management program ran (Falco's own rule, or a local one such as AN1239's). */
function isUserManagement(a: Alert): boolean {
  if (/user (?:management|mgmt)/i.test(a.title)) return true;
  const program = programOf(a);
  return a.eventType === 'execve' && program !== undefined && USER_MGMT.has(program);
}

/** The rule says an account file was opened for writing (Falco's `Write below etc`, or a local rule). */
function isAccountFileWrite(a: Alert): boolean {
  if (a.file === undefined || !ACCOUNT_FILES.has(a.file) || /read/i.test(a.title)) return false;
  const program = programOf(a);
  // A user-management program writes these files as its job; its own alert covers it.
  return /writ|modif/i.test(a.title) && !(program !== undefined && USER_MGMT.has(program));
}

function containerOf(a: Alert): ContainerRef | undefined {
  const c: ContainerRef = {};
  if (a.containerId) c.id = a.containerId;
  if (a.containerName) c.name = a.containerName;
  if (a.image) c.image = a.image;
  if (a.pod) c.pod = a.pod;
  if (a.namespace) c.namespace = a.namespace;
  return Object.keys(c).length > 0 ? c : undefined;
}

function records(a: Alert, msg: SyslogMessage): AaaRecord[] {
  let changes: Change[] = [];
  if (isUserManagement(a) && a.command !== undefined) changes = commandChanges(a.command, a.user);
  else if (isAccountFileWrite(a)) changes = [{ action: 'account.modify', target: a.file!, technique: 'T1098' }];
  if (changes.length === 0) return NONE;
  const o: Origin = {
    time: recordTime(msg, a.stamp),
    device: a.hostname ?? msg.hostname ?? msg.source ?? 'unknown',
    platform: PLATFORM,
  };
  const container = containerOf(a);
  return changes.map((c) => {
    const r = accountRecord(o, { actor: a.user, path: 'os' }, c, a.command);
    if (container) r.container = container;
    return r;
  });
}

function recognise(msg: SyslogMessage): AaaRecord[] {
  const s = msg.message;
  if (s.charCodeAt(0) === 123) {
    if (!s.includes('"output_fields"')) return NONE;
    const o = parseJsonObject(s);
    const a = o && isJsonAlert(o) ? readJsonAlert(o) : undefined;
    return a ? records(a, msg) : NONE;
  }
  if (msg.appName !== 'falco') return NONE;
  const a = readTextAlert(s);
  return a ? records(a, msg) : NONE;
}

export const falco: Platform = {
  id: 'falco',
  name: 'Falco',
  recognise,
  // Offered: JSON alerts and the text alerts of falco's own program.
  offer: { texts: ['{'], programs: ['falco'] },
};
