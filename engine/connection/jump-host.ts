// `jump_host: [user@]address[:port]` — ssh's ProxyJump form, parsed in one place for the inventory check and the
// ssh transport. IPv6 addresses go in brackets: `root@[fd00::1]:2222`.

export interface JumpHost { user?: string; address: string; port: number }

export function parseJumpHost(spec: string): JumpHost | undefined {
  const m = /^(?:([^@\s]+)@)?([^:@\s[\]]+|\[[0-9a-fA-F:]+\])(?::(\d+))?$/.exec(spec.trim());
  if (!m) return undefined;
  const port = m[3] ? Number(m[3]) : 22;
  if (port < 1 || port > 65535) return undefined;
  return { user: m[1], address: m[2].replace(/^\[|\]$/g, ''), port };
}
