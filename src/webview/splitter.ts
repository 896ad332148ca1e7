/**
 * A draggable, keyboard-operable divider between two panes (the ARIA "window splitter" pattern): a focusable
 * separator with its position as a value from 0 to 100. Arrow keys move it by 2, Page Up/Down by 10, Home/End
 * to its limits, Enter or a double click back to the default.
 */
import { h } from './dom';

export type SplitterOptions = {
  /** 'horizontal': a bar between panes stacked top to bottom; 'vertical': between panes side by side. */
  orientation: 'horizontal' | 'vertical';
  label: string;
  /** The element whose size the value is a percentage of. */
  container: HTMLElement;
  value: number;
  /** Where Enter or a double click puts it back. */
  defaultValue: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
  /** Called when a drag or key press ends, to save the position. */
  onCommit: (value: number) => void;
};

export function splitter(o: SplitterOptions): HTMLDivElement {
  const initial = o.defaultValue;
  let value = o.value;
  const el = h('div', {
    class: `splitter ${o.orientation}`,
    role: 'separator',
    tabindex: 0,
    'aria-orientation': o.orientation,
    'aria-label': o.label,
    title: `${o.label}: drag, or focus and use the arrow keys`,
    'aria-valuemin': o.min,
    'aria-valuemax': o.max,
  });
  const set = (v: number) => {
    value = Math.round(Math.min(o.max, Math.max(o.min, v)) * 10) / 10;
    el.setAttribute('aria-valuenow', String(Math.round(value)));
    o.onChange(value);
  };
  // The caller applies the initial value itself: onChange is for changes only.
  el.setAttribute('aria-valuenow', String(Math.round(value)));
  const fromPointer = (e: PointerEvent) => {
    const r = o.container.getBoundingClientRect();
    return o.orientation === 'horizontal'
      ? ((e.clientY - r.top) / Math.max(1, r.height)) * 100
      : ((e.clientX - r.left) / Math.max(1, r.width)) * 100;
  };
  el.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) {
      return;
    }
    e.preventDefault();
    el.setPointerCapture(e.pointerId);
    el.classList.add('dragging');
  });
  el.addEventListener('pointermove', (e) => {
    if (el.hasPointerCapture(e.pointerId)) {
      set(fromPointer(e));
    }
  });
  const end = (e: PointerEvent) => {
    if (el.hasPointerCapture(e.pointerId)) {
      el.releasePointerCapture(e.pointerId);
      el.classList.remove('dragging');
      o.onCommit(value);
    }
  };
  el.addEventListener('pointerup', end);
  el.addEventListener('pointercancel', end);
  el.addEventListener('dblclick', () => {
    set(initial);
    o.onCommit(value);
  });
  el.addEventListener('keydown', (e) => {
    const back = o.orientation === 'horizontal' ? 'ArrowUp' : 'ArrowLeft';
    const fwd = o.orientation === 'horizontal' ? 'ArrowDown' : 'ArrowRight';
    let v: number;
    switch (e.key) {
      case back:
        v = value - 2;
        break;
      case fwd:
        v = value + 2;
        break;
      case 'PageUp':
        v = value - 10;
        break;
      case 'PageDown':
        v = value + 10;
        break;
      case 'Home':
        v = o.min;
        break;
      case 'End':
        v = o.max;
        break;
      case 'Enter':
        v = initial;
        break;
      default:
        return;
    }
    e.preventDefault();
    set(v);
    o.onCommit(value);
  });
  return el;
}
