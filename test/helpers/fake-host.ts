// A fake Host for table-driven module tests: it records every run() argv (with stdin) and every file write, answers
// commands from a script of canned results (first argv-prefix match; otherwise exit 0, no output) and serves files
// from memory. It touches no machine: what a module's apply would do is read back from it, never done.

import type { ExecResult, Facts, FileStat, Host, RunOptions, WriteFileOptions } from '../../engine/types.js';

/** A canned result for every command whose argv starts with `argv`. */
export interface FakeResponse {
  argv: string[];
  code?: number;
  stdout?: string;
  stderr?: string;
}

export interface FakeHostOptions {
  name?: string;
  facts?: Partial<Facts>;
  vars?: Record<string, unknown>;
  /** Files the host has: path → content. */
  files?: Record<string, string>;
  responses?: FakeResponse[];
}

export interface RecordedWrite {
  path: string;
  content: string;
  mode?: string;
}

export class FakeHost implements Host {
  readonly name: string;
  readonly facts: Facts;
  readonly vars: Readonly<Record<string, unknown>>;
  /** Every command run, in order; `<stdin>` and its text follow the argv when the module fed stdin. */
  readonly commands: string[][] = [];
  readonly writes: RecordedWrite[] = [];
  private readonly files: Map<string, string>;
  private readonly responses: FakeResponse[];

  constructor(options: FakeHostOptions = {}) {
    this.name = options.name ?? 'node1';
    this.facts = { hostname: this.name, fqdn: this.name, ipv4: [], pkg_mgr: 'apt', init_system: 'systemd', ...options.facts } as Facts;
    this.vars = options.vars ?? {};
    this.files = new Map(Object.entries(options.files ?? {}));
    this.responses = options.responses ?? [];
  }

  async run(argv: string[], options: RunOptions = {}): Promise<ExecResult> {
    this.commands.push(options.stdin === undefined ? [...argv] : [...argv, '<stdin>', String(options.stdin)]);
    const hit = this.responses.find((r) => r.argv.every((word, i) => argv[i] === word));
    return { code: hit?.code ?? 0, signal: null, stdout: hit?.stdout ?? '', stderr: hit?.stderr ?? '' };
  }

  async readFile(path: string): Promise<Buffer | null> {
    const text = this.files.get(path);
    return text === undefined ? null : Buffer.from(text);
  }

  async writeFile(path: string, data: string | Buffer, options: WriteFileOptions = {}): Promise<void> {
    const content = Buffer.isBuffer(data) ? data.toString('utf8') : data;
    this.writes.push({ path, content, ...(options.mode !== undefined ? { mode: options.mode.toString(8).padStart(4, '0') } : {}) });
    this.files.set(path, content);
  }

  async stat(path: string): Promise<FileStat | null> {
    const text = this.files.get(path);
    return text === undefined ? null : { type: 'file', mode: 0o644, uid: 0, gid: 0, size: Buffer.byteLength(text), owner: 'root', group: 'root' };
  }
}
