// Lab stand-in (runbook lab up --with heketi; tests) for heketi 10, the GlusterFS volume manager's REST server, which
// is not packaged for this machine. It answers as heketi v10 does, learnt from heketi's sources (apps/glusterfs,
// middleware/jwt.go, pkg/glusterfs/api), with heketi's status codes and texts:
// - clusters (list/create/info/delete: 409 while it has nodes or volumes), nodes (add/info/delete/state), devices
//   (add/info/delete/state); 404 "Id not found", 422 "request unable to be parsed" for JSON heketi's types refuse;
// - node add: 400 "validation failed: zone: cannot be blank." (zone missing or 0; below 1, bad hostnames or cluster
//   id likewise, in ozzo-validation's words), 404 "Cluster id does not exist", 409 "Hostname H already used by node
//   with id ID" for a manage or a storage hostname another node has; device add: 400 for a bad name, 404 for a node;
// - states (POST /devices|nodes/ID/state {state}): online ⇄ offline, offline → failed ("remove": the device's bricks
//   migrate to another online node's device, else heketi's "no device was found to replace it"); online → failed and
//   failed → online are refused; a node's remove fails every device of it; device delete: 400 "device: ID is not in
//   failed state", 409 while it holds bricks; node delete: 409 while it has devices (heketi checks nothing else);
// - JWT (lab/stand-ins/heketi-jwt.ts): 401 "Invalid JWT token: ..." with heketi's hints, "Invalid qsh claim in
//   token", the user only on /volumes;
// - the asynchronous protocol: 202 Accepted + Location: /queue/ID, GET /queue/ID → 200 + X-Pending: true while
//   working, then 303 See Other + Location (node add), 204 No Content (the others), or 500 with the error text.
// Volumes: create (bricks on `replica` nodes' devices), list, info, delete, and GET /backup/db, in heketi-volumes.ts
// (what heketi-cli setup-openshift-heketi-storage uses). Not modelled: glusterd checks, peer probe.
// startupDelayMs: the port opens only after it (a pod that is not ready yet refuses connections).
// State is one JSON file, written after every change (onChange sees it too: the pod's backup to a Secret). Fault
// injection: a device name starting with "/dev/fail" makes the device add fail with heketi's "Unable to execute
// command on ..." (500 from the queue).

import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyJwt } from './heketi-jwt.js';
import { checkDeviceAdd, checkNodeAdd, checkStateRequest, type Refusal } from './heketi-validate.js';
import {
  deleteDevice, deleteNode, deviceDeleteRefusal, deviceInfo, hostnameConflict, newDevice, newId, nodeInfo, normalizeState, setDeviceState, setNodeState,
  type Cluster, type EntryState, type Node, type State,
} from './heketi-topology-state.js';
import { volumeRoutes } from './heketi-volumes.js';

export { verifyJwt } from './heketi-jwt.js';
export type { State as HeketiState } from './heketi-topology-state.js';

export interface HeketiStandIn { url: string; stateFile: string; state(): State; close(): Promise<void> }

export interface HeketiStandInOptions {
  stateFile: string; adminKey: string; userKey?: string; queueDelayMs?: number; port?: number; listen?: string; useAuth?: boolean;
  startupDelayMs?: number; onChange?: (stateJson: string) => void;
}

/** What an accepted request ends as: 303 + Location, 204, or an error (500). */
type Outcome = { status: 303; location: string } | { status: 204 } | { status: 500; error: string };
type Reply = (status: number, body?: unknown, headers?: Record<string, string>) => void;
interface Request { method: string; kind: string; id: string; action: string; input: unknown }

