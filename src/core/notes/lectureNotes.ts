/**
 * The course notes: the project's own texts on every topic of the socket-programming lecture, plus the
 * corrections the slides need, each its own note. Pure data; `annotate.ts` maps traffic events and error
 * codes onto these ids, and the notes panel, hovers and `listNotes` read them through `notes.ts`.
 *
 * Each fact here was checked against Linux, macOS, Windows and Python 3 behaviour; where they differ the
 * note says how. Code snippets are short, modern and compile (a unit test runs `py_compile` on every Python
 * snippet; C and Java snippets are compiled too when a compiler is present).
 *
 * This module is prose, not code: the extension bundle does not carry it. `esbuild.mjs` evaluates it at build
 * time into `dist/course-notes.json` and replaces it in the bundle with a loader of that file, which `notes.ts`
 * calls the first time a note is needed (so activation neither parses nor evaluates ~120 KB of text).
 * Unit tests import it as it is.
 */
import { NoteId, type Note } from './noteIds';

/** Strips the common indentation and the leading/trailing blank lines, so notes can be written indented. */
function text(strings: TemplateStringsArray, ...values: unknown[]): string {
  // A cooked string is undefined when the literal holds an invalid escape (e.g. `\d`): fail loudly, not silently.
  const part = (i: number): string => {
    const s = strings[i];
    if (s === undefined) {
      throw new Error(`lectureNotes: invalid escape in note text near: ${strings.raw[i] ?? ''}`);
    }
    return s;
  };
  let raw = part(0);
  for (let i = 0; i < values.length; i++) {
    raw += String(values[i]) + part(i + 1);
  }
  const lines = raw
    .replace(/^\s*\n/, '')
    .replace(/\s+$/, '')
    .split('\n');
  let indent = Infinity;
  for (const line of lines) {
    if (line.trim() !== '') {
      indent = Math.min(indent, line.length - line.trimStart().length);
    }
  }
  const cut = Number.isFinite(indent) ? indent : 0;
  return lines.map((line) => line.slice(cut).trimEnd()).join('\n');
}
const N = NoteId;

/** Every note, in the order of the lecture. */
export function loadNotes(): readonly Note[] {
  return NOTES;
}

