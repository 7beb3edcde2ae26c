// Syslog header parsing: RFC 5424, RFC 3164, and the forms network devices really send
// (Cisco sequence numbers, `*`/`.` clock markers, milliseconds, zone suffixes, year-first
// NX-OS stamps, ASA `host :` separators, relays that prepend their own header).
//
// Written by hand because no npm parser reads these lines (see test/ingest/syslog-parse.test.ts),
// and as a scanner rather than one large regular expression because it runs on every message.

import { isIP, isIPv6 } from 'node:net';
import { platforms } from '../../parsers/index.js';
import type { HeaderQuirk, StructuredData, SyslogMessage, Transport } from '../types.js';
import { digitsAt } from '../../parsers/lib/digits.js';
import { inferYear, utcDay, wallToUtc, zoneOffsetAt } from '../../parsers/lib/wall-clock.js';

/** Vendor header forms declared by the platforms (`Platform.header`), tried only when the scanner's own forms fail. */
const QUIRKS: readonly HeaderQuirk[] = platforms.flatMap((p) => (p.header ? [p.header] : []));

export interface HeaderContext {
  receivedAt: number;
  source?: string | undefined;
  transport: Transport;
  latin1?: boolean;
  /** IANA zone of the device that sent this (by hostname or address), for stamps without a zone. */
  zoneFor?: (hostname: string | undefined, source: string | undefined) => string | undefined;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

// The scanners below return an end index (or -1) and leave the value they read in one of these,
// so reading a stamp allocates nothing: this runs for every message.
let clockMs = 0;
let dayValue = 0;

// The stamp last read (readStamp, readIso, readUptime), in these rather than an object: a stamp
// object and its text cut from the line were 130 of the header's 558 bytes a line (sampling heap
// profile of bench:parse, 2026-12-03), and the message keeps what it needs in its own fields (the
// text as offsets, cut only when read). `stampReads` counts reads, so a stamp read ahead is known
// to be still here.
let stTextStart = 0;
let stEnd = 0;
let stMarker: '*' | '.' | undefined;
let stYear: number | undefined;
let stMonth = 0;
let stDay = 1;
/** Milliseconds since midnight of the wall clock. */
let stMs = 0;
/** Offset in minutes when the stamp says its zone and the zone is known. */
let stOffset: number | undefined;
/** True for uptime stamps (`2w3d:`, `00:01:23:`), which carry no date. */
let stUptime = false;
let stampReads = 0;

/** `hh:mm:ss` with optional fraction at i: returns the end and sets `clockMs`, or -1. */
function readClock(s: string, i: number): number {
  const h = digitsAt(s, i, 2);
  if (h < 0 || h > 23 || s.charCodeAt(i + 2) !== 58) return -1;
  const m = digitsAt(s, i + 3, 2);
  if (m < 0 || m > 59 || s.charCodeAt(i + 5) !== 58) return -1;
  const sec = digitsAt(s, i + 6, 2);
  if (sec < 0 || sec > 60) return -1;
  let end = i + 8;
  let ms = ((h * 60 + m) * 60 + Math.min(sec, 59)) * 1000;
  if (s.charCodeAt(end) === 46 && isDigit(s.charCodeAt(end + 1))) {
    let j = end + 1;
    let frac = 0;
    let scale = 100;
    while (isDigit(s.charCodeAt(j))) {
      frac += (s.charCodeAt(j) - 48) * scale;
      scale /= 10;
      j++;
    }
    ms += Math.floor(frac);
    end = j;
  }
  clockMs = ms;
  return end;
}

/** Month index of an English three-letter month name at i followed by a space, else -1. */
function monthAt(s: string, i: number): number {
  if (s.charCodeAt(i + 3) !== 32) return -1;
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  const c = s.charCodeAt(i + 2);
  switch (a) {
    case 74: // J
      return b === 97 && c === 110 ? 0 : b === 117 ? (c === 110 ? 5 : c === 108 ? 6 : -1) : -1;
    case 70: // F
      return b === 101 && c === 98 ? 1 : -1;
    case 77: // M
      return b === 97 ? (c === 114 ? 2 : c === 121 ? 4 : -1) : -1;
    case 65: // A
      return b === 112 && c === 114 ? 3 : b === 117 && c === 103 ? 7 : -1;
    case 83: // S
      return b === 101 && c === 112 ? 8 : -1;
    case 79: // O
      return b === 99 && c === 116 ? 9 : -1;
    case 78: // N
      return b === 111 && c === 118 ? 10 : -1;
    case 68: // D
      return b === 101 && c === 99 ? 11 : -1;
    default:
      return -1;
  }
}

/** Day of month after a month name: `21`, ` 1` (space-padded) or `01`; returns the end and sets `dayValue`, or -1. */
function readDay(s: string, i: number): number {
  if (s.charCodeAt(i) === 32) i++;
  const d1 = digitsAt(s, i, 1);
  if (d1 < 0) return -1;
  const d2 = digitsAt(s, i + 1, 1);
  const day = d2 < 0 ? d1 : d1 * 10 + d2;
  const end = d2 < 0 ? i + 1 : i + 2;
  if (day < 1 || day > 31 || s.charCodeAt(end) !== 32) return -1;
  dayValue = day;
  return end + 1;
}

function readYear(s: string, i: number): number {
  const y = digitsAt(s, i, 4);
  return y >= 1970 && y <= 2199 && !isDigit(s.charCodeAt(i + 4)) ? y : -1;
}

/** A zone name after a stamp: ` UTC`, ` CEST`, ` UTC+2`; accepted when known, or when followed by `:`. */
function readZone(s: string, i: number): number {
  if (s.charCodeAt(i) !== 32) return i;
  // The zone's first character is tested before the run is scanned: a host after the stamp
  // (`host0 CRON[…]`) is turned away at once.
  const c0 = s.charCodeAt(i + 1);
  if (!((c0 >= 65 && c0 <= 90) || c0 === 43 || c0 === 45)) return i;
  let j = i + 1;
  while (j < s.length && j - i <= 8) {
    const c = s.charCodeAt(j);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) || c === 43 || c === 45 || c === 58) {
      if (c === 58 && (s.charCodeAt(j + 1) === 32 || j + 1 === s.length)) break;
      j++;
    } else break;
  }
  const offset = zoneOffsetAt(s, i + 1, j);
  if (offset === undefined && s.charCodeAt(j) !== 58) return i;
  stOffset = offset;
  return j;
}

/**
 * ISO 8601 / RFC 3339 stamp at i (`2026-11-21T22:10:01.123+01:00`, `Z`, or no zone): its end (the
 * stamp in the `st` variables), or -1. `spaced` also takes a space for the `T` (`2014-11-07
 * 11:18:33`): relays' and collectors' file stamps (syslog-ng's `$YEAR-$MONTH-$DAY $HOUR:$MIN:$SEC`,
 * Kiwi, Graylog and Splunk exports); never in an RFC 5424 header, whose stamp is one field.
 */
