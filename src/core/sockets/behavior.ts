/** Server behaviours (docs/contract.md): what a playground server answers to each datagram, chunk or line. */
import { asciiUppercase } from './codec';
import type { Behavior } from '../../shared/types';

/** The reply for one unit of input, or undefined for none (`sink`). Pure. */
export function replyFor(behavior: Behavior, input: Buffer, fixed: Buffer | undefined): Buffer | undefined {
  switch (behavior) {
    case 'uppercase':
      return asciiUppercase(input);
    case 'echo':
      return input;
    case 'fixed':
      return fixed ?? Buffer.alloc(0);
    case 'sink':
      return undefined;
  }
}

/** A seeded PRNG (mulberry32): the same seed gives the same sequence, so a lossy run can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
