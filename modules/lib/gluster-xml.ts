// gluster --xml output: the cliOutput envelope (opRet/opErrno/opErrstr decide success, never the exit code) and the
// peer list of `pool list` / `peer status`.

export interface CliOutput { opRet: number; opErrno: number; opErrstr: string; body: string }

export interface GlusterPeer {
  uuid: string;
  /** Every name the pool knows this peer by (<hostname> and <hostnames>). */
  hostnames: string[];
  connected: boolean;
  stateStr: string;
  /** The local node in `pool list` (hostname localhost). */
  self: boolean;
}

const unxml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const tag = (xml: string, name: string): string | undefined => {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>|<${name}/>`).exec(xml);
  return m ? unxml(m[1] ?? '').trim() : undefined;
};

export function parseCliOutput(xml: string): CliOutput {
  const body = /<cliOutput>([\s\S]*)<\/cliOutput>/.exec(xml)?.[1];
  if (body === undefined) return { opRet: -1, opErrno: -1, opErrstr: `not gluster XML output: ${xml.trim().slice(0, 200) || '(empty)'}`, body: '' };
  return { opRet: Number(tag(body, 'opRet') ?? -1), opErrno: Number(tag(body, 'opErrno') ?? -1), opErrstr: tag(body, 'opErrstr') ?? '', body };
}

export function parsePeers(xml: string): GlusterPeer[] {
  const out: GlusterPeer[] = [];
  for (const m of xml.matchAll(/<peer>([\s\S]*?)<\/peer>/g)) {
    const p = m[1];
    const names = [tag(p, 'hostname'), ...[...(/<hostnames>([\s\S]*?)<\/hostnames>/.exec(p)?.[1] ?? '').matchAll(/<hostname>([\s\S]*?)<\/hostname>/g)].map((x) => unxml(x[1]).trim())]
      .filter((x): x is string => !!x);
    const self = tag(p, 'hostname') === 'localhost';
    out.push({ uuid: tag(p, 'uuid') ?? '', hostnames: [...new Set(names)], connected: tag(p, 'connected') === '1', stateStr: tag(p, 'stateStr') ?? (self ? 'Local' : ''), self });
  }
  return out;
}
