// The web's data access on SQLite: today's prepared statements (src/web/store.ts, data/*.ts, the
// reconciler's lifecycle, the report's document and exports) behind the async interface. Every call
// runs synchronously on the thread's own connection and returns a settled promise, so behaviour,
// transactions and the order of writes are what they were.

import type { Config } from '../../config/schema.js';
import { decideCases, listCases } from '../../reconcile/cases.js';
import { transition } from '../../reconcile/lifecycle.js';
import { populationPage } from '../../reconcile/population.js';
import type { FindingRow as StoredFindingRow } from '../../reconcile/findings.js';
import type { Roster } from '../../reconcile/roster.js';
import { buildDocument, type ExportDocument, type ExportOptions } from '../../report/document.js';
import type { PackSink } from '../../report/evidence.js';
import type { ExportName } from '../../report/render.js';
import type { SigningKey } from '../../report/signing.js';
import type { Db } from '../../store/db.js';
import { counters } from '../../store/queries.js';
import * as web from '../store.js';
import type { ExportWriter, WebAccess } from './access.js';
import { readCase } from './cases.js';
import { allDeviceHealth, deviceHealthPage, deviceNames, deviceView, nativeSenders, snapshotPair, unverifiedSenders } from './devices.js';
import { eventsWithRaw, searchEvents } from './events.js';
import { findingHistory, getFinding, listFindings, openFindingCounts } from './findings.js';
import { limitStepSqlite } from './limits.js';
import { recordsPerHour } from './overview.js';

/**
 * `close` closes the handle when `owned` (the web thread's own connection), else leaves it to its
 * opener. `clock`: the time findings are read as of (an acceptance that ran out by then is open).
 */
export function sqliteAccess(db: Db, owned = false, clock: () => number = Date.now): WebAccess {
  const now = <T>(f: () => T): Promise<T> => {
    try {
      return Promise.resolve(f());
    } catch (err) {
      return Promise.reject(err);
    }
  };
  return {
    engine: 'sqlite',
    findUser: (name) => now(() => web.findUser(db, name)),
    userCount: () => now(() => (db.prepare('SELECT count(*) AS n FROM web_users').get() as { n: number }).n),
    listUsers: (at) => now(() => web.listUsers(db, at)),
    saveUser: (name, role, hash, at, replace) => now(() => web.saveUser(db, name, role, hash, at, replace)),
    removeUser: (name) => now(() => web.removeUser(db, name)),
    createToken: (userId, label, at, expiresAt) => now(() => web.createToken(db, userId, label, at, expiresAt)),
    revokeTokens: (userId) => now(() => web.revokeTokens(db, userId)),
    userByToken: (token, at) => now(() => web.userByToken(db, token, at)),
    expiredToken: (token, at) => now(() => web.expiredToken(db, token, at)),
    createSession: (userId, at) => now(() => web.createSession(db, userId, at)),
    touchSession: (id, at, limits) => now(() => web.touchSession(db, id, at, limits)),
    endSession: (id) => now(() => web.endSession(db, id)),
    pruneSessions: (at, limits) => now(() => web.pruneSessions(db, at, limits)),
    limitStep: (keys, at, maxKeys, step) => now(() => limitStepSqlite(db, keys, at, maxKeys, step)),
    logActivity: (e) => now(() => web.logActivity(db, e)),
    activity: (dir, limit) => now(() => web.activity(db, dir, limit)),
    listFindings: (q, dir, limit) => now(() => listFindings(db, q, dir, limit, clock())),
    getFinding: (id) => now(() => getFinding(db, id, clock())),
    findingHistory: (id) => now(() => findingHistory(db, id)),
    openFindingCounts: () => now(() => openFindingCounts(db, clock())),
    decide: (id, to, req) => now(() => void transition(db, id, to, req)),
    insertFinding: (f: Omit<StoredFindingRow, 'id'>) =>
      now(() =>
        Number(
          db
            .prepare(
              `INSERT INTO findings (kind, severity, device, account, status, summary, technique, attribution, evidence, first_seen, last_seen, occurrences, accepted_until, updated_at)
               VALUES (:kind, :severity, :device, :account, :status, :summary, :technique, :attribution, :evidence, :first_seen, :last_seen, :occurrences, :accepted_until, :updated_at)`,
            )
            .run(f).lastInsertRowid,
        ),
      ),
    searchEvents: (q, dir, limit) => now(() => searchEvents(db, q, dir, limit)),
    eventsWithRaw: (ids) => now(() => eventsWithRaw(db, ids)),
    counters: () => now(() => counters(db)),
    recordsPerHour: (at, hours) => now(() => recordsPerHour(db, at, hours)),
    allDeviceHealth: (inventory) => now(() => allDeviceHealth(db, inventory, clock())),
    unverifiedSenders: (inventory, limit) => now(() => unverifiedSenders(db, inventory, limit)),
    nativeSenders: (limit) => now(() => nativeSenders(db, limit)),
    deviceList: (inventory, after, limit) => now(() => deviceHealthPage(db, inventory, after, limit, clock())),
    device: (inventory, name, diff) => now(() => deviceView(db, inventory, name, diff, clock())),
    deviceNames: () => now(() => deviceNames(db)),
    snapshotPair: (device, ids) => now(() => snapshotPair(db, device, ids)),
    populationPage: (ctx, filter, after, limit) => now(() => populationPage(db, ctx, filter, after, limit)),
    listCases: (q, after, limit) => now(() => listCases(db, q, after, limit, clock())),
    caseModel: (key, ctx) =>
      now(() => {
        const found = readCase(db, key, ctx, clock());
        return found && { ...found.model, records: eventsWithRaw(db, found.cited) };
      }),
    decideCases: (keys, to, req) => now(() => decideCases(db, keys, to, req)),
    review: async <T>(config: Config, roster: Roster | undefined, o: ExportOptions, use: (doc: ExportDocument, write: ExportWriter) => Promise<T>): Promise<T> => {
      const doc = buildDocument(db, config, roster, o);
      // Loaded on first export, not with the command line (`aaawatch user` opens this access): pdfkit costs most of a second.
      const { writeExport } = await import('../../report/render.js');
      return use(doc, (name: ExportName, key: () => SigningKey, sink: PackSink, archive?: string) => writeExport(name, db, doc, key, sink, archive));
    },
    close: () => now(() => void (owned && db.open ? db.close() : undefined)),
  };
}
