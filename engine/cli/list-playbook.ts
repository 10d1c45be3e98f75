// `runbook play --list-hosts/--list-tasks/--list-tags`: what a run would touch, printed the way ansible-playbook
// prints it (tab before TAGS, sorted tags), without connecting to any host.

import path from 'node:path';
import { loadInventory } from '../inventory/load-inventory.js';
import { loadPlaybookWithPacks } from '../load/load-with-packs.js';
import type { Inventory, Play } from '../load/playbook-types.js';
import { playHosts } from '../run/play-hosts.js';
import { orderedTasks } from '../run/task-order.js';
import { isTaskSelected } from '../run/task-selection.js';
import { EXIT } from './exit-codes.js';
import type { CliIO } from './io.js';
import { readLimit, type PlayCliOptions } from './options.js';

export interface ListOptions extends PlayCliOptions { listHosts?: boolean; listTasks?: boolean; listTags?: boolean }

export async function listPlaybook(playbook: string, o: ListOptions, io: CliIO): Promise<number> {
  const { playbook: loaded } = await loadPlaybookWithPacks(path.resolve(io.cwd, playbook), io.cwd, undefined, o.packs);
  const inventory = await loadInventory(o.inventory.map((p) => path.resolve(io.cwd, p)));
  const limit = await readLimit(o.limit, io.cwd);
  const lines = ['', `playbook: ${playbook}`];
  for (const [i, play] of loaded.plays.entries()) {
    lines.push('', `  play #${i + 1} (${play.hosts}): ${play.name}\t${tagList(play.tags)}`);
    if (o.listHosts) lines.push(...hostLines(inventory, play, limit));
    const selected = orderedTasks(play).filter((t) => isTaskSelected(t.tags, o.tags, o.skipTags));
    if (o.listTasks) lines.push('    tasks:', ...selected.map((t) => `      ${t.task.name}\t${tagList(t.tags)}`));
    if (o.listTags) lines.push(`      TASK TAGS: ${tagList(selected.flatMap((t) => t.tags)).slice('TAGS: '.length)}`);
  }
  io.out(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

function hostLines(inventory: Inventory, play: Play, limit: string | undefined): string[] {
  const hosts = playHosts(inventory, play, limit);
  return [`    pattern: ['${play.hosts}']`, `    hosts (${hosts.length}):`, ...hosts.map((h) => `      ${h}`)];
}

/** `TAGS: [a, b]`: unique and sorted, as Ansible prints them. */
function tagList(tags: string[]): string {
  return `TAGS: [${[...new Set(tags)].sort().join(', ')}]`;
}
