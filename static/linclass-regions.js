// The decision regions of a model on non-linear features, painted in the page at screen resolution
// (pure: numbers and pixels; no DOM). Python sends the model, not a picture: the plane's regions
// layer holds an image trace named "regions" whose meta is {W, b, features, bounds, K, shading,
// levels, palette} (linclass/ui/figures.py, regions_trace; protocol.schema.json, "regions"), and
// linclass-draw.js paints it onto a canvas over the plot area, one canvas pixel a device pixel.
//
// Each formula is Python's, written again; its one home is named beside it. The scores and softmax
// and phi are linclass-drag.js's (one JS home each); `gridScores` sums the same scores grouped by what each
// feature depends on, for speed. tests/js/regions.test.mjs checks every number against Python's
// (fixture: tests/ui/test_figures_regions.py, LINCLASS_WRITE_FIXTURE=1). The page paints over the
// plot's own axes (they are the meta's bounds: the plane is not zoomed).

const SUFFIX = new URL(import.meta.url).search; // this module's version, for the modules it imports
const { scores, softmax, phi } = await import("./linclass-drag.js" + SUFFIX);

export const TIE = -1; // linclass/core/regions.py, TIE: two or more classes share the largest score
export const MAX_CELLS = 1_000_000; // the canvas's pixels at most: a large screen paints a little coarser

export { phi }; // its one home is linclass-drag.js (the drag's preview computes it too)

// The class with the largest score; TIE where two or more share it (as objective.classified counts a
// tie) or where a score is not finite: linclass/core/regions.py, _winner_and_confidence. The K scores
// are f[at], f[at + stride], ... (a pixel's in the grid's class-major scores).
export function winner(f, at = 0, stride = 1, K = f.length) {
  let top = -Infinity;
  let nan = false;
  for (let m = 0; m < K; m++) {
    const v = f[at + m * stride];
    if (v > top) top = v;
    else if (v !== v) nan = true;
  }
  if (nan || !Number.isFinite(top)) return TIE;
  let w = TIE;
  for (let m = 0; m < K; m++) {
    if (f[at + m * stride] !== top) continue;
    if (w !== TIE) return TIE;
    w = m;
  }
  return w;
}

// max_m p_m of finite scores f (NaN if one is not): linclass/core/regions.py, _winner_and_confidence
// (losses/softmax.py, max_probability: 1 / sum_k e^(f_k - max f), which is softmax's largest entry).
export function maxProbability(f, buf = new Array(f.length)) {
  for (let m = 0; m < f.length; m++) if (!Number.isFinite(f[m])) return NaN;
  const p = softmax(f, buf);
  let top = 0;
  for (let m = 0; m < p.length; m++) if (p[m] > top) top = p[m];
  return top;
}

// The confidence shading's level of max p: 0 (max p = 1/K, or a score not finite: the full veil) to
// levels - 1 (max p -> 1: no veil), rounded. The quantisation the server's PNG of the regions used
// (linclass/ui/figures.py, before the page painted them; its _palette's levels are these).
export function level(pmax, K, levels) {
  const k = Math.max(K, 2);
  const p = Number.isNaN(pmax) ? 1 / k : pmax;
  const conf = Math.min(Math.max((p - 1 / k) / (1 - 1 / k), 0), 1);
  return Math.round(conf * (levels - 1));
}

// The scores of the point (x1, x2) under `model` (the trace's meta): f = W phi(x) + b.
export const scoresAt = (model, x1, x2) => scores(model, phi(model.features, x1, x2));

// The class and level of the point (x1, x2) under `model`: [winner, level].
export function pixel(model, x1, x2) {
  const f = scoresAt(model, x1, x2);
  const L = model.shading ? level(maxProbability(f), model.K, model.levels) : model.levels - 1;
  return [winner(f), L];
}

// The canvas's size in pixels for a plot area of width x height CSS pixels at devicePixelRatio dpr:
// one canvas pixel a device pixel, both sides scaled down alike above MAX_CELLS.
export function canvasSize(width, height, dpr) {
  let [w, h] = [Math.max(1, Math.round(width * dpr)), Math.max(1, Math.round(height * dpr))];
  if (w * h > MAX_CELLS) {
    const s = Math.sqrt(MAX_CELLS / (w * h));
    [w, h] = [Math.max(1, Math.floor(w * s)), Math.max(1, Math.floor(h * s))];
  }
  return [w, h];
}

