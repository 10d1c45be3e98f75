// modprobe: a kernel module loaded (with its parameters) or not, and persisted in modules-load.d / modprobe.d.
// Loaded state comes from the kernel (/sys/module/NAME/initstate, /proc/modules, modules.builtin): never from
// modprobe's exit code.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { readFileState, restoreFile, type FileState } from './lib/file-state.js';
import { kernelModule, oneLine } from './lib/arg-kinds.js';
import { mustRun } from './lib/must-run.js';
import { parseModinfoParameters, sameParameterValue } from './lib/kernel-module-parameters.js';

interface ModprobeArgs {
  name: string;
  params?: string | Record<string, string | number | boolean>;
  state: 'present' | 'absent';
  persistent: 'present' | 'absent' | 'disabled';
}

interface ModprobeState {
  loaded: boolean;
  builtin: boolean;
  /** Current values of the parameters asked for (from /sys/module/NAME/parameters). */
  params: Record<string, string | undefined>;
  /** The parameters the module declares and their types (`modinfo -F parm`); null when modinfo cannot tell. */
  declared?: Record<string, string> | null;
  loadFile: FileState;
  optionsFile: FileState;
}

function paramMap(p: ModprobeArgs['params']): Record<string, string> {
  if (p === undefined) return {};
  // A YAML boolean is written the way sysfs shows a bool parameter (the kernel reads Y/N as it reads 1/0).
  if (typeof p !== 'string') return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 'Y' : 'N') : String(v)]));
  return Object.fromEntries(p.trim().split(/\s+/).filter(Boolean).map((kv) => {
    const eq = kv.indexOf('=');
    return eq < 0 ? [kv, '1'] : [kv.slice(0, eq), kv.slice(eq + 1)];
  }));
}

/** One change: load, reload or unload the module, or write (content) / remove (null) a boot file. */
interface ModprobeData { load?: boolean; reload?: boolean; unload?: boolean; path?: string; content?: string | null }

/** A parameter the module does not declare: the kernel would load the module and ignore it, so fail first. */
function refuseUndeclared(name: string, want: Record<string, string>, declared: Record<string, string> | null | undefined): void {
  if (!declared) return;
  const unknown = Object.keys(want).filter((k) => !Object.prototype.hasOwnProperty.call(declared, k));
  if (unknown.length === 0) return;
  const known = Object.keys(declared);
  throw new ModuleError(`${name} has no parameter ${unknown.join(', ')} (modinfo -p ${name}: ${known.length ? known.join(', ') : 'none'}): the kernel would load it and ignore ${unknown.length > 1 ? 'them' : 'it'} ("${name}: unknown parameter '${unknown[0]}' ignored" in dmesg)`);
}

const loadFileOf = (name: string) => `/etc/modules-load.d/${name}.conf`;
const optionsFileOf = (name: string) => `/etc/modprobe.d/${name}.conf`;

