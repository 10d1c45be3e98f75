// What heketi's container adds around the server, for the lab stand-in: the image's start script restores the
// database from the heketi-db-backup Secret mounted at /backupdb (extras/container/heketi-start.sh: heketi.db.gz
// gunzipped, else heketi.db copied, over the database, before heketi starts), and heketi with
// backup_db_to_kube_secret writes its database, gzipped, into that Secret after every change (pkg/kubernetes/backupdb.go).

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

/** The start script's restore: returns the line it logs, or undefined when /backupdb holds no database. */
export function restoreBackupDb(backupDir: string, dbFile: string): string | undefined {
  const gz = path.join(backupDir, 'heketi.db.gz');
  const plain = path.join(backupDir, 'heketi.db');
  let content: Buffer;
  if (existsSync(gz)) {
    try { content = gunzipSync(readFileSync(gz)); } catch { throw new Error('Unable to extract backup database'); }
  } else if (existsSync(plain)) {
    content = readFileSync(plain);
  } else {
    return undefined;
  }
  try { writeFileSync(dbFile, content); } catch { throw new Error('Unable to copy backup database'); }
  return `Copied backup db to ${dbFile}`;
}

/**
 * heketi's backup to a Kubernetes Secret, through the cluster's kubectl (the lab has no in-cluster API): one backup at
 * a time, always of the newest database; a failure is logged as heketi logs it and the server goes on.
 */
export function secretBackup(o: { namespace: string; secretName: string; kubeconfig: string; kubectl?: string; log: (line: string) => void }): (db: string) => void {
  let running = false;
  let pending: string | undefined;
  const run = (db: string) => {
    running = true;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'heketi-backup-'));
    const file = path.join(dir, 'secret.json');
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: o.secretName, namespace: o.namespace }, type: 'Opaque', data: { 'heketi.db.gz': gzipSync(db).toString('base64') } };
    writeFileSync(file, JSON.stringify(secret), { mode: 0o600 });
    // heketi creates the Secret and, when it exists, updates it whole (pkg/kubernetes/backupdb.go: Create, then Update on
    // AlreadyExists): its other keys go.
    const kubectl = (verb: string, done: (error: Error | null, stderr: string) => void) => execFile(o.kubectl ?? 'kubectl', ['--kubeconfig', o.kubeconfig, verb, '-f', file], { env: { ...process.env, RUNBOOK_LAB_IN_POD: '1' } }, (error, _stdout, stderr) => done(error, String(stderr)));
    const finish = (error: Error | null, stderr: string) => {
      rmSync(dir, { recursive: true, force: true });
      o.log(error ? `[kubernetes] ERROR Unable to backup database to kubernetes secret: ${String(stderr).trim() || error.message}` : '[heketi] INFO Backup successful');
      running = false;
      const next = pending;
      pending = undefined;
      if (next !== undefined) run(next);
    };
    kubectl('create', (created, createErr) => (created && /AlreadyExists/.test(createErr) ? kubectl('replace', finish) : finish(created, createErr)));
  };
  return (db: string) => {
    if (running) pending = db;
    else run(db);
  };
}
