// `aaawatch findings [--status S] [--sort COLUMN [--reverse]] [--json]`: the findings and where they
// stand, newest activity first or in an order of the findings page;
// `aaawatch finding show ID`: one finding with its attribution, evidence and history;
// `aaawatch finding ack|accept|resolve|reopen ID --by NAME --reason TEXT [--until DATE] [--ticket REF]`:
// a reviewer's decision, recorded with who and when, and in the activity log with the system user who
// ran the command (--by is what the reviewer typed; the web logs its signed-in user the same way);
// `aaawatch case ack|accept|resolve|reopen CASE... --by NAME --reason TEXT [--until DATE] [--ticket REF]`:
// one decision on many cases in one transaction, as the Cases page and /api/cases/decide take it;
// `aaawatch case list [--severity S] [--undecided] [--device D] [--account A] [--kind K]`: the cases, as the Cases page lists them.

import type { Command } from 'commander';
import { findingFromRow, findingNow, type Finding, type FindingStatus, type Severity } from '../reconcile/findings.js';
import type { HistoryEntry } from '../reconcile/lifecycle.js';
import { pathJson, pathText } from '../reconcile/decision-path.js';
import { parseWhen } from '../reconcile/roster.js';
import { isoSeconds, printable } from '../reconcile/text.js';
import { openWebAccess } from '../web/data/open.js';
import { FINDING_SORTS, type FindingQuery, type FindingSort } from '../web/data/findings.js';
import type { Direction } from '../web/paging.js';
import type { Config } from '../config/schema.js';
import type { CaseCursor, CaseKey, CaseQuery } from '../reconcile/cases.js';
import { TransitionError } from '../reconcile/lifecycle.js';
import type { WebAccess } from '../web/data/access.js';
import { DECISION_STATUS, decisionProblem, type DecisionAction } from '../web/decisions.js';
import { cliPath, cliPathNote, cliUser, configFrom, positiveInteger, printJson, withConfig, type ConfigOptions, UsageError } from './common.js';
import { withStore } from './store-of.js';
import { typed } from '../report/text.js';

const STATUSES: readonly FindingStatus[] = ['open', 'acknowledged', 'accepted', 'resolved'];
const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** A finding for `--json`: times as ISO 8601 UTC. */
export function findingJson(f: Finding): Record<string, unknown> {
  return {
    id: f.id, kind: f.kind, severity: f.severity, status: f.status, device: f.device, account: f.account, summary: f.summary,
    attribution: f.attribution, technique: f.technique, firstSeen: isoSeconds(f.firstSeen), lastSeen: isoSeconds(f.lastSeen),
    occurrences: f.occurrences, acceptedUntil: isoSeconds(f.acceptedUntil), evidence: f.evidence,
  };
}

function historyJson(h: HistoryEntry): Record<string, unknown> {
  return { at: isoSeconds(h.at), by: h.by, path: pathJson(h.path), from: h.from, to: h.to, reason: typed(h.reason), until: isoSeconds(h.until), severity: h.severity };
}

const cell = (s: string, width: number): string => {
  const p = printable(s);
  return (p.length > width ? p.slice(0, width - 1) + '…' : p).padEnd(width);
};

/** The findings as a table on stdout (device text made printable). */
export function printFindingsTable(findings: readonly Finding[]): void {
  process.stdout.write(`${'id'.padStart(6)}  ${'severity'.padEnd(8)}  ${'status'.padEnd(12)}  ${'kind'.padEnd(21)}  ${'device'.padEnd(20)}  ${'account'.padEnd(16)}  summary\n`);
  for (const f of findings) {
    process.stdout.write(
      `${String(f.id).padStart(6)}  ${f.severity.padEnd(8)}  ${f.status.padEnd(12)}  ${f.kind.padEnd(21)}  ${cell(f.device, 20)}  ${cell(f.account, 16)}  ${printable(f.summary, Infinity)}\n`,
    );
  }
}

function statusesFrom(value: string | undefined): FindingStatus[] | undefined {
  if (value === undefined) return ['open', 'acknowledged', 'accepted'];
  if (value === 'all') return undefined;
  const list = value.split(',').map((s) => s.trim());
  const bad = list.filter((s) => !STATUSES.includes(s as FindingStatus));
  if (bad.length) throw new UsageError(`--status: unknown status ${bad.join(', ')} (${STATUSES.join(', ')}, all)`);
  return list as FindingStatus[];
}

