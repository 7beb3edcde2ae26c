// Cisco NX-OS auditability: commands accounted (`aaa accounting default group`), the accounting
// log let through to syslog (`logging level aaa 6`), and a `logging server`.

import { captured, hasLine, lineAudit } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  const accounting = hasLine(lines, /^aaa accounting default group\s+\S+/);
  // The accounting log reaches syslog as %AAA-6-AAA_ACCOUNTING_MESSAGE: severity 6, above the aaa facility's default level.
  const aaaLevel = /^logging level aaa ([0-7])\b/.exec(lines.find((l) => l.startsWith('logging level aaa ')) ?? '');
  const logged = aaaLevel !== null && Number(aaaLevel[1]) >= 6;
  return [
    { check: 'command-accounting', ok: accounting, detail: accounting ? 'aaa accounting default group …' : 'no `aaa accounting default group …`' },
    {
      check: 'config-logging',
      ok: logged,
      detail: logged ? `logging level aaa ${aaaLevel![1]}` : 'no `logging level aaa 6`: the accounting log (AAA_ACCOUNTING_MESSAGE, severity 6) does not reach syslog',
    },
    hosts(captured(lines, /^logging server (\S+)/), 'no `logging server …`'),
  ];
});
