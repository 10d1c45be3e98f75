// heketi_topology: heketi's clusters, nodes and devices converge to a topology — built from the inventory (a gluster
// group with heketi_zone / heketi_devices / manage and storage addresses) or given inline in heketi's own JSON
// format — through heketi's REST API from the controller. Adds what is missing; reports nodes whose zone or storage
// address differ (heketi cannot change them in place); deletes only with prune / state: absent, and then as heketi
// requires: a device is disabled, removed (its bricks migrate) and deleted; a node likewise, then the empty cluster.

import { promises as fs } from 'node:fs';
import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type ModuleContext } from '../engine/types.js';
import { heketiClient, HeketiUnreachableError, type HeketiClient } from './lib/heketi-api.js';
import { removeDevice, removeNode } from './lib/heketi-removal.js';
import { filePath, simpleName } from './lib/arg-kinds.js';

type DeviceSpec = string | { name: string; destroydata?: boolean; tags?: Record<string, string> };
interface NodeSpec { node: { hostnames: { manage: string[]; storage: string[] }; zone: number }; devices: DeviceSpec[] }
interface Topology { clusters: Array<{ nodes: NodeSpec[] }> }

interface TopologyArgs {
  url: string;
  user: string;
  key: string;
  topology?: Topology;
  group?: string;
  state: 'present' | 'absent';
  prune: boolean;
  write_topology?: string;
}

/** One change: the topology file, a cluster, node or device to add or delete, or a node that drifted (apply refuses). */
interface TopologyData {
  writeTopology?: string;
  createCluster?: number;
  addNode?: { ci: number; spec: NodeSpec };
  addDevice?: { node: string; spec: DeviceSpec };
  deleteDevice?: string;
  deleteNode?: string;
  cluster?: string;
  drift?: string;
  /** heketi could not be read: the whole topology is planned as new, and apply refuses. */
  unreadable?: true;
}

interface LiveNode { id: string; zone: number; manage: string[]; storage: string[]; devices: Array<{ id: string; name: string }> }
interface LiveCluster { id: string; nodes: LiveNode[] }
/**
 * topologyFile: the write_topology file's content on the controller (null when absent or not asked for);
 * unreachable: why heketi could not be read (it did not answer), live is then empty.
 */
interface TopologyState { desired: Topology; live: LiveCluster[]; topologyFile: string | null; unreachable?: string }

const devName = (d: DeviceSpec) => (typeof d === 'string' ? d : d.name);

/** heketi's topology.json from the inventory: one cluster of the group's hosts. */
export function topologyFromInventory(group: string, ctx: Pick<ModuleContext, 'groups' | 'hostvars'>): Topology {
  const hosts = ctx.groups[group];
  if (!hosts?.length) throw new ModuleError(`heketi_topology: no hosts in inventory group '${group}'`);
  return {
    clusters: [{
      nodes: hosts.map((h) => {
        const v = ctx.hostvars[h] ?? {};
        const devices = v.heketi_devices;
        if (!Array.isArray(devices) || devices.length === 0) throw new ModuleError(`heketi_topology: host ${h} has no heketi_devices (e.g. [/dev/vdb1])`);
        return {
          node: {
            hostnames: { manage: [String(v.heketi_manage ?? h)], storage: [String(v.heketi_storage ?? v.storage_address ?? v.address ?? h)] },
            zone: Number(v.heketi_zone ?? 1),
          },
          devices: devices as DeviceSpec[],
        };
      }),
    }],
  };
}

async function readLive(api: HeketiClient): Promise<LiveCluster[]> {
  const { clusters } = await api.get<{ clusters: string[] }>('/clusters');
  const out: LiveCluster[] = [];
  for (const cid of clusters) {
    const c = await api.get<{ id: string; nodes: string[] }>(`/clusters/${cid}`);
    const nodes: LiveNode[] = [];
    for (const nid of c.nodes) {
      const n = await api.get<{ id: string; zone: number; hostnames: { manage: string[]; storage: string[] }; devices: Array<{ id: string; name: string }> }>(`/nodes/${nid}`);
      nodes.push({ id: n.id, zone: n.zone, manage: n.hostnames.manage, storage: n.hostnames.storage, devices: n.devices.map((d) => ({ id: d.id, name: d.name })) });
    }
    out.push({ id: c.id, nodes });
  }
  return out;
}

function findNode(live: LiveCluster[], manage: string): { cluster: LiveCluster; node: LiveNode } | undefined {
  for (const cluster of live) for (const node of cluster.nodes) if (node.manage.includes(manage)) return { cluster, node };
  return undefined;
}