function readIso(s: string, i: number, spaced: boolean): number {
  const year = readYearIso(s, i);
  if (year < 0) return -1;
  const month = digitsAt(s, i + 5, 2);
  const day = digitsAt(s, i + 8, 2);
  if (s.charCodeAt(i + 7) !== 45 || month < 1 || month > 12 || day < 1 || day > 31) return -1;
  const t = s.charCodeAt(i + 10);
  if (t !== 84 && t !== 116 && !(spaced && t === 32)) return -1;
  let end = readClock(s, i + 11);
  if (end < 0) return -1;
  const ms = clockMs;
  let offset: number | undefined;
  const z = s.charCodeAt(end);
  if (z === 90 || z === 122) {
    offset = 0;
    end++;
  } else if (z === 43 || z === 45) {
    const hh = digitsAt(s, end + 1, 2);
    const colon = s.charCodeAt(end + 3) === 58 ? 1 : 0;
    const mm = digitsAt(s, end + 3 + colon, 2);
    if (hh < 0 || mm < 0 || hh > 14 || mm > 59) return -1;
    offset = (z === 45 ? -1 : 1) * (hh * 60 + mm);
    end += 5 + colon;
  }
  stampReads++;
  stTextStart = i;
  stEnd = end;
  stMarker = undefined;
  stYear = year;
  stMonth = month - 1;
  stDay = day;
  stMs = ms;
  stOffset = offset;
  stUptime = false;
  return end;
}

function readYearIso(s: string, i: number): number {
  const y = digitsAt(s, i, 4);
  return y >= 1970 && y <= 2199 && s.charCodeAt(i + 4) === 45 ? y : -1;
}

/** Uptime stamps Cisco prints when `service timestamps … uptime`: `2w3d:`, `1d02h:`, `00:01:23:`. Its end, or -1. */
function readUptime(s: string, i: number): number {
  let j = i;
  let units = 0;
  while (isDigit(s.charCodeAt(j))) {
    while (isDigit(s.charCodeAt(j))) j++;
    const u = s.charCodeAt(j);
    if (u === 121 || u === 119 || u === 100 || u === 104 || u === 109) {
      j++;
      units++;
    } else break;
  }
  if (units === 0) j = readClock(s, i);
  else if (units < 2) return -1;
  if (j < 0) return -1;
  if (s.charCodeAt(j) !== 58) return -1;
  stampReads++;
  stTextStart = i;
  stEnd = j;
  stMarker = undefined;
  stYear = undefined;
  stMonth = 0;
  stDay = 1;
  stMs = 0;
  stOffset = undefined;
  stUptime = true;
  return j;
}

/**
 * Any device stamp at i, with an optional `*`/`.` marker:
 * `Nov 21 22:10:01[.123][ 2020]`, `Nov 21 2026 22:10:01[.123]`, `2026 Nov 21 22:10:01`,
 * ISO 8601 (with a space for the `T` only when `spaced`: a line's first stamp, not a word's
 * `Built: 2017-06-07 03:35:36` in a device's printout), or an uptime; then an optional zone.
 */
function readStamp(s: string, i: number, spaced: boolean): number {
  let marker: '*' | '.' | undefined;
  const c = s.charCodeAt(i);
  if (c === 42 || c === 46) {
    marker = c === 42 ? '*' : '.';
    i++;
  }
  const start = i;
  let end = -1;
  const c0 = s.charCodeAt(i);
  if (isDigit(c0)) {
    const y = readYear(s, i);
    if (y > 0 && s.charCodeAt(i + 4) === 32) {
      // NX-OS: `2026 Nov 21 22:10:01`
      const month = monthAt(s, i + 5);
      const dayEnd = month < 0 ? -1 : readDay(s, i + 9);
      end = dayEnd < 0 ? -1 : readClock(s, dayEnd);
      if (end > 0) setStamp(y, month, dayValue, clockMs);
    } else if (y > 0) {
      end = readIso(s, i, spaced);
    } else {
      // An uptime's text leaves its marker out.
      end = readUptime(s, i);
      if (end >= 0) stMarker = marker;
      return end;
    }
  } else {
    const month = monthAt(s, i);
    let p = month < 0 ? -1 : readDay(s, i + 4);
    if (p > 0) {
      const day = dayValue;
      let year: number | undefined;
      const y = readYear(s, p);
      if (y > 0 && s.charCodeAt(p + 4) === 32) {
        year = y;
        p += 5;
      }
      end = readClock(s, p);
      if (end > 0) {
        const ms = clockMs;
        // Junos with `time-format year millisecond`: `Nov 10 12:21:25.510 2020`; not the first
        // group of an IPv6 host (`Nov 20 09:30:00 2001:db8::6`, ipv6HostEnd).
        if (year === undefined && s.charCodeAt(end) === 32) {
          const y2 = readYear(s, end + 1);
          if (y2 > 0 && !(s.charCodeAt(end + 5) === 58 && s.charCodeAt(end + 6) !== 32)) {
            year = y2;
            end += 5;
          }
        }
        setStamp(year, month, day, ms);
      }
    }
  }
  if (end <= 0) return -1;
  if (stOffset === undefined) end = readZone(s, end);
  stEnd = end;
  stMarker = marker;
  stTextStart = marker ? start - 1 : start;
  return end;
}

/** A dated stamp without a zone (yet) into the `st` variables. */
function setStamp(year: number | undefined, month: number, day: number, ms: number): void {
  stampReads++;
  stYear = year;
  stMonth = month;
  stDay = day;
  stMs = ms;
  stOffset = undefined;
  stUptime = false;
}

const isSpace = (c: number): boolean => c === 32 || c === 9;

