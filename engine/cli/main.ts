import { Command, CommanderError } from 'commander';
import { MemtriageError, InputError } from '../errors.js';
import { factsCommand } from './commands/facts.js';
import type { CliIo } from './io.js';

/** Exit codes are a public interface (DESIGN.md): 0 ok, 1 failure, 2 bad input. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/**
 * Runs the CLI and resolves to the exit code. The only place that touches the process is
 * bin/memtriage.js (and the default io here); everything below returns values or throws coded errors.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(err, io);
  }
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('memtriage')
    .description('Rule-based runbooks for memory incidents: facts, diagnosis and remediation from evidence.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();

  program
    .command('facts')
    .description('print every fact memtriage derives from an incident bundle')
    .argument('<bundle-dir>', 'incident bundle directory')
    .option('--format <format>', 'table or json', 'table')
    .action(async (dir: string, opts: { format: string }) => setExit(await factsCommand(dir, opts, io)));

  return program;
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    return err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
  }
  if (err instanceof InputError) {
    io.err(`memtriage: ${err.message}\n`);
    return EXIT_BAD_INPUT;
  }
  if (err instanceof MemtriageError) {
    io.err(`memtriage: ${err.code}: ${err.message}\n`);
    return EXIT_FAILURE;
  }
  io.err(`memtriage: unexpected error — please report it with the command you ran:\n${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT_FAILURE;
}

function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY === true,
  };
}
