// What the web interface and its exports read and write, engine-neutral and async: the web's
// users, tokens, sessions and activity log; findings, their history and decisions; records; the
// overview's figures; devices; the accounts population a page at a time; cases and decisions on
// them; the review document and the exports. Two implementations answer the same contract
// (test/store/contract/web-access.test.ts): SQLite (`sqlite-access.ts`, today's prepared
// statements, synchronous underneath) and PostgreSQL (`pg-access.ts`, the `pg` driver).

import type { Config } from '../../config/schema.js';
import type { CaseCursor, CaseKey, CaseOutcome, CaseQuery, CaseSummary } from '../../reconcile/cases.js';
import type { Decision, TransitionRequest } from '../../reconcile/lifecycle.js';
import type { FindingRow as StoredFindingRow, FindingStatus, Severity } from '../../reconcile/findings.js';
import type { AccountKey, PopulationContext, PopulationFilter, PopulationPage } from '../../reconcile/population.js';
import type { Roster } from '../../reconcile/roster.js';
import type { ExportDocument, ExportOptions } from '../../report/document.js';
import type { PackSink } from '../../report/evidence.js';
import type { ExportName } from '../../report/render.js';
import type { SigningKey } from '../../report/signing.js';
import type { CounterRow } from '../../store/queries.js';
import type { Direction, Page } from '../paging.js';
import type { LimitStep } from '../limiter.js';
import type { AuditEntry, ExpiredToken, Session, WebUser, WebUserRow, Role } from '../store.js';
import type { SnapshotPair } from '../snapshots.js';
import type { CaseModel } from './cases.js';
import type { DeviceHealth, DeviceListPage, DeviceView, InventoryDevice, NativeSenderSummary, UnverifiedSender } from './devices.js';
import type { EventQuery, EventRow, EventWithRaw } from './events.js';
import type { FindingQuery, FindingRow, HistoryRow } from './findings.js';
import type { HourCount } from './overview.js';

export type Engine = 'sqlite' | 'postgres';

/** Writes one export of the document being reviewed; `archive` is the file name it is delivered under (the pack's VERIFY.txt names it). */
export type ExportWriter = (name: ExportName, key: () => SigningKey, sink: PackSink, archive?: string) => Promise<void>;

export interface SessionLimits {
  idleMs: number;
  maxMs: number;
}

export interface UserListRow extends WebUser {
  created_at: number;
  tokens: number;
  sessions: number;
  tokensExpire: number | null;
}

export type ActivityInput = Omit<AuditEntry, 'id' | 'detail'> & { detail: Record<string, unknown> };

export interface WebAccess {
  readonly engine: Engine;

  // Users, tokens, sessions -----------------------------------------------------------------------
  findUser(name: string): Promise<WebUserRow | undefined>;
  userCount(): Promise<number>;
  listUsers(at: number): Promise<UserListRow[]>;
  saveUser(name: string, role: Role, passwordHash: string, at: number, replace: boolean): Promise<'added' | 'updated'>;
  removeUser(name: string): Promise<boolean>;
  /** A new bearer token, shown once; only its hash is kept. */
  createToken(userId: number, label: string, at: number, expiresAt?: number): Promise<string>;
  revokeTokens(userId: number): Promise<number>;
  userByToken(token: string, at: number): Promise<WebUser | undefined>;
  /** The owner of `token` when it is a token that has run out (userByToken refuses it), for the refusal's entry. */
  expiredToken(token: string, at: number): Promise<ExpiredToken | undefined>;
  /** Open a session; returns the cookie value (only its hash is stored) and its form token. */
  createSession(userId: number, at: number): Promise<{ id: string; csrf: string }>;
  /** The live session for a cookie value, refreshed; an expired one is removed and yields undefined. */
  touchSession(id: string, at: number, limits: SessionLimits): Promise<Session | undefined>;
  endSession(id: string): Promise<void>;
  pruneSessions(at: number, limits: SessionLimits): Promise<number>;
  /**
   * One step of the sign-in limiter (src/web/limiter.ts) over its keys' stored rows, in one
   * transaction that no other step on those keys, on any node, runs beside; rows that say nothing
   * are deleted, and past `maxKeys` keys those ending soonest: `pruned` says how many of those.
   */
  limitStep<T>(keys: readonly string[], now: number, maxKeys: number, step: LimitStep<T>): Promise<{ value: T; pruned: number }>;

