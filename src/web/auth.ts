// Sign-in, sessions and API tokens. Pages need a session cookie (HttpOnly, SameSite=Strict,
// Secure and `__Host-` named over TLS); `/api` also takes `Authorization: Bearer <token>`.
// Every state-changing request made with a cookie carries the session's CSRF token (a form
// field, or the X-CSRF-Token header for API calls); the sign-in form carries one bound to a
// pre-session cookie, so a foreign page cannot sign a victim in as someone else.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response, Router } from 'express';
import type { Logger } from '../log.js';
import type { WebAccess } from './data/access.js';
import { authOf, clientAddress, isApi, logRefusal, param, sendHtml, sendJson, type Auth } from './context.js';
import { addressKey, limitSource, nameKey, type FailureLimiter, type RefusalSampler } from './limiter.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';
import { loginPage } from './views/pages.js';

export interface AuthOptions {
  access: WebAccess;
  log: Logger;
  secure: boolean;
  idleMs: number;
  maxMs: number;
  limiter: FailureLimiter;
  /** Refusals of requests from nobody signed in, sampled for the activity log. */
  refusals: RefusalSampler;
  /** Refused sign-ins per user name within the limiter's window. */
  maxFailures: number;
  now: () => number;
}

/** What refusing someone not signed in needs. */
export type RefusalOptions = Pick<AuthOptions, 'access' | 'limiter' | 'refusals' | 'maxFailures'>;

/**
 * A bearer token that opens nothing (unknown, expired, revoked) is a refused sign-in: logged, and
 * counted against its source like a wrong password, so a source that keeps trying is locked out
 * (and logged once in a while, not once a request). Says how long to wait when the source is locked.
 */
export async function refuseToken(o: RefusalOptions, req: Request, now: number): Promise<{ retryAfter?: number }> {
  const address = clientAddress(req);
  const limit = await o.limiter.attempt([{ key: addressKey(address), max: o.maxFailures * 4 }], now);
  if (limit.allowed) await o.limiter.fail(limit.ticket, now);
  if (limit.allowed || limit.log) {
    // A token that ran out is its owner's: the entry names them and the token's label (never its value), as a wrong password
    // names the user; `label`, not `token`, which the secret gate redacts as a key, so the entry's body stays checkable.
    const token = bearerToken(req);
    const expired = token === undefined ? undefined : await o.access.expiredToken(token, now);
    const whose = expired ? { label: expired.label, expired: expired.expiredAt === null ? null : new Date(expired.expiredAt).toISOString() } : {};
    const detail = limit.allowed ? { method: req.method, path: req.path, ...whose } : { method: req.method, path: req.path, ...whose, retryAfter: limit.retryAfter, refusedWhileLocked: limit.refused };
    await o.access.logActivity({ at: now, user: expired?.user ?? '(unknown token)', address, action: limit.allowed ? 'token.refused' : 'token.limited', detail });
  }
  return limit.allowed ? {} : { retryAfter: limit.retryAfter };
}

/**
 * A request from nobody signed in, refused (401; 403 for a sign-in form that did not come from this
 * site, or /metrics from elsewhere): logged at its source's 1st, 10th, 100th… such refusal in the
 * window, with the count, so every source refused is in the log and a flood writes a handful of lines.
 */
export async function refuseAnonymous(o: RefusalOptions, req: Request, now: number, status: number, why: string): Promise<void> {
  const address = clientAddress(req);
  const seen = o.refusals.note(limitSource(address), now);
  if (!seen.log) return;
  await o.access.logActivity({ at: now, user: '(not signed in)', address, action: 'refused', detail: { method: req.method, path: req.path, status, why, refusedFromSource: seen.count } });
}

/** The request carries a bearer token (an API client's, or a scraper's at /metrics). */
export const hasBearer = (req: Request): boolean => /^Bearer\s/i.test(req.headers.authorization ?? '');

