// Snare's `MSWinEventLog` syslog format: tab-separated, the event's rendered message last but one.
//   MSWinEventLog<TAB>1<TAB>Security<TAB>6901<TAB>Fri Sep 17 16:37:26 2021<TAB>4720<TAB>
//   Microsoft-Windows-Security-Auditing<TAB>N/A<TAB>N/A<TAB>Success Audit<TAB>HOST<TAB>
//   User Account Management<TAB><TAB>A user account was created.    Subject:   Security ID: …<TAB>54
// The rendered message separates labels and values with runs of spaces (tabs and newlines were
// flattened by Snare); a label with an empty value is directly followed by the next label.
// The outcome field is Snare's `Success Audit`/`Failure Audit`, or NXLog's event type
// (`AUDIT_SUCCESS`/`AUDIT_FAILURE`) where a relay rebuilt the line from NXLog's fields (Graylog's
// syslog output plugin, whose README shows a 4726 so).

import { parseCtime } from '../lib/record-time.js';
import type { WinEvent } from './events.js';

/** The outcome field of a change that happened: Snare's own word, or NXLog's event type. */
const SUCCESS: ReadonlySet<string> = new Set(['Success Audit', 'AUDIT_SUCCESS']);

export interface SnareEvent {
  event: WinEvent;
  /** The event's own stamp (the host's wall clock, no zone). */
  stamp?: number | undefined;
}

// Headings of the message's sections (Microsoft's event descriptions for 4720–4767; a group made
// is under `New Group:` (4727, 4731) or `Group:` (4754), one removed under `Deleted Group:` (4730)
// or `Group:` (4734, 4758)).
const SECTIONS = new Set([
  'Subject:', 'New Account:', 'Target Account:', 'Member:', 'Group:', 'Attributes:', 'Changed Attributes:',
  'Additional Information:', 'Account Information:', 'New Group:', 'Deleted Group:',
]);

/** Section → label → value, first occurrence of each. */
function readSections(message: string): Map<string, string> {
  const out = new Map<string, string>();
  const tokens = message.split(/ {2,}|\t/, 512);
  let section = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.trim();
    if (SECTIONS.has(t)) {
      section = t.slice(0, -1);
      continue;
    }
    let label: string;
    let value: string;
    if (t.endsWith(':')) {
      label = t.slice(0, -1);
      const next = tokens[i + 1]?.trim();
      value = next !== undefined && !next.endsWith(':') && !SECTIONS.has(next) ? (i++, next) : '';
    } else {
      // `SAM Account Name: bob` keeps a single space between label and value.
      const colon = t.indexOf(': ');
      if (colon < 0) continue;
      label = t.slice(0, colon);
      value = t.slice(colon + 2);
    }
    const key = `${section}.${label}`;
    if (!out.has(key)) out.set(key, value);
  }
  return out;
}

export function readSnare(fields: string[]): SnareEvent | undefined {
  if (fields.length < 14) return undefined;
  const id = Number(fields[5]);
  if (!Number.isInteger(id)) return undefined;
  const s = readSections(fields[13]!);
  const newAccount = s.has('New Account.Account Name');
  const group = s.has('Group.Group Name') ? 'Group' : s.has('New Group.Group Name') ? 'New Group' : s.has('Deleted Group.Group Name') ? 'Deleted Group' : undefined;
  const account = newAccount ? 'New Account' : 'Target Account';
  const event: WinEvent = {
    id,
    success: SUCCESS.has(fields[9]!),
    computer: fields[10] || undefined,
    subjectUserName: s.get('Subject.Account Name'),
    targetUserName: group ? s.get(`${group}.Group Name`) : s.get(`${account}.Account Name`),
    targetSid: s.get(`${account}.Security ID`) ?? (group ? s.get(`${group}.Security ID`) : undefined),
    targetDomainName: group ? s.get(`${group}.Group Domain`) : s.get(`${account}.Account Domain`),
    // 4781: `Target Account:  Security ID: …  Account Domain: …  Old Account Name: …  New Account Name: …`.
    oldTargetUserName: s.get('Target Account.Old Account Name'),
    newTargetUserName: s.get('Target Account.New Account Name'),
    memberName: s.get('Member.Account Name'),
    memberSid: s.get('Member.Security ID'),
  };
  return { event, stamp: parseCtime(fields[4]!) };
}
