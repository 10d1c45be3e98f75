// The steps of a seed article, kept as data beside a playbook test (test/playbooks/<name>.steps.yml): each step names
// what the article does, the lab hosts to look at, a shell command and the regex its output must match. Placeholders
// in `expect` (ADDRESS_OF_node1, ADMIN_KEY, ...) are replaced by the test's values, escaped; in `sh`, as they are.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { TestLab } from './lab.js';
import { repoRoot } from './paths.js';

export interface ArticleStep { step: string; hosts: string[]; sh: string; expect: string }

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Reads test/playbooks/NAME.steps.yml and checks every step on its hosts; returns how many steps were checked. */
export async function expectArticleSteps(lab: TestLab, name: string, values: Record<string, string>): Promise<number> {
  const steps = parse(await fs.readFile(path.join(repoRoot, 'test/playbooks', `${name}.steps.yml`), 'utf8')) as ArticleStep[];
  for (const s of steps) {
    let pattern = s.expect;
    let command = s.sh;
    for (const [k, v] of Object.entries(values)) {
      pattern = pattern.split(k).join(escape(v));
      command = command.split(k).join(v);
    }
    for (const h of s.hosts) {
      const r = await lab.exec(h, ['sh', '-c', command]);
      expect(r.stdout.trim(), `article step "${s.step}" on ${h} (${command})\n${r.stderr}`).to.match(new RegExp(pattern));
    }
  }
  return steps.length;
}
