/**
 * Gives each distinct value a small integer, so columns hold numbers instead of references. Counted: every entry
 * that holds an id holds one reference, released when the entry is evicted; an id nobody holds is freed and
 * reused, so the tables shrink with the log (500,000 short-lived sockets must not stay in memory for good).
 * `gen` changes when an id is reused, so a cache keyed by object can tell a stale id.
 */
/** The last key a caller interned and the id it got, with that id's generation (stale once it changes). */
export type KeyCache = { key: string; id: number; gen: number };

export function keyCache(): KeyCache {
  return { key: '', id: -1, gen: -1 };
}

export class Interner<T> {
  private readonly index = new Map<string, number>();
  readonly values: Array<T | undefined> = [];
  private readonly keys: string[] = [];
  private readonly refs: number[] = [];
  readonly gen: number[] = [];
  private readonly free: number[] = [];

  /** The id of `key` (made with `make` when new), with one more reference. */
  id(key: string, make: () => T): number {
    const i = this.index.get(key);
    if (i !== undefined) {
      this.refs[i]!++;
      return i;
    }
    return this.add(key, make());
  }

  /** Like `id`, for a table whose values are their own keys: no closure per call on the hot path. */
  idOfKey(this: Interner<string>, key: string): number {
    const i = this.index.get(key);
    if (i !== undefined) {
      this.refs[i]!++;
      return i;
    }
    return this.add(key, key);
  }

  /**
   * Like `idOfKey`, asking the caller's one-entry cache first: a caller that asks for the same key over and over
   * (a socket's id, the sender of every datagram) compares strings instead of hashing them.
   */
  idOfKeyVia(this: Interner<string>, cache: KeyCache, key: string): number {
    const id = cache.id;
    if (key === cache.key && id >= 0 && this.gen[id] === cache.gen) {
      this.refs[id]!++;
      return id;
    }
    const fresh = this.idOfKey(key);
    cache.key = key;
    cache.id = fresh;
    cache.gen = this.gen[fresh]!;
    return fresh;
  }

  /** A new key, in a freed id when there is one, with its first reference. */
  private add(key: string, value: T): number {
    let i = this.free.pop();
    if (i === undefined) {
      i = this.values.length;
      this.gen.push(0);
      this.refs.push(0);
      this.keys.push(key);
      this.values.push(value);
    } else {
      this.gen[i]!++;
      this.keys[i] = key;
      this.values[i] = value;
    }
    this.index.set(key, i);
    this.refs[i]!++;
    return i;
  }

  /** One more reference to an id already known to be live. */
  retain(i: number): void {
    this.refs[i]!++;
  }

  /** One reference fewer; the last one frees the id. */
  release(i: number): void {
    if (--this.refs[i]! === 0) {
      this.index.delete(this.keys[i]!);
      this.values[i] = undefined;
      this.keys[i] = '';
      this.gen[i]!++;
      this.free.push(i);
    }
  }

  /** Distinct values held. */
  get size(): number {
    return this.index.size;
  }

  /** Forgets every value (the log was cleared: no entry holds any). */
  clear(): void {
    this.index.clear();
    for (let i = 0; i < this.values.length; i++) {
      if (this.values[i] !== undefined) {
        this.values[i] = undefined;
        this.keys[i] = '';
        this.gen[i]!++;
        this.free.push(i);
      }
      this.refs[i] = 0;
    }
  }
}