function findingId(value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${value}: a finding id is a number (see aaawatch findings)`);
  return Number(value);
}

interface TransitionOptions extends ConfigOptions {
  by: string;
  reason: string;
  until?: string;
  ticket?: string;
  json?: boolean;
}

/** The decision's options as typed, checked as the web checks a form's: the acceptance's end, the reason, the ticket. */
function decisionFrom(opts: TransitionOptions, action: DecisionAction, at: number): { until?: number; ticket?: string } {
  const until = opts.until === undefined ? undefined : parseWhen(opts.until, true);
  if (opts.until !== undefined && until === undefined) throw new UsageError(`--until ${opts.until}: give a date (2026-12-31) or a time with its zone (2026-12-31T18:00:00Z)`);
  // A past end is a wrong option value (exit 2), as a date that does not exist is; the web answers 400.
  const problem = decisionProblem({ action, reason: opts.reason.trim() || undefined, until: action === 'accept' ? until : undefined }, at);
  if (problem) throw new UsageError(problem === 'the acceptance must end in the future' ? `--until ${opts.until}: ${problem}` : `--reason: ${problem}`);
  const ticket = opts.ticket?.trim();
  if (ticket && ticket.length > 200) throw new UsageError('--ticket: at most 200 characters (a reference, as the web takes it)');
  return { ...(until !== undefined ? { until } : {}), ...(ticket ? { ticket } : {}) };
}

/** Cases decided by one command at most, as the web takes at once. */
const MAX_CASES = 500;

/**
 * A case as given on the command line: a finding id (the case that finding is in), or a case key
 * as the Cases page's form sends it, `["DEVICE","ACCOUNT"]` (`""` for the device's own findings).
 */
async function caseFrom(access: WebAccess, value: string): Promise<CaseKey> {
  if (/^\d+$/.test(value)) {
    const f = await access.getFinding(Number(value));
    if (!f) throw new UsageError(`${value}: no finding with that id (see aaawatch findings)`);
    return { device: f.device, account: f.account };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const [device, account] = Array.isArray(parsed) && parsed.length === 2 ? (parsed as unknown[]) : [];
  if (typeof device !== 'string' || device === '' || typeof account !== 'string' || device.length > 1024 || account.length > 1024) {
    throw new UsageError(`${printable(value, 80)}: a case is a finding id or ["DEVICE","ACCOUNT"] (as JSON; "" for the device's own findings)`);
  }
  return { device, account };
}

/** A decision's options, the same for one finding and for many cases: who, why, the ticket, and until when for an acceptance. */
function decisionOptions(cmd: Command, to: FindingStatus): Command {
  cmd
    .requiredOption('--by <name>', 'who decides (recorded as the reviewer)')
    .requiredOption('--reason <text>', 'why (recorded; auditors read it)')
    .option('--ticket <ref>', 'the change or risk ticket the decision cites');
  if (to === 'accepted') cmd.requiredOption('--until <date>', 'until when the acceptance holds: a date (end of that day, UTC) or a time with its zone');
  return cmd;
}

