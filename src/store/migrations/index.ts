// SQLite's schema migrations in order: how a store made by an older release reaches the schema
// the description says (src/store/schema/; a new store is made from that directly, src/store/db.ts).
// A migration is never edited once released: a change to the schema is made in the description
// and as a new migration here, and test/store/schema.test.ts fails until both end the same.
import ingest from './001-ingest.js';
import findings from './002-findings.js';
import pull from './003-pull.js';
import reconcile from './004-reconcile.js';
import web from './005-web.js';
import recordsCarryRaw from './006-records-carry-raw.js';
import nativeAccounting from './009-native-accounting.js';
import auditor from './010-auditor.js';
import framing from './011-framing.js';
import relp from './012-relp.js';
import findingOrders from './013-finding-orders.js';
import throughput from './014-throughput.js';
import purges from './015-corpus.js';
import accountsInOrder from './016-storecost.js';
import sortedIndex from './017-sorted-index.js';
import loginIndex from './018-login-index.js';
import targetIndex from './019-target-index.js';
import accountIndex from './020-account-index.js';
import nativeSenders from './021-native-senders.js';
import activityStart from './022-activity-start.js';
import loginLimits from './023-login-limits.js';
import decisionPath from './024-decision-path.js';
import pullRead from './025-pull-read.js';
import pullsUnderWay from './026-pulls-under-way.js';
import nativeMalformed from './027-native-malformed.js';

// The place in this list, not the file name, is the schema version.
export const migrations: readonly string[] = [ingest, findings, pull, reconcile, web, recordsCarryRaw, nativeAccounting, auditor, framing, relp, findingOrders, throughput, purges, accountsInOrder, sortedIndex, loginIndex, targetIndex, accountIndex, nativeSenders, activityStart, loginLimits, decisionPath, pullRead, pullsUnderWay, nativeMalformed];
