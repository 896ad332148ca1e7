/**
 * Which program holds a local port, when the OS tells: on Linux the socket's inode from /proc/net and the
 * `socket:[inode]` links under /proc/<pid>/fd (the reading the Ports view uses). Elsewhere, or when the holder
 * belongs to another user, the answer is "unknown" and the caller keeps its general explanation.
 */
import {
  findSocketOwners,
  listListeningPorts,
  type ListOptions,
  type OwnerOptions,
  type SocketOwner,
} from './procNet';
import type { Protocol } from '../../shared/types';
import { isWildcard } from '../validate';

export type HolderOptions = ListOptions & OwnerOptions;

/** How well a bound address explains a failed bind of `wanted`: same address first, then a wildcard. */
function rank(bound: string, wanted: string): number {
  const a = bound.toLowerCase().replace(/^::ffff:/, '');
  const b = wanted.toLowerCase().replace(/^::ffff:/, '');
  if (a === b) {
    return 0;
  }
  if (isWildcard(a) || isWildcard(b)) {
    return 1;
  }
  return 2;
}

/** The process holding `protocol` port `port` (bound on or over `address`), or undefined when not known. */
export async function findPortHolder(
  protocol: Protocol,
  port: number,
  address: string,
  options: HolderOptions = {},
): Promise<SocketOwner | undefined> {
  const platform = options.platform ?? process.platform;
  if ((platform !== 'linux' && platform !== 'android') || port <= 0) {
    return undefined;
  }
  let entries;
  try {
    entries = await listListeningPorts({ ...options, platform });
  } catch {
    return undefined;
  }
  const candidates = entries
    .filter((e) => e.protocol === protocol && e.port === port && e.inode !== undefined && e.inode > 0)
    .sort((x, y) => rank(x.address, address) - rank(y.address, address));
  if (candidates.length === 0) {
    return undefined;
  }
  const owners = await findSocketOwners(
    candidates.map((e) => e.inode!),
    options,
  );
  for (const e of candidates) {
    const owner = owners.get(e.inode!);
    if (owner) {
      return owner;
    }
  }
  return undefined;
}
