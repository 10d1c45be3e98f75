// Python's shlex.split(line, comments=True) (POSIX mode), the word splitter of Ansible's INI host lines.

/** Words of a line: whitespace separates, quotes group (and are removed), `\` escapes, `#` outside quotes ends it. */
export function shlexSplit(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      [word, inWord] = ['', false];
    } else if (ch === '#') {
      break;
    } else if (ch === '\\') {
      if (i + 1 >= line.length) throw new Error('no escaped character after the last \\');
      word += line[++i];
      inWord = true;
    } else if (ch === "'" || ch === '"') {
      const end = closingQuote(line, i);
      word += unescapeQuoted(line.slice(i + 1, end), ch);
      inWord = true;
      i = end;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Index of the quote closing the one at `start` (in "...", a backslash escapes the next character). */
function closingQuote(line: string, start: number): number {
  const quote = line[start];
  for (let i = start + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') i++;
    else if (line[i] === quote) return i;
  }
  throw new Error('no closing quotation');
}

/** Inside "...", POSIX shlex removes a backslash only before `"` or `\`; inside '...' nothing is special. */
function unescapeQuoted(text: string, quote: string): string {
  return quote === '"' ? text.replace(/\\(["\\])/g, '$1') : text;
}
