/**
 * The engine's wings that load on first use: labs, protocol peers, scenario files and code assistance. Most
 * sessions use few of them, so activation should not read them. In the shipped extension each is its own file
 * beside extension.js (dist/labs.js, dist/protocols.js, dist/scenarios.js, dist/assist.js), required the
 * first time one of these functions is called, and it shares the engine's modules with extension.js (one
 * registry, one log). The build refuses a static import of a wing's module from the rest of the host, so this
 * file is the one way in. Types may be imported from anywhere: they cost nothing at run time.
 *
 * The loads are synchronous (`require`), so that a hover or a cursor move can use a wing without turning
 * async; a wing is tens of kilobytes, read once.
 */
import type * as Assist from './core/assist/index';
import type * as Labs from './core/labs/index';
import type * as Protocols from './core/protocols/index';
import type * as Scenarios from './core/scenarios/index';

function once<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

/* eslint-disable @typescript-eslint/no-require-imports -- a require() that runs on first call is what loads a wing late */
export const labs = once(() => require('./core/labs/index') as typeof Labs);
export const protocols = once(() => require('./core/protocols/index') as typeof Protocols);
export const scenarios = once(() => require('./core/scenarios/index') as typeof Scenarios);
export const assist = once(() => require('./core/assist/index') as typeof Assist);
/* eslint-enable @typescript-eslint/no-require-imports */
