// Keyed digests for saved plans: HMAC-SHA256 under the project's plan key (.runbook/plan.key, 0600), so a plan file
// holds no secret and no plain hash one could guess a secret from; and the digests of a project and an inventory.

import { createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fingerprintState } from '../journal/state-fingerprint.js';
import { checkPrivate, privateFolder } from '../journal/private-state.js';
import { PlanError } from './plan-file.js';

const SKIPPED_NAMES = new Set(['.runbook', '.git', 'node_modules']);
const MAX_FILES = 20_000;

/** The project's plan key; `create` makes one the first time (plan), apply only reads it. */
export async function planKey(projectDir: string, create: boolean): Promise<Buffer> {
  const file = path.join(await privateFolder(projectDir, '.runbook'), 'plan.key');
  if (create) await fs.writeFile(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' }).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'EEXIST') throw e; });
  try {
    await checkPrivate(file, 'file');
    return Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'hex');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new PlanError(`this project has no plan key (${file}): a plan is applied from the project folder it was made in`);
    throw e;
  }
}

/** A keyed digest of any value (keys in a stable order, as the journal's state fingerprints). */
export function keyedDigest(key: Buffer, value: unknown): string {
  return `hmac-sha256:${createHmac('sha256', key).update(fingerprintState(value)).digest('hex')}`;
}

/** Every file of the playbook's folder (and every file the playbook read outside it), by path and content. */
export async function projectDigest(key: Buffer, playbookDir: string, readFiles: string[]): Promise<string> {
  const files = new Set((await listFiles(playbookDir)).concat(readFiles.map((f) => path.resolve(f))));
  return contentDigest(key, [...files].sort(), playbookDir);
}

/** The inventory files (a folder: every file in it) by path and content. */
export async function inventoryDigest(key: Buffer, paths: string[]): Promise<string> {
  const files: string[] = [];
  for (const p of paths) {
    const st = await fs.stat(p).catch(() => undefined);
    if (st?.isDirectory()) files.push(...(await listFiles(p)));
    else files.push(path.resolve(p));
  }
  return contentDigest(key, [...new Set(files)].sort(), '/');
}

async function contentDigest(key: Buffer, files: string[], base: string): Promise<string> {
  const hmac = createHmac('sha256', key);
  for (const file of files) {
    const content = await fs.readFile(file).catch(() => Buffer.from('(unreadable)'));
    hmac.update(`${path.relative(base, file)}\u0000${content.length}\u0000`).update(content);
  }
  return `hmac-sha256:${hmac.digest('hex')}`;
}

/** Regular files below dir, skipping .runbook/.git/node_modules and saved plans (*.plan); bounded. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const pending = [path.resolve(dir)];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of await fs.readdir(current, { withFileTypes: true }).catch(() => [])) {
      if (SKIPPED_NAMES.has(entry.name) || entry.name.endsWith('.plan')) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isFile()) out.push(full);
      if (out.length > MAX_FILES) throw new PlanError(`${dir} holds more than ${MAX_FILES} files: too many to fingerprint for a plan; keep the playbook in a folder of its own`);
    }
  }
  return out;
}
