// AOS-CX auditability: commands accounted to a TACACS+ group (`aaa accounting all-mgmt … group`),
// and a remote `logging` host. Configuration changes reach syslog as the event log's entries
// whatever the configuration says, so there is no configuration-logging setting to check.

import { captured, hasLine, lineAudit } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  const accounting = hasLine(lines, /^aaa accounting all-mgmt \S+ (?:start-stop|stop-only) (?:local )?group \S+/);
  return [
    {
      check: 'command-accounting',
      ok: accounting,
      detail: accounting ? 'aaa accounting all-mgmt … group …' : 'no `aaa accounting all-mgmt default start-stop group …`: commands are not accounted to an AAA server',
    },
    hosts(captured(lines, /^logging (\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:]+|[\w.-]+\.[A-Za-z]{2,})(?:\s|$)/), 'no `logging ADDRESS`'),
  ];
});
