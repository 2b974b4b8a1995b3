// The press queue and the frames' order (static/linclass-queue.js): ids, re-send, acknowledgement,
// never an older frame, at most one look-ahead, Play/Pause as the user saw it.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as Q from "../../static/linclass-queue.js";
import { validateMessage } from "./schema.mjs";

const pressAll = (q, kinds) => kinds.reduce(([s, evs], k) => { const [s2, ev] = Q.push(s, k, k === "step" ? { n: 1 } : undefined); return [s2, [...evs, ev]]; }, [q, []]);

test("ids only grow, one per event, and survive acknowledgements", () => {
  let [q, evs] = pressAll(Q.newEvents(7), ["step", "step", "back"]);
  assert.deepEqual(evs.map((e) => e.id), [1, 2, 3]);
  q = Q.acknowledge(q, { epoch: 7, id: 3 });
  const [, ev] = Q.push(q, "step", { n: 1 });
  assert.equal(ev.id, 4);
});

test("an event's own fields cannot overwrite its id or kind", () => {
  const [, ev] = Q.push(Q.newEvents(1), "click", { id: 99, kind: "step", x: 1, y: 2, px: 0.1, py: 0.1 });
  assert.equal(ev.id, 1);
  assert.equal(ev.kind, "click");
});

test("acknowledgement drops the acknowledged events only, and never goes back", () => {
  let [q] = pressAll(Q.newEvents(7), ["step", "step", "step"]);
  q = Q.acknowledge(q, { epoch: 7, id: 2 });
  assert.deepEqual(q.pending.map((e) => e.id), [3]);
  q = Q.acknowledge(q, { epoch: 7, id: 1 }); // a late, older answer
  assert.equal(q.ackId, 2);
  assert.deepEqual(q.pending.map((e) => e.id), [3]);
});

test("another epoch's acknowledgement is not ours", () => {
  let [q] = pressAll(Q.newEvents(7), ["step"]);
  q = Q.acknowledge(q, { epoch: 8, id: 5 });
  assert.equal(q.pending.length, 1);
  assert.equal(Q.acknowledge(q, null), q);
});

test("a re-send (after RESYNC) carries every unacknowledged event, oldest first", () => {
  let [q] = pressAll(Q.newEvents(7), ["step", "play", "pause"]);
  q = Q.acknowledge(q, { epoch: 7, id: 1 });
  assert.ok(Q.resendDue(q));
  const m = Q.message(q, 123);
  assert.deepEqual(m.events.map((e) => [e.id, e.kind]), [[2, "play"], [3, "pause"]]);
  q = Q.acknowledge(q, { epoch: 7, id: 3 });
  assert.ok(!Q.resendDue(q));
  assert.deepEqual(Q.message(q, 124).events, []);
});

test("never an older frame: queued frames are newer than anything painted or queued", () => {
  const f = (rev) => ({ rev });
  assert.deepEqual(Q.enqueueFrames([], 5, [f(4), f(5), f(6)], false), [f(6)]);
  assert.deepEqual(Q.enqueueFrames([f(7)], 5, [f(6), f(7), f(8), f(9)], true), [f(7), f(8), f(9)]);
  assert.deepEqual(Q.enqueueFrames([f(7)], 5, [f(3)], false), [f(7)]); // a stale update changes nothing
  const [next, rest] = Q.nextFrame([f(3), f(5), f(6), f(7)], 5);
  assert.equal(next.rev, 6);
  assert.deepEqual(rest, [f(7)]);
  assert.deepEqual(Q.nextFrame([f(2)], 5), [null, []]);
});

test("a look-ahead answers a single Step with nothing else on its way, once", () => {
  const ahead = { rev: 3.5 };
  const idle = Q.newEvents(1);
  assert.equal(Q.lookAhead(ahead, "step", { n: 1 }, idle, false), ahead);
  assert.equal(Q.lookAhead(ahead, "step", { n: 10 }, idle, false), null);
  assert.equal(Q.lookAhead(ahead, "back", undefined, idle, false), null);
  assert.equal(Q.lookAhead(ahead, "step", { n: 1 }, idle, true), null); // not while playing
  const [busy] = Q.push(idle, "step", { n: 1 });
  assert.equal(Q.lookAhead(ahead, "step", { n: 1 }, busy, false), null); // a second press: no look-ahead
  assert.equal(Q.lookAhead(null, "step", { n: 1 }, idle, false), null);
});

test("Play/Pause flips at once and a quick second press is a Pause", () => {
  // Python says: not playing. The user presses Play, then again before Python answers.
  let intent = null;
  const kinds = [];
  for (let i = 0; i < 2; i++) {
    const kind = Q.playPress(false, intent);
    kinds.push(kind);
    intent = kind;
  }
  assert.deepEqual(kinds, ["play", "pause"]);
  assert.equal(Q.showsPlaying(false, intent), false);
  assert.equal(Q.showsPlaying(false, "play"), true);
  assert.equal(Q.showsPlaying(true, "pause"), false);
});

test("twenty quick presses end in the state of the last, and the page follows Python once all are acknowledged", () => {
  let q = Q.newEvents(3);
  let intent = null;
  for (let i = 0; i < 20; i++) {
    const kind = Q.playPress(false, intent); // Python never answers meanwhile
    [q] = Q.push(q, kind, kind === "pause" ? { rev: 0 } : undefined);
    intent = kind;
  }
  assert.deepEqual(q.pending.map((e) => e.kind), Array.from({ length: 20 }, (_, i) => (i % 2 ? "pause" : "play")));
  assert.equal(Q.showsPlaying(true, Q.settleIntent(intent, q)), false); // Python still plays: the page shows Pause pressed
  q = Q.acknowledge(q, { epoch: 3, id: 20 });
  assert.equal(Q.settleIntent(intent, q), null); // all applied: Python's word again
});

test("Play asks for more once half a chunk or less is left", () => {
  assert.ok(Q.wantsMore(3, 6));
  assert.ok(!Q.wantsMore(4, 6));
});

test("the messages the page sends follow the schema", () => {
  let q = Q.newEvents(1733.25);
  for (const [kind, extra] of [["step", { n: 1 }], ["step", { n: 100 }], ["play"], ["pause", { rev: 4 }], ["more", { rev: 4.5 }],
    ["click", { x: 0.1, y: -2, px: 0.01, py: 0.02 }], ["row", { m: 1, w: [0.5, -0.5] }], ["tool", { tool: "erase" }],
    ["class", { m: 2 }], ["back"], ["undo"], ["redo"], ["clear"], ["present", { on: true }], ["scene", { to: "next" }],
    ["scene", { to: "home" }]]) {
    [q] = Q.push(q, kind, extra);
  }
  assert.deepEqual(validateMessage("events", Q.message(q, Date.now())), []);
  const [bad] = Q.push(q, "step", { n: 3 });
  assert.notDeepEqual(validateMessage("events", Q.message(bad, 1)), []); // the schema has teeth
  const [toggle] = Q.push(q, "present"); // the mode asked for, not a toggle (a press sent twice stays put)
  assert.notDeepEqual(validateMessage("events", Q.message(toggle, 1)), []);
  const [lost] = Q.push(q, "scene", { to: "sideways" });
  assert.notDeepEqual(validateMessage("events", Q.message(lost, 1)), []);
});

