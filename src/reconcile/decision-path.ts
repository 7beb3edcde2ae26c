// How a decision reached the store (issue 15: an auditor must tell an authenticated decision from a
// self-asserted one). The reviewer (`by`) is what a person named; the path is what aaawatch knows:
//
//   web     a signed-in session: the user signed in (the reviewer is that user)
//   api     a bearer token: the token's id and label, and the user it belongs to
//   cli     `aaawatch finding|case decide` on the appliance: the OS user who ran it. `--by` is
//           only claimed (anyone with the command line and the store can name anyone)
//   system  aaawatch itself (an acceptance that ended, a condition gone, a finding raised)
//
// Stored with each finding_history row (path, path_user, path_token); rows written before the
// columns existed (store schema 24; PostgreSQL's added at start) read as unknown, never as web.

/** A path as recorded from now on. */
export type DecisionPath =
  | { kind: 'web'; user: string }
  | { kind: 'api'; user: string; tokenId: number; token: string }
  | { kind: 'cli'; osUser: string }
  | { kind: 'system' };

/** A path as read back: a row older than the columns has none. */
export type StoredPath = DecisionPath | { kind: 'unknown' };

export type PathKind = StoredPath['kind'];

/** The store schema (SQLite's migration 024) from which decisions carry their path. */
export const PATH_SINCE = 'store schema 24';

export const SYSTEM_PATH: DecisionPath = { kind: 'system' };

/** The columns a path is stored in. */
export interface PathColumns {
  path: string | null;
  path_user: string | null;
  path_token: string | null;
}

export function pathColumns(p: DecisionPath): PathColumns {
  switch (p.kind) {
    case 'web':
      return { path: 'web', path_user: p.user, path_token: null };
    case 'api':
      return { path: 'api', path_user: p.user, path_token: `${p.tokenId} ${p.token}` };
    case 'cli':
      return { path: 'cli', path_user: p.osUser, path_token: null };
    case 'system':
      return { path: 'system', path_user: null, path_token: null };
  }
}

/** A stored row's path; anything not written by pathColumns (an older row, a damaged one) is unknown. */
export function pathFromColumns(c: Partial<PathColumns>): StoredPath {
  const user = c.path_user ?? '';
  switch (c.path) {
    case 'web':
      return { kind: 'web', user };
    case 'api': {
      const m = /^(\d+) ([\s\S]*)$/.exec(c.path_token ?? '');
      return { kind: 'api', user, tokenId: m ? Number(m[1]) : 0, token: m ? m[2]! : (c.path_token ?? '') };
    }
    case 'cli':
      return { kind: 'cli', osUser: user };
    case 'system':
      return SYSTEM_PATH;
    default:
      return { kind: 'unknown' };
  }
}

/** Whether aaawatch authenticated who decided (a session or a token), not merely what was typed. */
export const authenticated = (p: StoredPath): boolean => p.kind === 'web' || p.kind === 'api';

/** The path in words, beside the reviewer on every page, export and command output. */
export function pathText(p: StoredPath): string {
  switch (p.kind) {
    case 'web':
      return `web, signed in as ${p.user}`;
    case 'api':
      return `api, token #${p.tokenId} "${p.token}" of ${p.user}`;
    case 'cli':
      return `command line, self-asserted by OS user ${p.osUser}`;
    case 'system':
      return 'system (automatic)';
    case 'unknown':
      return `unknown (before ${PATH_SINCE})`;
  }
}

/** A path as exports and the activity log carry it: the kind, whether aaawatch authenticated the user, that user (the OS user for cli), the token, and the words. */
export interface PathView {
  kind: PathKind;
  authenticated: boolean;
  user: string | null;
  token: string | null;
  text: string;
}

export function pathJson(p: StoredPath): PathView {
  const user = p.kind === 'web' || p.kind === 'api' ? p.user : p.kind === 'cli' ? p.osUser : null;
  const token = p.kind === 'api' ? `#${p.tokenId} ${p.token}` : null;
  return { kind: p.kind, authenticated: authenticated(p), user, token, text: pathText(p) };
}
