// The argument schema of package and of its Ansible-named twins (apt, yum, dnf): one set of properties, each twin
// taking the ones its Ansible module has under the same name and meaning.

import { packageName, simpleName } from './arg-kinds.js';

const PROPERTIES: Record<string, Record<string, unknown>> = {
  name: { anyOf: [packageName, { type: 'array', items: packageName, minItems: 1 }], description: 'A package or a list; with a version pin: apt name=version (globs allowed), yum name-version*. Not needed for update_cache or autoremove alone.' },
  state: { enum: ['present', 'absent', 'latest'], default: 'present', description: 'present: installed (at the pinned version); absent: removed; latest: the newest available.' },
  update_cache: { type: 'boolean', default: false, description: 'Refresh the package lists first (apt-get update / makecache); alone (no name) it only refreshes.' },
  use: { enum: ['auto', 'apt', 'dnf', 'yum'], default: 'auto', description: 'The package manager; auto picks it from facts.' },
  install_recommends: { type: 'boolean', default: true, description: 'apt: also install recommended packages.' },
  purge: { type: 'boolean', default: false, description: 'apt: with state: absent (and autoremove), remove configuration files too, also of packages already removed that kept them.' },
  default_release: { ...simpleName, description: 'apt: the release to install from and to take `latest` from (apt-get -t), e.g. bookworm-backports.' },
  autoremove: { type: 'boolean', default: false, description: 'Remove packages installed as dependencies that nothing needs any more (planned from apt-get -s autoremove); alone (no name) it only does that.' },
  cache_valid_time: { type: 'integer', minimum: 0, description: 'apt: refresh the lists only when older than this many seconds (the mtime of /var/lib/apt/periodic/update-success-stamp, else of /var/lib/apt/lists, as Ansible reads it); implies update_cache.' },
  only_upgrade: { type: 'boolean', default: false, description: 'Only upgrade (or re-pin) packages already installed; never install one.' },
};

/** A name is needed unless the task only refreshes the lists or autoremoves. */
const NEEDS_NAME = { if: { properties: { update_cache: { const: false }, autoremove: { const: false } }, not: { required: ['cache_valid_time'] } }, then: { required: ['name'] } };

/** The schema over the given properties (all of package's by default), `renamed` mapping a twin's word to package's. */
export function packageArgsSchema(keys: string[] = Object.keys(PROPERTIES), extra: Record<string, Record<string, unknown>> = {}): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const k of keys) properties[k] = PROPERTIES[k];
  return {
    type: 'object',
    additionalProperties: false,
    properties: { ...properties, ...extra },
    allOf: [NEEDS_NAME, { if: { properties: { only_upgrade: { const: true } }, required: ['only_upgrade'] }, then: { properties: { state: { enum: ['present', 'latest'] } } } }],
  };
}
