/**
 * The panel's frame: the list on top, the diagram and the detail side by side below, with splitters between
 * them whose positions are UI state (saved with the rest).
 */
import { h } from './dom';
import { DEFAULT_LAYOUT, type UiState } from './model';
import { splitter } from './splitter';
import { tt } from './strings';

export type Panes = { log: HTMLElement; diagram: HTMLElement; detail: HTMLElement };

export function splitLayout(
  state: UiState,
  panes: Panes,
  hooks: { resized(): void; commit(): void },
): HTMLElement {
  const split = h('main', { class: 'split' });
  const side = h('div', { class: 'side' });
  const layout = state.layout ?? DEFAULT_LAYOUT;
  split.style.setProperty('--log-pct', String(layout.logPct));
  side.style.setProperty('--diagram-pct', String(layout.diagramPct));
  side.append(
    panes.diagram,
    splitter({
      orientation: 'vertical',
      label: tt('resizeDiagram'),
      container: side,
      value: layout.diagramPct,
      defaultValue: DEFAULT_LAYOUT.diagramPct,
      min: 15,
      max: 85,
      onChange: (v) => {
        side.style.setProperty('--diagram-pct', String(v));
        state.layout = { ...(state.layout ?? DEFAULT_LAYOUT), diagramPct: v };
      },
      onCommit: () => hooks.commit(),
    }),
    panes.detail,
  );
  split.append(
    panes.log,
    splitter({
      orientation: 'horizontal',
      label: tt('resizeLog'),
      container: split,
      value: layout.logPct,
      defaultValue: DEFAULT_LAYOUT.logPct,
      min: 15,
      max: 85,
      onChange: (v) => {
        split.style.setProperty('--log-pct', String(v));
        state.layout = { ...(state.layout ?? DEFAULT_LAYOUT), logPct: v };
        hooks.resized();
      },
      onCommit: () => hooks.commit(),
    }),
    side,
  );
  return split;
}
