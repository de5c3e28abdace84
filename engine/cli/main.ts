import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { MemtriageError, InputError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';
import type { BacktestCliOptions } from './commands/backtest.js';
import type { CollectCliOptions } from './commands/collect.js';
import type { EvalCliOptions } from './commands/eval.js';
import type { ServeCliOptions } from './commands/serve.js';
import type { CliIo } from './io.js';

const STORE_HELP = 'a postgres:// store shared by several replicas (overrides the config)';

const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

/** Exit codes are a public interface (docs/architecture.md): 0 ok, 1 failure, 2 bad input. */
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

/**
 * Every command as a user types it (`diagnose`, `outbox list`, `rules validate`), from the same
 * declarations `main` parses: the docs are checked against it (test/docs/docs.test.ts).
 */
export function commandNames(): string[] {
  const silent = (): void => undefined;
  const program = buildProgram({ out: silent, err: silent, isTty: false }, silent);
  return program.commands.flatMap((command) =>
    command.commands.length > 0
      ? command.commands.map((sub) => `${command.name()} ${sub.name()}`)
      : [command.name()],
  );
}

/**
 * Declares every command with its options, but imports a command's module only in its action, once
 * commander has parsed argv: `--help` loads commander alone, and `diagnose` loads neither fastify,
 * SQLite, Slack, nodemailer nor resvg (the imports of serve, outbox, backtest and the channels).
 */
function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('memtriage')
    .description('Rule-based runbooks for memory incidents: facts, diagnosis and remediation from evidence.')
    .version(PACKAGE_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();

  program
    .command('facts')
    .description('print every fact memtriage derives from an incident bundle')
    .argument('<bundle>', 'incident bundle: a directory or its .tar.gz')
    .option('--format <format>', 'table or json', 'table')
    .action(async (dir: string, opts: { format: string }) =>
      setExit(await (await import('./commands/facts.js')).factsCommand(dir, opts, io)),
    );

  const collectList = (value: string, previous: string[] = []) => [...previous, value];

  program
    .command('diagnose')
    .description(
      'diagnose an incident bundle: ranked causes with evidence, or "no cause" with what to collect next',
    )
    .argument('<bundle>', 'incident bundle: a directory or its .tar.gz')
    .option(
      '--rules <dir>',
      'extra rule directory (repeatable); a rule with a default id replaces it',
      collectList,
    )
    .option('--no-default-rules', 'use only the --rules directories')
    .option(
      '--templates <dir>',
      'template directory searched before the embedded templates (repeatable)',
      collectList,
    )
    .option('--format <format>', 'text, markdown, json, slack, email or html', 'text')
    .option('--explain', 'show, for every rule, which conditions passed, failed or lacked data')
    .option('--out <file>', 'write to a file instead of stdout (--format email: a .eml message)')
    .option('--mail-from <address>', "the .eml's From (default memtriage <memtriage@localhost>)")
    .option('--mail-to <address>', 'a To address of the .eml (repeatable)', collectList)
    .action(
      async (
        dir: string,
        opts: {
          rules?: string[];
          defaultRules: boolean;
          templates?: string[];
          format: string;
          explain?: boolean;
          out?: string;
          mailFrom?: string;
          mailTo?: string[];
        },
      ) => {
        const { diagnoseCommand } = await import('./commands/diagnose.js');
        setExit(
          await diagnoseCommand(
            dir,
            {
              format: opts.format,
              ...(opts.explain ? { explain: true } : {}),
              ...(opts.out !== undefined ? { out: opts.out } : {}),
              ...(opts.mailFrom !== undefined ? { mailFrom: opts.mailFrom } : {}),
              ...(opts.mailTo ? { mailTo: opts.mailTo } : {}),
              ...(opts.rules ? { rules: opts.rules } : {}),
              ...(opts.templates ? { templates: opts.templates } : {}),
              ...(opts.defaultRules === false ? { noDefaultRules: true } : {}),
            },
            io,
          ),
        );
      },
    );

  program
    .command('render')
    .description('render the runbook of a saved diagnosis (diagnose --format json) for a channel')
    .argument('<diagnosis.json>', 'a Diagnosis saved with `memtriage diagnose --format json`')
    .requiredOption('--channel <channel>', 'text, markdown, slack, email or html')
    .option(
      '--templates <dir>',
      'template directory searched before the embedded templates (repeatable)',
      collectList,
    )
    .action(async (file: string, opts: { channel: string; templates?: string[] }) =>
      setExit(await (await import('./commands/render.js')).renderCommand(file, opts, io)),
    );

  program
    .command('collect')
    .description(
      'sample a live Go service, its cgroup and /proc into an incident bundle (Ctrl-C keeps what was collected)',
    )
    .option('--target <url>', 'http://HOST:PORT of a service exposing /debug/vars and /debug/pprof')
    .option('--cgroup <dir>', 'memory cgroup directory (v1 or v2)')
    .option('--pid <n>', 'process id, for /proc/<pid>/status')
    .option('--duration <d>', 'how long to sample', '60s')
    .option('--interval <d>', 'time between samples', '2s')
    .option('--profile-every <d>', 'also take a heap profile every <d> (pprof/<ts>.pb.gz)')
    .option(
      '--no-host-files',
      "skip this host's /proc/vmstat and /proc/pressure/memory (the service runs on another host)",
    )
    .requiredOption('--out <dir>', 'new or empty bundle directory')
    .action(async (opts: CollectCliOptions) =>
      setExit(await (await import('./commands/collect.js')).collectCommand(opts, io)),
    );

  program
    .command('serve')
    .description(
      'run the webhook server: Alertmanager and generic webhooks, delivery, /metrics and the web pages',
    )
    .option(
      '--config <file>',
      'YAML config (embedded defaults without one: loopback, no auth, stdout delivery)',
    )
    .option('--port <n>', 'TCP port (overrides the config)')
    .option('--data-dir <dir>', 'SQLite store and incident bundles (overrides the config)')
    .option('--store <url>', STORE_HELP)
    .action(async (opts: ServeCliOptions) =>
      setExit(await (await import('./commands/serve.js')).serveCommand(opts, io)),
    );

  const outbox = program.command('outbox').description('inspect and retry deliveries in the durable outbox');
  // Where the outbox commands find the store: the same three options on each.
  const storeOptions = (cmd: Command) =>
    cmd
      .option(
        '--data-dir <dir>',
        "memtriage serve data directory (default: the config's, else memtriage-data)",
      )
      .option('--config <file>', 'read the data directory (or store.url) from this serve config')
      .option('--store <url>', STORE_HELP);
  storeOptions(outbox.command('list'))
    .description('deliveries with their state, attempts and last error')
    .option('--state <state>', 'pending, sending, delivered or dead')
    .option('--limit <n>', 'at most this many')
    .action(
      async (opts: { dataDir?: string; store?: string; config?: string; state?: string; limit?: string }) =>
        setExit(await (await import('./commands/outbox.js')).outboxListCommand(opts, io)),
    );
  storeOptions(outbox.command('retry'))
    .description('send dead deliveries again (all, or the one with this id)')
    .argument('[id]', 'delivery id from outbox list')
    .action(async (id: string | undefined, opts: { dataDir?: string; store?: string; config?: string }) =>
      setExit(await (await import('./commands/outbox.js')).outboxRetryCommand(id, opts, io)),
    );

  program
    .command('backtest')
    .description('replay stored incidents through a candidate ruleset and print what would change')
    .requiredOption(
      '--rules <dir>',
      'candidate rule directory (repeatable), added to the defaults',
      collectList,
    )
    .option('--no-default-rules', 'the candidate is only the --rules directories')
    .option('--templates <dir>', 'template directory (repeatable)', collectList)
    .option('--since <when>', 'only incidents received since a duration ago (7d, 36h) or a date')
    .option('--data-dir <dir>', 'memtriage serve data directory', 'memtriage-data')
    .option('--store <url>', 'replay the incidents of this postgres:// store (several replicas) instead')
    .option('--bundles <dir>', 'replay every bundle directory in <dir> instead of the stored incidents')
    .action(async (opts: BacktestCliOptions & { defaultRules: boolean }) => {
      const { backtestCommand } = await import('./commands/backtest.js');
      setExit(
        await backtestCommand(
          { ...opts, ...(opts.defaultRules === false ? { noDefaultRules: true } : {}) },
          io,
        ),
      );
    });

  program
    .command('eval')
    .description(
      'score the rules on labelled corpora: top-1, confusion matrix, per-rule precision/recall, degraded variants',
    )
    .requiredOption('--corpus <dir>', 'corpus directory with labels.json (repeatable)', collectList)
    .option(
      '--rules <dir>',
      'extra rule directory (repeatable); a rule with a default id replaces it',
      collectList,
    )
    .option('--no-default-rules', 'use only the --rules directories')
    .option('--no-degraded', 'score the full bundles only (skip the degraded variants)')
    .option('--min-top1 <share>', 'exit 1 when fewer full bundles get the right top cause (e.g. 100%)')
    .option('--min-degraded <share>', 'exit 1 when fewer degraded variants get the right top cause')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: EvalCliOptions & { defaultRules: boolean }) => {
      const { evalCommand } = await import('./commands/eval.js');
      setExit(
        await evalCommand({ ...opts, ...(opts.defaultRules === false ? { noDefaultRules: true } : {}) }, io),
      );
    });

  const rules = program.command('rules').description('validate and test rule sets');
  for (const [name, description, command] of [
    [
      'validate',
      'validate rule directories (the embedded defaults when none is given)',
      'rulesValidateCommand',
    ],
    ['test', 'run the cases.yaml of every rule; ends with "N passed, N failed"', 'rulesTestCommand'],
  ] as const) {
    rules
      .command(name)
      .description(description)
      .argument('[dirs...]', 'rule directories, added to the defaults')
      .option('--no-default-rules', 'use only the given directories')
      .option(
        '--templates <dir>',
        'template directory searched before the embedded templates (repeatable)',
        collectList,
      )
      .action(async (dirs: string[], opts: { defaultRules: boolean; templates?: string[] }) => {
        const run = (await import('./commands/rules.js'))[command];
        setExit(
          await run(
            dirs,
            {
              ...(opts.defaultRules === false ? { noDefaultRules: true } : {}),
              ...(opts.templates ? { templates: opts.templates } : {}),
            },
            io,
          ),
        );
      });
  }

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
  io.err(
    `memtriage: unexpected error — please report it with the command you ran:\n${(err as Error)?.stack ?? String(err)}\n`,
  );
  return EXIT_FAILURE;
}

function processIo(): CliIo {
  let interrupts: ReturnType<NonNullable<CliIo['interrupts']>> | undefined;
  return {
    interrupts: () => {
      if (interrupts === undefined) {
        const abort = new AbortController();
        const stopped = new Promise<string>((resolve) => {
          for (const sig of ['SIGINT', 'SIGTERM'] as const) {
            process.once(sig, () => {
              abort.abort();
              resolve(sig);
            });
          }
        });
        interrupts = { signal: abort.signal, stopped };
      }
      return interrupts;
    },
    onReload: (fn) => void process.on('SIGHUP', fn),
    env: process.env,
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTty: process.stdout.isTTY === true,
  };
}
