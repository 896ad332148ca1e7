/** The detail pane: what the selected entry carried, the notes that explain it, the socket call behind it. */
import { base64ToBytes, hexDump } from '../shared/bytes';
import type { EntryDetail } from '../shared/protocol';
import { renderDetail } from './detail';
import { h } from './dom';
import { tt } from './strings';

export class DetailPane {
  readonly el: HTMLElement;
  private readonly body = h(
    'div',
    { class: 'detail' },
    h('p', {
      class: 'muted',
      text: tt('detailEmpty'),
    }),
  );

  private shown: EntryDetail | undefined;
  private width = 0;

  constructor(private readonly openNote: (noteId: string) => void) {
    this.el = h(
      'section',
      { class: 'pane detail-pane', 'aria-labelledby': 'detail-title' },
      h('h2', { class: 'pane-title', id: 'detail-title', text: tt('detail') }),
      this.body,
    );
    new ResizeObserver(() => {
      if (this.body.clientWidth !== this.width) {
        this.width = this.body.clientWidth;
        this.fitHexDump();
      }
    }).observe(this.body);
  }

  /**
   * Sixteen bytes a row when they fit the pane, else eight: a laptop's pane beside the diagram is narrower than
   * a sixteen-byte line, and a dump that must be scrolled sideways to read each line is a cut dump.
   */
  private fitHexDump(): void {
    const pre = this.body.querySelector<HTMLPreElement>('pre.hexdump');
    const data = this.shown?.data;
    if (!pre || data === undefined) {
      return;
    }
    const bytes = base64ToBytes(data);
    pre.textContent = hexDump(bytes, 16);
    if (pre.scrollWidth > pre.clientWidth + 1) {
      pre.textContent = hexDump(bytes, 8);
    }
  }

  show(e: EntryDetail | undefined, error: string | undefined): void {
    if (!e) {
      this.shown = undefined;
      this.body.replaceChildren(h('p', { class: 'muted', text: error ?? tt('noSuchEntry') }));
      return;
    }
    this.shown = e;
    this.body.replaceChildren(renderDetail(e, this.openNote));
    this.fitHexDump();
  }
}
