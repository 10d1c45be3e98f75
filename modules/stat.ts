// stat: read-only facts about a path (exists, type, mode, owner, group, size, mtime, link target, sha256 on request),
// registered under `stat` with Ansible's field names too. Changes nothing; runs in check mode.

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Host } from '../engine/types.js';

interface StatArgs { path: string; follow: boolean; get_checksum: boolean }

/** What stat found: `{exists: false}` or the path's attributes. */
export type PathStat = { exists: false; path: string } | {
  exists: true; path: string; type: 'file' | 'directory' | 'link' | 'other'; mode: string; owner: string; group: string;
  uid: number; gid: number; size: number; mtime: number; link_target?: string; checksum?: string;
};

const TYPES: Record<string, 'file' | 'directory' | 'link'> = { 'regular file': 'file', 'regular empty file': 'file', directory: 'directory', 'symbolic link': 'link' };

async function output(host: Host, argv: string[]): Promise<string> {
  const res = await host.run(argv);
  if (res.code !== 0) throw new ModuleError(`${argv.join(' ')} failed (exit ${res.code}): ${res.stderr.trim()}`);
  return res.stdout;
}

export async function statPath(host: Host, args: StatArgs): Promise<PathStat> {
  const probe = await host.run(['stat', ...(args.follow ? ['-L'] : []), '-c', '%F|%a|%U|%G|%u|%g|%s|%Y', '--', args.path]);
  if (probe.code !== 0) {
    if (/No such file or directory|Not a directory/.test(probe.stderr)) return { exists: false, path: args.path };
    throw new ModuleError(`stat ${args.path} failed (exit ${probe.code}): ${probe.stderr.trim()}`);
  }
  const [kind, mode, owner, group, uid, gid, size, mtime] = probe.stdout.trim().split('|');
  const type = TYPES[kind] ?? 'other';
  const found: PathStat = {
    exists: true, path: args.path, type, mode: mode.padStart(4, '0'), owner, group,
    uid: Number(uid), gid: Number(gid), size: Number(size), mtime: Number(mtime),
  };
  if (type === 'link') found.link_target = (await output(host, ['readlink', '--', args.path])).replace(/\n$/, '');
  if (args.get_checksum && type === 'file') found.checksum = (await output(host, ['sha256sum', '--', args.path])).split(' ')[0];
  return found;
}

/** The registered `stat`: runbook's names plus Ansible's (isdir, isreg, islnk, pw_name, gr_name, lnk_target). */
function registered(s: PathStat): Record<string, unknown> {
  if (!s.exists) return s;
  return {
    ...s, isdir: s.type === 'directory', isreg: s.type === 'file', islnk: s.type === 'link', pw_name: s.owner, gr_name: s.group,
    ...(s.link_target !== undefined ? { lnk_target: s.link_target } : {}),
  };
}

export default defineModule<StatArgs, PathStat>({
  name: 'stat',
  doc: 'Read facts about a path and register them under `stat`: exists, type (file, directory, link, other), mode ("0644"), owner, group, uid, gid, size, mtime (seconds), link_target, and the sha256 checksum on request; Ansible\'s names (isdir, isreg, islnk, pw_name, gr_name, lnk_target) too. Read-only: changes nothing, runs in check mode.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', targetPath: true, description: 'The path on the host (`~/...`: in the login user\'s home).' },
      follow: { type: 'boolean', default: false, description: 'Describe what a symlink points to instead of the link itself.' },
      get_checksum: { type: 'boolean', default: false, description: 'Also compute the sha256 checksum of a regular file (reads the whole file).' },
    },
  },
  examples: [
    { name: 'Is kubeadm initialised?', args: { path: '/etc/kubernetes/admin.conf' } },
    { name: 'Checksum of a config', args: { path: '/etc/ssh/sshd_config', get_checksum: true } },
  ],
  reversible: true,
  inspect: (host, args) => statPath(host, args),
  plan() {
    return [];
  },
  report(current) {
    const what = current.exists ? `${current.path}: ${current.type} ${current.mode} ${current.owner}:${current.group}, ${current.size} bytes` : `${current.path} does not exist`;
    return { msg: what, result: { stat: registered(current) } };
  },
  async apply() {
    return { changed: false };
  },
});
