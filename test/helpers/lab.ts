// A running lab (systemd hosts) for the tests of this process: shared by every test file, grown on demand, removed by a root
// after() hook. Suites that need it skip loudly when not root (CI runs as root).

import { labAddFeatures, labDown, labExec, labUp, readLabState, startSshd, stopSshd, type LabState } from '../../engine/lab/lab.js';
import type { ExecResult } from '../../engine/types.js';

export interface LabHost { name: string; address: string }

export interface TestLab {
  name: string;
  hosts: LabHost[];
  inventoryPath: string;
  keyPath: string;
  knownHostsPath: string;
  exec(host: string, argv: string[], opts?: { stdin?: string }): Promise<ExecResult>;
  readFile(host: string, path: string): Promise<string | null>;
  writeFile(host: string, path: string, data: string, mode?: number): Promise<void>;
  stopSshd(host: string): Promise<void>;
  startSshd(host: string): Promise<void>;
  /** Installs lab features (the stand-ins of `runbook lab up --with ...`) on every host of the lab. */
  withFeatures(names: string[]): Promise<void>;
}

const labName = `t${process.pid % 100000}`;
let current: Promise<LabState> | undefined;
let used = false;

export function isRoot(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0;
}

/** A TestLab over a lab's state (also for suites that bring up a lab of their own). */
export function wrapLabState(s: LabState): TestLab {
  const find = (name: string) => {
    const h = s.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`no lab host ${name}`);
    return h;
  };
  return {
    name: s.name,
    hosts: s.hosts.map((h) => ({ name: h.name, address: h.address })),
    inventoryPath: s.inventoryPath,
    keyPath: s.keyPath,
    knownHostsPath: s.knownHostsPath,
    async exec(host, argv, opts = {}) {
      const r = await labExec(find(host), argv, opts.stdin);
      return { code: r.code, signal: null, stdout: r.stdout, stderr: r.stderr };
    },
    async readFile(host, path) {
      const r = await labExec(find(host), ['cat', '--', path]);
      return r.code === 0 ? r.stdout : null;
    },
    async writeFile(host, path, data, mode = 0o644) {
      const r = await labExec(find(host), ['sh', '-c', 'cat > "$1" && chmod "$2" "$1"', 'sh', path, mode.toString(8)], data);
      if (r.code !== 0) throw new Error(`writing ${path} on ${host}: ${r.stderr}`);
    },
    stopSshd: (host) => stopSshd(s, host),
    startSshd: (host) => startSshd(s, host),
    withFeatures: async (names) => labAddFeatures((await readLabState(s.name)) ?? s, names),
  };
}

/** A lab with at least n hosts (node1..nodeN). Call from a before() hook with `this` to skip when not root. */
export async function acquireLab(n: number, ctx?: Mocha.Context): Promise<TestLab> {
  if (!isRoot()) {
    const why = 'SKIPPED: lab tests need root on Linux (network + mount namespaces); CI runs as root';
    // eslint-disable-next-line no-console
    console.warn(`\n  *** ${why} ***\n`);
    if (ctx) ctx.skip();
    throw new Error(why);
  }
  used = true;
  const prev = current ? await current.catch(() => undefined) : undefined;
  if (!prev || prev.hosts.length < n) current = labUp({ name: labName, hosts: Math.max(n, prev?.hosts.length ?? 0) });
  const s = await current!;
  return wrapLabState((await readLabState(s.name)) ?? s);
}

// Root-level hook: registered once, when the first test file imports this module.
after(async function () {
  this.timeout(60_000);
  // RUNBOOK_KEEP_LAB=1 leaves the lab up to look at a failure (`runbook lab ssh node1 --name ...`, then `lab down`).
  if (used && !process.env.RUNBOOK_KEEP_LAB) await labDown(labName);
});
