// gluster_volume: a GlusterFS volume exists with the given bricks, geometry, options and run state (or is deleted,
// only with force). Decided from `gluster --xml volume info NAME` (opRet/opErrstr), changed with the gluster CLI.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { oneLine } from './lib/arg-kinds.js';
import { glusterMust, glusterRead } from './lib/gluster-cli.js';
import { parseVolumes, type GlusterVolume } from './lib/gluster-xml.js';

interface VolumeArgs {
  name: string;
  state: 'present' | 'started' | 'stopped' | 'absent';
  bricks?: string[];
  replicas?: number;
  arbiters?: number;
  disperses?: number;
  redundancies?: number;
  options?: Record<string, string | number | null>;
  start_on_create: boolean;
  rebalance: boolean;
  force: boolean;
}

interface VolumeState { volume: GlusterVolume | null }

/** One step of the plan. `old` is an option's value before (absent: it was not set). */
type VolumeData =
  | { op: 'create' | 'start' | 'stop' | 'delete' | 'rebalance' }
  | { op: 'set'; option: string; value: string; old?: string }
  | { op: 'reset'; option: string; old: string }
  | { op: 'add-brick' | 'remove-brick'; bricks: string[]; replica?: number; arbiter?: number };

type VolumeChange = Change<VolumeData>;

