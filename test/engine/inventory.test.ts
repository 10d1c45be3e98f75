// Inventory loading, var precedence and host patterns.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { groupMembers, hostVars, loadInventory } from '../../engine/inventory/load-inventory.js';
import { matchHosts } from '../../engine/inventory/host-patterns.js';

describe('inventory', () => {
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-inv-'));
    await fs.writeFile(path.join(dir, 'hosts.yml'), [
      'all:',
      '  vars: { ntp: pool, level: all }',
      '  hosts:',
      '    loner: {}',
      '  children:',
      '    k8s:',
      '      vars: { level: k8s }',
      '      children:',
      '        master: { hosts: { m1: { address: 10.0.0.21 } }, vars: { level: master } }',
      '        workers: { hosts: { w1: {}, w2: {} } }',
      '    gluster:',
      '      hosts: { g1: { heketi_zone: 1 }, w2: {} }',
      '',
    ].join('\n'));
    await fs.mkdir(path.join(dir, 'group_vars'));
    await fs.mkdir(path.join(dir, 'host_vars'));
    await fs.writeFile(path.join(dir, 'group_vars/workers.yml'), 'level: workers\nrole: worker\n');
    await fs.writeFile(path.join(dir, 'host_vars/w1.yml'), 'level: host\n');
  });
  after(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('merges group vars all → parent → child, then host vars', async () => {
    const inv = await loadInventory([dir]);
    expect(hostVars(inv, 'm1')).to.include({ level: 'master', ntp: 'pool', address: '10.0.0.21' });
    expect(hostVars(inv, 'w1')).to.include({ level: 'host', role: 'worker' });
    expect(hostVars(inv, 'w2')).to.include({ level: 'workers' });
    expect(hostVars(inv, 'loner')).to.include({ level: 'all' });
    expect(hostVars(inv, 'w2').group_names).to.have.members(['k8s', 'workers', 'gluster']);
  });

  it('resolves groups and patterns in inventory order', async () => {
    const inv = await loadInventory([path.join(dir, 'hosts.yml')]);
    expect(groupMembers(inv).k8s).to.deep.equal(['m1', 'w1', 'w2']);
    expect(groupMembers(inv).ungrouped).to.deep.equal(['loner']);
    expect(matchHosts(inv, 'all')).to.have.members(['loner', 'm1', 'w1', 'w2', 'g1']);
    expect(matchHosts(inv, 'k8s:!master')).to.deep.equal(['w1', 'w2']);
    expect(matchHosts(inv, 'k8s:&gluster')).to.deep.equal(['w2']);
    expect(matchHosts(inv, 'master,g1')).to.deep.equal(['m1', 'g1']);
    expect(matchHosts(inv, 'w*')).to.deep.equal(['w1', 'w2']);
    expect(() => matchHosts(inv, 'k8s:nosuch')).to.throw("no host or group named 'nosuch'");
  });

  it('without an inventory, has localhost over the local connection', async () => {
    const inv = await loadInventory([]);
    expect(matchHosts(inv, 'all')).to.deep.equal(['localhost']);
    expect(hostVars(inv, 'localhost').connection).to.equal('local');
  });

  it('says which file and where when the inventory is wrong', async () => {
    const bad = path.join(dir, 'bad.yaml.txt');
    await fs.writeFile(bad, 'all:\n  hosts:\n    h1: {}\n  childs: {}\n');
    const err = await loadInventory([bad]).catch((e) => e);
    expect(err.describe()).to.match(/bad\.yaml\.txt:4:3: unknown key 'childs' in group 'all'/);
    const missing = await loadInventory([path.join(dir, 'nope.yml')]).catch((e) => e);
    expect(missing.message).to.contain('inventory not found');
  });
});
