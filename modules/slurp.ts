// slurp: a file on the host read whole and registered base64-encoded (content, encoding, source), as Ansible's slurp.
// Read-only: changes nothing, runs in check mode.

import { ModuleError } from '../engine/errors.js';
import { defineModule } from '../engine/types.js';

interface SlurpArgs { src: string }

interface SlurpState { source: string; content: string }

export default defineModule<SlurpArgs, SlurpState>({
  name: 'slurp',
  doc: 'Read a file on the host and register it base64-encoded, as Ansible\'s slurp: `content` (base64; decode it with the b64decode filter or helper), `encoding` (base64) and `source`. A missing file, a directory or an unreadable file fails with Ansible\'s words. Read-only: changes nothing, runs in check mode.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src'],
    properties: {
      src: { type: 'string', targetPath: true, description: 'The file on the host (Ansible\'s alias: path).' },
    },
  },
  examples: [
    { name: 'The join command kubeadm wrote', args: { src: '/etc/kubernetes/join-command' } },
  ],
  reversible: true,
  async inspect(host, args) {
    const found = await host.stat(args.src);
    if (!found) throw new ModuleError(`file not found: ${args.src}`);
    if (found.type === 'directory') throw new ModuleError(`source is a directory and must be a file: ${args.src}`);
    const probe = await host.run(['test', '-r', args.src]);
    if (probe.code !== 0) throw new ModuleError(`file is not readable: ${args.src}`);
    const data = await host.readFile(args.src);
    if (data === null) throw new ModuleError(`unable to slurp file: ${args.src}`);
    return { source: args.src, content: data.toString('base64') };
  },
  plan() {
    return [];
  },
  report(current) {
    return { msg: `${current.source}: ${Buffer.from(current.content, 'base64').length} bytes`, result: { content: current.content, encoding: 'base64', source: current.source } };
  },
  async apply() {
    return { changed: false };
  },
});
