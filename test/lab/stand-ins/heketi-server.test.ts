// The heketi stand-in answers as heketi 10 does (status codes and texts from heketi's sources): 409 for a hostname in
// use, 400 for a missing zone, 401 "Invalid JWT token: ...", the device and node state machine with brick migration,
// deletes refused until a device is failed or a node is empty, and the port closed during the start-up delay.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHeketiStandIn, verifyJwt, type HeketiStandIn } from '../../../lab/stand-ins/heketi-server.js';
import { heketiJwt } from '../../../modules/lib/heketi-api.js';

const KEY = 'admin-Secret-7';

describe('heketi stand-in: heketi 10\'s answers', function () {
  this.timeout(30_000);
  let dir: string;
  let heketi: HeketiStandIn;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-heketi-standin-'));
    heketi = await startHeketiStandIn({ stateFile: path.join(dir, 'heketi.json'), adminKey: KEY, userKey: 'user-key', queueDelayMs: 5 });
  });
  afterEach(async () => {
    await heketi.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** One request with an admin token; follows the queue to its end. */
  async function call(method: string, p: string, body?: unknown, user = 'admin', key = KEY): Promise<{ status: number; text: string; location?: string }> {
    let res = await fetch(`${heketi.url}${p}`, { method, headers: { Authorization: `bearer ${heketiJwt(user, key, method, p)}` }, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    if (res.status === 202) {
      const queue = res.headers.get('location')!;
      for (let i = 0; i < 200; i++) {
        res = await fetch(`${heketi.url}${queue}`, { headers: { Authorization: `bearer ${heketiJwt('admin', KEY, 'GET', queue)}` }, redirect: 'manual' });
        if (res.headers.get('x-pending') !== 'true') break;
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    return { status: res.status, text: (await res.text()).trim(), location: res.headers.get('location') ?? undefined };
  }
  async function cluster(): Promise<string> {
    return JSON.parse((await call('POST', '/clusters', {})).text).id;
  }
  async function node(c: string, manage: string, storage: string): Promise<string> {
    const r = await call('POST', '/nodes', { cluster: c, zone: 1, hostnames: { manage: [manage], storage: [storage] } });
    expect(r.status, r.text).to.equal(303);
    return r.location!.split('/').pop()!;
  }
  async function device(n: string, name: string): Promise<string> {
    expect((await call('POST', '/devices', { node: n, name })).status).to.equal(204);
    return heketi.state().nodes[n].devices.find((d) => heketi.state().devices[d].name === name)!;
  }

  it('refuses a manage or storage hostname another node has with 409 and heketi\'s text', async () => {
    const c = await cluster();
    const first = await node(c, 'gluster1', '10.0.0.11');
    const manage = await call('POST', '/nodes', { cluster: c, zone: 2, hostnames: { manage: ['gluster1'], storage: ['10.0.0.99'] } });
    expect([manage.status, manage.text]).to.deep.equal([409, `Hostname gluster1 already used by node with id ${first}`]);
    const storage = await call('POST', '/nodes', { cluster: c, zone: 2, hostnames: { manage: ['gluster9'], storage: ['10.0.0.11'] } });
    expect([storage.status, storage.text]).to.deep.equal([409, `Hostname 10.0.0.11 already used by node with id ${first}`]);
    expect(Object.keys(heketi.state().nodes)).to.deep.equal([first]);
  });

  it('refuses a node without a valid zone (400), JSON of the wrong type (422), an unknown cluster (404)', async () => {
    const c = await cluster();
    const hostnames = { manage: ['gluster1'], storage: ['10.0.0.11'] };
    const missing = await call('POST', '/nodes', { cluster: c, hostnames });
    expect([missing.status, missing.text]).to.deep.equal([400, 'validation failed: zone: cannot be blank.']);
    expect((await call('POST', '/nodes', { cluster: c, zone: 0, hostnames })).text).to.equal('validation failed: zone: cannot be blank.');
    expect((await call('POST', '/nodes', { cluster: c, zone: -1, hostnames })).text).to.equal('validation failed: zone: must be no less than 1.');
    expect((await call('POST', '/nodes', { cluster: c, zone: '1', hostnames })).status).to.equal(422);
    const blank = await call('POST', '/nodes', { cluster: c, zone: 1, hostnames: { manage: [], storage: [] } });
    expect(blank.text).to.equal('validation failed: hostnames: (manage: cannot be blank; storage: cannot be blank.).');
    const unknown = await call('POST', '/nodes', { cluster: 'ab'.repeat(16), zone: 1, hostnames });
    expect([unknown.status, unknown.text]).to.deep.equal([404, 'Cluster id does not exist']);
    expect(heketi.state().nodes).to.deep.equal({});
  });

  it('answers a bad token with 401 and heketi\'s "Invalid JWT token: ..." texts', async () => {
    const wrong = await call('GET', '/clusters', undefined, 'admin', 'not-the-key');
    expect([wrong.status, wrong.text]).to.deep.equal([401, 'Invalid JWT token: signature is invalid (client and server secrets may not match)']);
    const none = await fetch(`${heketi.url}/clusters`);
    expect([none.status, (await none.text()).trim()]).to.deep.equal([401, 'Required authorization token not found']);
    const now = 2_000_000_000;
    const expired = heketiJwt('admin', KEY, 'GET', '/clusters', now - 3600 - 600 - 62);
    expect(verifyJwt(`bearer ${expired}`, 'GET', '/clusters', { admin: KEY }, now)).to.deep.equal({ status: 401, message: 'Invalid JWT token: Token is expired by 1h1m2s' });
    const ahead = heketiJwt('admin', KEY, 'GET', '/clusters', now + 600);
    expect(verifyJwt(`bearer ${ahead}`, 'GET', '/clusters', { admin: KEY }, now)!.message).to.equal('Invalid JWT token: Token used before issued (client and server clocks may differ)');
    const good = heketiJwt('admin', KEY, 'GET', '/clusters', now);
    expect(verifyJwt(`bearer ${good}`, 'POST', '/clusters', { admin: KEY }, now)).to.deep.equal({ status: 401, message: 'Invalid qsh claim in token' });
    expect(verifyJwt(`bearer ${good}`, 'GET', '/clusters', { admin: KEY }, now)).to.equal(undefined);
    expect(verifyJwt('Basic abc', 'GET', '/clusters', { admin: KEY }, now)!.status).to.equal(400);
    expect((await call('GET', '/clusters', undefined, 'user', 'user-key')).text).to.equal('Administrator access required');
  });

  it('deletes a device only once failed: online → offline → failed → delete; online → failed and failed → online refused', async () => {
    const n = await node(await cluster(), 'gluster1', '10.0.0.11');
    const d = await device(n, '/dev/vdb');
    const online = await call('DELETE', `/devices/${d}`);
    expect([online.status, online.text]).to.deep.equal([400, `device: ${d} is not in failed state`]);
    const skip = await call('POST', `/devices/${d}/state`, { state: 'failed' });
    expect([skip.status, skip.text]).to.deep.equal([500, `Device must be offline before remove operation is performed, device:${d}`]);
    expect((await call('POST', `/devices/${d}/state`, { state: 'broken' })).text).to.equal('validation failed: state: broken is not valid state.');
    expect((await call('POST', `/devices/${d}/state`, { state: 'offline' })).status).to.equal(204);
    expect((await call('DELETE', `/devices/${d}`)).text).to.equal(`device: ${d} is not in failed state`);
    expect((await call('POST', `/devices/${d}/state`, { state: 'failed' })).status).to.equal(204);
    expect((await call('POST', `/devices/${d}/state`, { state: 'online' })).text).to.equal('Cannot move a failed/removed device to online state');
    const withDevice = await call('DELETE', `/nodes/${n}`);
    expect([withDevice.status, withDevice.text]).to.deep.equal([409, `Unable to delete node [${n}] because it contains devices`]);
    expect((await call('DELETE', `/devices/${d}`)).status).to.equal(204);
    expect((await call('DELETE', `/nodes/${n}`)).status).to.equal(204);
  });

  it('removing a device migrates its bricks to another node\'s device, or fails when none can take them', async () => {
    const c = await cluster();
    const [n1, n2] = [await node(c, 'gluster1', '10.0.0.11'), await node(c, 'gluster2', '10.0.0.12')];
    const [d1, d2] = [await device(n1, '/dev/vdb'), await device(n2, '/dev/vdb')];
    await heketi.close();
    const st = JSON.parse(await fs.readFile(heketi.stateFile, 'utf8'));
    st.devices[d1].bricks = [{ id: 'b1', volume: 'v1', size: 1024, path: `/var/lib/heketi/mounts/vg_${d1}/brick_b1/brick` }];
    await fs.writeFile(heketi.stateFile, JSON.stringify(st));
    heketi = await startHeketiStandIn({ stateFile: path.join(dir, 'heketi.json'), adminKey: KEY, queueDelayMs: 5 });
    expect((await call('POST', `/devices/${d2}/state`, { state: 'offline' })).status).to.equal(204);
    await call('POST', `/devices/${d1}/state`, { state: 'offline' });
    const stuck = await call('POST', `/devices/${d1}/state`, { state: 'failed' });
    expect([stuck.status, stuck.text]).to.deep.equal([500, `Unable to delete device [${d1}] as no device was found to replace it: No Replacement was found for resource requested to be removed`]);
    expect((await call('POST', `/devices/${d2}/state`, { state: 'online' })).status).to.equal(204);
    expect((await call('POST', `/devices/${d1}/state`, { state: 'failed' })).status).to.equal(204);
    const after = heketi.state();
    expect([after.devices[d1].bricks.length, after.devices[d2].bricks.map((b) => b.volume), after.devices[d2].storage.used]).to.deep.equal([0, ['v1'], 1024]);
  });

  it('a node goes offline, then failed (its devices fail with it); failed cannot come back', async () => {
    const n = await node(await cluster(), 'gluster1', '10.0.0.11');
    const d = await device(n, '/dev/vdb');
    expect((await call('POST', `/nodes/${n}/state`, { state: 'failed' })).text).to.equal(`Node must be offline before remove operation is performed, node:${n}`);
    expect((await call('POST', `/nodes/${n}/state`, { state: 'offline' })).status).to.equal(204);
    expect((await call('POST', `/nodes/${n}/state`, { state: 'failed' })).status).to.equal(204);
    expect([heketi.state().nodes[n].state, heketi.state().devices[d].state]).to.deep.equal(['failed', 'failed']);
    expect((await call('POST', `/nodes/${n}/state`, { state: 'online' })).text).to.equal('Cannot move a failed/removed node to online state');
    expect(JSON.parse((await call('GET', `/nodes/${n}`)).text).devices[0].state).to.equal('failed');
  });

  it('opens its port only after the start-up delay', async () => {
    const port = new URL(heketi.url).port;
    await heketi.close();
    const starting = startHeketiStandIn({ stateFile: path.join(dir, 'heketi.json'), adminKey: KEY, port: Number(port), startupDelayMs: 400 });
    const early = await fetch(`http://127.0.0.1:${port}/hello`).then(() => 'answered', (e: Error & { cause?: { code?: string } }) => e.cause?.code);
    heketi = await starting;
    expect([early, (await fetch(`http://127.0.0.1:${port}/hello`)).status]).to.deep.equal(['ECONNREFUSED', 200]);
  });
});
