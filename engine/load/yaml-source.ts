// YAML files with source positions: parse once, then map any path in the value back to file:line:col.

import { constants as fsConstants, promises as fs } from 'node:fs';
import { Document, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { PlaybookError, type SourceLocation } from '../errors.js';
import { currentKeyring } from '../vault/keyring.js';
import { isVaultText, VaultError } from '../vault/vault-format.js';

/** Files larger than this are refused before parsing (a playbook is text a person writes). */
export const MAX_YAML_BYTES = 2 * 1024 * 1024;
/** Aliases beyond this many are refused ("billion laughs"). */
export const MAX_ALIASES = 200;

export type YamlPath = Array<string | number>;

export class SourceFile {
  constructor(
    readonly file: string,
    readonly doc: Document,
    private readonly lc: LineCounter,
    readonly value: unknown,
  ) {}

  private pos(offset: number): SourceLocation {
    const { line, col } = this.lc.linePos(offset);
    return { file: this.file, line, col };
  }

  /** Location of the value at path (or of its key when `key` is true); falls back to the nearest parent. */
  loc(path: YamlPath, key = false): SourceLocation {
    for (let n = path.length; n >= 0; n--) {
      const sub = path.slice(0, n);
      if (key && n === path.length && n > 0) {
        const parent = sub.length > 1 ? this.doc.getIn(sub.slice(0, -1), true) : this.doc.contents;
        if (isMap(parent)) {
          const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(sub[sub.length - 1]));
          const range = (pair?.key as Node | undefined)?.range;
          if (range) return this.pos(range[0]);
        }
      }
      const node = (sub.length === 0 ? this.doc.contents : this.doc.getIn(sub, true)) as Node | undefined;
      if (node && (isMap(node) || isSeq(node) || isScalar(node)) && node.range) return this.pos(node.range[0]);
    }
    return { file: this.file, line: 1, col: 1 };
  }
}

/** `!vault |` scalars (runbook vault encrypt-string) decrypt with the keyring of the command in flight. */
const VAULT_TAG = {
  tag: '!vault',
  resolve(text: string, onError: (message: string) => void): string {
    try {
      return currentKeyring().decrypt(text);
    } catch (e) {
      onError(`vault: ${(e as Error).message}`);
      return '';
    }
  },
};

/** Parse YAML text; syntax errors, duplicate keys and alias bombs become PlaybookErrors with file:line:col. */
export function parseYaml(file: string, text: string): SourceFile {
  if (Buffer.byteLength(text) > MAX_YAML_BYTES) {
    throw new PlaybookError(`file is too large (${Buffer.byteLength(text)} bytes; the limit is ${MAX_YAML_BYTES})`, { location: { file, line: 1, col: 1 } });
  }
  const lc = new LineCounter();
  // YAML forbids C0 control characters other than tab, LF and CR (and DEL): a NUL in a playbook is corruption.
  const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.exec(text);
  if (control) {
    const before = text.slice(0, control.index);
    const line = before.split('\n').length;
    throw new PlaybookError(`invalid YAML: control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} (is this a binary file?)`, { location: { file, line, col: control.index - before.lastIndexOf('\n') } });
  }
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, strict: true, customTags: [VAULT_TAG] });
  } catch (e) {
    // The parser recurses per nesting level: thousands of [[[[ exhaust the stack. Say so instead.
    if (e instanceof RangeError) throw new PlaybookError('invalid YAML: nested too deeply', { location: { file, line: 1, col: 1 } });
    throw e;
  }
  // An unknown tag (!!python/object, !vault…) would silently become a plain string: refuse it.
  const tagWarning = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (tagWarning) {
    const { line, col } = lc.linePos(tagWarning.pos[0]);
    throw new PlaybookError(`invalid YAML: ${tagWarning.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')} (runbook knows only YAML's core tags)`, { location: { file, line, col } });
  }
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lc.linePos(first.pos[0]);
    if (first.message.startsWith('vault: ')) throw new PlaybookError(`encrypted value: ${first.message.slice(7).split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, { location: { file, line, col } });
    const msg = first.code === 'DUPLICATE_KEY' ? `duplicate key: ${first.message.replace(/^Map keys must be unique.*$/s, 'map keys must be unique')}`
      : /Maximum call stack/.test(first.message) ? 'nested too deeply' : first.message.split('\n')[0];
    throw new PlaybookError(`invalid YAML: ${msg}`, { location: { file, line, col } });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    const why = e instanceof RangeError ? 'nested too deeply' : `${(e as Error).message} (too many alias expansions?)`;
    throw new PlaybookError(`invalid YAML: ${why}`, { location: { file, line: 1, col: 1 } });
  }
  return new SourceFile(file, doc, lc, value);
}

/**
 * Read a file runbook parses (playbook, task file, vars, inventory): a regular file of at most MAX_YAML_BYTES. Opened
 * non-blocking and checked on the open descriptor, so a FIFO cannot hang the read and /dev/zero cannot fill memory.
 */
export async function readBoundedFile(file: string, what: string, from?: SourceLocation): Promise<Buffer> {
  const where = from ?? { file, line: 1, col: 1 };
  const handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!st.isFile()) throw new PlaybookError(`${what} ${file} is not a regular file`, { location: where });
    if (st.size > MAX_YAML_BYTES) throw new PlaybookError(`${what} ${file} is too large (${st.size} bytes; the limit is ${MAX_YAML_BYTES})`, { location: where });
    // Read at most one byte past the limit: a file growing while read is still bounded.
    const buffer = Buffer.alloc(MAX_YAML_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length;) {
      ({ bytesRead: n } = await handle.read(buffer, length, buffer.length - length, length));
      length += n;
    }
    if (length > MAX_YAML_BYTES) throw new PlaybookError(`${what} ${file} is too large (more than ${MAX_YAML_BYTES} bytes)`, { location: where });
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

/** Read and parse a YAML file; a missing or unreadable file is a PlaybookError naming it. */
export async function readYaml(file: string, what = 'file', from?: SourceLocation): Promise<SourceFile> {
  let text: string;
  try {
    const bytes = await readBoundedFile(file, what, from);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new PlaybookError(`${what} ${file} is not valid UTF-8 text`, { location: from ?? { file, line: 1, col: 1 } });
    }
  } catch (e) {
    if (e instanceof PlaybookError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new PlaybookError(`cannot read ${what} ${file}: ${why}`, { location: from });
  }
  if (isVaultText(text)) {
    // A whole file encrypted with `runbook vault encrypt`: decrypted in memory only; all its values are secrets.
    try {
      return currentKeyring().decryptDocument(text, (plain) => parseYaml(file, plain));
    } catch (e) {
      if (e instanceof VaultError) throw new PlaybookError(`${what} ${file}: ${e.message}`, { location: from ?? { file, line: 1, col: 1 } });
      throw e;
    }
  }
  return parseYaml(file, text);
}