function skipSpaces(s: string, i: number): number {
  while (isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** End (the `:`) of a Cisco sequence number `2406: ` at i (at most 12 digits, not a clock), or -1. */
function sequenceEnd(s: string, i: number): number {
  let j = i;
  while (isDigit(s.charCodeAt(j))) j++;
  return j > i && j - i <= 12 && s.charCodeAt(j) === 58 && s.charCodeAt(j + 1) === 32 && readClock(s, i) < 0 ? j : -1;
}

/** End (the `:`) of an IOS-XR node id like `RP/0/RSP0/CPU0:` or `LC/0/1/CPU0:` at i, or -1. */
function nodeIdEnd(s: string, i: number): number {
  if (s.charCodeAt(i + 1) !== 47 && !(s.charCodeAt(i) >= 65 && s.charCodeAt(i) <= 90)) return -1;
  let j = i;
  let slashes = 0;
  while (j < s.length && j - i < 40) {
    const c = s.charCodeAt(j);
    if (c === 47) slashes++;
    else if (c === 58) return slashes >= 2 ? j : -1;
    else if (!((c >= 65 && c <= 90) || isDigit(c))) return -1;
    j++;
  }
  return -1;
}

/** A hostname-like token at i: ends at space, tab or `:`. Returns its end, or -1. */
function tokenEnd(s: string, i: number): number {
  let j = i;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c === 32 || c === 9 || c === 58) break;
    // Hostnames, IPv4 and bracket-free IPv6 never carry these; a program tag `x[12]:` does.
    if (c === 91 || c === 93 || c === 61 || c === 34 || c === 37 || c === 44 || c < 32) return -1;
    j++;
  }
  if (j === i || j - i > 255) return -1;
  // An IPv6 source written as host (`fe80::1`) contains colons: take them when a space follows.
  if (s.charCodeAt(j) === 58 && s.charCodeAt(j + 1) === 58) {
    let k = j;
    while (k < s.length && !isSpace(s.charCodeAt(k))) k++;
    if (/^[0-9A-Fa-f:.]+$/.test(s.slice(i, k))) return k;
  }
  return j;
}

const isHex = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/**
 * End of an IPv6 address written as the host at i (a relay's `%fromhost-ip%`, rsyslog's
 * `%HOSTNAME%` for a sender without a name: `2001:db8::6`, `::1`, `::ffff:192.0.2.12`) when a space
 * or tab follows it, or -1. Looked for before a stamp: `2001:` read as a year took the address's
 * first group as the line's year and its rest as the host (`db8::6`, a record dated 2001). Cheap
 * for other hosts: a colon must come within the first five characters, after hex digits only.
 */
function ipv6HostEnd(s: string, i: number): number {
  let k = i;
  while (k < i + 4 && isHex(s.charCodeAt(k))) k++;
  if (s.charCodeAt(k) !== 58) return -1;
  while (k < s.length && !isSpace(s.charCodeAt(k))) k++;
  return k < s.length && k - i <= 45 && isIPv6(s.slice(i, k)) ? k : -1;
}

/** End of the device's name at i after a host that is an address, when a Cisco tag or a program follows the name; or -1. */
function relayedNameEnd(s: string, i: number, host: string): number {
  // The word's shape first: on every line whose host came after its stamp this runs once, and most
  // words there are a program (`sshd[12]:`) or a tag (`%ASA-…`), which tokenEnd refuses at once.
  const j = tokenEnd(s, i);
  // A name, not a second address (tokenEnd takes an IPv6 one's colons).
  if (j < 0 || s.charCodeAt(j) !== 32 || s.lastIndexOf(':', j) >= i) return -1;
  const h0 = host.charCodeAt(0);
  if (!(isHex(h0) || h0 === 58) || isIP(host) === 0) return -1;
  const k = skipSpaces(s, j);
  return readTag(s, k) > 0 || readProgram(s, k) >= 0 ? j : -1;
}

/**
 * A known zone and its colon at i before a Cisco tag (`AEST: %SEC_LOGIN-…`): the zone is made the
 * kept stamp's (when it had none) and the colon's place returned; else -1.
 */
function zoneAfterHostEnd(s: string, i: number, m: Message): number {
  const c = s.charCodeAt(i);
  if (!(c >= 65 && c <= 90)) return -1;
  const saved = stOffset;
  const end = readZone(s, i - 1);
  const offset = stOffset;
  stOffset = saved;
  // A known zone only: EOS names its agent there (`leaf1 Ebra: %LINEPROTO-5-UPDOWN: …`).
  if (end <= i || offset === undefined || s.charCodeAt(end) !== 58 || s.charCodeAt(end + 1) !== 32 || readTag(s, end + 2) < 0) return -1;
  m.zoneOfStamp(offset);
  return end;
}

const tagOrProgramAt = (s: string, i: number): boolean => readTag(s, i) > 0 || readProgram(s, i) >= 0;

/** End of an event number at i (digits a space and a program follow), or -1. */
function eventNumberEnd(s: string, i: number): number {
  let j = i;
  while (isDigit(s.charCodeAt(j))) j++;
  if (j - i > 10 || s.charCodeAt(j) !== 32) return -1;
  return readProgram(s, skipSpaces(s, j)) >= 0 ? j : -1;
}

/**
 * RFC 3164 and the device forms: a run of sequence numbers, stamps and a hostname, in any of the
 * orders devices use. Sets the message's hostname, sequence and stamp; returns where the body starts.
 */
