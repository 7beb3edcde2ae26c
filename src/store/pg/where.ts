// How a PostgreSQL store is named in messages and logs: its server and database, never the URL's
// user or password. Apart from the driver, so that naming a store does not load it.

/** The server, port and database of a URL, without its user or password: for messages. */
export function pgStoreName(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL ${u.host}${u.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/** The store and the collector writing it: for messages. */
export function pgWhere(url: string, collector: string): string {
  return `${pgStoreName(url)} as collector ${collector}`;
}
