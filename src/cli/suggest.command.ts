import readline from 'node:readline';
import type { Command } from 'commander';
import { suggest } from '../features/suggest/suggest.service';
import type { CliIo } from './cli.context';

/**
 * `suggest [TEXT]` (CONTRACT.md §3): the L1/L2/L3 suggestion for a status note as one JSON line,
 * `{"l1":…,"l2":…,"l3":…,"confidence":"high"|"marginal"|"poor","alternatives":[{l1,l2,l3,probability}×3]}`; without TEXT, one line of output per
 * line of standard input. Uses the same learned model as POST /suggest.
 */
export function registerSuggest(program: Command, io: CliIo, input: NodeJS.ReadableStream = process.stdin): void {
  program
    .command('suggest')
    .description('suggest L1/L2/L3 for a status note')
    .argument('[text]', 'status note; without it, one note per line on stdin')
    .action(async (text?: string) => {
      const line = (note: string) => {
        const s = suggest(note);
        const alternatives = s.alternatives.map((a) => ({
          l1: a.l1,
          l2: a.l2 || null,
          l3: a.l3 || null,
          probability: a.probability,
        }));
        return JSON.stringify({
          l1: s.l1 || null,
          l2: s.l2 || null,
          l3: s.l3 || null,
          confidence: s.confidence,
          alternatives,
        });
      };
      if (text !== undefined) {
        io.out(line(text));
        return;
      }
      for await (const note of readline.createInterface({ input, crlfDelay: Infinity })) io.out(line(note));
    });
}
