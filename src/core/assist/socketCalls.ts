/** The socket call, in Python, C and Java, that matches a traffic event: the code a student would write. Pure. */
import type { Endpoint, SocketKind, TrafficEvent } from '../../shared/types';

export type Calls = { python: string; c: string; java: string };

function pyAddr(e: Endpoint | undefined): string {
  return e ? `('${e.address}', ${e.port})` : `(serverName, serverPort)`;
}

/** Gives the calls for one event of one kind of socket. `bytes` sizes the buffers shown. */
export function socketCallsFor(
  kind: SocketKind,
  event: TrafficEvent,
  local: Endpoint,
  remote: Endpoint | undefined,
): Calls {
  const udp = kind.startsWith('udp');
  const fam = local.address.includes(':') ? 'AF_INET6' : 'AF_INET';
  const cFam = fam;
  const type = udp ? 'SOCK_DGRAM' : 'SOCK_STREAM';
  switch (event) {
    case 'bind':
      return {
        python: `sock = socket(${fam}, ${type})\nsock.bind(('${local.address}', ${local.port}))`,
        c: `int fd = socket(${cFam}, ${type}, 0);\nbind(fd, (struct sockaddr *)&addr, sizeof addr);  /* ${local.address}:${local.port} */`,
        java: udp
          ? `DatagramSocket sock = new DatagramSocket(${local.port}, InetAddress.getByName("${local.address}"));`
          : `ServerSocket server = new ServerSocket();\nserver.bind(new InetSocketAddress("${local.address}", ${local.port}));`,
      };
    case 'listen':
      return {
        python: `sock.listen(1)  # the welcoming socket`,
        c: `listen(fd, 1);`,
        java: `// ServerSocket listens as soon as it is bound (backlog 50 by default)`,
      };
    case 'accept':
      return {
        python: `connectionSocket, addr = serverSocket.accept()  # addr == ${pyAddr(remote)}`,
        c: `int conn = accept(fd, (struct sockaddr *)&peer, &peerlen);`,
        java: `Socket connectionSocket = server.accept();`,
      };
    case 'connect':
      return {
        python: `clientSocket = socket(${fam}, SOCK_STREAM)\nclientSocket.connect(${pyAddr(remote)})`,
        c: `int fd = socket(${cFam}, SOCK_STREAM, 0);\nconnect(fd, (struct sockaddr *)&server, sizeof server);`,
        java: `Socket clientSocket = new Socket("${remote?.address ?? 'host'}", ${remote?.port ?? 12000});`,
      };
    case 'send':
      return udp
        ? {
            python: `sock.sendto(message, ${pyAddr(remote)})`,
            c: `sendto(fd, buf, len, 0, (struct sockaddr *)&dest, sizeof dest);`,
            java: `sock.send(new DatagramPacket(buf, buf.length, InetAddress.getByName("${remote?.address ?? 'host'}"), ${remote?.port ?? 12000}));`,
          }
        : {
            python: `sock.sendall(data)  # send() may write only part of it`,
            c: `send(fd, buf, len, 0);  /* returns how many bytes were taken */`,
            java: `out.write(buf); out.flush();  // out = socket.getOutputStream()`,
          };
    case 'receive':
      return udp
        ? {
            python: `message, clientAddress = sock.recvfrom(2048)  # clientAddress == ${pyAddr(remote)}`,
            c: `ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);`,
            java: `DatagramPacket p = new DatagramPacket(buf, buf.length);\nsock.receive(p);  // p.getAddress(), p.getPort() name the sender`,
          }
        : {
            python: `data = sock.recv(1024)  # some bytes of the stream, not "one message"`,
            c: `ssize_t n = recv(fd, buf, sizeof buf, 0);  /* 0 means the peer closed */`,
            java: `int n = in.read(buf);  // in = socket.getInputStream(); -1 at end of stream`,
          };
    case 'close':
      return {
        python: `sock.close()`,
        c: `close(fd);`,
        java: `sock.close();`,
      };
    case 'error':
      return {
        python: `try:\n    ...\nexcept OSError as e:\n    print(e.errno, e.strerror)`,
        c: `if (rc < 0) perror("socket call");  /* errno says why */`,
        java: `try { ... } catch (IOException e) { System.err.println(e.getMessage()); }`,
      };
    default:
      return {
        python: `# ${event}: done by the playground's simulated link, not by a socket call`,
        c: `/* ${event}: simulated by the playground, no socket call */`,
        java: `// ${event}: simulated by the playground, no socket call`,
      };
  }
}
