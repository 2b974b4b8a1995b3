// The regions of a model on non-linear features as the page paints them (static/linclass-regions.js)
// against Python's own numbers: tests/js/fixtures/regions.json, written by
// tests/ui/test_figures_regions.py (each case: the trace Python sends, the points of a grid, phi and the
// scores at some of them, region_grid's winner, max p in float64 and the confidence level).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import * as R from "../../static/linclass-regions.js";
import { validate, SCHEMA } from "./schema.mjs";

const FIXTURE = JSON.parse(readFileSync(new URL("./fixtures/regions.json", import.meta.url), "utf8"));
const CASES = FIXTURE.cases;
const EVERY = Math.round(CASES[0].x.length / CASES[0].phi.length); // phi and scores at every EVERY-th point

const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test("every case's trace follows the schema, and the fixture is what it says", () => {
  assert.equal(R.TIE, FIXTURE.tie);
  CASES.forEach((c) => assert.deepEqual(validate(c.trace, SCHEMA.$defs.regions), [], c.what));
  const bad = structuredClone(CASES[0].trace);
  bad.meta.features = ["x3"];
  assert.notDeepEqual(validate(bad, SCHEMA.$defs.regions), []); // the schema has teeth
  assert.ok(CASES.some((c) => c.winner.includes(R.TIE) && c.finite.every(Boolean)), "true ties");
  assert.ok(CASES.some((c) => !c.finite.every(Boolean)), "overflow");
});

test("phi and the scores are Python's to 1e-12", () => {
  for (const c of CASES) {
    const m = c.trace.meta;
    c.phi.forEach((row, q) => {
      const i = q * EVERY;
      const got = R.phi(m.features, c.x[i], c.y[i]);
      row.forEach((v, d) => close(got[d], v, `${c.what} phi[${i}][${d}]`));
    });
    c.scores.forEach((row, q) => {
      const i = q * EVERY;
      const got = R.scoresAt(m, c.x[i], c.y[i]);
      row.forEach((v, k) => {
        if (v === null) assert.ok(!Number.isFinite(got[k]), `${c.what} f[${i}][${k}] overflows in Python: ${got[k]}`);
        else close(got[k], v, `${c.what} f[${i}][${k}]`);
      });
    });
  }
});

test("the winner is region_grid's at every point, TIE where two share the max or a score overflows", () => {
  let ties = 0;
  for (const c of CASES) {
    c.x.forEach((x, i) => {
      const [w] = R.pixel(c.trace.meta, x, c.y[i]);
      assert.equal(w, c.winner[i], `${c.what} at (${x}, ${c.y[i]})`);
      ties += w === R.TIE;
    });
  }
  assert.ok(ties > 50);
});

test("max p is Python's to 1e-12, NaN where a score overflows, and the level the PNG had", () => {
  for (const c of CASES) {
    const m = { ...c.trace.meta, shading: true };
    c.x.forEach((x, i) => {
      const p = R.maxProbability(R.scoresAt(m, x, c.y[i]));
      if (c.pmax[i] === null) assert.ok(Number.isNaN(p), `${c.what} pmax[${i}]`);
      else close(p, c.pmax[i], `${c.what} pmax[${i}]`);
      assert.equal(R.pixel(m, x, c.y[i])[1], c.level[i], `${c.what} level at ${i}`);
      assert.equal(R.pixel({ ...m, shading: false }, x, c.y[i])[1], m.levels - 1); // no shading: no veil
    });
  }
});

test("a painted canvas holds each pixel's palette colour, from phi at its centre", () => {
  for (const c of CASES) {
    const m = { ...c.trace.meta, shading: true };
    const [x0, x1, y0, y1] = m.bounds;
    const [w, h] = [7, 5];
    const F = R.phiGrid(m.features, w, h, [x0, x1], [y0, y1]);
    const rgba = R.paint(m, F, new Uint8ClampedArray(w * h * 4));
    for (let j = 0; j < h; j++) {
      for (let i = 0; i < w; i++) {
        const x = x0 + ((i + 0.5) / w) * (x1 - x0);
        const y = y1 - ((j + 0.5) / h) * (y1 - y0); // row 0 at the top
        const [cls, L] = R.pixel(m, x, y);
        const k = 3 * ((cls === R.TIE ? 8 : cls % 8) * m.levels + L);
        const o = 4 * (j * w + i);
        assert.deepEqual(Array.from(rgba.slice(o, o + 4)), [...m.palette.slice(k, k + 3), 255], `${c.what} (${i}, ${j})`);
      }
    }
  }
});

test("the canvas is one pixel a device pixel, scaled down alike above a million", () => {
  assert.deepEqual(R.canvasSize(400, 300, 1), [400, 300]);
  assert.deepEqual(R.canvasSize(400, 300, 2), [800, 600]);
  const [w, h] = R.canvasSize(1500, 1000, 2);
  assert.ok(w * h <= R.MAX_CELLS && Math.abs(w / h - 1.5) < 0.01 && w > 1200);
});
