// The web interface in a real browser: Debian's Chromium driven by playwright-core (never a
// downloaded browser). Sign in, open a finding, acknowledge it, download each export and check
// the evidence pack with `aaawatch verify-export`; every page that shows hostile device text
// (XSS payloads as usernames, commands and hostnames, through a real ingest) must render it as
// text: no dialog, no script, no injected element or attribute, the page's own structure whole.
// Screenshots of the main pages go to test-output/screenshots/ for a person to look at.

/// <reference lib="dom" />
// (The DOM library types the functions that run inside the page, in `page.evaluate`.)

import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseFinding } from '../../src/reconcile/findings.js';
import { getFinding, transition } from '../../src/reconcile/lifecycle.js';
import { insertAccount, insertAccountChange, insertSnapshot, pullSucceeded } from '../../src/store/pull.js';
import { verifyEvidence } from '../../src/report/evidence.js';
import { loadSigningKey, signingKeyPath } from '../../src/report/signing.js';
import { REPO } from '../support/corpus.js';
import { requireTool } from '../support/tools.js';
import { PASSWORD, SCREENSHOTS, startWebFixture, type WebFixture } from './fixture.js';
import { tempDir } from '../support/temp.js';

const CHROMIUM = requireTool('chromium') ? '/usr/bin/chromium' : undefined;
const run = promisify(execFile);

let f: WebFixture;
let context: BrowserContext;
let profile: string;
const dialogs: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!CHROMIUM) return;
  f = await startWebFixture();
  profile = tempDir('aaawatch-chromium-');
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.on('page', watch);
  mkdirSync(SCREENSHOTS, { recursive: true });
  mkdirSync(join(SCREENSHOTS, '..', 'exports'), { recursive: true });
});

