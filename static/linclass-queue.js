// The press queue and the frames' order (pure functions over plain values; no DOM, no timers).
//
// Every press and click becomes an event {id, kind, ...} with an id that only grows (per page: an
// epoch); all events Python has not acknowledged travel together, so a press made while Python is
// busy is never lost and Python applies each id once. A frame is painted only if its rev is above
// the one painted, so nothing older ever replaces something newer; at most one look-ahead frame
// is painted before Python answers. The contract is protocol.schema.json (PROTOCOL is its version).

export const PROTOCOL = 1;
export const RESYNC_MS = 1500; // unacknowledged events are sent again after this long

// ----- events --------------------------------------------------------------------------------------
export const newEvents = (epoch) => ({ epoch, nextId: 1, pending: [], ackId: 0 });

// The queue with one more event, and that event.
export function push(q, kind, extra) {
  const ev = { ...(extra || {}), id: q.nextId, kind };
  return [{ ...q, nextId: q.nextId + 1, pending: [...q.pending, ev] }, ev];
}

// Python's acknowledgement {epoch, id}: the events up to id are applied (another epoch's is not ours).
export function acknowledge(q, ack) {
  if (!ack || ack.epoch !== q.epoch) return q;
  const ackId = Math.max(q.ackId, ack.id);
  return { ...q, ackId, pending: q.pending.filter((e) => e.id > ackId) };
}

// What the page sends (the component's state "events"): every event not yet acknowledged.
export const message = (q, at) => ({ version: PROTOCOL, epoch: q.epoch, events: q.pending.slice(), at });

// Whether a re-send is due when RESYNC_MS passed since the last send.
export const resendDue = (q) => q.pending.length > 0;

// ----- Play and Pause: the page shows what the user pressed at once --------------------------------
// intent: null (show what Python says), "play" or "pause" (pressed, Python has not answered yet).
export const showsPlaying = (dataPlaying, intent) => (intent === null ? !!dataPlaying : intent === "play");

// The Play/Pause button sends what it shows: "pause" while it reads Pause, else "play".
export const playPress = (dataPlaying, intent) => (showsPlaying(dataPlaying, intent) ? "pause" : "play");

// Once no play or pause event waits for Python, the page follows Python's word again.
export function settleIntent(intent, q) {
  return q.pending.some((e) => e.kind === "play" || e.kind === "pause") ? intent : null;
}

// ----- frames -------------------------------------------------------------------------------------
// The frames to paint after an update: while playing, the new frames after those queued; else the
// newest new frame alone. "New" is newer than anything painted or queued: never go back.
export function enqueueFrames(queue, paintedRev, frames, playing) {
  const newest = Math.max(paintedRev, ...queue.map((f) => f.rev));
  const fresh = frames.filter((f) => f.rev > newest);
  if (playing) return [...queue, ...fresh];
  return fresh.length ? fresh.slice(-1) : queue;
}

// The next frame to paint and the queue after it: frames no newer than the painted one are dropped.
export function nextFrame(queue, paintedRev) {
  let i = 0;
  while (i < queue.length && queue[i].rev <= paintedRev) i++;
  if (i >= queue.length) return [null, []];
  return [queue[i], queue.slice(i + 1)];
}

// The look-ahead frame a Step press paints at once, or null: only a single Step, with nothing else
// on its way to Python, not while playing; and only once (the caller drops it after use).
export function lookAhead(ahead, kind, extra, q, playing) {
  if (kind !== "step" || (extra && extra.n !== 1) || playing || !ahead) return null;
  return q.pending.length === 0 ? ahead : null;
}

// Ask for Play's next chunk once no more than half a chunk is left to play.
export const wantsMore = (queued, chunk) => queued <= (chunk || 6) / 2;
