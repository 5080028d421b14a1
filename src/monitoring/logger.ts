import pino, { type Logger } from 'pino';

/** Structured JSON logs on stdout, one object per line. Secrets never reach a log call. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'provesal', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ['password', '*.password', 'token', '*.token', 'code', '*.code'],
  });
}
