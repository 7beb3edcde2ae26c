// What the RELP listener needs from the store: the frames the previous process remembered, and a
// ledger that hands what it remembers to the writer (in the batch of the frames themselves).

import type { Config } from '../../config/schema.js';
import type { Db } from '../../store/db.js';
import type { IngestWriter } from '../../store/writer.js';
import { FIRST_KEPT, ResendLedger, type RememberedSession } from './resends.js';

/** Sessions the previous process left unfinished, oldest first (by their last frame). */
export function rememberedResends(db: Db): RememberedSession[] {
  const rows = db
    .prepare(
      `SELECT f.session, f.source, f.digest FROM relp_frames f
         JOIN (SELECT session, max(at) AS last FROM relp_frames GROUP BY session) s ON s.session = f.session
       ORDER BY s.last, f.session, f.seq`,
    )
    .all() as Array<{ session: string; source: string; digest: string }>;
  const sessions = new Map<string, RememberedSession>();
  for (const r of rows) {
    let s = sessions.get(r.session);
    if (!s) sessions.set(r.session, (s = { session: r.session, source: r.source, digests: [] }));
    s.digests.push(r.digest);
  }
  return [...sessions.values()];
}

export function resendLedger(writer: IngestWriter, relp: Config['ingest']['relp'], remembered: RememberedSession[]): ResendLedger {
  const window = relp.resendWindow;
  return new ResendLedger(
    {
      frame: (session, source, seq, digest) => writer.resendFrame({ session, source, seq, digest, at: Date.now(), keepFirst: FIRST_KEPT, forgetThrough: seq - window }),
      forget: (sessions) => writer.forgetResends(sessions),
    },
    { window, perSource: relp.resendSessionsPerSource, seconds: relp.resendSeconds },
    remembered,
  );
}
