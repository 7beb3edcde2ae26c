// Acknowledging only what is stored: a native accounting answer (TACACS+ REPLY, RADIUS
// Accounting-Response) is sent once the records it acknowledges are committed. Requests that
// arrive in the same turn of the event loop share one commit (group commit): fifty devices waiting
// at once cost one batch, not fifty.

import type { IngestWriter } from '../../store/writer.js';

export class CommitGate {
  private waiting: Promise<void> | undefined;

  constructor(private readonly writer: IngestWriter) {}

  /** Settles once everything handed to the writer before this call is committed; fails when it was not stored. */
  committed(): Promise<void> {
    if (!this.waiting) {
      // setImmediate runs after every socket that was ready in this turn has been read.
      this.waiting = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.waiting = undefined;
        return this.writer.committed();
      });
    }
    return this.waiting;
  }
}
