// Lab hosts run runbook's own stand-in files from the machine's root; a checkout under /tmp is invisible to them.
import { expect } from 'chai';
import { runbookFileForLabHosts } from '../../engine/lab/features.js';

describe('lab stand-ins: runbook files the lab hosts run', () => {
  it('gives the file of a checkout outside /tmp', () => {
    expect(runbookFileForLabHosts('dist/lab/stand-ins/heketi-main.js', '/root/runbook')).to.equal('/root/runbook/dist/lab/stand-ins/heketi-main.js');
  });
  it('refuses a checkout under /tmp, saying why and what to do', () => {
    expect(() => runbookFileForLabHosts('dist/lab/stand-ins/heketi-main.js', '/tmp/x/runbook')).to.throw(
      'runbook is installed under /tmp (/tmp/x/runbook), which lab hosts cannot see (each host has its own /tmp): install or clone runbook elsewhere to use the kubernetes or heketi stand-ins');
  });
});
