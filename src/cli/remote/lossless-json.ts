/**
 * JSON.parse that keeps integers beyond 2^53 exact (as bigint): Trino writes BIGINT as a plain JSON number, and
 * a row of sums or ids must not come back rounded. Texts without a run of 16+ digits take the fast JSON.parse.
 */
export type JsonValue = null | boolean | number | bigint | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

export function parseJsonLossless(text: string): JsonValue {
  if (!/\d{16}/.test(text)) return JSON.parse(text) as JsonValue;
  const p = new Parser(text);
  const v = p.value();
  p.end();
  return v;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i]!)) this.i++;
  }

  private fail(): never {
    throw new SyntaxError(`Invalid JSON at offset ${this.i}`);
  }

  end(): void {
    this.ws();
    if (this.i !== this.s.length) this.fail();
  }

  value(): JsonValue {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.number();
  }

  private object(): JsonValue {
    const out: Record<string, JsonValue> = {};
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail();
      const k = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') this.fail();
      out[k] = this.value();
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') this.fail();
    }
  }

  private array(): JsonValue {
    const out: JsonValue[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail();
    }
  }

  private string(): string {
    const start = this.i++;
    while (this.i < this.s.length && this.s[this.i] !== '"') this.i += this.s[this.i] === '\\' ? 2 : 1;
    if (this.i >= this.s.length) this.fail();
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  private number(): number | bigint {
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (m === null) this.fail();
    this.i += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? n : BigInt(m[0]);
    }
    return Number(m[0]);
  }
}
