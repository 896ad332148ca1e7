/** What each kind of scenario line does, in one table: completion offers it, hovers and the docs explain it. */
import { englishText, text, type Text } from '../../shared/l10n';

export type Directive = {
  /** What the user types first, e.g. `udp`, `>hex`, `@timeout`. */
  label: string;
  /** A VS Code snippet (`${1:placeholder}`) inserted by completion. */
  snippet: string;
  /** One sentence: what the line does. */
  summary: string;
  /** The same as a translatable text (completion shows it in the display language). */
  summaryText: Text;
};

type Entry = Omit<Directive, 'summary' | 'summaryText'> & { summary: Text };

const ENTRIES: readonly Entry[] = [
  {
    label: '###',
    snippet: '### ${1:Block name}',
    summary: text('Starts a block: a conversation you can send on its own.'),
  },
  {
    label: 'udp',
    snippet: 'udp ${1:127.0.0.1}:${2:12000}',
    summary: text("The block's socket: a UDP client that sends to HOST:PORT."),
  },
  {
    label: 'tcp',
    snippet: 'tcp ${1:127.0.0.1}:${2:12000}',
    summary: text(
      "The block's socket: a TCP client that connects to HOST:PORT (the handshake happens here).",
    ),
  },
  {
    label: 'server',
    snippet: 'server ${1|udp,tcp|} ${2|uppercase,echo,sink,fixed|} ${3:0}',
    summary: text('Starts a playground server for this block (port 0: the OS picks one, in {{serverPort}}).'),
  },
  {
    label: '>',
    snippet: '> ${1:text}',
    summary: text('Sends text (escapes \\r \\n \\t \\0 \\\\ \\{ \\xHH).'),
  },
  { label: '>hex', snippet: '>hex ${1:48 65 6c 6c 6f}', summary: text('Sends bytes written in hex.') },
  { label: '>b64', snippet: '>b64 ${1:aGVsbG8=}', summary: text('Sends bytes written in base64.') },
  {
    label: '<',
    snippet: '< ${1:TEXT}',
    summary: text(
      'Expects exactly this text next (TCP: the next bytes of the stream; UDP: the next datagram).',
    ),
  },
  {
    label: '< /regex/',
    snippet: '< /${1:^HEL+O$}/',
    summary: text('Expects what comes next to match a regular expression.'),
  },
  {
    label: '<hex',
    snippet: '<hex ${1:48 45}',
    summary: text('Expects exactly these bytes, written in hex.'),
  },
  {
    label: '<b64',
    snippet: '<b64 ${1:SEk=}',
    summary: text('Expects exactly these bytes, written in base64.'),
  },
  {
    label: '@',
    snippet: '@${1:name} = ${2:value}',
    summary: text('Sets a variable: {{name}} is replaced in the lines after it.'),
  },
  {
    label: '@timeout',
    snippet: '@timeout = ${1:2000}',
    summary: text('How long expectations (and a TCP connect) wait, in ms, from here on (default 2000).'),
  },
  { label: 'wait', snippet: 'wait ${1:200}', summary: text('Pauses for a number of milliseconds.') },
  {
    label: 'repeat',
    snippet: 'repeat ${1:3}\n> ${2:ping {{i\\}\\}}\n< ${3:PING {{i\\}\\}}\ndone',
    summary: text('Repeats the lines up to "done" N times; {{i}} counts 1…N.'),
  },
  { label: 'done', snippet: 'done', summary: text('Ends the lines a repeat runs.') },
  { label: 'close', snippet: 'close', summary: text("Closes the block's socket now.") },
  {
    label: 'end',
    snippet: 'end',
    summary: text('TCP half-close: sends FIN and keeps reading (no sends after it).'),
  },
  { label: '#', snippet: '# ${1:comment}', summary: text('A comment line.') },
];

export const DIRECTIVES: readonly Directive[] = ENTRIES.map((e) => ({
  ...e,
  summary: englishText(e.summary),
  summaryText: e.summary,
}));
