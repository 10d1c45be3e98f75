// systemd: a unit's state, enabled and masked, and daemon-reload with or without a unit (Ansible's systemd_service).

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change } from '../engine/types.js';
import { mustSystemctl, readUnitState, requireSystemd, UNIT_NAME, type UnitState } from './lib/systemctl.js';

interface SystemdArgs {
  name?: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean;
  masked?: boolean;
  daemon_reload: boolean;
}

/** What one change does, in the order apply runs them. */
type Step = 'daemon-reload' | 'mask' | 'unmask' | 'enable' | 'disable' | 'start' | 'stop' | 'restart' | 'reload';
const ORDER: Step[] = ['daemon-reload', 'unmask', 'mask', 'enable', 'disable', 'start', 'stop', 'restart', 'reload'];

const step = (name: Step, msg: string, uncertain = false): Change<{ step: Step }> => ({ msg, data: { step: name }, ...(uncertain ? { uncertain } : {}) });

/** The unit's steps (pure), in words. */
function unitSteps(s: UnitState, args: SystemdArgs, unit: string): Change<{ step: Step }>[] {
  const masked = s.enabled.startsWith('masked');
  const maskedAfter = args.masked ?? masked;
  if (args.enabled === true && maskedAfter) throw new ModuleError(`${unit} is masked: it cannot be enabled (set masked: false to unmask it)`);
  if (args.state !== undefined && args.state !== 'stopped' && maskedAfter) throw new ModuleError(`${unit} is masked: it cannot be ${args.state} (set masked: false to unmask it)`);
  if ((args.enabled !== undefined || args.state !== undefined) && s.enabled === 'not-found' && !maskedAfter) {
    throw new ModuleError(`unit ${unit} not found: install it (or fix the name) first`);
  }
  const changes: Change<{ step: Step }>[] = [];
  if (args.masked === true && !masked) changes.push(step('mask', `mask ${unit}`));
  if (args.masked === false && masked) changes.push(step('unmask', `unmask ${unit}`));
  const enabledNow = ['enabled', 'enabled-runtime', 'static', 'alias', 'indirect', 'generated'].includes(s.enabled);
  if (args.enabled === true && !enabledNow) changes.push(step('enable', `enable ${unit}`));
  // Unmasking uncovers the enablement the mask hid, which is-enabled cannot tell now: disable then, as Ansible does.
  const unmasking = masked && args.masked === false;
  if (args.enabled === false && (s.enabled === 'enabled' || s.enabled === 'enabled-runtime' || unmasking)) changes.push(step('disable', `disable ${unit}`));
  if (args.state === 'started' && !s.active) changes.push(step('start', `start ${unit}`));
  if (args.state === 'stopped' && s.active) changes.push(step('stop', `stop ${unit}`));
  if (args.state === 'restarted') changes.push(step('restart', `restart ${unit}`));
  if (args.state === 'reloaded') changes.push(step('reload', `reload ${unit}`));
  return changes;
}

export default defineModule<SystemdArgs, UnitState | null, { step: Step }>({
  name: 'systemd',
  doc: 'Manage a systemd unit: started, stopped, restarted or reloaded; enabled at boot or not; masked or not; daemon-reload first, alone or with a unit. Decided from systemctl is-active / is-enabled; revert puts state, enablement and masking back. `service` stays the portable one.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string', ...UNIT_NAME, description: 'The unit (glusterd, kubelet.service, docker.socket...). Needed for everything but daemon_reload alone.' },
      state: { enum: ['started', 'stopped', 'restarted', 'reloaded'], description: 'started/stopped are idempotent; restarted/reloaded always act.' },
      enabled: { type: 'boolean', description: 'Start at boot.' },
      masked: { type: 'boolean', description: 'Masked: the unit cannot be started at all, by anyone (true), or unmasked (false).' },
      daemon_reload: { type: 'boolean', default: false, description: 'Run systemctl daemon-reload first (after changing unit files); may be given without a name.' },
    },
    allOf: [
      { if: { required: ['state'] }, then: { required: ['name'] } },
      { if: { required: ['enabled'] }, then: { required: ['name'] } },
      { if: { required: ['masked'] }, then: { required: ['name'] } },
      { if: { not: { required: ['name'] } }, then: { required: ['daemon_reload'], properties: { daemon_reload: { const: true } } } },
      { if: { properties: { masked: { const: true } }, required: ['masked'] }, then: { properties: { enabled: { const: false }, state: { enum: ['stopped'] } } } },
    ],
  },
  examples: [
    { name: 'After writing a unit file', args: { daemon_reload: true } },
    { name: 'glusterd running and enabled', args: { name: 'glusterd', state: 'started', enabled: true } },
    { name: 'Nobody may start the old daemon', args: { name: 'ntp', state: 'stopped', masked: true } },
  ],
  reversible: true,
  async inspect(host, args) {
    await requireSystemd(host, 'systemd', `manage ${args.name ?? 'the unit'} another way (command/shell) on this host`);
    return args.name === undefined ? null : readUnitState(host, args.name);
  },
  plan(current, args): Change<{ step: Step }>[] {
    const changes: Change<{ step: Step }>[] = [];
    if (args.daemon_reload) changes.push(step('daemon-reload', 'systemctl daemon-reload', true));
    if (current && args.name !== undefined) changes.push(...unitSteps(current, args, args.name));
    return changes;
  },
  async apply(host, args, changes) {
    const steps = new Set(changes.map((c) => c.data.step));
    for (const s of ORDER) {
      if (!steps.has(s)) continue;
      await mustSystemctl(host, s === 'daemon-reload' ? ['daemon-reload'] : [s, '--', args.name!]);
    }
    // As Ansible's: a daemon-reload alone changes no unit, so the task is ok, not changed.
    if (steps.size === 1 && steps.has('daemon-reload')) return { changed: false };
  },
  async revert(host, { before, args }) {
    if (!before || args.name === undefined) return;
    const unit = args.name;
    const now = await readUnitState(host, unit);
    const wasMasked = before.enabled.startsWith('masked');
    if (!wasMasked && now.enabled.startsWith('masked')) await mustSystemctl(host, ['unmask', '--', unit]);
    if (before.enabled === 'enabled' && now.enabled !== 'enabled') await mustSystemctl(host, ['enable', '--', unit]);
    if (before.enabled === 'disabled' && now.enabled === 'enabled') await mustSystemctl(host, ['disable', '--', unit]);
    if (before.active && !now.active) await mustSystemctl(host, ['start', '--', unit]);
    if (!before.active && now.active) await mustSystemctl(host, ['stop', '--', unit]);
    if (wasMasked && !now.enabled.startsWith('masked')) await mustSystemctl(host, ['mask', '--', unit]);
  },
});
