// aaawatch(1), written from the command tree (src/program.ts) through commander's own Help: the
// same usage lines, option terms and descriptions (defaults included) that `--help` prints, in
// man(7) markup. Generated when the package is built, so it cannot fall behind the commands.

import type { Command, Help } from 'commander';

export interface ManPageOptions {
  version: string;
  /** The date on the page (the commit's, for a reproducible package). */
  date: Date;
}

/**
 * Punctuation the help text uses, as glyphs every groff output device has: man renders with the
 * ASCII device under LANG=C, which has no `…` (a warning, and the character lost) but falls back
 * for these names (`\(em` as `--`).
 */
const GLYPHS: Readonly<Record<string, string>> = {
  '…': '...',
  '—': '\\(em',
  '–': '\\(en',
  '‘': '\\(oq',
  '’': '\\(cq',
  '“': '\\(lq',
  '”': '\\(rq',
  '→': '\\(->',
  '←': '\\(<-',
  '×': '\\(mu',
  '≤': '\\(<=',
  '≥': '\\(>=',
  '\u00a0': '\\ ',
};

/**
 * Text as roff shows it: backslashes and hyphens escaped, no line read as a request, and no
 * character outside ASCII left for the locale to decide (GLYPHS, else groff's \[uXXXX] name).
 */
export function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/[^\x00-\x7f]/gu, (c) => GLYPHS[c] ?? `\\[u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`)
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? '\\&' + line : line))
    .join('\n');
}

/** Every command below `cmd` (groups such as `user` before theirs), with the words that name it. */
export function* commandsOf(cmd: Command, help: Help, path: string[] = []): Generator<{ cmd: Command; path: string[] }> {
  for (const sub of help.visibleCommands(cmd)) {
    if (sub.name() === 'help') continue;
    const p = [...path, sub.name()];
    yield { cmd: sub, path: p };
    yield* commandsOf(sub, help, p);
  }
}

function commandSection(cmd: Command, help: Help): string[] {
  const out: string[] = [];
  const usage = help.commandUsage(cmd);
  out.push(`.SS "${roff(usage).replace(/"/g, '\\(dq')}"`);
  const description = help.commandDescription(cmd);
  if (description) out.push(roff(description));
  for (const a of help.visibleArguments(cmd)) {
    out.push('.TP', `.I ${roff(help.argumentTerm(a))}`, roff(help.argumentDescription(a)));
  }
  for (const o of help.visibleOptions(cmd)) {
    out.push('.TP', `.B ${roff(help.optionTerm(o))}`, roff(help.optionDescription(o)));
  }
  return out;
}

const FILES: Array<[string, string]> = [
  ['/etc/aaawatch/aaawatch.yaml', 'the configuration (config/aaawatch.example.yaml in the source documents every key)'],
  ['/var/lib/aaawatch/aaawatch.db', 'the SQLite store: records, counters, snapshots, findings (mode 0640)'],
  ['/var/lib/aaawatch/signing-key.pem', 'the Ed25519 key that signs evidence packs, made on first export'],
  ['/usr/share/doc/aaawatch/', 'the README, and the example configuration and roster'],
];

const ENVIRONMENT: Array<[string, string]> = [
  ['AAAWATCH_CONFIG', 'the configuration file when --config is not given'],
  ['AAAWATCH_NODE', 'the node binary /usr/bin/aaawatch runs (default: node on the PATH)'],
  ['NOTIFY_SOCKET, WATCHDOG_USEC', 'set by systemd for Type=notify: serve reports READY=1, STATUS= and STOPPING=1, and WATCHDOG=1 while its health checks pass'],
  ['JOURNAL_STREAM', 'set by systemd: log lines written to the journal carry their syslog priority'],
];

export function manPage(program: Command, o: ManPageOptions): string {
  const help = program.createHelp();
  const name = program.name();
  const day = o.date.toISOString().slice(0, 10);
  const lines = [
    `.\\" Generated from the ${name} command tree by packaging/docs/man.ts; do not edit.`,
    `.TH ${name.toUpperCase()} 1 "${day}" "${name} ${roff(o.version)}" "User Commands"`,
    '.SH NAME',
    `${name} \\- ${roff(help.commandDescription(program).replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase()))}`,
    '.SH SYNOPSIS',
    `.B ${name}`,
    '.I command',
    '.RI [ options ]',
    '.br',
    `.B ${name}`,
    '.RB [ \\-\\-version | \\-\\-help ]',
    '.SH DESCRIPTION',
    roff(
      `${name} receives syslog (UDP, TCP, TLS) from network devices, AAA servers, hosts and clouds, recognises ` +
        'account, command and session records in it, pulls device configurations over SSH, reconciles local ' +
        'accounts against an authorised roster, and keeps it all in one hash-chained SQLite file. ' +
        `"${name} serve" runs the collector; the other commands read and manage what it stores.`,
    ),
    '.PP',
    roff(`Every command takes --config FILE and --help; "${name} COMMAND --help" prints what this page says about it.`),
    '.SH COMMANDS',
  ];
  for (const { cmd } of commandsOf(program, help)) lines.push(...commandSection(cmd, help));
  lines.push('.SH FILES');
  for (const [f, what] of FILES) lines.push('.TP', `.I ${roff(f)}`, roff(what));
  lines.push('.SH ENVIRONMENT');
  for (const [v, what] of ENVIRONMENT) lines.push('.TP', `.B ${roff(v)}`, roff(what));
  lines.push('.SH SEE ALSO', '.BR systemctl (1),', '.BR journalctl (1),', '.BR logger (1)');
  return lines.join('\n') + '\n';
}
