// Direct edits of the account databases, seen by an audit watch such as
// `-w /etc/passwd -p wa -k identity` (the CIS/STIG rule): a SYSCALL record carrying the watch key
// and the program, then PATH records naming the file, all sharing one event serial. The SYSCALL
// is remembered (bounded) until its PATH arrives.

import type { AuditRecord } from './audit-record.js';
import { value } from './audit-record.js';
import { actorOf } from './audit-changes.js';
import { ACCOUNT_FILES } from '../lib/account-files.js';
import { ArrivalOrder } from '../lib/arrival-order.js';

// Tools that report their own changes (ADD_USER, USER_MGMT, …), so their writes add nothing.
const ACCOUNT_TOOLS = new Set([
  'useradd', 'usermod', 'userdel', 'groupadd', 'groupmod', 'groupdel', 'gpasswd', 'passwd', 'chpasswd', 'chage',
  'chfn', 'chsh', 'newusers', 'adduser', 'deluser', 'addgroup', 'delgroup',
]);

interface Syscall {
  actor?: string | undefined;
  exe?: string | undefined;
  /** Set once a record was made for the event, so its second PATH adds nothing. */
  done: boolean;
}

export interface Edit {
  file: string;
  actor?: string | undefined;
  exe?: string | undefined;
}

const MAX_PENDING = 256;

export class Watches {
  private readonly syscalls = new ArrivalOrder<Syscall>();

  /** The account-file edit this record completes, if any. */
  add(r: AuditRecord): Edit | undefined {
    if (r.serial === undefined) return undefined;
    const key = `${r.node ?? ''}:${r.serial}`;
    if (r.type === 'SYSCALL') {
      if (value(r, 'key') === undefined || value(r, 'success') !== 'yes') return undefined;
      const exe = value(r, 'exe');
      const tool = exe?.slice(exe.lastIndexOf('/') + 1);
      if (tool !== undefined && ACCOUNT_TOOLS.has(tool)) return undefined;
      this.syscalls.set(key, { actor: actorOf(r), exe, done: false });
      this.syscalls.bound(MAX_PENDING);
      return undefined;
    }
    if (r.type !== 'PATH') return undefined;
    const file = value(r, 'name');
    const call = this.syscalls.get(key);
    if (!call || call.done || file === undefined || !ACCOUNT_FILES.has(file)) return undefined;
    call.done = true;
    return { file, actor: call.actor, exe: call.exe };
  }
}
