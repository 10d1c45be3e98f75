// The live region at the bottom of a terminal (log-update): the tasks in flight, how many of their hosts are done,
// the hosts still running, elapsed time. Lines printed through it go above the region, which is redrawn under them.

import { createLogUpdate } from 'log-update';
import type { Paint } from './human-lines.js';
import { someHostNames } from './host-names.js';
import type { TaskBoard } from './task-board.js';

export interface LiveView {
  /** Print lines above the region (they stay). */
  print(text: string): void;
  /** Redraw the region from the board. */
  refresh(): void;
  /** Clear the region for good (the run is over). */
  stop(): void;
}

export interface LiveState { board: TaskBoard; runStarted: number; play?: string; preparing?: { since: number; hosts: number } }

export function liveView(stream: NodeJS.WriteStream, state: LiveState, c: Paint): LiveView {
  const region = createLogUpdate(stream, { showCursor: true });
  const refresh = () => region(frame(state, c, Math.max(40, stream.columns ?? 80), Date.now()));
  // Elapsed time moves even when no event comes.
  const timer = setInterval(refresh, 1000);
  timer.unref();
  return {
    print(text) {
      region.clear();
      stream.write(text);
      refresh();
    },
    refresh,
    stop() {
      clearInterval(timer);
      region.clear();
      region.done();
    },
  };
}

/** At most three tasks in flight, each on one line cut to the terminal's width, then the run's elapsed time. */
export function frame(state: LiveState, c: Paint, width: number, now: number): string {
  const seconds = (since: number) => `${((now - since) / 1000).toFixed(1)} s`;
  const lines: string[] = [];
  const running = state.board.running();
  for (const { tally, waiting } of running.slice(0, 3)) {
    const total = tally.expected.size;
    const done = total - waiting.length;
    lines.push(`${c.bold('▸')} ${tally.name} ${c.dim(`(${tally.module})`)} · ${done}/${total} hosts done · ${seconds(tally.started)} · running: ${someHostNames(waiting, 4)}`);
  }
  if (running.length > 3) lines.push(c.dim(`  and ${running.length - 3} more tasks in flight`));
  if (running.length === 0 && state.preparing) lines.push(`${c.bold('▸')} connecting to ${state.preparing.hosts} host(s), gathering facts · ${seconds(state.preparing.since)}`);
  lines.push(c.dim(`  ${state.play ? `PLAY ${state.play} · ` : ''}elapsed ${seconds(state.runStarted)}`));
  return lines.map((l) => cut(l, width)).join('\n');
}

/** Cut a line to the width (counting characters, colour codes not counted). */
function cut(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (const part of line.split(/(\x1b\[[0-9;]*m)/)) {
    if (part.startsWith('\x1b[')) { out += part; continue; }
    const room = width - 1 - visible;
    out += part.length > room ? `${part.slice(0, Math.max(0, room - 1))}…` : part;
    visible += Math.min(part.length, room);
    if (visible >= width - 1) break;
  }
  return line.includes('\x1b[') ? `${out}\x1b[0m` : out;
}
