// heketi's removal protocol through its REST API: a device goes offline (disable), then failed (remove: heketi
// migrates its bricks), and only then is deleted; a node goes offline, then failed (all its devices removed), its
// devices are deleted, then the node. Each step reads the current state first, so an interrupted removal resumes.

import type { HeketiClient } from './heketi-api.js';

type EntryState = 'online' | 'offline' | 'failed';

/** Moves a device or node to failed the way heketi allows: online → offline → failed. */
async function disableAndRemove(api: HeketiClient, path: string, state: EntryState): Promise<void> {
  if (state === 'online') await api.call('POST', `${path}/state`, { state: 'offline' });
  if (state !== 'failed') await api.call('POST', `${path}/state`, { state: 'failed' });
}

/** Disable, remove (bricks migrate), delete one device. */
export async function removeDevice(api: HeketiClient, id: string): Promise<void> {
  const device = await api.get<{ state?: EntryState }>(`/devices/${id}`);
  await disableAndRemove(api, `/devices/${id}`, device.state ?? 'online');
  await api.call('DELETE', `/devices/${id}`);
}

/** Disable and remove the node (heketi removes its devices), delete each device, then the node. */
export async function removeNode(api: HeketiClient, id: string): Promise<void> {
  const node = await api.get<{ state?: EntryState; devices: Array<{ id: string }> }>(`/nodes/${id}`);
  await disableAndRemove(api, `/nodes/${id}`, node.state ?? 'online');
  for (const device of node.devices) await removeDevice(api, device.id);
  await api.call('DELETE', `/nodes/${id}`);
}
