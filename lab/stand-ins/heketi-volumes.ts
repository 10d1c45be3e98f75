// The heketi stand-in's volumes and database backup (heketi 10's /volumes and /backup/db, as heketi-cli
// setup-openshift-heketi-storage uses them): a replicated volume takes one brick on `replica` distinct nodes' devices
// with room for it (else heketi's "No space"), names are unique; GET /backup/db returns the database (the stand-in's
// database is its JSON state). No GlusterFS runs behind it: a volume is a record, its hosts the nodes' storage names.

interface Device { id: string; name: string; node: string; storage: { total: number; free: number; used: number }; bricks?: Array<{ id: string; volume: string; size: number; path: string }> }
interface Node { id: string; cluster: string; hostnames: { manage: string[]; storage: string[] }; devices: string[] }
interface Cluster { id: string; nodes: string[]; volumes: string[] }
export interface Volume { id: string; name: string; size: number; cluster: string; durability: { type: string; replicate?: { replica: number } }; bricks: Array<{ device: string; node: string; size: number }> }
export interface VolumeState { clusters: Record<string, Cluster>; nodes: Record<string, Node>; devices: Record<string, Device>; volumes?: Record<string, Volume> }

export type Outcome = { status: number; location?: string; error?: string };
export interface VolumeRoutes {
  /** Answers a request for /volumes or /backup, or returns false when the path is not one of them. */
  handle(method: string, kind: string, key: string | undefined, input: Record<string, any>): false | { json?: unknown; text?: string; status: number; later?: () => Outcome; raw?: string };
}

const GIB_IN_KIB = 1024 * 1024;

export function volumeRoutes(state: () => VolumeState, newId: () => string): VolumeRoutes {
  const info = (v: Volume) => {
    const s = state();
    const hosts = v.bricks.map((b) => s.nodes[b.node]?.hostnames.storage[0]).filter(Boolean);
    return { ...v, mount: { glusterfs: { hosts, device: `${hosts[0]}:${v.name}`, options: { 'backup-volfile-servers': hosts.slice(1).join(',') } } } };
  };
  const create = (input: Record<string, any>): Outcome => {
    const s = state();
    s.volumes ??= {};
    const name = String(input.name ?? `vol_${newId()}`);
    if (Object.values(s.volumes).some((v) => v.name === name)) return { status: 500, error: `Name ${name} is already in use in all available clusters` };
    const replica = input.durability?.type === 'none' ? 1 : Number(input.durability?.replicate?.replica ?? 3);
    const size = Number(input.size) * GIB_IN_KIB;
    for (const c of Object.values(s.clusters)) {
      const picks: Device[] = [];
      for (const nid of c.nodes) {
        const d = (s.nodes[nid]?.devices ?? []).map((x) => s.devices[x]).find((x) => x && x.storage.free >= size);
        if (d && picks.length < replica) picks.push(d);
      }
      if (picks.length < replica) continue;
      const vid = newId();
      for (const d of picks) {
        d.storage.free -= size;
        d.storage.used += size;
        const bid = newId();
        (d.bricks ??= []).push({ id: bid, volume: vid, size, path: `/var/lib/heketi/mounts/vg_${d.id}/brick_${bid}/brick` });
      }
      const v: Volume = { id: vid, name, size: Number(input.size), cluster: c.id, durability: replica === 1 ? { type: 'none' } : { type: 'replicate', replicate: { replica } }, bricks: picks.map((d) => ({ device: d.id, node: d.node, size })) };
      s.volumes[v.id] = v;
      (c.volumes ??= []).push(v.id);
      return { status: 303, location: `/volumes/${v.id}` };
    }
    return { status: 500, error: 'No space' };
  };
  const remove = (v: Volume): Outcome => {
    const s = state();
    for (const b of v.bricks) {
      const d = s.devices[b.device];
      if (d) {
        d.storage.free += b.size;
        d.storage.used -= b.size;
        d.bricks = (d.bricks ?? []).filter((x) => x.volume !== v.id);
      }
    }
    delete s.volumes![v.id];
    const c = s.clusters[v.cluster];
    if (c) c.volumes = (c.volumes ?? []).filter((x) => x !== v.id);
    return { status: 204 };
  };
  return {
    handle(method, kind, key, input) {
      if (kind === 'backup' && key === 'db' && method === 'GET') return { status: 200, raw: JSON.stringify(state(), null, 2) };
      if (kind !== 'volumes') return false;
      const volumes = state().volumes ?? {};
      if (!key && method === 'GET') return { status: 200, json: { volumes: Object.keys(volumes) } };
      if (!key && method === 'POST') {
        if (!(Number(input.size) > 0)) return { status: 400, text: 'Invalid volume size' };
        return { status: 202, later: () => create(input) };
      }
      const v = key ? volumes[key] : undefined;
      if (!v) return { status: 404, text: 'Id not found' };
      if (method === 'GET') return { status: 200, json: info(v) };
      if (method === 'DELETE') return { status: 202, later: () => remove(v) };
      return { status: 405, text: 'method not allowed' };
    },
  };
}
