import cliProgress from 'cli-progress';

/**
 * Progress for long commands: a bar on a terminal (stderr), plain lines at every 10% otherwise
 * (stdout), so logs of scripted runs stay readable.
 */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function createProgress(label: string, write: (line: string) => void, isTty = !!process.stderr.isTTY): Progress {
  if (isTty) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} | {duration}s`,
        hideCursor: true,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total) {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.setTotal(total);
        bar.update(done);
      },
      stop() {
        if (started) bar.stop();
        started = false;
      },
    };
  }
  let lastTenth = 0;
  return {
    update(done, total) {
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (tenth > lastTenth) {
        lastTenth = tenth;
        write(`${label}: ${tenth * 10}% (${done}/${total})`);
      }
    },
    stop() {},
  };
}
