// The contracts every stage and every module share: connections, the host handle, modules, results.

/** Options for one remote (or local) command. argv is never joined by callers: quoting is the connection's job. */
export interface ExecOptions {
  /** Working directory for the command. */
  cwd?: string;
  /** Extra environment variables (values are quoted by the connection). */
  env?: Record<string, string>;
  /** Data written to the command's stdin, then stdin is closed. */
  stdin?: string | Buffer;
  /** Kill the command and fail after this many milliseconds (default: the connection's command timeout). */
  timeoutMs?: number;
  /**
   * The sudo password for `sudo -A`: the connection hands it out only through a SUDO_ASKPASS helper, so it reaches
   * sudo's prompt when sudo asks and never the command's stdin.
   */
  askpass?: string;
  /**
   * Hand stdout back as raw bytes (`stdoutBytes`; `stdout` is then empty): binary data without a base64 round, and
   * no large string on the JS heap (chunked downloads).
   */
  binaryStdout?: boolean;
}

/** What a finished command left behind. A non-zero exit is a result, not an exception. */
export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** stdout as bytes, only when the command asked for `binaryStdout`. */
  stdoutBytes?: Buffer;
}

export interface WriteFileOptions {
  /** Octal permission bits, e.g. 0o644. Kept from the existing file when omitted. */
  mode?: number;
  owner?: string;
  group?: string;
}

export interface FileStat {
  type: 'file' | 'directory' | 'link' | 'other';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  owner?: string;
  group?: string;
  /** Link target when type is 'link'. */
  target?: string;
}

/**
 * A transport to one machine. One instance per host per run, opened once, closed at the end.
 * Implementations: engine/connection/local.ts and engine/connection/ssh.ts.
 */
export interface Connection {
  readonly kind: 'local' | 'ssh';
  /** ssh: the fingerprint of the host key verified at connect (the journal records it; rollback compares). */
  readonly hostKey?: string;
  connect(): Promise<void>;
  /** Run argv (no shell unless argv asks for one). Throws ConnectionError only when the transport fails. */
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** File contents, or null when the file does not exist. */
  readFile(path: string): Promise<Buffer | null>;
  /** Atomic write: temp file in the same directory, fsync, rename. Mode/owner as asked or kept. */
  writeFile(path: string, data: string | Buffer, opts?: WriteFileOptions): Promise<void>;
  /** lstat of path, or null when it does not exist. */
  stat(path: string): Promise<FileStat | null>;
  close(): Promise<void>;
}

/** Facts gathered once per host in one round trip; exposed to templates as `facts.*`. */
export interface Facts {
  os_id: string;
  os_family: string;
  os_version: string;
  os_codename: string;
  os_pretty_name: string;
  /** Ansible's own spellings (ansible_distribution "Debian", "Ubuntu", "CentOS"; version "12.11" on Debian 12). */
  distribution: string;
  distribution_version: string;
  distribution_major_version: string;
  distribution_minor_version: string;
  /** uname -s: "Linux" (Ansible's ansible_system). */
  system: string;
  kernel: string;
  arch: string;
  cpus: number;
  memory_mb: number;
  hostname: string;
  fqdn: string;
  ipv4: string[];
  default_ipv4: string;
  block_devices: Array<{ name: string; size_bytes: number; type: string }>;
  pkg_mgr: 'apt' | 'dnf' | 'yum' | 'unknown';
  init_system: 'systemd' | 'sysvinit' | 'openrc' | 'unknown';
  swap_total_mb: number;
  /** Ansible's shapes (docs/dsl.md, Facts): ansible_default_ipv4 (address, interface, gateway, netmask, ...; {} without a route). */
  default_ipv4_route: Record<string, string | number>;
  lsb: Record<string, string>;
  user_id: string;
  user_uid: number;
  user_gid: number;
  user_dir: string;
  user_shell: string;
  env: Record<string, string>;
  nodename: string;
  interfaces: string[];
  processor_count: number;
  processor_cores: number;
  memfree_mb: number;
  date_time: Record<string, string>;
  selinux: Record<string, string>;
  apparmor: Record<string, string>;
  [key: string]: unknown;
}

export interface RunOptions extends ExecOptions {
  /** Override the task's become for this one command. */
  become?: boolean;
}

/**
 * The only way a module touches a machine. Given to inspect/apply/revert; commands run with the
 * task's privileges (become/become_user) unless a call overrides it.
 */
