// rad20 prototype, reverted: batches handed to the store thread through a shared ring (v8.serialize
// into a SharedArrayBuffer), the store thread polling it every AAW_RING_POLL_MS while batches come
// and rung by a postMessage only when it has gone idle, so that a group's post does not wake it.
// On only with AAW_RING=1. Main thread no lower, store thread +10 µs a request (BENCHMARKS.md).
const CAP = 1 << 25;
const MASK = (1 << 30) - 1;
const HEAD = 0;
const TAIL = 1;
const IDLE = 2;
const WRAP = -1;

export interface RingMemory {
  state: Int32Array;
  data: Uint8Array;
}

export function newRing(): RingMemory {
  return { state: new Int32Array(new SharedArrayBuffer(16)), data: new Uint8Array(new SharedArrayBuffer(CAP)) };
}

const align = (n: number): number => (n + 3) & ~3;

/** Producer: false when there is no room. */
export function put(r: RingMemory, bytes: Uint8Array): boolean {
  const head = Atomics.load(r.state, HEAD);
  const tail = Atomics.load(r.state, TAIL);
  const free = CAP - ((head - tail) & MASK);
  const need = 4 + align(bytes.length);
  let at = head & (CAP - 1);
  let skip = 0;
  if (CAP - at < need) skip = CAP - at;
  if (skip + need > free) return false;
  const view = new DataView(r.data.buffer);
  if (skip) {
    view.setInt32(at, WRAP, true);
    at = 0;
  }
  view.setInt32(at, bytes.length, true);
  r.data.set(bytes, at + 4);
  Atomics.store(r.state, HEAD, (head + skip + need) & MASK);
  return true;
}

/** Consumer: each message waiting, in order. Returns how many. */
export function take(r: RingMemory, each: (bytes: Uint8Array) => void): number {
  const head = Atomics.load(r.state, HEAD);
  let tail = Atomics.load(r.state, TAIL);
  const view = new DataView(r.data.buffer);
  let n = 0;
  while (tail !== head) {
    const at = tail & (CAP - 1);
    const len = view.getInt32(at, true);
    if (len === WRAP) {
      tail = (tail + CAP - at) & MASK;
      continue;
    }
    each(r.data.subarray(at + 4, at + 4 + len));
    tail = (tail + 4 + align(len)) & MASK;
    Atomics.store(r.state, TAIL, tail);
    n++;
  }
  return n;
}

export const waiting = (r: RingMemory): boolean => Atomics.load(r.state, HEAD) !== Atomics.load(r.state, TAIL);

/** Consumer: about to sleep; the producer rings next time. */
export const sleeping = (r: RingMemory): void => void Atomics.store(r.state, IDLE, 1);
/** Consumer: awake (polling). */
export const awake = (r: RingMemory): void => void Atomics.store(r.state, IDLE, 0);
/** Producer: whether the consumer sleeps and must be rung (once per sleep). */
export const mustRing = (r: RingMemory): boolean => Atomics.compareExchange(r.state, IDLE, 1, 0) === 1;
