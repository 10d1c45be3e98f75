// A non-root login user with sudo on a lab host, created by a test (and removed by it): `password` sudo asks for
// the user's password; `nopasswd` sudo never asks.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TestLab } from './lab.js';

export interface SudoUser { name: string; password: string; inventory: string }

export async function createSudoUser(lab: TestLab, host: string, name: string, sudo: 'password' | 'nopasswd', dir: string): Promise<SudoUser> {
  const password = `pw-${name}-Zq8`;
  const rule = sudo === 'nopasswd' ? `${name} ALL=(ALL) NOPASSWD: ALL` : `${name} ALL=(ALL) ALL`;
  const script = [
    `userdel -r ${name} 2>/dev/null; useradd -m -s /bin/sh ${name}`,
    `echo '${name}:${password}' | chpasswd`,
    `mkdir -p /home/${name}/.ssh && cp /root/.ssh/authorized_keys /home/${name}/.ssh/ && chown -R ${name}: /home/${name}/.ssh`,
    `echo '${rule}' > /etc/sudoers.d/runbook-test-${name} && chmod 440 /etc/sudoers.d/runbook-test-${name}`,
  ].join(' && ');
  const res = await lab.exec(host, ['sh', '-c', script]);
  if (res.code !== 0) throw new Error(`creating ${name} on ${host}: ${res.stderr}`);
  const address = lab.hosts.find((h) => h.name === host)!.address;
  const inventory = path.join(dir, `inv-${name}.yml`);
  await fs.writeFile(inventory, `all:\n  hosts:\n    ${host}: { address: ${address}, user: ${name}, key: ${lab.keyPath}, known_hosts: ${lab.knownHostsPath}, become_password: "${password}" }\n`);
  return { name, password, inventory };
}

export async function removeSudoUser(lab: TestLab, host: string, name: string): Promise<void> {
  await lab.exec(host, ['sh', '-c', `rm -f /etc/sudoers.d/runbook-test-${name}; userdel -r ${name} 2>/dev/null; true`]);
}
