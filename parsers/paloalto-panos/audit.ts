// Palo Alto PAN-OS auditability: config logs forwarded to syslog (`log-settings config … send-syslog`)
// and a syslog server profile, in XML or `set` form. PAN-OS has no command accounting to check.

import { captured, hasLine, lineAudit } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  const text = lines.join('\n');
  const servers = [...text.matchAll(/<syslog>[\s\S]*?<\/syslog>/g)].flatMap((m) => [...m[0].matchAll(/<server>([^<\s]+)<\/server>/g)].map((x) => x[1]!));
  const setServers = captured(lines, /^set (?:shared )?log-settings syslog \S+ server \S+ server (\S+)/);
  const configToSyslog = /<log-settings>[\s\S]*?<config>[\s\S]*?<send-syslog>/.test(text) || hasLine(lines, /^set (?:shared )?log-settings config match-list \S+ send-syslog /);
  return [
    { check: 'config-logging', ok: configToSyslog, detail: configToSyslog ? 'config logs forwarded to syslog' : 'config logs are not forwarded: no `log-settings config match-list … send-syslog`' },
    hosts([...servers, ...setServers], 'no syslog server profile'),
  ];
});
