// A dragged point's preview (static/linclass-drag.js) against Python's own numbers and figures:
// tests/js/fixtures/drag.json, written by tests/session/test_drag.py (each case: the basis Python
// sends, the side panel and marks of the frame the page patches, and those Python draws once the
// point is moved there, with the bars and the next step's update).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { decode } from "../../static/linclass-codec.js";
import * as G from "../../static/linclass-drag.js";
import { validate, SCHEMA } from "./schema.mjs";

const FIXTURE = JSON.parse(readFileSync(new URL("./fixtures/drag.json", import.meta.url), "utf8"));
const CASES = FIXTURE.cases.map((c) => ({ ...c, before: decode(c.before), after: decode(c.after) }));

const close = (a, b, tol, what) => {
  assert.equal(a.length, b.length, what);
  Array.from(a).forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `${what}[${i}]: ${v} vs ${b[i]}`));
};
const trace = (fig, name) => fig.data.find((t) => t.name === name);
const shape = (fig, name) => fig.layout.shapes.find((s) => s.name === name);
const scaleOf = (fig) => {
  const h = fig.layout.annotations.find((a) => /^w_m →/.test(a.text));
  const m = /drawn ×([\d,]+)/.exec(h.text);
  return m ? +m[1].replace(/,/g, "") : 1;
};

test("the fixture covers every loss, a batch, the sample and another point, and features", () => {
  assert.deepEqual(new Set(CASES.map((c) => c.basis.loss)), new Set(["softmax", "hinge", "ova", "structured"]));
  assert.ok(CASES.some((c) => c.basis.members.length > 8));
  // phi(x) beyond the plane, the arrows over a pair other than (x1, x2), and over one feature only
  assert.ok(CASES.some((c) => c.basis.features.includes("x1x2") && c.basis.members.length > 8));
  assert.ok(CASES.some((c) => c.basis.pair[0] > 1) && CASES.some((c) => c.basis.pair.includes(-1)));
  assert.ok(CASES.some((c) => c.basis.focus === c.j) && CASES.some((c) => c.basis.focus !== c.j));
  CASES.forEach((c) => assert.deepEqual(validate(c.basis, SCHEMA.$defs.drag.properties.basis), []));
});

test("the bars and the next step's update are Python's for the point where it is dragged", () => {
  for (const c of CASES) {
    const n = G.preview(c.basis, c.j, c.to);
    close(n.bars, c.bars, 1e-12, `${c.basis.loss} bars`);
    c.update.forEach((row, m) => close(n.update[m], row, 1e-12 * Math.max(1, ...row.map(Math.abs)), `${c.basis.loss} U[${m}]`));
    const still = G.preview(c.basis, c.j, c.basis.X[c.j]); // not moved: the frame Python drew
    const bars = trace(c.before.side, c.basis.loss === "softmax" ? "p" : "f_m − f_y + Δ").y;
    if (c.basis.loss === "softmax") close(still.bars, bars, 1e-12, "unmoved bars");
  }
});