function readLegacy(s: string, p: number, m: Message): number {
  let hasStamp = false;
  let hostname: string | undefined;
  // The host was the word after a stamp, as a relay writes its sender's address (relayedNameEnd).
  let hostAfterStamp = false;
  let sequence: string | undefined;
  // A stamp read ahead (after an IOS-XR node id or a host) is read again at the next step: kept,
  // as long as no other stamp was read since.
  let aheadRead = -1;
  let aheadAt = -1;
  // Where the stamp after an IOS-XR node id starts, or -1.
  let nodeStampAt = -1;
  // The last stamp read ended with its colon (`… 12:55:19 UTC:`): Cisco's device stamp, which the body follows.
  let stampColon = false;
  // A line may open with a file's spaced stamp (`2014-11-07 11:18:33`, readIso's `spaced`): read
  // ahead here, so that every read in the loop below is of the common forms. Passing the loop's
  // reads `i === p` instead cost the header ~4% of its CPU over bench:parse's traffic (three
  // builds' readMessage alternated in one process, 9 runs each, medians; 2026-12-07).
  if (isDigit(s.charCodeAt(p)) && s.charCodeAt(p + 10) === 32) {
    aheadRead = readStamp(s, p, true) >= 0 ? stampReads : -1;
    aheadAt = p;
  }
  let i = p;
  for (let steps = 0; steps < 8; steps++) {
    i = skipSpaces(s, i);
    const c = s.charCodeAt(i);
    if (c === 37 /* % */ || i >= s.length) break;
    // NX-OS without an origin id sends an empty field: `<189>: 2019 Apr 18 …`; ASA, PIX and FWSM
    // lines relayed so (a Russian SOC's captures) have it glued to the stamp: `<165>:Aug 30 12:26:30 MSK: %ASA-…`.
    if (c === 58 && i === p && (s.charCodeAt(i + 1) === 32 || readStamp(s, i + 1, false) >= 0)) {
      i += s.charCodeAt(i + 1) === 32 ? 2 : 1;
      continue;
    }
    // … and the stamp's colon spaced off and glued to the tag: `<165>:Jan 14 18:10:27 MSK :%ASA-5-111008: …`.
    if (c === 58 && hasStamp && s.charCodeAt(i + 1) === 37 && readTag(s, i + 1) > 0) {
      i++;
      continue;
    }
    // IOS-XR names the node before its stamp, without a space: `RP/0/RSP0/CPU0:Sep 25 …`, `0/RP0/CPU0:…`.
    if ((c >= 65 && c <= 90) || isDigit(c)) {
      const j = nodeIdEnd(s, i);
      if (j > 0) {
        const ok = readStamp(s, j + 1, false) >= 0;
        aheadAt = j + 1;
        aheadRead = ok ? stampReads : -1;
        if (ok) {
          i = j + 1;
          nodeStampAt = i;
          continue;
        }
      }
    }
    // Sequence number `2406: ` (also the relay's message counter `54: 000051: `).
    if (isDigit(c)) {
      const j = sequenceEnd(s, i);
      if (j > 0) {
        const n = s.slice(i, j);
        sequence = sequence === undefined ? n : sequence + ' ' + n;
        i = j + 2;
        continue;
      }
    }
    if (hasStamp && hostname === undefined) {
      const k = ipv6HostEnd(s, i);
      if (k > 0) {
        hostname = s.slice(i, k);
        hostAfterStamp = true;
        i = k;
        continue;
      }
    }
    let st: boolean;
    if (i !== aheadAt) st = readStamp(s, i, false) >= 0;
    else if (aheadRead < 0) st = false;
    else st = aheadRead === stampReads || readStamp(s, i, false) >= 0;
    if (st) {
      let end = stEnd;
      // A stamp ending in a tab opens a tab-separated file line, not a syslog header: shrubbery
      // tac_plus's accounting file (`Feb  2 18:41:38<TAB>nas<TAB>user…`, strftime `%h %e %T`)
      // imported or shipped bare. Read as a header, the NAS became the sender and the line no
      // platform's; left whole, its platform reads it as it reads the file's other stamp forms.
      if (!hasStamp && s.charCodeAt(end) === 9) break;
      let colon = s.charCodeAt(end) === 58;
      // IOS-XR spaces the colon after a stamp it prints without a zone, as it spaces its tags':
      // `RP/0/RP0/CPU0:Feb  2 22:37:57 : config[67778]: %MGBL-CONFIG-6-DB_COMMIT : …`.
      if (!colon && i === nodeStampAt && s.charCodeAt(end) === 32 && s.charCodeAt(end + 1) === 58 && s.charCodeAt(end + 2) === 32) {
        colon = true;
        end++;
      }
      // A second stamp is the device's own behind a relay's header: Cisco ends it with `:`.
      if (hasStamp && !colon) break;
      if (colon) end++;
      stampColon = colon;
      if (!hasStamp || !stUptime) {
        hasStamp = true;
        m.keepStamp();
      }
      i = end;
      continue;
    }
    if (hostname !== undefined) {
      // A zone after the host, then a Cisco tag: `Jun 14 12:00:59 ac2109-sr2 AEST: %SEC_LOGIN-…`, an
      // IOS line (`service timestamps log datetime localtime show-timezone`) whose stamp a relay read
      // without its zone and wrote its own host after: the zone is the stamp's.
      const zoneEnd = hostAfterStamp ? zoneAfterHostEnd(s, i, m) : -1;
      if (zoneEnd > 0) {
        i = skipSpaces(s, zoneEnd + 1);
        break;
      }
      // ProCurve numbers its events between host and program: `192.168.1.254  00179 mgr:  SME SSH …`.
      const numberEnd = hostAfterStamp && isDigit(c) ? eventNumberEnd(s, i) : -1;
      if (numberEnd > 0) {
        sequence = s.slice(i, numberEnd);
        i = skipSpaces(s, numberEnd);
        break;
      }
      // A relay's file line names the sender twice, its address then the name it gave
      // (`2014-11-07 11:18:33 192.168.1.1 FW-01 %ASA-5-502103: …`, rsyslog's `%fromhost-ip%
      // %HOSTNAME%`): the name is the device's. Taken only when the device's tag or program follows
      // it, so a bare address's text (`10.0.0.1 login failed …`) keeps its first word.
      const k = hostAfterStamp ? relayedNameEnd(s, i, hostname) : -1;
      if (k < 0) break;
      hostname = s.slice(i, k);
      hostAfterStamp = false;
      i = k;
      continue;
    }
    const j = tokenEnd(s, i);
    if (j < 0) break;
    if (s.charCodeAt(j) === 58) {
      // `sw1: 2026 Nov 21 …` (NX-OS, IOS with `logging origin-id`): a host before the stamp.
      if (!hasStamp && s.charCodeAt(j + 1) === 32) {
        const k = skipSpaces(s, j + 1);
        const ok = readStamp(s, k, false) >= 0;
        aheadAt = k;
        aheadRead = ok ? stampReads : -1;
        if (ok) {
          hostname = s.slice(i, j);
          i = k;
          continue;
        }
      }
      // `fw1: %ASA-…` after the stamp.
      if (hasStamp && s.charCodeAt(j + 1) === 32 && s.charCodeAt(j + 2) === 37) {
        hostname = s.slice(i, j);
        i = j + 1;
        continue;
      }
      break;
    }
    // `sac-firewall : %ASA-…` (ASA with `logging device-id`).
    if (s.charCodeAt(j) === 32 && s.charCodeAt(j + 1) === 58 && (s.charCodeAt(j + 2) === 32 || j + 2 === s.length)) {
      hostname = s.slice(i, j);
      i = j + 2;
      continue;
    }
    // After a stamp that ended with its colon a word is a host only before a tag or a program: else
    // the body has begun (`<187>: 2023 May  2 12:55:19 UTC: last message repeated 1 times`, NX-OS).
    if (hasStamp && isSpace(s.charCodeAt(j)) && (!stampColon || tagOrProgramAt(s, skipSpaces(s, j)))) {
      hostname = s.slice(i, j);
      hostAfterStamp = true;
      i = j;
      continue;
    }
    // IOS-XR with `logging hostname` names itself before its node id and stamp:
    // `<190>290692: HOST_NAME RP/0/RSP0/CPU0:Mar 26 14:47:02.754 : SSHD_[65935]: %SECURITY-…`
    // (sc4s's tests); the next step reads the node id and its stamp again.
    if (!hasStamp && hostname === undefined && s.charCodeAt(j) === 32) {
      const n = nodeIdEnd(s, j + 1);
      if (n > 0 && readStamp(s, n + 1, false) >= 0) {
        hostname = s.slice(i, j);
        i = j + 1;
        continue;
      }
    }
    break;
  }
  m.hostname = hostname;
  m.sequence = sequence;
  return skipSpaces(s, i);
}