function registerCaseDecision(kase: Command, name: string, action: DecisionAction, description: string): void {
  const to = DECISION_STATUS[action];
  const cmd = decisionOptions(withConfig(kase.command(name))
    .description(description)
    .argument('<case...>', 'finding ids (each decides the case it is in) and/or case keys ["DEVICE","ACCOUNT"]')
    .option('--json', 'print what was decided as JSON'), to);
  cmd.action(async (values: string[], opts: TransitionOptions) => {
    if (values.length > MAX_CASES) throw new UsageError(`at most ${MAX_CASES} cases at once`);
    const access = await openWebAccess(await configFrom(opts), { connections: 1, mustExist: true });
    try {
      const at = Date.now();
      const decision = decisionFrom(opts, action, at);
      const path = cliPath();
      const keys: CaseKey[] = [];
      for (const v of values) {
        const k = await caseFrom(access, v);
        if (!keys.some((o) => o.device === k.device && o.account === k.account)) keys.push(k);
      }
      let outcome;
      try {
        // One transaction for every case, as the web's bulk decision: all of them, or (a case with nothing open) none.
        outcome = await access.decideCases(keys, to, { by: opts.by, path, reason: opts.reason, at, ...decision });
      } catch (err) {
        if (err instanceof TransitionError) throw new Error(`${err.message}; nothing decided`);
        throw err;
      }
      // Logged as the web logs a bulk decision (case.<action>, with the cases, the findings decided
      // and those left), with who ran it as well as the reviewer named.
      await access.logActivity({
        at, user: cliUser(), address: null, action: `case.${action}`,
        detail: {
          by: opts.by, reason: opts.reason, path: pathJson(path), ...(decision.until !== undefined ? { until: new Date(decision.until).toISOString() } : {}), ...(decision.ticket ? { ticket: decision.ticket } : {}),
          cases: outcome.map((o) => ({ device: o.device, account: o.account, decided: o.decided, skipped: o.skipped })),
        },
      });
      if (opts.json) printJson({ action, ...(decision.ticket ? { ticket: decision.ticket } : {}), path: pathJson(path), cases: outcome });
      else {
        for (const o of outcome) {
          const skipped = o.skipped.length ? `; left ${o.skipped.map((s) => `${s.id} (${s.why})`).join(', ')}` : '';
          process.stdout.write(`${printable(o.device)}${o.account ? `, ${printable(o.account)}` : ''}: ${action} ${o.decided.length ? `findings ${o.decided.join(', ')}` : 'no finding'}${skipped}\n`);
        }
        process.stdout.write(`${cliPathNote(path)}\n`);
      }
    } finally {
      await access.close();
    }
  });
}

function registerTransition(finding: Command, name: string, action: DecisionAction, description: string): void {
  const to = DECISION_STATUS[action];
  const cmd = decisionOptions(withConfig(finding.command(name))
    .description(description)
    .argument('<id>', 'the finding id')
    .option('--json', 'print the finding as JSON afterwards'), to);
  cmd.action(async (id: string, opts: TransitionOptions) => {
    const until = opts.until === undefined ? undefined : parseWhen(opts.until, true);
    if (opts.until !== undefined && until === undefined) throw new UsageError(`--until ${opts.until}: give a date (2026-12-31) or a time with its zone (2026-12-31T18:00:00Z)`);
    // Through the web's data access, so a decision from the shell on a PostgreSQL store is taken as the web takes it.
    const access = await openWebAccess(await configFrom(opts), { connections: 1, mustExist: true });
    try {
      const at = Date.now();
      // A past end is a wrong option value (exit 2), as a date that does not exist is; the web answers 400.
      if (until !== undefined && until <= at) throw new UsageError(`--until ${opts.until}: the acceptance must end in the future`);
      const ticket = opts.ticket?.trim();
      if (ticket && ticket.length > 200) throw new UsageError('--ticket: at most 200 characters (a reference, as the web takes it)');
      const path = cliPath();
      await access.decide(findingId(id), to, { by: opts.by, path, reason: opts.reason, at, ...(until !== undefined ? { until } : {}), ...(ticket ? { ticket } : {}) });
      // As the web logs a decision (finding.<action>), with who ran it as well as the reviewer named.
      await access.logActivity({
        at, user: cliUser(), address: null, action: `finding.${action}`,
        detail: { finding: findingId(id), by: opts.by, reason: opts.reason, path: pathJson(path), ...(until !== undefined ? { until: new Date(until).toISOString() } : {}), ...(ticket ? { ticket } : {}) },
      });
      const f = findingFromRow((await access.getFinding(findingId(id)))!);
      if (opts.json) printJson({ ...findingJson(f), path: pathJson(path) });
      else process.stdout.write(`finding ${f.id} is ${f.status}${f.acceptedUntil !== null ? ` until ${isoSeconds(f.acceptedUntil)}` : ''} (${f.kind} on ${printable(f.device)}${f.account ? `, ${printable(f.account)}` : ''}); ${cliPathNote(path)}\n`);
    } finally {
      await access.close();
    }
  });
}

/** Findings read a page at a time in the findings page's order (the web's data access, either engine). */
const SORTED_PAGE = 500;

/**
 * The findings in the order the findings page lists them (`q`: its filters and order, every status),
 * kept to `statuses` (the command line's list; undefined for all), at most `limit`.
 */
