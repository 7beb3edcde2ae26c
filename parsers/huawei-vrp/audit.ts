// Huawei VRP auditability: commands accounted to an HWTACACS server (`cmd recording-scheme` in the
// `aaa` view), command records reaching the log host (`SHELL/5/CMDRECORD` is a notice: a loghost
// channel cut above it drops them, as does `undo info-center enable`), and an `info-center loghost`.

import { captured, hasLine, lineAudit } from '../lib/audit.js';

/** Severities above notification (CMDRECORD is level 5): a loghost channel at one of these drops the command records. */
const TOO_HIGH = /^info-center source \S+ channel (?:2|loghost) log (?:state on )?level (?:emergencies|alert|critical|error|warning)\b/;

export const audit = lineAudit((lines, hosts) => {
  const recording = hasLine(lines, /^\s*cmd recording-scheme \S+/);
  const off = hasLine(lines, /^undo info-center enable\b/);
  const cut = lines.find((l) => TOO_HIGH.test(l));
  return [
    {
      check: 'command-accounting',
      ok: recording,
      detail: recording ? 'cmd recording-scheme … (commands accounted to HWTACACS)' : 'no `cmd recording-scheme …` in the aaa view: commands are not accounted to an AAA server',
    },
    {
      check: 'config-logging',
      ok: !off && cut === undefined,
      detail: off ? '`undo info-center enable`: no log is sent' : cut !== undefined ? `\`${cut.trim()}\`: command records (level 5) do not reach the log host` : 'command records (SHELL/5/CMDRECORD) reach the log host',
    },
    hosts(captured(lines, /^info-center loghost (?:ipv6 |ipv4 )?(\S+)/), 'no `info-center loghost …`'),
  ];
});
