// The audit trail's search read page by page, as a browser follows its "older" links.

import type { Db } from '../../src/store/db.js';
import { searchEvents, type EventQuery } from '../../src/web/data/events.js';
import type { Direction } from '../../src/web/paging.js';

/** Every page of a search, newest first, through its cursors: the ids in the order shown. */
export function pagedSearch(d: Db, q: EventQuery, limit: number): number[] {
  const ids: number[] = [];
  let dir: Direction = {};
  for (;;) {
    const page = searchEvents(d, q, dir, limit);
    ids.push(...page.rows.map((r) => r.id));
    if (!page.older) return ids;
    dir = { before: page.older };
  }
}
