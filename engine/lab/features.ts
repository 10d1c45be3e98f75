// Lab features (`runbook lab up N --with kubernetes,heketi,apt-mirror`): faithful stand-ins for what cannot run on a lab
// host, installed as files and systemd units into every host (from lab/stand-ins/), and the lab's offline apt
// repository. Each stand-in says in its header what it mimics.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ensureLabRepo, useRepoScript } from './apt-mirror.js';
import { STAND_INS_DIR } from './host-root.js';

export interface FeatureFile { path: string; content: string; mode: number }

export interface LabFeature {
  name: string;
  /** One line for `runbook lab status`: what stands in for what. */
  standsIn: string;
  files(): Promise<FeatureFile[]>;
  /** A shell script run inside every host once it is up (or once the files are installed into a running host). */
  setup?(): Promise<string>;
}

function serviceUnit(name: string, what: string, execStart: string, type = 'simple'): string {
  return [
    `# runbook lab stand-in unit: ${what}`, '[Unit]', `Description=${name} (runbook lab stand-in)`, 'After=network.target', '',
    '[Service]', `Type=${type}`, `ExecStart=${execStart}`, 'Restart=on-failure', '', '[Install]', 'WantedBy=multi-user.target', '',
  ].join('\n');
}

const standIn = async (name: string) => fs.readFile(path.join(STAND_INS_DIR, name), 'utf8');

/** A file of this checkout that lab hosts run; their /tmp is their own tmpfs, so a checkout under /tmp is invisible. */
export function runbookFileForLabHosts(relative: string, root = path.resolve(STAND_INS_DIR, '../..')): string {
  const file = path.resolve(root, relative);
  if (file === '/tmp' || file.startsWith('/tmp/')) {
    throw new Error(`runbook is installed under /tmp (${root}), which lab hosts cannot see (each host has its own /tmp): install or clone runbook elsewhere to use the kubernetes or heketi stand-ins`);
  }
  return file;
}

const kubernetes: LabFeature = {
  name: 'kubernetes',
  standsIn: 'kubeadm, kubectl (/usr/local/bin) and the kubelet, containerd, docker units are stand-ins (no container runtime here)',
  async files() {
    const daemon = '/usr/local/lib/runbook-lab/service-daemon';
    // kubectl's schema check runs on node from this checkout (lab hosts see the machine's root): kubernetes-models' validators.
    const validator = runbookFileForLabHosts('dist/lab/stand-ins/kubernetes-validate-main.js');
    return [
      { path: '/usr/local/bin/kubeadm', content: await standIn('kubeadm'), mode: 0o755 },
      { path: '/usr/local/bin/kubectl', content: await standIn('kubectl'), mode: 0o755 },
      { path: '/usr/local/lib/runbook-lab/kubernetes-validate', content: `#!/bin/sh\n# runbook lab: the kubectl stand-in's schema check (lab/stand-ins/kubernetes-validate.ts)\nexec /usr/bin/node ${validator} "$@"\n`, mode: 0o755 },
      { path: daemon, content: await standIn('service-daemon'), mode: 0o755 },
      { path: '/etc/systemd/system/kubelet.service', content: serviceUnit('kubelet', 'the kubelet node agent', `${daemon} kubelet`, 'notify'), mode: 0o644 },
      { path: '/etc/systemd/system/containerd.service', content: serviceUnit('containerd', 'containerd with its CRI socket', `${daemon} containerd /run/containerd/containerd.sock`, 'notify'), mode: 0o644 },
      { path: '/etc/systemd/system/docker.service', content: serviceUnit('docker', 'the Docker engine with its API socket', `${daemon} docker /run/docker.sock`, 'notify'), mode: 0o644 },
    ];
  },
};

const heketi: LabFeature = {
  name: 'heketi',
  standsIn: 'heketi (/usr/local/bin/heketi) is a stand-in server for heketi 10\'s REST API (heketi is not packaged here); the kubectl stand-in runs it for a heketi Deployment',
  async files() {
    const server = runbookFileForLabHosts('dist/lab/stand-ins/heketi-main.js');
    return [
      { path: '/usr/local/bin/heketi', content: `#!/bin/sh\n# runbook lab stand-in for heketi 10: the REST server of lab/stand-ins/heketi-server.ts\nexec /usr/bin/node ${server} "$@"\n`, mode: 0o755 },
    ];
  },
};

const aptMirror: LabFeature = {
  name: 'apt-mirror',
  standsIn: 'apt installs from the lab\'s offline repository (file:/var/cache/runbook-lab/repo: stand-in .debs of kubelet, kubeadm, kubectl, docker-ce, containerd, ceph-common, lvm2, heketi); no host has a network',
  async files() { return []; },
  async setup() { return useRepoScript(await ensureLabRepo()); },
};

export const LAB_FEATURES: Record<string, LabFeature> = { kubernetes, heketi, 'apt-mirror': aptMirror };

/** Parses `--with a,b`: unknown names are an error that lists the known ones. */
export function parseFeatures(list: string | undefined): string[] {
  const names = (list ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  for (const n of names) {
    if (!LAB_FEATURES[n]) throw new Error(`unknown lab feature '${n}' (known: ${Object.keys(LAB_FEATURES).join(', ')})`);
  }
  // Refused here, before any host exists, rather than half-way through making one.
  if (names.includes('kubernetes') || names.includes('heketi')) runbookFileForLabHosts('dist');
  return [...new Set(names)];
}

/** Every file of the named features, to write into a host (before boot, or into a running host then daemon-reload). */
export async function featureFiles(names: string[]): Promise<FeatureFile[]> {
  const out: FeatureFile[] = [];
  for (const n of names) out.push(...(await LAB_FEATURES[n].files()));
  return out;
}

/** The set-up script of every named feature that has one, in order. */
export async function featureSetup(names: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const n of names) {
    const script = await LAB_FEATURES[n].setup?.();
    if (script) out.push(script);
  }
  return out;
}