/** The bearer token a request carries, as `identify` reads it. */
const bearerToken = (req: Request): string | undefined => /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || out.has(name)) continue;
    try {
      out.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // A malformed cookie is ignored, as a browser would.
    }
  }
  return out;
}

export function safeEqual(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Only a path on this site: `/findings?x`, never `//evil`, `/\evil` or `https://…`. */
export function localNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

/** The session cookie's name: `__Host-` bound to this origin over TLS. */
const sessionCookieName = (secure: boolean): string => (secure ? '__Host-aaawatch' : 'aaawatch_session');

/**
 * Who is asking: a bearer token (where `bearer` allows one: /api, /metrics) or a session cookie;
 * undefined for nobody. A session found is touched (its idle time starts again).
 */
export async function identify(req: Request, o: Pick<AuthOptions, 'access' | 'secure' | 'idleMs' | 'maxMs'>, now: number, bearer: boolean): Promise<Auth | undefined> {
  const token = bearer ? bearerToken(req) : undefined;
  if (token) {
    const user = await o.access.userByToken(token, now);
    return user ? { user, csrf: undefined, via: 'token' } : undefined;
  }
  const id = parseCookies(req.headers.cookie).get(sessionCookieName(o.secure));
  const session = id ? await o.access.touchSession(id, now, { idleMs: o.idleMs, maxMs: o.maxMs }) : undefined;
  return session ? { user: session.user, csrf: session.csrf, via: 'session' } : undefined;
}

export function setupAuth(router: Router, o: AuthOptions): void {
  const sessionCookie = sessionCookieName(o.secure);
  const loginCookie = o.secure ? '__Host-aaawatch-login' : 'aaawatch_login';
  const loginKey = randomBytes(32);
  const cookieOptions = { httpOnly: true, sameSite: 'strict' as const, secure: o.secure, path: '/' };
  const loginToken = (nonce: string): string => createHmac('sha256', loginKey).update(nonce).digest('base64url');

  const showLogin = (req: Request, res: Response, message: string | undefined, status: number): void => {
    const nonce = randomBytes(24).toString('base64url');
    res.cookie(loginCookie, nonce, { ...cookieOptions, maxAge: 3_600_000 });
    sendHtml(res, loginPage(loginToken(nonce), message, localNext(param(req.method === 'POST' ? req.body : req.query, 'next', 2048))), status);
  };

  router.get('/login', (req, res) => showLogin(req, res, undefined, 200));

  router.post('/login', async (req, res) => {
    const now = o.now();
    const address = clientAddress(req);
    const cookies = parseCookies(req.headers.cookie);
    const nonce = cookies.get(loginCookie);
    if (!nonce || !safeEqual(param(req.body, '_csrf'), loginToken(nonce))) {
      await refuseAnonymous(o, req, now, 403, 'sign-in form expired or not from this site');
      showLogin(req, res, 'The sign-in form expired or did not come from this site; try again.', 403);
      return;
    }
    const name = param(req.body, 'user', 64) ?? '';
    const password = typeof req.body?.password === 'string' ? (req.body.password as string).slice(0, 1024) : '';
    const user = await o.access.findUser(name);
    // A name closes after its own limit; an address (many people behind one proxy) after four times that.
    const keys = [
      { key: nameKey(name, user !== undefined), max: o.maxFailures },
      { key: addressKey(address), max: o.maxFailures * 4 },
    ];
    // Counted before the hash is checked: concurrent guesses cannot all pass a check made before any is counted.
    const limit = await o.limiter.attempt(keys, now);
    if (!limit.allowed) {
      res.setHeader('Retry-After', String(limit.retryAfter));
      if (limit.log) await o.access.logActivity({ at: now, user: user?.name ?? '(unknown user)', address, action: 'login.limited', detail: { retryAfter: limit.retryAfter, refusedWhileLocked: limit.refused } });
      showLogin(req, res, `Too many failed sign-ins. Try again in ${Math.ceil(limit.retryAfter / 60)} min.`, 429);
      return;
    }
    // The hash is checked even for an unknown name, so the answer's timing does not tell which names exist.
    const ok = await verifyPassword(password, user?.password ?? DUMMY_HASH);
    if (!user || !ok) {
      await o.limiter.fail(limit.ticket, o.now());
      // A name that is no user may be a password typed into the wrong field: it is not kept.
      const who = user ? user.name : '(unknown user)';
      await o.access.logActivity({ at: now, user: who, address, action: 'login.refused', detail: {} });
      o.log.warn({ user: who, address }, 'web sign-in refused');
      showLogin(req, res, 'Unknown user or wrong password.', 401);
      return;
    }
    await o.limiter.succeed(limit.ticket, keys[0]!.key, o.now());
    const session = await o.access.createSession(user.id, now);
    await o.access.logActivity({ at: now, user: user.name, address, action: 'login', detail: { role: user.role } });
    res.clearCookie(loginCookie, cookieOptions);
    // No Max-Age: the cookie ends with the browser; the server ends the session on idle and age.
    res.cookie(sessionCookie, session.id, cookieOptions);
    res.redirect(303, localNext(param(req.body, 'next', 2048)));
  });

  /** Who is asking: a session cookie, or (for /api) a bearer token. */
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    const now = o.now();
    const api = isApi(req);
    const auth = await identify(req, o, now, api);
    if (!auth) {
      if (api && hasBearer(req)) {
        const { retryAfter } = await refuseToken(o, req, now);
        if (retryAfter !== undefined) {
          res.setHeader('Retry-After', String(retryAfter));
          sendJson(res, { error: 'too many refused tokens or sign-ins from this address; try again later' }, 429);
          return;
        }
      } else if (api || (req.method !== 'GET' && req.method !== 'HEAD')) {
        // Asked to act or read the API without signing in (a page read is sent to the sign-in form instead).
        await refuseAnonymous(o, req, now, 401, 'not signed in');
      }
      if (api) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="aaawatch"');
        sendJson(res, { error: 'sign in, or send Authorization: Bearer <token> (aaawatch user token NAME)' }, 401);
      } else if (req.method === 'GET' || req.method === 'HEAD') {
        res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      } else {
        res.status(401).type('text/plain').send('sign in first');
      }
      return;
    }
    res.locals.auth = auth;
    if (req.method !== 'GET' && req.method !== 'HEAD' && auth.via === 'session') {
      const token = param(req.body, '_csrf') ?? (typeof req.headers['x-csrf-token'] === 'string' ? req.headers['x-csrf-token'] : undefined);
      if (!safeEqual(token, auth.csrf)) {
        await o.access.logActivity({ at: now, user: auth.user.name, address: clientAddress(req), action: 'csrf.refused', detail: { path: req.path } });
        if (api) sendJson(res, { error: 'missing or wrong CSRF token' }, 403);
        else res.status(403).type('text/plain').send('This form did not come from this site (missing or wrong CSRF token). Reload the page and try again.');
        return;
      }
    }
    // A viewer only reads: anything else is refused here, before a route reads the request, so a
    // probe with a malformed body or an unknown action is refused, and logged, like a well-formed one.
    if (auth.user.role === 'viewer' && req.method !== 'GET' && req.method !== 'HEAD' && req.path !== '/logout') {
      const why = 'Your role (viewer) may only read.';
      await logRefusal(o.access, req, res, why, now);
      if (api) sendJson(res, { error: why }, 403);
      else res.status(403).type('text/plain').send(why);
      return;
    }
    next();
  });

  router.post('/logout', async (req, res) => {
    const id = parseCookies(req.headers.cookie).get(sessionCookie);
    if (id) await o.access.endSession(id);
    await o.access.logActivity({ at: o.now(), user: authOf(res).user.name, address: clientAddress(req), action: 'logout', detail: {} });
    res.clearCookie(sessionCookie, cookieOptions);
    res.redirect(303, '/login');
  });
}
