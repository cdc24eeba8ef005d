import pino, { type Logger } from 'pino';

/**
 * JSON logs. Tokens and personal data never reach them: request headers are reduced to
 * what operations need, and known personal fields are censored wherever they appear.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'child-care-hub' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.idNumber',
        '*.phone',
        '*.name',
        'variables',
        '*.variables',
      ],
      censor: '[redacted]',
    },
  });
}
