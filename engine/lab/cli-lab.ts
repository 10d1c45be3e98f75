// `runbook lab up [N] | down | status | ssh HOST | inventory`: a throwaway fleet of real SSH hosts on this machine.

import { spawnSync } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import type { Command } from 'commander';
import type { LabState } from './lab.js';

// The lab itself is imported when a lab command runs: other commands (and --version) never load it.
const loadLab = () => import('./lab.js');
const loadFeatures = () => import('./features.js');
/** Named here so `--help` needs no import; parseFeatures refuses anything else with the list. */
const FEATURE_NAMES = 'kubernetes, heketi, apt-mirror';

/** `RUNBOOK_LAB` names the lab every lab command uses when --name is not given. */
const DEFAULT_LAB = process.env.RUNBOOK_LAB || 'default';

async function mustHave(name: string): Promise<LabState> {
  const s = await (await loadLab()).readLabState(name);
  if (!s) throw new Error(`no lab named '${name}' is up (runbook lab up 3${name === DEFAULT_LAB ? '' : ` --name ${name}`})`);
  return s;
}

/** `setExit` gives the command's exit code to the CLI (`lab ssh` exits with the remote command's, as ssh does). */
export function registerLabCommand(program: Command, setExit: (code: number) => void): void {
  const lab = program.command('lab').description('a throwaway fleet of real SSH hosts on this machine (needs root on Linux)');
  const nameOpt = (c: Command) => c.option('--name <name>', 'lab name (several labs can run at once)', DEFAULT_LAB);

  nameOpt(lab.command('up [hosts]').description('bring up N hosts (default 3), or grow the lab to N'))
    .option('--prefix <prefix>', 'host name prefix', 'node')
    .option('--with <features>', `stand-ins to install on every host, comma-separated (${FEATURE_NAMES})`)
    .option('--groups <groups>', 'inventory groups of host numbers, e.g. gluster=1-2,master=3,workers=4-5 (repeat a name to add hosts)')
    .action(async (hosts: string | undefined, o: { name: string; prefix: string; with?: string; groups?: string }) => {
      const t0 = Date.now();
      const count = Number(hosts ?? 3);
      const groups = o.groups === undefined ? undefined : (await loadLab()).parseGroups(o.groups, count, o.prefix);
      const s = await (await loadLab()).labUp({ name: o.name, hosts: count, prefix: o.prefix, features: (await loadFeatures()).parseFeatures(o.with), groups });
      process.stdout.write(`lab '${s.name}' is up: ${s.hosts.length} host(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
      for (const h of s.hosts) process.stdout.write(`  ${h.name.padEnd(10)} ${h.address}\n`);
      for (const [g, members] of Object.entries(s.groups ?? {})) process.stdout.write(`  group ${g}: ${members.join(', ')}\n`);
      process.stdout.write(`inventory: ${s.inventoryPath}\ntry:       runbook play playbooks/hello-lab.yml -i ${s.inventoryPath}\n`);
    });

  nameOpt(lab.command('down').description('remove the lab: processes, namespaces, links, mounts, state'))
    .option('--all', 'remove every lab on this machine')
    .action(async (o: { name: string; all?: boolean }) => {
      const names = o.all ? (await (await loadLab()).listLabs()).map((l) => l.name) : [o.name];
      for (const n of names) await (await loadLab()).labDown(n);
      process.stdout.write(`removed: ${names.join(', ') || '(no labs)'}\n`);
    });

  lab.command('status').description('labs on this machine and their hosts').action(async () => {
    const labs = await (await loadLab()).listLabs();
    if (labs.length === 0) process.stdout.write('no labs\n');
    for (const s of labs) {
      process.stdout.write(`lab '${s.name}' (${s.hosts.length} hosts, inventory ${s.inventoryPath})\n`);
      process.stdout.write('  stand-in: modprobe, lsmod, /sys/module, /proc/modules, /proc/swaps (module tree: nothing loads into the shared kernel)\n');
      for (const f of s.features ?? []) process.stdout.write(`  stand-in: ${(await loadFeatures()).LAB_FEATURES[f]?.standsIn ?? f}\n`);
      for (const h of await (await loadLab()).labStatus(s)) process.stdout.write(`  ${h.name.padEnd(10)} ${h.address.padEnd(14)} systemd ${h.systemd ? 'up' : 'DOWN'}  sshd ${h.sshd ? 'up' : 'DOWN'}${h.netns ? '' : ' (namespace missing)'}\n`);
    }
  });

  nameOpt(lab.command('inventory').description('print the lab inventory (YAML), or with --path its file\'s path'))
    .option('--path', 'print the inventory file\'s path (for -i "$(runbook lab inventory --path)")')
    .action(async (o: { name: string; path?: boolean }) => {
      const s = await mustHave(o.name);
      process.stdout.write(o.path ? `${s.inventoryPath}\n` : (await loadLab()).labInventory(s));
    });

  nameOpt(lab.command('ssh <host> [command...]').description('open a shell (or run a command) on a lab host over ssh'))
    .action(async (host: string, command: string[], o: { name: string }) => {
      const s = await mustHave(o.name);
      const h = s.hosts.find((x) => x.name === host);
      if (!h) throw new Error(`no host '${host}' in lab '${s.name}' (hosts: ${s.hosts.map((x) => x.name).join(', ')})`);
      const res = spawnSync('ssh', ['-i', s.keyPath, '-o', `UserKnownHostsFile=${s.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes', `root@${h.address}`, ...command], { stdio: 'inherit' });
      // ssh's own status: the remote command's, or 255 when ssh failed (killed by a signal: 128 + its number, as sh says).
      setExit(res.status ?? (res.signal ? 128 + (osConstants.signals[res.signal] ?? 0) : 255));
    });
}
