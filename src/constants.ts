/** Every id the extension contributes, in one typed table (house style 3.3). package.json must match (unit test). */

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
  SendHttpRequest: 'socketPlayground.sendHttpRequest',
  StartSmtpServer: 'socketPlayground.startSmtpServer',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

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
