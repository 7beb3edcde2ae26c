// What bench:web (SQLite) and bench:scale-web (PostgreSQL) ask the web interface, and how a page is
// timed: the same requests over both engines, so their figures compare.

import { median, percentile } from './record.js';
import { ACTORS, DAY, DEVICES, KINDS, SEVERITIES, actor, device } from './web-store.js';

export interface PageSuite {
  name: string;
  urls: () => string;
}

export interface Timing {
  name: string;
  median: number;
  p95: number;
  n: number;
  /** The slowest request and its time. */
  worst: string;
}

/**
 * The findings list (filters and a cursor 1,000 pages in, as an "Older →" link carries it), a
 * finding page and the audit-trail search, drawn at random with `r` over a store of `findings`
 * findings ending at `now`; `deepEvent` is the record halfway down the audit trail.
 */
export function pageSuites(r: () => number, o: { now: number; findings: number; deepEvent: { time: number; id: number } }): PageSuite[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const day = (offset: number): string => new Date(o.now - offset * DAY).toISOString().slice(0, 10);
  const deepFinding = Math.max(1, o.findings - 50_000);
  const { deepEvent } = o;
  return [
    {
      name: 'findings list',
      urls: () =>
        pick([
          '/findings',
          `/findings?severity=${pick(SEVERITIES)}`,
          `/findings?kind=${pick(KINDS)}&status=open`,
          `/findings?status=any&device=${encodeURIComponent(device(Math.floor(r() * DEVICES)))}`,
          `/findings?account=acct${Math.floor(r() * o.findings)}&status=any`,
          `/findings?kind=${pick(KINDS)}&severity=${pick(SEVERITIES)}&status=${pick(['open', 'acknowledged', 'accepted', 'resolved'])}`,
          `/findings?before=${deepFinding}.${deepFinding}`,
        ]),
    },
    { name: 'finding page', urls: () => `/findings/${1 + Math.floor(r() * o.findings)}` },
    {
      name: 'audit-trail search',
      urls: () =>
        pick([
          '/audit',
          `/audit?device=${encodeURIComponent(device(Math.floor(r() * DEVICES)))}`,
          `/audit?actor=${actor(Math.floor(r() * ACTORS))}&kind=command`,
          `/audit?target=acct${Math.floor(r() * 5000)}`,
          `/audit?from=${day(40)}&to=${day(39)}`,
          `/audit?device=${encodeURIComponent(device(Math.floor(r() * DEVICES)))}&from=${day(60)}&to=${day(30)}`,
          `/audit?text=${pick(['description', 'syslog host', 'acct42', 'no-such-text-anywhere'])}`,
          `/audit?actor=${actor(Math.floor(r() * ACTORS))}&text=configure`,
          `/audit?before=${deepEvent.time}.${deepEvent.id}`,
        ]),
    },
  ];
}

/**
 * The accounts page (the population: first page, a device, an account name, findings open,
 * syslog-only accounts, a cursor), cases (the list, filters, one case) and devices (the list, a
 * later page, one device) over a store of `findings` findings as pageSuites' (finding i is about
 * account acct<i> on device i mod DEVICES).
 */
export function accountPageSuites(r: () => number, o: { findings: number }): PageSuite[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const someDevice = (): string => encodeURIComponent(device(Math.floor(r() * DEVICES)));
  const someCase = (): string => {
    const i = Math.floor(r() * o.findings);
    return `device=${encodeURIComponent(device(i % DEVICES))}&account=acct${i}`;
  };
  return [
    {
      name: 'accounts page',
      urls: () =>
        pick([
          '/accounts', `/accounts?device=${someDevice()}`, `/accounts?account=acct${Math.floor(r() * 5000)}`, '/accounts?findings=open',
          '/accounts?source=syslog', `/accounts?afterDevice=${someDevice()}&afterAccount=acct1`,
        ]),
    },
    { name: 'cases', urls: () => pick(['/cases', `/cases?severity=${pick(SEVERITIES)}`, `/cases?device=${someDevice()}`, `/case?${someCase()}`]) },
    { name: 'devices', urls: () => pick(['/devices', `/devices?from=${someDevice()}`, `/devices/${someDevice()}`]) },
  ];
}

/** `requests` requests of each suite over HTTP with a signed-in session, after 20 not counted (warm-up). */
export async function timePages(base: string, cookie: string, suites: readonly PageSuite[], requests: number): Promise<Timing[]> {
  const timings: Timing[] = [];
  for (const s of suites) {
    const ms: Array<[number, string]> = [];
    for (let i = 0; i < requests + 20; i++) {
      const url = s.urls();
      const started = performance.now();
      const res = await fetch(`${base}${url}`, { headers: { cookie } });
      await res.arrayBuffer();
      const took = performance.now() - started;
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      if (i >= 20) ms.push([took, url]);
    }
    const times = ms.map((m) => m[0]);
    const worst = [...ms].sort((a, b) => b[0] - a[0])[0]!;
    timings.push({ name: s.name, median: median(times), p95: percentile(times, 95), n: times.length, worst: `${worst[1]} ${worst[0].toFixed(0)} ms` });
  }
  return timings;
}
