// Lab stand-in (runbook lab up --with heketi; tests) for heketi 10, the GlusterFS volume manager's REST server, which
// is not packaged for this machine.
// Implements the documented API subset runbook uses: clusters (list/create/info/delete), nodes (add/info/delete),
// devices (add/info/delete); JWT HS256 auth with iss (admin|user), iat, exp and qsh (sha256 of "METHOD&PATH")
// verified — 401 "Token missing iss claim" / "Invalid qsh" / "Token is expired" as heketi's middleware says; the
// asynchronous protocol: 202 Accepted + Location: /queue/ID, GET /queue/ID → 200 + X-Pending: true while working,
// then 303 See Other + Location (node add) or 204 No Content (device add, deletes), or 500 with the error.
// Rules kept from heketi: a manage hostname may belong to one node only (409 conflict as 500 "Hostname already
// in use"), a device name once per node, a node with devices or a cluster with nodes cannot be deleted.
// State is one JSON file, written after every change. Fault injection for tests: a device name starting with
// "/dev/fail" makes the device add fail with heketi's "Unable to execute command on ..." (500 from the queue).

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface Device { id: string; name: string; node: string; tags?: Record<string, string>; storage: { total: number; free: number; used: number } }
interface Node { id: string; cluster: string; zone: number; hostnames: { manage: string[]; storage: string[] }; devices: string[]; state: string }
interface Cluster { id: string; nodes: string[]; volumes: string[]; file: boolean; block: boolean }
interface State { clusters: Record<string, Cluster>; nodes: Record<string, Node>; devices: Record<string, Device> }

export interface HeketiStandIn { url: string; stateFile: string; state(): State; close(): Promise<void> }

const id = () => randomBytes(16).toString('hex');
const b64urlJson = (s: string) => JSON.parse(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));

