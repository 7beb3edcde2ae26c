// Keyset pagination: a page is reached by the sort key of the row at its edge, never by an
// offset, so page 2,000 of a million rows costs what page 1 costs.

/** A position in a list sorted newest first by (time, id), or by id alone (time = id). */
export interface Cursor {
  time: number;
  id: number;
}

/**
 * A whole number a query gives: digits, with a `+` before them or not. Typed into a URL unencoded,
 * `+` arrives as a space (`offset=+20` reads " 20"), so spaces around the digits are that `+`.
 */
export function wholeNumber(text: string, digits = 15): number | undefined {
  const t = text.trim();
  const d = t.startsWith('+') ? t.slice(1) : t;
  return d.length >= 1 && d.length <= digits && /^\d+$/.test(d) ? Number(d) : undefined;
}

/** A page's position as cursorText writes it; a `+` before it, or the space an unencoded one reads as, taken as wholeNumber takes it. */
export function parseCursor(text: unknown): Cursor | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  const m = /^(-?\d{1,16})\.(\d{1,16})$/.exec(t.startsWith('+') ? t.slice(1) : t);
  if (!m) return undefined;
  return { time: Number(m[1]), id: Number(m[2]) };
}

export function cursorText(c: Cursor): string {
  return `${c.time}.${c.id}`;
}

/** Which way a request pages: older than a cursor (`before`), newer than one (`after`), or from the newest. */
export type Direction = { before: Cursor } | { after: Cursor } | Record<string, never>;

export function direction(query: { before?: unknown; after?: unknown }): Direction {
  const after = parseCursor(query.after);
  if (after) return { after };
  const before = parseCursor(query.before);
  return before ? { before } : {};
}

export interface Page<T> {
  rows: T[];
  /** Cursor for the next (older) page, when there is one. */
  older?: Cursor;
  /** Cursor for the previous (newer) page, when there is one. */
  newer?: Cursor;
  /**
   * Set when a text search stopped after its scan budget without filling the page: older rows
   * may still match; the search goes on from `older`.
   */
  scannedTo?: number;
  /**
   * Set when the position asked for names no row (a list paged by a row's id, whose row is not
   * there: a forged or mistyped link): no rows, and the route refuses it as a stale link, never
   * the first page.
   */
  stale?: true;
}

/**
 * Turn `limit + 1` rows fetched in the direction asked into a page, newest first. `edge` gives a
 * row's cursor; `budgetEdge`, when a scan budget ran out, is where the scan stopped.
 */
export function toPage<T>(fetched: T[], limit: number, dir: Direction, edge: (row: T) => Cursor, budgetEdge?: Cursor): Page<T> {
  const more = fetched.length > limit;
  const rows = fetched.slice(0, limit);
  if ('after' in dir) {
    rows.reverse();
    const page: Page<T> = { rows, older: rows.length ? edge(rows[rows.length - 1]!) : dir.after };
    if (more || budgetEdge) page.newer = rows.length ? edge(rows[0]!) : budgetEdge;
    return page;
  }
  const page: Page<T> = { rows };
  if (more) page.older = edge(rows[rows.length - 1]!);
  else if (budgetEdge) {
    page.older = budgetEdge;
    page.scannedTo = budgetEdge.time;
  }
  if ('before' in dir && rows.length) page.newer = edge(rows[0]!);
  else if ('before' in dir) page.newer = dir.before;
  return page;
}
