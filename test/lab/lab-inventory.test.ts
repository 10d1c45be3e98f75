// `runbook lab up N --groups ...`: the group list parsed (and refused with the offending part), and the lab's
// inventory listing those groups besides `lab`, readable by runbook's inventory loader.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { groupMembers, loadInventory } from '../../engine/inventory/load-inventory.js';
import { labInventory, parseGroups, type LabInventorySource } from '../../engine/lab/lab-inventory.js';

describe('lab inventory groups (--groups)', () => {
  it('parses ranges and single numbers, and a name given twice gets both', () => {
    expect(parseGroups('gluster=1-2,master=3,workers=4-5', 5)).to.deep.equal({ gluster: ['node1', 'node2'], master: ['node3'], workers: ['node4', 'node5'] });
    expect(parseGroups('boards=1-3,master=1,boards=3', 3, 'pi')).to.deep.equal({ boards: ['pi1', 'pi2', 'pi3'], master: ['pi1'] });
  });

  it('refuses numbers outside the lab, bad parts, the lab\'s own group names and an empty list', () => {
    expect(() => parseGroups('gluster=1-6', 5)).to.throw("--groups: 'gluster=1-6' names hosts outside 1-5");
    expect(() => parseGroups('gluster=0', 5)).to.throw("--groups: 'gluster=0' names hosts outside 1-5");
    expect(() => parseGroups('gluster', 5)).to.throw("--groups: 'gluster' is not NAME=N or NAME=FIRST-LAST (e.g. gluster=1-2,master=3)");
    expect(() => parseGroups('a b=1', 5)).to.throw("'a b=1' is not NAME=N");
    expect(() => parseGroups('lab=1', 5)).to.throw("--groups: 'lab' is a group the lab inventory already has");
    expect(() => parseGroups(' , ', 5)).to.throw('--groups: no group given');
  });

  it('writes the groups into the inventory, which runbook loads with every host\'s address', async () => {
    const s: LabInventorySource = {
      name: 'x', index: 7, keyPath: '/k', knownHostsPath: '/kh',
      groups: { gluster: ['node1', 'node2'], master: ['node3'] },
      hosts: ['node1', 'node2', 'node3'].map((name, i) => ({ name, address: `10.213.7.${10 + i}` })),
    };
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-labinv-'));
    try {
      await fs.writeFile(path.join(dir, 'inventory.yml'), labInventory(s, '10.213'));
      const inv = await loadInventory([path.join(dir, 'inventory.yml')]);
      const members = groupMembers(inv);
      expect(members.gluster).to.deep.equal(['node1', 'node2']);
      expect(members.master).to.deep.equal(['node3']);
      expect(members.lab).to.deep.equal(['node1', 'node2', 'node3']);
      expect(inv.hosts.node2.address).to.equal('10.213.7.11');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
