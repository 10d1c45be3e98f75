// The lab's inventory file: every host in group `lab`, plus the groups of `runbook lab up N --groups a=1-2,b=3`, so a
// playbook's own groups exist on the lab without an inventory of its own.

/** What the inventory needs of a lab's state (engine/lab/lab.ts LabState). */
export interface LabInventorySource {
  name: string;
  index: number;
  keyPath: string;
  knownHostsPath: string;
  groups?: Record<string, string[]>;
  hosts: Array<{ name: string; address: string }>;
}

export class LabGroupsError extends Error {}

/**
 * Parses `gluster=1-2,master=3,workers=4-5` (host numbers, 1-based; a name given twice gets both sets) into group →
 * host names. Refuses numbers outside 1..hosts, bad names and empty groups with the offending part.
 */
export function parseGroups(text: string, hosts: number, prefix = 'node'): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of text.split(',').map((x) => x.trim()).filter(Boolean)) {
    const m = /^([A-Za-z_][A-Za-z0-9_-]*)=(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new LabGroupsError(`--groups: '${part}' is not NAME=N or NAME=FIRST-LAST (e.g. gluster=1-2,master=3)`);
    const [first, last] = [Number(m[2]), Number(m[3] ?? m[2])];
    if (first < 1 || last > hosts || first > last) throw new LabGroupsError(`--groups: '${part}' names hosts outside 1-${hosts}`);
    if (m[1] === 'all' || m[1] === 'lab' || m[1] === 'ungrouped') throw new LabGroupsError(`--groups: '${m[1]}' is a group the lab inventory already has`);
    const members = (out[m[1]] ??= []);
    for (let i = first; i <= last; i++) if (!members.includes(`${prefix}${i}`)) members.push(`${prefix}${i}`);
  }
  if (Object.keys(out).length === 0) throw new LabGroupsError('--groups: no group given (e.g. gluster=1-2,master=3)');
  return out;
}

export function labInventory(s: LabInventorySource, prefix: string): string {
  const groups = Object.entries(s.groups ?? {}).flatMap(([g, members]) => [`    ${g}:`, '      hosts:', ...members.map((h) => `        ${h}:`)]);
  return [
    `# runbook lab '${s.name}': ${s.hosts.length} host(s) on ${prefix}.${s.index}.0/24 (generated)`,
    'all:',
    '  vars:',
    '    user: root',
    `    key: ${s.keyPath}`,
    `    known_hosts: ${s.knownHostsPath}`,
    '  children:',
    '    lab:',
    '      hosts:',
    ...s.hosts.map((h) => `        ${h.name}: { address: ${h.address} }`),
    ...groups,
    '',
  ].join('\n');
}
