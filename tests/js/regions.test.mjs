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

// The fixture's points as a grid of pixels: columns xs, rows ys top first (Python's row j is y_j, ascending).
function fixtureGrid(c) {
  const n = Math.round(Math.sqrt(c.x.length));
  const xs = Float64Array.from(c.x.slice(0, n));
  const ys = Float64Array.from({ length: n }, (_, j) => c.y[(n - 1 - j) * n]);
  return [n, { xs, ys, w: n, h: n, parts: new Map() }];
}

test("the grid's scores are each pixel's scores of phi(x) to 1e-12", () => {
  for (const c of CASES) {
    const m = c.trace.meta;
    const [n, grid] = fixtureGrid(c);
    const f = R.gridScores(m, grid);
    for (let p = 0; p < n * n; p++) {
      const at = R.scoresAt(m, grid.xs[p % n], grid.ys[Math.floor(p / n)]);
      at.forEach((v, k) => {
        const g = f[k * n * n + p];
        if (Number.isFinite(v)) close(g, v, `${c.what} grid f[${k}] at ${p}`);
        else assert.ok(!Number.isFinite(g), `${c.what} grid f[${k}] at ${p}: ${g} vs ${v}`);
      });
    }
  }
});

test("a painted canvas holds at each pixel the colour of Python's class and level there", () => {
  for (const c of CASES) {
    for (const shading of [true, false]) {
      const m = { ...c.trace.meta, shading };
      const [n, grid] = fixtureGrid(c);
      const rgba = R.paint(m, grid, new Uint8ClampedArray(n * n * 4));
      c.x.forEach((x, q) => {
        const [i, j] = [q % n, n - 1 - Math.floor(q / n)]; // Python's point q is the pixel (i, j)
        const cls = c.winner[q] === R.TIE ? 8 : c.winner[q] % 8;
        const k = 3 * (cls * m.levels + (shading ? c.level[q] : m.levels - 1));
        const o = 4 * (j * n + i);
        assert.deepEqual(Array.from(rgba.slice(o, o + 4)), [...m.palette.slice(k, k + 3), 255], `${c.what} at ${q}`);
      });
    }
  }
});

test("the canvas's pixels are centred in their cells, row 0 at the top", () => {
  const g = R.pixelGrid(4, 2, [0, 4], [-1, 1]);
  assert.deepEqual(Array.from(g.xs), [0.5, 1.5, 2.5, 3.5]);
  assert.deepEqual(Array.from(g.ys), [0.5, -0.5]);
});

test("the canvas is one pixel a device pixel, scaled down alike above a million", () => {
  assert.deepEqual(R.canvasSize(400, 300, 1), [400, 300]);
  assert.deepEqual(R.canvasSize(400, 300, 2), [800, 600]);
  const [w, h] = R.canvasSize(1500, 1000, 2);
  assert.ok(w * h <= R.MAX_CELLS && Math.abs(w / h - 1.5) < 0.01 && w > 1200);
});