/** The first platform header quirk that reads the line, into the message (its hostname and stamp, no sequence). A quirk that throws reads nothing. Where the body starts, or -1. */
function readQuirk(s: string, start: number, m: Message): number {
  for (const quirk of QUIRKS) {
    let q;
    try {
      q = quirk.read(s, start);
    } catch {
      continue;
    }
    if (!q || q.body <= start || q.body > s.length) continue;
    m.hostname = q.hostname;
    m.sequence = undefined;
    m.quirkStamp(q.timeText, q.year, q.month, q.day, q.ms, q.offset);
    return q.body;
  }
  return -1;
}

/** Cisco-family tag at the start of the body: `%PARSER-5-CFGLOG_LOGGEDCMD:`, `%ASA-auth-4-113004:`. */
function readTag(s: string, i: number): number {
  if (s.charCodeAt(i) !== 37) return -1;
  let j = i + 1;
  let dashes = 0;
  while (j < s.length && j - i < 96) {
    const c = s.charCodeAt(j);
    if (c === 58 || c === 32) break;
    if (c === 45) dashes++;
    else if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) || c === 95)) return -1;
    j++;
  }
  if (dashes < 2) return -1;
  if (s.charCodeAt(j) === 58) return j;
  // IOS-XR: `%MGBL-CONFIG-6-DB_COMMIT : Configuration committed …`
  return s.charCodeAt(j) === 32 && s.charCodeAt(j + 1) === 58 ? j + 1 : -1;
}

/** Record the tag found at i (ending at the colon `end`) and return where the text after it starts. */
function takeTag(s: string, i: number, end: number, m: Message): number {
  m.tag = s.charCodeAt(end - 1) === 32 ? s.slice(i + 1, end - 1) : s.slice(i + 1, end);
  return skipSpaces(s, end + 1);
}

let programName = '';
let programPid: string | undefined;

/** RFC 3164 TAG: `prog:`, `prog[123]:`. Returns where the text after it starts (setting `programName`, `programPid`), or -1. */
function readProgram(s: string, i: number): number {
  let j = i;
  while (j < s.length && j - i <= 64) {
    const c = s.charCodeAt(j);
    if (
      (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c) ||
      c === 95 || c === 45 || c === 46 || c === 47 || c === 40 || c === 41
    ) j++;
    else break;
  }
  if (j === i) return -1;
  const nameEnd = j;
  let pid: string | undefined;
  if (s.charCodeAt(j) === 91) {
    const close = s.indexOf(']', j);
    if (close < 0 || close - j > 32) return -1;
    pid = s.slice(j + 1, close);
    j = close + 1;
  }
  if (s.charCodeAt(j) !== 58) return -1;
  const after = s.charCodeAt(j + 1);
  if (j + 1 < s.length && after !== 32 && after !== 9) return -1;
  programName = s.slice(i, nameEnd);
  programPid = pid;
  return skipSpaces(s, j + 1);
}

/** An RFC 5424 header field from i to the space at sp: undefined for the NILVALUE `-`. */
function field5424(s: string, i: number, sp: number): string | undefined {
  return sp === i + 1 && s.charCodeAt(i) === 45 ? undefined : s.slice(i, sp);
}

/**
 * RFC 5424 after `<PRI>VERSION `. Returns undefined (caller marks malformed) on a structural error.
 * The fields are read one by one, not pushed into an array with the stamp's text cut as a field of
 * its own: with the structured-data expression below, 0.87× the header's CPU on Junos flow lines
 * (2026-12-03, load 12, alternated in one process both ways round).
 */
function read5424(s: string, i: number, m: Message, ctx: HeaderContext): string | undefined {
  let stamped = false;
  let sp = s.indexOf(' ', i);
  if (sp < 0) return 'rfc5424-truncated-header';
  if (sp !== i + 1 || s.charCodeAt(i) !== 45) {
    const end = readIso(s, i, false);
    if (end < 0 || end !== sp) return 'rfc5424-bad-timestamp';
    stamped = true;
  }
  i = sp + 1;
  sp = s.indexOf(' ', i);
  if (sp < 0) return 'rfc5424-truncated-header';
  const hostname = field5424(s, i, sp);
  i = sp + 1;
  sp = s.indexOf(' ', i);
  if (sp < 0) return 'rfc5424-truncated-header';
  const appName = field5424(s, i, sp);
  i = sp + 1;
  sp = s.indexOf(' ', i);
  if (sp < 0) return 'rfc5424-truncated-header';
  const procId = field5424(s, i, sp);
  i = sp + 1;
  sp = s.indexOf(' ', i);
  if (sp < 0) return 'rfc5424-truncated-header';
  m.hostname = hostname;
  m.appName = appName;
  m.procId = procId;
  m.msgId = field5424(s, i, sp);
  i = sp + 1;
  if (stamped) {
    m.keepStamp();
    m.stampResolvedWith(ctx.zoneFor);
  }
  if (s.charCodeAt(i) === 45) {
    i++;
  } else if (s.charCodeAt(i) === 91) {
    const start = i;
    while (s.charCodeAt(i) === 91) {
      const r = skipSdElement(s, i + 1);
      if (r < 0) return 'rfc5424-bad-structured-data';
      i = r;
    }
    m.sdStart = start;
    m.sdEnd = i;
  } else {
    return 'rfc5424-bad-structured-data';
  }
  if (i < s.length) {
    if (s.charCodeAt(i) !== 32) return 'rfc5424-bad-structured-data';
    i++;
  }
  if (s.charCodeAt(i) === 0xfeff) i++;
  // rsyslog's `%msg%` keeps the space that followed the program's `tag:`, so its RFC 5424 template
  // (`… %STRUCTURED-DATA% %msg%`, RSYSLOG_SyslogProtocol23Format; Cloud Foundry's BOSH relays) sends
  // the body after two spaces. The body is read from its first word, as after a legacy tag
  // (readProgram): recognisers anchor at the start, and the raw line keeps every space.
  i = skipSpaces(s, i);
  const tagged = readCiscoBody(s, i, m);
  m.message = s.slice(tagged >= 0 ? tagged : i);
  return undefined;
}

/**
 * A Cisco device's own body opening an RFC 5424 MSG (NX-OS `logging rfc-strict 5424`, IOS-XE's
 * RFC 5424 logging, a relay that re-frames the line): sequence numbers, the device's stamp ending
 * in `:`, then `%TAG:`. The tag (and sequence) are taken as under a legacy header, so the same
 * message yields the same records; the header's stamp stays the message's time. Where the text
 * after the tag starts, or -1 (MSG left whole).
 */
