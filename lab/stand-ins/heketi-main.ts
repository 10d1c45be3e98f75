// `heketi --config=/etc/heketi/heketi.json` on a lab host (the heketi.service of `runbook lab up --with heketi`): reads
// heketi's own config file (port, use_auth, jwt admin/user keys, glusterfs.db) and serves the stand-in's REST API.

import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { startHeketiStandIn } from './heketi-server.js';

interface HeketiConfig { port?: string; use_auth?: boolean; jwt?: { admin?: { key?: string }; user?: { key?: string } }; glusterfs?: { db?: string } }

// heketi's CLI is cobra: `-config=FILE` (one dash, as heketi 6.0.0-1.el7's unit has it) is shorthand flags, refused.
const shorthand = process.argv.slice(2).find((a) => /^-[^-]/.test(a));
if (shorthand) {
  process.stderr.write(`Error: unknown shorthand flag: '${shorthand[1]}' in ${shorthand}\nUsage:\n  heketi [flags]\n`);
  process.exit(1);
}
const arg = process.argv.slice(2).find((a) => a.startsWith('--config='));
if (!arg) {
  process.stderr.write('Error: Please provide configuration file (--config=FILE)\n');
  process.exit(1);
}
const file = arg.slice('--config='.length);
let config: HeketiConfig;
try {
  config = JSON.parse(readFileSync(file, 'utf8')) as HeketiConfig;
} catch (e) {
  process.stderr.write(`ERROR: Unable to read configuration file ${file}: ${(e as Error).message}\n`);
  process.exit(1);
}
const adminKey = config.jwt?.admin?.key;
if (config.use_auth && !adminKey) {
  process.stderr.write('ERROR: Missing JWT admin key in configuration\n');
  process.exit(1);
}
// The stand-in keeps its database as JSON beside heketi's path; a database put at heketi's path (a backup copied
// there, as gk-deploy's heketi-storage-copy-job does) is what heketi opens when the stand-in has none yet.
const db = config.glusterfs?.db ?? '/var/lib/heketi/heketi.db';
if (!existsSync(`${db}.json`) && existsSync(db) && statSync(db).size > 0) copyFileSync(db, `${db}.json`);
const server = await startHeketiStandIn({
  stateFile: `${db}.json`,
  adminKey: adminKey ?? '', userKey: config.jwt?.user?.key, useAuth: config.use_auth === true, port: Number(config.port ?? 8080), listen: '0.0.0.0',
});
process.stdout.write(`Heketi (runbook lab stand-in) listening on ${server.url.replace(/:\d+$/, `:${config.port ?? 8080}`)}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
