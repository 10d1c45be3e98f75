// Ansible's INI value rule: a value is Python's ast.literal_eval of its text (numbers, 'strings', True/False/None,
// [lists], (tuples), {dicts}) when that succeeds, else the text itself. Only literals: nothing is ever evaluated.

import { plainMap } from '../plain-map.js';

class NotALiteral extends Error {}

/** What ast.literal_eval would make of `text`, or `text` unchanged when it is not a Python literal. */
export function parsePythonLiteral(text: string): unknown {
  try {
    const reader = new LiteralReader(text);
    const value = reader.value();
    reader.skipSpace();
    if (!reader.done()) return text;
    return value;
  } catch (e) {
    if (e instanceof NotALiteral) return text;
    throw e;
  }
}

const NUMBER = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

class LiteralReader {
  private at = 0;
  constructor(private readonly text: string) {}

  done(): boolean { return this.at >= this.text.length; }

  skipSpace(): void { while (/\s/.test(this.text[this.at] ?? '')) this.at++; }

  value(): unknown {
    this.skipSpace();
    const ch = this.text[this.at];
    if (ch === "'" || ch === '"') return this.string(ch);
    if (ch === '[' || ch === '(') return this.list(ch === '[' ? ']' : ')');
    if (ch === '{') return this.dict();
    const word = /^(True|False|None)\b/.exec(this.text.slice(this.at));
    if (word) {
      this.at += word[0].length;
      return word[0] === 'True' ? true : word[0] === 'False' ? false : null;
    }
    return this.number();
  }

  private number(): number {
    const m = NUMBER.exec(this.text.slice(this.at));
    if (!m || !/\d/.test(m[0]) || /[A-Za-z_]/.test(this.text[this.at + m[0].length] ?? '')) throw new NotALiteral();
    this.at += m[0].length;
    const clean = m[0].replace(/_/g, '');
    const sign = clean.startsWith('-') ? -1 : 1;
    const body = clean.replace(/^[+-]/, '');
    if (/^0[xXoObB]/.test(body)) return sign * parseInt(body.slice(2), { x: 16, o: 8, b: 2 }[body[1].toLowerCase() as 'x' | 'o' | 'b']);
    // Python refuses leading zeros in a decimal integer (`010`): then the text stays a string.
    if (/^0\d/.test(body) && !/[.eE]/.test(body)) throw new NotALiteral();
    return Number(clean);
  }

  private string(quote: string): string {
    this.at++;
    let out = '';
    while (!this.done()) {
      const ch = this.text[this.at++];
      if (ch === quote) return out;
      if (ch !== '\\') { out += ch; continue; }
      const next = this.text[this.at++] ?? '';
      out += next in ESCAPES ? ESCAPES[next] : `\\${next}`;
    }
    throw new NotALiteral();
  }

  private expect(ch: string): boolean {
    this.skipSpace();
    if (this.text[this.at] !== ch) return false;
    this.at++;
    return true;
  }

  private list(close: string): unknown[] {
    this.at++;
    const out: unknown[] = [];
    while (!this.expect(close)) {
      if (this.done()) throw new NotALiteral();
      out.push(this.value());
      if (!this.expect(',') && !this.expect(close)) throw new NotALiteral();
      else if (this.text[this.at - 1] === close) return out;
    }
    return out;
  }

  private dict(): Record<string, unknown> {
    this.at++;
    const out = plainMap<unknown>();
    while (!this.expect('}')) {
      if (this.done()) throw new NotALiteral();
      const key = this.value();
      if (!this.expect(':')) throw new NotALiteral();
      out[String(key)] = this.value();
      if (!this.expect(',') && !this.expect('}')) throw new NotALiteral();
      else if (this.text[this.at - 1] === '}') return out;
    }
    return out;
  }
}
