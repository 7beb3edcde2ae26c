// Comware 5's four command levels on aaawatch's 0–15 scale: shared by the H3C configuration reader
// (`authorization-attribute level N`) and the RADIUS receiver (H3C-Exec-Privilege), so a login and
// the account it logs in as carry the same privilege.

/** Comware 5 levels 0 visit, 1 monitor, 2 system, 3 manage. */
export const COMWARE5_LEVEL: Readonly<Record<string, string>> = { '0': '0', '1': '1', '2': '7', '3': '15' };
