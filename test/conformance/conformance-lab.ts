// The conformance suite's own lab (fresh hosts, not shared with other test files): half for Ansible, half for runbook.

import { labDown, labExec, labUp, readLabState, startSshd, stopSshd } from '../../engine/lab/lab.js';
import type { TestLab } from '../helpers/lab.js';

export const conformanceLabName = `cf${process.pid % 100000}`;

export async function conformanceLabUp(hostsPerTool: number): Promise<TestLab> {
  const s0 = await labUp({ name: conformanceLabName, hosts: hostsPerTool * 2 });
  const s = (await readLabState(s0.name)) ?? s0;
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
  };
}

export function conformanceLabDown(): Promise<void> {
  return labDown(conformanceLabName);
}
