// A bounded fuzz loop over the YAML loader, schema validation, template checks and the variable pre-flight: random
// mutations of the shipped playbooks and inventories (seeded, so a failure can be replayed with FUZZ_SEED) must
// either load or fail with a RunbookError that names a location — never a crash (TypeError, RangeError, a hang).
// Bounded in count (FUZZ_ITERATIONS, default 400) and time (30 s).

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunbookError } from '../../engine/errors.js';
import { loadInventory } from '../../engine/inventory/load-inventory.js';
import { preflightVariables } from '../../engine/load/preflight.js';
import { loadPlaybookWithPacks } from '../../engine/load/load-with-packs.js';
import { repoRoot } from '../helpers/paths.js';

/** mulberry32: small, fast, reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY = [':', '{', '}', '[', ']', '-', '"', "'", '!', '&', '*', '#', '|', '>', '\n', '\t', ' ', '{{', '}}', '{{#if x}}', '%', '@', '`', '\\', 'ñ', '\u2028', '~', 'null', '- ', ': ', '&a ', '*a', '!!str ', '<<: '];

function mutate(text: string, r: () => number): string {
  const lines = text.split('\n');
  const pick = (n: number) => Math.floor(r() * n);
  const times = 1 + pick(3);
  let out = text;
  for (let k = 0; k < times; k++) {
    const pos = pick(out.length + 1);
    switch (pick(7)) {
      case 0: out = out.slice(0, pos) + out.slice(pos + 1 + pick(4)); break; // delete
      case 1: out = out.slice(0, pos) + NASTY[pick(NASTY.length)] + out.slice(pos); break; // insert
      case 2: { const i = pick(lines.length); lines.splice(i, 0, lines[i] ?? ''); out = lines.join('\n'); break; } // duplicate a line
      case 3: { const i = pick(lines.length); const j = pick(lines.length); [lines[i], lines[j]] = [lines[j], lines[i]]; out = lines.join('\n'); break; } // swap lines
      case 4: { const i = pick(lines.length); lines[i] = (r() < 0.5 ? '  ' : '') + (lines[i] ?? '').replace(/^ {1,2}/, r() < 0.5 ? '' : ' '); out = lines.join('\n'); break; } // indentation
      case 5: out = out.slice(0, pos) + out.slice(pos).replace(/\d+/, String(pick(100000) - 50)); break; // numbers
      default: out = out.slice(0, pos) + out.slice(pos).replace(/(\w+):/, `${r() < 0.5 ? '' : 'x'}$1${r() < 0.5 ? '' : '_'}:`); break; // keys
    }
  }
  return out;
}

describe('fuzz: mutated playbooks and inventories load or fail cleanly', function () {
  this.timeout(120_000);
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
  const iterations = Number(process.env.FUZZ_ITERATIONS ?? 400);
  const seeds: Array<{ name: string; playbook: string; inventory: string }> = [];
  let dir: string;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-fuzz-'));
    // A copy of each playbook folder (manifests, templates) and inventory folder (group_vars, host_vars): the
    // mutants replace site.yml and hosts.yml there, so everything else they refer to exists.
    for (const name of ['k8s-glusterfs-heketi', 'gluster-kubernetes', 'home-lab-arm', 'statefulsets-on-ceph']) {
      await fs.cp(path.join(repoRoot, 'playbooks', name), path.join(dir, name, 'pb'), { recursive: true });
      await fs.cp(path.join(repoRoot, 'inventory', name), path.join(dir, name, 'inv'), { recursive: true });
      seeds.push({
        name,
        playbook: await fs.readFile(path.join(repoRoot, 'playbooks', name, 'site.yml'), 'utf8'),
        inventory: await fs.readFile(path.join(repoRoot, 'inventory', name, 'hosts.yml'), 'utf8'),
      });
    }
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it(`survives ${iterations} random mutations (seed ${seed}; replay with FUZZ_SEED=${seed})`, async () => {
    const r = rng(seed);
    const deadline = Date.now() + 30_000;
    const counts = { loaded: 0, rejected: 0 };
    for (let i = 0; i < iterations && Date.now() < deadline; i++) {
      const s = seeds[Math.floor(r() * seeds.length)];
      const mutateInventory = r() < 0.3;
      const pbText = mutateInventory ? s.playbook : mutate(s.playbook, r);
      const invText = mutateInventory ? mutate(s.inventory, r) : s.inventory;
      const pbFile = path.join(dir, s.name, 'pb', 'site.yml');
      const invDir = path.join(dir, s.name, 'inv');
      await fs.writeFile(pbFile, pbText);
      await fs.writeFile(path.join(invDir, 'hosts.yml'), invText);
      try {
        const { playbook } = await loadPlaybookWithPacks(pbFile, dir);
        const inv = await loadInventory([invDir]);
        preflightVariables(playbook, inv, { heketi_admin_key: 'x', heketi_user_key: 'x', ceph_admin_key: 'x', ceph_user_key: 'x' });
        counts.loaded++;
      } catch (e) {
        if (!(e instanceof RunbookError)) {
          throw new Error(`iteration ${i} (seed ${seed}) crashed with ${(e as Error).name}: ${(e as Error).stack}\n--- site.yml ---\n${pbText}\n--- hosts.yml ---\n${invText}`);
        }
        expect(e.message.length, 'an empty message').to.be.greaterThan(0);
        // The claim of this test: a rejection names where. A file at least, and a line for problems inside one.
        const where = e.describe();
        expect(where, `iteration ${i} (seed ${seed}): no location in\n${where}`).to.match(/(site\.yml|hosts\.yml|[\\/](pb|inv)[\\/]\S*):\d+:\d+/);
        counts.rejected++;
      }
    }
    // eslint-disable-next-line no-console
    console.log(`      fuzz seed ${seed}: ${counts.loaded} mutants loaded, ${counts.rejected} rejected with a RunbookError, 0 crashes`);
    // Both outcomes must occur, or the mutations test nothing.
    expect(counts.loaded, JSON.stringify(counts)).to.be.greaterThan(0);
    expect(counts.rejected, JSON.stringify(counts)).to.be.greaterThan(0);
  });
});