function readCiscoBody(s: string, i: number, m: Message): number {
  let j = i;
  let sequence: string | undefined;
  for (let n = 0; n < 2; n++) {
    const k = sequenceEnd(s, j);
    if (k < 0) break;
    sequence = sequence === undefined ? s.slice(j, k) : sequence + ' ' + s.slice(j, k);
    j = k + 2;
  }
  if (s.charCodeAt(j) !== 37) {
    const e = readStamp(s, j, false);
    if (e < 0 || s.charCodeAt(e) !== 58) return -1;
    j = skipSpaces(s, e + 1);
  }
  const end = readTag(s, j);
  if (end < 0) return -1;
  if (sequence !== undefined) m.sequence = sequence;
  return takeTag(s, j, end, m);
}

/**
 * One `[id name="value" …]` element (the `[` already consumed), checked without reading it: the
 * parameters are read only when a platform asks. A quote after a backslash is escaped. One sticky
 * expression, not a loop of searches: Junos flow logs carry twenty parameters a line. A value is
 * read as runs of plain characters between escapes (`[^"\\]*(?:\\[\s\S][^"\\]*)*`, the same language
 * as one character or one escape at a time, and the same match: neither leaves a choice to
 * backtrack into), which the engine reads as a loop over a class, not one step per character.
 */
const SD_ELEMENT = /[^ \]="]{1,32}(?: [^ \]"\x00-\x1f]{1,32}="[^"\\]*(?:\\[\s\S][^"\\]*)*")*\]/y;

/** Returns the index after the element's `]`, or -1. */
function skipSdElement(s: string, i: number): number {
  SD_ELEMENT.lastIndex = i;
  return SD_ELEMENT.test(s) ? SD_ELEMENT.lastIndex : -1;
}

// Element and parameter names as keys of the null-prototype objects `sd` gives: a name cut from
// the frame is made a property key afresh each time, measured 0.5 µs a key (a Junos command line's
// `sd` cost 4 µs, half its reading). The few names devices use are kept and handed out again, as
// copies (a substring would hold its whole frame); a sender inventing names only empties the table.
const SD_NAMES = new Map<string, string>();
const MAX_SD_NAMES = 1024;

function sdName(name: string): string {
  let kept = SD_NAMES.get(name);
  if (kept === undefined) {
    if (SD_NAMES.size >= MAX_SD_NAMES) SD_NAMES.clear();
    kept = name.length < 13 ? name : (JSON.parse(JSON.stringify(name)) as string);
    SD_NAMES.set(kept, kept);
  }
  return kept;
}

/** Reads one `[id name="value" …]` element into `sd` (the `[` already consumed); the index after `]`, or -1. */
function readSdElement(s: string, i: number, sd: StructuredData): number {
  let j = i;
  while (j < s.length && s.charCodeAt(j) !== 32 && s.charCodeAt(j) !== 93) j++;
  if (j === i || j - i > 32) return -1;
  const cut = s.slice(i, j);
  if (cut.includes('=') || cut.includes('"')) return -1;
  const id = sdName(cut);
  const params: Record<string, string> = sd[id] ?? Object.create(null);
  sd[id] = params;
  while (s.charCodeAt(j) === 32) {
    const eq = s.indexOf('="', j + 1);
    if (eq < 0 || eq === j + 1 || eq - j - 1 > 32) return -1;
    for (let n = j + 1; n < eq; n++) {
      const c = s.charCodeAt(n);
      if (c <= 32 || c === 93 || c === 34 || c === 61) return -1;
    }
    const name = sdName(s.slice(j + 1, eq));
    let k = eq + 2;
    let value = '';
    let runStart = k;
    for (;;) {
      if (k >= s.length) return -1;
      const c = s.charCodeAt(k);
      if (c === 34) break;
      if (c === 92) {
        const n = s.charCodeAt(k + 1);
        if (n === 34 || n === 92 || n === 93) {
          value += s.slice(runStart, k);
          runStart = k + 1;
          k += 2;
          continue;
        }
      }
      k++;
    }
    params[name] = value + s.slice(runStart, k);
    j = k + 1;
  }
  return s.charCodeAt(j) === 93 ? j + 1 : -1;
}

/**
 * A parsed message. Structured data is checked while parsing but read into objects only when a
 * platform asks for `sd`: Junos SRX flow logs carry dozens of parameters nobody here reads.
 */
class Message implements SyslogMessage {
  receivedAt: number;
  source: string | undefined;
  transport: SyslogMessage['transport'];
  format: SyslogMessage['format'] = 'bare';
  malformed: string | undefined = undefined;
  latin1: boolean;
  pri: number | undefined = undefined;
  clockMarker: SyslogMessage['clockMarker'] = undefined;
  hostname: string | undefined = undefined;
  appName: string | undefined = undefined;
  procId: string | undefined = undefined;
  msgId: string | undefined = undefined;
  sequence: string | undefined = undefined;
  tag: string | undefined = undefined;
  message: string;
  /** The structured data's span in `raw`, read on first use of `sd`. */
  sdStart = 0;
  sdEnd = 0;
  private parsedSd: StructuredData | undefined = undefined;
  private stampTime: number;
  private stampQuality: SyslogMessage['timeQuality'] = 'received';
  /**
   * The stamp's text: its span in `raw`, cut on first read (most messages are only counted, and
   * their stamp text never read), or a text of its own (a quirk's, an envelope's).
   */
  private textStart = -1;
  private textEnd = 0;
  private textOwn: string | undefined = undefined;
  /** A stamp not yet turned into UTC (most messages are only counted, and their time never read), and its wall clock. */
  private pending = false;
  private stampYear: number | undefined = undefined;
  private stampMonth = 0;
  private stampDay = 1;
  private stampMs = 0;
  private stampOffset: number | undefined = undefined;
  private stampHost: string | undefined = undefined;
  private zoneFor: HeaderContext['zoneFor'] = undefined;
  envelope: SyslogMessage['envelope'] = undefined;
  /** The time a stamp without a year is taken to be near: the receive time, or a collector's dated stamp before the line. */
  yearAround: number;

  constructor(
    readonly raw: string,
    ctx: HeaderContext,
  ) {
    this.receivedAt = ctx.receivedAt;
    this.source = ctx.source;
    this.transport = ctx.transport;
    this.latin1 = ctx.latin1 === true;
    this.stampTime = ctx.receivedAt;
    this.yearAround = ctx.receivedAt;
    this.message = raw;
  }

  // Facility and severity are the PRI's parts: worked out when read, not kept.
  get facility(): number | undefined {
    return this.pri === undefined ? undefined : this.pri >> 3;
  }

  get severity(): number | undefined {
    return this.pri === undefined ? undefined : this.pri & 7;
  }

  get timeText(): string | undefined {
    if (this.textOwn === undefined && this.textStart >= 0) this.textOwn = this.raw.slice(this.textStart, this.textEnd);
    return this.textOwn;
  }

  get time(): number {
    if (this.pending) this.resolveStamp();
    return this.stampTime;
  }