const NOTES: readonly Note[] = [
  // ─── layers and ports ────────────────────────────────────────────────────────────────────────────────
  {
    id: N.LayersDivisionOfLabor,
    title: 'Who does what: network, operating system, application',
    topics: ['basics', 'layers', 'ports'],
    body: text`
      Getting a message from one program to another takes three parties, each looking at a different part
      of the address:

      - **The network** (IP and the routers on the way) delivers a packet to the right *host*. It looks only
        at the destination IP address.
      - **The operating system** of that host hands the packet to the right *socket*. Its transport layer
        (UDP or TCP, inside the kernel) looks at the destination port — and for TCP at the whole connection,
        see the 4-tuple note. Whatever arrives for TCP port 80 goes to the process that bound port 80.
      - **The application** reads from and writes to its socket, and alone decides what the bytes mean:
        an HTTP request, a DNS query, a line to uppercase.

      So the address of one end of a conversation is always *IP address + port*: the IP address picks the
      machine, the port picks the program on it. The socket API is the line between the last two parties —
      below it the kernel, above it your code.
    `,
    seeAlso: [N.PortNumbers, N.TcpFourTuple, N.BerkeleySockets],
  },
  {
    id: N.PortNumbers,
    title: 'Port numbers',
    topics: ['ports', 'basics', 'api:bind'],
    body: text`
      A port is a 16-bit number, 0–65535, naming one endpoint on a host *for one transport protocol*:
      UDP port 53 and TCP port 53 are unrelated. IANA divides the space into three ranges:

      | range | name | used for |
      | --- | --- | --- |
      | 0–1023 | well-known (system) | standard services: SSH 22, HTTP 80 |
      | 1024–49151 | registered (user) | applications registered with IANA (PostgreSQL 5432), and your own servers |
      | 49152–65535 | dynamic / private | ports the OS hands out to clients (ephemeral) |

      A server needs a fixed port that its clients know in advance. A client does not: the server learns
      the client's port from every packet it receives. Port 0 is not a usable destination; in bind() it
      means "any free port, please", and you read the chosen one back with getsockname(). The course's
      12000 lies in the registered range, so binding it needs no privileges.
    `,
    code: {
      python: text`
        import socket

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind(('127.0.0.1', 0))  # port 0: let the OS choose
            print('bound to', s.getsockname())
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons(0);                      /* 0: let the OS choose */
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(fd, (struct sockaddr *)&a, sizeof a);
        socklen_t len = sizeof a;
        getsockname(fd, (struct sockaddr *)&a, &len);
        printf("bound to port %u\\n", ntohs(a.sin_port));
        close(fd);
      `,
      java: text`
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            System.out.println("bound to port " + s.getLocalPort());
        }
      `,
      javascript: text`
        const dgram = require('node:dgram');
        const s = dgram.createSocket('udp4');
        s.bind(0, '127.0.0.1', () => {
          console.log('bound to port', s.address().port);
          s.close();
        });
      `,
    },
    seeAlso: [N.WellKnownPorts, N.EphemeralPorts, N.PrivilegedPorts, N.BindCall],
  },
  {
    id: N.WellKnownPorts,
    title: 'Well-known ports and their services',
    topics: ['ports', 'services'],
    body: text`
      Standard services listen on agreed ports so that clients can find them without asking:

      | port | service | transport |
      | --- | --- | --- |
      | 21 | FTP (control connection) | TCP |
      | 22 | SSH, secure remote shell | TCP |
      | 23 | Telnet, unencrypted remote terminal | TCP |
      | 25 | SMTP, mail between servers | TCP |
      | 53 | DNS | UDP for most queries, TCP for large answers |
      | 80 | HTTP | TCP |
      | 110 | POP3, fetch mail | TCP |
      | 143 | IMAP, mail access | TCP |
      | 443 | HTTPS | TCP, and UDP for HTTP/3 (QUIC) |

      The slide's "Telenet" is Telnet. The full list is kept by IANA; your machine has a copy in
      \`/etc/services\` (Windows: \`C:\\Windows\\System32\\drivers\\etc\\services\`), which
      \`socket.getservbyname('http', 'tcp')\` reads.

      A well-known port is a convention, not a rule the OS enforces: SSH can run on 2222 and a web server on
      8080, and a firewall that filters by port only guesses what is behind it. On Unix-like systems these
      ports are also *privileged* — see that note.
    `,
    seeAlso: [N.PortNumbers, N.PrivilegedPorts, N.SlideNameTypos],
  },
  {
    id: N.EphemeralPorts,
    title: 'Ephemeral (client) ports: who picks them, from which range',
    topics: ['ports', 'slides-correction', 'linux', 'windows', 'macos', 'api:connect', 'api:sendto'],
    body: text`
      A client rarely calls bind(). When it first calls sendto() (UDP) or connect() (TCP), the OS picks a
      free local port for it from its *ephemeral* range, and releases it when the socket is closed (for TCP
      possibly only after TIME_WAIT). Modern stacks choose the port unpredictably within the range (RFC 6056)
      instead of counting upwards, which makes blind spoofing harder.

      The slide says clients use 1024–65535; that is out of date. The real defaults:

      | system | range | where it is set |
      | --- | --- | --- |
      | IANA recommendation | 49152–65535 | RFC 6335 |
      | Linux | 32768–60999 | \`/proc/sys/net/ipv4/ip_local_port_range\` |
      | Windows (Vista and later) | 49152–65535 | \`netsh int ipv4 show dynamicport tcp\` |
      | macOS | 49152–65535 | \`sysctl net.inet.ip.portrange.first\` / \`.last\` |

      The range only governs what the OS chooses by itself: any free port can still be requested explicitly
      with bind(). A server should therefore not pick its own fixed port from inside the ephemeral range, or
      a busy client on the same machine may grab it first.
    `,
    code: {
      python: text`
        import socket

        with socket.create_connection(('127.0.0.1', 12000)) as s:
            print('my ephemeral port:', s.getsockname()[1])
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in server = {0}, me = {0};
        server.sin_family = AF_INET;
        server.sin_port = htons(12000);
        inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
        if (connect(fd, (struct sockaddr *)&server, sizeof server) == 0) {
            socklen_t len = sizeof me;
            getsockname(fd, (struct sockaddr *)&me, &len);
            printf("my ephemeral port: %u\\n", ntohs(me.sin_port));
        }
        close(fd);
      `,
      java: text`
        try (Socket s = new Socket("127.0.0.1", 12000)) {
            System.out.println("my ephemeral port: " + s.getLocalPort());
        }
      `,
      javascript: text`
        const net = require('node:net');
        const s = net.connect(12000, '127.0.0.1', () => {
          console.log('my ephemeral port:', s.localPort);
          s.end();
        });
      `,
    },
    seeAlso: [N.PortNumbers, N.TcpFourTuple, N.TcpTimeWait],
  },
  {
    id: N.PrivilegedPorts,
    title: 'Binding a port below 1024 needs privileges (on some systems)',
    topics: ['ports', 'errors', 'slides-correction', 'linux', 'macos', 'windows', 'api:bind'],
    body: text`
      On Unix-like systems ports 0–1023 are *privileged*: originally only root could bind them, so a
      connection coming from such a port was trusted to be an administrator's service. Today:

      - **Linux**: bind() needs root or the capability \`CAP_NET_BIND_SERVICE\`
        (\`sudo setcap cap_net_bind_service=+ep ./server\`); otherwise it fails with EACCES — in Python
        \`PermissionError: [Errno 13] Permission denied\`. Since Linux 4.11 the limit is the sysctl
        \`net.ipv4.ip_unprivileged_port_start\` (default 1024); lowering it lifts the restriction.
      - **macOS**: since 10.14 Mojave an ordinary user may bind low ports on the wildcard address 0.0.0.0;
        a low port on a specific address such as 127.0.0.1 still needs root.
      - **Windows**: no privileged ports. An EACCES there (WSAEACCES, 10013) usually means the port sits in
        a range the system has reserved (see \`netsh int ipv4 show excludedportrange protocol=tcp\`,
        often taken by Hyper-V, WSL or Docker) or another program holds it exclusively.

      Only binding is restricted: connecting *to* port 80 needs no privilege. For course work pick a port
      above 1023 — the examples use 12000.
    `,
    code: {
      python: text`
        import socket

        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind(('127.0.0.1', 80))
        except PermissionError:
            print('port 80 is privileged here; using 12000')
            s.bind(('127.0.0.1', 12000))
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons(80);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 && errno == EACCES)
            fprintf(stderr, "port 80 needs root or CAP_NET_BIND_SERVICE\\n");
        close(fd);
      `,
      java: text`
        try (ServerSocket s = new ServerSocket(80)) {
            System.out.println("listening on " + s.getLocalPort());
        } catch (BindException e) {
            System.out.println("cannot bind 80: " + e.getMessage());  // "Permission denied"
        }
      `,
      javascript: text`
        const net = require('node:net');
        net.createServer().listen(80, '127.0.0.1').on('error', (err) => {
          if (err.code === 'EACCES') console.log('port 80 is privileged here');
        });
      `,
    },
    seeAlso: [N.WellKnownPorts, N.PortNumbers, N.BindCall],
  },

  // ─── the API ─────────────────────────────────────────────────────────────────────────────────────────
  {
    id: N.BerkeleySockets,
    title: 'Berkeley sockets: one API everywhere',
    topics: ['basics', 'history', 'c', 'windows'],
    body: text`
      The socket API first shipped with 4.2BSD Unix in 1983, written at the University of California,
      Berkeley — hence "Berkeley sockets" or "BSD sockets". It became the de facto standard for network
      programming: POSIX specifies it, Linux and macOS implement it as system calls, and Windows provides the
      nearly identical *Winsock*. Winsock's differences are small but real: call \`WSAStartup()\` before
      anything else, \`closesocket()\` instead of \`close()\`, and errors come from \`WSAGetLastError()\` with
      names such as WSAECONNREFUSED (10061).

      Python's \`socket\` module, Java's \`java.net\`, and Node's \`net\` and \`dgram\` are all thin layers over
      these same calls. That is why socket, bind, listen, accept, connect, sendto and recvfrom look alike in
      every language, and why what you learn in one carries over to the others.
    `,
    seeAlso: [N.SocketApiC, N.SocketApiPython, N.SocketApiJava, N.SlideNameTypos],
  },
  {
    id: N.SocketApiC,
    title: 'The socket API in C',
    topics: [
      'c',
      'api:socket',
      'api:bind',
      'api:listen',
      'api:accept',
      'api:connect',
      'api:send',
      'api:recv',
      'api:sendto',
      'api:recvfrom',
      'api:close',
    ],
    body: text`
      In C every call is a system call on an integer *file descriptor*. Failures return -1 and set
      \`errno\`; print the reason with \`perror()\`. Headers: \`<sys/socket.h>\`, \`<netinet/in.h>\`,
      \`<arpa/inet.h>\`, \`<netdb.h>\`, \`<unistd.h>\`.

      | call | does |
      | --- | --- |
      | \`socket(family, type, 0)\` | creates a descriptor |
      | \`bind(fd, addr, len)\` | sets the local address and port |
      | \`listen(fd, backlog)\` | TCP: turns it into a welcoming socket |
      | \`accept(fd, addr, &len)\` | TCP: returns the next connection as a new descriptor |
      | \`connect(fd, addr, len)\` | TCP: handshake; UDP: sets a default peer |
      | \`send\` / \`recv\` | data on a connected socket |
      | \`sendto\` / \`recvfrom\` | UDP datagrams with an explicit address |
      | \`close(fd)\` | releases it (\`closesocket\` on Windows) |

      Addresses are \`struct sockaddr_in\` (IPv4) or \`struct sockaddr_in6\`, passed as
      \`struct sockaddr *\`. Ports and addresses are stored in network byte order, hence \`htons()\` and
      \`inet_pton()\`; \`getaddrinfo()\` fills the structures from a host name for you. The slides list these
      calls without C code — below is the UDP client in C.
    `,
    code: {
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        if (fd < 0) { perror("socket"); return 1; }
        struct sockaddr_in server = {0};
        server.sin_family = AF_INET;
        server.sin_port = htons(12000);
        inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);

        const char *msg = "hello";
        if (sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&server, sizeof server) < 0)
            perror("sendto");

        char buf[2048];
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, NULL, NULL);
        if (n >= 0) printf("%.*s\\n", (int)n, buf);
        close(fd);
      `,
      python: text`
        from socket import socket, AF_INET, SOCK_DGRAM

        with socket(AF_INET, SOCK_DGRAM) as s:
            s.sendto(b'hello', ('127.0.0.1', 12000))
            data, addr = s.recvfrom(2048)
            print(data.decode())
      `,
      java: text`
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(msg, msg.length, InetAddress.getByName("127.0.0.1"), 12000));
            byte[] buf = new byte[2048];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            s.receive(reply);
            System.out.println(new String(buf, 0, reply.getLength(), StandardCharsets.UTF_8));
        }
      `,
    },
    seeAlso: [N.BerkeleySockets, N.SocketApiPython, N.SocketApiJava, N.HostResolution],
  },
  {
    id: N.SocketApiPython,
    title: 'The socket API in Python 3',
    topics: [
      'python',
      'api:socket',
      'api:bind',
      'api:listen',
      'api:accept',
      'api:connect',
      'api:send',
      'api:recv',
      'api:sendto',
      'api:recvfrom',
      'api:close',
    ],
    body: text`
      Python's \`socket\` module offers the same calls as methods of a socket object, and turns failures into
      exceptions instead of -1: \`ConnectionRefusedError\`, \`PermissionError\`, \`TimeoutError\` and friends,
      all subclasses of \`OSError\` with an \`errno\` attribute. What differs from C:

      - addresses are tuples, \`('127.0.0.1', 12000)\`; in bind(), the host \`''\` means every interface;
      - data is \`bytes\`, never \`str\`: \`.encode()\` before sending, \`.decode()\` after receiving;
      - \`accept()\` returns \`(connection_socket, address)\`, \`recvfrom()\` returns \`(data, address)\`;
      - \`sendall()\` keeps sending until every byte is out — use it instead of \`send()\` on TCP;
      - sockets are context managers: \`with socket(...) as s:\` closes them even after an exception;
      - \`socket.create_connection()\` and \`socket.create_server()\` (3.8+) do the resolve, socket, bind,
        listen or connect steps in one call.

      The slides use \`from socket import *\`, which brings \`socket\`, \`AF_INET\`, \`SOCK_STREAM\`… into your
      namespace; \`import socket\` with \`socket.AF_INET\` is the other style. Don't mix them.
    `,
    code: {
      python: text`
        import socket

        # TCP server and client in one process, on an OS-chosen port
        with socket.create_server(('127.0.0.1', 0)) as server:
            port = server.getsockname()[1]
            with socket.create_connection(('127.0.0.1', port)) as client:
                conn, addr = server.accept()
                with conn:
                    client.sendall('hello'.encode())
                    print(conn.recv(1024).decode(), 'from', addr)
      `,
      c: text`
        int srv = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(12000);
        bind(srv, (struct sockaddr *)&a, sizeof a);
        listen(srv, 16);
        int conn = accept(srv, NULL, NULL);
        char buf[1024];
        ssize_t n = recv(conn, buf, sizeof buf, 0);
        if (n > 0) send(conn, buf, (size_t)n, 0);
        close(conn);
        close(srv);
      `,
      java: text`
        try (ServerSocket server = new ServerSocket(12000, 16, InetAddress.getLoopbackAddress());
             Socket conn = server.accept()) {
            byte[] buf = new byte[1024];
            int n = conn.getInputStream().read(buf);
            if (n > 0) conn.getOutputStream().write(buf, 0, n);
        }
      `,
    },
    seeAlso: [N.Python2vs3, N.PythonImportStar, N.SocketApiC, N.TcpSendAll],
  },
  {
    id: N.SocketApiJava,
    title: 'The socket API in Java',
    topics: [
      'java',
      'api:socket',
      'api:bind',
      'api:listen',
      'api:accept',
      'api:connect',
      'api:send',
      'api:recv',
      'api:sendto',
      'api:recvfrom',
      'api:close',
    ],
    body: text`
      Java's \`java.net\` wraps the calls in classes:

      - \`ServerSocket\` is the TCP welcoming socket: \`new ServerSocket(12000)\` does socket, bind and listen;
        \`accept()\` returns a \`Socket\`.
      - \`Socket\` is one TCP connection: \`new Socket(host, port)\` resolves and connects; read
        \`getInputStream()\`, write \`getOutputStream()\`.
      - \`DatagramSocket\` with \`DatagramPacket\` is UDP: a packet carries the data and the address, and
        \`send()\`/\`receive()\` play the roles of sendto/recvfrom. The slides don't mention these.

      The slides' \`InputStreamReader\`, \`BufferedReader\` and \`PrintWriter\` are not socket classes but I/O
      wrappers that turn the socket's byte streams into text and lines. Give the charset explicitly
      (\`StandardCharsets.UTF_8\`; before Java 18 the default depends on the platform). \`readLine()\` returns
      only once a \`\\n\` arrives, so the peer has to send one. \`PrintWriter\` sends nothing until flushed
      (create it with autoFlush, which flushes on \`println\`) and hides write errors — check \`checkError()\`.
      Failures are exceptions: \`ConnectException\`, \`BindException\`, \`SocketTimeoutException\`.
    `,
    code: {
      java: text`
        try (Socket s = new Socket("127.0.0.1", 12000);
             PrintWriter out = new PrintWriter(
                 new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8), true);
             BufferedReader in = new BufferedReader(
                 new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            out.println("hello");  // autoFlush: sent on println
            System.out.println("From server: " + in.readLine());
        }
      `,
      python: text`
        import socket

        with socket.create_connection(('127.0.0.1', 12000)) as s:
            s.sendall(b'hello\\n')
            reply = s.makefile('r', encoding='utf-8').readline()
            print('From server:', reply.rstrip('\\n'))
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in server = {0};
        server.sin_family = AF_INET;
        server.sin_port = htons(12000);
        inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
        if (connect(fd, (struct sockaddr *)&server, sizeof server) == 0) {
            send(fd, "hello\\n", 6, 0);
            char buf[1024];
            ssize_t n = recv(fd, buf, sizeof buf, 0);
            if (n > 0) printf("From server: %.*s", (int)n, buf);
        }
        close(fd);
      `,
    },
    seeAlso: [N.SocketApiC, N.SocketApiPython, N.TcpFraming],
  },
  {
    id: N.ClientServerPseudocode,
    title: 'Client and server in pseudo-code',
    topics: ['basics', 'tcp', 'udp'],
    body: text`
      Every TCP program follows one of two skeletons:

      - **client**: \`socket()\` → \`connect()\` → repeat { \`send()\`, \`recv()\` } → \`close()\`
      - **server**: \`socket()\` → \`bind()\` → \`listen()\` → forever { \`accept()\` → repeat { \`recv()\`,
        \`send()\` } → \`close()\` that connection }

      What the skeleton doesn't show:

      - \`accept()\` and \`recv()\` *block*: the server waits in accept() for a client, then in recv() for data.
      - "done" is normally noticed when \`recv()\` returns zero bytes (\`b''\`): the peer closed its side.
      - The server closes the *connection* socket after each client and keeps the welcoming socket.
      - While the server is busy in the inner loop, the next client waits in the listen queue: this design
        serves one client at a time.

      UDP needs neither listen, accept nor connect: the server binds and loops on recvfrom() and sendto(),
      the client just calls sendto() and recvfrom().
    `,
    code: {
      python: text`
        import socket

        def serve(port: int) -> None:
            with socket.create_server(('127.0.0.1', port)) as welcome:
                while True:
                    conn, addr = welcome.accept()
                    with conn:
                        while data := conn.recv(1024):  # b'' means the client closed
                            conn.sendall(data.upper())
      `,
    },
    seeAlso: [N.TcpWelcomingSocket, N.TcpConnectionSocket, N.TcpClose, N.TcpConcurrentClients],
  },
  {
    id: N.SocketCreate,
    title: 'socket(): choosing address family and type',
    topics: ['api:socket', 'udp', 'tcp', 'ipv6'],
    body: text`
      socket() creates an endpoint and returns a handle — a file descriptor in C, an object in Python and
      Java. Nothing is sent, and the socket has no address yet. Two arguments decide what it is:

      - **family**: \`AF_INET\` for IPv4, \`AF_INET6\` for IPv6. It fixes the address format; in Python an
        IPv4 address is \`(host, port)\`, an IPv6 one \`(host, port, flowinfo, scope_id)\`.
      - **type**: \`SOCK_DGRAM\` for UDP datagrams, \`SOCK_STREAM\` for a TCP byte stream. The third argument,
        the protocol, is normally 0: the default protocol for that family and type.

      In Python, \`socket.socket()\` without arguments means AF_INET + SOCK_STREAM, i.e. TCP over IPv4.
      Java chooses by class (\`Socket\`/\`ServerSocket\` for TCP, \`DatagramSocket\` for UDP) and Node by module
      (\`net\` for TCP, \`dgram.createSocket('udp4' | 'udp6')\` for UDP). Always close what you create; in
      Python a \`with\` block does it for you.
    `,
    code: {
      python: text`
        import socket

        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        tcp6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        udp.close()
        tcp6.close()
      `,
      c: text`
        int udp = socket(AF_INET, SOCK_DGRAM, 0);
        int tcp6 = socket(AF_INET6, SOCK_STREAM, 0);
        if (udp < 0 || tcp6 < 0) perror("socket");
        close(udp);
        close(tcp6);
      `,
      java: text`
        try (DatagramSocket udp = new DatagramSocket();  // UDP, bound to an ephemeral port
             Socket tcp = new Socket()) {  // TCP, not connected yet
            System.out.println(udp.getLocalPort() + " " + tcp.isConnected());
        }
      `,
      javascript: text`
        const dgram = require('node:dgram');
        const net = require('node:net');
        const udp = dgram.createSocket('udp4');
        const tcp = new net.Socket();
        udp.close();
        tcp.destroy();
      `,
    },
    seeAlso: [N.SocketApiPython, N.PythonImportStar, N.BindCall],
  },
  {
    id: N.BindCall,
    title: 'bind(): giving a socket its address and port',
    topics: ['api:bind', 'ports', 'udp', 'tcp'],
    body: text`
      bind() attaches a local address and port to a socket; from then on the OS delivers traffic for that
      protocol, address and port to this socket. Servers bind because their clients have to know where to
      find them. Clients usually skip it and get an ephemeral port on their first sendto() or connect().

      - The argument is a tuple in Python (\`('127.0.0.1', 12000)\`), a \`struct sockaddr_in\` in C (port in
        network byte order: \`htons(12000)\`), an \`InetSocketAddress\` in Java.
      - Port 0 asks for any free port; read the result with \`getsockname()\`.
      - A socket is bound once; a second bind() fails with EINVAL.
      - The usual failures: EADDRINUSE (port taken), EACCES (privileged or reserved port), EADDRNOTAVAIL
        (not an address of this machine).

      After binding, a UDP server can start its recvfrom() loop at once; a TCP server still has to call
      listen().
    `,
    code: {
      python: text`
        from socket import socket, AF_INET, SOCK_DGRAM

        server = socket(AF_INET, SOCK_DGRAM)
        server.bind(('127.0.0.1', 12000))
        print('listening on', server.getsockname())
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons(12000);
        inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) perror("bind");
        close(fd);
      `,
      java: text`
        try (DatagramSocket s = new DatagramSocket(null)) {  // unbound
            s.bind(new InetSocketAddress("127.0.0.1", 12000));
            System.out.println("bound to " + s.getLocalSocketAddress());
        }
      `,
      javascript: text`
        const dgram = require('node:dgram');
        const s = dgram.createSocket('udp4');
        s.on('error', (err) => console.error(err.code));
        s.bind(12000, '127.0.0.1', () => console.log('bound to', s.address()));
      `,
    },
    seeAlso: [N.LoopbackBind, N.PortNumbers, N.AddressInUse, N.PrivilegedPorts],
  },
  {
    id: N.LoopbackBind,
    title: 'Which address to bind: 127.0.0.1 or 0.0.0.0',
    topics: ['addresses', 'security', 'api:bind', 'playground'],
    body: text`
      The address given to bind() selects the network interfaces on which the socket accepts traffic:

      - **\`127.0.0.1\`** (IPv6 \`::1\`), the loopback: only programs on the same computer can reach the socket;
        nothing from the network gets in. The playground binds here by default (setting
        \`socketPlayground.bindAddress\`): a course server needs no outside access, and a server open to
        the café Wi-Fi is a needless risk.
      - **\`0.0.0.0\`** (IPv6 \`::\`), the wildcard: every interface — loopback, Ethernet, Wi-Fi, VPN — so
        other machines can connect if the firewall lets them. The slides' \`bind(('', serverPort))\` means this:
        in Python the empty string stands for the wildcard.
      - **a specific address** such as \`192.168.1.20\`: only traffic sent to that interface.

      0.0.0.0 is a bind address, not a destination: Linux and macOS treat a connect to it as "this host",
      Windows rejects it. On Linux a socket bound to \`::\` also accepts IPv4 unless \`IPV6_V6ONLY\` is set;
      on Windows that option is on by default. To let a classmate reach your server, bind 0.0.0.0 (in the
      playground, enable \`socketPlayground.allowRemoteBind\`) and open the port in the firewall.
    `,
    code: {
      python: text`
        import socket

        local_only = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        local_only.bind(('127.0.0.1', 12000))  # this machine only
        everyone = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        everyone.bind(('0.0.0.0', 12001))  # same as '' : every interface
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons(12000);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);   /* INADDR_ANY for every interface */
        if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) perror("bind");
        close(fd);
      `,
      java: text`
        try (ServerSocket localOnly = new ServerSocket(12000, 50, InetAddress.getLoopbackAddress());
             ServerSocket everyone = new ServerSocket(12001)) {  // no address: every interface
            System.out.println(localOnly.getInetAddress() + " " + everyone.getInetAddress());
        }
      `,
      javascript: text`
        const net = require('node:net');
        net.createServer().listen(12000, '127.0.0.1');  // this machine only
        net.createServer().listen(12001, '0.0.0.0');  // every IPv4 interface
      `,
    },
    seeAlso: [N.BindCall, N.LocalhostIpv6, N.AddressNotAvailable],
  },

  // ─── UDP ─────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: N.UdpNoConnection,
    title: 'UDP has no connection',
    topics: ['udp', 'basics'],
    body: text`
      A UDP socket is never connected to anything. There is no handshake before the first datagram, no
      state shared by the two hosts, and no goodbye: each datagram travels alone, carrying its full
      destination address. What that means in practice:

      - the server needs no \`listen()\` and no \`accept()\`; one socket bound to its port serves every client,
        told apart only by each datagram's source address;
      - a successful \`sendto()\` says nothing about the receiver — only that the datagram left this host;
      - closing a UDP socket sends nothing; the other side is not told and may go on waiting;
      - a client may start before its server; its datagrams are then simply lost.

      \`connect()\` does exist for UDP sockets, but it only stores a default destination in your own OS —
      see the note on connected UDP sockets.
    `,
    seeAlso: [N.UdpExplicitDestination, N.UdpSenderAddress, N.UdpConnectedSocket, N.Summary],
  },
  {
    id: N.UdpExplicitDestination,
    title: 'UDP: each datagram names its destination (sendto)',
    topics: ['udp', 'api:sendto'],
    body: text`
      Without a connection the destination has to travel with every datagram:
      \`sendto(data, (host, port))\`. The OS writes that address and port into the IP and UDP headers, along
      with the sender's own address and port (bound earlier, or chosen now as an ephemeral port). One
      socket can therefore talk to many peers, switching destination on every call — which is exactly what
      the UDP server does when it answers whichever client wrote last.

      - A datagram is sent whole or not at all; unlike TCP there is no partial send.
      - Too large a datagram fails with EMSGSIZE (see the size-limit note).
      - A successful return only means the datagram was handed to the network.
      - The method is \`sendto\`; the slide's \`sentto\` raises AttributeError.

      Plain \`send(data)\` without an address works only on a *connected* UDP socket.
    `,
    code: {
      python: text`
        from socket import socket, AF_INET, SOCK_DGRAM

        with socket(AF_INET, SOCK_DGRAM) as s:
            s.sendto('hello'.encode(), ('127.0.0.1', 12000))
            s.sendto('hi'.encode(), ('127.0.0.1', 12001))  # same socket, other peer
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in to = {0};
        to.sin_family = AF_INET;
        to.sin_port = htons(12000);
        inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
        ssize_t sent = sendto(fd, "hello", 5, 0, (struct sockaddr *)&to, sizeof to);
        if (sent < 0) perror("sendto");
        close(fd);
      `,
      java: text`
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(data, data.length, InetAddress.getByName("127.0.0.1"), 12000));
        }
      `,
      javascript: text`
        const dgram = require('node:dgram');
        const s = dgram.createSocket('udp4');
        s.send(Buffer.from('hello'), 12000, '127.0.0.1', (err) => {
          if (err) console.error(err.code);
          s.close();
        });
      `,
    },
    seeAlso: [N.UdpNoConnection, N.UdpSenderAddress, N.UdpDatagramLimit, N.SlideTypos],
  },
  {
    id: N.UdpSenderAddress,
    title: 'UDP: recvfrom() tells you who sent the datagram',
    topics: ['udp', 'api:recvfrom'],
    body: text`
      \`recvfrom(bufsize)\` waits for the next datagram and returns two things: the payload and the sender's
      address — \`(data, (ip, port))\` in Python. The address comes from the datagram's own IP and UDP
      headers: the client's IP address and the ephemeral port its OS picked. It is the only way a UDP server
      knows whom to answer, so it hands it straight back to \`sendto()\`, as the textbook server does with
      \`clientAddress\`.

      - One call returns exactly one datagram (see the note on message boundaries).
      - \`bufsize\` is the most you accept; 2048 is plenty for a line of text.
      - The sender's address is not verified by UDP; anyone can forge it. Don't treat it as an identity.
      - With IPv6 the address tuple has four fields: \`(ip, port, flowinfo, scope_id)\`.

      \`recv()\` also works on a UDP socket; it just throws the address away.
    `,
    code: {
      python: text`
        from socket import socket, AF_INET, SOCK_DGRAM

        server = socket(AF_INET, SOCK_DGRAM)
        server.bind(('127.0.0.1', 12000))
        message, client_address = server.recvfrom(2048)
        print('got', message, 'from', client_address)
        server.sendto(message.upper(), client_address)
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in me = {0}, from;
        me.sin_family = AF_INET;
        me.sin_port = htons(12000);
        me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(fd, (struct sockaddr *)&me, sizeof me);
        char buf[2048], ip[INET_ADDRSTRLEN];
        socklen_t len = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
        if (n >= 0) {
            inet_ntop(AF_INET, &from.sin_addr, ip, sizeof ip);
            printf("%zd bytes from %s:%u\\n", n, ip, ntohs(from.sin_port));
            sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
        }
        close(fd);
      `,
      java: text`
        try (DatagramSocket s = new DatagramSocket(12000, InetAddress.getLoopbackAddress())) {
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);  // fills data, address and port
            System.out.println("from " + p.getSocketAddress());
            s.send(new DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
        }
      `,
      javascript: text`
        const dgram = require('node:dgram');
        const s = dgram.createSocket('udp4');
        s.on('message', (msg, rinfo) => {
          console.log('from', rinfo.address, rinfo.port);
          s.send(msg, rinfo.port, rinfo.address);
        });
        s.bind(12000, '127.0.0.1');
      `,
    },
    seeAlso: [N.UdpExplicitDestination, N.UdpMessageBoundaries, N.UdpServerProgram],
  },
  {
    id: N.UdpMessageBoundaries,
    title: 'UDP keeps message boundaries',
    topics: ['udp', 'api:recvfrom', 'windows'],
    body: text`
      UDP carries *datagrams*: what one sendto() sent arrives — if it arrives — as one unit, and one
      recvfrom() returns exactly one datagram, never half of one and never two glued together. That is the
      opposite of TCP, where recv() may return any slice of the byte stream.

      The receiver has to offer a big enough buffer. \`recvfrom(2048)\` on a 3000-byte datagram returns the
      first 2048 bytes and the rest is discarded for good on Linux and macOS (in C, \`recvmsg()\` reports
      it with the \`MSG_TRUNC\` flag). On Windows the call fails instead with WSAEMSGSIZE (10040). If you
      don't know the size, 65535 fits any datagram.

      An empty datagram is legal and arrives as \`b''\`. For UDP that is just a message with no payload —
      unlike TCP, where an empty read means the peer has closed.
    `,
    code: {
      python: text`
        import socket

        a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        a.bind(('127.0.0.1', 0))
        b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        b.sendto(b'one', a.getsockname())
        b.sendto(b'two', a.getsockname())
        print(a.recvfrom(2048)[0], a.recvfrom(2048)[0])  # b'one' b'two', never b'onetwo'
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        char buf[2048];
        struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
        ssize_t n = recvmsg(fd, &msg, 0);              /* exactly one datagram */
        if (n >= 0 && (msg.msg_flags & MSG_TRUNC))
            fprintf(stderr, "datagram was longer than %zu bytes; the rest is lost\\n", sizeof buf);
        close(fd);
      `,
      java: text`
        try (DatagramSocket s = new DatagramSocket(12000, InetAddress.getLoopbackAddress())) {
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);  // one datagram; bytes beyond buf.length are dropped
            System.out.println(p.getLength() + " bytes from " + p.getSocketAddress());
        }
      `,
    },
    seeAlso: [N.UdpSenderAddress, N.TcpByteStream, N.UdpDatagramLimit],
  },
  {
    id: N.UdpLossReorder,
    title: 'UDP: datagrams may be lost, duplicated or reordered',
    topics: ['udp', 'reliability'],
    body: text`
      UDP adds ports and a checksum to IP and nothing else. A datagram can be dropped — by a full router
      queue, a full receive buffer on the destination host, a radio glitch, or because its checksum failed —
      and it can arrive twice, or overtake an earlier one that took another path. Neither side is told.
      Even on the loopback interface datagrams are lost when a fast sender overflows a slow reader's socket
      buffer.

      When an application needs more, it builds it itself on top of UDP:

      - a sequence number in every message reveals gaps, duplicates and reordering;
      - a timeout with retransmission recovers lost requests (the UDP pinger lab does this with
        \`settimeout()\`);
      - requests that are harmless to repeat make duplicates harmless.

      DNS, QUIC, games and voice take this route because they prefer speed or control to TCP's guarantees.
      Turn on loss or reordering in the playground's relay or UDP server to watch it happen.
    `,
    seeAlso: [N.Impairment, N.TcpUnderLoss, N.Blocking, N.Summary],
  },
  {
    id: N.UdpDatagramLimit,
    title: 'How large can a UDP datagram be?',
    topics: ['udp', 'errors', 'ipv6', 'macos', 'api:sendto'],
    body: text`
      A UDP datagram must fit into a single IP packet:

      - **IPv4**: 65,535 (largest IP packet) − 20 (IP header) − 8 (UDP header) = **65,507 bytes** of payload.
      - **IPv6**: the length field excludes the 40-byte IPv6 header, so 65,535 − 8 = **65,527 bytes**. More
        needs jumbograms (RFC 2675), which ordinary networks don't support.

      Larger sends fail with EMSGSIZE, "Message too long" (Python \`OSError\` errno 90 on Linux, 40 on macOS;
      WSAEMSGSIZE 10040 on Windows). macOS is stricter by default: the sysctl \`net.inet.udp.maxdgram\` caps
      a single datagram at 9,216 bytes.

      The practical limit is far lower. A packet larger than a link's MTU is split into IP fragments; on
      Ethernet (MTU 1500) that happens above **1,472 bytes** of UDP payload over IPv4 (1500 − 20 − 8) and
      1,452 over IPv6. Losing any fragment loses the whole datagram, and some firewalls drop fragments
      outright. Protocols that care keep datagrams to roughly 1,200–1,400 bytes.
    `,
    code: {
      python: text`
        import socket

        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.sendto(b'x' * 65507, ('127.0.0.1', 12000))  # the IPv4 maximum
        try:
            s.sendto(b'x' * 65508, ('127.0.0.1', 12000))
        except OSError as e:
            print('too big:', e)  # [Errno 90] Message too long
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in to = {0};
        to.sin_family = AF_INET;
        to.sin_port = htons(12000);
        inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
        static char big[65508];
        if (sendto(fd, big, sizeof big, 0, (struct sockaddr *)&to, sizeof to) < 0 && errno == EMSGSIZE)
            fprintf(stderr, "datagram too large\\n");
        close(fd);
      `,
      java: text`
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] big = new byte[65508];
            s.send(new DatagramPacket(big, big.length, InetAddress.getLoopbackAddress(), 12000));
        } catch (IOException e) {
            System.out.println("too big: " + e.getMessage());
        }
      `,
      javascript: text`
        const dgram = require('node:dgram');
        const s = dgram.createSocket('udp4');
        s.send(Buffer.alloc(65508), 12000, '127.0.0.1', (err) => {
          console.log(err && err.code); // EMSGSIZE
          s.close();
        });
      `,
    },
    seeAlso: [N.UdpExplicitDestination, N.UdpMessageBoundaries],
  },
  {
    id: N.UdpConnectedSocket,
    title: 'connect() on a UDP socket',
    topics: ['udp', 'errors', 'windows', 'api:connect', 'api:send', 'api:recv'],
    body: text`
      Calling connect() on a UDP socket sends nothing and performs no handshake. It only stores a default
      peer in your own OS, which changes three things:

      - \`send(data)\` and \`recv(n)\` work without an address;
      - datagrams from any other address are no longer delivered to this socket;
      - ICMP errors about that peer reach you. After you send to a port where nothing is bound, the peer's
        host answers "port unreachable", and your next \`send()\` or \`recv()\` fails with ECONNREFUSED.

      An unconnected socket is not told on Linux or macOS: the ICMP message is dropped, and recvfrom()
      simply keeps waiting. Windows is the exception — even on an unconnected UDP socket the next
      recvfrom() fails with WSAECONNRESET (10054), Python's \`ConnectionResetError\`; servers switch this off
      with the \`SIO_UDP_CONNRESET\` ioctl. Node's \`dgram\` has had \`socket.connect()\` with the same meaning
      since version 12.
    `,
    code: {
      python: text`
        import socket

        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.connect(('127.0.0.1', 12000))  # nothing is sent
        s.send(b'ping')
        try:
            print(s.recv(2048))
        except ConnectionRefusedError:
            print('nobody is listening on UDP 12000')
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in peer = {0};
        peer.sin_family = AF_INET;
        peer.sin_port = htons(12000);
        inet_pton(AF_INET, "127.0.0.1", &peer.sin_addr);
        connect(fd, (struct sockaddr *)&peer, sizeof peer);
        send(fd, "ping", 4, 0);
        char buf[2048];
        if (recv(fd, buf, sizeof buf, 0) < 0 && errno == ECONNREFUSED)
            fprintf(stderr, "nobody is listening\\n");
        close(fd);
      `,
      java: text`
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(InetAddress.getLoopbackAddress(), 12000);
            s.send(new DatagramPacket(new byte[] {'p'}, 1));  // goes to the connected peer
            s.setSoTimeout(1000);
            s.receive(new DatagramPacket(new byte[2048], 2048));
        } catch (PortUnreachableException e) {
            System.out.println("nobody is listening");
        }
      `,
      javascript: text`
        const dgram = require('node:dgram');
        const s = dgram.createSocket('udp4');
        s.on('error', (err) => console.log(err.code)); // ECONNREFUSED if nobody listens
        s.connect(12000, '127.0.0.1', () => s.send('ping'));
      `,
    },
    seeAlso: [N.UdpNoConnection, N.ConnectionRefused, N.ConnectionReset],
  },
  {
    id: N.UdpClientProgram,
    title: 'UDPClient.py in Python 3',
    topics: ['udp', 'python', 'program', 'api:socket', 'api:sendto', 'api:recvfrom', 'api:close'],
    body: text`
      The lecture's UDP client, corrected for Python 3. It asks for a line, sends it as one datagram to the
      server on port 12000, waits for the reply and prints it. What changed compared with the slide:

      - \`socket(AF_INET, SOCK_DGRAM)\` — the slide's \`socket.AF_INET\` fails after \`from socket import *\`,
        and \`SOCK DGRAM\` has lost its underscore;
      - \`input()\` replaces Python 2's \`raw_input()\`;
      - the text is encoded to bytes before \`sendto()\` and the reply decoded after \`recvfrom()\`;
      - \`print(...)\` is a function call.

      \`serverName\` must be a real host name or address; \`'127.0.0.1'\` reaches a server on this machine,
      such as the playground's UDP server (start it first, or the client waits forever for a reply — add
      \`clientSocket.settimeout(2)\` to give up).
    `,
    code: {
      python: text`
        from socket import *

        serverName = '127.0.0.1'
        serverPort = 12000
        clientSocket = socket(AF_INET, SOCK_DGRAM)
        message = input('Input lowercase sentence: ')
        clientSocket.sendto(message.encode(), (serverName, serverPort))
        modifiedMessage, serverAddress = clientSocket.recvfrom(2048)
        print(modifiedMessage.decode())
        clientSocket.close()
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in server = {0};
        server.sin_family = AF_INET;
        server.sin_port = htons(12000);
        inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
        char line[2048];
        printf("Input lowercase sentence: ");
        if (fgets(line, sizeof line, stdin) != NULL) {
            line[strcspn(line, "\\n")] = '\\0';
            sendto(fd, line, strlen(line), 0, (struct sockaddr *)&server, sizeof server);
            char reply[2048];
            ssize_t n = recvfrom(fd, reply, sizeof reply, 0, NULL, NULL);
            if (n >= 0) printf("%.*s\\n", (int)n, reply);
        }
        close(fd);
      `,
      java: text`
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.print("Input lowercase sentence: ");
        String line = stdin.readLine();
        try (DatagramSocket clientSocket = new DatagramSocket()) {
            byte[] data = (line == null ? "" : line).getBytes(StandardCharsets.UTF_8);
            InetAddress server = InetAddress.getByName("127.0.0.1");
            clientSocket.send(new DatagramPacket(data, data.length, server, 12000));
            byte[] buf = new byte[2048];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            clientSocket.receive(reply);
            System.out.println(new String(buf, 0, reply.getLength(), StandardCharsets.UTF_8));
        }
      `,
      javascript: text`
        const dgram = require('node:dgram');
        const client = dgram.createSocket('udp4');
        client.on('message', (msg) => {
          console.log(msg.toString('utf8'));
          client.close();
        });
        client.send(Buffer.from('hello', 'utf8'), 12000, '127.0.0.1');
      `,
    },
    seeAlso: [N.UdpServerProgram, N.Python2vs3, N.PythonImportStar, N.SlideTypos],
  },
  {
    id: N.UdpServerProgram,
    title: 'UDPServer.py in Python 3',
    topics: ['udp', 'python', 'program', 'api:socket', 'api:bind', 'api:recvfrom', 'api:sendto'],
    body: text`
      The lecture's UDP server, corrected for Python 3. One socket bound to port 12000 serves every
      client: each \`recvfrom()\` returns one datagram and its sender's address, and the reply goes back to
      exactly that address with \`sendto()\`. There is no listen(), no accept() and no per-client socket.

      Changes compared with the slide:

      - \`print(...)\` with parentheses; \`while True\` instead of \`while 1\` (both work);
      - bytes throughout: \`bytes.upper()\` uppercases ASCII letters without decoding, which also can't
        crash on input that isn't valid UTF-8 (decode, uppercase and encode if you need other scripts);
      - bound to \`127.0.0.1\` so only this machine can reach it; the slide's \`''\` accepts datagrams from
        every interface.

      Stop it with Ctrl+C. The playground's own UDP server behaves the same way (behaviour \`uppercase\`).
    `,
    code: {
      python: text`
        from socket import *

        serverPort = 12000
        serverSocket = socket(AF_INET, SOCK_DGRAM)
        serverSocket.bind(('127.0.0.1', serverPort))
        print('The server is ready to receive')
        while True:
            message, clientAddress = serverSocket.recvfrom(2048)
            modifiedMessage = message.upper()
            serverSocket.sendto(modifiedMessage, clientAddress)
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in me = {0};
        me.sin_family = AF_INET;
        me.sin_port = htons(12000);
        me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(fd, (struct sockaddr *)&me, sizeof me) < 0) { perror("bind"); return 1; }
        puts("The server is ready to receive");
        for (;;) {
            char buf[2048];
            struct sockaddr_in client;
            socklen_t len = sizeof client;
            ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&client, &len);
            if (n < 0) continue;
            for (ssize_t i = 0; i < n; i++) buf[i] = (char)toupper((unsigned char)buf[i]);
            sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&client, len);
        }
      `,
      java: text`
        try (DatagramSocket serverSocket = new DatagramSocket(12000, InetAddress.getLoopbackAddress())) {
            System.out.println("The server is ready to receive");
            byte[] buf = new byte[2048];
            while (true) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                serverSocket.receive(p);
                String text = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
                byte[] reply = text.toUpperCase().getBytes(StandardCharsets.UTF_8);
                serverSocket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            }
        }
      `,
      javascript: text`
        const dgram = require('node:dgram');
        const server = dgram.createSocket('udp4');
        server.on('message', (msg, rinfo) => {
          server.send(Buffer.from(msg.toString('utf8').toUpperCase(), 'utf8'), rinfo.port, rinfo.address);
        });
        server.bind(12000, '127.0.0.1', () => console.log('The server is ready to receive'));
      `,
    },
    seeAlso: [N.UdpClientProgram, N.UdpSenderAddress, N.Python2vs3, N.LoopbackBind],
  },

  // ─── TCP ─────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: N.TcpServerFirst,
    title: 'TCP: the server has to be running first',
    topics: ['tcp', 'basics'],
    body: text`
      With TCP the server must be ready *before* the client connects: it has created a socket, bound the
      agreed port and called listen(). Only then does the server's OS answer the client's SYN. Before that,
      the OS answers with a RST, and the client's connect() fails at once with "connection refused". There
      is no waiting room for a server that hasn't started yet, and the client does not retry by itself.

      UDP doesn't remove the ordering, it only hides the failure: a datagram sent to a port where nothing
      is bound is dropped (at most an ICMP error comes back), so a UDP client started too early just waits
      in recvfrom() — forever, unless it set a timeout.

      In the playground: start the TCP server (or your own TCPServer.py) first, then connect. If the server
      stops, new connects are refused, and connections already open are closed or reset.
    `,
    seeAlso: [N.ConnectionRefused, N.TcpWelcomingSocket, N.TcpHandshake],
  },
  {
    id: N.TcpWelcomingSocket,
    title: 'The welcoming socket: listen()',
    topics: ['tcp', 'api:listen', 'api:bind'],
    body: text`
      A TCP server starts with a socket that never carries any data: the *welcoming* (listening) socket.
      After bind() to the server's port, listen() tells the OS to accept connections for it. From then on
      the OS completes three-way handshakes by itself — even while your program is busy elsewhere — and
      queues the finished connections until the program collects them with accept().

      The welcoming socket stays open for the server's whole life and keeps receiving new clients. Each
      accept() hands out a *new* connection socket for one client. Calling recv() or send() on the welcoming
      socket is an error (ENOTCONN, "Transport endpoint is not connected"). Closing it stops new connections —
      later clients get "connection refused" — but does not end connections already accepted.

      In the playground's Sockets view, a TCP server row is the welcoming socket, and each accepted client
      appears beneath it as a child row.
    `,
    code: {
      python: text`
        from socket import *

        serverSocket = socket(AF_INET, SOCK_STREAM)
        serverSocket.bind(('127.0.0.1', 12000))
        serverSocket.listen()
        print('welcoming socket on', serverSocket.getsockname())
      `,
      c: text`
        int lfd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons(12000);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, SOMAXCONN) < 0)
            perror("bind/listen");
        close(lfd);
      `,
      java: text`
        try (ServerSocket welcoming = new ServerSocket()) {  // socket
            welcoming.bind(new InetSocketAddress("127.0.0.1", 12000), 50);  // bind + listen(50)
            System.out.println("listening on " + welcoming.getLocalSocketAddress());
        }
      `,
      javascript: text`
        const net = require('node:net');
        const server = net.createServer((conn) => conn.end());
        server.listen(12000, '127.0.0.1', () => console.log('listening on', server.address()));
      `,
    },
    seeAlso: [N.TcpListenBacklog, N.TcpConnectionSocket, N.TcpServerFirst],
  },
  {
    id: N.TcpListenBacklog,
    title: 'What listen(1) really means: the backlog',
    topics: ['tcp', 'api:listen', 'slides-correction', 'linux', 'macos', 'windows'],
    body: text`
      The number given to listen() is the *backlog*: how many connections the OS may hold that have
      completed the handshake but that the program has not yet taken with accept(). It is **not** a limit on
      clients. Accepted connections no longer count, so a server with \`listen(1)\` can serve thousands of
      clients over its life and keep many open at once, as long as it accepts them.

      How systems use it:

      - **Linux** treats it as a hint, capped by \`net.core.somaxconn\` (4096 since kernel 5.4, 128 before).
        Its check lets backlog + 1 connections wait, so \`listen(1)\` queues two. When the queue is full,
        further handshakes are silently dropped and the clients retransmit: they see a delay, not an error
        (unless \`net.ipv4.tcp_abort_on_overflow\` is set).
      - **BSD-derived stacks such as macOS** also cap it at \`kern.ipc.somaxconn\` and historically admit
        about one and a half times the backlog.
      - **Windows** refuses connection attempts beyond a full queue: the client gets WSAECONNREFUSED.

      Since Python 3.5 you may call \`listen()\` without an argument for a sensible default. The textbook's
      listen(1) is harmless because that server accepts one client at a time anyway.
    `,
    code: {
      python: text`
        from socket import *

        serverSocket = socket(AF_INET, SOCK_STREAM)
        serverSocket.bind(('127.0.0.1', 12000))
        serverSocket.listen(1)  # queue length, not a client limit
      `,
      c: text`
        int lfd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons(12000);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(lfd, (struct sockaddr *)&a, sizeof a);
        listen(lfd, SOMAXCONN);   /* ask for the system's maximum queue */
        close(lfd);
      `,
      java: text`
        try (ServerSocket s = new ServerSocket(12000, 1, InetAddress.getLoopbackAddress())) {  // backlog 1
            System.out.println("port " + s.getLocalPort() + ": backlog is a queue length, not a client limit");
        }
      `,
      javascript: text`
        const net = require('node:net');
        net.createServer().listen({ port: 12000, host: '127.0.0.1', backlog: 1 });
      `,
    },
    seeAlso: [N.TcpWelcomingSocket, N.TcpConcurrentClients, N.TcpHandshake],
  },
  {
    id: N.TcpConnectionSocket,
    title: 'accept(): a new socket for every client',
    topics: ['tcp', 'api:accept'],
    body: text`
      accept() takes the next completed connection from the listen queue and returns a brand-new socket
      for it, together with the client's address: \`connectionSocket, addr = serverSocket.accept()\`. If no
      client is waiting, it blocks until one connects.

      The new *connection socket* belongs to exactly one client: recv() and send() on it talk to that client
      only, and need no address. The welcoming socket is untouched and can accept the next client, who gets
      a socket of their own. That is how one TCP server talks to many clients.

      Close each connection socket when you are done with its client: the textbook server's
      \`connectionSocket.close()\` ends one conversation and leaves the welcoming socket open. The reverse
      also holds — closing the welcoming socket does not close connections already accepted (the playground's
      "close server" closes both).

      The connection socket has the *same* local port as the welcoming socket; the 4-tuple note explains
      why that is no problem.
    `,
    code: {
      python: text`
        from socket import *

        serverSocket = socket(AF_INET, SOCK_STREAM)
        serverSocket.bind(('127.0.0.1', 12000))
        serverSocket.listen()
        connectionSocket, addr = serverSocket.accept()
        print('client', addr, 'on local port', connectionSocket.getsockname()[1])
        connectionSocket.close()  # this client only; serverSocket stays open
      `,
      c: text`
        int lfd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0}, client;
        a.sin_family = AF_INET;
        a.sin_port = htons(12000);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(lfd, (struct sockaddr *)&a, sizeof a);
        listen(lfd, SOMAXCONN);
        socklen_t len = sizeof client;
        int cfd = accept(lfd, (struct sockaddr *)&client, &len);
        if (cfd >= 0) {
            printf("client port %u\\n", ntohs(client.sin_port));
            close(cfd);
        }
        close(lfd);
      `,
      java: text`
        try (ServerSocket welcoming = new ServerSocket(12000, 50, InetAddress.getLoopbackAddress())) {
            try (Socket conn = welcoming.accept()) {
                System.out.println("client " + conn.getRemoteSocketAddress()
                    + " on local port " + conn.getLocalPort());
            }
        }
      `,
      javascript: text`
        const net = require('node:net');
        net.createServer((conn) => {
          console.log('client', conn.remoteAddress, conn.remotePort, 'on local port', conn.localPort);
          conn.end();
        }).listen(12000, '127.0.0.1');
      `,
    },
    seeAlso: [N.TcpFourTuple, N.TcpWelcomingSocket, N.TcpConcurrentClients],
  },
  {
    id: N.TcpFourTuple,
    title: 'The accepted socket keeps the server port: the 4-tuple',
    topics: ['tcp', 'ports', 'slides-correction', 'api:accept'],
    body: text`
      The slides say the server "establishes a socket connection to client, but on different port (2789)".
      That is wrong. Every socket returned by accept() has the **same local port** as the welcoming socket —
      4242 in the slide's example, 12000 in ours. No new port is allocated and no packet ever shows the
      server on another port; \`connectionSocket.getsockname()\` confirms it.

      The OS tells connections apart by the **4-tuple** (source IP, source port, destination IP, destination
      port) — strictly a 5-tuple, with the protocol. Two clients on one host differ in their ephemeral
      ports; clients on different hosts differ in IP address. An arriving segment is first matched against
      the established connections; only segments that match none, such as a new SYN, go to the welcoming
      socket.

      The slide's "source port numbers used to distinguish clients" is nearly right: it is source IP *and*
      port together. So one server port can carry thousands of connections; the limits are memory and file
      descriptors, not port numbers.
    `,
    code: {
      python: text`
        import socket

        with socket.create_server(('127.0.0.1', 0)) as welcoming:
            port = welcoming.getsockname()[1]
            a = socket.create_connection(('127.0.0.1', port))
            b = socket.create_connection(('127.0.0.1', port))
            for _ in range(2):
                conn, addr = welcoming.accept()
                print(conn.getsockname(), '<->', conn.getpeername())  # same local port each time
                conn.close()
            a.close()
            b.close()
      `,
      c: text`
        int lfd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0}, local, peer;
        a.sin_family = AF_INET;
        a.sin_port = htons(12000);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(lfd, (struct sockaddr *)&a, sizeof a);
        listen(lfd, SOMAXCONN);
        int cfd = accept(lfd, NULL, NULL);
        socklen_t l1 = sizeof local, l2 = sizeof peer;
        getsockname(cfd, (struct sockaddr *)&local, &l1);
        getpeername(cfd, (struct sockaddr *)&peer, &l2);
        printf("local port %u, client port %u\\n", ntohs(local.sin_port), ntohs(peer.sin_port));
        close(cfd);
        close(lfd);
      `,
      java: text`
        try (ServerSocket welcoming = new ServerSocket(12000, 50, InetAddress.getLoopbackAddress());
             Socket conn = welcoming.accept()) {
            // local port == 12000; the client is told apart by its address and port
            System.out.println(conn.getLocalPort() + " <-> " + conn.getRemoteSocketAddress());
        }
      `,
    },
    seeAlso: [N.TcpConnectionSocket, N.EphemeralPorts, N.LayersDivisionOfLabor],
  },
  {
    id: N.TcpHandshake,
    title: 'connect() and the three-way handshake',
    topics: ['tcp', 'api:connect'],
    body: text`
      connect() on a TCP socket opens the connection. The client's OS picks an ephemeral port (unless the
      socket is bound) and sends a **SYN**; if a socket listens on the destination port, the server's OS
      answers **SYN-ACK**; the client replies **ACK**. Both sides now know each other's starting sequence
      numbers and the connection is *established*. connect() returns after one round trip, when the SYN-ACK
      arrives.

      The server *program* takes no part: its OS completes the handshake and queues the connection for
      accept(), so connect() can succeed before the server has called accept(). If a RST comes back instead,
      connect() fails with "connection refused"; if nothing comes back, with "timed out".

      No payload has moved yet — the first \`send()\` carries the first byte. In Python the address is one
      tuple, hence the double parentheses in \`connect((serverName, serverPort))\`. The playground's sequence
      diagram and its pcapng export start every connection with SYN, SYN-ACK, ACK.
    `,
    code: {
      python: text`
        from socket import *

        clientSocket = socket(AF_INET, SOCK_STREAM)
        clientSocket.connect(('127.0.0.1', 12000))  # returns after SYN, SYN-ACK
        print('connected from', clientSocket.getsockname())
        clientSocket.close()
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in server = {0};
        server.sin_family = AF_INET;
        server.sin_port = htons(12000);
        inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
        if (connect(fd, (struct sockaddr *)&server, sizeof server) < 0) perror("connect");
        close(fd);
      `,
      java: text`
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 12000), 5000);  // 5 s limit
            System.out.println("connected from port " + s.getLocalPort());
        }
      `,
      javascript: text`
        const net = require('node:net');
        const s = net.connect(12000, '127.0.0.1', () => {
          console.log('connected from port', s.localPort);
          s.end();
        });
        s.on('error', (err) => console.error(err.code));
      `,
    },
    seeAlso: [N.TcpServerFirst, N.ConnectionRefused, N.ConnectTimeout, N.EphemeralPorts],
  },
  {
    id: N.TcpByteStream,
    title: 'TCP recv() returns whatever has arrived: no message boundaries',
    topics: ['tcp', 'api:recv', 'slides-correction'],
    body: text`
      TCP carries a stream of bytes, not messages. The receiving OS collects arriving segments in a
      buffer, and \`recv(1024)\` returns *whatever is there*, from 1 byte up to 1024; it waits only while
      the buffer is empty. One \`send(b'hello world')\` may therefore arrive as \`b'hello'\` and then
      \`b' world'\`, and two quick sends \`b'one'\` and \`b'two'\` may come out of a single recv as
      \`b'onetwo'\`. The textbook's single \`recv(1024)\` works in the lab because a short line on loopback
      tends to arrive in one piece — not because TCP promises it.

      - Loop until you hold a whole message, marked by a delimiter or a length (see the framing note).
      - \`recv()\` returning \`b''\` means the peer closed its sending side, never "no data yet".
      - The 1024 is an upper bound, not an amount to wait for (\`MSG_WAITALL\` exists in C, but a close or a
        signal still ends it early).

      What TCP does promise: the bytes arrive intact, in order, without gaps or duplicates — or the
      connection fails with an error.
    `,
    code: {
      python: text`
        import socket

        def recv_exactly(sock: socket.socket, n: int) -> bytes:
            chunks = []
            while n > 0:
                chunk = sock.recv(n)
                if not chunk:
                    raise ConnectionError('peer closed before the message was complete')
                chunks.append(chunk)
                n -= len(chunk)
            return b''.join(chunks)
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        char buf[64];
        size_t want = sizeof buf, got = 0;
        while (got < want) {
            ssize_t n = recv(fd, buf + got, want - got, 0);
            if (n <= 0) break;          /* 0: peer closed, -1: error */
            got += (size_t)n;
        }
        close(fd);
      `,
      java: text`
        try (Socket s = new Socket("127.0.0.1", 12000)) {
            byte[] msg = s.getInputStream().readNBytes(64);  // loops over read() until 64 bytes or EOF
            System.out.println(msg.length + " bytes");
        }
      `,
      javascript: text`
        const net = require('node:net');
        const s = net.connect(12000, '127.0.0.1');
        s.on('data', (chunk) => console.log('chunk of', chunk.length, 'bytes')); // any size
        s.on('end', () => console.log('peer closed'));
      `,
    },
    seeAlso: [N.TcpFraming, N.TcpReliableInOrder, N.UdpMessageBoundaries, N.TcpClose],
  },
  {
    id: N.TcpFraming,
    title: 'Framing messages on a TCP stream',
    topics: ['tcp', 'api:recv', 'api:send', 'playground'],
    body: text`
      Because TCP knows no messages, the application has to mark where each one ends. Two common ways:

      - **A delimiter**: end every message with \`\\n\`, as line-based protocols (SMTP, HTTP headers) do,
        and read until you see it. Python's \`sock.makefile('rb').readline()\` and Java's
        \`BufferedReader.readLine()\` do the buffering for you. The delimiter must not occur inside a message.
      - **A length prefix**: send a fixed-size header holding the byte count — e.g. 4 bytes big-endian,
        \`struct.pack('!I', len(body))\` — then read exactly that many bytes. Works for any binary data.

      Either way the reader keeps calling recv() and keeps leftover bytes for the next message. The
      playground's TCP server has a \`framing\` option: \`chunk\` answers every chunk as it arrives, like the
      textbook server; \`line\` waits for complete lines and answers each.
    `,
    code: {
      python: text`
        import socket
        import struct

        def send_msg(sock: socket.socket, body: bytes) -> None:
            sock.sendall(struct.pack('!I', len(body)) + body)

        def recv_line(sock: socket.socket) -> bytes:
            return sock.makefile('rb').readline()  # up to and including b'\\n'
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        const char *body = "hello";
        uint32_t len = htonl((uint32_t)strlen(body));   /* 4-byte big-endian length */
        send(fd, &len, sizeof len, 0);
        send(fd, body, strlen(body), 0);
        close(fd);
      `,
      java: text`
        try (Socket s = new Socket("127.0.0.1", 12000)) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            out.writeInt(body.length);  // 4-byte big-endian length
            out.write(body);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] reply = new byte[in.readInt()];
            in.readFully(reply);
        }
      `,
      javascript: text`
        const net = require('node:net');
        let pending = '';
        net.connect(12000, '127.0.0.1').on('data', (chunk) => {
          pending += chunk.toString('utf8');
          let i;
          while ((i = pending.indexOf('\\n')) >= 0) {
            console.log('line:', pending.slice(0, i));
            pending = pending.slice(i + 1);
          }
        });
      `,
    },
    seeAlso: [N.TcpByteStream, N.TcpSendAll, N.PayloadEncoding],
  },
  {
    id: N.TcpSendAll,
    title: 'send() may send less than you gave it: sendall()',
    topics: ['tcp', 'api:send', 'python'],
    body: text`
      On a TCP socket, \`send(data)\` returns the number of bytes the OS accepted into its send buffer, which
      may be fewer than \`len(data)\` when the buffer is full — large payloads, a slow receiver, a
      non-blocking socket. The remainder is simply not sent unless you call again. Python's \`sendall()\`
      loops until everything is accepted (or raises), and is the right call for the textbook programs; in C
      you write that loop yourself. Java's \`OutputStream.write()\` always takes the whole array, and Node's
      \`socket.write()\` queues the rest in memory (watch its return value and the \`'drain'\` event).

      TCP's \`send()\` needs no address: the connection already knows its peer — the slide's "no need to say
      to whom". And a return from send() doesn't mean the peer received anything; it means your OS has taken
      over the bytes. If the connection is reset, data still in your send buffer is lost.

      For UDP the question doesn't arise: sendto() sends the whole datagram or fails.
    `,
    code: {
      python: text`
        from socket import *

        clientSocket = socket(AF_INET, SOCK_STREAM)
        clientSocket.connect(('127.0.0.1', 12000))
        clientSocket.sendall(b'x' * 1_000_000)  # send() might have taken only part
        clientSocket.close()
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        static char data[1000000];
        size_t off = 0;
        while (off < sizeof data) {
            ssize_t n = send(fd, data + off, sizeof data - off, 0);
            if (n < 0) { if (errno == EINTR) continue; perror("send"); break; }
            off += (size_t)n;
        }
        close(fd);
      `,
      java: text`
        try (Socket s = new Socket("127.0.0.1", 12000)) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[1_000_000]);  // blocks until every byte is handed to the OS
            out.flush();
        }
      `,
      javascript: text`
        const net = require('node:net');
        const s = net.connect(12000, '127.0.0.1', () => {
          const ok = s.write(Buffer.alloc(1000000)); // false: buffered in memory, wait for 'drain'
          if (!ok) s.once('drain', () => s.end());
          else s.end();
        });
      `,
    },
    seeAlso: [N.TcpByteStream, N.TcpFraming, N.ConnectionReset],
  },
  {
    id: N.TcpReliableInOrder,
    title: 'What TCP promises: reliable, in-order bytes',
    topics: ['tcp', 'reliability'],
    body: text`
      TCP numbers every byte. The receiver acknowledges what it has; the sender retransmits what isn't
      acknowledged in time; the receiver holds back bytes that arrive early until the gap before them is
      filled, and discards duplicates; a checksum catches corruption. Flow control keeps a fast sender from
      overrunning a slow receiver, and congestion control keeps it from overrunning the network. The
      application reads exactly the bytes that were written, in the same order, none missing or doubled.

      What TCP does not promise:

      - **timing**: a lost segment holds up everything after it until the retransmission arrives
        (head-of-line blocking);
      - **delivery at any cost**: if the path stays broken, TCP eventually gives up and the connection ends
        with an error such as ETIMEDOUT. The summary's "data always arrives" really means "arrives in order,
        or you learn that the connection failed";
      - **that the peer application read it**: an ACK only says the peer's OS has the bytes;
      - **message boundaries** (see the byte-stream note).
    `,
    seeAlso: [N.TcpByteStream, N.TcpUnderLoss, N.Summary],
  },
  {
    id: N.TcpUnderLoss,
    title: 'Why TCP still delivers in order when the network does not',
    topics: ['tcp', 'reliability', 'impairment', 'playground'],
    body: text`
      With loss, delay or reordering switched on, UDP traffic shows gaps, doubles and swapped datagrams,
      while a TCP connection still delivers every byte, in order. TCP hides the damage below the socket:
      sequence numbers put segments back in order, a missing segment is retransmitted after a timeout or
      after three duplicate ACKs (fast retransmit), and duplicates are dropped. The application sees only the
      cost: pauses while a retransmission is awaited, and lower throughput, because congestion control
      slows the sender after every loss.

      The playground's relay works *above* TCP: each of its two legs is a complete TCP connection of its
      own, so what the relay reads from one leg has already been repaired by TCP, and it writes the bytes
      to the other leg in the order it read them. Whatever the relay holds back reaches the receiver later,
      which is exactly how a lossy network looks from a TCP application: slower, never scrambled.
    `,
    seeAlso: [N.TcpReliableInOrder, N.Impairment, N.UdpLossReorder],
  },
  {
    id: N.TcpClose,
    title: 'Closing a TCP connection: FIN and half-close',
    topics: ['tcp', 'api:close', 'api:shutdown', 'api:recv'],
    body: text`
      close() on a connected TCP socket makes the OS send a **FIN** after any data still queued — "I have
      nothing more to send". The peer's recv() first returns the remaining data, then \`b''\` (zero bytes):
      that is how a program learns the other side has closed. It should then close as well, which sends the
      second FIN. Each direction ends separately, so a normal close takes four segments: FIN, ACK, FIN, ACK.

      shutdown() ends one direction only. \`sock.shutdown(SHUT_WR)\` sends the FIN but keeps receiving —
      the classic way for a client to say "that was my whole request" and still read the answer. This is a
      *half-close*; Node does the same with \`socket.end()\`, and a server sees it as the \`'end'\` event.
      Unlike close(), shutdown() acts on the connection even when other handles (a forked child) still share
      the socket.

      The side that closes first then goes through TIME_WAIT. And closing while received data is still
      unread sends a RST instead of a FIN — see the reset note.
    `,
    code: {
      python: text`
        import socket

        s = socket.create_connection(('127.0.0.1', 12000))
        s.sendall(b'whole request\\n')
        s.shutdown(socket.SHUT_WR)  # FIN: no more data from us
        while data := s.recv(1024):  # read the answer until the server's FIN
            print(data)
        s.close()
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        send(fd, "whole request\\n", 14, 0);
        shutdown(fd, SHUT_WR);               /* half-close: send FIN, keep reading */
        char buf[1024];
        ssize_t n;
        while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
            fwrite(buf, 1, (size_t)n, stdout);
        close(fd);                           /* n == 0: the peer closed too */
      `,
      java: text`
        try (Socket s = new Socket("127.0.0.1", 12000)) {
            s.getOutputStream().write("whole request\\n".getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();  // FIN
            byte[] answer = s.getInputStream().readAllBytes(); // until the server's FIN
            System.out.println(answer.length + " bytes");
        }
      `,
      javascript: text`
        const net = require('node:net');
        const s = net.connect(12000, '127.0.0.1', () => s.end('whole request\\n')); // write, then FIN
        s.on('data', (d) => process.stdout.write(d));
        s.on('end', () => console.log('server closed its side'));
      `,
    },
    seeAlso: [N.TcpReset, N.TcpTimeWait, N.SocketClosed],
  },
  {
    id: N.TcpReset,
    title: 'RST: a TCP connection aborted',
    topics: ['tcp', 'errors', 'linux'],
    body: text`
      A segment with the **RST** flag ends a TCP connection at once, without the orderly FIN exchange;
      data in flight or unread is thrown away. An OS sends one when:

      - a segment arrives for a connection it doesn't know — a SYN to a port where nothing listens
        ("connection refused"), or data for a connection that predates a reboot;
      - a program closes a socket while received data is still unread in it (Linux and most stacks), or
        closes with \`SO_LINGER\` set to a zero timeout, which is the deliberate way to abort;
      - a full listen queue with \`net.ipv4.tcp_abort_on_overflow\` on, or a firewall that rejects traffic.

      The other side's next recv() or send() fails with ECONNRESET, "connection reset by peer"; further sends
      give EPIPE. A crashing process does *not* normally cause a RST — its OS closes the sockets with FIN —
      unless unread data was left behind.

      The textbook TCP server can trigger it: if a client sends more than the server's single \`recv(1024)\`
      reads, closing the connection socket resets the connection. The playground logs such a close as
      "reset", and its pcapng export shows the RST flag.
    `,
    seeAlso: [N.ConnectionReset, N.TcpClose, N.ConnectionRefused],
  },
  {
    id: N.TcpTimeWait,
    title: 'TIME_WAIT: why a closed connection lingers',
    topics: ['tcp', 'ports', 'linux', 'macos'],
    body: text`
      The side that closes first (sends the first FIN) doesn't forget the connection at once. After the
      last ACK it keeps it in **TIME_WAIT** for twice the maximum segment lifetime: a fixed 60 seconds on
      Linux, 30 seconds on macOS, longer by default on Windows. Two reasons: if the final ACK is lost, the
      peer resends its FIN and must get an ACK again rather than a RST; and stray old segments must die out
      before the same 4-tuple can start a new connection.

      TIME_WAIT ties up only that 4-tuple; other connections on the same port are unaffected. But on
      Linux and macOS it stops a *new listening socket* from binding the port unless \`SO_REUSEADDR\` is set —
      the "address already in use" you get after restarting a server that just had clients. Since servers
      usually close first, the TIME_WAIT entries pile up on the server.

      List them with \`ss -tan state time-wait\` on Linux or \`netstat -an\` elsewhere. UDP has no TIME_WAIT.
    `,
    seeAlso: [N.ReuseAddr, N.AddressInUse, N.TcpClose],
  },
  {
    id: N.TcpConcurrentClients,
    title: 'Serving several TCP clients at once',
    topics: ['tcp', 'api:accept', 'python'],
    body: text`
      The textbook TCP server handles one client at a time. While it waits in recv() for client A, client B's
      connection is completed by the OS and waits in the listen queue, its data buffered, until the loop
      gets back to accept(). B isn't refused; it's stalled.

      Ways to serve clients concurrently:

      - **a thread per connection**: \`threading.Thread(target=handle, args=(conn,))\`, or
        \`socketserver.ThreadingTCPServer\`; in Java a thread or an \`ExecutorService\`;
      - **one event loop watching many sockets**: \`selectors\`/\`select\`, \`asyncio.start_server\`, or
        Node's \`net\`, which works this way from the start;
      - **a process per connection**: the classic \`fork()\` server in C.

      A UDP server doesn't have the problem: there is one socket, and each datagram is handled as it comes.
    `,
    code: {
      python: text`
        import socket
        import threading

        def handle(conn: socket.socket) -> None:
            with conn:
                while data := conn.recv(1024):
                    conn.sendall(data.upper())

        with socket.create_server(('127.0.0.1', 12000)) as server:
            while True:
                conn, addr = server.accept()
                threading.Thread(target=handle, args=(conn,), daemon=True).start()
      `,
      c: text`
        signal(SIGCHLD, SIG_IGN);                 /* no zombie children */
        int lfd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons(12000);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(lfd, (struct sockaddr *)&a, sizeof a);
        listen(lfd, SOMAXCONN);
        for (;;) {
            int cfd = accept(lfd, NULL, NULL);
            if (cfd < 0) continue;
            if (fork() == 0) {                    /* child: serve this client */
                close(lfd);
                char buf[1024];
                ssize_t n;
                while ((n = recv(cfd, buf, sizeof buf, 0)) > 0) send(cfd, buf, (size_t)n, 0);
                _exit(0);
            }
            close(cfd);                           /* parent: back to accept() */
        }
      `,
      java: text`
        try (ServerSocket server = new ServerSocket(12000, 50, InetAddress.getLoopbackAddress())) {
            while (true) {
                Socket conn = server.accept();
                new Thread(() -> {
                    try (conn) {
                        conn.getInputStream().transferTo(conn.getOutputStream());  // echo
                    } catch (IOException e) {
                        System.err.println(e);
                    }
                }).start();
            }
        }
      `,
      javascript: text`
        const net = require('node:net');
        net.createServer((conn) => conn.pipe(conn)).listen(12000, '127.0.0.1'); // every client at once
      `,
    },
    seeAlso: [N.TcpConnectionSocket, N.TcpListenBacklog, N.Blocking],
  },
  {
    id: N.TcpClientProgram,
    title: 'TCPClient.py in Python 3',
    topics: ['tcp', 'python', 'program', 'api:socket', 'api:connect', 'api:send', 'api:recv', 'api:close'],
    body: text`
      The lecture's TCP client, corrected for Python 3. It connects to the server on port 12000 (the
      handshake happens inside \`connect()\`), sends one line, reads the reply and closes the connection.
      Changes compared with the slide:

      - \`input()\` instead of \`raw input\`/\`raw_input()\`;
      - the line is encoded to bytes, the reply decoded; \`print()\` is a function;
      - \`sendall()\` instead of \`send()\`, which may send only part;
      - \`serverName = 'servername'\` is a placeholder: put a real name or address, e.g. \`'127.0.0.1'\`.

      One caveat remains from the original: a single \`recv(1024)\` returns whatever has arrived, which for a
      short reply on one machine is normally the whole line, but TCP doesn't guarantee it — see the
      byte-stream note. Start the server first, or \`connect()\` fails with ConnectionRefusedError.
    `,
    code: {
      python: text`
        from socket import *

        serverName = '127.0.0.1'
        serverPort = 12000
        clientSocket = socket(AF_INET, SOCK_STREAM)
        clientSocket.connect((serverName, serverPort))
        sentence = input('Input lowercase sentence: ')
        clientSocket.sendall(sentence.encode())
        modifiedSentence = clientSocket.recv(1024)
        print('From Server:', modifiedSentence.decode())
        clientSocket.close()
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in server = {0};
        server.sin_family = AF_INET;
        server.sin_port = htons(12000);
        inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
        if (connect(fd, (struct sockaddr *)&server, sizeof server) < 0) { perror("connect"); return 1; }
        char line[1024];
        printf("Input lowercase sentence: ");
        if (fgets(line, sizeof line, stdin) != NULL) {
            send(fd, line, strlen(line), 0);
            char reply[1024];
            ssize_t n = recv(fd, reply, sizeof reply, 0);
            if (n > 0) printf("From Server: %.*s\\n", (int)n, reply);
        }
        close(fd);
      `,
      java: text`
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Socket clientSocket = new Socket("127.0.0.1", 12000);
             PrintWriter out = new PrintWriter(
                 new OutputStreamWriter(clientSocket.getOutputStream(), StandardCharsets.UTF_8), true);
             BufferedReader in = new BufferedReader(
                 new InputStreamReader(clientSocket.getInputStream(), StandardCharsets.UTF_8))) {
            System.out.print("Input lowercase sentence: ");
            out.println(stdin.readLine());
            System.out.println("From Server: " + in.readLine());
        }
      `,
      javascript: text`
        const net = require('node:net');
        const client = net.connect(12000, '127.0.0.1', () => client.write('hello\\n'));
        client.on('data', (d) => {
          console.log('From Server:', d.toString('utf8'));
          client.end();
        });
      `,
    },
    seeAlso: [N.TcpServerProgram, N.TcpByteStream, N.Python2vs3, N.TcpHandshake],
  },
  {
    id: N.TcpServerProgram,
    title: 'TCPServer.py in Python 3',
    topics: ['tcp', 'python', 'program', 'api:socket', 'api:bind', 'api:listen', 'api:accept', 'api:close'],
    body: text`
      The lecture's TCP server, corrected for Python 3. The welcoming socket is bound to 12000 and listens;
      each pass of the loop accepts one client on a new connection socket, reads one chunk, sends it back in
      upper case and closes that connection — the welcoming socket stays open for the next client.

      Changes compared with the slide: \`print()\` with parentheses, \`sendall()\`, \`while True\`, and bytes
      throughout (\`bytes.upper()\` uppercases ASCII letters without decoding). It binds \`127.0.0.1\` so only
      this machine can connect; the slide's \`''\` would accept clients from every interface.

      Limits inherited from the original, each explained in its own note: one client at a time; a single
      \`recv(1024)\` may see only part of what the client sent; and if the client sent more than was read,
      closing the connection resets it instead of closing it cleanly. If a quick restart fails with "address
      already in use", wait a minute or set SO_REUSEADDR (on Linux and macOS).
    `,
    code: {
      python: text`
        from socket import *

        serverPort = 12000
        serverSocket = socket(AF_INET, SOCK_STREAM)
        serverSocket.bind(('127.0.0.1', serverPort))
        serverSocket.listen(1)
        print('The server is ready to receive')
        while True:
            connectionSocket, addr = serverSocket.accept()
            sentence = connectionSocket.recv(1024)
            capitalizedSentence = sentence.upper()
            connectionSocket.sendall(capitalizedSentence)
            connectionSocket.close()
      `,
      c: text`
        int lfd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons(12000);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 1) < 0) { perror("server"); return 1; }
        puts("The server is ready to receive");
        for (;;) {
            int cfd = accept(lfd, NULL, NULL);
            if (cfd < 0) continue;
            char buf[1024];
            ssize_t n = recv(cfd, buf, sizeof buf, 0);
            for (ssize_t i = 0; i < n; i++) buf[i] = (char)toupper((unsigned char)buf[i]);
            if (n > 0) send(cfd, buf, (size_t)n, 0);
            close(cfd);
        }
      `,
      java: text`
        try (ServerSocket welcomeSocket = new ServerSocket(12000, 1, InetAddress.getLoopbackAddress())) {
            System.out.println("The server is ready to receive");
            while (true) {
                try (Socket connectionSocket = welcomeSocket.accept();
                     BufferedReader in = new BufferedReader(new InputStreamReader(
                         connectionSocket.getInputStream(), StandardCharsets.UTF_8));
                     PrintWriter out = new PrintWriter(new OutputStreamWriter(
                         connectionSocket.getOutputStream(), StandardCharsets.UTF_8), true)) {
                    String sentence = in.readLine();
                    if (sentence != null) out.println(sentence.toUpperCase());
                }
            }
        }
      `,
      javascript: text`
        const net = require('node:net');
        net
          .createServer((conn) => {
            conn.once('data', (d) => conn.end(Buffer.from(d.toString('utf8').toUpperCase(), 'utf8')));
          })
          .listen(12000, '127.0.0.1', () => console.log('The server is ready to receive'));
      `,
    },
    seeAlso: [N.TcpClientProgram, N.TcpWelcomingSocket, N.TcpConnectionSocket, N.TcpConcurrentClients],
  },
  {
    id: N.Summary,
    title: 'Summary: UDP and TCP side by side',
    topics: ['summary', 'udp', 'tcp', 'basics'],
    body: text`
      Both run on the Berkeley socket API; they differ in almost everything else.

      | | UDP | TCP |
      | --- | --- | --- |
      | setup | none: just send | handshake in connect() |
      | addressing | destination on every sendto() | fixed when connecting |
      | server sockets | one for all clients | welcoming socket + one per client |
      | unit of data | datagram, boundaries kept | byte stream, no boundaries |
      | loss | possible, not reported | repaired by retransmission |
      | order | may change | always kept |
      | size limit | 65,507 bytes per datagram (IPv4) | none; stream |
      | end | nothing is sent | FIN (orderly) or RST (abort) |
      | Python calls | sendto / recvfrom | connect, accept, sendall / recv |

      UDP: fire datagrams at a destination; they may be lost, duplicated or reordered, and the application
      copes. TCP: a reliable, ordered byte pipe between two endpoints; "data always arrives" means it
      arrives in order, or the connection reports an error. Pick UDP for small request/response exchanges
      or real-time data where late is useless, TCP when every byte matters.
    `,
    seeAlso: [N.UdpNoConnection, N.TcpReliableInOrder, N.BerkeleySockets],
  },

  // ─── corrections to the slides ───────────────────────────────────────────────────────────────────────
  {
    id: N.Python2vs3,
    title: 'The slide code is Python 2',
    topics: ['python', 'slides-correction'],
    body: text`
      The programs on the slides are Python 2, which reached end of life in January 2020. Under Python 3
      they fail in three ways:

      1. **print is a function.** \`print modifiedMessage\` is a SyntaxError ("Missing parentheses in call to
         'print'"); write \`print(modifiedMessage)\`.
      2. **\`raw_input\` is gone.** Python 3's \`input()\` does what Python 2's \`raw_input()\` did — it
         returns the typed line as a \`str\`; \`raw_input(...)\` raises NameError. (Python 2's own \`input()\`
         evaluated the typed text as code.)
      3. **Sockets carry bytes, not text.** \`clientSocket.sendto(message, ...)\` with a \`str\` raises
         \`TypeError: a bytes-like object is required, not 'str'\`. Encode before sending —
         \`message.encode()\`, UTF-8 by default — and decode what arrives with \`data.decode()\`. Printing
         undecoded data shows \`b'HELLO'\`.

      \`bytes.upper()\` exists, but changes only ASCII letters, so the servers may uppercase without decoding.
      \`while 1:\` still works; \`while True:\` is the usual spelling.
    `,
    code: {
      python: text`
        message = input('Input lowercase sentence: ')  # Python 2: raw_input(...)
        data = message.encode()  # str -> bytes before sending
        reply = data.upper()  # what the server sends back
        print(reply.decode())  # bytes -> str; print is a function
      `,
    },
    seeAlso: [N.PayloadEncoding, N.SlideTypos, N.PythonImportStar, N.UdpClientProgram],
  },
  {
    id: N.PythonImportStar,
    title: 'socket.AF_INET after from socket import *',
    topics: ['python', 'slides-correction', 'api:socket'],
    body: text`
      The UDP client slide writes \`socket(socket.AF_INET, socket.SOCK DGRAM)\` after \`from socket import *\`.
      That mixes two import styles:

      - \`from socket import *\` copies the module's public names — \`socket\` (the class), \`AF_INET\`,
        \`SOCK_DGRAM\`, … — into your namespace; you then write \`socket(AF_INET, SOCK_DGRAM)\`.
      - \`import socket\` binds the *module*; you then write \`socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\`.

      After the star import, the name \`socket\` is the class, and the class has no attribute \`AF_INET\`.
      Python 3 therefore stops with \`AttributeError: type object 'socket' has no attribute 'AF_INET'\` — not a
      NameError, since the name \`socket\` does exist. (On the slide the line doesn't even get that far: the
      space in \`SOCK DGRAM\` is a SyntaxError first.)

      Choose one style per file. \`import socket\` is clearer in bigger programs, because every name shows
      where it comes from; the star import is what the textbook uses everywhere else.
    `,
    code: {
      python: text`
        import socket

        # either: module style
        a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

        # or: names imported directly (what 'from socket import *' gives you)
        from socket import socket as Socket, AF_INET, SOCK_DGRAM
        b = Socket(AF_INET, SOCK_DGRAM)
        a.close()
        b.close()
      `,
      c: text`
        /* C has no modules: the constants come from <sys/socket.h> */
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        close(fd);
      `,
      java: text`
        // Java picks the kind of socket by class, not by constants
        try (DatagramSocket udp = new DatagramSocket()) {
            System.out.println(udp.getLocalPort());
        }
      `,
    },
    seeAlso: [N.SlideTypos, N.SocketCreate, N.SocketApiPython],
  },
  {
    id: N.SlideTypos,
    title: 'Typos in the slide code: SOCK DGRAM, sentto, raw input',
    topics: ['python', 'slides-correction', 'api:sendto'],
    body: text`
      Three identifiers on the slides have lost a character, and each stops the program:

      | on the slide | what Python 3 says | correct |
      | --- | --- | --- |
      | \`SOCK DGRAM\` | SyntaxError: invalid syntax | \`SOCK_DGRAM\` |
      | \`sentto\` (Python API list) | AttributeError: 'socket' object has no attribute 'sentto' | \`sendto\` |
      | \`raw input(...)\` (TCP client) | SyntaxError: invalid syntax | \`input(...)\` (Python 2: \`raw_input\`) |

      A name in Python is one unbroken word, so a space splits it into two, which is never valid there;
      and a misspelt method is only noticed when the line runs. The UDP programs themselves spell \`sendto\`
      correctly — the typo is in the list of calls, where it is easy to copy from. The corrected programs
      are in the notes on UDPClient.py, UDPServer.py, TCPClient.py and TCPServer.py.
    `,
    code: {
      python: text`
        from socket import *

        clientSocket = socket(AF_INET, SOCK_DGRAM)  # not SOCK DGRAM
        clientSocket.sendto(b'hello', ('127.0.0.1', 12000))  # not sentto
        sentence = input('Input lowercase sentence: ')  # not raw input
        clientSocket.close()
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in to = {0};
        to.sin_family = AF_INET;
        to.sin_port = htons(12000);
        inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
        sendto(fd, "hello", 5, 0, (struct sockaddr *)&to, sizeof to);
        close(fd);
      `,
      java: text`
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(data, data.length, InetAddress.getLoopbackAddress(), 12000));
        }
      `,
    },
    seeAlso: [N.PythonImportStar, N.Python2vs3, N.SlideNameTypos],
  },
  {
    id: N.SlideNameTypos,
    title: 'Telenet and Berkley: two misspelt names',
    topics: ['slides-correction', 'ports', 'history'],
    body: text`
      Two names on the slides are misspelt:

      - Port 23 is **Telnet**, not "Telenet" (Telenet was an unrelated packet-switched network of the 1970s).
        Telnet gives a remote text terminal with no encryption at all — passwords cross the network in
        clear text — which is why SSH on port 22 replaced it. The \`telnet\` client is still handy for typing
        lines into a TCP server by hand; \`nc\` (netcat) does the same and speaks UDP too
        (\`nc -u 127.0.0.1 12000\`).
      - The socket API comes from the University of California, **Berkeley**: "Berkeley sockets", not
        "Berkley".
    `,
    seeAlso: [N.WellKnownPorts, N.BerkeleySockets, N.SlideTypos],
  },

  // ─── errors ──────────────────────────────────────────────────────────────────────────────────────────
  {
    id: N.SocketErrors,
    title: 'Reading socket errors',
    topics: ['errors', 'python', 'c', 'java', 'windows'],
    body: text`
      Every socket failure carries a code. C sets \`errno\` (\`perror()\` prints it), Node puts the name in
      \`err.code\`, Python raises an \`OSError\` subclass with \`.errno\` (\`ConnectionRefusedError\`,
      \`ConnectionResetError\`, \`PermissionError\`, \`TimeoutError\`, and \`socket.gaierror\` for name lookups),
      Java throws an \`IOException\` subclass (\`ConnectException\`, \`BindException\`,
      \`SocketTimeoutException\`, \`UnknownHostException\`). Windows numbers them separately with a WSA prefix
      (WSAECONNREFUSED = 10061); Node and Python translate them to the usual names.

      The numbers differ between systems (ECONNREFUSED is 111 on Linux, 61 on macOS), so compare names:
      \`e.errno == errno.ECONNREFUSED\`. First ask which call failed: bind → the address or port; connect →
      nobody listening, unreachable or too slow; send/recv → the connection broke.

      | code | usually means |
      | --- | --- |
      | EADDRINUSE | the port is taken |
      | EACCES | privileged or reserved port |
      | ECONNREFUSED | nothing listens there |
      | ECONNRESET, EPIPE | the peer aborted |
      | ETIMEDOUT | no answer at all |
      | ENOTFOUND, EAI_AGAIN | the name lookup failed |
      | EMSGSIZE | datagram too large |
    `,
    seeAlso: [N.AddressInUse, N.ConnectionRefused, N.ConnectionReset, N.ConnectTimeout, N.HostResolution],
  },
  {
    id: N.AddressInUse,
    title: '"Address already in use" (EADDRINUSE)',
    topics: ['errors', 'ports', 'tcp', 'udp', 'api:bind'],
    body: text`
      bind() — or listen() in Node — fails with EADDRINUSE when the address and port are taken (Python
      \`OSError\` errno 98 on Linux, 48 on macOS; WSAEADDRINUSE 10048 on Windows). Two usual causes:

      1. **Another socket really holds the port** — often an earlier run of your own server, still going in
         another terminal or in the background. Find the owner with \`ss -ltnup\` (Linux),
         \`lsof -nP -i :12000\` (macOS, Linux) or \`netstat -ano | findstr :12000\` (Windows, last column is
         the process id), and stop it.
      2. **You restarted a TCP server that just had connections.** Those connections wait in TIME_WAIT for
         up to a minute, and Linux and macOS refuse to bind a new listening socket to the port meanwhile —
         unless it sets \`SO_REUSEADDR\` before bind().

      UDP has no TIME_WAIT, so for UDP it is always the first cause. In the playground, close the socket
      holding the port or choose another; port 0 lets the OS pick a free one.
    `,
    code: {
      python: text`
        import errno
        import socket

        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.bind(('127.0.0.1', 12000))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                print('port 12000 is taken; is an old server still running?')
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons(12000);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 && errno == EADDRINUSE)
            fprintf(stderr, "port 12000 is taken\\n");
        close(fd);
      `,
      java: text`
        try (ServerSocket s = new ServerSocket(12000)) {
            System.out.println("listening on " + s.getLocalPort());
        } catch (BindException e) {
            System.out.println("port 12000 is taken: " + e.getMessage());
        }
      `,
      javascript: text`
        const net = require('node:net');
        net.createServer().listen(12000, '127.0.0.1').on('error', (err) => {
          if (err.code === 'EADDRINUSE') console.log('port 12000 is taken');
        });
      `,
    },
    seeAlso: [N.ReuseAddr, N.TcpTimeWait, N.BindCall],
  },
  {
    id: N.ReuseAddr,
    title: 'SO_REUSEADDR: restarting a server at once (and why Windows differs)',
    topics: ['tcp', 'ports', 'errors', 'windows', 'linux', 'macos', 'api:setsockopt', 'api:bind'],
    body: text`
      On Linux, macOS and the BSDs, setting \`SO_REUSEADDR\` on a listening socket *before* bind() lets it
      bind a port that still has connections in TIME_WAIT — exactly what a restarted server needs. It does
      **not** let two servers listen on one port: a second bind while the first server listens still fails
      with EADDRINUSE. Node (libuv) and Java's \`ServerSocket\` already set it for TCP servers on these
      systems; in C and Python you set it yourself.

      **Windows is different, and dangerous here.** Its \`SO_REUSEADDR\` lets a socket bind a port that
      another socket is *actively using*, so another program can hijack that port's traffic. It isn't needed
      for restarts either, because Windows doesn't block binding because of TIME_WAIT connections. Windows
      servers should instead set \`SO_EXCLUSIVEADDRUSE\`, which stops anyone else from binding their port.

      \`SO_REUSEPORT\` (Linux 3.9+, BSD, macOS) is another option again: several sockets deliberately share
      a port, and Linux spreads incoming connections over them.
    `,
    code: {
      python: text`
        import socket
        import sys

        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if sys.platform != 'win32':
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # before bind()
        s.bind(('127.0.0.1', 12000))
        s.listen()
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        int on = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);   /* before bind() */
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons(12000);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) perror("bind");
        close(fd);
      `,
      java: text`
        try (ServerSocket s = new ServerSocket()) {  // unbound, so the option can still be set
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 12000));
        }
      `,
    },
    seeAlso: [N.AddressInUse, N.TcpTimeWait],
  },
  {
    id: N.ConnectionRefused,
    title: '"Connection refused" (ECONNREFUSED): nothing is listening',
    topics: ['errors', 'tcp', 'udp', 'windows', 'api:connect'],
    body: text`
      **TCP**: connect() sends a SYN. If no socket is listening on that address and port, the destination's
      OS answers with a RST, and connect() fails with ECONNREFUSED — Python \`ConnectionRefusedError\` (errno
      111 on Linux, 61 on macOS), WSAECONNREFUSED (10061) on Windows, which first retries for about two
      seconds. Usual causes:

      - the server isn't running (yet) — start it first;
      - it listens on another port, or crashed;
      - it listens on another address: bound to 127.0.0.1 while you connect to the LAN address, or the name
        \`localhost\` resolved to \`::1\` (see that note).

      A firewall that silently drops the SYN gives a timeout instead.

      **UDP**: sending doesn't fail this way, since nothing confirms delivery. The receiving host may answer
      with an ICMP "port unreachable", which a *connected* UDP socket reports as ECONNREFUSED on a later
      send() or recv(); an unconnected one normally never hears of it (on Windows, its next recvfrom()
      fails with WSAECONNRESET).
    `,
    code: {
      python: text`
        import socket

        try:
            s = socket.create_connection(('127.0.0.1', 12000), timeout=5)
        except ConnectionRefusedError:
            print('nothing listens on 12000 - start the server first')
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in server = {0};
        server.sin_family = AF_INET;
        server.sin_port = htons(12000);
        inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
        if (connect(fd, (struct sockaddr *)&server, sizeof server) < 0 && errno == ECONNREFUSED)
            fprintf(stderr, "nothing listens on 12000\\n");
        close(fd);
      `,
      java: text`
        try (Socket s = new Socket("127.0.0.1", 12000)) {
            System.out.println("connected from port " + s.getLocalPort());
        } catch (ConnectException e) {
            System.out.println("refused: " + e.getMessage());  // "Connection refused"
        }
      `,
      javascript: text`
        const net = require('node:net');
        net.connect(12000, '127.0.0.1').on('error', (err) => {
          if (err.code === 'ECONNREFUSED') console.log('nothing listens on 12000');
        });
      `,
    },
    seeAlso: [N.TcpServerFirst, N.LocalhostIpv6, N.UdpConnectedSocket, N.TcpReset],
  },
  {
    id: N.ConnectionReset,
    title: '"Connection reset by peer" (ECONNRESET) and "broken pipe" (EPIPE)',
    topics: ['errors', 'tcp', 'windows', 'api:recv', 'api:send'],
    body: text`
      Both errors mean the connection was torn down abruptly, by a RST segment.

      - **ECONNRESET** (Python \`ConnectionResetError\`, WSAECONNRESET 10054 on Windows) is reported by
        recv() or send() once the RST has arrived. Windows uses WSAECONNABORTED (10053) when its own stack
        gave up on the connection.
      - **EPIPE** (Python \`BrokenPipeError\`) comes from send() on a connection you can no longer write to:
        the peer reset it, or you already shut down your sending side. In C on Linux and macOS the write
        also raises the SIGPIPE signal, which kills the process unless it is ignored; Python and Node ignore
        it for you.

      A frequent trigger in the course programs: the server closes the connection while some of the
      client's data is still unread in the server's buffer, so its OS sends a RST instead of a FIN, and the
      client's next recv() fails instead of returning \`b''\`. Treat both errors as "this connection is gone":
      close the socket, and reconnect if you need to.
    `,
    code: {
      python: text`
        import socket

        s = socket.create_connection(('127.0.0.1', 12000))
        try:
            s.sendall(b'hello\\n')
            print(s.recv(1024))
        except (ConnectionResetError, BrokenPipeError) as e:
            print('connection aborted by the peer:', e)
        finally:
            s.close()
      `,
      c: text`
        signal(SIGPIPE, SIG_IGN);   /* get EPIPE instead of being killed */
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        char buf[1024];
        if (send(fd, "hello\\n", 6, 0) < 0 && errno == EPIPE) fprintf(stderr, "broken pipe\\n");
        if (recv(fd, buf, sizeof buf, 0) < 0 && errno == ECONNRESET) fprintf(stderr, "reset by peer\\n");
        close(fd);
      `,
      java: text`
        try (Socket s = new Socket("127.0.0.1", 12000)) {
            s.getOutputStream().write("hello\\n".getBytes(StandardCharsets.UTF_8));
            s.getInputStream().read();
        } catch (SocketException e) {
            System.out.println(e.getMessage());  // "Connection reset" or "Broken pipe"
        }
      `,
      javascript: text`
        const net = require('node:net');
        const s = net.connect(12000, '127.0.0.1');
        s.on('error', (err) => {
          if (err.code === 'ECONNRESET' || err.code === 'EPIPE') console.log('connection aborted');
        });
      `,
    },
    seeAlso: [N.TcpReset, N.TcpClose, N.SocketClosed],
  },
  {
    id: N.ConnectTimeout,
    title: 'Connection timed out (ETIMEDOUT)',
    topics: ['errors', 'tcp', 'linux', 'api:connect', 'api:settimeout'],
    body: text`
      If a SYN gets no answer at all — neither SYN-ACK nor RST — the client resends it at growing intervals
      and finally gives up with ETIMEDOUT (Python \`TimeoutError\`, WSAETIMEDOUT 10060 on Windows). On Linux
      that takes about two minutes with the default \`net.ipv4.tcp_syn_retries = 6\`; Windows and macOS give
      up sooner. Silence, unlike "refused", usually means the packets never reach a host that could answer:
      a firewall dropping them, a wrong or unreachable IP address, or a host that is down. (A reachable host
      with nothing listening would have sent a RST.)

      Don't make users wait that long — set your own limit. In Python \`sock.settimeout(5)\` makes connect()
      and later calls raise \`TimeoutError\` after 5 s (\`socket.timeout\` is an alias since 3.10), and
      \`socket.create_connection(addr, timeout=5)\` does both steps. A timeout on recv() only means nothing
      arrived in time; you may call recv() again. After a timed-out connect(), close the socket and start over.
    `,
    code: {
      python: text`
        import socket

        try:
            s = socket.create_connection(('192.0.2.1', 12000), timeout=5)
        except TimeoutError:
            print('no answer within 5 s')
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct timeval tv = { .tv_sec = 5, .tv_usec = 0 };
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);   /* recv() gives up after 5 s */
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);   /* on Linux this also bounds connect() */
        struct sockaddr_in server = {0};
        server.sin_family = AF_INET;
        server.sin_port = htons(12000);
        inet_pton(AF_INET, "192.0.2.1", &server.sin_addr);
        if (connect(fd, (struct sockaddr *)&server, sizeof server) < 0) perror("connect");
        close(fd);
      `,
      java: text`
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("192.0.2.1", 12000), 5000);  // connect timeout
            s.setSoTimeout(5000);  // read timeout
        } catch (SocketTimeoutException e) {
            System.out.println("no answer within 5 s");
        }
      `,
      javascript: text`
        const net = require('node:net');
        const s = net.connect({ port: 12000, host: '192.0.2.1', timeout: 5000 });
        s.on('timeout', () => {
          console.log('no answer within 5 s');
          s.destroy(); // 'timeout' only notifies; closing is up to you
        });
        s.on('error', (err) => console.log(err.code));
      `,
    },
    seeAlso: [N.Blocking, N.ConnectionRefused, N.HostUnreachable],
  },
  {
    id: N.AddressNotAvailable,
    title: '"Cannot assign requested address" (EADDRNOTAVAIL)',
    topics: ['errors', 'addresses', 'windows', 'api:bind', 'api:connect'],
    body: text`
      bind() can only use an IP address that belongs to this machine. Binding \`192.0.2.10\` on a host that
      doesn't have that address fails with EADDRNOTAVAIL (Python \`OSError\` errno 99 on Linux, 49 on macOS;
      WSAEADDRNOTAVAIL 10049 on Windows). Common causes:

      - a typo, or an address copied from another computer or from before the network changed (a laptop
        moved to another Wi-Fi gets a new address);
      - an IPv6 link-local address without its zone, e.g. \`fe80::1\` instead of \`fe80::1%eth0\`.

      To accept traffic on every interface, bind the wildcard \`0.0.0.0\` (or \`::\`) instead of guessing the
      machine's address; for local tests bind \`127.0.0.1\`.

      connect() reports the same error when no local port is free for a new connection to that destination
      (the ephemeral range used up, often by thousands of short connections in TIME_WAIT), and on Windows
      when the destination is not a valid target, such as \`0.0.0.0\`.
    `,
    code: {
      python: text`
        import errno
        import socket

        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            s.bind(('192.0.2.10', 12000))
        except OSError as e:
            if e.errno == errno.EADDRNOTAVAIL:
                print('192.0.2.10 is not an address of this machine')
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_port = htons(12000);
        inet_pton(AF_INET, "192.0.2.10", &a.sin_addr);
        if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 && errno == EADDRNOTAVAIL)
            fprintf(stderr, "not an address of this machine\\n");
        close(fd);
      `,
      java: text`
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("192.0.2.10", 12000))) {
            System.out.println("bound to " + s.getLocalSocketAddress());
        } catch (BindException e) {
            System.out.println(e.getMessage());  // "Cannot assign requested address"
        }
      `,
    },
    seeAlso: [N.LoopbackBind, N.BindCall, N.EphemeralPorts],
  },
  {
    id: N.HostResolution,
    title: 'From host name to address: getaddrinfo()',
    topics: ['dns', 'errors', 'api:getaddrinfo', 'api:gethostbyname'],
    body: text`
      Sockets talk to IP addresses; a name such as \`example.com\` or \`localhost\` is first looked up by the
      resolver (the hosts file, then DNS). Python hides the step: \`sendto(data, ('example.com', 12000))\` and
      \`connect(...)\` resolve the name themselves. When the lookup fails:

      - **ENOTFOUND** (Node) or \`socket.gaierror\` (Python; "Name or service not known" on Linux,
        "nodename nor servname provided" on macOS, WinError 11001 on Windows): the name doesn't exist. Check
        the spelling. The slides' \`'hostname'\` and \`'servername'\` are placeholders: replace them with a real
        name or an address such as \`'127.0.0.1'\`.
      - **EAI_AGAIN** ("Temporary failure in name resolution"): no DNS server could be asked — offline, VPN,
        or a sandbox without DNS. Try again later, or use an IP address.

      \`gethostbyname()\` is the old, IPv4-only call. \`getaddrinfo()\` returns every address of the name,
      IPv4 and IPv6, each with the family and type to create the socket with; modern code uses it and tries
      the results in order, as Python's \`socket.create_connection()\` does.
    `,
    code: {
      python: text`
        import socket

        try:
            for family, type_, proto, _, addr in socket.getaddrinfo('localhost', 12000, type=socket.SOCK_STREAM):
                print(family.name, addr)
            print(socket.gethostbyname('localhost'))  # old API, IPv4 only
        except socket.gaierror as e:
            print('lookup failed:', e)
      `,
      c: text`
        struct addrinfo hints = {0}, *res, *p;
        hints.ai_family = AF_UNSPEC;        /* IPv4 and IPv6 */
        hints.ai_socktype = SOCK_STREAM;
        int rc = getaddrinfo("localhost", "12000", &hints, &res);
        if (rc != 0) {
            fprintf(stderr, "lookup failed: %s\\n", gai_strerror(rc));
        } else {
            for (p = res; p != NULL; p = p->ai_next)
                printf("family %d\\n", p->ai_family);
            freeaddrinfo(res);
        }
      `,
      java: text`
        try {
            for (InetAddress a : InetAddress.getAllByName("localhost")) System.out.println(a);
        } catch (UnknownHostException e) {
            System.out.println("lookup failed: " + e.getMessage());
        }
      `,
      javascript: text`
        const dns = require('node:dns');
        dns.lookup('localhost', { all: true }, (err, addresses) => {
          if (err) console.log(err.code); // ENOTFOUND, EAI_AGAIN
          else console.log(addresses);
        });
      `,
    },
    seeAlso: [N.LocalhostIpv6, N.SocketCreate, N.ConnectionRefused],
  },
  {
    id: N.HostUnreachable,
    title: 'Network or host unreachable (ENETUNREACH, EHOSTUNREACH)',
    topics: ['errors', 'routing'],
    body: text`
      These errors come from routing, before any port plays a part:

      - **ENETUNREACH**, "Network is unreachable": your machine has no route to the destination at all —
        no network connection, or an IPv6 destination on a machine without IPv6 connectivity.
      - **EHOSTUNREACH**, "No route to host": a router, or your own host after getting no answer to its
        ARP or neighbour-discovery query on the local network, reports that the host can't be reached.
        Linux firewalls that *reject* traffic often produce this error too.

      Check the address, try \`ping\`, and ask where the route goes: \`ip route get ADDRESS\` on Linux,
      \`route get ADDRESS\` on macOS, \`tracert ADDRESS\` on Windows. The loopback address never produces
      these errors — one more reason the course examples use 127.0.0.1.
    `,
    seeAlso: [N.ConnectTimeout, N.HostResolution, N.LayersDivisionOfLabor],
  },
  {
    id: N.LocalhostIpv6,
    title: 'localhost may mean ::1, not 127.0.0.1',
    topics: ['ipv6', 'dns', 'errors', 'api:getaddrinfo', 'api:connect'],
    body: text`
      \`localhost\` is a name, and on most current systems it resolves to two loopback addresses: \`::1\`
      (IPv6) and \`127.0.0.1\` (IPv4), with ::1 usually first. A server bound to 127.0.0.1 receives nothing
      sent to ::1, so a client that picks ::1 gets "connection refused" (TCP) or silence (UDP) although the
      server is running.

      Who is affected:

      - **Python**: a socket created with \`AF_INET\`, as in the textbook programs, only asks for IPv4
        addresses and gets 127.0.0.1. \`socket.create_connection(('localhost', port))\` tries every
        address in the resolver's order — usually ::1 first, then 127.0.0.1.
      - **Node**: since version 17 it keeps the resolver's order, so \`net.connect(port, 'localhost')\` may
        try ::1 first; since Node 20 it then also tries the other address (\`autoSelectFamily\`), Node 18 did
        not. A \`dgram\` socket of type \`'udp4'\` resolves to IPv4 only.
      - **Java** prefers IPv4 unless \`java.net.preferIPv6Addresses=true\`.

      The cure: when you mean this machine, write the address. The playground binds 127.0.0.1 by default,
      so use \`127.0.0.1\` in your clients — or bind the server to \`::1\` and connect to that.
    `,
    code: {
      python: text`
        import socket

        for family, *_, addr in socket.getaddrinfo('localhost', 12000, type=socket.SOCK_STREAM):
            print(family.name, addr)  # often AF_INET6 ('::1', ...) first
      `,
      c: text`
        struct addrinfo hints = {0}, *res, *p;
        hints.ai_socktype = SOCK_STREAM;
        if (getaddrinfo("localhost", "12000", &hints, &res) == 0) {
            for (p = res; p != NULL; p = p->ai_next)
                puts(p->ai_family == AF_INET6 ? "::1 (IPv6)" : "127.0.0.1 (IPv4)");
            freeaddrinfo(res);
        }
      `,
      java: text`
        for (InetAddress a : InetAddress.getAllByName("localhost")) {
            System.out.println(a.getHostAddress());
        }
      `,
      javascript: text`
        const dns = require('node:dns');
        dns.lookup('localhost', { all: true }, (err, addrs) => console.log(err || addrs));
      `,
    },
    seeAlso: [N.ConnectionRefused, N.HostResolution, N.LoopbackBind],
  },
  {
    id: N.SocketClosed,
    title: 'Using a socket after it was closed',
    topics: ['errors', 'api:close', 'windows'],
    body: text`
      Once closed, a socket handle is dead, and every later send, recv or bind on it fails:

      - **Python**: \`OSError: [Errno 9] Bad file descriptor\` (EBADF); on Windows \`[WinError 10038]\`,
        "not a socket". Calling \`close()\` twice is harmless.
      - **C**: EBADF — or worse: the descriptor number may already have been reused by a file or socket
        opened since, and you read or write that one without any error. Set the variable to -1 after close().
      - **Java**: \`SocketException: Socket is closed\`.
      - **Node**: \`ERR_SOCKET_DGRAM_NOT_RUNNING\` for a closed \`dgram\` socket; for TCP,
        \`ERR_STREAM_DESTROYED\` after \`destroy()\` and \`ERR_STREAM_WRITE_AFTER_END\` after \`end()\`.

      Related: ENOTCONN, "Transport endpoint is not connected", for send/recv on a TCP socket that never
      connected — such as the welcoming socket. A common slip in the course programs is closing the wrong
      socket in the loop: \`serverSocket.close()\` where \`connectionSocket.close()\` was meant. The
      playground refuses to send on a closed socket and sends nothing.
    `,
    code: {
      python: text`
        import socket

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b'ok', ('127.0.0.1', 12000))
        try:
            s.sendto(b'too late', ('127.0.0.1', 12000))  # the with block closed it
        except OSError as e:
            print(e)  # [Errno 9] Bad file descriptor
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        close(fd);
        fd = -1;                                 /* never reuse a closed descriptor */
        if (send(fd, "x", 1, 0) < 0 && errno == EBADF) fprintf(stderr, "socket is closed\\n");
      `,
      java: text`
        DatagramSocket s = new DatagramSocket();
        s.close();
        try {
            s.send(new DatagramPacket(new byte[1], 1, InetAddress.getLoopbackAddress(), 12000));
        } catch (SocketException e) {
            System.out.println(e.getMessage());  // "Socket is closed"
        }
      `,
      javascript: text`
        const dgram = require('node:dgram');
        const s = dgram.createSocket('udp4');
        s.close();
        try {
          s.send('x', 12000, '127.0.0.1');
        } catch (err) {
          console.log(err.code); // ERR_SOCKET_DGRAM_NOT_RUNNING
        }
      `,
    },
    seeAlso: [N.TcpClose, N.SocketCallOrder, N.ConnectionReset],
  },
  {
    id: N.SocketCallOrder,
    title: 'Calls in the wrong order: EINVAL and friends',
    topics: ['errors', 'api:bind', 'api:listen', 'api:accept'],
    body: text`
      A socket moves through states, and most calls are only valid in some of them:

      - TCP server: socket → bind → listen → accept (repeated) → close
      - TCP client: socket → (bind) → connect → send/recv → close
      - UDP: socket → (bind) → sendto/recvfrom → close

      Out of order, the OS answers with an error:

      - bind() on a socket that is already bound → EINVAL;
      - accept() on a socket that never called listen() → EINVAL;
      - recv()/send() on an unconnected TCP socket, e.g. the welcoming socket → ENOTCONN;
      - listen() on a UDP socket → EOPNOTSUPP, because UDP has no connections to accept.

      EINVAL, "Invalid argument", also covers bad values: an address of the wrong family, a wrong address
      length, an option the socket type doesn't know. Node checks many of these itself before any system
      call and reports its own codes, such as \`ERR_SOCKET_BAD_PORT\` for a port outside 0–65535 or
      \`ERR_SERVER_ALREADY_LISTEN\`.
    `,
    code: {
      python: text`
        import socket

        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(('127.0.0.1', 0))
        try:
            s.accept()  # no listen() yet
        except OSError as e:
            print(e)  # [Errno 22] Invalid argument
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(fd, (struct sockaddr *)&a, sizeof a);
        if (accept(fd, NULL, NULL) < 0 && errno == EINVAL)
            fprintf(stderr, "accept() before listen()\\n");
        close(fd);
      `,
      java: text`
        try (ServerSocket s = new ServerSocket()) {
            s.accept();  // not bound yet
        } catch (SocketException e) {
            System.out.println(e.getMessage());  // "Socket is not bound yet"
        }
      `,
    },
    seeAlso: [N.ClientServerPseudocode, N.SocketClosed, N.BindCall],
  },
  {
    id: N.Blocking,
    title: 'Blocking calls and settimeout()',
    topics: ['python', 'api:settimeout', 'api:recv', 'api:recvfrom', 'api:accept'],
    body: text`
      By default accept(), recv() and recvfrom() *block*: the program stops until something arrives —
      possibly forever. A UDP client whose request or reply got lost waits for an answer that never comes.
      Python offers three modes:

      - \`sock.settimeout(None)\`: blocking, the default;
      - \`sock.settimeout(2.0)\`: wait at most 2 s, then raise \`TimeoutError\` (\`socket.timeout\` before 3.10);
      - \`sock.settimeout(0)\` or \`setblocking(False)\`: never wait; raise \`BlockingIOError\` (EAGAIN /
        EWOULDBLOCK) when nothing is ready. Used with \`selectors\` and inside \`asyncio\`.

      \`socket.setdefaulttimeout()\` sets the mode for sockets created afterwards. In C the tools are
      \`SO_RCVTIMEO\`/\`SO_SNDTIMEO\`, \`poll()\`/\`select()\` and \`O_NONBLOCK\`; in Java \`setSoTimeout(ms)\`,
      which throws \`SocketTimeoutException\`; Node never blocks — everything arrives as an event.

      For a UDP client, a timeout plus a limited number of retries is the standard answer to loss, as in
      the UDP pinger lab.
    `,
    code: {
      python: text`
        from socket import *

        clientSocket = socket(AF_INET, SOCK_DGRAM)
        clientSocket.settimeout(1.0)
        for attempt in range(3):
            clientSocket.sendto(b'ping', ('127.0.0.1', 12000))
            try:
                reply, server = clientSocket.recvfrom(2048)
                print('reply', reply)
                break
            except TimeoutError:
                print('request timed out')
        clientSocket.close()
      `,
      c: text`
        int fd = socket(AF_INET, SOCK_DGRAM, 0);
        struct timeval tv = { .tv_sec = 1, .tv_usec = 0 };
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char buf[2048];
        if (recvfrom(fd, buf, sizeof buf, 0, NULL, NULL) < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            fprintf(stderr, "request timed out\\n");
        close(fd);
      `,
      java: text`
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(1000);
            s.receive(new DatagramPacket(new byte[2048], 2048));
        } catch (SocketTimeoutException e) {
            System.out.println("request timed out");
        }
      `,
      javascript: text`
        const dgram = require('node:dgram');
        const s = dgram.createSocket('udp4');
        const timer = setTimeout(() => {
          console.log('request timed out');
          s.close();
        }, 1000);
        s.on('message', (msg) => {
          clearTimeout(timer);
          console.log('reply', msg.toString());
          s.close();
        });
        s.send('ping', 12000, '127.0.0.1');
      `,
    },
    seeAlso: [N.ConnectTimeout, N.UdpLossReorder, N.TcpConcurrentClients],
  },
  {
    id: N.PayloadEncoding,
    title: 'Bytes and text: UTF-8, hex and base64',
    topics: ['encoding', 'python', 'playground'],
    body: text`
      Sockets carry bytes. Text becomes bytes only through an encoding: in Python 3
      \`'héllo'.encode()\` uses UTF-8 and gives 6 bytes, because é takes two. The receiver has to decode with
      the same encoding. Over TCP a chunk boundary can fall inside a multi-byte character, so decode a
      complete message, not each chunk (or use an incremental decoder).

      The playground's send box accepts three forms of input:

      - **utf8**: the text as typed, encoded as UTF-8;
      - **hex**: two hex digits per byte, e.g. \`48656c6c6f\` for "Hello" — for bytes that aren't text, such as
        a binary header or a NUL byte (\`00\`);
      - **base64**: for pasting binary data.

      Hex that isn't hex (an odd number of digits, a letter beyond f) and invalid base64 are rejected, and
      nothing is sent. The log can show each payload as text or as an exact hex dump (setting
      \`socketPlayground.payloadView\`); bytes that aren't printable text are never shown raw.
    `,
    code: {
      python: text`
        import base64

        data = 'héllo'.encode()  # b'h\\xc3\\xa9llo', 6 bytes
        print(data.hex())  # 68c3a96c6c6f
        print(bytes.fromhex('48656c6c6f'))  # b'Hello'
        print(base64.b64encode(data))  # b'aMOpbGxv'
        print(data.decode())  # héllo
      `,
      javascript: text`
        const data = Buffer.from('héllo', 'utf8');
        console.log(data.length, data.toString('hex'), data.toString('base64'));
        console.log(Buffer.from('48656c6c6f', 'hex').toString('utf8')); // Hello
      `,
    },
    seeAlso: [N.Python2vs3, N.TcpFraming],
  },

  // ─── the playground ──────────────────────────────────────────────────────────────────────────────────
  {
    id: N.Impairment,
    title: 'Simulated loss, delay, reordering and duplication',
    topics: ['playground', 'impairment', 'udp', 'tcp', 'reliability'],
    body: text`
      The playground can damage traffic on purpose, to show what the network may do and what UDP leaves to
      the application. The relay, and the UDP server acting as the "pinger" lab server, take an
      \`impairment\` setting and apply it to each datagram or chunk they forward:

      - **loss**: drop a share of them; the log shows a \`drop\` entry;
      - **delayMs** and **jitterMs**: hold each one back for the delay plus or minus a random jitter;
        varying delays alone can reorder;
      - **reorder**: hold some back so that later ones overtake them;
      - **duplicate**: forward some twice.

      A \`seed\` makes the random choices repeat exactly on every run, which keeps a lecture demo or a test
      reproducible. On real networks the same things happen by themselves: queues overflow, routes change,
      radios retransmit. With UDP you see every effect directly; with TCP, the transport hides them from the
      application and only the delay remains visible.
    `,
    seeAlso: [N.UdpLossReorder, N.TcpUnderLoss, N.Blocking],
  },
];