const BRICK = { type: 'string', title: 'brick (host:/path)', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*:/[^\\s\\0]*$', description: 'A brick as host:/absolute/path, the way `gluster volume info` shows it.' };
const VOLUME_NAME = { type: 'string', title: 'volume name', pattern: '^[A-Za-z0-9_][A-Za-z0-9_-]*$', maxLength: 64 };

async function readVolume(host: Host, name: string): Promise<GlusterVolume | null> {
  const out = await glusterRead(host, ['volume', 'info', name]);
  if (out.opRet !== 0 && /does not exist/i.test(out.opErrstr)) return null;
  if (out.opRet !== 0) throw new ModuleError(`gluster volume info ${name} failed (opErrno ${out.opErrno}): ${out.opErrstr || 'is glusterd running?'}`);
  return parseVolumes(out).find((v) => v.name === name) ?? null;
}

/** The geometry words of create / add-brick: replica N [arbiter M] | disperse N [redundancy M]. */
function geometry(args: VolumeArgs): string[] {
  if (args.replicas && args.replicas > 1) return ['replica', String(args.replicas), ...(args.arbiters ? ['arbiter', String(args.arbiters)] : [])];
  if (args.disperses) return ['disperse', String(args.disperses), ...(args.redundancies ? ['redundancy', String(args.redundancies)] : [])];
  return [];
}

function planCreate(args: VolumeArgs): VolumeChange[] {
  if (!args.bricks?.length) throw new ModuleError(`volume ${args.name} does not exist and no bricks are given to create it`);
  const shape = geometry(args);
  const changes: VolumeChange[] = [{ msg: `create volume ${args.name}${shape.length ? ` (${shape.join(' ')})` : ''} with bricks ${args.bricks.join(', ')}`, data: { op: 'create' } }];
  for (const [option, value] of Object.entries(args.options ?? {})) {
    if (value !== null) changes.push({ msg: `set ${option} to ${value}`, data: { op: 'set', option, value: String(value) } });
  }
  if (args.state === 'started' || (args.state === 'present' && args.start_on_create)) changes.push({ msg: `start volume ${args.name}`, data: { op: 'start' } });
  return changes;
}

/** Bricks to add or remove, with the new replica count when it changes. */
function planBricks(v: GlusterVolume, args: VolumeArgs): VolumeChange[] {
  if (args.disperses && v.disperseCount !== args.disperses) throw new ModuleError(`volume ${v.name} is ${v.type} with disperse ${v.disperseCount}; gluster cannot change it to disperse ${args.disperses}`);
  const replicaChange = args.replicas && args.replicas !== v.replicaCount ? args.replicas : undefined;
  if (!args.bricks) {
    if (replicaChange) throw new ModuleError(`volume ${v.name} has replica ${v.replicaCount}: changing it to ${replicaChange} needs the bricks list`);
    return [];
  }
  const add = args.bricks.filter((b) => !v.bricks.includes(b));
  const remove = v.bricks.filter((b) => !args.bricks!.includes(b));
  if (replicaChange && add.length === 0 && remove.length === 0) throw new ModuleError(`volume ${v.name} has replica ${v.replicaCount} with these bricks: changing it to ${replicaChange} needs bricks added or removed`);
  const arbiter = args.arbiters && args.arbiters !== v.arbiterCount ? args.arbiters : undefined;
  const shape = replicaChange ? { replica: replicaChange, ...(arbiter ? { arbiter } : {}) } : {};
  const words = replicaChange ? ` (replica ${replicaChange}${arbiter ? ` arbiter ${arbiter}` : ''})` : '';
  const changes: VolumeChange[] = [];
  if (add.length) changes.push({ msg: `add bricks ${add.join(', ')}${words}`, data: { op: 'add-brick', bricks: add, ...shape } });
  if (add.length && args.rebalance) changes.push({ msg: `rebalance volume ${v.name}`, data: { op: 'rebalance' } });
  if (remove.length) {
    changes.push({
      msg: `remove bricks ${remove.join(', ')}${words}${args.rebalance ? ' (data migrated first)' : ' (force: data on them stays behind)'}`,
      data: { op: 'remove-brick', bricks: remove, ...(replicaChange ? { replica: replicaChange } : {}) },
      irreversible: true,
    });
  }
  return changes;
}

function planOptions(v: GlusterVolume, args: VolumeArgs): VolumeChange[] {
  const changes: VolumeChange[] = [];
  for (const [option, wanted] of Object.entries(args.options ?? {})) {
    const old = v.options[option];
    if (wanted === null) {
      if (old !== undefined) changes.push({ msg: `reset ${option} (was ${old})`, data: { op: 'reset', option, old } });
    } else if (old !== String(wanted)) {
      changes.push({ msg: `set ${option} to ${wanted}${old === undefined ? '' : ` (was ${old})`}`, data: { op: 'set', option, value: String(wanted), ...(old === undefined ? {} : { old }) } });
    }
  }
  return changes;
}

function planExisting(v: GlusterVolume, args: VolumeArgs): VolumeChange[] {
  const changes = [...planBricks(v, args), ...planOptions(v, args)];
  if (args.state === 'started' && v.status !== 'Started') changes.push({ msg: `start volume ${v.name} (${v.status})`, data: { op: 'start' } });
  if (args.state === 'stopped' && v.status === 'Started') changes.push({ msg: `stop volume ${v.name}`, data: { op: 'stop' } });
  return changes;
}

export default defineModule<VolumeArgs, VolumeState, VolumeData>({
  name: 'gluster_volume',
  doc: 'Make a GlusterFS volume exist with the given bricks (host:/path), geometry (replica, arbiter, disperse), options and run state, or delete it (only with force: true). Decided from `gluster --xml volume info` (opRet/opErrstr, never the exit code); run it on one peer of the pool (run_once). Options are compared with the values gluster shows; null resets one. Bricks added or removed change the replica count when `replicas` says so; no rebalance or data migration unless `rebalance: true`. Revert deletes a volume this run created, restores old option values, stops or starts it back and removes added bricks; removed bricks and a deleted volume cannot be brought back.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { ...VOLUME_NAME, description: 'The volume name.' },
      state: { enum: ['present', 'started', 'stopped', 'absent'], default: 'present', description: 'present: exists (a new one is started unless start_on_create: false); started / stopped: exists and runs or not; absent: deleted (needs force: true).' },
      bricks: { type: 'array', items: BRICK, minItems: 1, uniqueItems: true, description: 'Every brick of the volume as host:/path, in replica-set order (glusterd makes the brick directory; its parent must exist on that peer). Bricks missing from the volume are added, bricks not listed are removed.' },
      replicas: { type: 'integer', minimum: 1, description: 'Replica count (replica N); 1 turns a replicated volume back into a distributed one when bricks are removed.' },
      arbiters: { type: 'integer', minimum: 1, maximum: 1, description: 'Arbiter bricks per replica set (replica 3 arbiter 1): the last brick of each set holds only metadata.' },
      disperses: { type: 'integer', minimum: 3, description: 'Disperse count (erasure-coded volume: disperse N).' },
      redundancies: { type: 'integer', minimum: 1, description: 'Redundancy of a disperse volume (bricks that may fail).' },
      options: {
        type: 'object',
        propertyNames: { pattern: '^[a-z][a-z0-9_.-]*$' },
        additionalProperties: { anyOf: [{ ...oneLine, title: 'option value', pattern: '^[^-\\n\\r\\0][^\\n\\r\\0]*$' }, { type: 'number' }, { type: 'null' }] },
        description: 'Volume options (gluster volume set NAME KEY VALUE), compared with what `volume info` shows; null resets an option to its default (gluster lists a few options whatever is done, such as nfs.disable: give those their value instead).',
      },
      start_on_create: { type: 'boolean', default: true, description: 'With state: present, start a volume this task creates.' },
      rebalance: { type: 'boolean', default: false, description: 'Start a rebalance after adding bricks, and migrate data off bricks before removing them (remove-brick start, wait, commit). Off: bricks are removed with force and their data stays on them.' },
      force: { type: 'boolean', default: false, description: 'Pass force to create and add-brick (bricks on the root filesystem), and allow state: absent to delete the volume.' },
    },
    allOf: [
      { if: { properties: { state: { const: 'absent' } }, required: ['state'] }, then: { required: ['force'], properties: { force: { const: true } } } },
      { if: { required: ['arbiters'] }, then: { required: ['replicas'], properties: { replicas: { const: 3 } } } },
      { if: { required: ['redundancies'] }, then: { required: ['disperses'] } },
      { if: { required: ['replicas'] }, then: { properties: { disperses: false } } },
    ],
  },
  examples: [
    { name: 'A replica 3 arbiter 1 volume over three peers', args: { name: 'gv0', bricks: ['gluster1:/bricks/gv0', 'gluster2:/bricks/gv0', 'gluster3:/bricks/gv0'], replicas: 3, arbiters: 1, options: { 'performance.cache-size': '64MB' } } },
    { name: 'Reset an option and keep the volume stopped', args: { name: 'gv0', state: 'stopped', options: { 'performance.cache-size': null } } },
    { name: 'Delete a volume', args: { name: 'scratch', state: 'absent', force: true } },
  ],
  reversible: true,
  async inspect(host, args) {
    return { volume: await readVolume(host, args.name) };
  },
  plan(s, args): VolumeChange[] {
    const v = s.volume;
    if (args.state === 'absent') {
      if (!v) return [];
      return [
        ...(v.status === 'Started' ? [{ msg: `stop volume ${v.name}`, data: { op: 'stop' } } as VolumeChange] : []),
        { msg: `delete volume ${v.name} (bricks ${v.bricks.join(', ')})`, data: { op: 'delete' }, irreversible: true },
      ];
    }
    return v ? planExisting(v, args) : planCreate(args);
  },
  async apply(host, args, changes) {
    for (const c of changes) await applyChange(host, args, c.data);
  },
  async revert(host, { args, before, changes }) {
    // A volume this run created is deleted whole: its other changes need no undoing first.
    const created = changes.filter((c) => c.data.op === 'create');
    for (const c of created.length ? created : [...changes].reverse()) await revertChange(host, args, before, c.data);
  },
});

