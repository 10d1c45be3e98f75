// gluster_peer: the trusted storage pool contains (or not) the given peers. Decided from `gluster --xml pool list`
// and opRet/opErrno — never the exit code (a failed probe exits 0 with opRet -1). A peer known by another of its
// names is the same peer: no re-probe on every run.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { parsePeers, type GlusterPeer } from './lib/gluster-xml.js';
import { gluster, glusterRead } from './lib/gluster-cli.js';
import { hostOrAddress } from './lib/arg-kinds.js';

interface PeerArgs {
  peers: string[];
  state: 'present' | 'absent';
  force: boolean;
  wait_timeout: number;
}

/** One change: probe or detach one peer. */
interface PeerData { probe?: string; detach?: string }

interface PeerState {
  pool: GlusterPeer[];
  /** Names this node itself answers to (never probed). */
  selfNames: string[];
  /** Why the pool could not be read (glusterd not running: in check mode, the task that starts it did not run). */
  unreadable?: string;
}

async function readPool(host: Host): Promise<GlusterPeer[]> {
  const out = await glusterRead(host, ['pool', 'list']);
  if (out.opRet !== 0) throw new ModuleError(`gluster pool list failed (opErrno ${out.opErrno}): ${out.opErrstr || 'is glusterd running?'}`);
  return parsePeers(out);
}

const findPeer = (pool: GlusterPeer[], name: string) => pool.find((p) => !p.self && p.hostnames.includes(name));

export default defineModule<PeerArgs, PeerState, PeerData>({
  name: 'gluster_peer',
  doc: 'Make the GlusterFS trusted pool contain (or no longer contain) the given peers. Reads `gluster --xml pool list` and decides from opRet/opErrno; a peer already known under another name or address is not probed again. Probes run from this host (use run_once), then wait until every peer is "Peer in Cluster" and connected, naming any that is not. Rollback detaches only the peers this run probed.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['peers'],
    properties: {
      peers: { type: 'array', items: hostOrAddress, minItems: 1, description: 'Peer host names or addresses (this host\'s own names are skipped).' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present: probe missing peers; absent: detach them.' },
      force: { type: 'boolean', default: false, description: 'Detach even if the peer holds bricks / is down (gluster peer detach ... force).' },
      wait_timeout: { type: 'number', default: 60, minimum: 0, description: 'Seconds to wait for probed peers to be "Peer in Cluster" and connected.' },
    },
  },
  examples: [{ name: 'Pool of the storage nodes, probed once', args: { peers: ['gluster1', 'gluster2', 'gluster3'] } }],
  reversible: true,
  async inspect(host, args) {
    const selfNames = ['localhost', '127.0.0.1', host.name, host.facts.hostname, host.facts.fqdn, ...(host.facts.ipv4 ?? [])].filter(Boolean) as string[];
    try {
      return { pool: await readPool(host), selfNames };
    } catch (e) {
      // The plan then probes every peer, saying why; apply refuses with this error, as the run did before.
      if (e instanceof ModuleError && args.state === 'present') return { pool: [], selfNames, unreadable: e.message };
      throw e;
    }
  },
  plan(s, args): Change<PeerData>[] {
    const changes: Change<PeerData>[] = [];
    for (const name of args.peers) {
      if (s.selfNames.includes(name)) continue;
      const known = findPeer(s.pool, name);
      const unread = s.unreadable && changes.length === 0 ? ` (${s.unreadable}, so the pool is taken as empty)` : '';
      if (args.state === 'present' && !known) changes.push({ msg: `probe ${name}${unread}`, data: { probe: name } });
      if (args.state === 'absent' && known) changes.push({ msg: `detach ${name} (${known.uuid})`, data: { detach: name } });
    }
    return changes;
  },
  async apply(host, args, changes, s) {
    if (s.unreadable) throw new ModuleError(s.unreadable, { untouched: true });
    const probed: string[] = [];
    for (const c of changes) {
      const d = c.data;
      if (d.probe) {
        const out = await gluster(host, ['peer', 'probe', d.probe]);
        if (out.opRet !== 0) throw new ModuleError(`peer probe ${d.probe} failed (opErrno ${out.opErrno}): ${out.opErrstr}`);
        probed.push(d.probe);
      }
      if (d.detach) {
        const out = await gluster(host, ['peer', 'detach', d.detach, ...(args.force ? ['force'] : [])]);
        if (out.opRet !== 0) throw new ModuleError(`peer detach ${d.detach} failed (opErrno ${out.opErrno}): ${out.opErrstr}`);
      }
    }
    if (args.state === 'present' && probed.length > 0) await waitInCluster(host, args.peers.filter((p) => probed.includes(p)), args.wait_timeout);
    return { result: { probed } };
  },
  async revert(host, { changes, before }) {
    if (before.unreadable) return; // apply refused before any probe
    // The peers this run set out to probe were not in the pool before it; they are the ones to detach.
    const probed = changes.map((c) => c.data.probe).filter((p): p is string => !!p);
    const pool = await readPool(host);
    for (const name of probed) {
      if (!findPeer(pool, name)) continue;
      const out = await gluster(host, ['peer', 'detach', name]);
      if (out.opRet !== 0) throw new ModuleError(`peer detach ${name} failed (opErrno ${out.opErrno}): ${out.opErrstr}`);
    }
  },
});

/** Poll until every named peer is "Peer in Cluster" and connected; name the ones that are not. */
async function waitInCluster(host: Host, names: string[], timeoutS: number): Promise<void> {
  const until = Date.now() + timeoutS * 1000;
  for (;;) {
    const pool = await readPool(host);
    const bad = names.filter((n) => {
      const p = findPeer(pool, n);
      return !p || !p.connected || p.stateStr !== 'Peer in Cluster';
    });
    if (bad.length === 0) return;
    if (Date.now() > until) {
      const why = bad.map((n) => { const p = findPeer(pool, n); return `${n}: ${p ? `${p.stateStr}${p.connected ? '' : ', disconnected'}` : 'not in the pool'}`; });
      throw new ModuleError(`peers not in the cluster after ${timeoutS} s: ${why.join('; ')}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
