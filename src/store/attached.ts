// Receivers that run inside the store thread, beside the store they write to: the RADIUS
// accounting server (src/ingest/radius/in-store-thread.ts), whose requests are then received,
// committed and answered without crossing threads. The main thread attaches one with a message
// carrying its setup and a port of its own; its batches join this thread's queue (`Local`) and are
// written in order with the main thread's, settled here instead of answered across.

import type { MessagePort } from 'node:worker_threads';
import type { RadiusInStoreSetup, Submit } from '../ingest/radius/in-store-thread.js';

export interface Attach {
  attach: 'radius';
  setup: RadiusInStoreSetup;
  port: MessagePort;
}

/** A batch from a receiver in this thread, waiting in the queue: settled here once committed (the commit's ms) or not. */
export interface Local {
  resolve(ms: number): void;
  reject(err: Error): void;
}

export const isAttach = (m: unknown): m is Attach => typeof m === 'object' && m !== null && 'attach' in m;

/** Starts the receiver; loaded only when one is attached, so a store thread without one loads none of it. */
export async function attach(m: Attach, submit: Submit): Promise<void> {
  try {
    const { startRadiusInStoreThread } = await import('../ingest/radius/in-store-thread.js');
    await startRadiusInStoreThread(m.setup, m.port, submit);
  } catch (err) {
    // The main thread waits for the receiver to say it is bound: it is told why not instead.
    m.port.postMessage({ bindFailed: { message: err instanceof Error ? err.message : String(err), code: undefined } });
  }
}
