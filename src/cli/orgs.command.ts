import type { Command } from 'commander';
import { addOrg } from '../features/admin/orgs.service';
import { withDb, type CliIo } from './cli.context';

const collect = (value: string, previous: string[]) => [...previous, value];

/** `orgs add --name N --domain D [--domain D2] [--entra-tenant-id GUID] [--mpn-id ID]`. */
export function registerOrgs(program: Command, io: CliIo): void {
  const orgs = program.command('orgs').description('partner organisations');
  orgs
    .command('add')
    .description('add a partner org with its whitelisted domains and its queue principal')
    .requiredOption('--name <name>', 'org name, unique')
    .option('--domain <domain>', 'whitelisted domain (repeatable; at least one)', collect, [])
    .option('--entra-tenant-id <guid>', "the partner's own Entra tenant id (for Entra sign-in)")
    .option('--mpn-id <id>', 'Partner MPN ID')
    .action(async (opts: { name: string; domain: string[]; entraTenantId?: string; mpnId?: string }) => {
      await withDb(async (db) => {
        const org = await addOrg(db, {
          name: opts.name,
          domains: opts.domain,
          entraTenantId: opts.entraTenantId,
          mpnId: opts.mpnId,
        });
        io.out(
          `orgs add: added "${org.name}" (id ${org.id}) with domains ${org.domains.join(', ')}; queue principal ${org.queue.upn} ("${org.queue.displayName}")`,
        );
      });
    });
}
