/**
 * What the UDP and the TCP relay share: their options, the seeded impairment with one decision maker per
 * mapping or connection, the counters of what it did, and how a relay describes itself in the tree.
 */
import {
  deriveSeed,
  describeImpairment,
  emptyStats,
  ImpairmentModel,
  impairmentSummary,
  impairmentSummaryText,
  impairmentText,
  isActive,
  randomSeed,
  type ImpairmentEvent,
  type ImpairmentStats,
} from '../sockets/impairment';
import { counted, escapeMarkdown } from '../sockets/socketView';
import { text, type Text, type TextArg } from '../../shared/l10n';
import { formatEndpoint } from '../../shared/endpoint';
import type { Endpoint, Impairment, Protocol } from '../../shared/types';

export type Family = 4 | 6;

export type RelayOptions = {
  protocol: Protocol;
  /** Where the relay listens (already resolved and allowed). */
  listen: { address: string; port: number; family: Family };
  /** Where it forwards to: `host` as the user wrote it, `address` resolved. */
  target: { host: string; address: string; port: number; family: Family };
  impairment?: Impairment;
  /** UDP: a client mapping without traffic for this long is closed, like a NAT entry. */
  idleMs?: number;
  /** TCP: how long the upstream handshake may take. */
  connectTimeoutMs?: number;
  /** UDP: most client mappings (each is an OS socket) held at once. */
  maxMappings?: number;
  /** TCP: most client connections held at once (each costs two descriptors). */
  maxConnections?: number;
};

/** How long an idle UDP mapping lives (NAT boxes use 30 s to a few minutes). */
export const UDP_IDLE_MS = 60_000;
export const TCP_CONNECT_TIMEOUT_MS = 10_000;
export const MAX_UDP_MAPPINGS = 1024;
/**
 * Client connections one TCP relay holds at once. Each costs two descriptors, and two relays pointed at each
 * other (a loop the registry refuses, but one could go through another program) would otherwise open them
 * until the host runs out.
 */
export const MAX_RELAY_CONNECTIONS = 1024;
/** Salt of the seed of the target → client direction (the client → target direction uses the seed itself). */
const DOWNSTREAM_SALT = 0x646f776e;

/** The upstream address that reaches `target`: loopback from loopback, the wildcard otherwise. */
export function upstreamBindAddress(target: { address: string; family: Family }): string {
  const loopback = target.family === 6 ? target.address === '::1' : target.address.startsWith('127.');
  if (loopback) {
    return target.family === 6 ? '::1' : '127.0.0.1';
  }
  return target.family === 6 ? '::' : '0.0.0.0';
}

/** A relay's impairment: the config in force, its seed, the decision makers it hands out, and the counters. */
export class RelayImpairment {
  /** The impairment in force (undefined when none). */
  readonly config: Impairment | undefined;
  /** The seed the decisions come from (drawn at random when none was given). */
  readonly seed: number;
  /** Everything the impairment did so far, over all legs and both directions. */
  readonly stats: ImpairmentStats = emptyStats();
  /** Mappings (UDP) or connections (TCP) given decision makers so far. */
  private streams = 0;

  constructor(
    config: Impairment | undefined,
    private readonly protocol: Protocol,
  ) {
    this.config = isActive(config) ? config : undefined;
    this.seed = (config?.seed ?? randomSeed()) >>> 0;
  }

  /**
   * The decision makers for the two directions of a new mapping or connection. The n-th one (from 0) draws
   * from seed n derived from the relay's seed: a run is replayed exactly by the same seed and the same order of
   * clients, yet every client meets its own fate. (With one seed for all, the textbook clients, which open a
   * fresh socket per run, met the same fate every run: all lost or none.)
   */
  models(): { up?: ImpairmentModel; down?: ImpairmentModel } {
    if (!this.config) {
      return {};
    }
    const seed = deriveSeed(this.seed, this.streams++);
    return {
      up: new ImpairmentModel(this.config, seed),
      down: new ImpairmentModel(this.config, deriveSeed(seed, DOWNSTREAM_SALT)),
    };
  }

  count(event: ImpairmentEvent, overflow = false): void {
    switch (event) {
      case 'drop':
        this.stats.dropped++;
        if (overflow) {
          this.stats.overflowed++;
        }
        break;
      case 'delay':
        this.stats.delayed++;
        break;
      case 'duplicate':
        this.stats.duplicated++;
        break;
      case 'reorder':
        this.stats.reordered++;
        break;
    }
  }

  /** "loss 20 %, delay 100 ms, seed 7", or '' without impairment. */
  get text(): string {
    return describeImpairment(this.config, this.seed);
  }

  /** "UDP relay 127.0.0.1:5000 → 127.0.0.1:12000 (loss 20 %, seed 7)". */
  label(local: Endpoint, target: Endpoint): string {
    const how = this.text;
    return `${this.protocol.toUpperCase()} relay ${formatEndpoint(local)} → ${formatEndpoint(target)}${how ? ` (${how})` : ''}`;
  }

  /** "seed 7" for the end of the relay's row, when an impairment is in force. */
  get seedText(): Text | '' {
    return this.config ? text('seed {0}', this.seed) : '';
  }

  /** What it did, first on the relay's row ("3 lost"). */
  get summary(): string {
    return impairmentSummary(this.protocol, this.config, this.stats);
  }

  /** The summary as a translatable text. */
  get summaryText(): Text | '' {
    return impairmentSummaryText(this.protocol, this.config, this.stats);
  }

  /** The tooltip's rows for the impairment and its counters. */
  tooltipRows(): Array<[Text, TextArg]> {
    const how = impairmentText(this.config, this.seed, escapeMarkdown);
    const rows: Array<[Text, TextArg]> = [[text('impairment'), how || text('none')]];
    if (!this.config) {
      return rows;
    }
    rows.push([
      text('seed'),
      text('{0} (the same seed and the same clients in the same order replay this run)', this.seed),
    ]);
    const { dropped, delayed, duplicated, reordered, overflowed } = this.stats;
    if (this.protocol === 'udp') {
      rows.push([
        text('lost'),
        text(
          '{0}, never delivered: UDP does not resend, the application must notice{1}',
          counted(dropped, 'datagram'),
          overflowed ? text(" ({0} of them because the link's queue was full)", overflowed) : '',
        ),
      ]);
      if (duplicated) {
        rows.push([text('duplicated'), text('{0} delivered twice', counted(duplicated, 'datagram'))]);
      }
      if (reordered) {
        rows.push([text('reordered'), text('{0} overtaken by later ones', counted(reordered, 'datagram'))]);
      }
    } else {
      rows.push([
        text('lost'),
        dropped === 1
          ? text(
              'nothing: the {0} the link dropped was resent by TCP (simulated), so every byte arrives in order',
              counted(dropped, 'segment'),
            )
          : text(
              'nothing: the {0} the link dropped were resent by TCP (simulated), so every byte arrives in order',
              counted(dropped, 'segment'),
            ),
      ]);
    }
    if (delayed) {
      rows.push([
        text('delayed'),
        text('{0} held back', counted(delayed, this.protocol === 'udp' ? 'datagram' : 'chunk')),
      ]);
    }
    return rows;
  }
}

/** Where a relay listens, where it forwards to (its `remote`), and its impairment, from its options. */
export function relaySetup(options: RelayOptions): {
  local: Endpoint;
  remote: Endpoint;
  impairment: RelayImpairment;
} {
  return {
    local: { address: options.listen.address, port: options.listen.port },
    remote: { address: options.target.address, port: options.target.port },
    impairment: new RelayImpairment(options.impairment, options.protocol),
  };
}