async function applyChange(host: Host, args: VolumeArgs, d: VolumeData): Promise<void> {
  const force = args.force ? ['force'] : [];
  const name = args.name;
  switch (d.op) {
    case 'create': await glusterMust(host, ['volume', 'create', name, ...geometry(args), ...args.bricks!, ...force]); break;
    case 'start': await glusterMust(host, ['volume', 'start', name]); break;
    case 'stop': await glusterMust(host, ['volume', 'stop', name]); break;
    case 'delete': await glusterMust(host, ['volume', 'delete', name]); break;
    case 'set': await glusterMust(host, ['volume', 'set', name, d.option, d.value]); break;
    case 'reset': await glusterMust(host, ['volume', 'reset', name, d.option]); break;
    case 'rebalance': await glusterMust(host, ['volume', 'rebalance', name, 'start']); break;
    case 'add-brick': await glusterMust(host, ['volume', 'add-brick', name, ...shapeWords(d), ...d.bricks, ...force]); break;
    case 'remove-brick': await removeBricks(host, name, d, args.rebalance); break;
  }
}

const shapeWords = (d: { replica?: number; arbiter?: number }) => (d.replica ? ['replica', String(d.replica), ...(d.arbiter ? ['arbiter', String(d.arbiter)] : [])] : []);

/** Without rebalance: remove-brick force. With it: start the data migration, wait for it (bounded), then commit. */
async function removeBricks(host: Host, name: string, d: { bricks: string[]; replica?: number }, migrate: boolean): Promise<void> {
  const base = ['volume', 'remove-brick', name, ...shapeWords(d), ...d.bricks];
  if (!migrate) {
    await glusterMust(host, [...base, 'force']);
    return;
  }
  await glusterMust(host, [...base, 'start']);
  for (let i = 0; ; i++) {
    const status = await glusterMust(host, [...base, 'status']);
    const aggregate = JSON.stringify((status.tree.volRemoveBrick as Record<string, unknown> | undefined)?.aggregate ?? {});
    if (/"statusStr":"completed"/.test(aggregate)) break;
    if (/"statusStr":"failed"/.test(aggregate)) throw new ModuleError(`data migration off ${d.bricks.join(', ')} failed: see gluster volume remove-brick ${name} ... status`);
    if (i >= 600) throw new ModuleError(`data migration off ${d.bricks.join(', ')} not completed after 10 minutes: the bricks are still in the volume`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  await glusterMust(host, [...base, 'commit']);
}

async function revertChange(host: Host, args: VolumeArgs, before: VolumeState, d: VolumeData): Promise<void> {
  const now = await readVolume(host, args.name);
  if (!now) return; // nothing left to put back
  const name = args.name;
  switch (d.op) {
    case 'create':
      if (now.status === 'Started') await glusterMust(host, ['volume', 'stop', name]);
      await glusterMust(host, ['volume', 'delete', name]);
      break;
    case 'start': if (now.status === 'Started') await glusterMust(host, ['volume', 'stop', name]); break;
    case 'stop': if (now.status !== 'Started') await glusterMust(host, ['volume', 'start', name]); break;
    case 'set':
    case 'reset':
      if (d.old === undefined) await glusterMust(host, ['volume', 'reset', name, d.option]);
      else if (now.options[d.option] !== d.old) await glusterMust(host, ['volume', 'set', name, d.option, d.old]);
      break;
    case 'add-brick': {
      const present = d.bricks.filter((b) => now.bricks.includes(b));
      const replica = d.replica && before.volume ? { replica: before.volume.replicaCount } : {};
      if (present.length) await glusterMust(host, ['volume', 'remove-brick', name, ...shapeWords(replica), ...present, 'force']);
      break;
    }
    default: break; // delete, remove-brick: irreversible (said so in the plan); rebalance: nothing to undo
  }
}