export function verifyJwt(auth: string | undefined, method: string, path: string, keys: Record<string, string>): string | undefined {
  if (!auth || !/^bearer /i.test(auth)) return 'Token missing';
  const [h, c, s] = auth.slice(7).trim().split('.');
  if (!h || !c || !s) return 'Token is malformed';
  let claims: { iss?: string; iat?: number; exp?: number; qsh?: string };
  try { claims = b64urlJson(c); } catch { return 'Token is malformed'; }
  if (!claims.iss) return 'Token missing iss claim';
  const key = keys[claims.iss];
  if (!key) return `Unknown user ${claims.iss}`;
  const sig = createHmac('sha256', key).update(`${h}.${c}`).digest('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  if (sig !== s) return 'signature is invalid';
  const now = Math.floor(Date.now() / 1000);
  if (!claims.exp || claims.exp < now) return 'Token is expired';
  if (claims.iat && claims.iat > now + 60) return 'Token used before issued';
  if (claims.qsh !== createHash('sha256').update(`${method}&${path}`).digest('hex')) return 'Invalid qsh claim in token';
  if (claims.iss === 'user' && method !== 'GET') return 'Administrator access required';
  return undefined;
}

export async function startHeketiStandIn(o: { stateFile: string; adminKey: string; userKey?: string; queueDelayMs?: number; port?: number; listen?: string; useAuth?: boolean }): Promise<HeketiStandIn> {
  let state: State;
  try { state = JSON.parse(readFileSync(o.stateFile, 'utf8')); } catch { state = { clusters: {}, nodes: {}, devices: {} }; }
  const save = () => writeFileSync(o.stateFile, JSON.stringify(state, null, 2));
  const queue = new Map<string, { done: boolean; status: number; location?: string; error?: string }>();
  const keys = { admin: o.adminKey, ...(o.userKey ? { user: o.userKey } : {}) };

  /** Work is accepted now and finished a little later, like heketi's executor. */
  const later = (res: http.ServerResponse, work: () => { status: number; location?: string; error?: string }) => {
    const qid = id();
    queue.set(qid, { done: false, status: 0 });
    setTimeout(() => {
      let r: { status: number; location?: string; error?: string };
      try { r = work(); } catch (e) { r = { status: 500, error: (e as Error).message }; }
      if (r.status < 300) save();
      queue.set(qid, { done: true, ...r });
    }, o.queueDelayMs ?? 50);
    res.writeHead(202, { Location: `/queue/${qid}` }).end();
  };
  const json = (res: http.ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  const text = (res: http.ServerResponse, status: number, body: string) => res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`${body}\n`);
  const nodeInfo = (n: Node) => ({ ...n, devices: n.devices.map((d) => state.devices[d]) });

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/hello') return text(res, 200, 'Hello from Heketi');
      const authError = o.useAuth === false ? undefined : verifyJwt(req.headers.authorization, method, path, keys);
      if (authError) return text(res, 401, authError);
      let input: Record<string, any> = {};
      try { input = body ? JSON.parse(body) : {}; } catch { return text(res, 400, 'request unable to be parsed'); }
      const [, kind, key] = path.split('/');
      if (kind === 'queue' && key) {
        const q = queue.get(key);
        if (!q) return text(res, 404, 'Id not found');
        if (!q.done) return res.writeHead(200, { 'X-Pending': 'true' }).end();
        queue.delete(key);
        if (q.status === 303) return res.writeHead(303, { Location: q.location! }).end();
        if (q.status === 204) return res.writeHead(204).end();
        return text(res, q.status, q.error ?? 'error');
      }
      if (kind === 'clusters') {
        if (method === 'GET' && !key) return json(res, 200, { clusters: Object.keys(state.clusters) });
        if (method === 'POST' && !key) {
          const c: Cluster = { id: id(), nodes: [], volumes: [], file: input.file ?? true, block: input.block ?? true };
          state.clusters[c.id] = c;
          save();
          return json(res, 201, c);
        }
        const c = state.clusters[key];
        if (!c) return text(res, 404, `Id not found`);
        if (method === 'GET') return json(res, 200, c);
        if (method === 'DELETE') {
          if (c.nodes.length > 0) return text(res, 409, `Unable to delete cluster [${c.id}] because it contains volumes and/or nodes`);
          delete state.clusters[key];
          save();
          return res.writeHead(200).end();
        }
      }
      if (kind === 'nodes') {
        if (method === 'POST' && !key) {
          const c = state.clusters[input.cluster];
          if (!c) return text(res, 404, 'Cluster id does not exist');
          if (!input.hostnames?.manage?.length || !input.hostnames?.storage?.length) return text(res, 400, 'missing hostnames');
          return later(res, () => {
            const taken = Object.values(state.nodes).some((n) => n.hostnames.manage.some((h) => input.hostnames.manage.includes(h)));
            if (taken) return { status: 500, error: `Hostname ${input.hostnames.manage[0]} already in use` };
            const n: Node = { id: id(), cluster: c.id, zone: Number(input.zone ?? 1), hostnames: { manage: input.hostnames.manage, storage: input.hostnames.storage }, devices: [], state: 'online' };
            state.nodes[n.id] = n;
            c.nodes.push(n.id);
            return { status: 303, location: `/nodes/${n.id}` };
          });
        }
        const n = state.nodes[key];
        if (!n) return text(res, 404, 'Id not found');
        if (method === 'GET') return json(res, 200, nodeInfo(n));
        if (method === 'DELETE') {
          return later(res, () => {
            if (n.devices.length > 0) return { status: 500, error: `Unable to delete node [${n.id}] because it contains devices` };
            delete state.nodes[n.id];
            const c = state.clusters[n.cluster];
            if (c) c.nodes = c.nodes.filter((x) => x !== n.id);
            return { status: 204 };
          });
        }
      }
      if (kind === 'devices') {
        if (method === 'POST' && !key) {
          const n = state.nodes[input.node];
          if (!n) return text(res, 404, 'Node id does not exist');
          return later(res, () => {
            if (n.devices.some((d) => state.devices[d]?.name === input.name)) return { status: 500, error: `Device ${input.name} already used` };
            if (String(input.name).startsWith('/dev/fail')) return { status: 500, error: `Unable to execute command on ${n.hostnames.manage[0]}:   Device ${input.name} not found.` };
            const d: Device = { id: id(), name: input.name, node: n.id, tags: input.tags, storage: { total: 104857600, free: 104857600, used: 0 } };
            state.devices[d.id] = d;
            n.devices.push(d.id);
            return { status: 204 };
          });
        }
        const d = state.devices[key];
        if (!d) return text(res, 404, 'Id not found');
        if (method === 'GET') return json(res, 200, d);
        if (method === 'DELETE') {
          return later(res, () => {
            delete state.devices[d.id];
            const n = state.nodes[d.node];
            if (n) n.devices = n.devices.filter((x) => x !== d.id);
            return { status: 204 };
          });
        }
      }
      return text(res, 404, 'page not found');
    });
  });
  await new Promise<void>((r) => server.listen(o.port ?? 0, o.listen ?? '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${o.listen && o.listen !== '0.0.0.0' ? o.listen : '127.0.0.1'}:${port}`,
    stateFile: o.stateFile,
    state: () => JSON.parse(JSON.stringify(state)),
    close: () => new Promise((r) => server.close(() => r())),
  };
}
