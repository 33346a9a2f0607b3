import type { Command } from 'commander';
import { addPartnerUser } from '../features/admin/users.service';
import { withDb, type CliIo } from './cli.context';

/** `users add --email E --name N --org ORG [--partner-admin]`. */
export function registerUsers(program: Command, io: CliIo): void {
  const users = program.command('users').description('partner users');
  users
    .command('add')
    .description('add a partner user; the email domain must be whitelisted for the org')
    .requiredOption('--email <email>', 'sign-in name (UPN), stored lower-case')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--org <org>', 'partner org name')
    .option('--partner-admin', 'make the user a partner admin of the org', false)
    .action(async (opts: { email: string; name: string; org: string; partnerAdmin: boolean }) => {
      await withDb(async (db) => {
        const user = await addPartnerUser(db, opts);
        io.out(
          `users add: added ${user.upn} to ${user.orgName}${user.partnerAdmin ? ' as partner admin' : ''} (id ${user.id})`,
        );
      });
    });
}
