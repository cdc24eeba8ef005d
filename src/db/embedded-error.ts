/**
 * Why the embedded PostgreSQL cannot run, as one sentence that says what to do. Apart from
 * src/db/embedded.ts so that the command line can recognise it without loading the binaries.
 */
export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}
