// `runbook completion bash|zsh|fish`: shell completion generated from the command definitions themselves, so
// it never lists a command or flag that does not exist.

import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { CliIO } from './io.js';

interface CommandWords { name: string; description: string; flags: Array<{ long?: string; short?: string; description: string }> }

function commandWords(program: Command): CommandWords[] {
  const out: CommandWords[] = [];
  const visit = (cmd: Command, prefix: string) => {
    for (const sub of cmd.commands) {
      const name = `${prefix}${sub.name()}`;
      out.push({ name, description: sub.description(), flags: sub.options.map((o) => ({ long: o.long, short: o.short, description: o.description })) });
      visit(sub, `${name} `);
    }
  };
  visit(program, '');
  return out;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function bash(words: CommandWords[]): string {
  const top = words.filter((w) => !w.name.includes(' ')).map((w) => w.name).join(' ');
  const cases = words.map((w) => {
    const subs = words.filter((x) => x.name.startsWith(`${w.name} `) && !x.name.slice(w.name.length + 1).includes(' ')).map((x) => x.name.slice(w.name.length + 1));
    const flags = w.flags.flatMap((f) => [f.long, f.short].filter(Boolean));
    return `    ${quote(w.name)}) subs=${quote(subs.join(' '))}; flags=${quote(flags.join(' '))} ;;`;
  }).join('\n');
  return `# runbook completion for bash: eval "$(runbook completion bash)" (e.g. in ~/.bashrc)
_runbook() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" subs="" flags="" i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ $w == -* ]] && continue
    if [[ -z $path ]]; then path="$w"; elif [[ " $subs " == *" $w "* ]]; then path="$path $w"; else break; fi
    case "$path" in
${cases}
    esac
  done
  if [[ -z $path ]]; then
    COMPREPLY=( $(compgen -W ${quote(`${top} --help --version`)} -- "$cur") )
  elif [[ $cur == -* ]]; then
    COMPREPLY=( $(compgen -W "$flags --help" -- "$cur") )
  elif [[ -n $subs ]]; then
    COMPREPLY=( $(compgen -W "$subs" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -o bashdefault -F _runbook runbook
`;
}

function fish(words: CommandWords[]): string {
  const lines = ['# runbook completion for fish: runbook completion fish > ~/.config/fish/completions/runbook.fish', 'complete -c runbook -f'];
  for (const w of words) {
    const parts = w.name.split(' ');
    const condition = parts.length === 1 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${parts[0]}`;
    lines.push(`complete -c runbook -n ${quote(condition)} -a ${quote(parts[parts.length - 1])} -d ${quote(w.description.slice(0, 80))}`);
    for (const f of w.flags) {
      const names = [f.long ? `-l ${f.long.replace(/^--/, '')}` : '', f.short ? `-s ${f.short.replace(/^-/, '')}` : ''].filter(Boolean).join(' ');
      lines.push(`complete -c runbook -n ${quote(`__fish_seen_subcommand_from ${parts[parts.length - 1]}`)} ${names} -d ${quote(f.description.slice(0, 80))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function completionCommand(program: Command, shell: string, io: CliIO): void {
  const words = commandWords(program);
  if (shell === 'bash') io.out(bash(words));
  else if (shell === 'zsh') io.out(`# runbook completion for zsh: eval "$(runbook completion zsh)" (e.g. in ~/.zshrc)\nautoload -U +X bashcompinit && bashcompinit\n${bash(words)}`);
  else if (shell === 'fish') io.out(fish(words));
  else throw new UsageError(`completion: unknown shell '${shell}' (bash, zsh or fish)`);
}
