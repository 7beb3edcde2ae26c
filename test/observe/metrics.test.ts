// The metrics registry on its own: counter names mapped to families (a name nobody taught it
// included), absolute values, histograms, and text that a strict reader of the format accepts.

import { describe, expect, it } from 'vitest';
import { CollectorMetrics, renderMetrics } from '../../src/observe/metrics.js';
import { metricFor } from '../../src/observe/names.js';
import { parseExposition } from '../support/prometheus.js';

const scrape = async (m: CollectorMetrics) => parseExposition(await renderMetrics([await m.snapshot()]));

describe('counter names to metric families', () => {
  it.each([
    ['received.udp', false, 'aaawatch_received_messages_total', { transport: 'udp' }],
    ['received.relp', false, 'aaawatch_received_messages_total', { transport: 'relp' }],
    ['rejected.source-not-allowed', false, 'aaawatch_rejected_total', { reason: 'source-not-allowed' }],
    ['malformed.bad-pri', false, 'aaawatch_malformed_messages_total', { reason: 'bad-pri' }],
    ['dropped.store-behind', false, 'aaawatch_dropped_total', { reason: 'store-behind' }],
    ['errors.pipeline', false, 'aaawatch_errors_total', { where: 'pipeline' }],
    ['recognised.records', false, 'aaawatch_recognised_records_total', {}],
    ['kernel.udp.socket_drops', true, 'aaawatch_kernel_udp_socket_drops_total', {}],
    ['kernel.udp.socket_drops.store-behind', false, 'aaawatch_kernel_udp_socket_drops_store_behind_total', {}],
    ['kernel.udp.socket_drops.store-unwritable', false, 'aaawatch_kernel_udp_socket_drops_store_unwritable_total', {}],
    ['udp.recv_buffer_bytes', true, 'aaawatch_udp_receive_buffer_bytes', {}],
    ['relp.resends-recognised', false, 'aaawatch_relp_resends_recognised_total', {}],
    // Names no rule knows: exported all the same, under their own name as a label.
    ['store.write_failures', false, 'aaawatch_counter_total', { name: 'store.write_failures' }],
    ['received', false, 'aaawatch_counter_total', { name: 'received' }],
    ['received.', false, 'aaawatch_counter_total', { name: 'received.' }],
    ['relp.window_open', true, 'aaawatch_gauge', { name: 'relp.window_open' }],
  ] as const)('%s → %s', (name, absolute, metric, labels) => {
    const m = metricFor(name, absolute);
    expect(m.family.metric).toBe(metric);
    expect(m.labels).toEqual(labels);
  });
});

