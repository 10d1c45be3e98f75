// kubeadm: init a control plane (resuming a half-finished one), join a node, print a fresh join command, or reset —
// idempotent by the state kubeadm leaves (admin.conf and the cluster-info ConfigMap after init, kubelet.conf after
// join), with pre-flight problems reported before kubeadm runs and tokens never shown.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Change, type Host } from '../engine/types.js';
import { filePath, hostOrAddress, oneLine, simpleName } from './lib/arg-kinds.js';

interface KubeadmArgs {
  state: 'init' | 'join' | 'reset' | 'join_command';
  pod_network_cidr?: string;
  apiserver_advertise_address?: string;
  control_plane_endpoint?: string;
  skip_phases?: string[];
  kubernetes_version?: string;
  config?: string;
  join_command?: string;
  token?: string;
  discovery_token_ca_cert_hash?: string;
  from?: string;
  from_var: string;
  ignore_preflight_errors?: string[];
  allow_reset: boolean;
}

interface KubeadmState {
  adminConf: boolean;
  /** kube-public/cluster-info exists (kubeadm's bootstrap-token phase made it): init finished; null without kubectl. */
  clusterInfo: boolean | null;
  kubeletConf: boolean;
  manifests: string[];
  swapOn: boolean;
  ipForward: string;
  bridgeNf: boolean;
  runtime: boolean;
}

const ENDPOINT = { type: 'string', title: 'API server endpoint (HOST:PORT)', pattern: '^[A-Za-z0-9\\[][A-Za-z0-9.:\\[\\]_-]*$' } as const;
const TOKEN = { type: 'string', title: 'bootstrap token (abcdef.0123456789abcdef)', pattern: '^[a-z0-9]{6}\\.[a-z0-9]{16}$' } as const;
const CA_HASH = { type: 'string', title: 'CA hash (sha256:<64 hex digits>)', pattern: '^sha256:[0-9a-f]{64}$' } as const;
const FLAG_VALUE = { type: 'string', title: 'kubeadm flag value', pattern: '^[A-Za-z0-9_][A-Za-z0-9_.:/,+=-]*$' } as const;

/** Docker's own socket counts too: before 1.24, kubeadm checks a running Docker itself (dockershim comes with the kubelet). */
const RUNTIME_SOCKETS = ['/run/containerd/containerd.sock', '/var/run/crio/crio.sock', '/var/run/dockershim.sock', '/run/cri-dockerd.sock', '/var/run/docker.sock'];

/** `kubeadm join HOST:6443 --token T --discovery-token-ca-cert-hash sha256:H` → its parts. */
export function parseJoinCommand(line: string): { endpoint: string; token: string; hash: string } {
  const flat = line.replace(/\\\s*\n\s*/g, ' ');
  const endpoint = /kubeadm\s+join\s+(\S+)/.exec(flat)?.[1];
  const token = /--token[ =](\S+)/.exec(flat)?.[1];
  const hash = /--discovery-token-ca-cert-hash[ =](\S+)/.exec(flat)?.[1];
  if (!endpoint || !token || !hash) throw new ModuleError('not a kubeadm join command (expected "kubeadm join HOST:PORT --token ... --discovery-token-ca-cert-hash sha256:...")');
  // The line may come from another host's output: its parts become kubeadm's argv, so each must be of its kind.
  for (const [what, value, kind] of [['endpoint', endpoint, ENDPOINT], ['token', token, TOKEN], ['hash', hash, CA_HASH]] as const) {
    if (!new RegExp(kind.pattern).test(value)) throw new ModuleError(`kubeadm join command: the ${what} is not a valid ${kind.title}`);
  }
  return { endpoint, token, hash };
}

/**
 * What apply does: one of init (resume: skip pre-flight, kubeadm stopped after it), join, token (print a join command)
 * or reset; refused: why apply must not run it (pre-flight problems, no control plane), told in the plan too.
 */
interface KubeadmData { init?: boolean; resume?: boolean; join?: boolean; token?: boolean; reset?: boolean; refused?: string }

/** The init phases to skip: the playbook's, and pre-flight when resuming (its checks fail on the files kubeadm already wrote). */
function skippedPhases(args: KubeadmArgs, resume: boolean): string[] {
  return [...(resume ? ['preflight'] : []), ...(args.skip_phases ?? []).filter((p) => !(resume && p === 'preflight'))];
}

