// hostname: the machine's name, now and at boot (hostnamectl where systemd runs, else /etc/hostname + hostname).

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { readFileState, restoreFile, type FileState } from './lib/file-state.js';
import { mustRun } from './lib/must-run.js';

interface HostnameArgs { name: string }
/** What apply does: set the live name and/or write /etc/hostname. */
interface HostnameData { live?: boolean; file?: boolean }
interface HostnameState { live: string; file: FileState; systemd: boolean }

/** The live hostname and /etc/hostname. */
async function readNames(host: Host): Promise<Omit<HostnameState, 'systemd'>> {
  return { live: (await host.run(['hostname'])).stdout.trim(), file: await readFileState(host, '/etc/hostname') };
}

async function setLive(host: Host, name: string, systemd: boolean): Promise<void> {
  if (systemd) {
    const res = await host.run(['hostnamectl', 'set-hostname', name]);
    if (res.code === 0) return;
    // hostnamectl needs systemd-hostnamed over D-Bus; where that cannot start (containers, chroots) the
    // classic way still works: /etc/hostname + hostname(1).
    await host.writeFile('/etc/hostname', `${name}\n`);
  }
  await mustRun(host, ['hostname', name], `setting hostname ${name}`);
}

export default defineModule<HostnameArgs, HostnameState, HostnameData>({
  name: 'hostname',
  doc: 'Set the hostname now and persistently (hostnamectl on systemd hosts; /etc/hostname + hostname elsewhere, e.g. Raspbian images without systemd-hostnamed).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: { name: { type: 'string', title: 'host name', pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?$', description: 'The new hostname (a unique one per board in a home cluster).' } },
  },
  examples: [{ name: 'Unique name per board', args: { name: 'k8s-pi-1' } }],
  reversible: true,
  // What a change leaves: the live name and /etc/hostname (rollback has no facts, so not inspect's systemd probe).
  readTarget: readNames,
  async inspect(host) {
    const systemd = host.facts.init_system === 'systemd' && (await host.run(['sh', '-c', 'command -v hostnamectl'])).code === 0;
    return { ...(await readNames(host)), systemd };
  },
  plan(s, args) {
    const changes: Change<HostnameData>[] = [];
    if (s.live !== args.name) changes.push({ msg: `set hostname to ${args.name} (was ${s.live})`, data: { live: true } });
    if ((s.file.content ?? '').trim() !== args.name) changes.push({ msg: `write /etc/hostname: ${args.name}`, diff: { path: '/etc/hostname', before: s.file.content ?? '', after: `${args.name}\n` }, data: { file: true } });
    return changes;
  },
  async apply(host, args, changes, s) {
    if (changes.some((c) => c.data.file) && !s.systemd) await host.writeFile('/etc/hostname', `${args.name}\n`);
    if (changes.some((c) => c.data.live) || s.systemd) await setLive(host, args.name, s.systemd);
  },
  async revert(host, { before }) {
    await restoreFile(host, before.file);
    await setLive(host, before.live, before.systemd);
  },
});
