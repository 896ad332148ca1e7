/**
 * Every id the extension contributes, in one typed table. package.json must match (unit test). No runtime
 * `vscode` import here: the plain-mocha unit tests read this module; the typed `registerCommand` and
 * `executeCommand` that use these maps live in context.ts.
 */
import type {
  Behavior,
  Encoding,
  Endpoint,
  Framing,
  Impairment,
  Protocol,
  SocketId,
  SocketInfo,
} from './shared/types';

export const Commands = {
  StartUdpServer: 'socketPlayground.startUdpServer',
  StartTcpServer: 'socketPlayground.startTcpServer',
  OpenUdpClient: 'socketPlayground.openUdpClient',
  ConnectTcpClient: 'socketPlayground.connectTcpClient',
  Send: 'socketPlayground.send',
  CloseSocket: 'socketPlayground.closeSocket',
  CloseAll: 'socketPlayground.closeAll',
  ListSockets: 'socketPlayground.listSockets',
  ShowTraffic: 'socketPlayground.showTraffic',
  ClearTraffic: 'socketPlayground.clearTraffic',
  ExportTraffic: 'socketPlayground.exportTraffic',
  CopySocketAddress: 'socketPlayground.copySocketAddress',
  ShowOutput: 'socketPlayground.showOutput',
  StartRelay: 'socketPlayground.startRelay',
  RefreshPorts: 'socketPlayground.refreshPorts',
  OpenNotes: 'socketPlayground.openNotes',
  ListNotes: 'socketPlayground.listNotes',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Fails to compile when a command id has no row: every command has its argument and its result typed. */
type EveryCommand<T extends Record<CommandId, unknown>> = T;

type ServerArgs = { port?: number; host?: string; behavior?: Behavior; reply?: string };

/** What `listNotes` returns for each note. */
export type NoteSummary = { id: string; title: string; topics: string[]; body: string };

/** The argument object of each command (`void`: it takes none). Called without one, a command prompts. */
export type CommandArgs = EveryCommand<{
  [Commands.StartUdpServer]: ServerArgs & { impairment?: Impairment };
  [Commands.StartTcpServer]: ServerArgs & { framing?: Framing };
  [Commands.OpenUdpClient]: { host?: string; port: number; localPort?: number };
  [Commands.ConnectTcpClient]: { host?: string; port: number; timeoutMs?: number };
  [Commands.Send]: { socketId: SocketId; data: string; encoding?: Encoding; to?: Endpoint };
  [Commands.CloseSocket]: { socketId: SocketId };
  [Commands.CloseAll]: void;
  [Commands.ListSockets]: void;
  [Commands.ShowTraffic]: { socketId?: SocketId };
  [Commands.ClearTraffic]: void;
  [Commands.ExportTraffic]: { path: string; format: 'jsonl' | 'pcapng' };
  [Commands.CopySocketAddress]: { id: SocketId };
  [Commands.ShowOutput]: void;
  [Commands.StartRelay]: {
    protocol: Protocol;
    listenPort?: number;
    host?: string;
    targetHost?: string;
    targetPort: number;
    impairment?: Impairment;
  };
  [Commands.RefreshPorts]: void;
  [Commands.OpenNotes]: { noteId?: string };
  [Commands.ListNotes]: void;
}>;

/** What each command resolves with when it is called with an argument object. */
export type CommandResults = EveryCommand<{
  [Commands.StartUdpServer]: SocketInfo;
  [Commands.StartTcpServer]: SocketInfo;
  [Commands.OpenUdpClient]: SocketInfo;
  [Commands.ConnectTcpClient]: SocketInfo;
  [Commands.Send]: { bytes: number };
  [Commands.CloseSocket]: void;
  [Commands.CloseAll]: void;
  [Commands.ListSockets]: SocketInfo[];
  [Commands.ShowTraffic]: void;
  [Commands.ClearTraffic]: void;
  [Commands.ExportTraffic]: { path: string; entries: number };
  [Commands.CopySocketAddress]: void;
  [Commands.ShowOutput]: void;
  [Commands.StartRelay]: SocketInfo;
  [Commands.RefreshPorts]: void;
  [Commands.OpenNotes]: void;
  [Commands.ListNotes]: NoteSummary[];
}>;

export const Views = {
  Container: 'socketPlayground',
  Sockets: 'socketPlayground.sockets',
  Ports: 'socketPlayground.ports',
  Traffic: 'socketPlayground.traffic',
  Notes: 'socketPlayground.notes',
} as const;

export const ContextKeys = {
  HasSockets: 'socketPlayground.hasSockets',
} as const;

export type ContextKey = (typeof ContextKeys)[keyof typeof ContextKeys];

export const Config = {
  Section: 'socketPlayground',
  BindAddress: 'bindAddress',
  AllowRemoteBind: 'allowRemoteBind',
  DefaultPort: 'defaultPort',
  MaxLogEntries: 'maxLogEntries',
  MaxPayloadBytes: 'maxPayloadBytes',
  PayloadView: 'payloadView',
  NotesFollowCursor: 'notes.followCursor',
} as const;

export const ExtensionId = 'socket-playground.socket-playground';
