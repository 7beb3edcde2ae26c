// FortiManager auditability: administrator actions are accounted to a TACACS+ server only with
// `config system admin tacacs` and a remote-auth admin; event logs reach syslog through `config
// system locallog syslogd setting` (`set status enable`, `set severity` at information or below)
// and a `config system syslog` server.

import { lineAudit } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  const text = lines.join('\n');
  const syslogd = /^config system locallog syslogd setting\n((?:.*\n)*?)end$/m.exec(text)?.[1] ?? '';
  const on = /^\s*set status enable\b/m.test(syslogd);
  const severity = /^\s*set severity (\S+)/m.exec(syslogd)?.[1];
  const detailed = severity === undefined || ['information', 'notification', 'debug'].includes(severity);
  const block = /^config system syslog\n((?:.*\n)*?)end$/m.exec(text)?.[1] ?? '';
  const servers = [...block.matchAll(/^\s*set ip "?([^"\s]+)"?/gm)].map((m) => m[1]!);
  return [
    {
      check: 'config-logging',
      ok: on && detailed,
      detail: !on ? 'no `config system locallog syslogd setting` / `set status enable`: events are not sent to syslog' : detailed ? 'event logs sent to syslog' : `syslog severity ${severity}: administrator events (information) are dropped`,
    },
    hosts(servers, 'no `config system syslog` server'),
  ];
});