  get timeQuality(): SyslogMessage['timeQuality'] {
    if (this.pending) this.resolveStamp();
    return this.stampQuality;
  }

  /** True when the header carried a stamp of its own (an uptime stamp counts: it says the device stamped nothing else). */
  hasStamp(): boolean {
    return this.textStart >= 0 || this.textOwn !== undefined;
  }

  /** The stamp the scanner last read (the `st` variables), as this message's; an uptime gives a text and no time. */
  keepStamp(): void {
    this.textStart = stTextStart;
    this.textEnd = stEnd;
    this.textOwn = undefined;
    this.clockMarker = stMarker;
    this.pending = !stUptime;
    this.stampYear = stYear;
    this.stampMonth = stMonth;
    this.stampDay = stDay;
    this.stampMs = stMs;
    this.stampOffset = stOffset;
  }

  /** A zone written after the host (`zoneAfterHostEnd`): the kept stamp's, unless it had one. */
  zoneOfStamp(offset: number | undefined): void {
    if (this.stampOffset === undefined) this.stampOffset = offset;
  }

  /** A stamp read by a platform's header quirk. */
  quirkStamp(text: string, year: number, month: number, day: number, ms: number, offset: number | undefined): void {
    this.textStart = -1;
    this.textOwn = text;
    this.clockMarker = undefined;
    this.pending = true;
    this.stampYear = year;
    this.stampMonth = month;
    this.stampDay = day;
    this.stampMs = ms;
    this.stampOffset = offset;
  }

  /** The header is read: a zone is looked up by the hostname as read with the stamp. */
  stampResolvedWith(zoneFor: HeaderContext['zoneFor']): void {
    if (!this.pending) return;
    this.stampHost = this.hostname;
    this.zoneFor = zoneFor;
  }

  /** A time decided outside the header (an envelope's stamp, or the outer header's). */
  useTime(ms: number, text: string | undefined, quality: SyslogMessage['timeQuality']): void {
    this.pending = false;
    this.stampTime = ms;
    this.stampQuality = quality;
    this.textStart = -1;
    this.textOwn = text;
  }

  private resolveStamp(): void {
    this.pending = false;
    const year = this.stampYear ?? inferYear(this.stampMonth, this.stampDay, this.stampMs, this.yearAround);
    const wall = utcDay(year, this.stampMonth, this.stampDay) + this.stampMs;
    if (Number.isNaN(wall)) return;
    if (this.stampOffset !== undefined) {
      this.stampTime = wall - this.stampOffset * 60_000;
      this.stampQuality = this.stampYear === undefined ? 'inferred' : 'exact';
      return;
    }
    const zone = this.zoneFor?.(this.stampHost, this.source);
    this.stampTime = zone ? wallToUtc(wall, zone) : wall;
    this.stampQuality = 'inferred';
  }

  get sd(): StructuredData | undefined {
    if (this.parsedSd === undefined && this.sdEnd > this.sdStart) {
      const sd: StructuredData = Object.create(null);
      for (let i = this.sdStart; this.raw.charCodeAt(i) === 91; ) i = readSdElement(this.raw, i + 1, sd);
      this.parsedSd = sd;
    }
    return this.parsedSd;
  }
}

// Kiwi's facility and level names (its `Local4.Info`; the RFC 5424 keywords too), as PRI parts.
const KIWI_FACILITIES = new Map<string, number>([
  ['kernel', 0], ['kern', 0], ['user', 1], ['mail', 2], ['system', 3], ['daemon', 3], ['security', 4], ['auth', 4],
  ['syslog', 5], ['printer', 6], ['lpr', 6], ['news', 7], ['uucp', 8], ['clock', 9], ['cron', 9], ['authpriv', 10],
  ['ftp', 11], ['ntp', 12], ['logaudit', 13], ['audit', 13], ['logalert', 14], ['alert', 14],
  ...Array.from({ length: 8 }, (_, n): [string, number] => [`local${n}`, 16 + n]),
]);
const KIWI_LEVELS = new Map<string, number>([
  ['emergency', 0], ['emerg', 0], ['alert', 1], ['critical', 2], ['crit', 2], ['error', 3], ['err', 3],
  ['warning', 4], ['warn', 4], ['notice', 5], ['info', 6], ['debug', 7],
]);
/**
 * After a stamp's tab, Kiwi's `Facility.Level<TAB>host<TAB>`: where the message starts times 256
 * plus the PRI its facility and level make (as priAt), or -1. The host lies between the first two tabs.
 */
function kiwiAt(s: string, i: number): number {
  const tab = s.indexOf('\t', i);
  const dot = s.indexOf('.', i);
  if (tab < 0 || tab - i > 24 || dot < 0 || dot > tab) return -1;
  const facility = KIWI_FACILITIES.get(s.slice(i, dot).toLowerCase());
  const level = KIWI_LEVELS.get(s.slice(dot + 1, tab).toLowerCase());
  if (facility === undefined || level === undefined) return -1;
  const host = tab + 1;
  const end = tokenEnd(s, host);
  if (end < 0 || s.charCodeAt(end) !== 9) return -1;
  return (end + 1) * 256 + facility * 8 + level;
}

/**
 * A valid `<PRI>` at i: its end times 256 plus its value (a value is at most 191), or -1. One
 * number, so that every line's PRI is read without a store to a module variable.
 */
function priAt(s: string, i: number): number {
  if (s.charCodeAt(i) !== 60) return -1;
  let pri = 0;
  let j = i + 1;
  while (j < s.length && j - i <= 3 && isDigit(s.charCodeAt(j))) pri = pri * 10 + s.charCodeAt(j++) - 48;
  if (j === i + 1 || s.charCodeAt(j) !== 62 || pri > 191 || (j - i > 2 && s.charCodeAt(i + 1) === 48)) return -1;
  return (j + 1) * 256 + pri;
}

/**
 * Whether what a collector writes after its stamp (` <` before the line's PRI, or Kiwi's tab) comes
 * within a stamp's length of i (15 characters for `Nov  8 17:06:37`, 32 for an RFC 3339 stamp with
 * microseconds and a zone): a line without a PRI is read for a stamp twice only when it may be one.
 */
function collectorMarkAhead(s: string, i: number): boolean {
  const end = Math.min(s.length, i + 40);
  for (let k = i + 15; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c === 9 || (c === 60 && s.charCodeAt(k - 1) === 32)) return true;
  }
  return false;
}

