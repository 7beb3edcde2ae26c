// Downloads for auditors (role auditor or admin): the account review for a chosen period and scope
// as the accounts, findings and decisions CSVs, the JSON, the PDF, and the signed evidence pack
// (streamed: it may carry hundreds of thousands of records), with the public key that checks the
// pack. The same under /api/exports for automation with a bearer token. Every export is logged
// with who took it, its period, scope and SHA-256; every refusal too.

import { createHash } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { DeviceRef, Scope } from '../reconcile/scope.js';
import { platforms as allPlatforms } from '../../parsers/index.js';
import { iso } from '../report/document.js';
import { exportPeriod, SCOPE_TEXT_CHARS, scopeFrom, scopeListProblem, scopeProblem } from '../report/period.js';
import { EXPORT_TYPES, isExportName } from '../report/render.js';
import type { SigningKey } from '../report/signing.js';
import { atLowestPriority } from '../thread-priority.js';
import { authOf, clientAddress, isApi, logRefusal, param, sendHtml, sendJson } from './context.js';
import { queryProblems } from './query.js';
import type { WebAccess } from './data/access.js';
import type { RosterState } from './roster-state.js';
import { errorPage, mayAudit, type PageContext } from './views/layout.js';
import { exportsPage, type ExportChoice } from './views/pages.js';

export interface ExportDeps {
  access: WebAccess;
  config: Config;
  log: Logger;
  signingKey: () => SigningKey;
  now: () => number;
  roster: () => RosterState;
  inventory: ReadonlyMap<string, DeviceRef>;
  ctxOf: (req: Request, res: Response) => PageContext;
}

/** `aaawatch-accounts-20261122T1502Z.csv`: the generation time in the name, so copies do not collide. */
export function downloadName(name: string, at: number): string {
  const stamp = new Date(at).toISOString().slice(0, 16).replace(/[-:]/g, '');
  const dot = name.lastIndexOf('.');
  return `aaawatch-${name.slice(0, dot)}-${stamp}Z${name.slice(dot)}`;
}

const PLATFORM_IDS = allPlatforms.map((p) => p.id).sort();

class ClientGone extends Error {}

/** Write a chunk; when the socket's buffer is full, wait for it to drain: a slow reader holds the writer back, so a large pack is never buffered whole. */
function writeOrWait(res: Response, chunk: Uint8Array): Promise<void> {
  if (res.destroyed) return Promise.reject(new ClientGone());
  if (res.write(chunk)) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const drained = (): void => {
      res.off('close', gone);
      resolve();
    };
    const gone = (): void => {
      res.off('drain', drained);
      reject(new ClientGone());
    };
    res.once('drain', drained);
    res.once('close', gone);
  });
}

/** The scope a choice names. */
const scopeOf = (choice: ExportChoice): Scope => scopeFrom((choice.devices ?? '').split(','), choice.group ? [choice.group] : [], choice.platform ? [choice.platform] : []);

/** What an export's address takes: its period and scope (query.ts queryProblems). */
const EXPORT_KEYS = ['from', 'to', 'devices', 'group', 'platform'] as const;

/** What a scope is checked against (period.ts scopeProblem); device names are read only when the scope names devices. */
interface KnownScope {
  groups: readonly string[];
  platforms: readonly string[];
  devices: () => Promise<readonly string[]>;
}

/** The period and scope picked on /exports (or given to the API), as typed and as read. */
async function choiceOf(source: unknown, now: number, known: KnownScope): Promise<{ choice: ExportChoice; problem?: string; period?: { from: number; to: number } }> {
  const choice: ExportChoice = {};
  for (const k of EXPORT_KEYS) {
    // Read whole (a list of devices is up to 50 names): a value cut here would be another scope.
    const v = param(source, k, SCOPE_TEXT_CHARS + 1);
    if (v !== undefined) choice[k] = v;
  }
  const period = exportPeriod(choice.from, choice.to, now);
  const scope = scopeOf(choice);
  const problem =
    'problem' in period
      ? period.problem
      : (choice.devices !== undefined && choice.devices.length > SCOPE_TEXT_CHARS ? `devices: at most ${SCOPE_TEXT_CHARS} characters` : undefined) ??
        scopeListProblem('devices', (choice.devices ?? '').split(',')) ??
        scopeProblem(scope, { ...known, devices: scope.devices.length ? await known.devices() : [] });
  return problem || 'problem' in period ? { choice, problem: problem ?? 'the period cannot be read' } : { choice, period };
}