export interface Host {
  readonly name: string;
  readonly facts: Facts;
  /** The host's fully merged variables (read-only view). */
  readonly vars: Readonly<Record<string, unknown>>;
  run(argv: string[], opts?: RunOptions): Promise<ExecResult>;
  readFile(path: string): Promise<Buffer | null>;
  writeFile(path: string, data: string | Buffer, opts?: WriteFileOptions): Promise<void>;
  stat(path: string): Promise<FileStat | null>;
}

/** A unified or free-text diff shown with --diff; `before`/`after` are whole texts. */
export interface Diff {
  path?: string;
  before: string;
  after: string;
}

/** What every change has, whatever its module. */
export interface ChangeBase {
  /** Human words: "set net.ipv4.ip_forward to 1 (was 0)". */
  msg: string;
  diff?: Diff;
  /**
   * The outcome cannot be known without doing it (a command without creates/removes): check mode
   * reports such a task as skipped ("would run"), not as drift.
   */
  uncertain?: boolean;
  /**
   * This change cannot be undone even though the module can revert others (e.g. a directory too large to keep):
   * plans and check mode show it as irreversible before it happens, and rollback reports it so.
   */
  irreversible?: boolean;
  /**
   * Before apply, the engine copies this target path (a large file, or a directory as a tar.gz) into the run's
   * kept/ folder on the controller, streamed in bounded chunks, never into the journal; revert finds the copy in
   * `record.kept[path]`.
   */
  keep?: KeepTarget;
  /**
   * The change's args or before-state hold secret data the run's variables do not name (a Kubernetes Secret's live
   * data): the journal entry is sealed into its 0600 side file, as a no_log task's is, never kept in the journal.
   */
  sensitive?: boolean;
}

/** What a change asks the engine to keep for rollback (see ChangeBase.keep). */
export interface KeepTarget {
  path: string;
  kind: 'file' | 'directory';
}

/**
 * One change a module would make. A plan is a list of them; an empty list means "already so". `data` is the
 * module-private detail apply needs (kept in the journal), typed by the module (D); required unless D allows undefined.
 */
export type Change<D = unknown> = ChangeBase & (undefined extends D ? { data?: D } : { data: D });

/** What apply hands back: values for `register` and, optionally, extra state revert needs. */
export interface ApplyResult {
  /** Merged into the registered result (e.g. rc, stdout, stderr for command). */
  result?: Record<string, unknown>;
  /** Extra state for revert, beyond the inspected `before` (e.g. which packages were really installed). */
  undo?: unknown;
  /** false when carrying out the plan turned out to change nothing (e.g. apt-get update fetched no new lists). */
  changed?: boolean;
  /** Values produced by apply that must never be shown (tokens, keys): masked in every output from now on. */
  secrets?: string[];
}

/** The level a module's variables go to (docs/dsl.md "Variables and precedence"). */
export type VariableLevel = 'set_fact' | 'include_vars';

/**
 * What a module reports beside its plan, decided from the inspected state and the args (pure, so it holds in check
 * mode too): debug's message, set_fact's variables. The engine merges `result` into the registered result, shows
 * `msg`, and puts `variables` into the host's variables at `level` once the task succeeded.
 */
export interface ModuleReport {
  /** The task's message when the plan is empty (instead of "already in the desired state"). */
  msg?: string;
  /** Data for the operator (debug): shown in human output at default verbosity, carried by the JSON event. */
  data?: unknown;
  /** Merged into the registered result. */
  result?: Record<string, unknown>;
  /** Variables set for this host, visible to later tasks, `hostvars` and other hosts' `hostvar`. */
  variables?: { level: VariableLevel; values: Record<string, unknown> };
}

/** What the journal keeps for one applied change; revert receives it. */
export interface JournalRecord<A = any, S = any, D = any> {
  args: A;
  before: S;
  changes: Change<D>[];
  undo?: unknown;
  /** Target path → controller file holding what the engine kept before apply (ChangeBase.keep). */
  kept?: Record<string, string>;
}

