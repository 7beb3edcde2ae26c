// A file of Windows event XML, for `aaawatch import`: events as `wevtutil qe … /f:xml` prints them
// (one after another, a line break inside a value splitting an event over lines), under an
// `<Events>` root as EVTX-to-XML tools write it, or pretty-printed (Event Viewer's rendering, `- `
// before an element that opens). Read as lines, an event over several lines was fragments, each
// malformed event XML: each event is handed on whole, from `<Event` to `</Event>`, and read by
// the event XML envelope as one line of it is.

import type { ImportFormat, ImportItem, ImportReader } from '../types.js';

const OPEN = /(?:- )?<Event[\s>]/;
const CLOSE = '</Event>';

/**
 * Whether a file beginning with `head` opens with an XML declaration, `<Events>`, or an `<Event>`
 * that does not end on its line. An event a line is read as lines, as before: lines of other
 * kinds among them are read too, where this reader skips all but events.
 */
export function claimsXmlEvents(head: string): boolean {
  const text = head.replace(/^[\uFEFF\s]+/, '');
  if (/^(?:<\?xml|<Events[\s>])/.test(text)) return true;
  const first = text.slice(0, text.search(/\n|$/));
  return /^(?:- )?<Event[\s>]/.test(first) && !first.includes(CLOSE);
}

/** The events of such a file, as the text arrives; an event longer than `maxChars` is counted, not kept. */
export class XmlEvents implements ImportReader {
  /** Text not yet handed out: from an event's start, or a tail that may begin one. */
  private pending = '';
  /** Inside an event found too long: skipping to its end. */
  private skipping = false;

  constructor(private readonly maxChars: number) {}

  push(text: string): ImportItem[] {
    const out: ImportItem[] = [];
    this.pending += text;
    for (;;) {
      if (this.skipping) {
        const end = this.pending.indexOf(CLOSE);
        if (end < 0) {
          this.pending = this.pending.slice(-CLOSE.length);
          return out;
        }
        this.skipping = false;
        this.pending = this.pending.slice(end + CLOSE.length);
      }
      const start = this.pending.search(OPEN);
      if (start < 0) {
        // Keep what could be the start of an opening tag cut by the chunk.
        this.pending = this.pending.slice(-16);
        return out;
      }
      this.pending = this.pending.slice(start);
      const end = this.pending.indexOf(CLOSE);
      if (end < 0) {
        if (this.pending.length > this.maxChars) {
          out.push({ malformed: 'oversize-record', sample: this.pending.slice(0, 256) });
          this.skipping = true;
          this.pending = this.pending.slice(-CLOSE.length);
        }
        return out;
      }
      const event = this.pending.slice(0, end + CLOSE.length);
      this.pending = this.pending.slice(end + CLOSE.length);
      out.push(event.length > this.maxChars ? { malformed: 'oversize-record', sample: event.slice(0, 256) } : { text: event });
    }
  }

  end(): ImportItem[] {
    const rest = this.pending;
    this.pending = '';
    return OPEN.test(rest) || this.skipping ? [{ malformed: 'xml-structure', sample: 'the file ends inside an event' }] : [];
  }
}

/** The format `aaawatch import` tries after the platforms' own. */
export const xmlEvents: ImportFormat = { claims: claimsXmlEvents, reader: (maxChars) => new XmlEvents(maxChars) };
