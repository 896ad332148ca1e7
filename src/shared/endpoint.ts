/** One way to write and read an endpoint, for the host and the webviews alike: `127.0.0.1:12000`, `[::1]:12000`. */
import type { Endpoint } from './types';

/** `address:port`, with IPv6 addresses in brackets; '' for no endpoint. */
export function formatEndpoint(e: Endpoint | undefined): string {
  if (!e) {
    return '';
  }
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

/**
 * Reads `address:port` or `[v6]:port` back. Only the shape is checked (the port is digits); callers validate the
 * range and the address, since what is allowed depends on where the text came from.
 */
export function parseEndpoint(text: string): Endpoint | undefined {
  const m = /^\s*(?:\[([^\]]+)\]|([^:\s[\]]+)):(\d{1,5})\s*$/.exec(text);
  if (!m) {
    return undefined;
  }
  return { address: (m[1] ?? m[2])!, port: Number(m[3]) };
}
