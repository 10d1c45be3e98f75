// One shell script replaces a file on a host atomically (temp beside it, mode/owner, fsync, rename), from stdin or a temp file.

import type { WriteFileOptions } from '../types.js';

// $1 the target; $2 a file beside it to move into place, or empty to read stdin into a private (0600) temp file;
// $3 the mode (octal, empty: the replaced file's, else 644); $4 owner, $5 group (empty: the replaced file's). The temp
// file is removed whatever fails, and the target is replaced only by the rename.
const ATOMIC_WRITE_SCRIPT = `set -e
f=$1
if [ -n "$2" ]; then t=$2; else t="$(dirname -- "$1")/.$(basename -- "$1").runbook-$$.tmp"; fi
trap 'rm -f -- "$t"' EXIT
umask 077
if [ -z "$2" ]; then cat > "$t"; fi
if [ -n "$3" ]; then chmod "$3" "$t"; elif [ -f "$f" ] && [ ! -L "$f" ]; then chmod --reference="$f" "$t"; else chmod 644 "$t"; fi
if [ -f "$f" ] && [ ! -L "$f" ]; then chown --reference="$f" "$t"; fi
if [ -n "$4" ]; then chown -- "$4" "$t"; fi
if [ -n "$5" ]; then chgrp -- "$5" "$t"; fi
sync -- "$t"
mv -f -- "$t" "$f"
trap - EXIT`;

/** argv that writes `dest` atomically: from `source` (a temp file beside dest, consumed) or, without it, from stdin. */
export function atomicWriteArgv(dest: string, source: string | undefined, attrs: WriteFileOptions = {}): string[] {
  const mode = attrs.mode === undefined ? '' : attrs.mode.toString(8).padStart(4, '0');
  return ['sh', '-c', ATOMIC_WRITE_SCRIPT, 'sh', dest, source ?? '', mode, attrs.owner ?? '', attrs.group ?? ''];
}