function initMessage(args: KubeadmArgs, resume: boolean): string {
  const skip = skippedPhases(args, resume);
  const command = `kubeadm init${args.pod_network_cidr ? ` --pod-network-cidr=${args.pod_network_cidr}` : ''}${skip.length ? ` --skip-phases=${skip.join(',')}` : ''}`;
  return resume ? `${command} (resume a half-finished init: /etc/kubernetes/admin.conf is there but the cluster has no kube-public/cluster-info, so kubeadm stopped before its bootstrap-token phase)` : command;
}

function joinParts(args: KubeadmArgs, hostvars: Readonly<Record<string, Readonly<Record<string, unknown>>>>) {
  if (args.from) {
    const reg = hostvars[args.from]?.[args.from_var] as { stdout?: string; join_command?: string } | undefined;
    const line = reg?.join_command ?? reg?.stdout;
    if (!line) throw new ModuleError(`kubeadm join from ${args.from}: host ${args.from} has no registered '${args.from_var}' (run kubeadm state: join_command there first, with register: ${args.from_var})`);
    return parseJoinCommand(line);
  }
  if (args.join_command) return parseJoinCommand(args.join_command);
  // The schema requires from, join_command, or these three for state: join.
  return { endpoint: args.control_plane_endpoint!, token: args.token!, hash: args.discovery_token_ca_cert_hash! };
}

function preflightProblems(s: KubeadmState, args: KubeadmArgs): string[] {
  const ignored = new Set((args.ignore_preflight_errors ?? []).map((x) => x.toLowerCase()));
  const p: string[] = [];
  if (s.swapOn && !ignored.has('swap') && !ignored.has('all')) p.push('swap is on (kubelet refuses to run with swap): swapoff -a and remove swap lines from /etc/fstab');
  if (s.ipForward !== '1') p.push('net.ipv4.ip_forward is not 1: add a sysctl task (net.ipv4.ip_forward = 1)');
  if (!s.bridgeNf) p.push('net.bridge.bridge-nf-call-iptables does not exist: load the br_netfilter kernel module (modprobe task)');
  if (!s.runtime) p.push(`no container runtime socket (${RUNTIME_SOCKETS.join(', ')}): install and start containerd or docker first`);
  return p;
}

/**
 * Pre-flight problems do not fail the plan: in check mode the tasks before this one (sysctl, containerd) have not
 * run, so the plan says what kubeadm would do and what its pre-flight finds now; apply refuses with them.
 */
function withPreflight(msg: string, what: 'init' | 'join', problems: string[]): { msg: string; refused?: string } {
  if (problems.length === 0) return { msg };
  return { msg: `${msg} (its pre-flight checks fail now: ${problems.join('; ')})`, refused: `kubeadm ${what} would fail its pre-flight checks:\n- ${problems.join('\n- ')}` };
}

async function kubeadm(host: Host, argv: string[]): Promise<string> {
  const res = await host.run(['kubeadm', ...argv], { timeoutMs: 15 * 60_000 });
  if (res.code !== 0) {
    const text = `${res.stderr}\n${res.stdout}`.trim().split('\n').filter((l) => /ERROR|error|fatal/i.test(l)).join('\n') || res.stderr.trim();
    // Tokens must not reach messages.
    throw new ModuleError(`kubeadm ${argv[0]} failed (exit ${res.code}): ${text.replace(/[a-z0-9]{6}\.[a-z0-9]{16}/g, '<token>')}`);
  }
  return res.stdout;
}

