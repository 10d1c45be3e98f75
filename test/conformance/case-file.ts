// A conformance case: an Ansible playbook, its runbook twin and what must match, read from cases/<id>.yml.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** What one tool must do when the two differ on purpose (docs/ansible-differences.md). */
export interface ToolExpectation {
  /** Exit code class: 0, or non-zero. */
  exit?: 'zero' | 'nonzero' | number;
  /** A regular expression the tool's output (stdout + stderr) must match. */
  output?: string;
  /** Exact contents of files on h1 after the run (path -> content). */
  files?: Record<string, string>;
}

export interface ConformanceCase {
  id: string;
  file: string;
  description: string;
  /** Lab hosts the case uses, named h1..hN in both inventories (default 1). */
  hosts: number;
  /** Ansible-shaped YAML inventory shared by both tools; h1..hN are added under all.hosts with their addresses. */
  inventory: Record<string, any>;
  /** Extra command-line arguments given to both tools (-e, --tags, --skip-tags, --check, -l). */
  args: string[];
  /** Arguments for one tool only (e.g. runbook's --no-rollback where a case compares a failed host's state). */
  ansibleArgs: string[];
  runbookArgs: string[];
  /** Run each tool this many times (2: the second run's statuses are compared too, an idempotence check). */
  runs: number;
  /** A shell script run as root on every host of both sides before the run (to drift a host). */
  setup?: string;
  /** Paths whose state (type, mode, owner, content) must be the same on both sides; /tmp/conf/<id> always is. */
  compare: string[];
  /** Compare the order of steps recorded as "<ns> <label>" lines in /tmp/conf/<id>/order.log. */
  order: boolean;
  /**
   * For strategy free: the waiter host's task loops until /tmp/conf/<id>/gate exists; the harness creates it there
   * once the opener host has logged `label` in its order.log (or after `seconds`, 120 by default: a loaded machine
   * can take half a minute to start Ansible). Free lets the opener get there;
   * linear does not, whatever the machine's load.
   */
  gate?: { waiter: string; opener: string; label: string; seconds: number };
  /** Files written beside both playbooks (vars files, imported task files, inventory group_vars ...). */
  files: Record<string, string>;
  ansibleFiles: Record<string, string>;
  runbookFiles: Record<string, string>;
  ansible: string;
  runbook: string;
  /** A deliberate difference: each side is checked against its own expectation instead of against the other. */
  deliberate?: { reason: string; ansible: ToolExpectation; runbook: ToolExpectation };
}

const KEYS = new Set(['description', 'hosts', 'inventory', 'args', 'ansible_args', 'runbook_args', 'runs', 'gate', 'setup', 'compare', 'order', 'files', 'ansible_files', 'runbook_files', 'ansible', 'runbook', 'deliberate']);

export function readCase(file: string): ConformanceCase {
  const id = path.basename(file, '.yml');
  const raw = parse(readFileSync(file, 'utf8')) as Record<string, any>;
  for (const k of Object.keys(raw)) if (!KEYS.has(k)) throw new Error(`${file}: unknown key '${k}' (expected one of ${[...KEYS].join(', ')})`);
  for (const k of ['description', 'ansible', 'runbook']) if (typeof raw[k] !== 'string') throw new Error(`${file}: '${k}' is required (a string)`);
  if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`${file}: a case id is lowercase words joined by '-'`);
  return {
    id,
    file,
    description: raw.description,
    hosts: raw.hosts ?? 1,
    inventory: raw.inventory ?? {},
    args: (raw.args ?? []).map(String),
    ansibleArgs: (raw.ansible_args ?? []).map(String),
    runbookArgs: (raw.runbook_args ?? []).map(String),
    runs: raw.runs ?? 1,
    setup: raw.setup,
    compare: raw.compare ?? [],
    order: raw.order ?? false,
    files: raw.files ?? {},
    ansibleFiles: raw.ansible_files ?? {},
    runbookFiles: raw.runbook_files ?? {},
    ansible: raw.ansible,
    // `runbook: same` when the twin is word for word the Ansible playbook (no Jinja filters, only {{ name }}).
    runbook: raw.runbook.trim() === 'same' ? raw.ansible : raw.runbook,
    deliberate: raw.deliberate,
    gate: raw.gate ? { seconds: 120, ...raw.gate } : undefined,
  };
}

export function readCases(dir: string): ConformanceCase[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yml')).sort().map((f) => readCase(path.join(dir, f)));
}
