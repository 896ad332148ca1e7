/** The detail pane: what the selected entry carried, the notes that explain it, the socket call behind it. */
import type { EntryDetail } from '../shared/protocol';
import { renderDetail } from './detail';
import { h } from './dom';

export class DetailPane {
  readonly el: HTMLElement;
  private readonly body = h(
    'div',
    { class: 'detail' },
    h('p', {
      class: 'muted',
      text: 'Select an entry to see its bytes, the notes that explain it, and the socket call behind it.',
    }),
  );

  constructor(private readonly openNote: (noteId: string) => void) {
    this.el = h(
      'section',
      { class: 'pane detail-pane', 'aria-labelledby': 'detail-title' },
      h('h2', { class: 'pane-title', id: 'detail-title', text: 'Detail' }),
      this.body,
    );
  }

  show(e: EntryDetail | undefined, error: string | undefined): void {
    if (!e) {
      this.body.replaceChildren(h('p', { class: 'muted', text: error ?? 'No such entry.' }));
      return;
    }
    this.body.replaceChildren(renderDetail(e, this.openNote));
  }
}