export default defineModule<KubeadmArgs, KubeadmState, KubeadmData>({
  name: 'kubeadm',
  doc: 'Run kubeadm idempotently: init a control plane (once: /etc/kubernetes/admin.conf), join a node (once: kubelet.conf), print a fresh join command for other hosts (join_command, register it), or reset. Pre-flight problems (swap, ip_forward, br_netfilter, container runtime) fail with the fix before kubeadm runs. A half-finished init (admin.conf written, but no kube-public/cluster-info ConfigMap: kubeadm stopped before its bootstrap-token phase; asked with kubectl when the host has it) is resumed with pre-flight skipped. Tokens never appear in output. Rollback runs kubeadm reset only with allow_reset: true.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['state'],
    allOf: [{
      if: { properties: { state: { const: 'join' } }, required: ['state'] },
      then: { anyOf: [{ required: ['from'] }, { required: ['join_command'] }, { required: ['token', 'discovery_token_ca_cert_hash', 'control_plane_endpoint'] }] },
    }],
    properties: {
      state: { enum: ['init', 'join', 'reset', 'join_command'], description: 'init: create the control plane; join: join this node; join_command: create a token and return the join command; reset: tear down.' },
      pod_network_cidr: { ...FLAG_VALUE, description: 'init: --pod-network-cidr (10.244.0.0/16 for flannel).' },
      apiserver_advertise_address: { ...FLAG_VALUE, description: 'init: --apiserver-advertise-address.' },
      control_plane_endpoint: { ...ENDPOINT, description: 'init: --control-plane-endpoint; join: the API server HOST:PORT.' },
      skip_phases: { type: 'array', items: FLAG_VALUE, description: 'init: --skip-phases (e.g. mark-control-plane on a single-board home cluster).' },
      kubernetes_version: { ...FLAG_VALUE, description: 'init: --kubernetes-version.' },
      config: { ...filePath, description: 'init: --config file on the host (other init options are then ignored by kubeadm).' },
      join_command: { ...oneLine, writeOnly: true, description: 'join: a full "kubeadm join ..." line.' },
      token: { ...TOKEN, writeOnly: true, description: 'join: bootstrap token.' },
      discovery_token_ca_cert_hash: { ...CA_HASH, description: 'join: sha256:<hash> of the cluster CA.' },
      from: { ...hostOrAddress, description: 'join: inventory host whose registered join command to use (see from_var).' },
      from_var: { ...simpleName, default: 'kubeadm_join', description: 'join: the register name holding the join command on the from host.' },
      ignore_preflight_errors: { type: 'array', items: FLAG_VALUE, description: 'Pre-flight checks to ignore (kubeadm --ignore-preflight-errors).' },
      allow_reset: { type: 'boolean', default: false, description: 'Let rollback undo init/join with kubeadm reset -f.' },
    },
  },
  examples: [
    { name: 'Control plane for flannel', args: { state: 'init', pod_network_cidr: '10.244.0.0/16' } },
    { name: 'Join with the master\'s fresh command', args: { state: 'join', from: 'k8s-master' } },
  ],
  reversible: true,
  async inspect(host) {
    const probe = await host.run(['sh', '-c', [
      'test -f /etc/kubernetes/admin.conf && echo admin',
      'test -f /etc/kubernetes/kubelet.conf && echo kubelet',
      // Whether init finished is known to the API server only: its bootstrap-token phase creates kube-public/cluster-info.
      'if ! command -v kubectl >/dev/null; then echo no-kubectl; elif test -f /etc/kubernetes/admin.conf && kubectl --kubeconfig=/etc/kubernetes/admin.conf --request-timeout=20s -n kube-public get ConfigMap cluster-info -o json >/dev/null 2>&1; then echo cluster-info; fi',
      'ls /etc/kubernetes/manifests 2>/dev/null | sed "s/^/manifest /"',
      'awk "NR>1 && NF {print \\"swap\\"}" /proc/swaps 2>/dev/null',
      'echo "fwd $(cat /proc/sys/net/ipv4/ip_forward 2>/dev/null)"',
      'test -e /proc/sys/net/bridge/bridge-nf-call-iptables && echo bridge',
      ...RUNTIME_SOCKETS.map((s) => `test -S ${s} && echo runtime`),
      'true',
    ].join('; ')]);
    const lines = probe.stdout.split('\n');
    return {
      adminConf: lines.includes('admin'),
      kubeletConf: lines.includes('kubelet'),
      clusterInfo: lines.includes('no-kubectl') ? null : lines.includes('cluster-info'),
      manifests: lines.filter((l) => l.startsWith('manifest ')).map((l) => l.slice(9)),
      swapOn: lines.includes('swap'),
      ipForward: lines.find((l) => l.startsWith('fwd '))?.slice(4) ?? '',
      bridgeNf: lines.includes('bridge'),
      runtime: lines.includes('runtime'),
    };
  },
  plan(s, args, ctx): Change<KubeadmData>[] {
    switch (args.state) {
      case 'init': {
        // Without kubectl on the host only admin.conf tells, as before.
        if (s.adminConf && s.clusterInfo !== false) return [];
        const { msg, refused } = withPreflight(initMessage(args, s.adminConf), 'init', preflightProblems(s, args));
        return [{ msg, data: { init: true, resume: s.adminConf, refused } }];
      }
      case 'join': {
        if (s.kubeletConf) return [];
        const problems = preflightProblems(s, args);
        // The join command registered on `from` exists only once that host has run (not in check mode, where the
        // task registers no command): until then the endpoint is unknown and only running tells.
        const registered = ctx.hostvars[args.from ?? '']?.[args.from_var] as { stdout?: string; join_command?: string } | undefined;
        if (args.from && !(registered?.join_command ?? registered?.stdout)) {
          const { msg, refused } = withPreflight(`kubeadm join with the join command registered on ${args.from} (${args.from_var})`, 'join', problems);
          return [{ msg, data: { join: true, refused }, uncertain: true }];
        }
        const { msg, refused } = withPreflight(`kubeadm join ${joinParts(args, ctx.hostvars).endpoint} --token <redacted>`, 'join', problems);
        return [{ msg, data: { join: true, refused } }];
      }
      case 'join_command':
        // No control plane yet (check mode: the init before did not run): said in the plan, refused by apply.
        if (!s.adminConf) return [{ msg: 'create a bootstrap token and print the join command, once kubeadm init made a control plane here (no /etc/kubernetes/admin.conf yet)', data: { token: true, refused: 'join_command needs an initialised control plane on this host (no /etc/kubernetes/admin.conf)' } }];
        return [{ msg: 'create a bootstrap token and print the join command', data: { token: true } }];
      case 'reset':
        return s.adminConf || s.kubeletConf || s.manifests.length > 0 ? [{ msg: 'kubeadm reset -f', data: { reset: true } }] : [];
    }
  },
  async apply(host, args, changes, _s, ctx) {
    const d = changes[0].data;
    if (d.refused) throw new ModuleError(d.refused, { untouched: true });
    const ignore = args.ignore_preflight_errors?.length ? [`--ignore-preflight-errors=${args.ignore_preflight_errors.join(',')}`] : [];
    if (d.init) {
      const skip = skippedPhases(args, d.resume === true);
      const skipFlag = skip.length ? [`--skip-phases=${skip.join(',')}`] : [];
      const argv = args.config ? ['init', `--config=${args.config}`, ...skipFlag, ...ignore] : [
        'init',
        ...(args.pod_network_cidr ? [`--pod-network-cidr=${args.pod_network_cidr}`] : []),
        ...(args.apiserver_advertise_address ? [`--apiserver-advertise-address=${args.apiserver_advertise_address}`] : []),
        ...(args.control_plane_endpoint ? [`--control-plane-endpoint=${args.control_plane_endpoint}`] : []),
        ...skipFlag,
        ...(args.kubernetes_version ? [`--kubernetes-version=${args.kubernetes_version}`] : []),
        ...ignore,
      ];
      const out = await kubeadm(host, argv);
      const join = /kubeadm join[\s\S]*?sha256:[0-9a-f]{64}/.exec(out)?.[0]?.replace(/\\\s*\n\s*/g, ' ');
      return { result: { join_command: join }, secrets: join ? [parseJoinCommand(join).token] : [] };
    }
    if (d.join) {
      const p = joinParts(args, ctx.hostvars);
      await kubeadm(host, ['join', p.endpoint, '--token', p.token, '--discovery-token-ca-cert-hash', p.hash, ...ignore]);
      return;
    }
    if (d.token) {
      const out = (await kubeadm(host, ['token', 'create', '--print-join-command'])).trim();
      return { result: { join_command: out }, secrets: [parseJoinCommand(out).token] };
    }
    if (d.reset) await kubeadm(host, ['reset', '-f']);
  },
  async revert(host, { args, changes }) {
    if (args.state === 'join_command' || args.state === 'reset' || changes.some((c) => c.data.refused)) return;
    if (!args.allow_reset) throw new ModuleError(`kubeadm ${args.state} is not undone: rollback would need "kubeadm reset -f"; set allow_reset: true to allow it`);
    await kubeadm(host, ['reset', '-f']);
  },
});
