// The event stream: the one source every output format (human, json, junit, audit report) is built from.

import type { Diff, TaskStatus } from '../types.js';

export interface HostRecap {
  ok: number;
  changed: number;
  failed: number;
  skipped: number;
  unreachable: number;
  rolled_back: number;
  /** Failures under ignore_errors (also counted as ok, as Ansible does). */
  ignored: number;
  /** Rollback steps that failed: the host is not back where it was. */
  rollback_failed: number;
}

export type RunEvent =
  | { event: 'run_start'; run: string; playbook: string; check: boolean; hosts: string[]; started: string }
  /** position: the play's place in the playbook (1-based), the same in every slice of a run. */
  | { event: 'play_start'; play: string; position?: number; hosts: string[] }
  /**
   * A task starts on these hosts (once per task and step; per host with strategy: free). The task's name is `name`
   * (not `task`, so a search for a task's result by `task` finds the result).
   */
  | { event: 'task_start'; play: string; name: string; module: string; location: string; hosts: string[]; handler?: boolean }
  /** A host's connection is open: how it was reached (shown with -vvv). */
  | { event: 'connection'; host: string; msg: string; duration_ms: number }
  | {
      event: 'task';
      host: string;
      task: string;
      module: string;
      status: TaskStatus;
      msg: string;
      duration_ms: number;
      diff?: Diff[];
      /** Changes planned or made (human words), for --check reports. */
      changes?: string[];
      /** The change cannot be undone by rollback (e.g. command). */
      irreversible?: boolean;
      item?: unknown;
      location?: string;
      /** A failure that ignore_errors lets pass. */
      ignored?: boolean;
      /** What the module reports for the operator (debug): shown at default verbosity. */
      data?: unknown;
      /** The task's registered result (rc, stdout, stderr, ...); absent for no_log tasks. */
      result?: Record<string, unknown>;
      /** The command lines run on the host for this task, redacted (shown with -vv); absent for no_log tasks. */
      commands?: string[];
    }
  | { event: 'handler_pending'; host: string; handlers: string[]; msg: string }
  | { event: 'rollback'; host: string; steps: Array<{ task: string; module: string; status: 'reverted' | 'failed' | 'irreversible' | 'conflict'; msg?: string }> }
  | { event: 'warning'; host?: string; msg: string }
  | BatchEvent
  | { event: 'recap'; run: string; hosts: Record<string, HostRecap>; status: RunStatus; duration_ms: number;
      /** Hosts that failed or were unreachable, and the file listing them for `-l @file` retries. */
      failed_hosts?: string[]; retry_file?: string;
      /** Plays run in batches (serial, a gate or a failure threshold): what became of each batch. */
      batches?: BatchRecord[] };

/** One batch of a rolling play: its hosts, and whether it completed, was rolled back, or never started. */
export interface BatchRecord {
  play: string;
  /** 1-based. */
  batch: number;
  of: number;
  hosts: string[];
  status: 'completed' | 'rolled_back' | 'failed' | 'not_started';
  /** Why a batch failed (and was rolled back), or why it never started. */
  reason?: string;
}

export type BatchEvent = { event: 'batch' } & BatchRecord;

export type RunStatus = 'ok' | 'failed' | 'interrupted';

export type EventSink = (ev: RunEvent) => void;

export function emptyRecap(): HostRecap {
  return { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rolled_back: 0, ignored: 0, rollback_failed: 0 };
}