// The centres of the pixels of a w x h canvas over the axes' ranges xr, yr: xs (w), ys (h, row 0 at the
// top: the largest y). The page keeps it while the plot's size and axes stay.
export function pixelGrid(w, h, xr, yr) {
  const xs = new Float64Array(w);
  const ys = new Float64Array(h);
  for (let i = 0; i < w; i++) xs[i] = xr[0] + ((i + 0.5) / w) * (xr[1] - xr[0]);
  for (let j = 0; j < h; j++) ys[j] = yr[1] - ((j + 0.5) / h) * (yr[1] - yr[0]);
  return { xs, ys, w, h, parts: new Map() };
}

// Which point's coordinate each feature depends on: x1 alone (a column's), x2 alone (a row's), or both.
const ON_X1 = new Set(["x1", "x1sq", "sinx1"]);
const ON_X2 = new Set(["x2", "x2sq", "sinx2"]);

// The features of the grid's columns and rows, phi of each (`phi` at (x, 0) and (0, y): each feature
// depends on one of them), kept on the grid per list of features.
function gridFeatures(grid, names) {
  const key = names.join(",");
  if (!grid.parts.has(key)) {
    const cols = names.map((n, d) => (ON_X1.has(n) ? d : -1)).filter((d) => d >= 0);
    const rows = names.map((n, d) => (ON_X2.has(n) ? d : -1)).filter((d) => d >= 0);
    const at = (x1, x2) => phi(names, x1, x2);
    grid.parts.set(key, {
      cols, rows, cross: names.indexOf("x1x2"),
      colPhi: Array.from(grid.xs, (x) => at(x, 0)), rowPhi: Array.from(grid.ys, (y) => at(0, y)),
    });
  }
  return grid.parts.get(key);
}

// The scores at every pixel of the grid, class-major (K * h * w), into `f`: f = W phi(x) + b
// (linclass/core/objective.py, scores) summed by what each feature depends on, the columns' terms
// once a column, the rows' (with b) once a row, w_m,x1x2 x1 x2 at each pixel. The same numbers as
// `scores` of phi(x) up to the order of the sum (tests/js/regions.test.mjs: within 1e-12), and a
// few operations a pixel where phi at each pixel took a dot product of D.
export function gridScores(model, grid, f = new Float64Array(model.W.length * grid.w * grid.h)) {
  const { w, h, xs, ys } = grid;
  const g = gridFeatures(grid, model.features);
  const part = (list, W, phis, bias) => Float64Array.from(phis, (x) => list.reduce((s, d) => s + W[d] * x[d], bias));
  model.W.forEach((Wm, m) => {
    const col = part(g.cols, Wm, g.colPhi, 0);
    const row = part(g.rows, Wm, g.rowPhi, model.b ? model.b[m] : 0);
    const c = g.cross >= 0 ? Wm[g.cross] : 0;
    const base = m * w * h;
    for (let j = 0; j < h; j++) {
      const r = row[j];
      const cy = c * ys[j];
      const o = base + j * w;
      if (c === 0) for (let i = 0; i < w; i++) f[o + i] = col[i] + r;
      else for (let i = 0; i < w; i++) f[o + i] = col[i] + r + cy * xs[i];
    }
  });
  return f;
}

// The regions of `model` painted into `rgba` (w * h * 4, opaque) over the grid (pixelGrid): each
// pixel the winning class's colour under its confidence level's veil, from the palette Python sends
// (linclass/ui/figures.py, _palette: class m's colours at m * levels + l, RGB; the 9th, after the 8
// classes' (which repeat), a tie's grey).
export function paint(model, grid, rgba, scratch = {}) {
  const { K, levels, palette, shading } = model;
  const n = grid.w * grid.h;
  if (!scratch.f || scratch.f.length !== K * n) scratch.f = new Float64Array(K * n);
  const all = gridScores(model, grid, scratch.f);
  const colours = colourWords(palette);
  const out = new Uint32Array(rgba.buffer, rgba.byteOffset, n);
  const f = new Float64Array(K);
  const buf = new Float64Array(K);
  const tie = palette.length / (3 * levels) - 1;
  for (let p = 0; p < n; p++) {
    const w = winner(all, p, n, K);
    let L = levels - 1;
    if (shading) {
      for (let m = 0; m < K; m++) f[m] = all[m * n + p];
      L = level(maxProbability(f, buf), K, levels);
    }
    out[p] = colours[(w === TIE ? tie : w % tie) * levels + L];
  }
  return rgba;
}

// The palette's RGB triples as opaque RGBA pixels, one 32-bit word each (in the machine's byte order).
const WORDS = new WeakMap();
function colourWords(palette) {
  if (!WORDS.has(palette)) {
    const bytes = new Uint8ClampedArray((palette.length / 3) * 4);
    for (let k = 0; k < palette.length / 3; k++) bytes.set([...palette.slice(3 * k, 3 * k + 3), 255], 4 * k);
    WORDS.set(palette, new Uint32Array(bytes.buffer));
  }
  return WORDS.get(palette);
}
