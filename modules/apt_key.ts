// apt_key: Ansible's module of that name — an OpenPGP key added to (or removed from) apt's keyrings with apt-key,
// decided from apt-key's own listing as Ansible decides; keyservers are refused (runbook's hosts reach none).

import { ModuleError } from '../engine/errors.js';
import { defineModule, type Host } from '../engine/types.js';
import { readFileState, restoreFile, type FileState } from './lib/file-state.js';
import { absolutePath, oneLine } from './lib/arg-kinds.js';
import { listedKeyIds, parseKeyId } from './lib/apt-key-ids.js';
import { fetchKey, primaryKeyIds } from './lib/repo-key.js';
import { URL_PATTERN } from './lib/download.js';
import { mustRun } from './lib/must-run.js';

interface AptKeyArgs {
  id?: string;
  url?: string;
  data?: string;
  file?: string;
  keyring?: string;
  keyserver?: string;
  validate_certs: boolean;
  state: 'present' | 'absent';
}

interface AptKeyState {
  /** The key id: the id argument, else the first key of data, file or url (as gpg lists it). */
  id: string;
  /** Key ids apt-key lists for the keyring (8 digits when id is). */
  listed: string[];
  present: boolean;
  /** The key fetched from url when no id was given (base64), so apply adds what was inspected. */
  fetched?: string;
  /** Every keyring file apt-key may rewrite, as it was: what rollback puts back. */
  keyrings: FileState[];
}

const TRUSTED = '/etc/apt/trusted.gpg';
const TRUSTED_PARTS = '/etc/apt/trusted.gpg.d';
const ENV = { LC_ALL: 'C' };
const keyringArgs = (args: AptKeyArgs) => (args.keyring ? ['--keyring', args.keyring] : []);

/** apt-key rewrites the keyring it is given (keeping a "~" copy); without one, trusted.gpg and any keyring in trusted.gpg.d. */
async function keyringFiles(host: Host, args: AptKeyArgs): Promise<FileState[]> {
  let paths = args.keyring ? [args.keyring] : [TRUSTED];
  if (!args.keyring) {
    const parts = await host.run(['find', TRUSTED_PARTS, '-mindepth', '1', '-maxdepth', '1', '-type', 'f', '!', '-name', '*~']);
    paths = [...paths, ...(parts.code === 0 ? parts.stdout.split('\n').filter(Boolean).sort() : [])];
  }
  return Promise.all(paths.flatMap((p) => [p, `${p}~`]).map((p) => readFileState(host, p)));
}

/** apt-key's listing; a keyring file that does not exist yet lists nothing (apt-key would create it empty first). */
async function listKeys(host: Host, args: AptKeyArgs, short: boolean, keyringExists = true): Promise<string[]> {
  if (!keyringExists) return [];
  const res = await mustRun(host, ['apt-key', ...keyringArgs(args), 'adv', '--list-public-keys', '--keyid-format=long'], 'Unable to list public keys: apt-key adv --list-public-keys', { env: ENV });
  return listedKeyIds(res.stdout, short);
}

/** The key data the task names (data, the file on the host, or url fetched by the controller), for its id. */
async function keyData(host: Host, args: AptKeyArgs): Promise<{ data: Buffer; from: string; fetched?: Buffer } | undefined> {
  if (args.url) {
    const fetched = await fetchKey(args.url, 'url');
    return { data: fetched, from: args.url, fetched };
  }
  if (args.file) {
    const data = await host.readFile(args.file);
    if (data === null) throw new ModuleError(`Unable to extract key from '${args.file}': no such file on the host`);
    return { data, from: args.file };
  }
  return args.data !== undefined ? { data: Buffer.from(args.data), from: 'inline data' } : undefined;
}

async function keyId(host: Host, args: AptKeyArgs): Promise<{ id: string; fetched?: Buffer }> {
  if (args.id) return { id: args.id };
  const key = await keyData(host, args);
  if (!key) throw new ModuleError('apt_key needs id, data, file or url');
  const ids = await primaryKeyIds(key.data).catch((e: Error) => { throw new ModuleError(`Unable to extract key from '${key.from}': ${e.message}`); });
  if (ids.length === 0) throw new ModuleError(`Unable to extract key from '${key.from}': no public key in it`);
  return { id: ids[0], fetched: key.fetched };
}

function isListed(state: Pick<AptKeyState, 'id' | 'listed'>): boolean {
  const forms = parseKeyId(state.id);
  return state.listed.includes(forms.full.length === 8 ? forms.short : forms.fingerprint);
}

/** Adds the key with apt-key: the host's file, the inspected download, data, or url fetched now (id given). */
async function addKey(host: Host, args: AptKeyArgs, s: AptKeyState): Promise<void> {
  const add = ['apt-key', ...keyringArgs(args), 'add'];
  if (args.file) return void await mustRun(host, [...add, args.file], `Unable to add a key from file ${args.file}`, { env: ENV });
  if (args.keyserver) throw new ModuleError(`key ${s.id} is not in ${args.keyring ?? TRUSTED} and would come from keyserver ${args.keyserver}, which runbook does not reach: give the key itself with data, file or url instead`);
  const data = s.fetched !== undefined ? Buffer.from(s.fetched, 'base64') : args.data !== undefined ? Buffer.from(args.data) : args.url ? await fetchKey(args.url, 'url') : undefined;
  if (data === undefined) throw new ModuleError(`key ${s.id} is not in ${args.keyring ?? TRUSTED} and the task gives no data, file, url or keyserver to add it from`);
  await mustRun(host, [...add, '-'], 'Unable to add a key from binary data', { env: ENV, stdin: data });
}

