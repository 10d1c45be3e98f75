// Facts parsing from the one-round-trip script output.

import { expect } from 'chai';
import { parseFacts } from '../../engine/run/facts.js';

describe('facts', () => {
  it('parses a CentOS 7 style host', () => {
    const out = [
      '@@os', 'NAME="CentOS Linux"', 'ID="centos"', 'ID_LIKE="rhel fedora"', 'VERSION_ID="7"', 'PRETTY_NAME="CentOS Linux 7 (Core)"',
      '@@kernel', '3.10.0-1160.el7.x86_64', '@@arch', 'x86_64', '@@cpus', '4',
      '@@meminfo', 'MemTotal:        8009180 kB', 'SwapTotal:       2097148 kB',
      '@@hostname', 'k8s-master', '@@fqdn', 'k8s-master.lab',
      '@@ipv4', 'lo 127.0.0.1/8', 'eth0 10.0.0.5/24', 'eth1 192.168.10.5/24',
      '@@route', 'default via 192.168.10.1 dev eth1 proto static',
      '@@blk', 'vda 21474836480 disk', 'vdb 107374182400 disk',
      '@@pkg', 'yum', '@@init', 'systemd', '@@end',
    ].join('\n');
    const f = parseFacts(out);
    expect(f).to.include({ os_id: 'centos', os_family: 'RedHat', os_version: '7', kernel: '3.10.0-1160.el7.x86_64', cpus: 4, memory_mb: 7821, swap_total_mb: 2048, hostname: 'k8s-master', fqdn: 'k8s-master.lab', default_ipv4: '192.168.10.5', pkg_mgr: 'yum', init_system: 'systemd' });
    expect(f.ipv4).to.deep.equal(['10.0.0.5', '192.168.10.5']);
    expect(f.block_devices[1]).to.deep.equal({ name: 'vdb', size_bytes: 107374182400, type: 'disk' });
  });
  it('parses a Raspbian host without a default route', () => {
    const f = parseFacts(['@@os', 'ID=raspbian', 'ID_LIKE=debian', 'VERSION_ID="9"', '@@ipv4', 'eth0 10.213.1.2/24', '@@pkg', 'apt-get', '@@init', 'init', '@@end'].join('\n'));
    expect(f).to.include({ os_family: 'Debian', pkg_mgr: 'apt', init_system: 'sysvinit', default_ipv4: '10.213.1.2' });
  });

  it("gives Ansible's distribution facts: its name for the OS, Debian's point release from /etc/debian_version", () => {
    const debian = parseFacts(['@@os', 'NAME="Debian GNU/Linux"', 'ID=debian', 'VERSION_ID="12"', '@@system', 'Linux', '@@debian_version', '12.11', '@@end'].join('\n'));
    expect(debian).to.include({ distribution: 'Debian', distribution_version: '12.11', distribution_major_version: '12', distribution_minor_version: '11', system: 'Linux' });
    const ubuntu = parseFacts(['@@os', 'NAME="Ubuntu"', 'ID=ubuntu', 'ID_LIKE=debian', 'VERSION_ID="24.04"', '@@debian_version', 'trixie/sid', '@@end'].join('\n'));
    expect(ubuntu).to.include({ distribution: 'Ubuntu', distribution_version: '24.04', distribution_major_version: '24', os_family: 'Debian' });
    const centos = parseFacts(['@@os', 'NAME="CentOS Linux"', 'ID="centos"', 'VERSION_ID="7"', '@@end'].join('\n'));
    expect(centos).to.include({ distribution: 'CentOS', distribution_version: '7', distribution_major_version: '7', distribution_minor_version: '' });
  });
});
