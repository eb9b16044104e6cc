/**
 * The resilience suites run small in CI (`npm test`, `npm run test:resilience`) and at full size with
 * `npm run test:resilience -- --full` (which sets TALLY_RESILIENCE=full).
 */
export const FULL = process.env.TALLY_RESILIENCE === 'full';

/** The reduced size in CI, the full size on request. */
export const sized = (reduced: number, full: number): number => (FULL ? full : reduced);

/** A test timeout for `count` iterations of about `eachMs`, with room for a slow shared machine. */
export const timeoutFor = (count: number, eachMs: number): number => 120_000 + count * eachMs * 3;
