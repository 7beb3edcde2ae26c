// Comware auditability: commands accounted to HWTACACS (`accounting command hwtacacs-scheme S` in
// an ISP domain, with `command accounting` on the lines), commands and logins reaching a log host
// (`info-center loghost`; SHELL_CMD is level 6, so the loghost must not be cut above informational).

import { captured, hasLine, lineAudit } from '../lib/audit.js';

export const audit = lineAudit((lines, hosts) => {
  const accounting = hasLine(lines, /^\s*accounting command hwtacacs-scheme \S+/) && hasLine(lines, /^\s*command accounting\b/);
  const cut = lines.find((l) => /^info-center source \S+ loghost (?:deny|level (?:emergency|alert|critical|error|warning|notification))\b/.test(l));
  const off = hasLine(lines, /^undo info-center enable\b/);
  return [
    {
      check: 'command-accounting',
      ok: accounting,
      detail: accounting ? 'accounting command hwtacacs-scheme … with command accounting on the lines' : 'no `accounting command hwtacacs-scheme …` with `command accounting`: commands are not accounted to an AAA server',
    },
    {
      check: 'config-logging',
      ok: !off && cut === undefined,
      detail: off ? '`undo info-center enable`: no log is sent' : cut !== undefined ? `\`${cut.trim()}\`: command records (SHELL_CMD, level 6) do not reach the log host` : 'command records (SHELL/6/SHELL_CMD) reach the log host',
    },
    hosts(captured(lines, /^info-center loghost (?:vpn-instance \S+ )?(?:ipv6 )?(\S+)/), 'no `info-center loghost …`'),
  ];
});