export default defineModule<AptKeyArgs, AptKeyState>({
  name: 'apt_key',
  doc: "Ansible's apt_key: add an OpenPGP key to apt's keyring with apt-key (/etc/apt/trusted.gpg, or keyring) unless apt-key already lists its id, or remove it (state absent). The id is the id argument or the first key of data, file (on the host) or url (fetched by the controller). A key that would come from a keyserver is refused (runbook's hosts reach no keyserver). apt-key is deprecated: prefer a keyring file in /etc/apt/keyrings named by signed-by (package_repository, or get_url and apt_repository).",
  schema: {
    type: 'object',
    additionalProperties: false,
    allOf: [
      { not: { required: ['data', 'file'] } }, { not: { required: ['data', 'url'] } }, { not: { required: ['data', 'keyserver'] } },
      { not: { required: ['file', 'url'] } }, { not: { required: ['file', 'keyserver'] } }, { not: { required: ['url', 'keyserver'] } },
      { if: { required: ['keyserver'] }, then: { required: ['id'] } },
    ],
    anyOf: [{ required: ['id'] }, { required: ['data'] }, { required: ['file'] }, { required: ['url'] }],
    properties: {
      id: { type: 'string', title: 'key id (8, 16 or more hexadecimal digits, optionally after 0x)', pattern: '^(0[xX])?([0-9A-Fa-f]{8}|[0-9A-Fa-f]{16,})$', description: 'The key id or fingerprint (use the full 40-digit fingerprint). With it a present key is not fetched again and check mode knows the answer; required to remove by id.' },
      url: { type: 'string', title: 'http(s) URL without credentials', pattern: URL_PATTERN, description: 'Where the key is downloaded from, by the controller.' },
      data: { type: 'string', description: 'The key itself (ASCII armoured).' },
      file: { ...absolutePath, description: 'A key file on the host.' },
      keyring: { ...absolutePath, description: 'The keyring file to add to or remove from (in /etc/apt/trusted.gpg.d/); default /etc/apt/trusted.gpg.' },
      keyserver: { ...oneLine, description: 'Accepted for Ansible playbooks: a key that is already there is ok; one that would have to come from the keyserver fails the task (no keyserver is reached).' },
      validate_certs: { type: 'boolean', default: true, description: 'Accepted for Ansible playbooks; the controller always checks https certificates.' },
      state: { enum: ['present', 'absent'], default: 'present', description: 'present adds the key unless apt-key lists it; absent removes it.' },
    },
  },
  examples: [
    { name: 'Docker\'s key, fetched once (id given)', args: { id: '9DC858229FC7DD38854AE2D88D81803C0EBFCD88', url: 'https://download.docker.com/linux/debian/gpg', keyring: '/etc/apt/trusted.gpg.d/docker.gpg' } },
    { name: 'Remove an old key', args: { id: '0x9FED2BCBDCD29CDF762678CBAED4B06F473041FA', state: 'absent' } },
  ],
  reversible: true,
  async inspect(host, args) {
    const tool = await host.run(['sh', '-c', 'command -v apt-key']);
    if (tool.code !== 0) throw new ModuleError('Failed to find required executable "apt-key" on the host (Debian 13 and Ubuntu 24.04 no longer ship it): put the key in a keyring file (get_url or copy into /etc/apt/keyrings) and name it with signed-by in the source');
    const keyrings = await keyringFiles(host, args);
    const { id, fetched } = await keyId(host, args);
    const forms = parseKeyId(id);
    // Ansible's listing creates a missing keyring (empty); runbook does not, so check mode writes nothing.
    const listed = await listKeys(host, args, forms.full.length === 8, !args.keyring || keyrings[0].exists);
    return { id, listed, present: isListed({ id, listed }), keyrings, ...(fetched ? { fetched: fetched.toString('base64') } : {}) };
  },
  plan(s, args) {
    const where = args.keyring ?? TRUSTED;
    if (args.state === 'present') return s.present ? [] : [{ msg: `add key ${s.id} to ${where}` }];
    return s.present ? [{ msg: `remove key ${s.id} from ${where}` }] : [];
  },
  report(s) {
    const forms = parseKeyId(s.id);
    return { result: { id: s.id, short_id: forms.short, fp: forms.fingerprint, key_id: forms.full, before: s.listed } };
  },
  async apply(host, args, _changes, s) {
    const forms = parseKeyId(s.id);
    if (args.state === 'present') await addKey(host, args, s);
    else await mustRun(host, ['apt-key', ...keyringArgs(args), 'del', forms.short], `Unable to remove a key with id ${forms.short}`, { env: ENV });
    const after = await listKeys(host, args, forms.full.length === 8);
    if (isListed({ id: s.id, listed: after }) !== (args.state === 'present')) {
      throw new ModuleError(`apt-key did not return an error, but ${args.state === 'present' ? 'failed to add the key' : 'the key was not removed'} (check that the id is correct and *not* a subkey)`);
    }
    return { result: { after } };
  },
  async revert(host, { before }) {
    for (const f of before.keyrings) await restoreFile(host, f);
  },
});