async function sortedFindings(config: Config, q: FindingQuery, statuses: FindingStatus[] | undefined, limit: number | undefined, now: number): Promise<Finding[]> {
  const access = await openWebAccess(config, { connections: 1, mustExist: true });
  try {
    const out: Finding[] = [];
    let dir: Direction = {};
    for (;;) {
      const page = await access.listFindings(q, dir, SORTED_PAGE);
      for (const row of page.rows) {
        const f = findingNow(findingFromRow(row), now);
        if (statuses && !statuses.includes(f.status)) continue;
        out.push(f);
        if (out.length === limit) return out;
      }
      if (!page.older || page.rows.length < SORTED_PAGE) return out;
      dir = { before: page.older };
    }
  } finally {
    await access.close();
  }
}

export function registerFindings(program: Command): void {
  withConfig(program.command('findings'))
    .description('findings: unauthorised, over-privileged, expired, missing and dormant accounts, unlogged changes, blind spots, failed pulls')
    .option('--status <list>', `comma-separated: ${STATUSES.join(', ')}, or all (default: open,acknowledged,accepted)`)
    .option('--kind <kind>', 'only this kind (unauthorised-account, privilege-mismatch, …)')
    .option('--severity <severity>', `only this severity (${SEVERITIES.join(', ')})`)
    .option('--device <name>', 'only this device')
    .option('--account <name>', 'only this account')
    .option('--limit <n>', 'at most this many, newest first (or first in the --sort order)', positiveInteger)
    .option('--sort <column>', `the findings page's order: ${FINDING_SORTS.join(', ')} (severity: most severe first, then most recently seen, as the page lists them; default: newest activity first)`)
    .option('--reverse', 'with --sort: the order turned round')
    .option('--json', 'one JSON object per finding')
    .action(async (opts: ConfigOptions & { status?: string; kind?: string; severity?: string; device?: string; account?: string; limit?: number; sort?: string; reverse?: boolean; json?: boolean }) => {
      if (opts.severity !== undefined && !SEVERITIES.includes(opts.severity as Severity)) throw new UsageError(`--severity: unknown severity ${opts.severity}`);
      if (opts.sort !== undefined && !(FINDING_SORTS as readonly string[]).includes(opts.sort)) throw new UsageError(`--sort: one of ${FINDING_SORTS.join(', ')}`);
      if (opts.reverse && opts.sort === undefined) throw new UsageError('--reverse turns a --sort order round: give --sort');
      const status = statusesFrom(opts.status);
      const filter = {
        ...(opts.kind ? { kind: opts.kind } : {}), ...(opts.severity ? { severity: opts.severity as Severity } : {}),
        ...(opts.device ? { device: opts.device } : {}), ...(opts.account ? { account: opts.account } : {}),
      };
      const config = await configFrom(opts);
      // As the finding stands now (an acceptance that ran out is open), as the exports read it at
      // their period's end, whether or not reconciliation has written the reopening yet.
      const now = Date.now();
      const findings = opts.sort !== undefined
        ? await sortedFindings(config, { ...filter, status: 'any', sort: opts.sort as FindingSort, reverse: opts.reverse === true }, status, opts.limit, now)
        : await withStore(config, (store) => store.findings({ now, ...(status ? { status } : {}), ...filter, ...(opts.limit ? { limit: opts.limit } : {}) }));
      if (opts.json) for (const f of findings) printJson(findingJson(f));
      else printFindingsTable(findings);
    });

  const finding = program.command('finding').description('one finding: show it, or record a decision (ack, accept, resolve, reopen)');
  withConfig(finding.command('show'))
    .description('a finding with its attribution, evidence and history')
    .argument('<id>', 'the finding id')
    .option('--json', 'as JSON')
    .action(async (id: string, opts: ConfigOptions & { json?: boolean }) => {
      const { f, history } = await withStore(await configFrom(opts), async (store) => {
        const stored = await store.finding(findingId(id));
        const f = stored && findingNow(stored, Date.now());
        return { f, history: f ? await store.findingHistory(f.id) : [] };
      });
      if (!f) throw new Error(`no finding ${id}`);
      if (opts.json) {
        printJson({ ...findingJson(f), history: history.map(historyJson) });
        return;
      }
      const lines = [
        `finding ${f.id}: ${f.kind}, ${f.severity}, ${f.status}${f.acceptedUntil !== null ? ` until ${isoSeconds(f.acceptedUntil)}` : ''}`,
        `device:      ${printable(f.device)}`,
        ...(f.account ? [`account:     ${printable(f.account)}`] : []),
        `summary:     ${printable(f.summary, Infinity)}`,
        ...(f.attribution ? [`attribution: ${printable(f.attribution, Infinity)}`] : []),
        ...(f.technique ? [`technique:   ${f.technique}`] : []),
        `seen:        ${isoSeconds(f.firstSeen)} … ${isoSeconds(f.lastSeen)} (${f.occurrences}×)`,
        `evidence:    ${printable(JSON.stringify(f.evidence), Infinity)}`,
        'history:',
        ...history.map((h) => `  ${isoSeconds(h.at)}  ${printable(h.by).padEnd(16)} ${(h.from ?? '-').padEnd(12)} → ${h.to.padEnd(12)} ${h.until !== null ? `until ${isoSeconds(h.until)} ` : ''}${h.reason ? printable(typed(h.reason).text, Infinity) : ''}\n      via ${printable(pathText(h.path), Infinity)}`),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
  registerTransition(finding, 'ack', 'acknowledge', 'acknowledge: a reviewer has seen it and is dealing with it');
  registerTransition(finding, 'accept', 'accept', 'accept the risk until a date, with a reason; it reopens then');
  registerTransition(finding, 'resolve', 'resolve', 'resolve: it is fixed (a condition that still holds is raised again)');
  registerTransition(finding, 'reopen', 'reopen', 'take back an acknowledgement or acceptance');

  const kase = program.command('case').description('cases (the unresolved findings of one account): the list, as the Cases page shows it, and one decision on many at once, with a ticket');
  withConfig(kase.command('list'))
    .description('open cases, worst first, as the Cases page and /api/cases list them, with their filters')
    .option('--severity <severity>', `at least this severity (${SEVERITIES.join(', ')})`)
    .option('--undecided', 'only cases with findings nobody has decided on yet')
    .option('--device <name>', 'only this device')
    .option('--account <name>', 'only this account')
    .option('--kind <kind>', 'only cases holding a finding of this kind')
    .option('--limit <n>', 'at most this many', positiveInteger)
    .option('--json', 'one JSON object per case (as /api/cases gives them)')
    .action(async (opts: ConfigOptions & { severity?: string; undecided?: boolean; device?: string; account?: string; kind?: string; limit?: number; json?: boolean }) => {
      if (opts.severity !== undefined && !SEVERITIES.includes(opts.severity as Severity)) throw new UsageError(`--severity: unknown severity ${opts.severity}`);
      const q: CaseQuery = {
        ...(opts.severity ? { severity: opts.severity as Severity } : {}), ...(opts.undecided ? { undecided: true } : {}),
        ...(opts.device ? { device: opts.device } : {}), ...(opts.account ? { account: opts.account } : {}), ...(opts.kind ? { kind: opts.kind } : {}),
      };
      const access = await openWebAccess(await configFrom(opts), { connections: 1, mustExist: true });
      try {
        if (!opts.json) process.stdout.write(`${'case'.padStart(6)}  ${'severity'.padEnd(8)}  findings  undecided  ${'last seen'.padEnd(20)}  ${'device'.padEnd(20)}  ${'account'.padEnd(16)}  kinds\n`);
        let after: CaseCursor | undefined;
        let printed = 0;
        for (;;) {
          const page = await access.listCases(q, after, SORTED_PAGE);
          for (const c of page.rows) {
            if (opts.json) printJson(c);
            else {
              process.stdout.write(
                `${String(c.id).padStart(6)}  ${c.severity.padEnd(8)}  ${String(c.findings).padStart(8)}  ${String(c.undecided).padStart(9)}  ${isoSeconds(c.lastSeen)!.padEnd(20)}  ` +
                  `${printable(c.device, Infinity).padEnd(20)}  ${printable(c.account, Infinity).padEnd(16)}  ${c.kinds.join(', ')}\n`,
              );
            }
            if (++printed === opts.limit) return;
          }
          if (!page.next) return;
          after = page.next;
        }
      } finally {
        await access.close();
      }
    });
  registerCaseDecision(kase, 'ack', 'acknowledge', 'acknowledge every open finding of each case');
  registerCaseDecision(kase, 'accept', 'accept', 'accept the risk of each case until a date, with a reason; its findings reopen then');
  registerCaseDecision(kase, 'resolve', 'resolve', 'resolve every unresolved finding of each case');
  registerCaseDecision(kase, 'reopen', 'reopen', 'take back the acknowledgements and acceptances of each case');
}
