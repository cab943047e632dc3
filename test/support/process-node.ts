import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CapturingLogger } from './capturing-logger';
import { waitFor } from './wait-for';

/**
 * An exchange node as its own operating-system process (`main.ts` under ts-node), so a test can kill
 * it with SIGKILL — no shutdown hooks, nothing flushed — and start it again on the same database.
 */
export class ProcessNode {
  private child: ChildProcess | undefined;
  /** Resolves when the current child has exited, however (exit code or signal). */
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly repoRoot: string,
    private env: Readonly<Record<string, string>>,
    readonly url: string,
    private readonly logs: CapturingLogger,
    /** The built node (`dist/…/main.js`, as the demo runs it) instead of the sources under ts-node. */
    private readonly built = false,
  ) {}

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      this.built
        ? [join(this.repoRoot, 'dist/apps/exchange-node/main.js')]
        : [join(this.repoRoot, 'tools/run-ts.js'), 'apps/exchange-node/src/main.ts'],
      {
        cwd: this.repoRoot,
        env: { ...process.env, NODE_OPTIONS: '', ...this.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const party = this.env.PUENTE_PARTY ?? '?';
    for (const stream of [child.stdout, child.stderr])
      stream?.on('data', (chunk: Buffer) => this.logs.lines.push(`process ${party} ${chunk.toString()}`));
    await waitFor(
      `${party} (process) to be ready`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${party} exited with ${child.exitCode}`);
        return (await fetch(`${this.url}/health`).catch(() => undefined))?.status === 200;
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
  }

  /** Changes settings for the next start (e.g. resume a paused relay). */
  setEnv(changes: Readonly<Record<string, string>>): void {
    this.env = { ...this.env, ...changes };
  }

  /** SIGKILL: the process gets no chance to finish, commit or flush anything. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || hasExited(child)) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** The running process's id (to read its /proc entries), or undefined when none runs. */
  get pid(): number | undefined {
    const child = this.child;
    return child && !hasExited(child) ? child.pid : undefined;
  }

  /**
   * SIGTERM alone, and how long the node took to exit by itself (its exit code or ending signal, or
   * `late` when it had not exited within `withinMs`; then it is left running for `stop` or `kill`).
   */
  async terminate(withinMs: number): Promise<{ readonly ms: number; readonly exit: number | string }> {
    const child = this.child;
    if (!child || hasExited(child)) throw new Error('the node is not running');
    const started = Date.now();
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), withinMs);
    });
    const outcome = await Promise.race([this.exited.then(() => 'exited' as const), late]);
    clearTimeout(timer);
    // Nest's shutdown hooks end a node that has closed by raising the signal again: no exit code then.
    return {
      ms: Date.now() - started,
      exit: outcome === 'late' ? 'late' : (child.exitCode ?? child.signalCode ?? 'unknown'),
    };
  }

  /** SIGTERM, and SIGKILL if the node has not exited 20 s later. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || hasExited(child)) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), 20_000);
    });
    const outcome = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (outcome === 'late') await this.kill();
  }
}

/** Exited with a code, or killed by a signal (exitCode stays null then). */
function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
