// The decision regions of a model on non-linear features, painted in the page at screen resolution
// (pure: numbers and pixels; no DOM). Python sends the model, not a picture: the plane's regions
// layer holds an image trace named "regions" whose meta is {W, b, features, bounds, K, shading,
// levels, palette} (linclass/ui/figures.py, regions_trace; protocol.schema.json, "regions"), and
// linclass-draw.js paints it onto a canvas over the plot area, one canvas pixel a device pixel.
//
// Each formula is Python's, written again; its one home is named beside it. The scores and softmax
// are linclass-drag.js's (one JS home each). tests/js/regions.test.mjs checks every number against
// Python's (fixture: tests/core/test_regions_page.py, LINCLASS_WRITE_FIXTURE=1).

const SUFFIX = new URL(import.meta.url).search; // this module's version, for the modules it imports
const { scores, softmax } = await import("./linclass-drag.js" + SUFFIX);

export const TIE = -1; // linclass/core/regions.py, TIE: two or more classes share the largest score
export const MAX_CELLS = 1_000_000; // the canvas's pixels at most: a large screen paints a little coarser

// phi(x) of the point (x1, x2), D = names.length entries from `at` of `out`: linclass/core/features.py,
// phi (its _COLUMNS, in the order of `names`).
const COLUMNS = {
  x1: (x1) => x1,
  x2: (x1, x2) => x2,
  x1sq: (x1) => x1 * x1,
  x2sq: (x1, x2) => x2 * x2,
  x1x2: (x1, x2) => x1 * x2,
  sinx1: (x1) => Math.sin(x1),
  sinx2: (x1, x2) => Math.sin(x2),
};

export function phi(names, x1, x2, out = new Array(names.length), at = 0) {
  for (let d = 0; d < names.length; d++) {
    const column = COLUMNS[names[d]];
    if (!column) throw new Error("unknown feature " + names[d]);
    out[at + d] = column(x1, x2);
  }
  return out;
}

// The class with the largest score; TIE where two or more share it (as objective.classified counts a
// tie) or where a score is not finite: linclass/core/regions.py, _winner_and_confidence.
export function winner(f) {
  let top = -Infinity;
  let nan = false;
  for (let m = 0; m < f.length; m++) {
    if (f[m] > top) top = f[m];
    else if (f[m] !== f[m]) nan = true;
  }
  if (nan || !Number.isFinite(top)) return TIE;
  let w = TIE;
  for (let m = 0; m < f.length; m++) {
    if (f[m] !== top) continue;
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

// phi at the centre of every pixel of a w x h canvas over the axes' ranges xr, yr (row 0 at the top:
// the largest y), flat (w * h * D): it changes only with the plot's size, its axes or the features,
// so the page keeps it between frames.
export function phiGrid(names, w, h, xr, yr) {
  const D = names.length;
  const F = new Float64Array(w * h * D);
  for (let j = 0; j < h; j++) {
    const x2 = yr[1] - ((j + 0.5) / h) * (yr[1] - yr[0]);
    for (let i = 0; i < w; i++) phi(names, xr[0] + ((i + 0.5) / w) * (xr[1] - xr[0]), x2, F, (j * w + i) * D);
  }
  return F;
}

// The regions of `model` painted into `rgba` (w * h * 4, opaque), from the features F of every pixel
// (phiGrid): each pixel the winning class's colour under its confidence level's veil, from the
// palette Python sends (linclass/ui/figures.py, _palette: class m's colours at m * levels + l, RGB;
// the 9th, after the 8 classes' (which repeat), a tie's grey).
export function paint(model, F, rgba) {
  const { K, levels, palette, shading } = model;
  const D = model.features.length;
  const n = F.length / D;
  const f = new Float64Array(K);
  const buf = new Float64Array(K);
  const tie = palette.length / (3 * levels) - 1;
  for (let p = 0; p < n; p++) {
    scores(model, F, p * D, f);
    const w = winner(f);
    const L = shading ? level(maxProbability(f, buf), K, levels) : levels - 1;
    const c = 3 * ((w === TIE ? tie : w % tie) * levels + L);
    const o = 4 * p;
    rgba[o] = palette[c];
    rgba[o + 1] = palette[c + 1];
    rgba[o + 2] = palette[c + 2];
    rgba[o + 3] = 255;
  }
  return rgba;
}
