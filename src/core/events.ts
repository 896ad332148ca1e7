import type { EventEmitter } from 'node:events';

/** A tiny Emitter/Disposable shaped like VS Code's, so core code needs no `vscode` and nothing is translated at the boundary. */

export interface Disposable {
  dispose(): void;
}

/** VS Code's `Event<T>` signature: subscribe with a listener, get a Disposable back. */
export type Event<T> = (listener: (e: T) => void) => Disposable;

export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (!done) {
        done = true;
        fn();
      }
    },
  };
}

let unexpectedErrorHandler: (err: unknown) => void = () => undefined;

/** Where errors thrown by listeners go (the extension routes them to its output channel). */
export function setUnexpectedErrorHandler(handler: (err: unknown) => void): void {
  unexpectedErrorHandler = handler;
}

export function onUnexpectedError(err: unknown): void {
  try {
    unexpectedErrorHandler(err);
  } catch {
    // the handler itself failed: nothing sensible left to do
  }
}

export class Emitter<T> implements Disposable {
  private listeners: Array<(e: T) => void> = [];
  private disposed = false;

  /** The public event. */
  readonly event: Event<T> = (listener) => {
    if (this.disposed) {
      return toDisposable(() => undefined);
    }
    this.listeners.push(listener);
    return toDisposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  fire(e: T): void {
    // A throwing listener must not stop the others, nor escape into a socket's event loop callback.
    for (const listener of this.listeners) {
      try {
        listener(e);
      } catch (err) {
        onUnexpectedError(err);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}

/** Disposes everything added to it; late additions after dispose are disposed at once (docs/architecture.md). */
export class DisposableStore implements Disposable {
  private items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(d: T): T {
    if (this.disposed) {
      d.dispose();
    } else {
      this.items.push(d);
    }
    return d;
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    const items = this.items;
    this.items = [];
    for (const d of items.reverse()) {
      try {
        d.dispose();
      } catch {
        // best effort: one failing dispose must not keep the rest alive
      }
    }
  }
}

/**
 * Starts an operation (bind, listen) and resolves on its success event or rejects on its first 'error',
 * removing the listener that lost the race (a later error is not this one's; Node's dgram bind does the same).
 */
export function whenReady(target: EventEmitter, successEvent: string, start: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      target.off(successEvent, onSuccess);
      reject(err);
    };
    const onSuccess = () => {
      target.off('error', onError);
      resolve();
    };
    target.once('error', onError);
    target.once(successEvent, onSuccess);
    start();
  });
}
