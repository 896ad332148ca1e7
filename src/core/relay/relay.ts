/**
 * The relay: a man in the middle the student puts between their own client and server. It listens on a port,
 * forwards everything to a target and the answers back, logs every datagram or chunk on both legs, and can
 * impair the link (loss, delay, jitter, reordering, duplication; seeded, so a run can be replayed).
 *
 * udpRelay.ts works like a NAT (one upstream leg per client address), tcpRelay.ts like a proxy (one upstream
 * connection per client connection); relayCore.ts holds what they share. Both are built on the socket wing's
 * adapters, so binding, sending, logging and closing work the same as for every other playground socket.
 */
import type { SocketContext } from '../sockets/socketBase';
import type { SocketId } from '../../shared/types';
import type { RelayOptions } from './relayCore';
import { TcpRelay } from './tcpRelay';
import { UdpRelay } from './udpRelay';

export { MAX_RELAY_CONNECTIONS, MAX_UDP_MAPPINGS, TCP_CONNECT_TIMEOUT_MS, UDP_IDLE_MS } from './relayCore';
export type { RelayOptions } from './relayCore';
export { TcpPair, TcpRelay, TcpRelayLeg } from './tcpRelay';
export { UdpRelay, UdpRelayLeg } from './udpRelay';

/** A relay of either protocol. */
export type Relay = UdpRelay | TcpRelay;

/** Starts a UDP or TCP relay; rejects (with the failure logged) when the port cannot be had. */
async function startRelay(id: SocketId, ctx: SocketContext, options: RelayOptions): Promise<Relay> {
  const relay = options.protocol === 'udp' ? new UdpRelay(id, ctx, options) : new TcpRelay(id, ctx, options);
  await relay.open();
  return relay;
}

export const Relay = { start: startRelay };
