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

  it("gives Ansible's shapes: ansible_default_ipv4 from `ip route get`, lsb from /etc/lsb-release, user, env, cpu sockets and cores, date_time", () => {
    const f = parseFacts([
      '@@route_get', '8.8.8.8 via 192.168.10.1 dev eth1 src 192.168.10.5 uid 0 ',
      '@@addr', '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever', '3: eth1    inet 192.168.10.5/23 brd 192.168.11.255 scope global eth1\\       valid_lft forever',
      '@@link', '3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc mq state UP mode DEFAULT group default qlen 1000\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff',
      '@@lsb', 'file:DISTRIB_ID=Ubuntu', 'file:DISTRIB_RELEASE=22.04', 'file:DISTRIB_CODENAME=jammy', 'file:DISTRIB_DESCRIPTION="Ubuntu 22.04.3 LTS"',
      '@@user', 'deploy', '1001', '1001', '/home/deploy', '/bin/bash',
      '@@cpuinfo', 'processor\t: 0', 'physical id\t: 0', 'cpu cores\t: 4', 'processor\t: 1', 'physical id\t: 1', 'cpu cores\t: 4',
      '@@date', '2026 11 28 17 05 09 1796403909 Saturday 6 47 123456789 CET +0100', '2026-11-28T16:05:09',
      '@@env', 'HOME=/home/deploy', 'MULTI=a', 'b', 'PATH=/usr/bin:/bin',
      '@@end',
    ].join('\n'));
    expect(f.default_ipv4_route).to.deep.equal({ interface: 'eth1', address: '192.168.10.5', gateway: '192.168.10.1', broadcast: '192.168.11.255', netmask: '255.255.254.0', network: '192.168.10.0', prefix: '23', alias: 'eth1', macaddress: '52:54:00:12:34:56', mtu: 9000, type: 'ether' });
    expect(f.lsb).to.deep.equal({ id: 'Ubuntu', release: '22.04', codename: 'jammy', description: 'Ubuntu 22.04.3 LTS', major_release: '22' });
    expect(f).to.include({ user_id: 'deploy', user_uid: 1001, user_gid: 1001, user_dir: '/home/deploy', user_shell: '/bin/bash', processor_count: 2, processor_cores: 4 });
    expect(f.env).to.deep.equal({ HOME: '/home/deploy', MULTI: 'a\nb', PATH: '/usr/bin:/bin' });
    expect(f.date_time).to.include({ date: '2026-11-28', time: '17:05:09', epoch: '1796403909', iso8601: '2026-11-28T16:05:09Z', iso8601_micro: '2026-11-28T16:05:09.123456Z', iso8601_basic_short: '20261128T170509', tz: 'CET', tz_offset: '+0100', weekday: 'Saturday', weekday_number: '6', weeknumber: '47' });
    // Debian's lsb_release reads os-release: ID capitalized (NAME when only the case differs); none at all gives {}.
    const debian = parseFacts(['@@os', 'NAME="Debian GNU/Linux"', 'ID=debian', 'VERSION_ID="12"', 'VERSION_CODENAME=bookworm', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"', '@@lsb', 'bin:yes', '@@end'].join('\n'));
    expect(debian.lsb).to.deep.equal({ id: 'Debian', description: 'Debian GNU/Linux 12 (bookworm)', release: '12', codename: 'bookworm', major_release: '12' });
    expect(parseFacts(['@@os', 'NAME=Arch', 'ID=arch', '@@lsb', '@@end'].join('\n')).lsb).to.deep.equal({});
    // No default route (a lab host, a host behind nothing): {} as Ansible gives.
    expect(parseFacts('@@route_get\n@@end').default_ipv4_route).to.deep.equal({});
  });
});
