// Acknowledging only what is stored: a native accounting answer (TACACS+ REPLY, RADIUS
// Accounting-Response) is sent once the records it acknowledges are committed. Group commit: one
// commit at a time, and the requests that arrive while it is being made go together in the next
// one. A lone request is stored at once; under load each commit carries as many requests as
// arrived during the one before, instead of one transaction per request (measured with radclient,
// 50 in flight: one commit per datagram capped RADIUS at ~750 answered requests/s).

import type { IngestWriter } from '../../store/writer.js';

export class CommitGate {
  /** The commit under way, if any. */
  private current: Promise<void> | undefined;
  /** The commit that will carry what arrives while `current` is under way. */
  private next: Promise<void> | undefined;

  constructor(private readonly writer: IngestWriter) {}

  /** Settles once everything handed to the writer before this call is committed; fails when it was not stored. */
  committed(): Promise<void> {
    if (this.next) return this.next;
    if (!this.current) return this.start();
    this.next = this.current.then(
      () => this.promote(),
      () => this.promote(),
    );
    return this.next;
  }

  private promote(): Promise<void> {
    this.next = undefined;
    return this.start();
  }

  private start(): Promise<void> {
    // setImmediate runs after every socket that was ready in this turn of the event loop has been read.
    const c = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.writer.committed());
    this.current = c;
    const done = (): void => {
      if (this.current === c) this.current = undefined;
    };
    c.then(done, done);
    return c;
  }
}
