// service: a systemd unit started/stopped/restarted/reloaded and enabled or not; a clear error without systemd.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change } from '../engine/types.js';
import { mustSystemctl, requireSystemd, systemctl } from './lib/systemctl.js';
import { unitName } from './lib/arg-kinds.js';

interface ServiceArgs {
  name: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean;
  daemon_reload: boolean;
}

interface ServiceState { active: boolean; enabled: 'enabled' | 'disabled' | 'static' | 'masked' | 'other' }

/** What apply does, in this order; each a systemctl call with `--` before the unit. */
type Step = 'daemonReload' | 'enable' | 'disable' | 'start' | 'stop' | 'restart' | 'reload';
type ServiceData = Partial<Record<Step, boolean>>;

export default defineModule<ServiceArgs, ServiceState, ServiceData>({
  name: 'service',
  doc: 'Manage a systemd unit: started, stopped, restarted or reloaded; enabled at boot or not; daemon-reload first when asked. Decided from systemctl is-active / is-enabled. Hosts without systemd get a clear error.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { ...unitName, description: 'The unit (glusterd, kubelet, docker, firewalld...).' },
      state: { enum: ['started', 'stopped', 'restarted', 'reloaded'], description: 'started/stopped are idempotent; restarted/reloaded always act.' },
      enabled: { type: 'boolean', description: 'Start at boot.' },
      daemon_reload: { type: 'boolean', default: false, description: 'Run systemctl daemon-reload first (after changing unit files).' },
    },
  },
  examples: [
    { name: 'glusterd running and enabled', args: { name: 'glusterd', state: 'started', enabled: true } },
    { name: 'kubelet after a drop-in change', args: { name: 'kubelet', state: 'restarted', daemon_reload: true } },
  ],
  reversible: true,
  async inspect(host, args) {
    await requireSystemd(host, 'service', `start ${args.name} another way (command/shell) on this host`);
    const active = (await systemctl(host, ['is-active', '--quiet', '--', args.name])).code === 0;
    const en = (await systemctl(host, ['is-enabled', '--', args.name])).out.split('\n').pop() ?? '';
    const enabled = (['enabled', 'disabled', 'static', 'masked'].includes(en) ? en : 'other') as ServiceState['enabled'];
    return { active, enabled };
  },
  plan(s, args): Change<ServiceData>[] {
    const changes: Change<ServiceData>[] = [];
    if (args.daemon_reload) changes.push({ msg: 'systemctl daemon-reload', uncertain: true, data: { daemonReload: true } });
    if (args.enabled === true && s.enabled !== 'enabled' && s.enabled !== 'static') {
      if (s.enabled === 'masked') throw new ModuleError(`${args.name} is masked: unmask it first`);
      changes.push({ msg: `enable ${args.name}`, data: { enable: true } });
    }
    if (args.enabled === false && s.enabled === 'enabled') changes.push({ msg: `disable ${args.name}`, data: { disable: true } });
    if (args.state === 'started' && !s.active) changes.push({ msg: `start ${args.name}`, data: { start: true } });
    if (args.state === 'stopped' && s.active) changes.push({ msg: `stop ${args.name}`, data: { stop: true } });
    if (args.state === 'restarted') changes.push({ msg: `restart ${args.name}`, data: { restart: true } });
    if (args.state === 'reloaded') changes.push({ msg: `reload ${args.name}`, data: { reload: true } });
    return changes;
  },
  async apply(host, args, changes) {
    const d: ServiceData = Object.assign({}, ...changes.map((c) => c.data));
    const order: Array<[Step, string[]]> = [
      ['daemonReload', ['daemon-reload']], ['enable', ['enable', '--', args.name]], ['disable', ['disable', '--', args.name]],
      ['start', ['start', '--', args.name]], ['stop', ['stop', '--', args.name]], ['restart', ['restart', '--', args.name]], ['reload', ['reload', '--', args.name]],
    ];
    for (const [flag, argv] of order) {
      if (d[flag]) await mustSystemctl(host, argv);
    }
  },
  async revert(host, { before, args }) {
    const now = await systemctl(host, ['is-active', '--quiet', '--', args.name]);
    if (before.active && now.code !== 0) await systemctl(host, ['start', '--', args.name]);
    if (!before.active && now.code === 0) await systemctl(host, ['stop', '--', args.name]);
    const en = (await systemctl(host, ['is-enabled', '--', args.name])).out.split('\n').pop();
    if (before.enabled === 'enabled' && en !== 'enabled') await systemctl(host, ['enable', '--', args.name]);
    if (before.enabled === 'disabled' && en === 'enabled') await systemctl(host, ['disable', '--', args.name]);
  },
});
