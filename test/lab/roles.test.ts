// A role on a lab host over SSH (#17): the fixture role (test/fixtures/roles: defaults deriving from defaults, vars,
// a meta dependency with a role param, templates/, files/, handlers with listen, include_tasks over a loop, a role
// from roles_path) converges, a second run changes nothing, and a changed template notifies its handler again.

import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonEvents, runCli } from '../helpers/cli.js';
import { acquireLab, type TestLab } from '../helpers/lab.js';
import { fixturesDir } from '../helpers/paths.js';

const ROOT = '/tmp/rb-roles-lab';

describe('roles on a lab host', function () {
  this.timeout(180_000);
  let lab: TestLab;
  let dir: string;
  const sh = async (script: string) => (await lab.exec('node1', ['sh', '-c', script])).stdout;
  const play = (...args: string[]) => runCli(['play', 'site.yml', '-i', lab.inventoryPath, '-l', 'node1', '--format', 'json', '-e', `webapp_root=${ROOT}`, ...args], { cwd: dir });
  const statuses = (stdout: string) => jsonEvents(stdout).filter((e) => e.event === 'task').map((e) => `${e.task}=${e.status}`);

  before(async function () {
    lab = await acquireLab(1, this);
    await sh(`rm -rf ${ROOT}`);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runbook-roles-'));
    await fs.cp(path.join(fixturesDir, 'roles'), dir, { recursive: true });
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
    if (lab) await sh(`rm -rf ${ROOT}`);
  });

  it('converges, then a second run changes nothing', async () => {
    const first = await play();
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    expect(statuses(first.stdout)).to.include.members(['base : base directory=changed', 'webapp : webapp config=changed', 'webapp : restart webapp=changed', 'webapp : log users=changed']);
    expect(await sh(`cd ${ROOT} && stat -c '%n %a' webapp webapp/app.conf && cat webapp/app.conf webapp/motd webapp/user-alice greeting webapp/handler.log`)).to.equal(
      `webapp 755\nwebapp/app.conf 640\n# webapp, from the role's template\nport = 8081\ndir = ${ROOT}/webapp\nwelcome to the webapp\nalice on port 8081\nhello from greeter\nrestarted\nusers\n`,
    );
    const second = await play();
    expect(second.code).to.equal(0);
    expect(jsonEvents(second.stdout).find((e) => e.event === 'recap')!.hosts.node1.changed).to.equal(0);
  });

  it('an extra var that changes the template re-notifies only its handler', async () => {
    const res = await play('-e', 'webapp_port=9090');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(statuses(res.stdout).filter((s) => s.endsWith('=changed'))).to.deep.equal(['webapp : webapp config=changed', 'webapp : webapp user file=changed', 'webapp : webapp user file=changed', 'webapp : restart webapp=changed', 'webapp : log users=changed']);
    expect(await sh(`grep port ${ROOT}/webapp/app.conf; cat ${ROOT}/webapp/handler.log`)).to.equal('port = 9090\nrestarted\nusers\nrestarted\nusers\n');
  });
});
