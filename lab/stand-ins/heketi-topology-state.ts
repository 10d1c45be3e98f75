// The heketi stand-in's database and heketi 10's rules for changing it: hostnames registered once per node, device and
// node states (online → offline → failed, "remove" migrating bricks), what may be deleted, and heketi's error texts.

import { randomBytes } from 'node:crypto';

export type EntryState = 'online' | 'offline' | 'failed';
/** A brick of a volume on a device (sizes in KiB, as heketi counts). */
export interface Brick { id: string; volume: string; size: number; path: string }
export interface Device { id: string; name: string; node: string; state: EntryState; tags?: Record<string, string>; storage: { total: number; free: number; used: number }; bricks: Brick[] }
export interface Node { id: string; cluster: string; zone: number; hostnames: { manage: string[]; storage: string[] }; devices: string[]; state: EntryState; tags?: Record<string, string> }
export interface Cluster { id: string; nodes: string[]; volumes: string[]; file: boolean; block: boolean }
export interface State { clusters: Record<string, Cluster>; nodes: Record<string, Node>; devices: Record<string, Device> }

export const newId = () => randomBytes(16).toString('hex');
const NO_REPLACEMENT = 'No Replacement was found for resource requested to be removed';
/** Every device the stand-in adds: 100 GiB in KiB. */
const DEVICE_SIZE = 104857600;

/** A state file from an older stand-in (no states, no bricks) read as heketi would: everything online, empty. */
export function normalizeState(raw: Partial<State> | undefined): State {
  const state: State = { clusters: raw?.clusters ?? {}, nodes: raw?.nodes ?? {}, devices: raw?.devices ?? {} };
  for (const n of Object.values(state.nodes)) n.state ??= 'online';
  for (const d of Object.values(state.devices)) {
    d.state ??= 'online';
    d.bricks ??= [];
  }
  return state;
}

export function newDevice(node: Node, name: string, tags?: Record<string, string>): Device {
  return { id: newId(), name, node: node.id, state: 'online', ...(tags ? { tags } : {}), storage: { total: DEVICE_SIZE, free: DEVICE_SIZE, used: 0 }, bricks: [] };
}

/** The node that already uses one of these hostnames (manage and storage names are separate namespaces), as heketi's 409 says it. */
export function hostnameConflict(state: State, hostnames: { manage: string[]; storage: string[] }, reserved: Map<string, string>): string | undefined {
  for (const kind of ['manage', 'storage'] as const) {
    for (const h of hostnames[kind]) {
      const owner = Object.values(state.nodes).find((n) => n.hostnames[kind].includes(h))?.id ?? reserved.get(`${kind}:${h}`);
      if (owner) return `Hostname ${h} already used by node with id ${owner}\n`;
    }
  }
  return undefined;
}

/** Moves each brick to an online device of another online node of the cluster with room, or fails like heketi. */
function migrateBricks(state: State, device: Device): string | undefined {
  const node = state.nodes[device.node];
  for (const brick of [...device.bricks]) {
    const holders = new Set(Object.values(state.devices).filter((d) => d.bricks.some((b) => b.volume === brick.volume)).map((d) => d.node));
    const target = Object.values(state.devices).find((d) => d.id !== device.id && d.state === 'online' && state.nodes[d.node]?.state === 'online'
      && state.nodes[d.node]?.cluster === node?.cluster && !holders.has(d.node) && d.storage.free >= brick.size);
    if (!target) return NO_REPLACEMENT;
    device.bricks = device.bricks.filter((b) => b.id !== brick.id);
    device.storage.free += brick.size;
    device.storage.used -= brick.size;
    target.bricks.push({ ...brick, path: brick.path.replace(device.id, target.id) });
    target.storage.free -= brick.size;
    target.storage.used += brick.size;
  }
  return undefined;
}

/** POST /devices/ID/state: heketi's device state machine; returns the error the queue reports, if any. */
export function setDeviceState(state: State, device: Device, want: EntryState): string | undefined {
  if (device.state === 'failed' && want === 'online') return 'Cannot move a failed/removed device to online state';
  if (device.state === 'online' && want === 'failed') return `Device must be offline before remove operation is performed, device:${device.id}`;
  if (device.state === want) return undefined;
  if (want === 'failed') {
    const error = migrateBricks(state, device);
    if (error) return `Unable to delete device [${device.id}] as no device was found to replace it: ${error}`;
  }
  device.state = want;
  return undefined;
}

/** POST /nodes/ID/state: offline first; failed ("node remove") removes every device of the node, bricks migrating. */
export function setNodeState(state: State, node: Node, want: EntryState): string | undefined {
  if (node.state === 'failed') return want === 'failed' ? undefined : `Cannot move a failed/removed node to ${want} state`;
  if (node.state === 'online' && want === 'failed') return `Node must be offline before remove operation is performed, node:${node.id}`;
  if (node.state === want) return undefined;
  if (want === 'failed') {
    for (const id of node.devices) {
      const device = state.devices[id];
      if (migrateBricks(state, device)) return `Unable to remove node [${node.id}] as no device was found to replace device [${device.id}]`;
      device.state = 'failed';
    }
  }
  node.state = want;
  return undefined;
}

/** DELETE /devices/ID checks, done before the request is accepted: 400 unless failed, 409 while it holds bricks. */
export function deviceDeleteRefusal(device: Device): { status: number; message: string } | undefined {
  if (device.state !== 'failed') return { status: 400, message: `device: ${device.id} is not in failed state` };
  if (device.bricks.length > 0) return { status: 409, message: `Unable to delete device [${device.id}] because it contains bricks` };
  return undefined;
}

export function deleteDevice(state: State, device: Device): void {
  delete state.devices[device.id];
  const node = state.nodes[device.node];
  if (node) node.devices = node.devices.filter((x) => x !== device.id);
}

export function deleteNode(state: State, node: Node): void {
  delete state.nodes[node.id];
  const cluster = state.clusters[node.cluster];
  if (cluster) cluster.nodes = cluster.nodes.filter((x) => x !== node.id);
}

/** GET /devices/ID and a node's devices: heketi's DeviceInfoResponse. */
export function deviceInfo(device: Device) {
  return { name: device.name, ...(device.tags ? { tags: device.tags } : {}), storage: device.storage, id: device.id, state: device.state, bricks: device.bricks.map((b) => ({ ...b, device: device.id, node: device.node })) };
}

/** GET /nodes/ID: heketi's NodeInfoResponse. */
export function nodeInfo(state: State, node: Node) {
  return { zone: node.zone, hostnames: node.hostnames, cluster: node.cluster, ...(node.tags ? { tags: node.tags } : {}), id: node.id, state: node.state, devices: node.devices.map((d) => deviceInfo(state.devices[d])) };
}
