// Bash completion for aaawatch, written from the command tree (src/program.ts): the sub-commands
// at each level, each command's options, the values an option declares (commander's `choices`),
// and file names after an option whose value is a file. Tables, and one small function that walks
// the words typed so far through them.

import type { Command, Help, Option } from 'commander';
import { commandsOf } from './man.js';

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function optionWords(help: Help, cmd: Command): string[] {
  return help.visibleOptions(cmd).flatMap((o) => [o.short, o.long].filter((f): f is string => Boolean(f)));
}

/** An option's value is a file name when its placeholder says so (`<file>`, `<key-file>`…). */
const takesFile = (o: Option): boolean => /<[^>]*file[^>]*>|\[[^\]]*file[^\]]*\]/i.test(o.flags);

export function bashCompletion(program: Command): string {
  const help = program.createHelp();
  const name = program.name();
  const fn = `_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const commands: Array<[string, string]> = [];
  const options: Array<[string, string]> = [];
  const values: Array<[string, string]> = [];
  const files: string[] = [];
  const add = (key: string, cmd: Command): void => {
    const subs = help.visibleCommands(cmd).map((c) => c.name()).filter((n) => n !== 'help');
    if (subs.length) commands.push([key, subs.join(' ')]);
    options.push([key, optionWords(help, cmd).join(' ')]);
    for (const o of help.visibleOptions(cmd)) {
      if (!o.required && !o.optional) continue;
      for (const flag of [o.short, o.long].filter((f): f is string => Boolean(f))) {
        if (o.argChoices?.length) values.push([`${key} ${flag}`, o.argChoices.join(' ')]);
        else if (takesFile(o)) files.push(`${key} ${flag}`);
        else values.push([`${key} ${flag}`, '']);
      }
    }
  };
  add(name, program);
  for (const { cmd, path } of commandsOf(program, help)) add([name, ...path].join(' '), cmd);
  const table = (var_: string, rows: Array<[string, string]>): string =>
    `${var_}=(\n${rows.map(([k, v]) => `  [${quote(k)}]=${quote(v)}`).join('\n')}\n)`;
  return `# bash completion for ${name}; generated from its command tree by packaging/docs/completion.ts.

declare -gA ${fn}_commands ${fn}_options ${fn}_values ${fn}_files
${table(`${fn}_commands`, commands)}
${table(`${fn}_options`, options)}
# Options that take a value: the values they allow (empty: anything).
${table(`${fn}_values`, values)}
${table(`${fn}_files`, files.map((f) => [f, '1']))}

${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} key=${quote(name)} word i
  COMPREPLY=()
  # The command typed so far: sub-command words, skipping options and their values.
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if [[ -n \${${fn}_files["$key $word"]+x} || -n \${${fn}_values["$key $word"]+x} ]]; then
      ((i++))
    elif [[ $word != -* && " \${${fn}_commands[$key]} " == *" $word "* ]]; then
      key="$key $word"
    fi
  done
  local prev=\${COMP_WORDS[COMP_CWORD - 1]}
  if ((COMP_CWORD > 1)) && [[ -n \${${fn}_files["$key $prev"]+x} ]]; then
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    return
  fi
  if ((COMP_CWORD > 1)) && [[ -n \${${fn}_values["$key $prev"]+x} ]]; then
    mapfile -t COMPREPLY < <(compgen -W "\${${fn}_values["$key $prev"]}" -- "$cur")
    return
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "\${${fn}_options[$key]}" -- "$cur")
  else
    mapfile -t COMPREPLY < <(compgen -W "\${${fn}_commands[$key]}" -- "$cur")
  fi
}
complete -F ${fn} ${name}
`;
}
