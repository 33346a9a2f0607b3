import { Command, CommanderError } from 'commander';
import { registerBackup } from './cli/backup.command';
import { registerCopyDb } from './cli/copy-db.command';
import { cliConfig, processIo, type CliIo } from './cli/cli.context';
import { registerImport } from './cli/import.command';
import { registerMigrate } from './cli/migrate.command';
import { registerOrgs } from './cli/orgs.command';
import { registerSeed } from './cli/seed.command';
import { registerSuggest } from './cli/suggest.command';
import { registerSuggestAdmin } from './cli/suggest-admin.command';
import { registerUsers } from './cli/users.command';
import { AdminInputError, ImportProblemsError } from './features/admin/admin.errors';

/**
 * The admin CLI (CONTRACT.md §3): `npm run cli -- <command>` and the package's `ftop` bin.
 * Exit codes: 0 done; 1 bad input (usage, validation, a rule) — one `error: …` line on stderr and
 * nothing written; 2 an unexpected failure. Stack traces only with LOG_LEVEL=debug or trace.
 */
export function buildProgram(io: CliIo = processIo): Command {
  const program = new Command();
  program
    .name('ftop')
    .description('FTOP Partner Portal admin CLI')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
    });
  registerMigrate(program, io);
  registerSeed(program, io);
  registerImport(program, io);
  registerUsers(program, io);
  registerOrgs(program, io);
  registerBackup(program, io);
  registerCopyDb(program, io);
  registerSuggest(program, io);
  registerSuggestAdmin(program, io);
  // Subcommands inherit the error handling: commander throws instead of calling process.exit.
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }
  return program;
}

function debugEnabled(): boolean {
  try {
    return ['debug', 'trace'].includes(cliConfig().logLevel);
  } catch {
    return false;
  }
}

/** Runs the CLI on `argv` (process.argv layout) and resolves to the exit code. */
export async function main(argv: string[] = process.argv, io: CliIo = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv);
    return 0;
  } catch (err) {
    // Commander has already printed its own one-line message (or the help/version text).
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof ImportProblemsError) {
      io.err(`error: ${err.message}:`);
      for (const line of err.lines()) io.err(`  ${line}`);
      return 1;
    }
    if (err instanceof AdminInputError) {
      io.err(`error: ${err.message}`);
      return 1;
    }
    const message = (err as Error)?.message ?? String(err);
    io.err(`error: ${message.split('\n')[0]}`);
    if (debugEnabled() && (err as Error)?.stack) io.err((err as Error).stack!);
    return 2;
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