/** Context passed to every module function: who runs it and where. */
export interface ModuleContext {
  /** The task's name (for messages). */
  task: string;
  /** Every host's vars, for modules that look across the fleet (heketi_topology, gluster_peer). */
  hostvars: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Group name → host names. */
  groups: Readonly<Record<string, string[]>>;
  /** Directory of the playbook file (relative `src` paths resolve from here). */
  playbookDir: string;
  /**
   * A controller-side path given in arg `arg` (e.g. copy's `src`), resolved from playbookDir. When the task built it
   * from a template, it must resolve (symlinks followed) inside the project, or this throws a ModuleError.
   */
  controllerPath(arg: string, value: string): Promise<string>;
  /** The task's full template context (host vars, facts, registered results, loop item). */
  vars: Readonly<Record<string, unknown>>;
  /** Render a Handlebars template with the task's context (noEscape, strict); `file` names it in errors. */
  render(template: string, file?: string): string;
}

/** An example shown in generated docs and validated by the contract test. */
export interface ModuleExample {
  name: string;
  args: Record<string, unknown>;
}

/**
 * A module: one file exporting one definition. inspect only reads; plan is pure; apply changes;
 * revert puts back what apply changed. Check mode is inspect + plan.
 */
export interface ModuleDefinition<A = any, S = any, D = any> {
  name: string;
  /** One or two sentences for `runbook modules` and docs/modules.md. */
  doc: string;
  /** JSON Schema of the args: the single source of argument rules and generated docs. */
  schema: Record<string, unknown>;
  examples: ModuleExample[];
  /** False when revert is impossible (e.g. command); the engine reports such changes as irreversible. */
  reversible: boolean;
  /**
   * Reads what a change leaves on the target (e.g. the file at `dest`), nothing else. The engine fingerprints it right
   * after apply and again before revert: a difference means the target changed since, and rollback reports a
   * conflict instead of overwriting that later change. Modules without it are reverted without this check.
   */
  readTarget?(host: Host, args: A): Promise<unknown>;
  /**
   * Args may be a bare string in YAML (`command: ls -l`); this names the property it fills.
   */
  freeForm?: string;
  /**
   * Ansible's key=value words a free-form string may carry (`creates=/x chdir=/tmp`): taken out of the string and
   * given as arguments (engine/load/free-form.ts). Keys the schema lacks are then refused as unknown arguments.
   */
  freeFormKeys?: string[];
  /**
   * Args that are command lines: their {{templates}} render quoted for the shell context where they sit
   * ({{{x}}} for raw; docs/dsl.md), so a value from a variable can never inject shell syntax.
   */
  shellArgs?: string[];
  /** Names of the variables this task will set, known before the run (pre-flight); `dir` is the playbook's folder. */
  declaredVariables?(args: A, dir: string): string[];
  /**
   * Controller files (relative to the playbook's folder) the task renders with its variables (template's src, a
   * kubectl *.hbs manifest): pre-flight checks the variables they use before anything runs.
   */
  renders?(args: A): string[];
  /**
   * Args that are command lines split into argv by quotes and backslashes only (command's `cmd`): each
   * {{template}} is quoted for its quote context, so a value is always part of exactly one argv element.
   */
  wordArgs?: string[];
  inspect(host: Host, args: A, ctx: ModuleContext): Promise<S>;
  plan(current: S, args: A, ctx: ModuleContext): Change<D>[];
  /** Messages, data and variables the module reports (see ModuleReport); pure like plan. */
  report?(current: S, args: A, ctx: ModuleContext): ModuleReport;
  apply(host: Host, args: A, changes: Change<D>[], current: S, ctx: ModuleContext): Promise<ApplyResult | void>;
  revert?(host: Host, record: JournalRecord<A, S, D>, ctx: ModuleContext): Promise<void>;
}

/** Identity helper so module files get type inference without ceremony: args A, inspected state S, change data D. */
export function defineModule<A = any, S = any, D = any>(def: ModuleDefinition<A, S, D>): ModuleDefinition<A, S, D> {
  return def;
}

/** A pack: a named set of modules (the core is the pack named "core"). */
export interface ModulePack {
  name: string;
  modules: ModuleDefinition[];
}

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

/** Module lookup across packs: plain names, or `pack.module` when two packs clash. */
export interface ModuleRegistry {
  /** The module for a name as written in a task, or undefined when unknown. Throws on an ambiguous plain name. */
  resolve(name: string): ModuleDefinition | undefined;
  /** Every module with its pack and qualified name. */
  list(): Array<{ qualified: string; pack: string; module: ModuleDefinition }>;
}