/** Parse one decoded frame. Never throws: a broken header yields a `bare` message with `malformed` set. */
export function parseSyslog(raw: string, ctx: HeaderContext): SyslogMessage {
  const m = new Message(raw, ctx);
  let s = raw;
  // Trailing line ends and NULs some senders add are framing, not content.
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c === 10 || c === 13 || c === 0) end--;
    else break;
  }
  if (end !== s.length) s = s.slice(0, end);
  let i = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (i === s.length) {
    m.message = '';
    m.malformed = 'empty';
    return m;
  }
  // A collector's file keeps its own stamp before the line as received (rsyslog's
  // `%timegenerated% %rawmsg%`, `2022-11-08T17:06:37.048188+01:00 <30>Nov  8 17:06:36 OVA …`): the
  // line is read from its PRI, and the collector's stamp stands only where the line has none.
  // Kiwi Syslog Server's file has tabs between its stamp, the `Facility.Level`, the sender and the
  // message (`2010-08-11 08:33:40<TAB>Local4.Info<TAB>10.0.100.2<TAB>Aug 11 2009 11:28:02: %FWSM-…`):
  // the PRI is the level's, the sender the host where the message names none.
  let collectorHost: string | undefined;
  if (s.charCodeAt(i) !== 60 && collectorMarkAhead(s, i) && readStamp(s, i, true) >= 0) {
    const spaced = s.charCodeAt(stEnd) === 32;
    const at = spaced ? priAt(s, stEnd + 1) : s.charCodeAt(stEnd) === 9 ? kiwiAt(s, stEnd + 1) : -1;
    if (at >= 0) {
      // The line's own stamp, mostly without a year, takes it from the collector's: an old file
      // imported today is not dated this year.
      if (stYear !== undefined) m.yearAround = utcDay(stYear, stMonth, stDay) + stMs;
      m.keepStamp();
      if (spaced) i = stEnd + 1;
      else {
        m.pri = at & 255;
        i = at >> 8;
        collectorHost = s.slice(s.indexOf('\t', stEnd + 1) + 1, i - 1);
      }
    }
  }
  if (s.charCodeAt(i) === 60 /* < */) {
    const pri = priAt(s, i);
    if (pri < 0) {
      m.malformed = 'bad-pri';
      m.message = s.slice(i);
      return m;
    }
    m.pri = pri & 255;
    i = pri >> 8;
    // RFC 5424: VERSION is a non-zero digit run followed by a space and a stamp or NILVALUE.
    const v = s.charCodeAt(i);
    if (v >= 49 && v <= 57) {
      let k = i + 1;
      while (k - i < 3 && isDigit(s.charCodeAt(k))) k++;
      const next = s.charCodeAt(k + 1);
      if (s.charCodeAt(k) === 32 && (next === 45 || (isDigit(next) && s.charCodeAt(k + 5) === 45))) {
        m.format = 'rfc5424';
        const problem = read5424(s, k + 1, m, ctx);
        if (problem) {
          m.format = 'bare';
          m.malformed = problem;
          m.hostname = m.appName = m.procId = m.msgId = undefined;
          m.sdEnd = 0;
          m.message = s.slice(i);
        }
        return m;
      }
    }
  }
  let body = readLegacy(s, i, m);
  m.hostname ??= collectorHost;
  let tagEnd = readTag(s, body);
  // Neither a hostname nor a tag: perhaps a vendor form the scanner does not know. So too after a
  // collector's `YYYY-MM-DD hh:mm:ss` stamp and a host with no tag: a relay's fields may follow
  // (Huawei's `2020-10-23 03:17:45 HUAWEI 192.168.0.58 23 6 %%01…`, its quirk's to read).
  if (tagEnd < 0 && (m.hostname === undefined || (s.charCodeAt(i + 10) === 32 && readYearIso(s, i) > 0)) && QUIRKS.length > 0) {
    const q = readQuirk(s, i, m);
    if (q >= 0) {
      body = q;
      tagEnd = readTag(s, body);
    }
  }
  m.stampResolvedWith(ctx.zoneFor);
  const headed = m.hasStamp() || m.hostname !== undefined;
  if (tagEnd > 0) {
    body = takeTag(s, body, tagEnd, m);
  } else if (headed) {
    const afterProgram = readProgram(s, body);
    if (afterProgram >= 0) {
      m.appName = programName;
      m.procId = programPid;
      body = afterProgram;
      // EOS and IOS-XR give a process, then the Cisco tag: `Aaa: 101: %AAA-5-LOGIN:`, `config[66021]: %MGBL-…`.
      let k = body;
      while (isDigit(s.charCodeAt(k))) k++;
      const seq = k > body && s.charCodeAt(k) === 58 && s.charCodeAt(k + 1) === 32 ? s.slice(body, k) : undefined;
      const at = seq === undefined ? body : k + 2;
      const inner = readTag(s, at);
      if (inner > 0) {
        if (seq !== undefined) m.sequence = m.sequence === undefined ? seq : m.sequence + ' ' + seq;
        body = takeTag(s, at, inner, m);
      }
    }
  }
  if (m.pri !== undefined || headed || m.tag || m.appName || m.sequence) m.format = 'rfc3164';
  m.message = s.charCodeAt(body) === 0xfeff ? s.slice(body + 1) : body === 0 ? s : s.slice(body);
  return m;
}


/** What a forwarder's envelope says about the event it carries (src/ingest/envelopes). */
export interface EnvelopeFacts {
  hostname?: string | undefined;
  appName?: string | undefined;
  procId?: string | undefined;
  time?: { ms: number; text: string; zoned: boolean } | undefined;
}

/**
 * The event inside an envelope, read as if it had arrived bare: its own header (a Wazuh
 * `full_log` keeps the device's syslog line whole) wins; what it leaves unsaid comes from the
 * envelope, then from the header the envelope arrived under. Never throws.
 */
export function parseEnveloped(
  inner: string, ctx: HeaderContext, outer: SyslogMessage, facts: EnvelopeFacts, kind: NonNullable<SyslogMessage['envelope']>,
): SyslogMessage {
  const m = parseSyslog(inner, ctx) as Message;
  m.envelope = kind;
  m.hostname ??= facts.hostname ?? outer.hostname;
  if (m.appName === undefined && m.tag === undefined) {
    m.appName = facts.appName ?? outer.appName;
    m.procId ??= facts.procId;
  }
  if (m.pri === undefined) {
    m.pri = outer.pri;
  }
  if (!m.hasStamp()) {
    if (facts.time) {
      const t = facts.time;
      const ms = t.zoned ? t.ms : ctx.zoneFor ? zonedWall(t.ms, ctx.zoneFor(m.hostname, ctx.source)) : t.ms;
      m.useTime(ms, t.text, t.zoned ? 'exact' : 'inferred');
    } else if (outer.timeText !== undefined) {
      m.useTime(outer.time, outer.timeText, outer.timeQuality);
    }
  }
  return m;
}

function zonedWall(wall: number, zone: string | undefined): number {
  return zone ? wallToUtc(wall, zone) : wall;
}
