// Ansible's ini_file edit (community.general 6.6) as a pure function of the file's text: one option's values set or
// removed in one section (or before the first section), a section added or dropped, with Ansible's exact layout.

export interface IniEdit {
  /** undefined, null or '': before the first section. */
  section?: string | null;
  option?: string;
  /** value: v is values: [v]. */
  values: string[];
  state: 'present' | 'absent';
  exclusive: boolean;
  no_extra_spaces: boolean;
  allow_no_value: boolean;
  ignore_spaces?: boolean;
  /** false: commented-out lines of the option are left alone (newer community.general; default true). */
  modify_inactive_option?: boolean;
}

// A section name no file holds: the lines before the first section are edited as this section.
const FAKE_SECTION = 'ad01e11446efb704fcdbdb21f2c43757423d91c5';
const BLANK_OR_COMMENT = /^[ \t]*([#;][^\n]*)?\n?$/;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** The option's line (active or commented out with # or ;): [whole, comment, value], or undefined. */
function matchOption(option: string, line: string, activeOnly = false): { comment: string; value: string } | undefined {
  const match = new RegExp(`^(${activeOnly ? '' : '[#;]?'})[ \\t]*(${escapeRegex(option)})[ \\t]*(=|$)[ \\t]*([^\\n]*)`).exec(line.replace(/\n$/, ''));
  return match ? { comment: match[1], value: match[4] } : undefined;
}

interface Section {
  lines: string[];
  /** 1 per line already set by this edit. */
  touched: number[];
  changed: boolean;
}

/** Replace one line of the section (ignore_spaces: keep an active line whose value is the same). */
function setLine(section: Section, index: number, newline: string, edit: IniEdit, option: string): void {
  let differs = section.lines[index] !== newline;
  if (edit.ignore_spaces) {
    const old = matchOption(option, section.lines[index]);
    if (old && old.comment === '') differs = old.value !== matchOption(option, newline)?.value;
  }
  if (differs) section.lines[index] = newline;
  section.changed ||= differs;
  section.touched[index] = 1;
}

function assignment(edit: IniEdit, option: string, value: string): string {
  return edit.no_extra_spaces ? `${option}=${value}\n` : `${option} = ${value}\n`;
}

/** Steps 1-3 of Ansible's present: lines already holding a wanted value kept, other lines of the option reused or dropped. */
function setExisting(section: Section, edit: IniEdit, option: string, values: string[]): boolean {
  let noValuePresent = false;
  const activeOnly = edit.modify_inactive_option === false;
  for (let index = 0; index < section.lines.length; index++) {
    const match = matchOption(option, section.lines[index], activeOnly);
    if (!match) continue;
    if (values.length > 0 && values.includes(match.value)) {
      const bare = match.value === '' && edit.allow_no_value;
      if (bare) noValuePresent = true;
      setLine(section, index, bare ? `${option}\n` : assignment(edit, option, match.value), edit, option);
      values.splice(values.indexOf(match.value), 1);
    } else if (values.length === 0 && edit.allow_no_value) {
      setLine(section, index, `${option}\n`, edit, option);
      noValuePresent = true;
      break;
    }
  }
  if (edit.exclusive && !edit.allow_no_value) {
    for (let index = 0; index < section.lines.length && values.length > 0; index++) {
      if (!section.touched[index] && matchOption(option, section.lines[index], activeOnly)) setLine(section, index, assignment(edit, option, values.shift()!), edit, option);
    }
    for (let index = section.lines.length - 1; index > 0; index--) {
      if (!section.touched[index] && matchOption(option, section.lines[index], activeOnly)) {
        section.lines.splice(index, 1);
        section.touched.splice(index, 1);
        section.changed = true;
      }
    }
  }
  return noValuePresent;
}

/** Step 4: the missing lines after the section's last line that is neither blank nor a comment. */
function insertMissing(section: Section, edit: IniEdit, values: string[], noValuePresent: boolean): void {
  for (let index = section.lines.length; index > 0; index--) {
    if (BLANK_OR_COMMENT.test(section.lines[index - 1])) continue;
    if (edit.option && values.length > 0) {
      section.lines.splice(index, 0, ...values.map((value) => assignment(edit, edit.option!, value)));
      section.changed = true;
    } else if (edit.option && edit.allow_no_value && !noValuePresent) {
      section.lines.splice(index, 0, `${edit.option}\n`);
      section.changed = true;
    }
    return;
  }
}

function removeFrom(section: Section, edit: IniEdit, values: string[]): void {
  const option = edit.option;
  let kept: string[];
  if (!option) kept = [];
  else if (edit.exclusive) kept = section.lines.filter((line) => !matchOption(option, line, true));
  else if (values.length > 0) kept = section.lines.filter((line) => !values.includes(matchOption(option, line, true)?.value as string));
  else return;
  if (kept.length !== section.lines.length) section.changed = true;
  section.lines = kept;
}

/** Bounds of the section in the file's lines (with the fake first section and the closing '[' line). */
function findSection(lines: string[], name: string): { start: number; end: number; found: boolean } {
  let found = false;
  let start = 0;
  for (let index = 0; index < lines.length; index++) {
    if (lines[index].startsWith(`[${name}]`)) {
      found = true;
      start = index;
    } else if (lines[index].startsWith('[') && found) return { start, end: index, found };
  }
  return { start, end: 0, found };
}

/** The lines of the file as Python's text mode reads them: BOM dropped, \r\n and \r read as \n. */
function readLines(text: string): string[] {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return normalized.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The file's text after the edit (pure); `original` undefined: the file does not exist yet. */
export function editIni(original: string | undefined, edit: IniEdit): { text: string; changed: boolean } {
  const lines = readLines(original ?? '');
  const values = edit.values.filter((value, index) => edit.values.indexOf(value) === index);
  if (lines.length === 0) lines.push('\n');
  let fixedEnd = false;
  if (!lines[lines.length - 1].endsWith('\n')) {
    lines[lines.length - 1] += '\n';
    fixedEnd = true;
  }
  lines.unshift(`[${FAKE_SECTION}]`);
  lines.push('[');
  const name = edit.section ? edit.section : FAKE_SECTION;
  const bounds = findSection(lines, name);
  const section: Section = { lines: lines.slice(bounds.start, bounds.end), touched: [], changed: false };
  section.touched = section.lines.map(() => 0);
  if (edit.state === 'present') {
    const noValuePresent = edit.option ? setExisting(section, edit, edit.option, values) : false;
    insertMissing(section, edit, values, noValuePresent);
  } else removeFrom(section, edit, values);
  const result = [...lines.slice(0, bounds.start), ...section.lines, ...lines.slice(bounds.end)].slice(1, -1);
  let changed = fixedEnd || section.changed;
  if (!bounds.found && edit.state === 'present') {
    result.push(`[${name}]\n`);
    if (edit.option && values.length > 0) result.push(...values.map((value) => assignment(edit, edit.option!, value)));
    else if (edit.option && edit.allow_no_value) result.push(`${edit.option}\n`);
    changed = true;
  }
  return { text: result.join(''), changed };
}