afterAll(async () => {
  await context?.close();
  await f?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Any dialog (alert, confirm, prompt) means a payload ran; any console error may be a refused injection. */
function watch(page: Page): void {
  page.on('dialog', (d) => {
    dialogs.push(`${page.url()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
}

/**
 * What the exports page offers for a choice, read in one round trip to the page (five locator calls
 * a name were ~6 s of the exports picker's test at load 15): its error lines, the accounts.csv link,
 * the devices field as it stands, and how many downloads it lists.
 */
async function picked(page: Page): Promise<{ errors: string[]; accountsCsv: string | undefined; typed: string | undefined; downloads: number }> {
  return page.evaluate(() => ({
    errors: [...document.querySelectorAll('p.error')].map((p) => p.textContent ?? ''),
    accountsCsv: [...document.querySelectorAll('a')].find((a) => a.textContent?.includes('accounts.csv'))?.getAttribute('href') ?? undefined,
    typed: document.querySelector<HTMLInputElement>('form.filters input[name="devices"]')?.value,
    downloads: document.querySelectorAll('ul.exports a').length,
  }));
}

async function signInAs(page: Page, user: keyof typeof PASSWORD): Promise<void> {
  await page.goto(`${f.base}/login`);
  await page.fill('input[name="user"]', user);
  await page.fill('input[name="password"]', PASSWORD[user]);
  await Promise.all([page.waitForURL(`${f.base}/`), page.click('button[type="submit"]')]);
}

/** What a page must not hold when device text is hostile: scripts, event-handler attributes, injected elements. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const e of document.querySelectorAll('script, iframe, object, embed, svg:not(figure.chart svg), math, style, base, meta[http-equiv]')) found.push(e.outerHTML.slice(0, 80));
    for (const e of document.querySelectorAll('*')) {
      for (const a of e.getAttributeNames()) if (a.startsWith('on') || a === 'autofocus' && e.tagName !== 'INPUT') found.push(`${e.tagName} ${a}`);
      const href = e.getAttribute('href');
      if (href && /^\s*javascript:/i.test(href)) found.push(`${e.tagName} href=${href}`);
    }
    for (const img of document.querySelectorAll('img, a[href="javascript:alert(1)"], details[open][ontoggle], body[onload]')) found.push(img.outerHTML.slice(0, 80));
    return found;
  });
}

/**
 * The frame of every page: one header, one main, one footer; a payload that closed an element early would break it.
 * Counted in one round trip to the page: four locator counts were ~170 ms a page at load 16, 20 s of the
 * hostile-text test's 50 (suite24).
 */
async function structureWhole(page: Page): Promise<void> {
  const [header, main, footer, misplaced] = await page.evaluate(() =>
    ['header.top', 'main', 'footer', 'main footer, header main, main title:not(svg title)'].map((s) => document.querySelectorAll(s).length),
  );
  expect(header).toBe(1);
  expect(main).toBe(1);
  expect(footer).toBe(1);
  expect(misplaced).toBe(0);
}

describe.skipIf(!CHROMIUM)('in Chromium', () => {
  it('signs in, opens a finding, acknowledges it, and shows the decision in its history', async () => {
    const page = await context.newPage();
    await signInAs(page, 'auditor');
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png'), fullPage: true });
    await page.click('nav >> text=Findings');
    await page.waitForURL(`${f.base}/findings`);
    await page.screenshot({ path: join(SCREENSHOTS, 'findings.png'), fullPage: true });
    await page.goto(`${f.base}/findings?device=core-sw1`);
    await Promise.all([page.waitForURL(`${f.base}/findings/${f.findingId}`), page.click(`a[href="/findings/${f.findingId}"]`)]);
    expect(await page.textContent('p.attribution')).toBe('bob (privilege 15) on core-sw1 created by jdoe over SSH CLI, outside any change window');
    expect(await page.locator('pre.diff .add').allTextContents()).toContain('+username bob privilege 15 secret 9 <redacted>');
    expect(await page.locator('ol.records li').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'finding.png'), fullPage: true });
    await page.fill('form[action$="/acknowledge"] input[name="reason"]', 'Checking with the core team (CHG-1234)');
    await Promise.all([page.waitForURL(`${f.base}/findings/${f.findingId}?done=acknowledge`), page.click('form[action$="/acknowledge"] button')]);
    expect(await page.textContent('p.notice')).toBe('Acknowledged.');
    expect(await page.textContent('dl.facts')).toContain('acknowledged');
    const history = await page.locator('h2:has-text("History") + div table tbody tr').allTextContents();
    expect(history.at(-1)).toContain('auditor');
    expect(history.at(-1)).toContain('Checking with the core team (CHG-1234)');
    // An auditor may not accept or resolve: those forms are not offered.
    expect(await page.locator('form[action$="/accept"], form[action$="/resolve"]').count()).toBe(0);
    await page.close();
  });

  it('lists findings most severe first, then most recently seen; a column heading sorts by it, and again the other way round', async () => {
    const page = await context.newPage();
    await signInAs(page, 'viewer');
    await page.goto(`${f.base}/findings?status=any`);
    const RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
    const rows = (): Promise<Array<{ id: number; severity: string; seen: string; device: string }>> =>
      page.locator('main table tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          id: Number(tr.querySelector('td:nth-child(1) a')!.textContent!.slice(1)),
          severity: tr.querySelector('td:nth-child(2) .badge')!.textContent!,
          seen: tr.querySelector('td:nth-child(8) time')!.getAttribute('datetime')!,
          device: decodeURIComponent(tr.querySelector('td:nth-child(5) a')!.getAttribute('href')!.slice('/devices/'.length)),
        })),
      );
    const first = await rows();
    expect(first.length).toBe(f.hostileFindings.length + 1);
    expect(new Set(first.map((r) => r.severity))).toEqual(new Set(['critical', 'high', 'medium', 'low']));
    for (let i = 1; i < first.length; i++) {
      const [a, b] = [first[i - 1]!, first[i]!];
      expect(RANK[a.severity]!).toBeGreaterThanOrEqual(RANK[b.severity]!);
      if (a.severity === b.severity) expect(a.seen >= b.seen && (a.seen > b.seen || a.id > b.id)).toBe(true);
    }
    expect(await page.textContent('th:has(.sorted)')).toContain('Severity');
    await page.screenshot({ path: join(SCREENSHOTS, 'findings-by-severity.png'), fullPage: true });

    // The Device heading: A to Z (SQLite compares the bytes); clicked again, Z to A.
    await Promise.all([page.waitForURL(/sort=device/), page.click('th a:text-is("Device")')]);
    const byDevice = (await rows()).map((r) => r.device);
    expect(byDevice).toEqual([...byDevice].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(new Set(byDevice).size).toBeGreaterThan(1);
    await Promise.all([page.waitForURL(/sort=device&reverse=1/), page.click('th a:text-is("Device")')]);
    expect((await rows()).map((r) => r.device)).toEqual([...byDevice].reverse());

    // The sort form keeps the filter: last seen, oldest first, only critical findings.
    await page.selectOption('form.filters select[name="sort"]', 'last_seen');
    await page.selectOption('form.filters select[name="severity"]', 'critical');
    await page.check('form.filters input[name="reverse"]');
    await Promise.all([page.waitForURL(/sort=last_seen/), page.click('form.filters button[type="submit"]')]);
    const oldest = await rows();
    expect(oldest.length).toBeGreaterThan(0);
    expect(oldest.every((r) => r.severity === 'critical')).toBe(true);
    for (let i = 1; i < oldest.length; i++) expect(oldest[i - 1]!.seen <= oldest[i]!.seen).toBe(true);
    expect(await page.textContent('th:has(.sorted)')).toContain('Last seen');
    expect(await injected(page)).toEqual([]);
    await structureWhole(page);
    await page.close();
  });

  it('downloads every export for a chosen period and scope, and the evidence pack verifies with aaawatch verify-export', async () => {
    const page = await context.newPage();
    await signInAs(page, 'auditor');
    await page.goto(`${f.base}/exports`);
    // The period and scope picker: a form, no script; the links then carry the choice.
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
    await page.fill('form.filters input[name="from"]', from);
    await page.fill('form.filters input[name="devices"]', 'core-*');
    await Promise.all([page.waitForURL(/\/exports\?/), page.click('form.filters button[type="submit"]')]);
    expect(await page.getAttribute('a:has-text("accounts.csv")', 'href')).toBe(`/exports/accounts.csv?from=${from}&devices=core-*`);
    await page.screenshot({ path: join(SCREENSHOTS, 'exports.png'), fullPage: true });
    const dir = tempDir('aaawatch-exports-');
    const files: Record<string, Buffer> = {};
    for (const name of ['accounts.csv', 'findings.csv', 'decisions.csv', 'report.json', 'report.pdf', 'evidence.zip', 'aaawatch-signing-key.pem']) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`a:has-text("${name}")`)]);
      const path = join(dir, name);
      await download.saveAs(path);
      files[name] = readFileSync(path);
      // Kept beside the screenshots, so a person can open the PDF and the CSV too.
      writeFileSync(join(SCREENSHOTS, '..', 'exports', name), files[name]!);
      expect(download.suggestedFilename()).toMatch(name === 'aaawatch-signing-key.pem' ? /^aaawatch-signing-key\.pem$/ : /^aaawatch-/);
    }
    const csv = files['accounts.csv']!.toString('utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'device,account,in inventory,source,state,privilege,superuser,roster match,allowed,type,owner,department,approval reference,approver,expires,roster entry,created at,created by,created from,path,attribution,first seen,last seen,removed at,removed by,privilege taken away,taken away at,taken away by,last login,days inactive,open findings,worst severity,findings,decisions,records,snapshots',
    );
    expect(csv).toContain('core-sw1,bob,yes,pulled,present,privilege 15,yes,not on roster,');
    expect(csv).toContain('core-sw1,admin,yes,pulled,present,privilege 15,yes,authorised,privilege 15,break-glass,Network Operations,Infrastructure,ACC-2026-0001,CISO,');
    expect(csv).toContain('core-sw1,<script>alert(1)</script>,');
    // The scope is core-*: the hostile senders' accounts are not in it.
    expect(csv.trim().split('\r\n').slice(1).every((l) => l.startsWith('core-sw1,'))).toBe(true);
    // No secret reaches an export: the configuration lines (with their redacted hashes) stay out.
    expect(csv).not.toMatch(/secret 9|<redacted>/);
    // Formula payloads arrive as account names: every cell that starts with = + - @ is prefixed with '.
    for (const cell of csv.split(/,|\r\n/)) expect(cell).not.toMatch(/^"?[=+\-@]/);
    expect(csv).toContain(`"'=cmd|' /C calc'!A0"`);
    expect(csv).toContain(`"'@SUM(1+1)*cmd"`);
    const json = JSON.parse(files['report.json']!.toString('utf8')) as { header: { scope: string; period: { from: string }; sources: Array<{ name: string; rows: number }> }; accounts: Array<Record<string, unknown>> };
    expect(json.header.scope).toBe('devices core-*');
    expect(json.header.period.from).toBe(`${from}T00:00:00Z`);
    expect(json.header.sources.find((s) => s.name === 'accounts')?.rows).toBe(5);
    expect(json.accounts.find((r) => r.account === 'bob')).toMatchObject({ device: 'core-sw1', rosterMatch: 'not on roster', findings: [expect.objectContaining({ kind: 'unauthorised-account', status: 'acknowledged', decision: expect.objectContaining({ by: 'auditor', to: 'acknowledged' }) })] });
    expect(files['report.json']!.toString('utf8')).not.toMatch(/<script|secret 9/);
    expect(files['decisions.csv']!.toString('utf8')).toContain(',auditor,open,acknowledged,,,Checking with the core team (CHG-1234)');
    expect(files['report.pdf']!.subarray(0, 5).toString()).toBe('%PDF-');
    writeFileSync(join(dir, 'evidence.zip'), files['evidence.zip']!);
    const pem = join(dir, 'aaawatch-signing-key.pem');
    const cli = await run(process.execPath, [join(REPO, 'dist/src/cli.js'), 'verify-export', join(dir, 'evidence.zip'), '--public-key', pem]);
    expect(cli.stdout).toContain('evidence pack OK');
    // The appliance's own key (the default) agrees, and a changed pack fails.
    expect(verifyEvidence(files['evidence.zip']!, loadSigningKey(signingKeyPath(f.t.config)).publicKey).ok).toBe(true);
    const entries = unzipSync(files['evidence.zip']!);
    entries['accounts.csv'] = Buffer.from(csv.replace('core-sw1,bob,', 'core-sw1,bobby,'));
    writeFileSync(join(dir, 'tampered.zip'), zipSync(entries));
    const bad = await run(process.execPath, [join(REPO, 'dist/src/cli.js'), 'verify-export', join(dir, 'tampered.zip'), '--public-key', pem]).catch((e: { code: number; stdout: string }) => e);
    expect(bad).toMatchObject({ code: 1 });
    expect((bad as { stdout: string }).stdout).toContain('FAILED');
    rmSync(dir, { recursive: true, force: true });
    await page.close();
  });

  // One page per hostile name, twice: a fixed amount of work; the timeout only guards against a hang.
  it('the exports picker takes each hostile device name as typed (links carry it, the export holds its rows) and says a name no device answers to as text', { timeout: 300_000 }, async () => {
    const page = await context.newPage();
    await signInAs(page, 'auditor');
    const problem = 'names no device aaawatch knows (in the inventory, pulled, or heard from by syslog or native accounting)';
    // Each name typed into the form of the page the browser is on, as an auditor would (the refusal
    // page before it holds the same form): a page load less a name than a fresh /exports each time.
    await page.goto(`${f.base}/exports`);
    for (const device of new Set(f.hostileDevices)) {
      // A device only syslog named is known, so its review is offered.
      await page.fill('form.filters input[name="devices"]', device);
      // The address the form gives (the refusal page's own holds the name with a ~ after it).
      await Promise.all([page.waitForURL((u) => u.pathname === '/exports' && u.searchParams.get('devices') === device), page.click('form.filters button[type="submit"]')]);
      expect(await picked(page), device).toEqual({ errors: [], accountsCsv: `/exports/accounts.csv?devices=${encodeURIComponent(device)}`, typed: device, downloads: 6 });
      expect(await injected(page), device).toEqual([]);
      await structureWhole(page);
      // A name one character off is refused on the page, said as text, with nothing to download.
      await page.goto(`${f.base}/exports?devices=${encodeURIComponent(`${device}~`)}`);
      expect(await picked(page), device).toEqual({ errors: [`devices ${device}~: ${problem}`], accountsCsv: undefined, typed: `${device}~`, downloads: 0 });
      expect(await injected(page), device).toEqual([]);
      await structureWhole(page);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'exports-unknown-device.png'), fullPage: true });
    // The first hostile device's review, downloaded from its link: its rows, and only its, in the CSV and the JSON.
    const device = f.hostileDevices[0]!;
    await page.goto(`${f.base}/exports?devices=${encodeURIComponent(device)}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'exports-hostile-device.png'), fullPage: true });
    const dir = tempDir('aaawatch-exports-');
    const saved = async (name: string): Promise<string> => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`a:has-text("${name}")`)]);
      await download.saveAs(join(dir, name));
      return readFileSync(join(dir, name), 'utf8');
    };
    const json = JSON.parse(await saved('report.json')) as { header: { scope: string }; accounts: Array<{ device: string }> };
    expect(json.header.scope).toBe(`devices ${device}`);
    expect(json.accounts.length).toBeGreaterThan(0);
    expect(json.accounts.every((r) => r.device === device)).toBe(true);
    const rows = (await saved('accounts.csv')).trim().split('\r\n').slice(1);
    expect(rows.length).toBe(json.accounts.length);
    rmSync(dir, { recursive: true, force: true });
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('the Accounts page: filters by form, a row leads to its case; the case is decided in one form with a ticket', async () => {
    const page = await context.newPage();
    await signInAs(page, 'admin');
    await page.click('nav >> text=Accounts');
    await page.waitForURL(`${f.base}/accounts`);
    await page.screenshot({ path: join(SCREENSHOTS, 'accounts.png'), fullPage: true });
    await page.selectOption('form.filters select[name="roster"]', 'not on roster');
    await page.fill('form.filters input[name="device"]', 'core-sw1');
    await Promise.all([page.waitForURL(/\/accounts\?/), page.click('form.filters button[type="submit"]')]);
    const accounts = await page.locator('table.accounts tbody tr td:nth-child(2)').allTextContents();
    expect(accounts.sort()).toEqual(['<script>alert(1)</script>', '=cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd', 'bob'].sort());
    expect(await page.locator('p.exports a').count()).toBe(2);
    await Promise.all([page.waitForURL(/\/case\?/), page.click('table.accounts a[href="/case?device=core-sw1&account=bob"]')]);
    expect(await page.textContent('h1')).toBe('Case: bob on core-sw1');
    expect(await page.locator('table.timeline tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'case.png'), fullPage: true });
    await page.selectOption('form[action="/case/decide"] select[name="action"]', 'accept');
    await page.fill('form[action="/case/decide"] input[name="reason"]', 'vendor account until the migration');
    await page.fill('form[action="/case/decide"] input[name="ticket"]', 'RISK-99');
    await page.fill('form[action="/case/decide"] input[name="until"]', '2099-06-30');
    await Promise.all([page.waitForURL(/\/case\?.*done=/), page.click('form[action="/case/decide"] button')]);
    expect(await page.textContent('p.notice')).toMatch(/^accept: \d+ findings? in 1 case\.$/);
    const history = await page.locator('table ul.plain li').allTextContents();
    expect(history.some((h) => h.includes('admin → accepted') && h.includes('[RISK-99]') && h.includes('vendor account until the migration'))).toBe(true);
    await page.close();
  });

  it('the Accounts page sorts by a clicked heading, the other way round on a second click, over hostile names; the export link keeps the order', async () => {
    const page = await context.newPage();
    await signInAs(page, 'auditor');
    await page.goto(`${f.base}/accounts`);
    const rows = (): Promise<Array<{ device: string; account: string; login: string | null; created: string | null }>> =>
      page.locator('table.accounts tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          device: decodeURIComponent(tr.querySelector('td:nth-child(1) a')!.getAttribute('href')!.slice('/devices/'.length)),
          account: new URLSearchParams(tr.querySelector('td:nth-child(2) a')!.getAttribute('href')!.split('?')[1]).get('account')!,
          created: tr.querySelector('td:nth-child(10) time')?.getAttribute('datetime') ?? null,
          login: tr.querySelector('td:nth-child(11) time')?.getAttribute('datetime') ?? null,
        })),
      );
    const bytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));
    const stored = await rows();
    expect(stored.length).toBeGreaterThan(10);
    // Hostile names are among the rows sorted.
    expect(stored.some((r) => r.account === '<script>alert(1)</script>')).toBe(true);

    // Created, newest first (an account no record names last); ties by device and account.
    await Promise.all([page.waitForURL(/sort=created$/), page.click('th a[data-sort="created"]')]);
    const byCreated = await rows();
    expect(byCreated.map((r) => `${r.device}/${r.account}`).sort()).toEqual(stored.map((r) => `${r.device}/${r.account}`).sort());
    for (let i = 1; i < byCreated.length; i++) {
      const [a, b] = [byCreated[i - 1]!, byCreated[i]!];
      if (a.created === b.created) expect(bytes(a.device, b.device) || bytes(a.account, b.account)).toBeLessThan(0);
      else expect(b.created === null || (a.created !== null && a.created > b.created)).toBe(true);
    }
    expect(await page.textContent('th:has(.sorted)')).toContain('Created');
    expect(await page.getAttribute('p.exports a:has-text("CSV")', 'href')).toBe('/accounts/export.csv?sort=created');

    // Clicked again: oldest first, the unknown first.
    await Promise.all([page.waitForURL(/sort=created&reverse=1/), page.click('th a[data-sort="created"]')]);
    const oldest = await rows();
    for (let i = 1; i < oldest.length; i++) {
      const [a, b] = [oldest[i - 1]!, oldest[i]!];
      if (a.created !== b.created) expect(a.created === null || (b.created !== null && a.created < b.created)).toBe(true);
    }
    expect(await page.getAttribute('p.exports a:has-text("CSV")', 'href')).toBe('/accounts/export.csv?sort=created&reverse=1');

    // The Account heading: A to Z by bytes, over the hostile names; the filter form keeps the order.
    await Promise.all([page.waitForURL(/sort=account$/), page.click('th a[data-sort="account"]')]);
    const byAccount = (await rows()).map((r) => r.account);
    expect(byAccount).toEqual([...byAccount].sort(bytes));
    await page.selectOption('form.filters select[name="source"]', 'syslog');
    await Promise.all([page.waitForURL(/source=syslog/), page.click('form.filters button[type="submit"]')]);
    expect(page.url()).toContain('sort=account');
    const syslogOnly = (await rows()).map((r) => r.account);
    expect(syslogOnly.length).toBeGreaterThan(0);
    expect(syslogOnly).toEqual([...syslogOnly].sort(bytes));
    await page.screenshot({ path: join(SCREENSHOTS, 'accounts-sorted.png'), fullPage: true });
    expect(await injected(page)).toEqual([]);
    await structureWhole(page);

    // A hostile order in the address: said, and the stored order shown.
    await page.goto(`${f.base}/accounts?sort=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    expect(await page.textContent('ul.error')).toContain('sort: one of device, account,');
    expect(await injected(page)).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('the Cases page: the worst first, several decided at once', async () => {
    const page = await context.newPage();
    await signInAs(page, 'admin');
    await page.goto(`${f.base}/cases?undecided=1`);
    await page.screenshot({ path: join(SCREENSHOTS, 'cases.png'), fullPage: true });
    const before = await page.locator('table.cases tbody tr').count();
    expect(before).toBeGreaterThan(2);
    // Each box names its case as stored, whatever the names hold (a control, a line separator, a format
    // character): a box carrying the shown form (`ls\u{2028}ps`) named no case and its decision failed.
    const cases = new Set(f.hostile.map((h, i) => JSON.stringify([f.hostileDevices[i], h])));
    const boxes = (await page.locator('table.cases tbody tr input[type="checkbox"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)))
      .map((v) => JSON.parse(v) as [string, string])
      .filter(([device]) => device !== 'core-sw1');
    expect(boxes.some(([, account]) => /[\u0000-\u001f\u2028\u2029\p{Cf}]/u.test(account))).toBe(true);
    for (const key of boxes) expect(cases.has(JSON.stringify(key)), JSON.stringify(key)).toBe(true);
    await page.check('table.cases tbody tr:nth-child(1) input[type="checkbox"]');
    await page.check('table.cases tbody tr:nth-child(2) input[type="checkbox"]');
    await page.fill('form.bulk input[name="reason"]', 'seen in the weekly review');
    await page.fill('form.bulk input[name="ticket"]', 'CHG-555');
    await Promise.all([page.waitForURL(/\/cases\?done=/), page.click('form.bulk button[type="submit"]')]);
    expect(await page.textContent('p.notice')).toMatch(/^acknowledge: \d+ findings? in 2 cases\.$/);
    await page.goto(`${f.base}/cases?undecided=1`);
    expect(await page.locator('table.cases tbody tr').count()).toBe(before - 2);
    await page.close();
  });

  // Every page for every hostile string: a fixed amount of work; the timeout only guards against a hang.
  it('renders every hostile username, command and hostname as inert text on every page that shows them', { timeout: 300_000 }, async () => {
    const page = await context.newPage();
    await signInAs(page, 'admin');
    // Decisions on the hostile findings whose paths name hostile text too: the OS user of a
    // command-line decision, and an API token's label (issue 15: shown beside the reviewer).
    f.hostileFindings.forEach((id, i) => {
      const h = f.hostile[i % f.hostile.length]!;
      if (getFinding(f.t.db, id)?.status !== 'open') return;
      transition(f.t.db, id, 'acknowledged', { by: 'aud', path: { kind: 'cli', osUser: h }, reason: 'typed on the appliance' });
      transition(f.t.db, id, 'open', { by: 'admin', path: { kind: 'api', user: 'admin', tokenId: i + 1, token: h }, reason: 'by token' });
    });
    const pages = [
      '/',
      '/findings',
      `/findings?status=any&kind=account-created`,
      '/devices',
      '/accounts',
      '/accounts?source=syslog',
      '/cases',
      '/audit',
      '/audit?text=alert',
      '/activity',
      ...f.hostileFindings.map((id) => `/findings/${id}`),
      ...f.hostileDevices.map((d) => `/devices/${encodeURIComponent(d)}`),
      ...f.hostile.map((h, i) => `/case?device=${encodeURIComponent(f.hostileDevices[i]!)}&account=${encodeURIComponent(h)}`),
    ];
    for (const path of pages) {
      await page.goto(`${f.base}${path}`);
      expect(await injected(page), path).toEqual([]);
      await structureWhole(page);
    }
    // The text itself is there, shown as it was sent (control characters as \xNN).
    // The text itself is there, as sent: each actor's records found by the actor's name, its command whole.
    // What a page shows for device text (src/report/text.ts visibleLine's rule): controls, line and paragraph separators, format and ignorable characters by code.
    const shown = (h: string): string =>
      h.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, (c) => (c.codePointAt(0)! <= 0xff ? `\\x${c.codePointAt(0)!.toString(16).padStart(2, '0')}` : `\\u{${c.codePointAt(0)!.toString(16)}}`));
    for (const h of f.hostile) {
      await page.goto(`${f.base}/audit?actor=${encodeURIComponent(h)}`);
      // The rows and the first one's last cell in one round trip to the page (as structureWhole).
      const [rows, command] = await page.evaluate(() => {
        const trs = document.querySelectorAll('table.events tbody tr');
        return [trs.length, trs[0] ? [...trs[0].querySelectorAll('td')].at(-1)?.textContent : undefined] as const;
      });
      expect(rows, h).toBe(2);
      // As stored (ingest redacts what looks like a secret, so the stored command is the reference).
      const stored = f.t.db.prepare(`SELECT command FROM events WHERE actor = ? AND kind = 'command'`).get(h) as { command: string };
      expect(stored.command).toContain(h);
      expect(command, h).toBe(shown(stored.command));
    }
    await page.goto(`${f.base}/audit`);
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-hostile.png'), fullPage: true });
    await page.goto(`${f.base}/findings/${f.hostileFindings[0]}`);
    expect(await page.textContent('p.attribution')).toBe(`${f.hostile[0]} on ${f.hostileDevices[0]} created by ${f.hostile[0]} over SSH CLI`);
    const paths = await page.locator('small.path').allTextContents();
    const osUser = shown(f.hostile[0]!);
    expect(paths).toContain(`self-asserted from the command line by OS user ${osUser.length <= 40 ? osUser : `${osUser.slice(0, 40)}…`}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'finding-hostile.png'), fullPage: true });
    await page.goto(`${f.base}/devices/${encodeURIComponent(f.hostileDevices[2]!)}`);
    expect(await page.textContent('h1')).toBe(`Device ${f.hostileDevices[2]}`);
    await page.goto(`${f.base}/devices/core-sw1`);
    await page.screenshot({ path: join(SCREENSHOTS, 'device.png'), fullPage: true });
    // The made-up names are listed apart, as unverified senders, each shown as it was sent.
    await page.goto(`${f.base}/devices`);
    expect(await page.locator('h2#unverified').textContent()).toBe(`Unverified senders (${new Set(f.hostileDevices).size})`);
    const senders = await page.locator('h2#unverified ~ div table tbody tr td:first-child').allTextContents();
    // Long names are cut at 60 characters on the list, the whole in the link's title.
    expect(senders.sort()).toEqual([...new Set(f.hostileDevices)].map((d) => (d.length <= 60 ? d : `${d.slice(0, 60)}…`)).map(shown).sort());
    await page.screenshot({ path: join(SCREENSHOTS, 'devices-unverified.png'), fullPage: true });
    await page.goto(`${f.base}/accounts?source=syslog`);
    await page.screenshot({ path: join(SCREENSHOTS, 'accounts-hostile.png'), fullPage: true });
    await page.goto(`${f.base}/roster`);
    expect(await page.locator('.rs-expiring').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'roster.png'), fullPage: true });
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('shows the sign-in page to a stranger and refuses a wrong password', async () => {
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${f.base}/devices`);
    expect(page.url()).toBe(`${f.base}/login?next=%2Fdevices`);
    await page.screenshot({ path: join(SCREENSHOTS, 'login.png') });
    await page.fill('input[name="user"]', 'admin');
    await page.fill('input[name="password"]', 'not-the-password');
    await page.click('button[type="submit"]');
    expect(await page.textContent('p.error')).toBe('Unknown user or wrong password.');
    await page.fill('input[name="user"]', 'admin');
    await page.fill('input[name="password"]', PASSWORD.admin);
    await Promise.all([page.waitForURL(`${f.base}/devices`), page.click('button[type="submit"]')]);
    await page.close();
  });

  it('a 7,000-character account from the Accounts page to its case and timeline and back, by short links; the device page and the next page too', async () => {
    // Percent-encoded, the name (2.5 bytes a character in UTF-8, 7.5 in the URL) passes Node's 16 KiB of headers: 431 by name.
    const name = `huge-${'ü€'.repeat(3_500)}`.slice(0, 7_000);
    const device = 'huge-name-sw';
    // As a pull reads it (a syslog parser keeps 256 characters of a name): appeared between two snapshots.
    const db = f.t.db;
    const now = Date.now();
    const config = (names: string[]): string => `hostname ${device}\n${names.map((n) => `username ${n} privilege 1 secret 9 <redacted>\n`).join('')}end\n`;
    const s1 = insertSnapshot(db, { device, platform: 'cisco-ios', taken_at: now - 3_600_000, hash: 'c'.repeat(64), config: config([]), bytes: 40 });
    const s2 = insertSnapshot(db, { device, platform: 'cisco-ios', taken_at: now - 300_000, hash: 'd'.repeat(64), config: config([name]), bytes: 20_000 });
    const id = insertAccount(db, { device, name, privilege: '1', roles: '[]', credentials: '["secret"]', lines: '[]', at: now - 300_000, snapshotId: s2 });
    insertAccountChange(db, { account_id: id, device, name, change: 'added', at: now - 300_000, before: null, after: '{"privilege":"1","roles":[],"credentials":["secret"]}', from_snapshot_id: s1, to_snapshot_id: s2 });
    pullSucceeded(db, device, now - 300_000, s2);
    const page = await context.newPage();
    await signInAs(page, 'admin');
    const accounts = `${f.base}/accounts?device=${device}`;
    await page.goto(accounts);
    const link = page.locator('table.accounts tbody tr td:nth-child(2) a').first();
    const to = (await link.getAttribute('href'))!;
    expect(to).toMatch(/^\/case\?device=huge-name-sw&starts=[^&]+&sha256=[0-9a-f]{64}$/);
    expect(to.length).toBeLessThan(2_000);
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/case?')), link.click()]);
    expect(response.status()).toBe(200);
    expect(await page.textContent('h1')).toBe(`Case: ${name} on ${device}`);
    // Its timeline: the pull it appeared in.
    expect(await page.locator('table.timeline tbody tr').count()).toBeGreaterThan(0);
    expect(await page.textContent('table.timeline')).toContain(`snapshot ${s1} → ${s2}`);
    // No link on the page is longer than a short key.
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    expect(hrefs.filter((h) => h.length > 2_000)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'case-huge-name.png'), fullPage: true });
    await page.goBack();
    expect(page.url()).toBe(accounts);
    expect(await page.locator('table.accounts tbody tr').count()).toBe(1);
    // The device page's accounts link their cases the same way.
    await page.goto(`${f.base}/devices/${device}`);
    const fromDevice = page.locator(`a[href^="/case?device=${device}&starts="]`);
    expect(await fromDevice.count()).toBe(1);
    const [again] = await Promise.all([page.waitForResponse((r) => r.url().includes('/case?')), fromDevice.click()]);
    expect(again.status()).toBe(200);
    expect(await page.textContent('h1')).toBe(`Case: ${name} on ${device}`);
    // A cursor after it is its key too: the page after the huge name on its device holds nothing more.
    const key = new URL(to, f.base).searchParams;
    await page.goto(`${f.base}/accounts?device=${device}&afterDevice=${device}&afterStarts=${encodeURIComponent(key.get('starts')!)}&afterSha256=${key.get('sha256')}`);
    expect(await page.locator('table.accounts tbody tr td:nth-child(2)').allTextContents()).toEqual([]);
    // A key nothing answers is no case.
    const none = await page.goto(`${f.base}/case?device=${device}&starts=${encodeURIComponent(key.get('starts')!)}&sha256=${'0'.repeat(64)}`);
    expect(none!.status()).toBe(404);
    await page.close();
  });

  it('links a case whose account name is 7,000 characters by a finding, so the link stays short; the name link still works', async () => {
    // Percent-encoded, a name this long (3 bytes a character in UTF-8, 9 in the URL) passes Node's 16 KiB of headers: 431.
    const name = `long-${'ü€'.repeat(3_500)}`.slice(0, 7_000);
    const { id } = raiseFinding(f.t.db, { kind: 'unauthorised-account', severity: 'high', device: 'long-name-sw', account: name, summary: 'a long name', evidence: { events: [] }, at: Date.now() });
    const page = await context.newPage();
    await signInAs(page, 'admin');
    await page.goto(`${f.base}/cases?device=long-name-sw`);
    const link = page.locator('table.cases tbody tr a[href^="/case?"]').first();
    expect(await link.getAttribute('href')).toBe(`/case?finding=${id}`);
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/case?')), link.click()]);
    expect(response.status()).toBe(200);
    expect(await page.textContent('h1')).toContain('long-name-sw');
    expect((await page.textContent('h1'))!.length).toBeGreaterThan(7_000);
    // A decision from the case's page comes back to it by the short link.
    await page.selectOption('form[action="/case/decide"] select[name="action"]', 'acknowledge');
    await page.fill('form[action="/case/decide"] input[name="reason"]', 'asked the owner');
    await Promise.all([page.waitForURL(new RegExp(`/case\\?finding=${id}&done=`)), page.click('form[action="/case/decide"] button')]);
    expect(await page.textContent('p.notice')).toMatch(/^acknowledge: 1 finding in 1 case\.$/);
    // The old form of a link, for a name that fits.
    const bob = await page.goto(`${f.base}/case?device=core-sw1&account=bob`);
    expect(bob!.status()).toBe(200);
    await page.close();
  });
});
