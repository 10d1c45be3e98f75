// JUnit XML from events.

import { expect } from 'chai';
import { junitXml } from '../../engine/report/junit.js';
import type { RunEvent } from '../../engine/report/events.js';

describe('junit report', () => {
  const events: RunEvent[] = [
    { event: 'run_start', run: 'r1', playbook: 'p', check: true, hosts: ['h1'], started: 'x' },
    { event: 'task', host: 'h1', task: 'a <b> & "c"', module: 'copy', status: 'ok', msg: 'fine', duration_ms: 5 },
    { event: 'task', host: 'h1', task: 'drifted', module: 'sysctl', status: 'changed', msg: 'would set x', duration_ms: 5, diff: [{ path: '/etc/x', before: 'a\n', after: 'b\n' }] },
    { event: 'task', host: 'h1', task: 'broke', module: 'command', status: 'failed', msg: 'exit 3\u0001', duration_ms: 5 },
  ];
  it('escapes XML and counts failures; drift is a failure only in audits', () => {
    const plain = junitXml(events, { driftIsFailure: false });
    expect(plain).to.contain('name="a &lt;b&gt; &amp; &quot;c&quot;"');
    expect(plain).to.contain('tests="3" failures="1"');
    expect(plain).to.not.contain('\u0001');
    const audit = junitXml(events, { driftIsFailure: true });
    expect(audit).to.contain('tests="3" failures="2"');
    expect(audit).to.contain('<failure message="drift">');
  });
});
