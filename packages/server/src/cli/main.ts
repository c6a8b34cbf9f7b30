import { OvertureClient } from '@overture/sdk';
import { apiKeySource, explainAuthentication } from './api-key-source.js';
import { balanceCommand } from './balance-command.js';
import { type CommandDefinition, commandHelp, GLOBAL_OPTIONS } from './command.js';
import { checkOptions, checkPositional } from './command-line-checks.js';
import { costsCommand } from './costs-command.js';
import { EXIT, EXIT_CODES_HELP, UsageError } from './exit-codes.js';
import { fetchCommand } from './fetch-command.js';
import { generateCommand } from './generate-command.js';
import { cancelCommand, completeCommand } from './job-action-commands.js';
import { jobsCommand } from './jobs-command.js';
import { keysCommand } from './keys-command.js';
import { modelsCommand } from './models-command.js';
import { accountsDefinition, migrateDefinition, serveDefinition } from './operator-commands.js';
import { text } from './option-values.js';
import { Output } from './output.js';
import { parseArguments } from './parse-arguments.js';
import { quoteCommand } from './quote-command.js';
import { speakCommand } from './speak-command.js';
import { statusCommand } from './status-command.js';
import { watchCommand } from './watch-command.js';

const CLIENT_COMMANDS: readonly CommandDefinition[] = [
  generateCommand,
  speakCommand,
  quoteCommand,
  modelsCommand,
  balanceCommand,
  keysCommand,
  statusCommand,
  jobsCommand,
  watchCommand,
  fetchCommand,
  completeCommand,
  cancelCommand,
  costsCommand,
];
const OPERATOR_COMMANDS: readonly CommandDefinition[] = [serveDefinition, migrateDefinition, accountsDefinition];
const COMMANDS = [...CLIENT_COMMANDS, ...OPERATOR_COMMANDS];

/** The flags (options without a value) of every command: a word after one of them is positional. */
const BOOLEANS = [...GLOBAL_OPTIONS, ...COMMANDS.flatMap((command) => command.options)]
  .filter((option) => option.value === undefined)
  .map((option) => option.name);

const list = (commands: readonly CommandDefinition[]) =>
  commands.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`).join('\n');

const HELP = `overture — self-hosted music and voice generation

Usage: overture COMMAND [ARGUMENTS] [OPTIONS]      overture COMMAND --help for its options

Client commands (talk to a server over HTTP):
${list(CLIENT_COMMANDS)}

Operator commands (run on the server's machine):
${list(OPERATOR_COMMANDS)}

Options of every client command:
  --base-url URL   API base URL (env OVERTURE_BASE_URL; default http://localhost:8080/api/v1)
  --api-key KEY    API key (env OVERTURE_API_KEY)
  --json           print exactly one JSON document on stdout (errors too: {"error":{…}})
  --help, -h       help

Example:
  export OVERTURE_API_KEY=ovt_…   # the inference key "npm start" printed
  overture generate "warm lo-fi chords in A minor, 80 BPM" --model overture-sketch --duration 20 -o track.wav --yes

${EXIT_CODES_HELP}

No colour or progress bar when stdout/stderr is not a terminal or NO_COLOR is set.`;

/** Cancel client commands on Ctrl-C (exit code 130); a second Ctrl-C exits at once. */
function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(EXIT.aborted);
    controller.abort(new DOMException('Interrupted', 'AbortError'));
  };
  process.on('SIGINT', onInterrupt);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onInterrupt) };
}

/** The CLI entry point; resolves with the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const { positional, options } = parseArguments(argv, BOOLEANS);
  const output = new Output(options.json === true);
  const [name, ...rest] = positional;
  if (name === undefined || (name === 'help' && rest.length === 0)) {
    process.stdout.write(`${HELP}\n`);
    return name === undefined && options.help !== true ? EXIT.usage : EXIT.ok;
  }
  const helpOf = name === 'help' ? rest[0] : undefined;
  const command = COMMANDS.find((candidate) => candidate.name === (helpOf ?? name));
  if (!command) return output.failure(new UsageError(`Unknown command: ${helpOf ?? name} (see overture --help)`));
  if (helpOf !== undefined || options.help === true) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return EXIT.ok;
  }
  const interrupt = command.client ? interruptSignal() : undefined;
  try {
    checkOptions(command, options);
    const argument = checkPositional(command, rest);
    let client: OvertureClient | undefined;
    return await command.run({
      argument,
      positional: rest,
      options,
      output,
      signal: interrupt?.signal ?? new AbortController().signal,
      client: () => {
        client ??= new OvertureClient({ baseUrl: text(options, 'base-url'), apiKey: text(options, 'api-key') });
        return client;
      },
    });
  } catch (error) {
    return output.failure(explainAuthentication(error, apiKeySource(text(options, 'api-key'), process.env)));
  } finally {
    interrupt?.dispose();
  }
}
