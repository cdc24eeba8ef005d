/**
 * Where the hub reads the time for statutory clocks and deadlines. One per process; tests pass
 * a clock they move, so a deadline passes without waiting for it.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
