/**
 * The panel's frame: the list on top, the diagram and the detail side by side below, with splitters between
 * them whose positions are UI state (saved with the rest).
 */
import { h } from './dom';
import { DEFAULT_LAYOUT, type UiState } from './model';
import { splitter } from './splitter';
import { tt } from './strings';

export type Panes = { log: HTMLElement; diagram: HTMLElement; detail: HTMLElement };

type LayoutKey = keyof typeof DEFAULT_LAYOUT;

/** A splitter whose position is the layout's `key` (a percentage), kept in `cssVar` on `container`. */
function layoutSplitter(
  state: UiState,
  container: HTMLElement,
  key: LayoutKey,
  cssVar: string,
  options: { orientation: 'vertical' | 'horizontal'; label: string; onMoved(): void; commit(): void },
): HTMLElement {
  const value = (state.layout ?? DEFAULT_LAYOUT)[key];
  container.style.setProperty(cssVar, String(value));
  return splitter({
    orientation: options.orientation,
    label: options.label,
    container,
    value,
    defaultValue: DEFAULT_LAYOUT[key],
    min: 15,
    max: 85,
    onChange: (v) => {
      container.style.setProperty(cssVar, String(v));
      state.layout = { ...(state.layout ?? DEFAULT_LAYOUT), [key]: v };
      options.onMoved();
    },
    onCommit: () => options.commit(),
  });
}

export function splitLayout(
  state: UiState,
  panes: Panes,
  hooks: { resized(): void; commit(): void },
): HTMLElement {
  const split = h('main', { class: 'split' });
  const side = h('div', { class: 'side' });
  side.append(
    panes.diagram,
    layoutSplitter(state, side, 'diagramPct', '--diagram-pct', {
      orientation: 'vertical',
      label: tt('resizeDiagram'),
      onMoved: () => undefined,
      commit: () => hooks.commit(),
    }),
    panes.detail,
  );
  split.append(
    panes.log,
    layoutSplitter(state, split, 'logPct', '--log-pct', {
      orientation: 'horizontal',
      label: tt('resizeLog'),
      onMoved: () => hooks.resized(),
      commit: () => hooks.commit(),
    }),
    side,
  );
  return split;
}