export default defineModule<ModprobeArgs, ModprobeState, ModprobeData>({
  name: 'modprobe',
  doc: 'Load (or unload) a kernel module with its parameters and persist it for boot (modules-load.d, modprobe.d options). A module already loaded with other parameters is reported as drift, not silently ok. Check mode writes nothing.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { ...kernelModule, description: 'Kernel module name, e.g. br_netfilter.' },
      params: { anyOf: [{ ...oneLine, title: 'module parameters' }, { type: 'object', propertyNames: { pattern: '^[A-Za-z0-9_]+$' }, additionalProperties: { anyOf: [{ type: 'string', title: 'parameter value', pattern: '^[^\\s]+$' }, { type: 'number' }, { type: 'boolean' }] } }], description: 'Module parameters: "a=1 b=2" or a mapping. Compared with what /sys/module/NAME/parameters shows, as the kernel reads them: a bool parameter shown Y matches true, yes, 1, on (N: false, no, 0, off); integers by value. A parameter the module does not declare (modinfo -p) fails the task before anything changes: the kernel would load the module and ignore it.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'Loaded or not.' },
      persistent: { enum: ['present', 'absent', 'disabled'], default: 'present', description: 'present: load at boot (modules-load.d) with its options (modprobe.d); absent: remove those files; disabled: leave boot configuration alone.' },
    },
  },
  examples: [
    { name: 'Bridge netfilter for Kubernetes', args: { name: 'br_netfilter' } },
    { name: 'Device mapper for heketi', args: { name: 'dm_thin_pool' } },
  ],
  reversible: true,
  async inspect(host, args) {
    const name = args.name.replace(/-/g, '_');
    // A loadable module that is loaded has /sys/module/NAME/initstate "live" (built-in ones have no initstate);
    // /proc/modules says the same where the kernel has it.
    const initstate = (await host.readFile(`/sys/module/${name}/initstate`))?.toString('utf8').trim();
    const proc = (await host.readFile('/proc/modules'))?.toString('utf8') ?? '';
    const loaded = initstate === 'live' || proc.split('\n').some((l) => l.split(' ')[0] === name);
    const release = (await host.run(['uname', '-r'])).stdout.trim();
    const builtinText = (await host.readFile(`/lib/modules/${release}/modules.builtin`))?.toString('utf8') ?? '';
    const builtin = builtinText.split('\n').some((l) => l.replace(/^.*\//, '').replace(/\.ko(\.\w+)?$/, '').replace(/-/g, '_') === name);
    const params: Record<string, string | undefined> = {};
    for (const key of Object.keys(paramMap(args.params))) {
      params[key] = (await host.readFile(`/sys/module/${name}/parameters/${key}`))?.toString('utf8').trim();
    }
    // What the module declares (real modinfo reads the .ko or modules.builtin.modinfo): an unknown parameter is
    // ignored by the kernel, which loads the module anyway, so it is refused before loading.
    const modinfo = await host.run(['modinfo', '-F', 'parm', '--', args.name]);
    const declared = modinfo.code === 0 ? parseModinfoParameters(modinfo.stdout) : null;
    return { loaded, builtin, params, declared, loadFile: await readFileState(host, loadFileOf(args.name)), optionsFile: await readFileState(host, optionsFileOf(args.name)) };
  },
  plan(s, args): Change<ModprobeData>[] {
    const want = paramMap(args.params);
    const changes: Change<ModprobeData>[] = [];
    const paramText = Object.entries(want).map(([k, v]) => `${k}=${v}`).join(' ');
    if (args.state === 'present') {
      refuseUndeclared(args.name, want, s.declared);
      if (!s.loaded && !s.builtin) changes.push({ msg: `load ${args.name}${paramText ? ` ${paramText}` : ''}`, data: { load: true } });
      else if (s.loaded) {
        const wrong = Object.entries(want).filter(([k, v]) => s.params[k] !== undefined && !sameParameterValue(s.params[k]!, v, s.declared?.[k]));
        if (wrong.length > 0) {
          changes.push({ msg: `${args.name} is loaded with ${wrong.map(([k]) => `${k}=${s.params[k]}`).join(' ')}, wanted ${wrong.map(([k, v]) => `${k}=${v}`).join(' ')}: reload it`, data: { reload: true } });
        }
      }
    } else if (s.loaded) {
      if (s.builtin) throw new ModuleError(`${args.name} is built into the kernel and cannot be unloaded`);
      changes.push({ msg: `unload ${args.name}`, data: { unload: true } });
    }
    if (args.persistent !== 'disabled') {
      const present = args.persistent === 'present' && args.state === 'present';
      const file = (f: FileState, content: string | undefined, what: string) => {
        const before = f.content ?? '';
        if (content === undefined ? !f.exists : f.exists && before === content) return;
        changes.push({ msg: content === undefined ? `remove ${f.path}` : `${f.exists ? 'update' : 'write'} ${f.path} (${what})`, diff: { path: f.path, before, after: content ?? '' }, data: { path: f.path, content: content ?? null } });
      };
      file(s.loadFile, present ? `${args.name}\n` : undefined, 'load at boot');
      file(s.optionsFile, present && paramText ? `options ${args.name} ${paramText}\n` : undefined, 'module options');
    }
    return changes;
  },
  async apply(host, args, changes) {
    const want = paramMap(args.params);
    const argv = Object.entries(want).map(([k, v]) => `${k}=${v}`);
    const must = (cmd: string[]) => mustRun(host, cmd);
    for (const c of changes) {
      const d = c.data;
      if (d.load) await must(['modprobe', '--', args.name, ...argv]);
      if (d.reload) { await must(['modprobe', '-r', '--', args.name]); await must(['modprobe', '--', args.name, ...argv]); }
      if (d.unload) await must(['modprobe', '-r', '--', args.name]);
      if (d.path) {
        if (d.content === null) await must(['rm', '-f', '--', d.path]);
        else { await must(['mkdir', '-p', d.path.replace(/\/[^/]+$/, '')]); await host.writeFile(d.path, d.content!); }
      }
    }
  },
  async revert(host, { before, args, changes }) {
    await restoreFile(host, before.loadFile);
    await restoreFile(host, before.optionsFile);
    const did: ModprobeData = Object.assign({}, ...changes.map((c) => c.data));
    if (did.load) await host.run(['modprobe', '-r', '--', args.name]);
    if (did.unload || did.reload) {
      const old = Object.entries(before.params).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
      if (did.reload) await host.run(['modprobe', '-r', '--', args.name]);
      await mustRun(host, ['modprobe', '--', args.name, ...old], `reloading ${args.name}`);
    }
  },
});
