// gluster --xml parsing: success is opRet 0, whatever the exit code said.

import { expect } from 'chai';
import { parseCliOutput, parsePeers } from '../../modules/lib/gluster-xml.js';

describe('gluster XML', () => {
  it('reads a failed probe (exit 0, opRet -1) as a failure with its message', () => {
    const out = parseCliOutput('<?xml version="1.0"?>\n<cliOutput>\n  <opRet>-1</opRet>\n  <opErrno>107</opErrno>\n  <opErrstr>Probe returned with Transport endpoint is not connected</opErrstr>\n</cliOutput>\n');
    expect(out).to.include({ opRet: -1, opErrno: 107, opErrstr: 'Probe returned with Transport endpoint is not connected' });
    expect(parseCliOutput('Connection failed. Please check if gluster daemon is operational.').opRet).to.equal(-1);
  });
  it('collects every name of a peer', () => {
    const xml = '<cliOutput><opRet>0</opRet><opErrno>0</opErrno><opErrstr/><peerStatus><peer><uuid>c9e0</uuid><hostname>node2</hostname><hostnames><hostname>node2</hostname><hostname>10.213.1.11</hostname></hostnames><connected>1</connected><state>3</state><stateStr>Peer in Cluster</stateStr></peer><peer><uuid>0749</uuid><hostname>localhost</hostname><connected>1</connected></peer></peerStatus></cliOutput>';
    const peers = parsePeers(parseCliOutput(xml));
    expect(peers).to.deep.equal([
      { uuid: 'c9e0', hostnames: ['node2', '10.213.1.11'], connected: true, stateStr: 'Peer in Cluster', self: false },
      { uuid: '0749', hostnames: ['localhost'], connected: true, stateStr: 'Local', self: true },
    ]);
  });
});
