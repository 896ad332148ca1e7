/**
 * The matcher from traffic events and error codes to the course notes that explain them: every event becomes an
 * ordered list of named moments (moments.ts), and the notes shown are those whose `explains` holds one of them,
 * ordered by the first moment they explain (most specific first), then by their place in the notes.
 *
 * Hot path: `notesFor` runs for every logged event, so results are computed once per distinct situation and
 * cached. The cache key is a number packed from the few fields that matter (socket kind, protocol, event, port
 * classes, close reason, error code); a numeric key means a call costs one table lookup and allocates nothing.
 * The key space is finite (unknown error codes collapse to one slot), so the cache cannot grow without bound.
 * When the notes change (a course pack is loaded or edited), the cache is dropped and rebuilt on demand.
 *
 * Returned arrays and their NoteRef objects are shared and frozen: callers may store them in log entries but
 * must not mutate them.
 */

import { TRAFFIC_EVENTS, type AnnotationInput, type NoteRef, type TrafficEvent } from '../../shared/types';
import { ERROR_CODES, momentsOf, ROLE_OF } from './moments';
import { allNotes, NoteId, notesGeneration } from './notes';

// ─── note references and the moment index ───────────────────────────────────────────────────────────

let generation = -1;
let refs: Map<string, NoteRef> | undefined;
let byMoment: Map<string, NoteRef[]> | undefined;
const cache = new Map<number, NoteRef[]>();
const errorCache = new Map<number, NoteRef[]>();

/** Drops everything derived from the notes when they have changed since it was built. */
function sync(): void {
  const g = notesGeneration();
  if (g !== generation) {
    generation = g;
    refs = undefined;
    byMoment = undefined;
    cache.clear();
    errorCache.clear();
  }
}

function refMap(): Map<string, NoteRef> {
  sync();
  return (refs ??= new Map(allNotes().map((n) => [n.id, Object.freeze({ id: n.id, title: n.title })])));
}

/** The shared `{ id, title }` of a note. Throws on an unknown id: that is a programming error. */
export function noteRef(id: string): NoteRef {
  const ref = refMap().get(id);
  if (!ref) {
    throw new Error(`annotate: unknown note id '${id}'`);
  }
  return ref;
}

/** Moment → the notes that explain it, in the notes' order. */
function momentIndex(): Map<string, NoteRef[]> {
  const map = refMap();
  if (!byMoment) {
    byMoment = new Map();
    for (const n of allNotes()) {
      for (const m of n.explains) {
        let list = byMoment.get(m);
        if (!list) {
          byMoment.set(m, (list = []));
        }
        list.push(map.get(n.id)!);
      }
    }
  }
  return byMoment;
}

/**
 * The notes that explain these moments: by the first moment each explains, then in the notes' order, without
 * duplicates; frozen. Never empty while the general errors note exists (it stands in when no note matches).
 */
export function notesForMoments(moments: readonly string[]): NoteRef[] {
  const index = momentIndex();
  const seen = new Set<string>();
  const out: NoteRef[] = [];
  for (const m of moments) {
    for (const ref of index.get(m) ?? []) {
      if (!seen.has(ref.id)) {
        seen.add(ref.id);
        out.push(ref);
      }
    }
  }
  if (out.length === 0) {
    const general = refMap().get(NoteId.SocketErrors);
    if (general) {
      out.push(general);
    }
  }
  return Object.freeze(out) as NoteRef[];
}

// ─── error codes ─────────────────────────────────────────────────────────────────────────────────────

/** Slot 0 is "no code or an unknown code"; known codes get slots 1..n. */
const errorSlot = new Map<string, number>(ERROR_CODES.map((c, i) => [c, i + 1]));
const ERROR_SLOTS = ERROR_CODES.length + 1;

function slotOf(code: string | undefined): number {
  if (code === undefined || code === '') {
    return 0;
  }
  // Exact match first; a lower-case spelling costs one extra lookup (and a string) only on a miss.
  return errorSlot.get(code) ?? errorSlot.get(code.toUpperCase()) ?? 0;
}

/** The moment of an error code: `error:<CODE>`, or `error:other` for a missing or unknown code. */
export function errorMoment(code: string | undefined): string {
  const slot = slotOf(code);
  return slot === 0 ? 'error:other' : `error:${ERROR_CODES[slot - 1]!}`;
}

/** Notes for an error code alone (`error:<CODE>`, no event around it); never empty while the general errors note exists. */
export function notesForError(code: string | undefined): NoteRef[] {
  sync();
  const slot = slotOf(code);
  let list = errorCache.get(slot);
  if (list === undefined) {
    list = notesForMoments([errorMoment(code)]);
    errorCache.set(slot, list);
  }
  return list;
}

// ─── events ──────────────────────────────────────────────────────────────────────────────────────────

const KINDS = Object.keys(ROLE_OF) as (keyof typeof ROLE_OF)[];
const KIND_INDEX = new Map(KINDS.map((k, i) => [k, i]));

const EVENTS: readonly TrafficEvent[] = TRAFFIC_EVENTS;
const EVENT_INDEX = new Map(EVENTS.map((e, i) => [e, i]));
const EVENT_CLOSE = EVENTS.indexOf('close');
const EVENT_ERROR = EVENTS.indexOf('error');

const CLOSE_REASONS = [undefined, 'local', 'peer-fin', 'reset', 'server-closed'] as const;

function closeIndex(reason: string | undefined): number {
  const i = CLOSE_REASONS.indexOf(reason as (typeof CLOSE_REASONS)[number]);
  return i < 0 ? 0 : i;
}

const wellKnown = (port: number | undefined): boolean => port !== undefined && port > 0 && port < 1024;

/** The moments of one traffic event, most specific first (what `notesFor` shows the notes of). */
export function momentsFor(input: AnnotationInput): string[] {
  const local = wellKnown(input.local?.port);
  const slot = input.event === 'error' ? slotOf(input.errorCode) : 0;
  return momentsOf({
    kind: input.kind,
    udp: input.protocol === 'udp',
    event: input.event,
    localPrivileged: local,
    wellKnown: local || wellKnown(input.remote?.port),
    closedBy: input.event === 'close' ? input.closedBy : undefined,
    errorCode: slot === 0 ? undefined : ERROR_CODES[slot - 1],
  });
}

/** Notes explaining one traffic event; never empty. Cached: the same situation returns the same frozen array. */
export function notesFor(input: AnnotationInput): NoteRef[] {
  sync();
  const kind = KIND_INDEX.get(input.kind);
  const event = EVENT_INDEX.get(input.event);
  if (kind === undefined || event === undefined) {
    return notesForError(undefined); // not a valid input; stay total rather than throw into a socket callback
  }
  const udp = input.protocol === 'udp' ? 1 : 0;
  const local = wellKnown(input.local?.port) ? 1 : 0;
  const remote = wellKnown(input.remote?.port) ? 1 : 0;
  // Only the fields a moment looks at are part of the key; the rest stay 0 so equal situations share a slot.
  const closedBy = event === EVENT_CLOSE ? closeIndex(input.closedBy) : 0;
  const err = event === EVENT_ERROR ? slotOf(input.errorCode) : 0;
  const key =
    (((((kind * 12 + event) * 2 + udp) * 2 + local) * 2 + remote) * 5 + closedBy) * ERROR_SLOTS + err;
  let list = cache.get(key);
  if (list === undefined) {
    list = notesForMoments(momentsFor(input));
    cache.set(key, list);
  }
  return list;
}
