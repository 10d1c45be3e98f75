// User and group names ↔ ids on the controller, read from /etc/passwd and /etc/group.

import { promises as fs } from 'node:fs';

// Read once per process and file: stat() of every file asks for owner names, and /etc/passwd rarely changes
// during a run (a run that adds users through runbook sees numeric ids until the next run).
const cache = new Map<string, Promise<Array<[string, number]>>>();

function readDb(file: string): Promise<Array<[string, number]>> {
  let hit = cache.get(file);
  if (!hit) {
    hit = readDbUncached(file);
    cache.set(file, hit);
  }
  return hit;
}

async function readDbUncached(file: string): Promise<Array<[string, number]>> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'))
    .map((f) => [f[0], Number(f[2])] as [string, number]);
}

async function idOf(file: string, name: string, what: string): Promise<number> {
  if (/^\d+$/.test(name)) return Number(name);
  const hit = (await readDb(file)).find(([n]) => n === name);
  if (!hit) throw new Error(`unknown ${what}: ${name}`);
  return hit[1];
}

async function nameOf(file: string, id: number): Promise<string | undefined> {
  return (await readDb(file)).find(([, i]) => i === id)?.[0];
}

export const lookupUserId = (name: string) => idOf('/etc/passwd', name, 'user');
export const lookupGroupId = (name: string) => idOf('/etc/group', name, 'group');
export const lookupUserName = (id: number) => nameOf('/etc/passwd', id);
export const lookupGroupName = (id: number) => nameOf('/etc/group', id);
