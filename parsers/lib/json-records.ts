// The elements of one array in a JSON document (`{"Records": [ … ]}`), read as the text arrives:
// each element's text is handed out as soon as it is complete, so a file of any size is read
// holding one element at a time. Only element boundaries are found here (strings, escapes and
// nesting tracked); each element is then parsed on its own. A general streaming JSON parser
// (stream-json) would build every element whatever its size; this one stops keeping an element
// past a size bound and counts it instead.

import type { ImportItem, ImportReader } from '../../src/types.js';

type Phase =
  | 'start' // before the top-level `{`
  | 'key' // in the top-level object, before a key (or `}`)
  | 'colon' // after a key, before `:`
  | 'value' // after `:`, before the value
  | 'skip' // inside a value of another key
  | 'after' // after a value, before `,` or `}`
  | 'element' // in the array, before an element (or `]`)
  | 'inElement' // inside an element
  | 'afterElement' // after an element, before `,` or `]`
  | 'done'; // after the top-level `}` (another document may follow)

const isSpace = (c: string): boolean => c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\uFEFF';

/** A reader of the elements of the array under the top-level key `key`. */
export class JsonArrayElements implements ImportReader {
  private phase: Phase = 'start';
  /** Nesting depth inside a skipped value or an element. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The key being read (bounded), and whether the current value is the array wanted. */
  private keyText = '';
  private readingKey = false;
  private lastKey = '';
  /** The element being gathered, or its size once it is too large to keep. */
  private element = '';
  private elementSize = 0;
  /** A scalar element (number, true, false, null) ends at the first character not part of it. */
  private scalar = false;
  private problem: string | undefined;

  constructor(
    private readonly key: string,
    private readonly maxElementChars: number,
  ) {}

  push(text: string): ImportItem[] {
    const out: ImportItem[] = [];
    for (let i = 0; i < text.length && !this.problem; i++) this.step(text[i]!, out);
    return out;
  }

  end(): ImportItem[] {
    const out: ImportItem[] = [];
    if (this.phase === 'inElement' && this.scalar) this.finishElement(out);
    if (!this.problem && this.phase !== 'done') this.fail(this.phase === 'start' ? 'no JSON object' : 'the file ends inside the JSON document');
    if (this.problem) out.push({ malformed: 'json-structure', sample: this.problem });
    return out;
  }

  private fail(why: string): void {
    this.problem ??= why;
  }

  /** Track strings and nesting; true when the character closed the value being tracked. */
  private track(c: string): boolean {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === '\\') this.escaped = true;
      else if (c === '"') {
        this.inString = false;
        return this.depth === 0;
      }
      return false;
    }
    if (c === '"') this.inString = true;
    else if (c === '{' || c === '[') this.depth++;
    else if (c === '}' || c === ']') {
      this.depth--;
      return this.depth === 0;
    }
    return false;
  }

  private step(c: string, out: ImportItem[]): void {
    switch (this.phase) {
      case 'start':
        if (c === '{') this.phase = 'key';
        else if (!isSpace(c)) this.fail('not a JSON object');
        return;
      case 'key':
        if (this.readingKey) {
          if (this.escaped) {
            this.escaped = false;
            this.keyText += c;
          } else if (c === '\\') this.escaped = true;
          else if (c === '"') {
            this.readingKey = false;
            this.lastKey = this.keyText;
            this.phase = 'colon';
          } else if (this.keyText.length < 256) this.keyText += c;
        } else if (c === '"') {
          this.readingKey = true;
          this.keyText = '';
        } else if (c === '}') this.phase = 'done';
        else if (!isSpace(c)) this.fail('a key was expected');
        return;
      case 'colon':
        if (c === ':') this.phase = 'value';
        else if (!isSpace(c)) this.fail('":" was expected');
        return;
      case 'value':
        if (isSpace(c)) return;
        if (this.lastKey === this.key && c === '[') {
          this.phase = 'element';
          return;
        }
        this.phase = 'skip';
        this.depth = 0;
        if (this.track(c)) this.phase = 'after';
        else if (this.depth === 0 && !this.inString) this.scalar = true;
        return;
      case 'skip':
        if (this.scalar) {
          if (c === ',' || c === '}' || isSpace(c)) {
            this.scalar = false;
            this.phase = 'after';
            this.step(c, out);
          }
          return;
        }
        if (this.track(c)) this.phase = 'after';
        return;
      case 'after':
        if (c === ',') this.phase = 'key';
        else if (c === '}') this.phase = 'done';
        else if (!isSpace(c)) this.fail('"," or "}" was expected');
        return;
      case 'element':
        if (isSpace(c)) return;
        if (c === ']') {
          this.phase = 'after';
          return;
        }
        this.phase = 'inElement';
        this.element = '';
        this.elementSize = 0;
        this.depth = 0;
        this.keep(c);
        if (this.track(c)) this.finishElement(out);
        else if (this.depth === 0 && !this.inString) this.scalar = true;
        return;
      case 'inElement':
        if (this.scalar) {
          if (c === ',' || c === ']' || isSpace(c)) {
            this.finishElement(out);
            this.step(c, out);
          } else this.keep(c);
          return;
        }
        this.keep(c);
        if (this.track(c)) this.finishElement(out);
        return;
      case 'afterElement':
        if (c === ',') this.phase = 'element';
        else if (c === ']') this.phase = 'after';
        else if (!isSpace(c)) this.fail('"," or "]" was expected');
        return;
      case 'done':
        // Another document: CloudTrail's gzipped files concatenated (`cat *.json.gz`) read as one stream.
        if (c === '{') this.phase = 'key';
        else if (!isSpace(c)) this.fail('text after the JSON document');
        return;
    }
  }

  /** Keep a character of the element, until it is too large to keep. */
  private keep(c: string): void {
    this.elementSize += c.length;
    if (this.elementSize <= this.maxElementChars) this.element += c;
  }

  private finishElement(out: ImportItem[]): void {
    this.scalar = false;
    this.phase = 'afterElement';
    if (this.elementSize > this.maxElementChars) {
      out.push({ malformed: 'oversize-record', sample: this.element.slice(0, 256) });
    } else {
      out.push({ text: this.element });
    }
    this.element = '';
  }
}
