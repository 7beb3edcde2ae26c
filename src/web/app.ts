// The express application: security headers and a strict Content-Security-Policy, the
// stylesheet, sign-in, the pages, the JSON API under /api, and the exports. Routes only read
// the request, call the data and view functions (plain functions over the database handle), and
// answer; nothing here builds HTML by hand. Accounts, cases and exports have their own modules.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { pathJson } from '../reconcile/decision-path.js';
import { RequestError, TransitionError } from '../reconcile/lifecycle.js';
import { inventory as inventoryOf } from '../pull/inventory-file.js';
import { inventoryRefs } from '../report/document.js';
import type { SigningKey } from '../report/signing.js';
import { setupAccounts } from './accounts.js';
import { setupAuth } from './auth.js';
import { setupCases } from './cases.js';
import { authOf, clientAddress, decisionPath, isApi, logRefusal, param, sendHtml, sendJson, trustProxies } from './context.js';
import type { WebAccess } from './data/access.js';
import { type DeviceHealth, healthProblems, type InventoryDevice, type UnverifiedSender, withSenderDevices } from './data/devices.js';
import { EVENT_KINDS, type EventKind, type EventQuery } from './data/events.js';
import { isFindingSort, isSeverity, isStatusFilter, historyView, parseEvidence, type FindingQuery } from './data/findings.js';
import { DECISION_STATUS, isDecision, readDecision, type DecisionAction } from './decisions.js';
import { setupExports } from './exports.js';
import { setupObserveRoutes } from './metrics.js';
import type { ObservePages } from '../observe/service.js';
import { FailureLimiter, LIMIT_KEYS, RefusalSampler } from './limiter.js';
import { cursorText, direction, wholeNumber, type Page } from './paging.js';
import { checkedQuery, CURSOR, stalePosition, WHOLE } from './query.js';
import { rosterSource } from './roster-state.js';
import { parseUtc, timeView } from './time.js';
import { auditPage } from './views/audit.js';
import { devicePage, devicesPage, type DeviceModel } from './views/devices.js';
import { findingPage, findingsPage, type FindingModel } from './views/findings.js';
import { errorPage, mayAudit, type PageContext } from './views/layout.js';
import { overviewModel, overviewPage } from './views/overview.js';
import { activityPage } from './views/pages.js';
import { rosterPage } from './views/roster.js';

export interface WebDeps {
  /** The store, through the web's data access (SQLite or PostgreSQL). */
  access: WebAccess;
  config: Config;
  log: Logger;
  /** The evidence-pack key, made on first use. */
  signingKey: () => SigningKey;
  /** Served over TLS: cookies are Secure and `__Host-` named, HSTS is sent. */
  secure: boolean;
  /** /metrics and /healthz (src/web/metrics.ts); absent, they are not served. */
  observe?: ObservePages;
  now?: () => number;
}

function stylesheet(): { css: string; etag: string } {
  // From src/web/app.ts (tsx) the file is beside this one; from dist/src/web/app.js it is in the source tree.
  const candidates = [new URL('./static/style.css', import.meta.url), new URL('../../../src/web/static/style.css', import.meta.url)].map((u) => fileURLToPath(u));
  const path = candidates.find((p) => existsSync(p));
  if (!path) throw new Error(`the stylesheet is missing (looked in ${candidates.join(', ')})`);
  const css = readFileSync(path, 'utf8');
  return { css, etag: `"${createHash('sha256').update(css).digest('hex').slice(0, 16)}"` };
}

function cursorJson<T>(page: Page<T>): { older: string | null; newer: string | null; scannedTo: number | null } {
  return { older: page.older ? cursorText(page.older) : null, newer: page.newer ? cursorText(page.newer) : null, scannedTo: page.scannedTo ?? null };
}

const DECIDED_TEXT: Record<DecisionAction, string> = { acknowledge: 'Acknowledged.', accept: 'Accepted.', resolve: 'Resolved.', reopen: 'Reopened.' };

