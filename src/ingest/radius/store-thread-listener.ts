// The main thread's handle on the RADIUS server that runs in the store thread (in-store-thread.ts):
// it attaches the server with its setup and a port of its own, waits until the socket is bound (or
// says why not, as a bind here would), and then serves it what only this thread has: the logger,
// /metrics (the counts posted once a second), and requests whose records change accounts, which
// are stored through this thread's pipeline (its account knowledge) and reported back once
// committed. The health checks see the socket through `listening`.

import { MessageChannel } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { ThreadSink } from '../../store/writer-thread.js';
import type { CommitGate } from '../native/commit.js';
import type { Pipeline } from '../pipeline.js';
import type { FromStoreThread, RadiusInStoreSetup, ToStoreThread } from './in-store-thread.js';
import type { RadiusListener } from './listener.js';

export interface HandleContext {
  pipeline: Pipeline;
  gate: CommitGate;
  log: Logger;
}

/** How long `close` waits for the store thread to say the socket is closed (it answers what is being committed first, up to 5 s). */
const CLOSE_WAIT_MS = 10_000;

export function startRadiusInStore(store: ThreadSink, setup: RadiusInStoreSetup, ctx: HandleContext): Promise<RadiusListener> {
  const { port1: port, port2 } = new MessageChannel();
  const post = (m: ToStoreThread): void => port.postMessage(m);
  let bound = false;
  let closed!: () => void;
  const whenClosed = new Promise<void>((resolve) => (closed = resolve));
  let started: { resolve: (l: RadiusListener) => void; reject: (err: Error) => void };
  const starting = new Promise<RadiusListener>((resolve, reject) => (started = { resolve, reject }));

  // Stored here through the main thread's pipeline, as a request would be on this thread.
  const accounts = ({ id, message }: { id: number; message: Parameters<Pipeline['native']>[0] }): void => {
    const done = (ok: boolean): void => post({ accountsDone: { id, ok } });
    const mark = ctx.gate.mark();
    if (!ctx.pipeline.native(message)) return done(false);
    ctx.gate.committed(mark).then(
      () => done(true),
      () => done(false),
    );
  };

  port.on('message', (m: FromStoreThread) => {
    if ('bound' in m) {
      bound = true;
      started.resolve({
        ...m.bound,
        listening: () => bound && store.state().running,
        close: async () => {
          if (bound) post('close');
          const timer = setTimeout(closed, CLOSE_WAIT_MS);
          await whenClosed;
          clearTimeout(timer);
          port.close();
        },
      });
    } else if ('bindFailed' in m) {
      const err: NodeJS.ErrnoException = new Error(m.bindFailed.message);
      if (m.bindFailed.code !== undefined) err.code = m.bindFailed.code;
      started.reject(err);
      port.close();
    } else if ('closed' in m) {
      bound = false;
      closed();
    } else if ('counts' in m) store.noted(m.counts.counters, m.counts.gauges, m.counts.commits);
    else if ('log' in m) ctx.log.error(m.log.fields, m.log.msg);
    else accounts(m.accounts);
  });
  // The store thread ended: nothing is bound any more, and no one waits for it to say so.
  port.on('close', () => {
    bound = false;
    closed();
    started.reject(new Error('the store thread has ended'));
  });
  if (!store.attach({ attach: 'radius', setup }, port2)) started!.reject(new Error('the store thread has ended'));
  return starting;
}
