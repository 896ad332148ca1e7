/** The well-known ports table the Ports view and the notes use, and the IANA port ranges. */

export type WellKnownPort = { port: number; service: string; name: string; protocols: ('tcp' | 'udp')[] };

/** Ports the Ports view labels. The slide's table first, then other common services; sorted by port. */
export const WELL_KNOWN_PORTS: readonly WellKnownPort[] = [
  { port: 20, service: 'FTP-DATA', name: 'File Transfer Protocol (data, active mode)', protocols: ['tcp'] },
  { port: 21, service: 'FTP', name: 'File Transfer Protocol (control)', protocols: ['tcp'] },
  { port: 22, service: 'SSH', name: 'Secure Shell', protocols: ['tcp'] },
  { port: 23, service: 'Telnet', name: 'Telnet remote terminal (unencrypted)', protocols: ['tcp'] },
  { port: 25, service: 'SMTP', name: 'Simple Mail Transfer Protocol', protocols: ['tcp'] },
  { port: 53, service: 'DNS', name: 'Domain Name System', protocols: ['udp', 'tcp'] },
  { port: 67, service: 'DHCP', name: 'DHCP server (BOOTP server)', protocols: ['udp'] },
  { port: 68, service: 'DHCP-client', name: 'DHCP client (BOOTP client)', protocols: ['udp'] },
  { port: 69, service: 'TFTP', name: 'Trivial File Transfer Protocol', protocols: ['udp'] },
  { port: 80, service: 'HTTP', name: 'Hypertext Transfer Protocol', protocols: ['tcp'] },
  { port: 110, service: 'POP3', name: 'Post Office Protocol 3', protocols: ['tcp'] },
  { port: 123, service: 'NTP', name: 'Network Time Protocol', protocols: ['udp'] },
  { port: 143, service: 'IMAP', name: 'Internet Message Access Protocol', protocols: ['tcp'] },
  { port: 161, service: 'SNMP', name: 'Simple Network Management Protocol', protocols: ['udp'] },
  { port: 162, service: 'SNMP-trap', name: 'SNMP traps', protocols: ['udp'] },
  { port: 443, service: 'HTTPS', name: 'HTTP over TLS (and HTTP/3 over QUIC)', protocols: ['tcp', 'udp'] },
  { port: 514, service: 'syslog', name: 'System logging', protocols: ['udp'] },
  {
    port: 587,
    service: 'Submission',
    name: 'Mail submission (SMTP with authentication)',
    protocols: ['tcp'],
  },
  { port: 993, service: 'IMAPS', name: 'IMAP over TLS', protocols: ['tcp'] },
  { port: 995, service: 'POP3S', name: 'POP3 over TLS', protocols: ['tcp'] },
  { port: 1883, service: 'MQTT', name: 'MQTT message broker', protocols: ['tcp'] },
  { port: 3306, service: 'MySQL', name: 'MySQL / MariaDB database', protocols: ['tcp'] },
  { port: 3389, service: 'RDP', name: 'Remote Desktop Protocol', protocols: ['tcp', 'udp'] },
  { port: 5353, service: 'mDNS', name: 'Multicast DNS (Bonjour, Avahi)', protocols: ['udp'] },
  { port: 5432, service: 'PostgreSQL', name: 'PostgreSQL database', protocols: ['tcp'] },
  { port: 6379, service: 'Redis', name: 'Redis key-value store', protocols: ['tcp'] },
  {
    port: 8080,
    service: 'HTTP-alt',
    name: 'HTTP alternate (development servers, proxies)',
    protocols: ['tcp'],
  },
  { port: 8443, service: 'HTTPS-alt', name: 'HTTPS alternate', protocols: ['tcp'] },
  {
    port: 12000,
    service: 'course example',
    name: 'Course example port (UDP and TCP uppercase servers)',
    protocols: ['udp', 'tcp'],
  },
  { port: 27017, service: 'MongoDB', name: 'MongoDB database', protocols: ['tcp'] },
];

const portIndex = new Map<number, WellKnownPort>(WELL_KNOWN_PORTS.map((p) => [p.port, p]));

/** IANA range of a port: well-known 0–1023, registered 1024–49151, dynamic 49152–65535. Throws RangeError otherwise. */
export function portRange(port: number): 'well-known' | 'registered' | 'dynamic' {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  if (port <= 1023) {
    return 'well-known';
  }
  return port <= 49151 ? 'registered' : 'dynamic';
}

/** Short service name for a port (e.g. 80 → 'HTTP'); with a protocol, only if the service uses it. */
export function serviceName(port: number, protocol?: 'tcp' | 'udp'): string | undefined {
  const entry = portIndex.get(port);
  if (!entry || (protocol !== undefined && !entry.protocols.includes(protocol))) {
    return undefined;
  }
  return entry.service;
}
