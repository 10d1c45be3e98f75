// OpenSSH client config: Host patterns (wildcards, negation) fill what the inventory leaves out; never looser.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withSshConfig } from '../../engine/connection/ssh-config.js';
import { sshOptionsFromVars } from '../../engine/connection/ssh.js';
import { defaultConnectionSettings } from '../../engine/connection/settings.js';
import { hostIdentity } from '../../engine/connection/host-identity.js';
import { hostVars, loadInventory } from '../../engine/inventory/load-inventory.js';

describe('ssh config', () => {
  let dir: string;
  let config: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-ssh-config-'));
    config = path.join(dir, 'ssh_config');
    await fs.writeFile(config, [
      'Host bastion',
      '  HostName 192.0.2.1',
      '  User jumper',
      '  Port 2201',
      '  IdentityFile ~/.ssh/bastion_key',
      '',
      'Host web-* !web-direct',
      '  ProxyJump bastion',
      '  StrictHostKeyChecking yes',
      '',
      'Host web-*',
      '  HostName %h.internal',
      '  User deploy',
      '  UserKnownHostsFile ~/.ssh/fleet_known_hosts',
      '',
      'Host *',
      '  Port 2222',
      '  StrictHostKeyChecking no',
      '',
    ].join('\n'));
  });
  after(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('fills HostName, User, Port, IdentityFile, UserKnownHostsFile and ProxyJump (through an alias) from Host patterns', () => {
    const vars = withSshConfig('web-1', { ssh_config: config });
    expect(vars).to.include({ address: 'web-1.internal', user: 'deploy', port: 2222, jump_host: 'jumper@192.0.2.1:2201', jump_key: path.join(os.homedir(), '.ssh/bastion_key'), known_hosts: path.join(os.homedir(), '.ssh/fleet_known_hosts'), strict_host_key_checking: true });
    const options = sshOptionsFromVars('web-1', vars, { ...defaultConnectionSettings, acceptNewHostKeys: true });
    expect(options.acceptNewHostKeys, 'StrictHostKeyChecking yes beats --accept-new-host-keys').to.equal(false);
    expect(options.jump).to.deep.include({ address: '192.0.2.1', port: 2201, user: 'jumper' });
    expect(hostIdentity('web-1', vars)).to.equal('ssh:jumper@192.0.2.1:2201>web-1.internal:2222');
  });

  it('honours negation, lets the inventory win, and never loosens host key checking', () => {
    const direct = withSshConfig('web-direct', { ssh_config: config });
    expect(direct.jump_host).to.equal(undefined);
    expect(direct.strict_host_key_checking).to.equal(undefined);
    expect(sshOptionsFromVars('other', withSshConfig('other', { ssh_config: config }), { ...defaultConnectionSettings, acceptNewHostKeys: false }).acceptNewHostKeys, 'StrictHostKeyChecking no changes nothing').to.equal(false);
    const own = withSshConfig('web-2', { ssh_config: config, address: '10.0.0.5', user: 'me', port: 22, jump_host: 'none-needed' });
    expect(own).to.include({ address: '10.0.0.5', user: 'me', port: 22, jump_host: 'none-needed' });
    expect(withSshConfig('web-3', { ssh_config: 'none' })).to.deep.equal({ ssh_config: 'none' });
  });

  it('applies to inventory hosts reached over ssh (the ssh_config var), not to local ones', async () => {
    const inv = path.join(dir, 'hosts.ini');
    await fs.writeFile(inv, `[web]\nweb-7\nlocalhost ansible_connection=local\n[all:vars]\nssh_config=${config}\n`);
    const loaded = await loadInventory([inv]);
    expect(hostVars(loaded, 'web-7')).to.include({ address: 'web-7.internal', user: 'deploy' });
    expect(hostVars(loaded, 'localhost').address).to.equal(undefined);
  });

  it('follows Include (with a wildcard), as ssh does', async () => {
    await fs.mkdir(path.join(dir, 'config.d'));
    await fs.writeFile(path.join(dir, 'config.d', 'db.conf'), 'Host db-1\n  HostName 198.51.100.7\n  User dba\n');
    await fs.writeFile(path.join(dir, 'with-include'), `Include ${dir}/config.d/*.conf\nHost *\n  User nobody-else\n`);
    expect(withSshConfig('db-1', { ssh_config: path.join(dir, 'with-include') })).to.include({ address: '198.51.100.7', user: 'dba' });
  });

  it('refuses a ProxyJump chain, which runbook cannot follow', async () => {
    const chain = path.join(dir, 'chain');
    await fs.writeFile(chain, 'Host far\n  ProxyJump a,b\n');
    expect(() => withSshConfig('far', { ssh_config: chain })).to.throw("ProxyJump 'a,b' is a chain of jump hosts; runbook takes one jump host");
  });
});
