// The journal: lines fsynced in order, a torn last line tolerated, pending reverts newest first.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JournalWriter, pendingReverts, readJournal, undoOf, type JournalEntry } from '../../engine/journal/journal.js';

function entry(seq: number, host: string): JournalEntry {
  return { type: 'change', seq, host, task: `t${seq}`, module: 'copy', args: {}, before: { n: seq }, changes: [{ msg: 'm' }], reversible: true, ts: 'now' };
}

describe('journal', () => {
  let dir: string;
  beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-journal-')); });
  afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('is created 0600 and lists pending reverts per host, newest first, skipping reverted ones', async () => {
    const file = path.join(dir, 'journal.jsonl');
    const w = new JournalWriter(file);
    await w.append(entry(1, 'a'));
    await w.append({ type: 'applied', seq: 1, host: 'a', undo: { x: 1 }, ts: 'now' });
    await w.append(entry(2, 'b'));
    await w.append(entry(3, 'a'));
    await w.append({ type: 'reverted', seq: 3, host: 'a', ts: 'now' });
    await w.append(entry(4, 'a'));
    await w.close();
    expect((await fs.stat(file)).mode & 0o777).to.equal(0o600);
    const lines = await readJournal(file);
    expect(pendingReverts(lines, 'a').map((e) => e.seq)).to.deep.equal([4, 1]);
    expect(pendingReverts(lines).map((e) => e.seq)).to.deep.equal([4, 2, 1]);
    expect(undoOf(lines, pendingReverts(lines, 'a')[1])).to.deep.equal({ x: 1 });
  });

  it('tolerates a torn last line left by a crash mid-write', async () => {
    const file = path.join(dir, 'journal.jsonl');
    await fs.writeFile(file, `${JSON.stringify(entry(1, 'a'))}\n{"type":"change","seq":2,"host":"a","ta`);
    const lines = await readJournal(file);
    expect(lines).to.have.length(1);
    expect(pendingReverts(lines, 'a').map((e) => e.seq)).to.deep.equal([1]);
  });
});
