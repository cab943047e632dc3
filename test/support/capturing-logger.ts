import type { LoggerService } from '@nestjs/common';

/**
 * Keeps every log line of the nodes under test, at every level, so a test can scan them for personal
 * data; warnings and errors are also printed, to help when a test fails.
 */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];

  log(message: unknown, ...rest: unknown[]): void {
    this.keep('log', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.keep('warn', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.keep('error', message, rest);
    process.stderr.write(`${this.lines[this.lines.length - 1] ?? ''}\n`);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.keep('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.keep('verbose', message, rest);
  }

  text(): string {
    return this.lines.join('\n');
  }

  private keep(level: string, message: unknown, rest: unknown[]): void {
    const render = (v: unknown) =>
      typeof v === 'string' ? v : v instanceof Error ? `${v.message}\n${v.stack ?? ''}` : JSON.stringify(v);
    this.lines.push(`${level} ${[message, ...rest].map(render).join(' ')}`);
  }
}
