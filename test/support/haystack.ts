// Texts searched many times for short needles: the secret corpus looks for each of ~2,000 secrets,
// in up to five forms, in ~90 MB of stored files, pages and outputs (324 texts). `includes` over all
// of them for every needle was 189 s of the file's wall time at load 20 (~75 ms a secret). Each text
// here keeps a Bloom filter of its 4-byte windows (UTF-8 bytes), built once; a needle is searched
// for with the text's own `includes` only where every 4-byte window of it is in the filter. A needle
// the text holds has every window in it, so the filter can only skip a search whose answer is no:
// the answer is always `includes`' own.

/** Bytes a window; every corpus secret is at least 6 bytes long. */
const WINDOW = 4;

/** The needle as the filter sees it, or undefined where the filter cannot answer for it. */
type Windows = Uint32Array | undefined;

/** A filter of at least 4 bits a byte of text (≤ 22% of bits set), between 4 Kbit and 128 Mbit. */
function filterBits(length: number): number {
  let bits = 12;
  while (bits < 27 && 2 ** bits < length * 4) bits++;
  return bits;
}

const slot = (window: number, bits: number): number => Math.imul(window, 0x9e3779b1) >>> (32 - bits);

function windowsOf(bytes: Uint8Array): Uint32Array {
  const out = new Uint32Array(Math.max(0, bytes.length - WINDOW + 1));
  let w = 0;
  for (let i = 0; i < bytes.length; i++) {
    w = ((w << 8) | bytes[i]!) >>> 0;
    if (i >= WINDOW - 1) out[i - WINDOW + 1] = w;
  }
  return out;
}

class Searchable {
  private readonly bits: number;
  private readonly filter: Uint8Array;

  constructor(readonly text: string | Buffer) {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    this.bits = filterBits(bytes.length);
    this.filter = new Uint8Array(2 ** (this.bits - 3));
    let w = 0;
    for (let i = 0; i < bytes.length; i++) {
      w = ((w << 8) | bytes[i]!) >>> 0;
      if (i < WINDOW - 1) continue;
      const s = slot(w, this.bits);
      this.filter[s >>> 3]! |= 1 << (s & 7);
    }
  }

  includes(needle: string, bytes: Buffer, windows: Windows, textWindows: Windows): boolean {
    const own = typeof this.text === 'string' ? textWindows : windows;
    if (own) {
      for (const w of own) {
        const s = slot(w, this.bits);
        if ((this.filter[s >>> 3]! & (1 << (s & 7))) === 0) return false;
      }
    }
    return typeof this.text === 'string' ? this.text.includes(needle) : this.text.includes(bytes);
  }
}

export class Haystack {
  private readonly texts: Array<[string, Searchable]>;

  constructor(texts: ReadonlyMap<string, string | Buffer>) {
    this.texts = [...texts].map(([name, text]) => [name, new Searchable(text)]);
  }

  /** The names of the texts holding any of the needles, in the map's order. */
  holding(needles: readonly string[]): string[] {
    const prepared = needles.map((needle) => {
      const bytes = Buffer.from(needle, 'utf8');
      const windows = bytes.length >= WINDOW ? windowsOf(bytes) : undefined;
      // A string holding a needle holds its UTF-8 bytes only where the needle is whole UTF-16 (a lone
      // surrogate at its start may pair with the text's character before it): otherwise no filter.
      return { needle, bytes, windows, textWindows: /[\uD800-\uDFFF]/.test(needle) ? undefined : windows };
    });
    return this.texts.filter(([, t]) => prepared.some((n) => t.includes(n.needle, n.bytes, n.windows, n.textWindows))).map(([name]) => name);
  }
}
