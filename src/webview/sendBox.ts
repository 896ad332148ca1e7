/**
 * The send box under the panes: pick a playground socket, type a message, send. What it checks itself is in
 * sendDraft.ts; every request it posts is answered by the host (sent, or the reason), shown here in place,
 * never as a notification that would cover the box.
 */
import type { LineEnding, SocketInfo, ToWebview } from '../shared/protocol';
import type { Encoding } from '../shared/types';
import { button, fillSelect, h, icon, select } from './dom';
import { buildSendMessage, type SendMessage } from './sendDraft';
import { socketOptions } from './toolbar';
import { tt } from './strings';

type SendResult = Extract<ToWebview, { type: 'sendResult' }>;

export class SendBox {
  readonly el: HTMLElement;
  private readonly socket = h('select', {
    'aria-label': tt('sendFrom'),
    title: tt('sendFrom'),
  });
  private readonly to = h('input', {
    type: 'text',
    placeholder: tt('sendTo'),
    'aria-label': tt('sendToLabel'),
    class: 'to',
  });
  private readonly text = h('input', {
    type: 'text',
    placeholder: tt('message'),
    'aria-label': tt('message'),
    class: 'msg',
  });
  private readonly encoding = select<Encoding>(
    tt('encoding'),
    [
      ['utf8', tt('encodingText')],
      ['hex', 'hex'],
      ['base64', 'base64'],
    ],
    'utf8',
    () => undefined,
  );
  private readonly lineEnding = select<LineEnding>(
    tt('lineEnding'),
    [
      ['none', tt('noLineEnd')],
      ['lf', 'LF \\n'],
      ['crlf', 'CRLF \\r\\n'],
    ],
    'none',
    () => undefined,
  );
  private readonly status = h('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly sendBtn: HTMLButtonElement;
  private readonly pending = new Set<number>();
  private sockets: SocketInfo[] = [];

  constructor(
    private readonly post: (m: SendMessage) => void,
    private readonly nextRequestId: () => number,
  ) {
    this.sendBtn = button(tt('send'), 'send', () => this.send(), tt('sendTitle'));
    this.text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.send();
      }
    });
    this.socket.addEventListener('change', () => this.update());
    this.el = h(
      'footer',
      { class: 'sendbox', role: 'group', 'aria-label': tt('sendBox') },
      icon('comment'),
      this.socket,
      this.to,
      this.text,
      this.encoding,
      this.lineEnding,
      this.sendBtn,
      this.status,
    );
  }

  /** The sockets that can send: open clients, UDP servers and TCP connections (not welcoming sockets, relays). */
  setSockets(sockets: SocketInfo[]): void {
    this.sockets = sockets;
    const canSend = sockets.filter(
      (s) => s.kind !== 'tcp-server' && s.kind !== 'relay' && (s.state === 'bound' || s.state === 'open'),
    );
    const prev = this.socket.value;
    fillSelect(this.socket, canSend.length ? socketOptions(canSend) : [['', tt('noOpenSocket')]], prev);
    this.update();
  }

  private update(): void {
    const s = this.sockets.find((x) => x.id === this.socket.value);
    this.to.hidden = !s || s.kind !== 'udp-server';
    this.sendBtn.disabled = !s;
    this.socket.title = s ? tt('sendFromSocket', s.label, s.id) : tt('noSocketToSendFrom');
  }

  private setStatus(text: string, kind: '' | 'ok' | 'error'): void {
    this.status.textContent = text;
    this.status.title = text;
    this.status.className = `status${kind ? ` ${kind}` : ''}`;
  }

  private send(): void {
    const built = buildSendMessage(
      {
        socketId: this.socket.value,
        text: this.text.value,
        encoding: this.encoding.value as Encoding,
        lineEnding: this.lineEnding.value as LineEnding,
        to: this.to.hidden ? undefined : this.to.value,
      },
      this.nextRequestId(),
    );
    if (!built.ok) {
      this.setStatus(built.reason, 'error');
      (built.field === 'to' ? this.to : built.field === 'text' ? this.text : this.socket).focus();
      return;
    }
    this.pending.add(built.msg.requestId);
    this.setStatus(tt('sending'), '');
    this.post(built.msg);
  }

  /** The host's answer to one of this box's requests (others are ignored). */
  onResult(msg: SendResult): void {
    if (this.pending.delete(msg.requestId)) {
      this.setStatus(msg.error ? msg.error : tt('sentBytes', msg.bytes ?? 0), msg.error ? 'error' : 'ok');
    }
  }
}
