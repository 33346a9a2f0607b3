/** autocannon 9 ships no types; the slice of its API used here. */
import { createRequire } from 'node:module';

interface AutocannonResult {
  duration: number;
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p97_5: number; p99: number; average: number; max: number };
  throughput: { average: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  headers?: Record<string, string>;
  timeout?: number;
  /** Per request: `setupRequest` may change the path (the bench rotates through many queries). */
  requests?: { setupRequest: (req: { path: string }) => { path: string } }[];
}) => AutocannonRun;
/** A run: its result when it ends, and a `response` event per response with its time in ms. */
export type AutocannonRun = Promise<AutocannonResult> & {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
};
export const autocannon = createRequire(__filename)('autocannon') as Autocannon;
