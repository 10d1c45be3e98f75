// `heketi --config=/etc/heketi/heketi.json` on a lab host (the heketi.service of `runbook lab up --with heketi`, and the
// pods the kubectl stand-in runs): reads heketi's own config file (port, use_auth, jwt admin/user keys, glusterfs.db,
// backup_db_to_kube_secret) and serves the stand-in's REST API. In a pod it also does what heketi's image does: the
// start script's restore from $BACKUPDB_PATH (the heketi-db-backup Secret at /backupdb) and, with
// backup_db_to_kube_secret, the backup into that Secret; RUNBOOK_LAB_STARTUP_DELAY_MS keeps the port closed that long.

import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { restoreBackupDb, secretBackup } from './heketi-backup-db.js';
import { startHeketiStandIn } from './heketi-server.js';

interface HeketiConfig { port?: string; use_auth?: boolean; backup_db_to_kube_secret?: boolean; jwt?: { admin?: { key?: string }; user?: { key?: string } }; glusterfs?: { db?: string } }

const fail = (message: string): never => {
  process.stderr.write(message);
  process.exit(1);
};

// heketi's CLI is cobra: `-config=FILE` (one dash, as heketi 6.0.0-1.el7's unit has it) is shorthand flags, refused.
const shorthand = process.argv.slice(2).find((a) => /^-[^-]/.test(a));
if (shorthand) fail(`Error: unknown shorthand flag: '${shorthand[1]}' in ${shorthand}\nUsage:\n  heketi [flags]\n`);
const arg = process.argv.slice(2).find((a) => a.startsWith('--config='));
if (!arg) fail('Error: Please provide configuration file (--config=FILE)\n');
const file = arg!.slice('--config='.length);
let config: HeketiConfig = {};
try {
  config = JSON.parse(readFileSync(file, 'utf8')) as HeketiConfig;
} catch (e) {
  fail(`ERROR: Unable to read configuration file ${file}: ${(e as Error).message}\n`);
}
const adminKey = process.env.HEKETI_ADMIN_KEY || config.jwt?.admin?.key;
if (config.use_auth && !adminKey) fail('ERROR: Missing JWT admin key in configuration\n');
// The stand-in keeps its database as JSON beside the path heketi.json names.
const stateFile = `${config.glusterfs?.db ?? '/var/lib/heketi/heketi.db'}.json`;
const log = (line: string) => process.stdout.write(`${line}\n`);

if (process.env.BACKUPDB_PATH) {
  try {
    const copied = restoreBackupDb(process.env.BACKUPDB_PATH, stateFile);
    if (copied) log(copied);
  } catch (e) {
    fail(`error: ${(e as Error).message}\n`);
  }
}
// A database put at heketi's path (a backup copied there, as gk-deploy's heketi-storage-copy-job does) is what heketi
// opens when the stand-in has none yet.
const db = config.glusterfs?.db ?? '/var/lib/heketi/heketi.db';
if (!existsSync(stateFile) && existsSync(db) && statSync(db).size > 0) copyFileSync(db, stateFile);
const backup = config.backup_db_to_kube_secret || process.env.HEKETI_BACKUP_DB_TO_KUBE_SECRET
  ? secretBackup({ namespace: process.env.POD_NAMESPACE || 'default', secretName: process.env.HEKETI_KUBE_DB_SECRET_NAME || 'heketi-db-backup', kubeconfig: '/etc/kubernetes/admin.conf', log })
  : undefined;
const server = await startHeketiStandIn({
  stateFile, adminKey: adminKey ?? '', userKey: process.env.HEKETI_USER_KEY || config.jwt?.user?.key, useAuth: config.use_auth === true,
  port: Number(process.env.HEKETI_HTTP_PORT || config.port || 8080), listen: '0.0.0.0',
  startupDelayMs: Number(process.env.RUNBOOK_LAB_STARTUP_DELAY_MS || 0), onChange: backup,
});
log(`Heketi (runbook lab stand-in) listening on ${server.url.replace(/^http:\/\/[^:]+/, 'http://0.0.0.0')}`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
