// `runbook audit --report audit.html`: one self-contained page (no network): a host × task matrix coloured by status
// (a task is a column per play and position), diffs as unified hunks, the comparison with a baseline, filters by
// host, group and status, and the run's metadata.

import { structuredPatch } from 'diff';
import type { Diff } from '../types.js';
import { driftKey, type AuditResult, type AuditTask, type BaselineComparison } from './audit-report.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './html-page-assets.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The baseline to show: what changed since it, and whether it keyed tasks by name only (an older save). */
export interface BaselineView extends BaselineComparison { byName: boolean; file: string }

export function auditHtml(a: AuditResult, baseline?: BaselineView): string {
  const tasks = tasksOf(a);
  const groupsOf = (h: string) => Object.entries(a.groups).filter(([g, hs]) => g !== 'all' && g !== 'ungrouped' && hs.includes(h)).map(([g]) => g);
  const drifted = Object.values(a.cells).reduce((n, t) => n + Object.values(t).filter((c) => c.status === 'changed').length, 0);
  const added = new Set(baseline?.added ?? []);
  const rows = a.hosts.map((h) => {
    const cells = tasks.map((t) => {
      const c = a.cells[h]?.[t.id];
      if (!c) return '<td class="none">–</td>';
      const label = c.status === 'changed' ? 'drift' : c.status;
      const isNew = label === 'drift' && baseline && added.has(driftKey(a, h, t.id, baseline.byName));
      return `<td class="${esc(label)}${isNew ? ' new' : ''}" data-status="${esc(label)}" data-task="${esc(t.id)}"><details><summary>${esc(label)}${isNew ? ' <b>new</b>' : ''}</summary><p>${esc(c.msg)}</p>${(c.diff ?? []).map(hunksHtml).join('')}</details></td>`;
    }).join('');
    return `<tr data-host="${esc(h)}" data-groups="${esc(groupsOf(h).join(' '))}"><th>${esc(h)}</th>${cells}</tr>`;
  }).join('\n');
  const groups = [...new Set(a.hosts.flatMap(groupsOf))].sort();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>runbook audit ${esc(a.run)}</title>
<style>${PAGE_STYLE}</style></head><body>
<h1>runbook audit</h1>
<dl class="meta"><dt>run</dt><dd id="run">${esc(a.run)}</dd><dt>playbook</dt><dd>${esc(a.playbook)}</dd><dt>date</dt><dd>${esc(a.date)}</dd>
<dt>result</dt><dd id="summary">${a.hosts.length} host(s), ${tasks.length} task(s), ${drifted} drifted</dd></dl>
${baseline ? baselineHtml(baseline) : ''}
<div id="filters">
<label>host <input id="f-host" placeholder="name contains"></label>
<label>group <select id="f-group"><option value="">all</option>${groups.map((g) => `<option>${esc(g)}</option>`).join('')}</select></label>
<label>status <select id="f-status"><option value="">any</option><option>drift</option><option>failed</option><option>unreachable</option><option>ok</option><option>skipped</option><option>ignored</option></select></label>
</div>
<table id="matrix"><thead><tr><th>host</th>${tasks.map((t) => `<th data-task="${esc(t.id)}" title="${esc(t.location ?? '')}"><span class="play">${esc(t.play)} #${t.position}</span> ${esc(t.name)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}

/** The tasks in run order; for a result saved before tasks had ids, one per name found in the cells. */
function tasksOf(a: AuditResult): AuditTask[] {
  if (a.tasks) return a.tasks;
  const names = [...new Set(Object.values(a.cells).flatMap((t) => Object.keys(t)))];
  return names.map((name, i) => ({ id: name, play: '', playIndex: 1, position: i + 1, name }));
}

/** A file's change as unified hunks with three lines of context: a one-line change is one small hunk. */
function hunksHtml(d: Diff): string {
  const patch = structuredPatch(`${d.path ?? ''} (before)`, `${d.path ?? ''} (after)`, d.before, d.after, '', '', { context: 3 });
  const line = (l: string) => {
    const kind = l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : l.startsWith('\\') ? 'note' : 'ctx';
    return `<span class="${kind}">${esc(l)}</span>`;
  };
  const hunks = patch.hunks.map((h) => `<span class="hunk">@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@</span>\n${h.lines.map(line).join('\n')}`);
  return `<pre class="diff"><b>${esc(d.path ?? '')}</b>\n${hunks.join('\n')}</pre>`;
}

function baselineHtml(b: BaselineView): string {
  const list = (id: string, items: string[]) => `<ul id="${id}">${items.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`;
  return `<section id="baseline"><h2>Since the baseline <code>${esc(b.file)}</code></h2>
<p id="baseline-summary">${b.added.length} new drift, ${b.resolved.length} resolved</p>
<h3>new drift</h3>${list('baseline-added', b.added)}<h3>resolved</h3>${list('baseline-resolved', b.resolved)}</section>`;
}
