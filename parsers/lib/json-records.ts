// JSON events in a file, read as the text arrives (`aaawatch import`): the elements of an array
// (top-level, or under a named key of a top-level object: CloudTrail's `{"Records": [ … ]}`, an
// API's page), or top-level objects one after another. Each event's text is handed out as soon as
// it is complete, so a file of any size is read holding one event at a time. Only boundaries are
// found here (strings, escapes and nesting tracked); each event is then parsed on its own. A
// general streaming JSON parser (stream-json) would build every element whatever its size; this
// one stops keeping an event past a size bound and counts it instead.

import type { ImportItem, ImportReader } from '../../src/types.js';

const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\uFEFF';

/** An element's text as a record: a JSON object, written compactly; anything else malformed. */
export function jsonRecord(text: string): ImportItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { malformed: 'json-syntax', sample: text.slice(0, 256) };
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? { text: JSON.stringify(value) } : { malformed: 'not-a-record', sample: text.slice(0, 256) };
}

type EventsMode =
  | 'between' // between top-level values
  | 'object' // inside a top-level object, kept whole as an event until it names a collection
  | 'elements' // inside an array whose elements are the events
  | 'rest'; // inside a page after its collection: skipped

/**
 * JSON events one after another, as the text arrives: top-level arrays' elements, the elements of
 * the array under a key of `collections` in a top-level object whose keys before it `before`
 * allows (an API's page, its other keys skipped), and other top-level objects whole. An event longer than `maxChars` is counted, not kept.
 */
export class JsonEvents implements ImportReader {
  private mode: EventsMode = 'between';
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Depth of the elements of the array being read (1: a top-level array; 2: a named one's). */
  private elementDepth = 0;
  /** In a top-level object: a key at depth 1 expected next, being read, and the last one read. */
  private keyNext = false;
  private keyText: string | undefined;
  private lastKey = '';
  /** In a top-level object: whether every key so far was a list's or one `before` allows ahead of it. */
  private pageLike = true;
  /** The event being gathered (undefined between elements), its size, whether it is a scalar. */
  private event: string | undefined;
  private size = 0;
  private scalar = false;
  private problem: string | undefined;

  constructor(
    private readonly collections: ReadonlySet<string>,
    private readonly maxChars: number,
    private readonly before: (key: string) => boolean = () => true,
  ) {}

  push(text: string): ImportItem[] {
    const out: ImportItem[] = [];
    for (let i = 0; i < text.length && !this.problem; i++) this.step(text[i]!, out);
    return out;
  }

  end(): ImportItem[] {
    const out: ImportItem[] = [];
    if (this.event !== undefined && this.scalar) this.finish(out);
    if (!this.problem && (this.mode !== 'between' || this.inString)) this.problem = 'the file ends inside a JSON value';
    if (this.problem) out.push({ malformed: 'json-structure', sample: this.problem });
    return out;
  }

  private step(c: string, out: ImportItem[]): void {
    if (this.mode === 'between') {
      if (c === '[') {
        this.open(c);
        this.mode = 'elements';
        this.elementDepth = 1;
      } else if (c === '{') {
        this.open(c);
        this.mode = 'object';
        this.keyNext = true;
        this.event = '{';
        this.size = 1;
      } else if (!isSpace(c)) this.problem = 'text outside a JSON object or array';
      return;
    }
    if (this.mode === 'elements' && this.depth === this.elementDepth && this.event === undefined) {
      // Between elements: an element starts, or the array ends.
      if (isSpace(c) || c === ',') return;
      if (c === ']') {
        this.close();
        this.mode = this.depth === 0 ? 'between' : 'rest';
        return;
      }
      this.event = '';
      this.size = 0;
      this.scalar = c !== '{' && c !== '[' && c !== '"';
    }
    if (this.scalar) {
      if (c === ',' || c === ']' || isSpace(c)) {
        this.finish(out);
        this.step(c, out);
      } else this.keep(c);
      return;
    }
    this.keep(c);
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === '\\') this.escaped = true;
      else if (c === '"') {
        this.inString = false;
        if (this.keyText !== undefined) {
          this.lastKey = this.keyText;
          this.keyText = undefined;
          if (!this.collections.has(this.lastKey) && !this.before(this.lastKey)) this.pageLike = false;
        } else if (this.mode === 'elements' && this.depth === this.elementDepth) this.finish(out);
        return;
      }
      if (this.keyText !== undefined && this.keyText.length < 256) this.keyText += c;
      return;
    }
    if (c === '"') {
      this.inString = true;
      if (this.mode === 'object' && this.depth === 1 && this.keyNext) {
        this.keyNext = false;
        this.keyText = '';
      }
    } else if (c === '{' || c === '[') {
      if (c === '[' && this.mode === 'object' && this.depth === 1 && this.pageLike && this.collections.has(this.lastKey)) {
        // A page: its collection's elements are the events, the page itself none.
        this.open(c);
        this.mode = 'elements';
        this.elementDepth = 2;
        this.event = undefined;
        return;
      }
      this.open(c);
    } else if (c === '}' || c === ']') {
      this.close();
      if (this.depth === 0) {
        if (this.mode === 'object') this.finish(out);
        this.mode = 'between';
      } else if (this.mode === 'elements' && this.depth === this.elementDepth) this.finish(out);
    } else if (c === ',' && this.depth === 1 && this.mode !== 'elements') this.keyNext = true;
  }

  private open(c: string): void {
    this.depth++;
    if (c === '{' && this.depth === 1) {
      this.lastKey = '';
      this.pageLike = true;
    }
  }

  private close(): void {
    this.depth--;
  }

  private keep(c: string): void {
    if (this.event === undefined) return;
    this.size += c.length;
    if (this.size <= this.maxChars) this.event += c;
  }

  /** The event gathered, as a record. */
  private finish(out: ImportItem[]): void {
    const text = this.event ?? '';
    this.event = undefined;
    this.scalar = false;
    out.push(this.size > this.maxChars ? { malformed: 'oversize-record', sample: text.slice(0, 256) } : jsonRecord(text));
  }
}