describe('CollectorMetrics', () => {
  it('adds counters batch by batch, keeps totals that are set, and renders valid text', async () => {
    const m = new CollectorMetrics({}, { processMetrics: false });
    m.batch([['received.udp', 3], ['received.tcp', 1], ['store.write_failures', 2], ['rejected.bad "quote"\\', 1]], [['kernel.udp.socket_drops', 5]]);
    m.batch([['received.udp', 2]], [['kernel.udp.socket_drops', 7], ['relp.window_open', 4]]);
    const e = await scrape(m);
    expect(e.value('aaawatch_received_messages_total', { transport: 'udp' })).toBe(5);
    expect(e.value('aaawatch_received_messages_total', { transport: 'tcp' })).toBe(1);
    expect(e.value('aaawatch_counter_total', { name: 'store.write_failures' })).toBe(2);
    expect(e.value('aaawatch_rejected_total', { reason: 'bad "quote"\\' })).toBe(1);
    expect(e.value('aaawatch_kernel_udp_socket_drops_total')).toBe(7);
    expect(e.value('aaawatch_gauge', { name: 'relp.window_open' })).toBe(4);
    expect(e.types.get('aaawatch_received_messages_total')).toBe('counter');
    expect(e.types.get('aaawatch_gauge')).toBe('gauge');
    // A kernel total that falls (the socket was made anew) starts the counter over.
    m.batch([], [['kernel.udp.socket_drops', 2]]);
    expect((await scrape(m)).value('aaawatch_kernel_udp_socket_drops_total')).toBe(2);
  });

  it('declares series at zero, and counts pulls, store commits and reconciliations', async () => {
    const m = new CollectorMetrics({ backlog: () => 3, backlogLimit: 64, findings: () => [{ kind: 'account-created', severity: 'high', status: 'open', n: 2 }] }, { processMetrics: false });
    m.declare(['received.tls', 'dropped.store-behind']);
    m.storeCommitted(4);
    m.storeCommitted(40);
    m.pulled('failed', 12_000);
    m.reconciled(800, true);
    m.reconciled(0, false);
    const e = await scrape(m);
    expect(e.value('aaawatch_received_messages_total', { transport: 'tls' })).toBe(0);
    expect(e.value('aaawatch_dropped_total', { reason: 'store-behind' })).toBe(0);
    expect(e.value('aaawatch_store_batch_seconds_count')).toBe(2);
    expect(e.value('aaawatch_store_batch_seconds_bucket', { le: '0.005' })).toBe(1);
    expect(e.value('aaawatch_store_batch_seconds_bucket', { le: '0.05' })).toBe(2);
    expect(e.value('aaawatch_store_backlog_batches')).toBe(3);
    expect(e.value('aaawatch_store_backlog_limit_batches')).toBe(64);
    expect(e.value('aaawatch_pulls_total', { outcome: 'failed' })).toBe(1);
    expect(e.value('aaawatch_pulls_total', { outcome: 'changed' })).toBe(0);
    expect(e.value('aaawatch_pull_duration_seconds_bucket', { outcome: 'failed', le: '20' })).toBe(1);
    expect(e.value('aaawatch_pull_duration_seconds_bucket', { outcome: 'failed', le: '10' })).toBe(0);
    expect(e.value('aaawatch_reconcile_duration_seconds_count')).toBe(1);
    expect(e.value('aaawatch_reconcile_failures_total')).toBe(1);
    expect(e.value('aaawatch_findings', { kind: 'account-created', severity: 'high', status: 'open' })).toBe(2);
    expect(e.types.get('aaawatch_store_batch_seconds')).toBe('histogram');
  });

  it('adds what batches and commits noted between scrapes to the totals, commits past the bound on what is noted included', async () => {
    const m = new CollectorMetrics({}, { processMetrics: false });
    m.batch([['received.radius', 14]], []);
    m.storeCommitted(1);
    expect((await scrape(m)).value('aaawatch_received_messages_total', { transport: 'radius' })).toBe(14);
    for (let i = 0; i < 5000; i++) {
      m.batch([['received.radius', 1], ['duplicate.radius', i % 2]], []);
      m.storeCommitted(i < 4500 ? 1 : 100);
    }
    // A count and then a total set for the same name in one batch: the count first, as given.
    m.batch([['relp.window_open', 1]], [['relp.window_open', 9]]);
    const e = await scrape(m);
    expect(e.value('aaawatch_received_messages_total', { transport: 'radius' })).toBe(5014);
    expect(e.value('aaawatch_counter_total', { name: 'duplicate.radius' })).toBe(2500);
    expect(e.value('aaawatch_store_batch_seconds_count')).toBe(5001);
    expect(e.value('aaawatch_store_batch_seconds_bucket', { le: '0.001' })).toBe(4501);
    expect(e.value('aaawatch_gauge', { name: 'relp.window_open' })).toBe(9);
  });

  it('renders snapshots taken elsewhere (another thread) together with its own', async () => {
    const here = new CollectorMetrics({}, { processMetrics: false });
    here.batch([['received.udp', 1]], []);
    const there = new CollectorMetrics({}, { processMetrics: false });
    there.reconciled(1500, true);
    // What crosses a thread boundary: the snapshot, cloned.
    const remote = structuredClone(await there.snapshot());
    const e = parseExposition(await renderMetrics([await here.snapshot(), remote.filter((m) => m.name.startsWith('aaawatch_reconcile'))]));
    expect(e.value('aaawatch_received_messages_total', { transport: 'udp' })).toBe(1);
    expect(e.value('aaawatch_reconcile_duration_seconds_count')).toBe(1);
  });
});