export async function startHeketiStandIn(o: HeketiStandInOptions): Promise<HeketiStandIn> {
  let state: State;
  try { state = normalizeState(JSON.parse(readFileSync(o.stateFile, 'utf8'))); } catch { state = normalizeState(undefined); }
  const save = () => {
    const text = JSON.stringify(state, null, 2);
    writeFileSync(o.stateFile, text);
    o.onChange?.(text);
  };
  const queue = new Map<string, Outcome | undefined>();
  const reserved = new Map<string, string>();
  // Without a user key no user token verifies (an empty HMAC key would accept anyone's).
  const keys = { admin: o.adminKey, user: o.userKey || newId() };

  /** Work is accepted now and finished a little later, like heketi's executor; 202 + the queue's Location. */
  const later = (reply: Reply, work: () => Outcome) => {
    const qid = newId();
    queue.set(qid, undefined);
    setTimeout(() => {
      let outcome: Outcome;
      try { outcome = work(); } catch (e) { outcome = { status: 500, error: (e as Error).message }; }
      if (outcome.status !== 500) save();
      queue.set(qid, outcome);
    }, o.queueDelayMs ?? 50);
    reply(202, undefined, { Location: `/queue/${qid}` });
  };
  const fromState = (error: string | undefined): Outcome => (error ? { status: 500, error } : { status: 204 });
  const volumes = volumeRoutes(() => state, newId);
  const volumeRoute = (r: Request, reply: Reply) => {
    const v = volumes.handle(r.method, r.kind, r.id || undefined, (r.input ?? {}) as Record<string, unknown>);
    if (!v) return reply(404, '404 page not found');
    if (v.later) return later(reply, v.later as () => Outcome);
    if (v.raw !== undefined) return reply(v.status, v.raw, { 'Content-Type': 'application/octet-stream' });
    return reply(v.status, v.json ?? v.text);
  };

  const routes: Record<string, (r: Request, reply: Reply) => void> = {
    volumes: volumeRoute,
    backup: volumeRoute,
    queue: (r, reply) => {
      if (!queue.has(r.id)) return reply(404, 'Id not found');
      const outcome = queue.get(r.id);
      if (!outcome) return reply(200, undefined, { 'X-Pending': 'true' });
      queue.delete(r.id);
      if (outcome.status === 303) return reply(303, undefined, { Location: outcome.location });
      return outcome.status === 204 ? reply(204) : reply(500, outcome.error);
    },
    clusters: (r, reply) => {
      if (r.method === 'GET' && !r.id) return reply(200, { clusters: Object.keys(state.clusters) });
      if (r.method === 'POST' && !r.id) {
        const input = (r.input ?? {}) as { file?: boolean; block?: boolean };
        const c: Cluster = { id: newId(), nodes: [], volumes: [], file: input.file ?? true, block: input.block ?? true };
        state.clusters[c.id] = c;
        save();
        return reply(201, { ...c, blockvolumes: [] });
      }
      const c = state.clusters[r.id];
      if (!c) return reply(404, 'Id not found');
      if (r.method === 'GET') return reply(200, { ...c, blockvolumes: [] });
      if (r.method !== 'DELETE') return reply(405, 'Method Not Allowed');
      if (c.nodes.length > 0 || c.volumes.length > 0) return reply(409, `Unable to delete cluster [${c.id}] because it contains volumes and/or nodes`);
      delete state.clusters[r.id];
      save();
      return reply(200);
    },
    nodes: (r, reply) => {
      if (r.method === 'POST' && !r.id) return addNode(r.input, reply);
      const n = state.nodes[r.id];
      if (!n) return reply(404, 'Id not found');
      if (r.method === 'GET' && !r.action) return reply(200, nodeInfo(state, n));
      if (r.method === 'POST' && r.action === 'state') return changeState(r.input, reply, () => setNodeState(state, n, (r.input as { state: EntryState }).state));
      if (r.method !== 'DELETE' || r.action) return reply(404, '404 page not found');
      if (n.devices.length > 0) return reply(409, `Unable to delete node [${n.id}] because it contains devices`);
      return later(reply, () => {
        deleteNode(state, n);
        return { status: 204 };
      });
    },
    devices: (r, reply) => {
      if (r.method === 'POST' && !r.id) return addDevice(r.input, reply);
      const d = state.devices[r.id];
      if (!d) return reply(404, 'Id not found');
      if (r.method === 'GET' && !r.action) return reply(200, deviceInfo(d));
      if (r.method === 'POST' && r.action === 'state') return changeState(r.input, reply, () => setDeviceState(state, d, (r.input as { state: EntryState }).state));
      if (r.method !== 'DELETE' || r.action) return reply(404, '404 page not found');
      const refusal = deviceDeleteRefusal(d);
      if (refusal) return reply(refusal.status, refusal.message);
      return later(reply, () => {
        deleteDevice(state, d);
        return { status: 204 };
      });
    },
  };

  const refuse = (reply: Reply, refusal: Refusal) => reply(refusal.status, refusal.message);
  function changeState(input: unknown, reply: Reply, change: () => string | undefined) {
    const refusal = checkStateRequest(input);
    if (refusal) return refuse(reply, refusal);
    return later(reply, () => fromState(change()));
  }
  function addNode(input: unknown, reply: Reply) {
    const refusal = checkNodeAdd(input);
    if (refusal) return refuse(reply, refusal);
    const msg = input as { cluster: string; zone: number; hostnames: { manage: string[]; storage: string[] }; tags?: Record<string, string> };
    const c = state.clusters[msg.cluster];
    if (!c) return reply(404, 'Cluster id does not exist');
    const conflict = hostnameConflict(state, msg.hostnames, reserved);
    if (conflict) return reply(409, conflict);
    const n: Node = { id: newId(), cluster: c.id, zone: msg.zone, hostnames: { manage: msg.hostnames.manage, storage: msg.hostnames.storage }, devices: [], state: 'online', ...(msg.tags ? { tags: msg.tags } : {}) };
    const names = [...n.hostnames.manage.map((h) => `manage:${h}`), ...n.hostnames.storage.map((h) => `storage:${h}`)];
    for (const k of names) reserved.set(k, n.id);
    return later(reply, () => {
      for (const k of names) reserved.delete(k);
      if (!state.clusters[c.id]) return { status: 500, error: 'Cluster id does not exist' };
      state.nodes[n.id] = n;
      state.clusters[c.id].nodes.push(n.id);
      return { status: 303, location: `/nodes/${n.id}` };
    });
  }
  function addDevice(input: unknown, reply: Reply) {
    const refusal = checkDeviceAdd(input);
    if (refusal) return refuse(reply, refusal);
    const msg = input as { node: string; name: string; tags?: Record<string, string> };
    const n = state.nodes[msg.node];
    if (!n) return reply(404, 'Node id does not exist');
    return later(reply, () => {
      if (n.devices.some((d) => state.devices[d]?.name === msg.name)) return { status: 500, error: `Device ${msg.name} already used` };
      if (msg.name.startsWith('/dev/fail')) return { status: 500, error: `Unable to execute command on ${n.hostnames.manage[0]}:   Device ${msg.name} not found.` };
      const d = newDevice(n, msg.name, msg.tags);
      state.devices[d.id] = d;
      n.devices.push(d.id);
      return { status: 204 };
    });
  }

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const reply: Reply = (status, payload, headers = {}) => {
        if (payload === undefined) return void res.writeHead(status, headers).end();
        // Go's http.Error: text/plain and a final newline; JSON answers are encoded with one too.
        const text = typeof payload === 'string' ? `${payload}\n` : `${JSON.stringify(payload)}\n`;
        const type = typeof payload === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=UTF-8';
        res.writeHead(status, { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', ...headers }).end(text);
      };
      const method = req.method ?? 'GET';
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/hello' && method === 'GET') return reply(200, 'Hello from Heketi');
      const refusal = o.useAuth === false ? undefined : verifyJwt(req.headers.authorization, method, path, keys);
      if (refusal) return reply(refusal.status, refusal.message);
      const [, kind = '', id = '', action = '', extra] = path.split('/');
      const route = routes[kind];
      if (!route || extra !== undefined || (id && !/^[A-Fa-f0-9]+$/.test(id))) return reply(404, '404 page not found');
      let input: unknown;
      if (body) {
        try { input = JSON.parse(body); } catch { return reply(422, 'request unable to be parsed'); }
      }
      route({ method, kind, id, action, input }, reply);
    });
  });
  if (o.startupDelayMs) await new Promise((r) => setTimeout(r, o.startupDelayMs));
  await new Promise<void>((r) => server.listen(o.port ?? 0, o.listen ?? '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${o.listen && o.listen !== '0.0.0.0' ? o.listen : '127.0.0.1'}:${port}`,
    stateFile: o.stateFile,
    state: () => JSON.parse(JSON.stringify(state)),
    // Keep-alive connections would hold close() (and a pod's stop) until they time out.
    close: () => new Promise((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}
