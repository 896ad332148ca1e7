/**
 * The sequence-diagram pane: redraws the chart a few times a second at most, keeps the reader's scroll and
 * focus, and lets the user narrow it to the selected entry's conversation (one protocol, the sockets that take
 * part) instead of every lane in view.
 */
import { SEQ_W, diagramNodes, renderDiagram } from './diagram';
import { h, select } from './dom';
import type { DiagramScope, Model } from './model';
import { tt } from './strings';

/** Events the diagram draws at most: a screenful or two of a conversation, around the selection or the newest. */
const DIAGRAM_ROWS = 80;
/** Height of the diagram's sticky lane header (diagram.ts HEAD_H). */
const DIAGRAM_HEAD_H = 42;
const REDRAW_MS = 200;

export class DiagramPane {
  readonly el: HTMLElement;
  private readonly chart = h('div', { class: 'diagram' });
  private queued = false;

  constructor(
    private readonly model: Model,
    private readonly hooks: { isPaused(): boolean; select(seq: number): void; scopeChanged(): void },
  ) {
    const scope = select<DiagramScope>(
      tt('diagramScope'),
      [
        ['all', tt('allLanes')],
        ['conversation', tt('selectedConversation')],
      ],
      model.state.diagramScope ?? 'all',
      (v) => {
        model.state.diagramScope = v;
        this.hooks.scopeChanged();
        this.queue();
      },
    );
    scope.classList.add('diagram-scope');
    this.el = h(
      'section',
      { class: 'pane diagram-pane', 'aria-labelledby': 'diagram-title' },
      h(
        'div',
        { class: 'pane-head' },
        h('h2', { class: 'pane-title', id: 'diagram-title', text: tt('diagram') }),
        scope,
      ),
      this.chart,
    );
  }

  queue(): void {
    if (!this.queued) {
      this.queued = true;
      // The diagram is heavier than the list: redraw it at most a few times a second.
      setTimeout(() => {
        this.queued = false;
        if (!this.hooks.isPaused()) {
          this.render();
        }
      }, REDRAW_MS);
    }
  }

  render(): void {
    const m = this.model;
    const el = this.chart;
    const rows = m.diagramRows(DIAGRAM_ROWS);
    if (!rows.length) {
      el.replaceChildren(
        h('p', {
          class: 'muted',
          text:
            m.state.diagramScope === 'conversation' && m.state.selectedSeq === undefined
              ? tt('diagramSelect')
              : tt('diagramEmpty'),
        }),
      );
      return;
    }
    // The chart is rebuilt a few times a second: keep the horizontal scroll and a keyboard user's focus.
    const focused = el.contains(document.activeElement)
      ? (document.activeElement as Element).getAttribute('data-seq')
      : null;
    const left = el.scrollLeft;
    const d = renderDiagram({
      rows,
      sockets: m.sockets,
      known: m.known,
      selectedSeq: m.state.selectedSeq,
      onSelect: (seq) => this.hooks.select(seq),
    });
    el.replaceChildren(...diagramNodes(d));
    el.scrollLeft = left;
    // Bring the selected event (or, when following, the newest) into view, both ways; leave the scroll alone
    // while it is in view, so that reading the chart is not disturbed by new traffic.
    const t = d.target;
    if (t && (t.selected || m.state.follow)) {
      const room = el.clientHeight - DIAGRAM_HEAD_H;
      if (!t.selected) {
        el.scrollTop = el.scrollHeight;
      } else if (t.y < el.scrollTop + 24 || t.y > el.scrollTop + room - 24) {
        el.scrollTop = Math.max(0, t.y - room / 2);
      }
      // Sideways, scroll as little as shows it whole (or its start, if it is wider than the pane): the chart's
      // left part, where a relay's clients are, stays in view when it can.
      const width = el.clientWidth - SEQ_W;
      if (t.left < el.scrollLeft || t.right - t.left > width) {
        el.scrollLeft = t.left;
      } else if (t.right > el.scrollLeft + width) {
        el.scrollLeft = t.right - width;
      }
    }
    if (focused !== null) {
      const again = el.querySelector<SVGGElement>(`g.mark[data-seq="${CSS.escape(focused)}"]`);
      if (again) {
        el.querySelector('g.mark[tabindex="0"]')?.setAttribute('tabindex', '-1');
        again.setAttribute('tabindex', '0');
        again.focus({ preventScroll: true });
      }
    }
  }
}