export function createApp(deps: WebDeps): express.Express {
  const { access, config, log } = deps;
  const now = deps.now ?? Date.now;
  const web = config.web;
  const zone = web.localZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  const time = timeView(zone);
  const silentHours = config.reconcile.telemetry.silentHours;
  // The configuration's devices and the inventory file's, as pulls and ingest see them.
  const inventory: InventoryDevice[] = inventoryOf(config.devices, config.pull).map((d) => ({ name: d.name, address: d.address, platform: d.platform, groups: d.groups, pull: d.pull, ...(d.zone ? { zone: d.zone } : {}), ...(d.logNames?.length ? { logNames: d.logNames } : {}) }));
  const inventoryByName = new Map(inventory.map((d) => [d.name, d]));
  const refs = inventoryRefs(config);
  const roster = rosterSource(config);
  const style = stylesheet();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  // Only listed proxies are believed; otherwise X-Forwarded-For is ignored and the socket's address is the client's.
  app.set('trust proxy', trustProxies(web.trustedProxies));

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          ...(deps.secure ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: deps.secure ? { maxAge: 31_536_000, includeSubDomains: false } : false,
      referrerPolicy: { policy: 'no-referrer' },
      frameguard: { action: 'deny' },
      crossOriginEmbedderPolicy: { policy: 'require-corp' },
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  app.get('/static/style.css', (req, res) => {
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.setHeader('ETag', style.etag);
    if (req.headers['if-none-match'] === style.etag) {
      res.status(304).end();
      return;
    }
    res.type('text/css; charset=utf-8').send(style.css);
  });
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });

  app.use(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }));
  app.use('/api', express.json({ limit: '16kb' }));

  const windowMs = web.loginWindowMinutes * 60_000;
  const refusing = {
    access,
    limiter: new FailureLimiter(access, { windowMs, lockoutMs: web.loginLockoutMinutes * 60_000, maxKeys: LIMIT_KEYS }, async (pruned, at) => {
      log.warn({ pruned, bound: LIMIT_KEYS }, 'sign-in limiter past its bound: the states ending soonest forgotten');
      await access.logActivity({ at, user: 'aaawatch', address: null, action: 'login.limits.pruned', detail: { pruned, bound: LIMIT_KEYS } });
    }),
    refusals: new RefusalSampler(windowMs),
    maxFailures: web.loginMaxFailures,
  };
  if (deps.observe) {
    setupObserveRoutes(app, {
      pages: deps.observe,
      allow: web.metrics.allow,
      auth: { ...refusing, secure: deps.secure, idleMs: web.sessionIdleMinutes * 60_000, maxMs: web.sessionMaxHours * 3_600_000, now },
    });
  }

  const router = express.Router();
  app.use(router);
  setupAuth(router, {
    ...refusing,
    log,
    secure: deps.secure,
    idleMs: web.sessionIdleMinutes * 60_000,
    maxMs: web.sessionMaxHours * 3_600_000,
    now,
  });

  const ctxOf = (req: Request, res: Response): PageContext => {
    const auth = authOf(res);
    return { user: auth.user, csrf: auth.csrf ?? '', time, zone, now: now(), path: req.path };
  };
  const limit = web.pageSize;

  // ---- Overview ---------------------------------------------------------------------------------
  const overview = async (): Promise<ReturnType<typeof overviewModel>> => {
    const t = now();
    const [devices, counts, counters, perHour, unverified, native] = await Promise.all([
      access.allDeviceHealth(inventory), access.openFindingCounts(), access.counters(), access.recordsPerHour(t, 48), access.unverifiedSenders(inventory, 0),
      access.nativeSenders(limit),
    ]);
    const health = devices.map((h) => ({ health: h, problems: healthProblems(h, t, silentHours * 3_600_000) }));
    return overviewModel(counts, health, counters, perHour, silentHours, unverified.total, native);
  };
  // While the store cannot be written (disk full), the overview says so first.
  // The health report comes from the main thread (the store thread's state lives there).
  const unwritable = async (): Promise<string | undefined> => {
    // A page is still shown when the main thread cannot answer (it is stopping).
    const check = deps.observe ? (await Promise.resolve().then(() => deps.observe?.health()).catch(() => undefined))?.checks.writable : undefined;
    return check && !check.ok ? check.detail : undefined;
  };
  router.get('/', async (req, res) => {
    const stuck = await unwritable();
    sendHtml(res, overviewPage(ctxOf(req, res), await overview(), stuck));
  });
  router.get('/api/overview', checkedQuery([], ctxOf), async (_req, res) => {
    const stuck = await unwritable();
    const m = await overview();
    sendJson(res, {
      store: { writable: stuck === undefined, ...(stuck ? { problem: stuck } : {}) },
      findings: { bySeverity: Object.fromEntries(m.totals), byStatus: Object.fromEntries(m.byStatus), byKind: Object.fromEntries([...m.grid].map(([k, v]) => [k, Object.fromEntries(v)])) },
      devices: { total: m.devices.total, ...m.devices.counts, unverifiedSenders: m.devices.unverified, attention: m.devices.worst.map((w) => ({ ...w.health, problems: w.problems })) },
      counters: Object.fromEntries(m.counters.map((c) => [c.name, c.value])),
      recordsPerHour: m.perHour.map((h) => ({ hour: new Date(h.hour).toISOString(), records: h.records })),
      nativeSenders: { total: m.native.total, rows: m.native.rows.map((n) => ({
        ...n, lastSeen: new Date(n.lastSeen).toISOString(), lastMalformed: n.lastMalformed === null ? null : new Date(n.lastMalformed).toISOString(),
      })) },
    });
  });

  // ---- Findings ---------------------------------------------------------------------------------
  // The parameters each route takes (query.ts checkedQuery: one given twice is refused, and on the API one not listed).
  const PAGING = ['before', 'after'];
  /** The shapes of the values (query.ts): a page's position; on a device's page also the two snapshots it diffs. */
  const PAGED = { before: CURSOR, after: CURSOR };
  const DEVICE_SHAPES = { ...PAGED, from: WHOLE, to: WHOLE };
  const FINDING_KEYS = ['severity', 'status', 'kind', 'device', 'account', 'sort', 'reverse', ...PAGING];
  const DEVICE_KEYS = ['from', 'to', 'kind', ...PAGING];
  const AUDIT_KEYS = ['device', 'actor', 'target', 'text', 'kind', 'from', 'to', ...PAGING];
  const findingQuery = (q: unknown): FindingQuery => {
    const severity = param(q, 'severity');
    const status = param(q, 'status');
    const out: FindingQuery = { status: isStatusFilter(status) ? status : 'unresolved' };
    const kind = param(q, 'kind', 64);
    const device = param(q, 'device');
    const account = param(q, 'account');
    if (kind) out.kind = kind;
    if (isSeverity(severity)) out.severity = severity;
    if (device) out.device = device;
    if (account) out.account = account;
    const sort = param(q, 'sort', 16);
    if (isFindingSort(sort)) out.sort = sort;
    if (param(q, 'reverse', 1) === '1') out.reverse = true;
    return out;
  };
  /** A findings page asked for at a finding that is not there (Page.stale): refused as a stale link, page and API. */
  const staleFindings = (req: Request, res: Response): void => {
    const given = PAGING.flatMap((k) => (typeof req.query[k] === 'string' ? [[k, req.query[k] as string] as const] : []));
    const message = `${given.map(([k]) => k).join(', ')}: names no finding; a position as a page link gives it`;
    if (isApi(req)) sendJson(res, { error: message }, 400);
    else stalePosition(req, res, ctxOf(req, res), given, PAGING, message);
  };
  router.get('/findings', checkedQuery(FINDING_KEYS, ctxOf, PAGED), async (req, res) => {
    const q = findingQuery(req.query);
    const page = await access.listFindings(q, direction(req.query), limit);
    if (page.stale) return staleFindings(req, res);
    sendHtml(res, findingsPage(ctxOf(req, res), q, page));
  });
  router.get('/api/findings', checkedQuery(FINDING_KEYS, ctxOf, PAGED), async (req, res) => {
    const page = await access.listFindings(findingQuery(req.query), direction(req.query), limit);
    if (page.stale) return staleFindings(req, res);
    sendJson(res, { findings: page.rows.map((f) => ({ ...f, evidence: parseEvidence(f.evidence) })), ...cursorJson(page) });
  });

  const findingModel = async (id: number): Promise<FindingModel | undefined> => {
    const finding = await access.getFinding(id);
    if (!finding) return undefined;
    const evidence = parseEvidence(finding.evidence);
    const [history, events, pair] = await Promise.all([
      access.findingHistory(id), access.eventsWithRaw(evidence.events.slice(-200)), access.snapshotPair(finding.device, evidence.snapshots),
    ]);
    return { finding, history, evidence, events, ...(pair ? { diff: pair } : {}) };
  };
  const findingId = (req: Request): number | undefined => {
    const raw = req.params.id;
    return typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
  };
  router.get('/findings/:id', checkedQuery(['done'], ctxOf), async (req, res) => {
    const id = findingId(req);
    const m = id === undefined ? undefined : await findingModel(id);
    if (!m) {
      sendHtml(res, errorPage(ctxOf(req, res), 404, 'No such finding.'), 404);
      return;
    }
    const done = param(req.query, 'done');
    sendHtml(res, findingPage(ctxOf(req, res), m, done && isDecision(done) ? DECIDED_TEXT[done] : undefined));
  });
  router.get('/api/findings/:id', checkedQuery([], ctxOf), async (req, res) => {
    const id = findingId(req);
    const m = id === undefined ? undefined : await findingModel(id);
    if (!m) {
      sendJson(res, { error: 'no such finding' }, 404);
      return;
    }
    sendJson(res, { finding: { ...m.finding, evidence: m.evidence }, history: m.history.map(historyView), records: m.events, diff: m.diff ?? null });
  });

  /** One decision, from a form or the API; answers with what went wrong or undefined. */
  const takeDecision = async (req: Request, res: Response, action: string): Promise<{ status: number; message: string } | undefined> => {
    const auth = authOf(res);
    const id = findingId(req);
    if (id === undefined || !(await access.getFinding(id))) return { status: 404, message: 'No such finding.' };
    const t = now();
    const d = readDecision(req.body, action, auth.user.role, t);
    if ('status' in d) {
      if (d.status === 403) await logRefusal(access, req, res, d.message, t);
      return d;
    }
    const path = decisionPath(auth);
    try {
      await access.decide(id, DECISION_STATUS[d.action], { by: auth.user.name, path, reason: d.reason, at: t, ...(d.until !== undefined ? { until: d.until } : {}), ...(d.ticket ? { ticket: d.ticket } : {}) });
    } catch (err) {
      if (err instanceof RequestError) return { status: 400, message: err.message };
      if (err instanceof TransitionError) return { status: 409, message: err.message };
      throw err;
    }
    await access.logActivity({
      at: t, user: auth.user.name, address: clientAddress(req), action: `finding.${d.action}`,
      detail: { finding: id, reason: d.reason, path: pathJson(path), ...(d.until !== undefined ? { until: new Date(d.until).toISOString() } : {}), ...(d.ticket ? { ticket: d.ticket } : {}) },
    });
    return undefined;
  };
  router.post('/findings/:id/:action', async (req, res) => {
    const action = String(req.params.action);
    const failed = await takeDecision(req, res, action);
    if (failed) {
      sendHtml(res, errorPage(ctxOf(req, res), failed.status, failed.message), failed.status);
      return;
    }
    res.redirect(303, `/findings/${findingId(req)}?done=${encodeURIComponent(action)}`);
  });
  router.post('/api/findings/:id/:action', async (req, res) => {
    const failed = await takeDecision(req, res, String(req.params.action));
    if (failed) {
      sendJson(res, { error: failed.message }, failed.status);
      return;
    }
    sendJson(res, { finding: await access.getFinding(findingId(req)!) });
  });

  // ---- Devices ----------------------------------------------------------------------------------
  const deviceList = async (from: string | undefined): Promise<{ rows: Array<{ health: DeviceHealth; problems: ReturnType<typeof healthProblems>; platform?: string }>; next?: string }> => {
    const t = now();
    const page = await access.deviceList(inventory, from, limit);
    return { rows: page.rows.map((r) => ({ ...r, problems: healthProblems(r.health, t, silentHours * 3_600_000) })), ...(page.next ? { next: page.next } : {}) };
  };
  const unverifiedList = async (): Promise<{ rows: UnverifiedSender[]; total: number }> => {
    const list = await access.unverifiedSenders(inventory, limit);
    return { ...list, rows: withSenderDevices(list.rows, inventory) };
  };
  router.get('/devices', checkedQuery(['from'], ctxOf), async (req, res) => {
    const from = param(req.query, 'from');
    const [list, unverified] = await Promise.all([deviceList(from), from ? undefined : unverifiedList()]);
    sendHtml(res, devicesPage(ctxOf(req, res), list.rows, list.next, from, unverified));
  });
  router.get('/api/devices', checkedQuery(['from'], ctxOf), async (req, res) => {
    const from = param(req.query, 'from');
    const [list, unverified] = await Promise.all([deviceList(from), from ? undefined : unverifiedList()]);
    sendJson(res, {
      devices: list.rows.map((r) => ({ ...r.health, platform: r.platform ?? null, problems: r.problems })),
      next: list.next ?? null,
      ...(unverified ? { unverifiedSenders: unverified } : {}),
    });
  });

  const deviceKind = (q: unknown): EventKind | undefined => {
    const k = param(q, 'kind');
    return (EVENT_KINDS as readonly string[]).includes(k ?? '') ? (k as EventKind) : undefined;
  };
  const deviceModel = async (name: string, q: Request['query']): Promise<DeviceModel | undefined> => {
    const fromId = wholeNumber(param(q, 'from') ?? '');
    const toId = wholeNumber(param(q, 'to') ?? '');
    const diff = fromId !== undefined && toId !== undefined && fromId > 0 && toId > 0 ? [fromId, toId] : [];
    const kind = deviceKind(q);
    const [view, events] = await Promise.all([access.device(inventory, name, diff), access.searchEvents({ device: name, ...(kind ? { kind } : {}) }, direction(q), limit)]);
    if (!view) return undefined;
    const { health } = view;
    return {
      name,
      inventory: inventoryByName.get(name),
      health,
      problems: health ? healthProblems(health, now(), silentHours * 3_600_000) : [],
      detail: view.detail,
      checks: view.checks,
      ...(view.diff ? { diff: view.diff } : {}),
      events,
      kind,
      silentHours,
      senders: view.senders,
      unverified: view.unverified,
    };
  };
  router.get('/devices/:name', checkedQuery(DEVICE_KEYS, ctxOf, DEVICE_SHAPES), async (req, res) => {
    const m = await deviceModel(String(req.params.name), req.query);
    if (!m) {
      sendHtml(res, errorPage(ctxOf(req, res), 404, 'aaawatch knows no device by that name.'), 404);
      return;
    }
    sendHtml(res, devicePage(ctxOf(req, res), m));
  });
  router.get('/api/devices/:name', checkedQuery(DEVICE_KEYS, ctxOf, DEVICE_SHAPES), async (req, res) => {
    const m = await deviceModel(String(req.params.name), req.query);
    if (!m) {
      sendJson(res, { error: 'no such device' }, 404);
      return;
    }
    const { detail, events, ...rest } = m;
    sendJson(res, {
      ...rest,
      accounts: detail.accounts.map((a) => ({ ...a, roles: JSON.parse(a.roles) as unknown, credentials: JSON.parse(a.credentials) as unknown, lines: JSON.parse(a.lines) as unknown })),
      changes: detail.changes,
      snapshots: detail.snapshots,
      hostKey: detail.hostKey ? { fingerprint: detail.hostKey.fingerprint, keyType: detail.hostKey.key_type, source: detail.hostKey.source, pinnedAt: detail.hostKey.pinned_at } : null,
      hostKeyChange: detail.hostKeyChange ? { fingerprint: detail.hostKeyChange.fingerprint, firstSeen: detail.hostKeyChange.first_seen } : null,
      records: events.rows,
      ...cursorJson(events),
    });
  });

  // ---- Audit trail ------------------------------------------------------------------------------
  const auditQuery = (q: unknown): { query: EventQuery; problems: string[] } => {
    const query: EventQuery = {};
    const problems: string[] = [];
    for (const key of ['device', 'actor', 'target', 'text'] as const) {
      const v = param(q, key);
      if (v) query[key] = v;
    }
    const kind = deviceKind(q);
    if (kind) query.kind = kind;
    for (const key of ['from', 'to'] as const) {
      const text = param(q, key, 40);
      if (!text) continue;
      const ms = parseUtc(text);
      if (ms === undefined) problems.push(`${key}: not a UTC date or date and time (2026-11-20 or 2026-11-20T14:00)`);
      else query[key] = ms;
    }
    return { query, problems };
  };
  router.get('/audit', checkedQuery(AUDIT_KEYS, ctxOf, PAGED), async (req, res) => {
    const { query, problems } = auditQuery(req.query);
    sendHtml(res, auditPage(ctxOf(req, res), query, await access.searchEvents(query, direction(req.query), limit), problems));
  });
  router.get('/api/events', checkedQuery(AUDIT_KEYS, ctxOf, PAGED), async (req, res) => {
    const { query, problems } = auditQuery(req.query);
    if (problems.length) {
      sendJson(res, { error: problems.join('; ') }, 400);
      return;
    }
    const page = await access.searchEvents(query, direction(req.query), limit);
    sendJson(res, { records: page.rows, ...cursorJson(page) });
  });

  // ---- Roster -----------------------------------------------------------------------------------
  router.get('/roster', (req, res) => {
    const r = roster();
    sendHtml(res, rosterPage(ctxOf(req, res), r.roster, r.problem));
  });
  router.get('/api/roster', checkedQuery([], ctxOf), (_req, res) => {
    const r = roster();
    if (r.problem) sendJson(res, { error: r.problem }, 500);
    else sendJson(res, r.roster ?? null);
  });

  // ---- Activity and exports ---------------------------------------------------------------------
  router.get('/activity', checkedQuery(PAGING, ctxOf, PAGED), async (req, res) => {
    const auth = authOf(res);
    if (!mayAudit(auth.user.role)) {
      const message = 'Your role may not read the web activity log.';
      await logRefusal(access, req, res, message);
      sendHtml(res, errorPage(ctxOf(req, res), 403, message), 403);
      return;
    }
    const page = await access.activity(direction(req.query), limit);
    sendHtml(res, activityPage(ctxOf(req, res), page));
  });

  setupAccounts(router, { access, config, log, now, roster, inventory: refs, pageSize: limit, ctxOf });
  setupCases(router, { access, config, now, roster, inventory: refs, pageSize: limit, ctxOf });
  setupExports(router, { access, config, log, signingKey: deps.signingKey, now, roster, inventory: refs, ctxOf });

  router.use((req, res) => {
    if (isApi(req)) sendJson(res, { error: 'not found' }, 404);
    else sendHtml(res, errorPage(ctxOf(req, res), 404, 'No such page.'), 404);
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err, path: req.path }, 'web request failed');
    // A download already under way cannot change its status: cut it, so the client sees it incomplete.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = status === 500 ? 'Something went wrong; the log says what.' : 'The request could not be read.';
    if (isApi(req)) sendJson(res, { error: message }, status);
    else res.status(status).type('text/plain').send(message);
  });
  return app;
}