export default defineModule<TopologyArgs, TopologyState, TopologyData>({
  name: 'heketi_topology',
  doc: 'Converge heketi\'s topology (clusters, nodes, devices) through its REST API — JWT auth and the async 202/queue protocol, no heketi-cli needed. Built from an inventory group (heketi_zone, heketi_devices, heketi_manage, heketi_storage per host) or inline in topology.json format. Adds what is missing; nodes whose zone or storage address differ are reported (heketi cannot change them in place); deletes only with prune or state: absent, by heketi\'s removal protocol (a device is disabled, removed so its bricks migrate, then deleted; a node is disabled and removed, its devices deleted, then the node; an emptied cluster last), which a rollback follows too. Can write topology.json for heketi-cli users. Run it once (run_once or a single host): it talks to heketi from the controller.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'key'],
    oneOf: [{ required: ['topology'] }, { required: ['group'] }],
    properties: {
      url: { type: 'string', title: 'http(s) URL', pattern: '^https?://[^\\s]+$', description: 'heketi\'s URL, e.g. http://10.0.0.21:8080.' },
      user: { enum: ['admin', 'user'], default: 'admin', description: 'heketi user (admin changes the topology).' },
      key: { type: 'string', writeOnly: true, description: 'The user\'s JWT secret (heketi.json jwt.admin.key). Secret: its value, and the var it comes from, are masked in every output.' },
      topology: { type: 'object', description: 'Inline topology in heketi\'s topology.json format ({clusters: [{nodes: [{node: {hostnames: {manage, storage}, zone}, devices}]}]}).' },
      group: { ...simpleName, description: 'Build the topology from this inventory group instead.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'absent removes the topology\'s devices, nodes and emptied clusters.' },
      prune: { type: 'boolean', default: false, description: 'Also delete devices and nodes heketi has that the topology does not list.' },
      write_topology: { ...filePath, description: 'Also write the topology as JSON to this controller path (relative to the playbook), for heketi-cli topology load.' },
    },
  },
  examples: [
    { name: 'Topology from the gluster group', args: { url: 'http://heketi.lab:8080', key: '{{heketi_admin_key}}', group: 'gluster' } },
    { name: 'Inline, seed 000', args: { url: 'http://10.0.0.21:8080', key: '{{heketi_admin_key}}', topology: { clusters: [{ nodes: [{ node: { hostnames: { manage: ['gluster1'], storage: ['10.0.0.11'] }, zone: 1 }, devices: ['/dev/vdb1'] }] }] } } },
  ],
  reversible: true,
  async inspect(_host, args, ctx) {
    const desired = args.topology ?? topologyFromInventory(args.group!, ctx);
    const topologyFile = args.write_topology ? await fs.readFile(await ctx.controllerPath('write_topology', args.write_topology), 'utf8').catch(() => null) : null;
    try {
      return { desired, live: await readLive(heketiClient(args.url, args.user, args.key)), topologyFile };
    } catch (e) {
      // Check mode on a cluster whose heketi is not deployed yet: say so, and what loading the topology would add.
      if (e instanceof HeketiUnreachableError && args.state === 'present') return { desired, live: [], topologyFile, unreachable: e.message };
      throw e;
    }
  },
  plan(s, args): Change<TopologyData>[] {
    const changes: Change<TopologyData>[] = [];
    const wanted = s.desired.clusters.flatMap((c, ci) => c.nodes.map((n) => ({ ci, n })));
    if (args.state === 'absent') {
      for (const { n } of wanted) {
        const hit = findNode(s.live, n.node.hostnames.manage[0]);
        if (hit) changes.push({ msg: `delete node ${n.node.hostnames.manage[0]} and its ${hit.node.devices.length} device(s)`, data: { deleteNode: hit.node.id, cluster: hit.cluster.id } });
      }
      return changes;
    }
    if (s.unreachable) changes.push({ msg: `load the whole topology: ${s.unreachable}, so what it has cannot be read (its deployment may not exist yet) and all of it is planned as new`, data: { unreadable: true } });
    for (const [ci, cluster] of s.desired.clusters.entries()) {
      const existing = cluster.nodes.map((n) => findNode(s.live, n.node.hostnames.manage[0])).find(Boolean)?.cluster;
      if (!existing) changes.push({ msg: `create cluster #${ci + 1} (${cluster.nodes.length} node(s))`, data: { createCluster: ci } });
      for (const n of cluster.nodes) {
        const manage = n.node.hostnames.manage[0];
        const hit = findNode(s.live, manage);
        if (!hit) {
          changes.push({ msg: `add node ${manage} (zone ${n.node.zone}, storage ${n.node.hostnames.storage.join(',')}) with devices ${n.devices.map(devName).join(', ')}`, data: { addNode: { ci, spec: n } } });
          continue;
        }
        const drift: string[] = [];
        if (hit.node.zone !== n.node.zone) drift.push(`zone is ${hit.node.zone}, wanted ${n.node.zone}`);
        if (hit.node.storage.join(',') !== n.node.hostnames.storage.join(',')) drift.push(`storage address is ${hit.node.storage.join(',')}, wanted ${n.node.hostnames.storage.join(',')}`);
        if (drift.length) {
          changes.push({ msg: `node ${manage}: ${drift.join('; ')} — heketi cannot change a node in place: remove the node (prune with the node left out, or heketi-cli node disable, node remove, device delete of each device, node delete), then run again`, data: { drift: manage } });
        }
        const have = new Set(hit.node.devices.map((d) => d.name));
        for (const d of n.devices) if (!have.has(devName(d))) changes.push({ msg: `add device ${devName(d)} to ${manage}`, data: { addDevice: { node: hit.node.id, spec: d } } });
        if (args.prune) {
          const want = new Set(n.devices.map(devName));
          for (const d of hit.node.devices) if (!want.has(d.name)) changes.push({ msg: `delete device ${d.name} from ${manage} (prune)`, data: { deleteDevice: d.id } });
        }
      }
    }
    if (args.prune) {
      const listed = new Set(wanted.map(({ n }) => n.node.hostnames.manage[0]));
      for (const c of s.live) for (const n of c.nodes) if (!n.manage.some((m) => listed.has(m))) changes.push({ msg: `delete node ${n.manage[0]} and its ${n.devices.length} device(s) (prune)`, data: { deleteNode: n.id, cluster: c.id } });
    }
    return [...changes, ...planTopologyFile(s, args)];
  },
  async apply(_host, args, changes, s, ctx) {
    // Never add to a heketi whose topology was not read (it may have the cluster already): the run fails as it did.
    if (s.unreachable) throw new ModuleError(s.unreachable, { untouched: true });
    const api = heketiClient(args.url, args.user, args.key);
    const drift = changes.find((c) => c.data.drift);
    if (drift) throw new ModuleError(drift.msg);
    const clusterIds = new Map<number, string>();
    for (const [ci, cluster] of s.desired.clusters.entries()) {
      const existing = cluster.nodes.map((n) => findNode(s.live, n.node.hostnames.manage[0])).find(Boolean)?.cluster;
      if (existing) clusterIds.set(ci, existing.id);
    }
    for (const c of changes) {
      const d = c.data;
      if (d.writeTopology !== undefined) {
        await fs.writeFile(await ctx.controllerPath('write_topology', args.write_topology!), d.writeTopology);
      } else if (d.createCluster !== undefined) {
        const created = await api.call<{ id: string }>('POST', '/clusters', { file: true, block: true });
        clusterIds.set(d.createCluster, created!.id);
      } else if (d.addNode) {
        const spec = d.addNode.spec;
        const node = await api.call<{ id: string }>('POST', '/nodes', { cluster: clusterIds.get(d.addNode.ci), zone: spec.node.zone, hostnames: spec.node.hostnames });
        for (const dev of spec.devices) await api.call('POST', '/devices', { node: node!.id, ...(typeof dev === 'string' ? { name: dev } : dev) });
      } else if (d.addDevice) {
        await api.call('POST', '/devices', { node: d.addDevice.node, ...(typeof d.addDevice.spec === 'string' ? { name: d.addDevice.spec } : d.addDevice.spec) });
      } else if (d.deleteDevice) {
        await removeDevice(api, d.deleteDevice);
      } else if (d.deleteNode) {
        await removeNode(api, d.deleteNode);
        const cluster = await api.get<{ nodes: string[] }>(`/clusters/${d.cluster}`);
        if (cluster.nodes.length === 0) await api.call('DELETE', `/clusters/${d.cluster}`);
      }
    }
    return { secrets: [args.key] };
  },
  /**
   * Remove what exists now and did not before, by heketi's protocol (disable, remove, delete): devices added to nodes
   * that existed, then added nodes with their devices, then added clusters; put the topology file back.
   */
  async revert(_host, { args, before }, ctx) {
    if (before.unreachable) return; // apply refused before any call
    const api = heketiClient(args.url, args.user, args.key);
    const now = await readLive(api);
    const beforeDevices = new Set(before.live.flatMap((c) => c.nodes.flatMap((n) => n.devices.map((d) => d.id))));
    const beforeNodes = new Set(before.live.flatMap((c) => c.nodes.map((n) => n.id)));
    const beforeClusters = new Set(before.live.map((c) => c.id));
    for (const c of now) for (const n of c.nodes) if (beforeNodes.has(n.id)) for (const d of n.devices) if (!beforeDevices.has(d.id)) await removeDevice(api, d.id);
    for (const c of now) for (const n of c.nodes) if (!beforeNodes.has(n.id)) await removeNode(api, n.id);
    for (const c of now) if (!beforeClusters.has(c.id)) await api.call('DELETE', `/clusters/${c.id}`);
    // Journals from before the file was a planned change have no topologyFile: leave the file alone then.
    if (args.write_topology && before.topologyFile !== undefined) {
      const file = await ctx.controllerPath('write_topology', args.write_topology);
      if (before.topologyFile === null) await fs.rm(file, { force: true });
      else await fs.writeFile(file, before.topologyFile);
    }
  },
});

/** The topology file for heketi-cli users, written on the controller: a planned change, so check mode shows it. */
function planTopologyFile(s: TopologyState, args: TopologyArgs): Change<TopologyData>[] {
  if (!args.write_topology) return [];
  const text = `${JSON.stringify(s.desired, null, 2)}\n`;
  if (s.topologyFile === text) return [];
  return [{ msg: `write the topology to ${args.write_topology}`, diff: { path: args.write_topology, before: s.topologyFile ?? '', after: text }, data: { writeTopology: text } }];
}
