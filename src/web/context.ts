// Small request helpers shared by the routes: query values, the signed-in user, responses.

import type { Request, Response } from 'express';
import { safeJson } from '../report/formats.js';
import type { WebAccess } from './data/access.js';
import type { SafeHtml } from './html.js';
import type { WebUser } from './store.js';

export interface Auth {
  user: WebUser;
  /** The session's form token; undefined for bearer-token requests (no cookie, no CSRF risk). */
  csrf: string | undefined;
  via: 'session' | 'token';
}

/** A single query or form value, bounded; arrays and nested values are ignored. */
export function param(source: unknown, name: string, max = 512): string | undefined {
  if (source === null || typeof source !== 'object') return undefined;
  const v = (source as Record<string, unknown>)[name];
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t.slice(0, max);
}

export function authOf(res: Response): Auth {
  const auth = res.locals.auth as Auth | undefined;
  if (!auth) throw new Error('route reached without authentication');
  return auth;
}

export function sendHtml(res: Response, page: SafeHtml, status = 200): void {
  res.status(status).type('text/html; charset=utf-8').send(page.value);
}

export function sendJson(res: Response, value: unknown, status = 200): void {
  res.status(status).type('application/json; charset=utf-8').send(safeJson(value, 0));
}

export function isApi(req: Request): boolean {
  return req.path === '/api' || req.path.startsWith('/api/');
}

/** The client's address: the socket's, or, behind a proxy listed in web.trustedProxies, the one it forwarded (express's `trust proxy`). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** A signed-in user refused an action (403): written to the activity log with what was asked and why. */
export function logRefusal(access: WebAccess, req: Request, res: Response, why: string, at = Date.now()): Promise<void> {
  return access.logActivity({ at, user: authOf(res).user.name, address: clientAddress(req), action: 'refused', detail: { method: req.method, path: req.path, role: authOf(res).user.role, why } });
}
