import type { Command } from 'commander';
import { AdminInputError } from '../features/admin/admin.errors';

/** `suggest [TEXT]`: reserved for the L1/L2/L3 suggestion (CONTRACT.md §3); its issue comes later. */
export function registerSuggest(program: Command): void {
  program
    .command('suggest')
    .description('suggest L1/L2/L3 for a status note (not available yet)')
    .argument('[text]', 'status note; without it, one note per line on stdin')
    .action(() => {
      throw new AdminInputError('suggest is not available yet');
    });
}
