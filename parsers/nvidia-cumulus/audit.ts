// Cumulus auditability: a remote syslog server in NVUE (`system: syslog: server: ADDRESS:`).
// Commands reach syslog through Linux's own logging (sudo, NVUE's `nv` history): no switch.

import { lineAudit } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  const found: string[] = [];
  let inSyslog: number | undefined;
  let inServer: number | undefined;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (inServer !== undefined && indent <= inServer) inServer = undefined;
    if (inSyslog !== undefined && indent <= inSyslog) inSyslog = undefined;
    if (/^\s*syslog:\s*$/.test(line)) inSyslog = indent;
    else if (inSyslog !== undefined && /^\s*server:\s*$/.test(line)) inServer = indent;
    else if (inServer !== undefined) {
      const m = /^\s*([0-9a-fA-F.:]+):/.exec(line);
      if (m && indent === inServer + 2) found.push(m[1]!);
    }
  }
  return [hosts(found, 'no NVUE `system syslog server`')];
});
