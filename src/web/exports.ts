// Downloads for auditors (role auditor or admin): the reconciliation as CSV, JSON, PDF and the
// signed evidence pack, and the public key that checks the pack. The same under /api/exports
// for automation with a bearer token. Every export is logged with who took it and its SHA-256.

import type { Request, Response, Router } from 'express';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Roster } from '../reconcile/roster.js';
import { buildDocument } from '../report/document.js';
import { sha256Hex } from '../report/evidence.js';
import { isExportName, renderExport, type ExportName } from '../report/render.js';
import type { SigningKey } from '../report/signing.js';
import type { Db } from '../store/db.js';
import { authOf, clientAddress, isApi, param, sendHtml, sendJson } from './context.js';
import { logActivity } from './store.js';
import { parseUtc } from './time.js';
import { errorPage, mayAudit, type PageContext } from './views/layout.js';
import { exportsPage } from './views/pages.js';

export interface ExportDeps {
  db: Db;
  config: Config;
  log: Logger;
  signingKey: () => SigningKey;
  now: () => number;
  roster: () => { roster?: Roster; problem?: string };
  ctxOf: (req: Request, res: Response) => PageContext;
}

const TYPES: Record<ExportName, string> = {
  'reconciliation.csv': 'text/csv; charset=utf-8; header=present',
  'reconciliation.json': 'application/json; charset=utf-8',
  'report.pdf': 'application/pdf',
  'evidence.zip': 'application/zip',
};

/** `aaawatch-reconciliation-20261122T1502Z.csv`: the generation time in the name, so copies do not collide. */
export function downloadName(name: ExportName, at: number): string {
  const stamp = new Date(at).toISOString().slice(0, 16).replace(/[-:]/g, '');
  const [base, ext] = name.split('.') as [string, string];
  return `aaawatch-${base}-${stamp}Z.${ext}`;
}

export function setupExports(router: Router, d: ExportDeps): void {
  const refuse = (req: Request, res: Response, status: number, message: string): void => {
    if (isApi(req)) sendJson(res, { error: message }, status);
    else sendHtml(res, errorPage(d.ctxOf(req, res), status, message), status);
  };
  const allowed = (req: Request, res: Response): boolean => {
    if (mayAudit(authOf(res).user.role)) return true;
    refuse(req, res, 403, `Your role (${authOf(res).user.role}) may not take exports; auditors and admins may.`);
    return false;
  };

  router.get('/exports', (req, res) => {
    if (!allowed(req, res)) return;
    const key = d.signingKey();
    sendHtml(res, exportsPage(d.ctxOf(req, res), { fingerprint: key.fingerprint, publicKeyPem: key.publicKeyPem }));
  });

  const publicKey = (req: Request, res: Response): void => {
    if (!allowed(req, res)) return;
    res.type('application/x-pem-file').attachment('aaawatch-signing-key.pem').send(d.signingKey().publicKeyPem);
  };
  router.get('/exports/signing-key.pem', publicKey);
  router.get('/api/exports/signing-key.pem', publicKey);

  const download = async (req: Request, res: Response): Promise<void> => {
    const name = String(req.params.name);
    if (!isExportName(name)) {
      refuse(req, res, 404, 'No such export.');
      return;
    }
    if (!allowed(req, res)) return;
    const r = d.roster();
    if (r.problem) {
      refuse(req, res, 500, `The roster cannot be read, so the reconciliation cannot be exported: ${r.problem}`);
      return;
    }
    const now = d.now();
    const fromText = param(req.query, 'from', 40);
    const from = parseUtc(fromText);
    if (fromText && (from === undefined || from >= now)) {
      refuse(req, res, 400, 'from: a UTC date before now, like 2026-08-01');
      return;
    }
    const user = authOf(res).user;
    const doc = buildDocument(d.db, d.config, r.roster, { now, by: `${user.name} (web)`, ...(from !== undefined ? { from } : {}) });
    const data = await renderExport(name, doc, d.signingKey);
    const sha256 = sha256Hex(data);
    logActivity(d.db, { at: now, user: user.name, address: clientAddress(req), action: 'export', detail: { file: name, rows: doc.rows.length, findings: doc.findings.length, bytes: data.byteLength, sha256 } });
    d.log.info({ user: user.name, file: name, sha256 }, 'export taken');
    res.type(TYPES[name]).attachment(downloadName(name, now)).send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  };
  router.get('/exports/:name', download);
  router.get('/api/exports/:name', download);
}
