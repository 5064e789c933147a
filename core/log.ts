/** Structured JSON logs (pino). Secrets are redacted by path so no log line carries one. */
import pino, { type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'password', '*.password', 'token', '*.token', 'secret', '*.secret', 'authorization', '*.authorization',
  'headers.authorization', 'headers.cookie', 'req.headers.authorization', 'req.headers.cookie', '*.refresh_token', '*.access_token',
];

export function createLogger(opts: { level?: string; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    { level: opts.level ?? process.env.CANHGAC_LOG_LEVEL ?? 'info', name: opts.name ?? 'canhgac', redact: { paths: REDACT, censor: '[redacted]' }, base: { pid: process.pid } },
    (opts.destination as pino.DestinationStream | undefined) ?? pino.destination({ dest: 2, sync: false }),
  );
}

/** A logger that writes nothing: for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
