// Whitespace of a converted template: Ansible's Jinja drops the newline right after a block tag (trim_blocks);
// Handlebars drops a whole line holding only a block tag ("standalone"). The pieces are joined so the rendered text
// is Jinja's exactly: a newline Handlebars would drop the same way stays (the layout reads like the original), any
// other is dropped here, and a tag Handlebars would still take as standalone gets an empty comment beside it.

/** text: literal output; value: a mustache; block: a Jinja block tag's Handlebars form ('' when it writes nothing). */
export interface Piece { kind: 'text' | 'value' | 'block'; text: string }

const NEWLINE_FIRST = /^\r?\n/;

/** Jinja's trim_blocks for tags that write nothing ({% set %}), then those pieces leave the stream. */
function dropSilentBlocks(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i];
    if (piece.kind === 'block' && piece.text === '') {
      const next = pieces[i + 1];
      if (next?.kind === 'text') next.text = next.text.replace(NEWLINE_FIRST, '');
      continue;
    }
    const last = out[out.length - 1];
    if (piece.kind === 'text' && last?.kind === 'text') last.text += piece.text;
    else out.push({ ...piece });
  }
  return out.filter((p) => !(p.kind === 'text' && p.text === ''));
}

/** Handlebars' standalone test on the left: the tag starts its line (or the template). */
function lineStartsBefore(pieces: Piece[], i: number): boolean {
  const prev = pieces[i - 1];
  if (!prev) return true;
  if (prev.kind !== 'text') return false;
  return /\r?\n[ \t]*$/.test(prev.text) || (i === 1 && /^[ \t]*$/.test(prev.text));
}

/** ... and on the right: only spaces up to the end of its line (or of the template). */
function lineEndsAfter(pieces: Piece[], i: number): boolean {
  const next = pieces[i + 1];
  if (!next) return true;
  if (next.kind !== 'text') return false;
  return /^[ \t]*\r?\n/.test(next.text) || (i + 1 === pieces.length - 1 && /^[ \t]*$/.test(next.text));
}

function trimAfterBlock(pieces: Piece[], i: number): void {
  const next = pieces[i + 1];
  const prev = pieces[i - 1];
  const atColumnZero = !prev || (prev.kind === 'text' && (/\n$/.test(prev.text) || (i === 1 && prev.text === '')));
  // Handlebars drops exactly this newline itself: keep the line as written.
  if (next?.kind === 'text' && NEWLINE_FIRST.test(next.text) && atColumnZero) return;
  // Ansible gives back the template's final newlines that Jinja took: the file's last newline stays.
  if (next?.kind === 'text' && i + 1 === pieces.length - 1 && /^(\r?\n)+$/.test(next.text)) return;
  if (next?.kind === 'text') next.text = next.text.replace(NEWLINE_FIRST, '');
  if (lineStartsBefore(pieces, i) && lineEndsAfter(pieces, i)) pieces[i] = { kind: 'value', text: `${pieces[i].text}{{!}}` };
}

/** Text as Handlebars reads it: `{{` escaped; a backslash before a mustache doubled. */
function escapeText(text: string, beforeMustache: boolean): string {
  const escaped = text.replace(/\{\{/g, '\\{{');
  return beforeMustache && escaped.endsWith('\\') ? `${escaped}\\` : escaped;
}

/** The Handlebars text of the pieces, rendering as Ansible's Jinja renders the original. */
export function layOut(input: Piece[]): string {
  const pieces = dropSilentBlocks(input);
  for (let i = 0; i < pieces.length; i++) if (pieces[i].kind === 'block') trimAfterBlock(pieces, i);
  return pieces.map((p, i) => (p.kind === 'text' ? escapeText(p.text, pieces[i + 1] !== undefined) : p.text)).join('');
}
