// gluster --xml output read with fast-xml-parser: the cliOutput envelope (opRet/opErrno/opErrstr decide success, never
// the exit code), the peer list of `pool list` / `peer status`, and the volumes of `volume info`.

import { XMLParser } from 'fast-xml-parser';

export interface CliOutput {
  opRet: number;
  opErrno: number;
  opErrstr: string;
  /** The parsed children of <cliOutput> (empty when the output was not gluster XML). */
  tree: XmlNode;
}

export interface GlusterPeer {
  uuid: string;
  /** Every name the pool knows this peer by (<hostname> and <hostnames>). */
  hostnames: string[];
  connected: boolean;
  stateStr: string;
  /** The local node in `pool list` (hostname localhost). */
  self: boolean;
}

/** One volume of `gluster volume info --xml`: what gluster_volume compares with the wanted state. */
export interface GlusterVolume {
  name: string;
  /** Created, Started or Stopped. */
  status: string;
  /** Distribute, Replicate, Distributed-Replicate, Disperse, Distributed-Disperse, ... */
  type: string;
  replicaCount: number;
  arbiterCount: number;
  disperseCount: number;
  redundancyCount: number;
  /** Bricks as host:path, in volume order. */
  bricks: string[];
  /** Options set on the volume (reconfigured ones), name → value. */
  options: Record<string, string>;
}

export type XmlNode = Record<string, unknown>;

// Elements that may repeat are always arrays, so one peer, brick or option reads like several.
const LISTS = new Set(['peer', 'hostname', 'volume', 'brick', 'option']);
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (name) => LISTS.has(name) });

const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' ? text((v as XmlNode)['#text']) : String(v));
const list = (v: unknown): XmlNode[] => (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]) as XmlNode[];
const child = (node: unknown, name: string): XmlNode => (node && typeof node === 'object' ? ((node as XmlNode)[name] as XmlNode) ?? {} : {});

export function parseCliOutput(xml: string): CliOutput {
  let root: XmlNode | undefined;
  try {
    const doc = parser.parse(xml) as XmlNode;
    root = doc.cliOutput as XmlNode | undefined;
  } catch {
    root = undefined;
  }
  if (!root || typeof root !== 'object') return { opRet: -1, opErrno: -1, opErrstr: `not gluster XML output: ${xml.trim().slice(0, 200) || '(empty)'}`, tree: {} };
  const num = (v: unknown) => (text(v) === '' ? -1 : Number(text(v)));
  return { opRet: num(root.opRet), opErrno: num(root.opErrno), opErrstr: text(root.opErrstr), tree: root };
}

/** The peers of `pool list` (<peerStatus>) in a parsed cliOutput. */
export function parsePeers(out: CliOutput): GlusterPeer[] {
  return list(child(out.tree, 'peerStatus').peer).map((p) => {
    const first = list(p.hostname).map(text);
    const others = list(child(p, 'hostnames').hostname).map(text);
    const self = first[0] === 'localhost';
    const names = [...first, ...others].filter((x) => x !== '');
    return { uuid: text(p.uuid), hostnames: [...new Set(names)], connected: text(p.connected) === '1', stateStr: text(p.stateStr) || (self ? 'Local' : ''), self };
  });
}

/** The volumes of `volume info` (<volInfo><volumes>) in a parsed cliOutput. */
export function parseVolumes(out: CliOutput): GlusterVolume[] {
  return list(child(child(out.tree, 'volInfo'), 'volumes').volume).map((v) => {
    const options: Record<string, string> = {};
    for (const o of list(child(v, 'options').option)) options[text(o.name)] = text(o.value);
    return {
      name: text(v.name),
      status: text(v.statusStr),
      type: text(v.typeStr),
      replicaCount: Number(text(v.replicaCount) || 1),
      arbiterCount: Number(text(v.arbiterCount) || 0),
      disperseCount: Number(text(v.disperseCount) || 0),
      redundancyCount: Number(text(v.redundancyCount) || 0),
      bricks: list(child(v, 'bricks').brick).map((b) => text(b.name)),
      options,
    };
  });
}
