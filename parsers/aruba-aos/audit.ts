// ArubaOS auditability: management commands accounted to the TACACS+ server (Instant's
// `mgmt-accounting`; the controllers' setting is unverified and so reads as missing), and a syslog
// server (controllers `logging IP`, Instant `syslog-server IP`).

import { captured, hasLine, lineAudit } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  const accounting = hasLine(lines, /^\s*mgmt-accounting\b/) || hasLine(lines, /^\s*mgmt-accounting-server\b/);
  return [
    {
      check: 'command-accounting',
      ok: accounting,
      detail: accounting ? 'mgmt-accounting …' : 'no `mgmt-accounting`: management commands are not accounted to an AAA server',
    },
    hosts(captured(lines, /^\s*(?:logging|syslog-server)\s+(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:]+)(?:\s|$)/), 'no `logging ADDRESS` (controller) or `syslog-server ADDRESS` (Instant)'),
  ];
});
