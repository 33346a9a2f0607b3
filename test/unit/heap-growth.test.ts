import { execFileSync } from 'node:child_process';
import { loadConfig, v8Flags } from '../../src/config';

/**
 * HEAP_GROWTH_PERCENT (issue 14 item 5, docs/decisions.md 124): the server sets V8's heap growth at start-up
 * with v8.setFlagsFromString, after V8 has started. The last test shows that a flag set that late still
 * bounds the heap: the same allocation pattern in a child process, with and without it.
 */
describe('HEAP_GROWTH_PERCENT', () => {
  it('defaults to 50: the heap grows to 1.5 times what was live', () => {
    expect(v8Flags(loadConfig({}))).toEqual(['--heap-growing-percent=50']);
  });

  it('0 leaves V8 its own growth factor; another value is passed on', () => {
    expect(v8Flags(loadConfig({ HEAP_GROWTH_PERCENT: '0' }))).toEqual([]);
    expect(v8Flags(loadConfig({ HEAP_GROWTH_PERCENT: '120' }))).toEqual(['--heap-growing-percent=120']);
  });

  it.each(['-1', '301', '1.5', 'half'])('refuses %s with a message naming the variable', (value) => {
    expect(() => loadConfig({ HEAP_GROWTH_PERCENT: value })).toThrow(/^Invalid configuration: HEAP_GROWTH_PERCENT/);
  });

  it('set after start-up, it keeps the heap smaller under the same allocations', () => {
    // 300,000 objects live throughout, then 6 million allocations of which the last 100,000 stay reachable:
    // the largest heapTotal seen, in MiB.
    const script = `
      const v8 = require('node:v8');
      for (const flag of JSON.parse(process.argv[1])) v8.setFlagsFromString(flag);
      const live = [];
      for (let i = 0; i < 300000; i++) live.push({ a: i, b: 'x' + i });
      const ring = new Array(100000);
      let peak = 0;
      for (let i = 0; i < 6000000; i++) {
        ring[i % 100000] = { i, s: 'y' + i, arr: [i, i + 1] };
        if (i % 20000 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal);
      }
      console.log(live.length === 300000 ? peak / 1048576 : -1);`;
    const peak = (flags: string[]) =>
      Number(execFileSync(process.execPath, ['-e', script, JSON.stringify(flags)], { encoding: 'utf8' }).trim());
    const bounded = peak(v8Flags(loadConfig({ HEAP_GROWTH_PERCENT: '30' })));
    const own = peak([]);
    expect(bounded).toBeGreaterThan(0);
    expect(bounded).toBeLessThan(own * 0.8);
  });
});
