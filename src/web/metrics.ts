// /metrics (Prometheus text) and /healthz (JSON, 200 or 503) on the web server. Answered without
// a session to the addresses web.metrics.allow lists (loopback by default: a local Prometheus or
// health checker), and from anywhere else to a signed-in user or an API token of any role;
// everyone else gets 403, refused as the API refuses (logged; a token that opens nothing counted).
// The answers come from src/observe; this module is only their transport.

import type { Express, Request, Response } from 'express';
import { createAllowList } from '../ingest/allow.js';
import type { ObservePages } from '../observe/service.js';
import { hasBearer, identify, refuseAnonymous, refuseToken, type AuthOptions } from './auth.js';
import { clientAddress, sendJson } from './context.js';

export interface ObserveRouteOptions {
  pages: ObservePages;
  /** web.metrics.allow: answered without a session; empty: nobody. */
  allow: readonly string[];
  auth: Pick<AuthOptions, 'access' | 'secure' | 'idleMs' | 'maxMs' | 'now' | 'limiter' | 'refusals' | 'maxFailures'>;
}

export function setupObserveRoutes(app: Express, o: ObserveRouteOptions): void {
  const allowed = o.allow.length ? createAllowList(o.allow) : () => false;
  const permitted = async (req: Request, res: Response): Promise<boolean> => {
    const now = o.auth.now();
    if (allowed(clientAddress(req)) || (await identify(req, o.auth, now, true))) return true;
    // Refused as the API refuses: a token that opens nothing counts against its source, the rest is logged.
    if (hasBearer(req)) {
      const { retryAfter } = await refuseToken(o.auth, req, now);
      if (retryAfter !== undefined) {
        res.setHeader('Retry-After', String(retryAfter));
        res.status(429).type('text/plain; charset=utf-8').send('Too many refused tokens or sign-ins from this address; try again later.\n');
        return false;
      }
    } else {
      await refuseAnonymous(o.auth, req, now, 403, 'not from an address in web.metrics.allow, not signed in');
    }
    res.status(403).type('text/plain; charset=utf-8').send('Not from an address in web.metrics.allow: sign in, or send Authorization: Bearer <token>.\n');
    return false;
  };

  app.get('/metrics', async (req, res, next) => {
    if (!(await permitted(req, res))) return;
    try {
      const text = await o.pages.metricsText();
      res.status(200).type(o.pages.metricsContentType).send(text);
    } catch (err) {
      next(err);
    }
  });

  app.get('/healthz', async (req, res, next) => {
    if (!(await permitted(req, res))) return;
    try {
      const report = await o.pages.health();
      sendJson(res, { status: report.ok ? 'pass' : 'fail', checks: report.checks }, report.ok ? 200 : 503);
    } catch (err) {
      next(err);
    }
  });
}