export function setupExports(router: Router, d: ExportDeps): void {
  const groups = [...new Set([...d.inventory.values()].flatMap((x) => x.groups))].sort();
  const platforms = [...new Set([...d.inventory.values()].map((x) => x.platform))].sort();
  // A scope may name any platform (syslog-only devices have one too), only the inventory's groups, and
  // devices by the inventory's names or any the store holds (a syslog-only device's too).
  const known: KnownScope = { groups, platforms: PLATFORM_IDS, devices: async () => [...d.inventory.keys(), ...(await d.access.deviceNames())] };
  const refuse = async (req: Request, res: Response, status: number, message: string): Promise<void> => {
    if (status === 403) await logRefusal(d.access, req, res, message);
    if (isApi(req)) sendJson(res, { error: message }, status);
    else sendHtml(res, errorPage(d.ctxOf(req, res), status, message), status);
  };
  const allowed = async (req: Request, res: Response): Promise<boolean> => {
    if (mayAudit(authOf(res).user.role)) return true;
    await refuse(req, res, 403, `Your role (${authOf(res).user.role}) may not take exports; auditors and admins may.`);
    return false;
  };

  router.get('/exports', async (req, res) => {
    if (!(await allowed(req, res))) return;
    const key = d.signingKey();
    const { choice, problem: choiceProblem, period } = await choiceOf(req.query, d.now(), known);
    const problem = [...queryProblems(req.query, EXPORT_KEYS, false), ...(choiceProblem ? [choiceProblem] : [])].join('; ') || undefined;
    // The period as the export will read it: an end typed as a date is that day's last second, a start left out 90 days before the end.
    const shown = period && { from: iso(period.from), ...(choice.to ? { to: iso(period.to) } : {}) };
    sendHtml(res, exportsPage(d.ctxOf(req, res), { fingerprint: key.fingerprint, publicKeyPem: key.publicKeyPem, choice, groups, platforms, ...(problem ? { problem } : {}), ...(shown ? { period: shown } : {}) }));
  });

  const publicKey = async (req: Request, res: Response): Promise<void> => {
    if (!(await allowed(req, res))) return;
    res.type('application/x-pem-file').attachment('aaawatch-signing-key.pem').send(d.signingKey().publicKeyPem);
  };
  router.get('/exports/signing-key.pem', publicKey);
  router.get('/api/exports/signing-key.pem', publicKey);

  const download = async (req: Request, res: Response): Promise<void> => {
    const name = String(req.params.name);
    if (!isExportName(name)) {
      await refuse(req, res, 404, 'No such export.');
      return;
    }
    if (!(await allowed(req, res))) return;
    const r = d.roster();
    if (r.problem) {
      await refuse(req, res, 500, `The roster cannot be read, so the review cannot be exported: ${r.problem}`);
      return;
    }
    // A period or scope given twice, or (API) a name it does not take, would be read as absent: the whole default review.
    const named = queryProblems(req.query, EXPORT_KEYS, isApi(req));
    if (named.length) {
      await refuse(req, res, 400, named.join('; '));
      return;
    }
    const now = d.now();
    const { choice, problem, period } = await choiceOf(req.query, now, known);
    if (problem || !period) {
      await refuse(req, res, 400, problem ?? 'the period cannot be read');
      return;
    }
    const scope = scopeOf(choice);
    const user = authOf(res).user;
    const hash = createHash('sha256');
    let bytes = 0;
    // Seconds to minutes of CPU over a large store: at the lowest priority, so it takes only the
    // time intake leaves (src/thread-priority.ts); pages run at normal priority.
    const doc = await atLowestPriority(() =>
      d.access.review(d.config, r.roster, { now, by: `${user.name} (web)`, ...period, scope }, async (doc, write) => {
        const file = downloadName(name, now);
        res.status(200).type(EXPORT_TYPES[name]).attachment(file);
        try {
          await write(name, d.signingKey, async (chunk) => {
            hash.update(chunk);
            bytes += chunk.byteLength;
            await writeOrWait(res, chunk);
          }, file);
        } catch (err) {
          if (!(err instanceof ClientGone)) throw err;
          d.log.info({ user: user.name, file: name, bytes }, 'export abandoned: the client went away');
          return undefined;
        }
        return doc;
      }),
    );
    if (!doc) return;
    const sha256 = hash.digest('hex');
    // Logged before the download ends: whoever holds a whole export finds it in the activity log,
    // even a second node's export taken the moment the first one ends.
    await d.access.logActivity({ at: now, user: user.name, address: clientAddress(req), action: 'export', detail: { file: name, rows: doc.rows.length, findings: doc.findings.length, decisions: doc.decisions.length, bytes, sha256, period: doc.header.period, scope: doc.header.scope } });
    res.end();
    d.log.info({ user: user.name, file: name, bytes, sha256 }, 'export taken');
  };
  router.get('/exports/:name', download);
  router.get('/api/exports/:name', download);
}
