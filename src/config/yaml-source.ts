// A YAML file aaawatch reads (the configuration, a roster, an inventory, the credentials file),
// parsed with line positions, so that every problem reads `file:line: key: message`. The line is
// that of the key itself (a nested map's value starts on the next line), and a key the schema does
// not know but nearly does gets a "did you mean".

import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type YAMLError, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './config-error.js';
import { closest } from './similar.js';

/** `ingest.tcp.port`, `devices[2].name`: a path as someone reading the file names it. */
export function keyName(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : (i ? '.' : '') + String(p))).join('') || '(top level)';
}

/** A problem, and where it is. */
export interface Located {
  line: number | undefined;
  text: string;
}

/** The parts of zod's type definitions that say which keys a place in the file may hold. */
interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: readonly z.ZodType[];
}

const defOf = (t: z.ZodType): SchemaDef => t._zod.def as unknown as SchemaDef;

/** The schema without defaults, optionality and pipes around it. */
function unwrap(t: z.ZodType): z.ZodType {
  for (;;) {
    const d = defOf(t);
    if (d.innerType) t = d.innerType;
    else if (d.type === 'pipe' && d.in) t = d.in;
    else return t;
  }
}

/** The keys the schema allows in the map at `path`, if it is a map of fixed keys. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let options = [unwrap(schema)];
  for (const seg of path) {
    options = options.flatMap((t) => {
      const d = defOf(t);
      if (d.type === 'union') return (d.options ?? []).map(unwrap);
      return [t];
    });
    options = options.flatMap((t): z.ZodType[] => {
      const d = defOf(t);
      if (d.type === 'object' && typeof seg === 'string' && d.shape?.[seg]) return [unwrap(d.shape[seg])];
      if (d.type === 'array' && typeof seg === 'number' && d.element) return [unwrap(d.element)];
      if (d.type === 'record' && d.valueType) return [unwrap(d.valueType)];
      return [];
    });
    if (options.length === 0) return undefined;
  }
  const keys = options
    .flatMap((t) => (defOf(t).type === 'union' ? (defOf(t).options ?? []).map(unwrap) : [t]))
    .flatMap((t) => (defOf(t).type === 'object' ? Object.keys(defOf(t).shape ?? {}) : []));
  return keys.length > 0 ? [...new Set(keys)] : undefined;
}

const counterLine = (counter: LineCounter, offset: number): number => counter.linePos(offset).line;

const lineAt = (counter: LineCounter, node: Node | null | undefined): number | undefined =>
  node?.range ? counterLine(counter, node.range[0]) : undefined;

/** The map pair whose key starts at `offset`, with its path and the map holding it. */
function pairAt(node: unknown, offset: number, path: PropertyKey[]): { path: PropertyKey[]; key: unknown; map: YAMLMap } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) return { path: [...path, String(key)], key, map: node };
      const inner = pairAt(pair.value, offset, [...path, String(key)]);
      if (inner) return inner;
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      const inner = pairAt(item, offset, [...path, i]);
      if (inner) return inner;
    }
  }
  return undefined;
}