test("the patched side panel draws Python's bars and Python's update arrows", () => {
  let exact = 0;
  let members = 0;
  for (const c of CASES) {
    const n = G.preview(c.basis, c.j, c.to);
    const got = G.patchSide(c.before.side, c.basis, c.j, c.to, n);
    for (const name of ["p", "p − e_y", "p_y", "f_m − f_y + Δ"]) {
      const [a, b] = [trace(got, name), trace(c.after.side, name)];
      if (!b) continue;
      for (const key of ["y", "base", "customdata"]) if (b[key] !== undefined) close(a[key], b[key], 1e-12, `${name}.${key}`);
      assert.deepEqual(a.text, b.text, `${c.basis.loss} ${name} labels`);
      if (name === "f_m − f_y + Δ") {
        assert.deepEqual(a.marker.color, b.marker.color);
        close(got.layout.yaxis.range, c.after.side.layout.yaxis.range, 1e-12, "margins axis");
      }
    }
    if (c.basis.focus === c.j) {  // the bars' heading (its L_i with an SVM loss) is Python's for the point there
      const heading = (f) => f.layout.annotations.map((a) => a.text).filter((t) => /^(margins|p) of/.test(t));
      assert.deepEqual(heading(got), heading(c.after.side), `${c.basis.loss} bars' heading`);
    }
    const s = scaleOf(got);
    const r = got.layout.xaxis2.range[1];
    c.basis.W.forEach((w, m) => {
      const sh = shape(got, `update ${m}`);
      close([(sh.x1 - sh.x0) / s, (sh.y1 - sh.y0) / s], c.update[m], (1e-5 * r) / s, `update arrow ${m}`);
    });
    if (scaleOf(c.after.side) === s && c.after.side.layout.xaxis2.range[1] === r) {
      for (const sh of got.layout.shapes.filter((x) => /^(update|x_i)/.test(x.name || ""))) {
        const i = got.layout.shapes.indexOf(sh);
        const py = c.after.side.layout.shapes[i];
        assert.equal(sh.name, py.name);
        close([sh.x0, sh.y0, sh.x1, sh.y1], [py.x0, py.y0, py.x1, py.y1], 1e-5 * r, `${c.basis.loss} ${sh.name}`);
        assert.equal(sh.visible, py.visible, sh.name);
      }
      for (const t of got.data.filter((x) => /^members /.test(x.name || ""))) {  // a batch's faint shares
        const py = trace(c.after.side, t.name);
        close(t.x, py.x, 1e-5 * r, `${c.basis.loss} ${t.name} x`);  // float32: display precision
        close(t.y, py.y, 1e-5 * r, `${c.basis.loss} ${t.name} y`);
        members += 1;
      }
      for (const name of ["arrow heads", "mean of rows"]) {
        close(trace(got, name).x, trace(c.after.side, name).x, 1e-9, name);
        close(trace(got, name).y, trace(c.after.side, name).y, 1e-9, name);
      }
      close(trace(got, "arrow heads").marker.angle, trace(c.after.side, "arrow heads").marker.angle, 0.011, "heads");
      assert.deepEqual(trace(got, "arrow heads").marker.color, trace(c.after.side, "arrow heads").marker.color);
    }
    const touched = c.basis.focus === c.j || c.basis.members.includes(c.j);
    (touched ? assert.notDeepEqual : assert.deepEqual)(got, c.before.side, "the preview changes the panel when j counts");
    exact += scaleOf(c.after.side) === s && c.after.side.layout.xaxis2.range[1] === r;
  }
  assert.ok(exact >= 3, `${exact} cases drew Python's very arrows`);
  assert.ok(members >= 3, `${members} member traces checked`);
});

test("the base figure is kept: each frame patches it afresh", () => {
  const c = CASES[0];
  const kept = structuredClone(c.before.side);
  G.patchSide(c.before.side, c.basis, c.j, c.to, G.preview(c.basis, c.j, c.to));
  assert.deepEqual(c.before.side, kept);
});

test("the marks (ring, square, batch) follow the point", () => {
  for (const c of CASES) {
    const got = G.patchMarks(c.before.marks, c.basis, c.j, c.to);
    for (const name of ["current sample", "selected", "batch"]) {
      const [a, b] = [trace(got, name), trace(c.after.marks, name)];
      if (b) close(a.x, b.x, 1e-6, name), close(a.y, b.y, 1e-6, name);
    }
  }
});

test("a press picks the nearest point within 10 pixels, never a held-out one", () => {
  const basis = { X: [[0, 0], [1, 0], [0.5, 0.5]], test: [2] };
  assert.equal(G.pointAt(basis, 0.05, 0, 0.01, 0.01), 0);
  assert.equal(G.pointAt(basis, 0.95, 0.02, 0.01, 0.01), 1);
  assert.equal(G.pointAt(basis, 0.3, 0.3, 0.01, 0.01), null); // 30 px from the nearest
  assert.equal(G.pointAt(basis, 0.5, 0.5, 0.01, 0.01), null); // a test point stays where it is
});

test("the losses' coefficients, by their definitions", () => {
  assert.deepEqual(G.coefficients("hinge", [1, 0.5, -2], 0, 1), [-1, 1, 0]);
  assert.deepEqual(G.coefficients("ova", [0.5, -0.5, -1.5], 0, 1), [-1, 1, 0]);
  assert.deepEqual(G.coefficients("structured", [0, 0.5, 0.5], 0, 1), [-1, 1, 0]); // a tie: the lower index
  close(G.coefficients("softmax", [0, 0, 0], 1, 1), [1 / 3, -2 / 3, 1 / 3], 1e-15, "softmax");
  assert.throws(() => G.coefficients("nope", [0, 0], 0, 1));
  assert.equal(G.rgba("#0072B2", "0.3"), "rgba(0,114,178,0.3)");
});

test("g3 writes a number as Python's f'{v:.3g}'", () => {
  for (const [v, text] of FIXTURE.g3) assert.equal(G.g3(v), text, String(v));
});
