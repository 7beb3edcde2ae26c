// Small request helpers shared by the routes: query values, the signed-in user, responses.

import { isIP, isIPv4, isIPv6 } from 'node:net';
import type { Request, Response } from 'express';
import { createAllowList } from '../ingest/allow.js';
import { safeJson } from '../report/formats.js';
import type { DecisionPath } from '../reconcile/decision-path.js';
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

/** How a decision made in this request reaches the store: the signed-in session, or the token and its user. */
export function decisionPath(auth: Auth): DecisionPath {
  const t = auth.user.token;
  return auth.via === 'token' && t ? { kind: 'api', user: auth.user.name, tokenId: t.id, token: t.label } : { kind: 'web', user: auth.user.name };
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

/**
 * An address as a proxy forwarded it, without the port some write beside it (Azure Application
 * Gateway's `203.0.113.9:50123`, `[2001:db8::1]:443`, `[2001:db8::1]`): kept, the port would make
 * each of one client's connections a source of its own for the sign-in limit. Anything that is no
 * address with a port is returned as it is.
 */
export function forwardedAddress(text: string): string {
  const t = text.trim();
  if (isIP(t)) return t;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(t);
  if (bracketed && isIPv6(bracketed[1]!)) return bracketed[1]!;
  const v4 = /^([\d.]+):\d{1,5}$/.exec(t);
  return v4 && isIPv4(v4[1]!) ? v4[1]! : text;
}

/**
 * express's `trust proxy` for web.trustedProxies: a hop is believed when its address, read as
 * forwardedAddress reads it, is a listed proxy (an inner proxy a listed one names with a port too).
 */
export function trustProxies(cidrs: readonly string[]): ((address: string) => boolean) | false {
  if (cidrs.length === 0) return false;
  const listed = createAllowList(cidrs);
  return (address) => {
    const a = forwardedAddress(address);
    return isIP(a) !== 0 && listed(a);
  };
}

/**
 * The client's address: the socket's, or, behind a proxy listed in web.trustedProxies, the one it
 * forwarded (express's `trust proxy`). A forwarded value that is no address (`unknown`, or text a
 * client sent that a proxy passed on) is not believed: the proxy's socket is the source, so no text
 * makes a new source for the limits (each of 25 such requests was counted as its own) nor reaches
 * the activity log as an address.
 */
export function clientAddress(req: Request): string {
  const forwarded = forwardedAddress(req.ip ?? '');
  return isIP(forwarded) ? forwarded : forwardedAddress(req.socket.remoteAddress ?? 'unknown');
}

/** A signed-in user refused an action (403): written to the activity log with what was asked and why. */
export function logRefusal(access: WebAccess, req: Request, res: Response, why: string, at = Date.now()): Promise<void> {
  return access.logActivity({ at, user: authOf(res).user.name, address: clientAddress(req), action: 'refused', detail: { method: req.method, path: req.path, role: authOf(res).user.role, why } });
}
