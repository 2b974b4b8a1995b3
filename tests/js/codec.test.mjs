// The patch codec: what Python's encoder writes (tests/js/fixtures/encoded.json, written by
// linclass/ui/plotly_view.py's encode_frames; tests/ui/test_encode_chunks.py keeps it current)
// decodes to the figures Python drew.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import * as C from "../../static/linclass-codec.js";

const FIXTURE = JSON.parse(readFileSync(new URL("./fixtures/encoded.json", import.meta.url), "utf8"));

// Typed arrays as plain arrays of numbers, for comparison with the JSON the fixture expects (an
// array with a shape, left encoded for Plotly, as Plotly reads it: rows of numbers).
function plain(o) {
  if (ArrayBuffer.isView(o)) return Array.from(o);
  if (Array.isArray(o)) return o.map(plain);
  if (!o || typeof o !== "object") return o;
  if (typeof o.shape === "string" && typeof o.bdata === "string") {
    const flat = Array.from(C.typedArray(o.dtype, o.bdata));
    const [rows, cols] = o.shape.split(",").map(Number);
    return Array.from({ length: rows }, (_, i) => flat.slice(i * cols, (i + 1) * cols));
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)]));
}

test("every frame of Python's encoding decodes to the figures Python drew", () => {
  const parts = C.readParts(structuredClone(FIXTURE.parts));
  assert.equal(FIXTURE.frames.length, 3);
  FIXTURE.frames.forEach((frame, i) => {
    for (const [name, ref] of Object.entries(frame.figs)) {
      assert.deepEqual(plain(C.figure(parts, ref)), FIXTURE.expected[i][name], `frame ${i}, ${name}`);
    }
  });
});

test("later frames are sent as patches on the first frame's parts", () => {
  const refs = FIXTURE.frames.slice(1).flatMap((f) => Object.values(f.figs).flatMap(([lay, tr]) => [...Object.values(lay), ...tr]));
  assert.ok(refs.some(Array.isArray)); // at least one [base, patch]
  refs.filter(Array.isArray).forEach(([base, patch]) => {
    assert.equal(typeof FIXTURE.parts[base], "string"); // a base is JSON text
    assert.notEqual(typeof FIXTURE.parts[patch], "string"); // a patch an object
  });
});

test("resolving a part never changes the parts other frames share", () => {
  const parts = C.readParts(structuredClone(FIXTURE.parts));
  const before = JSON.stringify(plain(parts));
  FIXTURE.frames.forEach((f) => Object.values(f.figs).forEach((ref) => {
    const fig = C.figure(parts, ref);
    fig.data.forEach((t) => { t.name = "changed"; });
  }));
  assert.equal(JSON.stringify(plain(parts)), before);
});

test("applyPatch: keys, $set, $list, and values as themselves", () => {
  const base = { a: 1, b: { c: 2, d: 3 }, s: [{ x: 1 }, { x: 2 }], t: { u: 1 } };
  const got = C.applyPatch(base, { b: { c: 5 }, s: { $list: [null, { x: 9 }] }, t: { $set: { v: 2 } }, n: [1, 2] });
  assert.deepEqual(got, { a: 1, b: { c: 5, d: 3 }, s: [{ x: 1 }, { x: 9 }], t: { v: 2 }, n: [1, 2] });
  assert.deepEqual(base.b, { c: 2, d: 3 }); // the base is not changed
  assert.equal(C.applyPatch({ a: 1 }, 7), 7);
});

test("typed arrays decode by dtype; arrays with a shape stay for Plotly", () => {
  const f8 = Buffer.from(new Float64Array([0.5, -2]).buffer).toString("base64");
  const i4 = Buffer.from(new Int32Array([3, -4]).buffer).toString("base64");
  const got = C.decode({ x: { dtype: "f8", bdata: f8 }, y: [{ dtype: "i4", bdata: i4 }], z: { dtype: "f8", bdata: f8, shape: "1, 2" } });
  assert.ok(got.x instanceof Float64Array);
  assert.deepEqual(Array.from(got.x), [0.5, -2]);
  assert.deepEqual(Array.from(got.y[0]), [3, -4]);
  assert.equal(got.z.shape, "1, 2");
});

test("a figure's key changes exactly when one of its parts does", () => {
  const keys = ["k0", "k1", "k2", "k3"];
  const a = C.figureKey(keys, [{ xaxis: 0 }, [1, [2, 3]]]);
  assert.equal(a, C.figureKey(keys, [{ xaxis: 0 }, [1, [2, 3]]]));
  assert.notEqual(a, C.figureKey(keys, [{ xaxis: 0 }, [1, 2]]));
  assert.equal(C.keyOf(keys, [2, 3]), "k2+k3");
});
