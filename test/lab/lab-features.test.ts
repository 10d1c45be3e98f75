// `runbook lab up 1 --with kubernetes,heketi` through the CLI: the stand-ins are installed as real units and tools,
// the heketi stand-in serves heketi's API from its --config file (run here by systemd-run), containerd.service makes its CRI socket, and
// `lab status` says what stands in.

import { expect } from 'chai';
import { runCli } from '../helpers/cli.js';
import { isRoot } from '../helpers/lab.js';

describe('lab features --with kubernetes,heketi (through the CLI)', function () {
  this.timeout(180_000);
  const name = `lw${process.pid % 100000}`;

  before(async function () {
    if (!isRoot()) {
      console.warn('\n  *** SKIPPED: lab tests need root on Linux; CI runs as root ***\n');
      this.skip();
    }
    const up = await runCli(['lab', 'up', '1', '--name', name, '--with', 'kubernetes,heketi'], { timeoutMs: 120_000 });
    expect(up.code, up.stdout + up.stderr).to.equal(0);
  });
  after(async () => {
    if (isRoot()) await runCli(['lab', 'down', '--name', name], { timeoutMs: 60_000 });
  });
  const onHost = async (command: string) => (await runCli(['lab', 'ssh', 'node1', '--name', name, '--', command])).stdout.trim();

  it('refuses an unknown feature, naming the known ones', async () => {
    const r = await runCli(['lab', 'up', '1', '--name', `${name}x`, '--with', 'openshift']);
    expect(r.code).to.not.equal(0);
    expect(r.stderr).to.contain("unknown lab feature 'openshift' (known: kubernetes, heketi, apt-mirror)");
  });

  it('installs the stand-ins as units and tools, and lab status names them', async () => {
    const config = '{"port":"8080","use_auth":true,"jwt":{"admin":{"key":"k"}},"glusterfs":{"db":"/var/lib/heketi/heketi.db"}}';
    expect(await onHost(`mkdir -p /etc/heketi /var/lib/heketi && echo '${config}' > /etc/heketi/heketi.json && systemd-run --quiet --unit=heketi-try /usr/local/bin/heketi --config=/etc/heketi/heketi.json && for i in $(seq 1 50); do curl -s http://127.0.0.1:8080/hello && break; sleep 0.2; done`)).to.equal('Hello from Heketi');
    expect(await onHost('systemctl start containerd && test -S /run/containerd/containerd.sock && systemctl is-active containerd')).to.equal('active');
    expect(await onHost('kubeadm version')).to.contain('standin');
    const status = (await runCli(['lab', 'status'])).stdout;
    expect(status).to.contain('stand-in: kubeadm, kubectl');
    expect(status).to.contain('stand-in: heketi');
  });

  it('kubectl answers with the server version kubeadm init was given and refuses API versions that server no longer serves', async () => {
    const pdb = JSON.stringify({ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'zk-pdb' }, spec: { maxUnavailable: 1 } });
    const setup = 'mkdir -p /root/.kube /var/lib/runbook-lab/kubernetes && printf "apiVersion: v1\\nkind: Config\\n" > /root/.kube/config';
    expect(await onHost(`${setup} && printf 'version=v1.24.17\\n' > /var/lib/runbook-lab/kubernetes/kubeadm-init && echo '${pdb}' | kubectl apply -f - && kubectl version -o json | grep -A3 serverVersion | grep minor`))
      .to.equal('poddisruptionbudget.policy/zk-pdb created\n    "minor": "24",');
    const r = await runCli(['lab', 'ssh', 'node1', '--name', name, '--', `printf 'version=v1.25.16\\n' > /var/lib/runbook-lab/kubernetes/kubeadm-init && echo '${pdb}' | kubectl apply -f -; echo "rc=$?"`]);
    // kubectl's own exit code (the remote command ends with echo, so `runbook lab ssh` exits 0).
    expect(r.stdout.trim()).to.equal('rc=1');
    expect(r.stderr).to.contain('error: resource mapping not found for name: "zk-pdb" namespace: "" from "STDIN": no matches for kind "PodDisruptionBudget" in version "policy/v1beta1"');
  });

  it('lab ssh HOST -- CMD exits with the remote command\'s status, as ssh does', async () => {
    expect(await runCli(['lab', 'ssh', 'node1', '--name', name, '--', 'exit 7'])).to.include({ code: 7 });
    const failed = await runCli(['lab', 'ssh', 'node1', '--name', name, '--', 'ls /no/such/file']);
    expect(failed.code).to.equal(2);
    expect(failed.stderr).to.contain('/no/such/file');
    expect(await runCli(['lab', 'ssh', 'node1', '--name', name, '--', 'true'])).to.include({ code: 0 });
  });
});
