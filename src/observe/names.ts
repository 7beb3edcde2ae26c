// From the names of aaawatch's counters (what `aaawatch stats` lists: `received.udp`,
// `rejected.source-not-allowed`, `dropped.store-behind`, …) to Prometheus metric families and
// labels. The namespace is read by its first segment, so a counter another part of aaawatch adds
// later (`received.relp`, `rejected.relp-bad-frame`) appears under its family without a change
// here; a name no rule knows is still exported, under `aaawatch_counter_total{name="…"}` (or
// `aaawatch_gauge{name="…"}` for absolute values).


export interface FamilySpec {
  metric: string;
  help: string;
  /** The label the rest of the name (after the first dot) becomes; none for a single series. */
  label?: string;
  /** Counters end in _total and only grow; gauges hold an absolute value. */
  type: 'counter' | 'gauge';
}

/** Families of counters named `<prefix>.<label value>`. */
const PREFIXED: Record<string, FamilySpec> = {
  received: { metric: 'aaawatch_received_messages_total', help: 'Messages received, by transport.', label: 'transport', type: 'counter' },
  malformed: { metric: 'aaawatch_malformed_messages_total', help: 'Messages received malformed (counted and kept), by reason.', label: 'reason', type: 'counter' },
  rejected: { metric: 'aaawatch_rejected_total', help: 'Input refused before it became a message (counted and kept), by reason.', label: 'reason', type: 'counter' },
  dropped: { metric: 'aaawatch_dropped_total', help: 'Records and messages dropped, by reason.', label: 'reason', type: 'counter' },
  errors: { metric: 'aaawatch_errors_total', help: 'Internal errors, by where they happened.', label: 'where', type: 'counter' },
};

/** Counters and absolute values with a name of their own. */
const EXACT: Record<string, FamilySpec> = {
  'recognised.messages': { metric: 'aaawatch_recognised_messages_total', help: 'Messages a platform recognised.', type: 'counter' },
  'recognised.records': { metric: 'aaawatch_recognised_records_total', help: 'Records (account, command, session) read from recognised messages.', type: 'counter' },
  'native.senders-over-bound': { metric: 'aaawatch_native_senders_over_bound_total', help: 'Native accounting packets nothing verified (a wrong key, a packet that did not read) from senders past the bound of such senders given a row of their own.', type: 'counter' },
  'unknown.messages': { metric: 'aaawatch_unknown_type_messages_total', help: 'Messages that look like AAA traffic but match no known form (aaawatch unknowns).', type: 'counter' },
  // Part of the kernel's drops (below): those while the receiving thread paused for the store, so
  // a dashboard tells a slow store from a small receive buffer.
  'kernel.udp.socket_drops.store-behind': { metric: 'aaawatch_kernel_udp_socket_drops_store_behind_total', help: "Of the kernel's drops on aaawatch's UDP socket, those while the store was behind and the receiving thread paused.", type: 'counter' },
  'kernel.udp.socket_drops.store-unwritable': { metric: 'aaawatch_kernel_udp_socket_drops_store_unwritable_total', help: "Of the kernel's drops on aaawatch's UDP socket, those while the store could not be written and the receiving thread paused.", type: 'counter' },
  // The kernel's counts, sampled every 10 s: they only grow, so they are counters.
  'kernel.udp.socket_drops': { metric: 'aaawatch_kernel_udp_socket_drops_total', help: "Datagrams the kernel dropped on aaawatch's UDP socket (/proc/net/udp).", type: 'counter' },
  'kernel.udp.rcvbuf_errors_since_start': { metric: 'aaawatch_kernel_udp_rcvbuf_errors_total', help: 'System-wide UDP receive-buffer errors since aaawatch started (/proc/net/snmp).', type: 'counter' },
  'kernel.udp.in_errors_since_start': { metric: 'aaawatch_kernel_udp_in_errors_total', help: 'System-wide UDP input errors since aaawatch started (/proc/net/snmp).', type: 'counter' },
  'relp.resends-recognised': { metric: 'aaawatch_relp_resends_recognised_total', help: 'RELP frames sent again after a crash or broken session, recognised as stored already: answered, not stored twice.', type: 'counter' },
  'udp.recv_buffer_bytes': { metric: 'aaawatch_udp_receive_buffer_bytes', help: 'Usable UDP receive buffer the kernel granted.', type: 'gauge' },
};

export const OTHER_COUNTERS: FamilySpec = {
  metric: 'aaawatch_counter_total',
  help: 'Other aaawatch counters, by their name in `aaawatch stats`.',
  label: 'name',
  type: 'counter',
};
export const OTHER_GAUGES: FamilySpec = {
  metric: 'aaawatch_gauge',
  help: 'Other aaawatch values, by their name in `aaawatch stats`.',
  label: 'name',
  type: 'gauge',
};

/** Every family a counter name can map to (the two fallbacks included). */
export const FAMILIES: readonly FamilySpec[] = [...Object.values(PREFIXED), ...Object.values(EXACT), OTHER_COUNTERS, OTHER_GAUGES];

/**
 * Where the counter `name` goes. `absolute`: the value was set (a gauge in the writer's terms),
 * not added to; a name no rule knows then goes to the gauge fallback, since nothing says it only grows.
 */
export function metricFor(name: string, absolute: boolean): { family: FamilySpec; labels: Record<string, string> } {
  const exact = EXACT[name];
  if (exact) return { family: exact, labels: {} };
  const dot = name.indexOf('.');
  if (dot > 0 && dot < name.length - 1 && !absolute) {
    const family = PREFIXED[name.slice(0, dot)];
    if (family?.label) return { family, labels: { [family.label]: name.slice(dot + 1) } };
  }
  return absolute ? { family: OTHER_GAUGES, labels: { name } } : { family: OTHER_COUNTERS, labels: { name } };
}
