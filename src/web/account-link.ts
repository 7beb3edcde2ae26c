// An account named in a link by a short key when its name is too long to carry: the name's first
// LINK_NAME_CHARS characters and the SHA-256 of the whole name. A name of thousands of characters,
// percent-encoded (up to 12 characters of URL each), made the link longer than the 16 KiB of headers
// Node accepts (431); a name of up to LINK_NAME_CHARS is carried whole, as before. The key is stable
// (the name decides it) and needs nothing stored: the population is in byte order of (device,
// account), so the names a prefix starts are read from the prefix on, through either engine's
// population page, and the digest picks the one.

import type { AccountKey, PopulationContext, PopulationFilter } from '../reconcile/population.js';
import { sha256Hex } from '../report/hash.js';
import type { WebAccess } from './data/access.js';

/** Characters (code points) of a name a link carries whole, and of a long name's prefix: at most 1.5 KB of URL. */
export const LINK_NAME_CHARS = 128;

/** A long name's key in a link. */
export interface AccountLink {
  starts: string;
  sha256: string;
}

/** The key of a name too long to carry whole; undefined for one that fits. */
export function accountLink(account: string): AccountLink | undefined {
  const chars = Array.from(account);
  if (chars.length <= LINK_NAME_CHARS) return undefined;
  return { starts: chars.slice(0, LINK_NAME_CHARS).join(''), sha256: sha256Hex(account) };
}

/** A key as given (untrimmed: names may start with spaces); undefined when absent or malformed. */
export function readAccountLink(source: unknown, startsName: string, digestName: string): AccountLink | undefined {
  if (source === null || typeof source !== 'object') return undefined;
  const { [startsName]: starts, [digestName]: sha256 } = source as Record<string, unknown>;
  if (typeof starts !== 'string' || typeof sha256 !== 'string') return undefined;
  if (Array.from(starts).length !== LINK_NAME_CHARS || !/^[0-9a-f]{64}$/.test(sha256)) return undefined;
  return { starts, sha256 };
}

/** Population pages read at most to find a key's name (PAGE_ROWS rows each): many names sharing a 128-character prefix end the search. */
const MAX_READS = 20;
const PAGE_ROWS = 100;

/**
 * The account of `device` a key names, read from the population of `ctx`'s period: its rows of that
 * device after the prefix (a name longer than its prefix sorts after it), while they start with it.
 */
export async function resolveAccountLink(access: WebAccess, ctx: PopulationContext, device: string, link: AccountLink): Promise<string | undefined> {
  const filter: PopulationFilter = { device };
  let after: AccountKey = { device, account: link.starts };
  for (let read = 0; read < MAX_READS; read++) {
    const page = await access.populationPage(ctx, filter, after, PAGE_ROWS);
    for (const r of page.rows) {
      if (r.device !== device || !r.account.startsWith(link.starts)) return undefined;
      if (sha256Hex(r.account) === link.sha256) return r.account;
    }
    if (!page.next) return undefined;
    after = page.next;
  }
  return undefined;
}
