// sysctl: a kernel parameter set now (live) and persisted in /etc/sysctl.d, compared after whitespace normalisation.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { readFileState, restoreFile, type FileState } from './lib/file-state.js';
import { normalizeSysctlValue, parseSysctlConf, setSysctlConf, sysctlProvider } from './lib/sysctl-conf.js';
import { absolutePath, oneLine, sysctlKey } from './lib/arg-kinds.js';
import { mustRun } from './lib/must-run.js';

interface SysctlArgs {
  name: string;
  value?: string | number;
  state: 'present' | 'absent';
  file: string;
  reload: boolean;
}

interface SysctlState {
  live?: string;
  file: FileState;
}

/** What apply does: write the file (after) and/or set the live value. */
interface SysctlData { after?: string; live?: string }

const procPath = (name: string) => `/proc/sys/${name.replace(/\./g, '/')}`;

/** The live value and the persisted file: what a change leaves, also read back for rollback's conflict check. */
async function inspectSysctl(host: Host, args: SysctlArgs): Promise<SysctlState> {
  const live = await host.readFile(procPath(args.name));
  return { live: live === null ? undefined : normalizeSysctlValue(live.toString('utf8')), file: await readFileState(host, args.file) };
}

export default defineModule<SysctlArgs, SysctlState, SysctlData>({
  name: 'sysctl',
  doc: 'Set a kernel parameter now and persist it in a sysctl.d file. Changed only when the live or the persisted value differs (whitespace-insensitive). A key the kernel does not have yet fails with the kernel module to load first.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    allOf: [{ if: { properties: { state: { const: 'present' } } }, then: { required: ['value'] } }],
    properties: {
      name: { ...sysctlKey, description: 'The key, e.g. net.ipv4.ip_forward.' },
      value: { anyOf: [oneLine, { type: 'number' }], description: 'The value (state: present).' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'absent removes the key from the file (the live value is left as is).' },
      file: { ...absolutePath, default: '/etc/sysctl.d/99-runbook.conf', description: 'The file the value is persisted in.' },
      reload: { type: 'boolean', default: true, description: 'Also set the live value (sysctl -w).' },
    },
  },
  examples: [
    { name: 'IP forwarding for Kubernetes', args: { name: 'net.ipv4.ip_forward', value: '1' } },
    { name: 'Bridged traffic through iptables (needs br_netfilter)', args: { name: 'net.bridge.bridge-nf-call-iptables', value: '1', file: '/etc/sysctl.d/k8s.conf' } },
  ],
  reversible: true,
  inspect: inspectSysctl,
  readTarget: inspectSysctl,
  plan(s, args): Change<SysctlData>[] {
    const before = s.file.content ?? '';
    if (args.state === 'absent') {
      const after = setSysctlConf(before, args.name, undefined);
      return after === before ? [] : [{ msg: `remove ${args.name} from ${args.file}`, diff: { path: args.file, before, after }, data: { after } }];
    }
    const want = normalizeSysctlValue(String(args.value));
    if (args.reload && s.live === undefined) {
      const mod = sysctlProvider(args.name);
      throw new ModuleError(`sysctl key ${args.name} does not exist on this host${mod ? `: it appears when kernel module ${mod} is loaded (add a modprobe task for ${mod} before this one)` : ' (check the name, or load the kernel module that provides it)'}`);
    }
    const changes: Change<SysctlData>[] = [];
    if (args.reload && s.live !== want) changes.push({ msg: `set ${args.name} to ${want} (live value was ${s.live})`, data: { live: want } });
    const persisted = parseSysctlConf(before).get(args.name);
    if (persisted !== want) {
      const after = setSysctlConf(before, args.name, want);
      changes.push({ msg: `persist ${args.name} = ${want} in ${args.file}${persisted !== undefined ? ` (was ${persisted})` : ''}`, diff: { path: args.file, before, after }, data: { after } });
    }
    return changes;
  },
  async apply(host, args, changes) {
    for (const c of changes) {
      const d = c.data;
      if (d.after !== undefined) {
        const dir = args.file.replace(/\/[^/]+$/, '') || '/';
        await host.run(['mkdir', '-p', dir]);
        await host.writeFile(args.file, d.after); // an existing file keeps its mode and owner (new: 0644)
      }
      if (d.live !== undefined) {
        await mustRun(host, ['sysctl', '-w', '--', `${args.name}=${d.live}`], `sysctl -w ${args.name}=${d.live}`);
      }
    }
  },
  async revert(host, { before, args }) {
    await restoreFile(host, before.file);
    if (args.reload && before.live !== undefined) {
      await mustRun(host, ['sysctl', '-w', '--', `${args.name}=${before.live}`], `restoring ${args.name}=${before.live}`);
    }
  },
});
