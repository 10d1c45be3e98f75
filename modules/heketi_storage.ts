// heketi_storage: heketi's own database volume, as `heketi-cli setup-openshift-heketi-storage` makes it for gk-deploy —
// the replicated volume heketidbstorage, and heketi's database backup (GET /backup/db) that seeds it — through
// heketi's REST API from the controller. Registers the volume's hosts and the backup (base64) for the copy job.

import { ModuleError } from '../engine/errors.js';
import { defineModule } from '../engine/types.js';
import { heketiClient, heketiJwt, HeketiUnreachableError, unreachable, type HeketiClient } from './lib/heketi-api.js';
import { simpleName } from './lib/arg-kinds.js';

interface StorageArgs { url: string; user: string; key: string; name: string; size: number; replica: number; state: 'present' | 'absent' }
interface VolumeInfo { id: string; name: string; size: number; durability?: { type: string; replicate?: { replica: number } }; mount?: { glusterfs?: { hosts?: string[] } } }
/**
 * The volume heketi has under that name (null when none) and its database backup, base64; unreachable: why heketi
 * could not be read (it did not answer).
 */
interface StorageState { volume: VolumeInfo | null; db: string; unreachable?: string }
interface StorageData { create?: boolean; delete?: string }

async function findVolume(api: HeketiClient, name: string): Promise<VolumeInfo | null> {
  const { volumes } = await api.get<{ volumes: string[] }>('/volumes');
  for (const vid of volumes) {
    const v = await api.get<VolumeInfo>(`/volumes/${vid}`);
    if (v.name === name) return v;
  }
  return null;
}

/** heketi's database, as GET /backup/db returns it (heketi-cli's backup), base64. */
async function backup(args: StorageArgs): Promise<string> {
  const base = args.url.replace(/\/+$/, '');
  let res: Response;
  try {
    res = await fetch(`${base}/backup/db`, { headers: { Authorization: `bearer ${heketiJwt(args.user, args.key, 'GET', '/backup/db')}` } });
  } catch (e) {
    throw unreachable(base, e as Error);
  }
  if (res.status !== 200) throw new ModuleError(`heketi GET /backup/db failed (${res.status}): ${(await res.text()).trim()}`);
  return Buffer.from(await res.arrayBuffer()).toString('base64');
}

const summary = (v: VolumeInfo | null) => (v ? { id: v.id, name: v.name, size: v.size, hosts: v.mount?.glusterfs?.hosts ?? [] } : null);

export default defineModule<StorageArgs, StorageState, StorageData>({
  name: 'heketi_storage',
  doc: 'heketi\'s own database volume, as heketi-cli setup-openshift-heketi-storage makes it (gk-deploy): the replicated volume heketidbstorage created through heketi\'s REST API, and heketi\'s database backup (GET /backup/db) to seed it. Registers `volume` (id, name, size, hosts: the storage addresses for the Endpoints) and `db` (the backup, base64, for the heketi-storage-secret of the copy job). Run it once, against the bootstrap heketi (deploy-heketi).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'key'],
    properties: {
      url: { type: 'string', title: 'http(s) URL', pattern: '^https?://[^\\s]+$', description: 'heketi\'s URL, e.g. http://10.0.0.21:30080.' },
      user: { enum: ['admin'], default: 'admin', description: 'heketi user (creating volumes needs admin).' },
      key: { type: 'string', writeOnly: true, description: 'The admin\'s JWT secret. Secret: masked in every output.' },
      name: { ...simpleName, default: 'heketidbstorage', description: 'The volume\'s name (heketi-cli\'s is heketidbstorage).' },
      size: { type: 'integer', minimum: 1, default: 2, description: 'Size in GiB (heketi-cli\'s is 2).' },
      replica: { type: 'integer', minimum: 1, maximum: 3, default: 3, description: 'Replica count; 1 is durability none (gk-deploy --single-node).' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'absent deletes the volume (and the database on it).' },
    },
  },
  examples: [{ name: 'heketi\'s database volume, from the bootstrap heketi', args: { url: 'http://192.168.136.181:30080', key: '{{heketi_admin_key}}' } }],
  reversible: true,
  async inspect(_host, args) {
    const api = heketiClient(args.url, args.user, args.key);
    try {
      return { volume: await findVolume(api, args.name), db: args.state === 'present' ? await backup(args) : '' };
    } catch (e) {
      // Check mode on a cluster whose heketi is not deployed yet: say so, and that the volume would be created.
      if (e instanceof HeketiUnreachableError && args.state === 'present') return { volume: null, db: '', unreachable: e.message };
      throw e;
    }
  },
  plan(s, args) {
    if (args.state === 'absent') return s.volume ? [{ msg: `delete heketi volume ${args.name}`, data: { delete: s.volume.id } }] : [];
    if (s.volume) return [];
    const durability = args.replica === 1 ? 'durability none' : `replicate ${args.replica}`;
    const unread = s.unreachable ? `: ${s.unreachable}, so whether it exists cannot be read (its deployment may not exist yet)` : '';
    return [{ msg: `create heketi volume ${args.name} (${args.size} GiB, ${durability})${unread}`, data: { create: true } }];
  },
  report(s) {
    return { result: { volume: summary(s.volume), db: s.db } };
  },
  async apply(_host, args, changes, s) {
    // Never create in a heketi that was not read (the volume may be there): the run fails as it did.
    if (s.unreachable) throw new ModuleError(s.unreachable, { untouched: true });
    const api = heketiClient(args.url, args.user, args.key);
    for (const c of changes) {
      if (c.data.delete) await api.call('DELETE', `/volumes/${c.data.delete}`);
      if (c.data.create) {
        const durability = args.replica === 1 ? { type: 'none' } : { type: 'replicate', replicate: { replica: args.replica } };
        await api.call('POST', '/volumes', { name: args.name, size: args.size, durability });
      }
    }
    const volume = args.state === 'present' ? await findVolume(api, args.name) : null;
    // The backup is taken after the volume exists, as heketi-cli does: the copied database knows its own volume.
    return { result: { volume: summary(volume), db: args.state === 'present' ? await backup(args) : '' }, secrets: [args.key] };
  },
  /** Delete the volume the run created; a deleted volume cannot come back (its bricks are gone). */
  async revert(_host, { args, before }) {
    if (before.volume || before.unreachable) return;
    const api = heketiClient(args.url, args.user, args.key);
    const now = await findVolume(api, args.name);
    if (now) await api.call('DELETE', `/volumes/${now.id}`);
  },
});
