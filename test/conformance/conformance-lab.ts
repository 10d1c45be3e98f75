// The conformance suite's own lab (fresh hosts, not shared with other test files): half for Ansible, half for runbook.

import { labDown, labUp, readLabState } from '../../engine/lab/lab.js';
import { wrapLabState, type TestLab } from '../helpers/lab.js';

export const conformanceLabName = `cf${process.pid % 100000}`;

export async function conformanceLabUp(hostsPerTool: number): Promise<TestLab> {
  const s0 = await labUp({ name: conformanceLabName, hosts: hostsPerTool * 2 });
  const s = (await readLabState(s0.name)) ?? s0;
  return wrapLabState(s);
}

export function conformanceLabDown(): Promise<void> {
  return labDown(conformanceLabName);
}
