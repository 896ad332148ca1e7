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
import type { LabInfo, LabRun } from './core/labs/types';
import type { ScenarioResult } from './core/scenarios/runner';
import type { HttpGetResult } from './core/protocols/httpClient';

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
  ListLabs: 'socketPlayground.listLabs',
  RunLab: 'socketPlayground.runLab',
  ListNotePacks: 'socketPlayground.listNotePacks',
  NewNotePack: 'socketPlayground.newNotePack',
  RunScenario: 'socketPlayground.runScenario',
  SaveAsScenario: 'socketPlayground.saveAsScenario',
  OpenScenarioSamples: 'socketPlayground.openScenarioSamples',
  SendHttpRequest: 'socketPlayground.sendHttpRequest',
  StartSmtpServer: 'socketPlayground.startSmtpServer',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Fails to compile when a command id has no row: every command has its argument and its result typed. */
type EveryCommand<T extends Record<CommandId, unknown>> = T;

/** runLab's argument: the lab, the student's program as argv, and what the lab lets a caller set. */
export type RunLabArgs = {
  lab: string;
  program: string[];
  cwd?: string;
  port?: number;
  seed?: number;
  input?: string;
  timeoutMs?: number;
  params?: Record<string, unknown>;
  report?: string;
};

type ServerArgs = { port?: number; host?: string; behavior?: Behavior; reply?: string };

/** What `listNotes` returns for each note, with the pack it comes from and that pack's language. */
export type NoteSummary = {
  id: string;
  title: string;
  topics: string[];
  body: string;
  pack: string;
  language: string;
};

/** What `listNotePacks` returns for each pack, the built-in one first. */
export type NotePackSummary = {
  id: string;
  title: string;
  language: string;
  path: string;
  notes: number;
  problems: { file: string; line: number; message: string }[];
};

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
  [Commands.ListNotePacks]: void;
  [Commands.NewNotePack]: { folder: string; id?: string; title?: string; language?: string };
  [Commands.ListLabs]: void;
  [Commands.RunLab]: RunLabArgs;
  [Commands.RunScenario]: { path: string; block?: string };
  [Commands.SaveAsScenario]: { socketId: SocketId; path?: string };
  [Commands.OpenScenarioSamples]: void;
  [Commands.SendHttpRequest]: { host?: string; port: number; path?: string; timeoutMs?: number };
  [Commands.StartSmtpServer]: { port?: number; host?: string; greetDelayMs?: number };
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
  [Commands.ListNotePacks]: NotePackSummary[];
  [Commands.NewNotePack]: { path: string; files: string[] };
  [Commands.ListLabs]: LabInfo[];
  [Commands.RunLab]: LabRun;
  [Commands.RunScenario]: ScenarioResult;
  [Commands.SaveAsScenario]: { path: string; line: number };
  [Commands.OpenScenarioSamples]: { path: string };
  [Commands.SendHttpRequest]: HttpGetResult;
  [Commands.StartSmtpServer]: SocketInfo;
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
  NotesPacks: 'notes.packs',
  NotesLanguage: 'notes.language',
} as const;

export const ExtensionId = 'socket-playground.socket-playground';
