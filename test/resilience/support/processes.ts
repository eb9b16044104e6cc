import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The suites' worker script (support/worker.ts) and the `tally` command itself. */
export const WORKER = path.resolve(import.meta.dirname, 'worker.ts');
export const TALLY = path.resolve(import.meta.dirname, '../../../bin/tally.js');

/** Everything every worker process wrote to stderr (its logs), for the secret-leak checks. */
export const workerLogs: string[] = [];

export type WorkerEvent = { event: string; [key: string]: any };

export type WorkerProcess = {
  child: ChildProcess;
  events: WorkerEvent[];
  /** Resolves with the first event (already seen or still to come) that matches; rejects if the process ends first. */
  waitFor(match: (e: WorkerEvent) => boolean, timeoutMs?: number): Promise<WorkerEvent>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  send(line: string): void;
  /** Closes its stdin (the refresh worker then stops). */
  end(): void;
  stderr(): string;
};

/**
 * A script (the suites' worker, or `tally`) in a real child process on the pinned Node (process.execPath)
 * with the world's environment, so SIGKILL and two-process races are real. Lines it prints that are JSON
 * are events; any other line is an event `{ event: 'line', text }`.
 */
export function spawnWorker(env: Record<string, string>, args: string[], script = WORKER): WorkerProcess {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const events: WorkerEvent[] = [];
  const waiters: Array<{ match: (e: WorkerEvent) => boolean; resolve: (e: WorkerEvent) => void }> = [];
  let err = '';
  let buffered = '';
  const logIndex = workerLogs.push('') - 1;
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (!line.trim()) continue;
      const event = parseLine(line);
      events.push(event);
      for (const w of [...waiters]) if (w.match(event)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(event);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    workerLogs[logIndex] = err;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    events,
    exited,
    stderr: () => err,
    send: (line) => child.stdin!.write(line + '\n'),
    end: () => child.stdin!.end(),
    waitFor(match, timeoutMs = 120_000) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker ${child.pid} sent no matching event in ${timeoutMs} ms; its log:\n${err.slice(-3000)}`)), timeoutMs);
        waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
        void exited.then(({ code, signal }) => {
          clearTimeout(timer);
          const found = events.find(match);
          if (found) resolve(found);
          else reject(new Error(`worker ${child.pid} ended (code ${code}, signal ${signal}) before the awaited event; its log:\n${err.slice(-3000)}`));
        });
      });
    },
  };
}

function parseLine(line: string): WorkerEvent {
  try {
    const parsed = JSON.parse(line) as unknown;
    if (parsed && typeof parsed === 'object' && 'event' in parsed) return parsed as WorkerEvent;
  } catch {
    // not JSON: a plain line
  }
  return { event: 'line', text: line };
}