export class YamlSource {
  private constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly counter: LineCounter,
  ) {}

  /** Parse `text`; a syntax error throws a ConfigError naming its line. */
  static parse(text: string, file: string): YamlSource {
    const counter = new LineCounter();
    // merge: `<<: *anchor`, as docker-compose files use it, read as the anchor's keys, not as a key `<<` the schema does not know.
    const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true, merge: true });
    if (doc.errors.length > 0) {
      const source = new YamlSource(file, doc, counter);
      throw new ConfigError(doc.errors.map((e) => source.syntaxProblem(e)));
    }
    const source = new YamlSource(file, doc, counter);
    source.data = source.plain();
    return source;
  }

  private data: unknown;

  /**
   * The document as plain data. Aliases that expand past the YAML library's bound (an alias bomb:
   * a few lines naming each other tenfold, gigabytes once expanded) are refused there, with an
   * error of its own: said here as the file's mistake, at the first alias.
   */
  private plain(): unknown {
    try {
      return this.doc.toJS() ?? {};
    } catch (err) {
      let line: number | undefined;
      visit(this.doc, {
        Alias: (_, node) => {
          line = lineAt(this.counter, node);
          return visit.BREAK;
        },
      });
      throw new ConfigError([`${this.file}${line ? `:${line}` : ''}: aliases (*name) expand past what a configuration holds (${err instanceof Error ? err.message : String(err)}): write the values out`]);
    }
  }

  /**
   * A parse error as `file:line: message`; a duplicate key named by its path and the line it was
   * first given on, a second document said in the words of this file, not of the YAML library.
   */
  private syntaxProblem(e: YAMLError): string {
    const line = counterLine(this.counter, e.pos[0]);
    if (e.code === 'DUPLICATE_KEY') {
      const found = pairAt(this.doc.contents, e.pos[0], []);
      if (found) {
        const first = found.map.items.find((p) => isScalar(p.key) && String(p.key.value) === String(found.key));
        const firstLine = first ? lineAt(this.counter, first.key as Node) : undefined;
        return `${this.file}:${line}: ${keyName(found.path)}: duplicate key${firstLine !== undefined && firstLine !== line ? ` (first on line ${firstLine})` : ''}`;
      }
    }
    if (e.code === 'MULTIPLE_DOCS') return `${this.file}:${line}: a second YAML document (---): the file holds one`;
    return `${this.file}:${line}: ${e.message.split('\n')[0]}`;
  }

  /** Whether the file holds nothing: no text, only comments, or a null. */
  empty(): boolean {
    const c = this.doc.contents;
    return c === null || (isScalar(c) && c.value === null);
  }

  /** The document as plain data (an empty file is an empty map). */
  value(): unknown {
    return this.data;
  }

  /**
   * The line of the key (or list item) at `path`. Where the file stops short of the path (a key
   * that is missing), the line of the deepest key it has on the way.
   */
  lineOf(path: readonly PropertyKey[]): number | undefined {
    let node: unknown = this.doc.contents;
    let line = lineAt(this.counter, this.doc.contents);
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        line = lineAt(this.counter, pair.key as Node) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
        node = node.items[seg];
        line = lineAt(this.counter, node as Node) ?? line;
      } else {
        break;
      }
    }
    return line;
  }

  /** `file:line: key: message`. */
  problem(path: readonly PropertyKey[], message: string): Located {
    const line = this.lineOf(path);
    return { line, text: `${this.file}${line ? `:${line}` : ''}: ${keyName(path)}: ${message}` };
  }

  /** Problems at paths, as `file:line: key: message` in file order, as someone fixing them reads the file. */
  problems(list: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>): string[] {
    return inFileOrder(list.map(({ path, message }) => this.problem(path, message)));
  }

  /**
   * What `schema` found wrong with this file: each unknown key at its own line, with the known key
   * it nearly spells; a required key missing because it was misspelt is said once, by that.
   */
  issues(schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): string[] {
    const out: Located[] = [];
    const suggested = new Set<string>();
    for (const issue of issues) {
      if (issue.code !== 'unrecognized_keys') continue;
      const known = keysAt(schema, issue.path) ?? [];
      for (const key of issue.keys) {
        const near = closest(key, known);
        if (near) suggested.add(keyName([...issue.path, near]));
        out.push(this.problem([...issue.path, key], near ? `unknown key ${key} (did you mean ${near}?)` : `unknown key ${key}`));
      }
    }
    for (const issue of issues) {
      if (issue.code === 'unrecognized_keys') continue;
      if (suggested.has(keyName(issue.path)) && !this.doc.hasIn(issue.path)) continue;
      out.push(this.problem(issue.path, issue.message));
    }
    return inFileOrder(out);
  }
}

function inFileOrder(list: Located[]): string[] {
  return list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)).map((p) => p.text);
}
