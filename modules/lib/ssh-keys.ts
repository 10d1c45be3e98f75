// authorized_keys lines: options, key type, key blob and comment, as sshd(8) reads them (AUTHORIZED_KEYS FILE FORMAT).

export interface KeyLine {
  options?: string;
  type: string;
  blob: string;
  comment?: string;
}

const KEY_TYPE = /^(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com|ssh-(rsa|ed25519)-cert-v01@openssh\.com)$/;

/** Splits off the options field: up to the first whitespace outside double quotes. */
function splitOptions(line: string): [string, string] {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && /\s/.test(c)) return [line.slice(0, i), line.slice(i).trimStart()];
  }
  return [line, ''];
}

/** A key line, or undefined for a blank line, a comment or something that is not a key. */
export function parseKeyLine(line: string): KeyLine | undefined {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  let options: string | undefined;
  let rest = text;
  if (!KEY_TYPE.test(text.split(/\s+/)[0])) [options, rest] = splitOptions(text);
  const [type, blob, ...comment] = rest.split(/\s+/);
  if (!type || !KEY_TYPE.test(type) || !blob || !/^[A-Za-z0-9+/]+=*$/.test(blob)) return undefined;
  return { ...(options !== undefined ? { options } : {}), type, blob, ...(comment.length ? { comment: comment.join(' ') } : {}) };
}

export function formatKeyLine(k: KeyLine): string {
  return [k.options, k.type, k.blob, k.comment].filter((x) => x !== undefined && x !== '').join(' ');
}