  // Activity log ----------------------------------------------------------------------------------
  /** Add an entry to the one hash-chained activity log (every node and the command line extend the same chain). */
  logActivity(e: ActivityInput): Promise<void>;
  /** Newest first, keyset-paged by id. */
  activity(dir: Direction, limit: number): Promise<Page<AuditEntry>>;

  // Findings and decisions ------------------------------------------------------------------------
  listFindings(q: FindingQuery, dir: Direction, limit: number): Promise<Page<FindingRow>>;
  getFinding(id: number): Promise<FindingRow | undefined>;
  findingHistory(id: number): Promise<HistoryRow[]>;
  openFindingCounts(): Promise<Array<{ kind: string; severity: Severity; status: FindingStatus; n: number }>>;
  /**
   * A person's decision: the finding moves to `to` and a history row says who, when and why, in one
   * transaction; a decision the finding's status does not allow throws TransitionError.
   */
  decide(id: number, to: Decision, req: TransitionRequest): Promise<void>;
  /** Store a finding as reconciliation raises it: for fixtures and benches (reconciliation writes its own on either engine). */
  insertFinding(f: Omit<StoredFindingRow, 'id'>): Promise<number>;

  // Records ---------------------------------------------------------------------------------------
  searchEvents(q: EventQuery, dir: Direction, limit: number): Promise<Page<EventRow>>;
  eventsWithRaw(ids: readonly number[]): Promise<EventWithRaw[]>;

  // Overview --------------------------------------------------------------------------------------
  /** Counters, summed over collectors on PostgreSQL. */
  counters(): Promise<CounterRow[]>;
  recordsPerHour(now: number, hours: number): Promise<HourCount[]>;
  allDeviceHealth(inventory: readonly InventoryDevice[]): Promise<DeviceHealth[]>;
  unverifiedSenders(inventory: readonly InventoryDevice[], limit: number): Promise<{ rows: UnverifiedSender[]; total: number }>;
  /** Native accounting senders with the devices they sent for or named (summed over collectors on PostgreSQL). */
  nativeSenders(limit: number): Promise<{ rows: NativeSenderSummary[]; total: number }>;

  // Devices ---------------------------------------------------------------------------------------
  /** The devices page: the inventory's, pulled and native devices by name after `after`, with health and platform. */
  deviceList(inventory: readonly InventoryDevice[], after: string | undefined, limit: number): Promise<DeviceListPage>;
  /** One device's view (`diff`: two snapshots to compare, or none for the latest against the one before); undefined for a name aaawatch knows nothing of. */
  device(inventory: readonly InventoryDevice[], name: string, diff: readonly number[]): Promise<DeviceView | undefined>;
  /** Every device name the store holds: pulled, heard from by syslog or native accounting, or named by a finding (an export's scope is checked against them with the inventory's). */
  deviceNames(): Promise<string[]>;
  /** The configuration diff between the snapshots named (a finding's evidence), or the one named and the one before it. */
  snapshotPair(device: string, ids: readonly number[]): Promise<SnapshotPair | undefined>;

  // Accounts and cases ----------------------------------------------------------------------------
  /** One page of the population (src/reconcile/population.ts), as of one moment. */
  populationPage(ctx: PopulationContext, filter: PopulationFilter, after: AccountKey | undefined, limit: number): Promise<PopulationPage>;
  /** Open cases, worst first, keyset-paged. */
  listCases(q: CaseQuery, after: CaseCursor | undefined, limit: number): Promise<{ rows: CaseSummary[]; next?: CaseCursor }>;
  /** One case (`ctx`: the period its account's standing is read for); undefined when nothing is known by that key. */
  caseModel(key: CaseKey, ctx: PopulationContext): Promise<CaseModel | undefined>;
  /**
   * One decision on every unresolved finding of each case that can take it, in one transaction;
   * no open case by a key, or a request the decision does not allow, throws TransitionError and
   * decides nothing.
   */
  decideCases(keys: readonly CaseKey[], to: Decision, req: TransitionRequest): Promise<CaseOutcome[]>;

  // Exports ---------------------------------------------------------------------------------------
  /**
   * The review document (src/report/document.ts), read as of one moment, handed to `use` with a
   * writer of its exports: the evidence pack reads the records, diffs and activity it cites as of
   * that same moment, until `use` settles.
   */
  review<T>(config: Config, roster: Roster | undefined, o: ExportOptions, use: (doc: ExportDocument, write: ExportWriter) => Promise<T>): Promise<T>;

  close(): Promise<void>;
}
