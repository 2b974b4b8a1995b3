// Dragging a point with the Select tool (pure: numbers and figures; no DOM, no timers).
//
// A dragged point moves x_j and nothing else. W and b stay until a step, so the decision regions
// stay; what moves with the pointer is the sample's bars (if j is the sample), the next step's
// update arrows (if j is one of its samples) and the marks on j. The page computes them here at
// every painted frame, from the numbers Python sends with the Select tool ("drag" in
// protocol.schema.json, made by linclass/session/drag.py), and patches the frame Python drew for
// that moment; releasing sends one "move" event, and Python draws everything anew.
//
// Each formula is Python's, written again; its one home is named beside it. tests/js/drag.test.mjs
// checks every number and patched figure against Python's (fixtures: tests/session/test_drag.py).

// ----- the numbers ------------------------------------------------------------------------------
// phi(x) of the point (x1, x2), D = names.length entries from `at` of `out`: linclass/core/features.py,
// phi (its _COLUMNS, in the order of `names`). The plane's own x is phi with names ["x1", "x2"].
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

// f = W x + b: linclass/core/objective.py, scores. x holds W's D columns' entries (the plane's x, or
// phi(x)), from entry `at` of x on; `out` (K) is filled when given. Plain loops: the regions call it
// at every pixel of the plane.
export function scores(basis, x, at = 0, out = new Array(basis.W.length)) {
  const { W, b } = basis;
  for (let m = 0; m < W.length; m++) {
    const w = W[m];
    let s = 0;
    for (let d = 0; d < w.length; d++) s += w[d] * x[at + d];
    out[m] = b ? s + b[m] : s;
  }
  return out;
}

// p = softmax(f), the largest score subtracted first: linclass/core/losses/softmax.py, probabilities
// (finite scores). `out` is filled when given.
export function softmax(f, out = new Array(f.length)) {
  let top = -Infinity;
  for (let m = 0; m < f.length; m++) if (f[m] > top) top = f[m];
  let s = 0;
  for (let m = 0; m < f.length; m++) s += (out[m] = Math.exp(f[m] - top));
  for (let m = 0; m < f.length; m++) out[m] /= s;
  return out;
}

// The strongest rival of the true class y (the lowest index on a tie): losses/structured.py.
function rival(f, y) {
  let r = -1;
  f.forEach((v, m) => { if (m !== y && (r < 0 || v > f[r])) r = m; });
  return r;
}

// C = dL_i/df of one sample with scores f, true class y: each loss module's loss_and_coeffs
// (linclass/core/losses/softmax.py, weston_watkins.py "hinge", one_vs_all.py "ova", structured.py).
export function coefficients(loss, f, y, delta) {
  if (loss === "softmax") {
    const c = softmax(f);
    c[y] -= 1; // p - e_y
    return c;
  }
  const c = f.map(() => 0);
  if (loss === "hinge") { // 1 per violated margin f_m - f_y + delta > 0; the true row -(their count)
    f.forEach((v, m) => { if (m !== y && v - f[y] + delta > 0) { c[m] = 1; c[y] -= 1; } });
  } else if (loss === "ova") { // 1[delta + f_m > 0] for m != y, -1[delta - f_y > 0] at y
    f.forEach((v, m) => { c[m] = m === y ? -(delta - v > 0) : +(delta + v > 0); });
  } else if (loss === "structured") { // +1 at the rival, -1 at y, when delta + f_r - f_y > 0
    const r = rival(f, y);
    if (r >= 0 && delta + f[r] - f[y] > 0) { c[r] = 1; c[y] = -1; }
  } else {
    throw new Error("unknown loss " + loss);
  }
  return c;
}

// What the bars draw: p for softmax, else each loss module's margins (f_m - f_y + delta, 0 at y;
// one-vs-all: delta + f_m, and delta - f_y at y).
export function bars(loss, f, y, delta) {
  if (loss === "softmax") return softmax(f);
  if (loss === "ova") return f.map((v, m) => (m === y ? delta - v : v + delta));
  return f.map((v, m) => (m === y ? 0 : v - f[y] + delta));
}

// The point's entries the model reads: phi(x) over the basis's features (linclass/session/drag.py).
const features = (basis, x) => phi(basis.features, x[0], x[1]);

// A row (D entries) over the pair of features the arrows are drawn over: linclass/session/view.py,
// over_pair (0 for a feature not on, pair entry -1).
export const overPair = (basis, row) => basis.pair.map((d) => (d < 0 ? 0 : row[d]));

// L_i from the bars' margins (`bars` above, true class y): each loss module's loss_and_coeffs
// (weston_watkins.py "hinge": the violated margins' sum, 0 at y; one_vs_all.py "ova": the positive
// margins' sum, y's own too; structured.py: the largest margin but y's, if positive).
export function marginLoss(loss, margins, y) {
  if (loss === "structured") return Math.max(0, ...margins.filter((_, m) => m !== y));
  return margins.reduce((s, v, m) => s + (m === y && loss !== "ova" ? 0 : Math.max(0, v)), 0);
}

// A number as Python's f"{v:.3g}" writes it (the bars' heading: linclass/ui/figures.py, bars_figure).
export function g3(v) {
  if (v === 0 || !Number.isFinite(v)) return String(v === 0 ? 0 : v);
  const e = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(3)))));
  if (e < -4 || e >= 3) {
    const [mant, exp] = v.toExponential(2).split("e");
    const n = +exp;
    return `${String(Number(mant))}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  return String(Number(v.toPrecision(3)));
}

// The bars of the sample and the next step's update U with point j at x (the plane's coordinates):
//   U = -lr [ (1/B) sum_i C_i phi(x_i)^T + l2 W ]   over the step's B samples
// the kernel's dW (linclass/core/objective.py), l2 = 2 c reg, over the pair of features the arrows
// show (K x 2); zeros below rounding, as the panels draw it (linclass/session/view.py, _resolved,
// over the pair). bars: null without a sample; update: null without a step.
export function preview(basis, j, x) {
  const at = (i) => features(basis, i === j ? x : basis.X[i]);
  const { loss, delta, focus, members } = basis;
  const out = { bars: null, update: null };
  if (focus !== null && focus !== undefined) out.bars = bars(loss, scores(basis, at(focus)), basis.y[focus], delta);
  if (!members.length) return out;
  const sum = basis.W.map((w) => w.map(() => 0));
  for (const i of members) {
    const xi = at(i);
    coefficients(loss, scores(basis, xi), basis.y[i], delta).forEach((c, m) => {
      for (let d = 0; d < xi.length; d++) sum[m][d] += c * xi[d];
    });
  }
  const B = members.length;
  const full = basis.W.map((w, m) => w.map((v, d) => -basis.lr * (sum[m][d] / B + basis.l2 * v)));
  const U = full.map((row) => overPair(basis, row));
  const size = (A) => Math.max(0, ...A.flat().map(Math.abs));
  const W = basis.W.map((row) => overPair(basis, row));
  out.update = size(U) <= 1e-12 * Math.max(1, size(W)) ? U.map(() => [0, 0]) : U;
  return out;
}

// The point a press at (x, y) picks, as Python's Explorer.nearest: the nearest within radius
// pixels (dx, dy: data units a pixel); null if none, or if that one is held out (not movable).
export function pointAt(basis, x, y, dx, dy, radius = 10) {
  let best = -1;
  let bestD = Infinity;
  basis.X.forEach(([u, v], i) => {
    const d = ((u - x) / dx) ** 2 + ((v - y) / dy) ** 2;
    if (d < bestD) { best = i; bestD = d; }
  });
  if (best < 0 || bestD > radius * radius || basis.test.includes(best)) return null;
  return best;
}

// ----- the figures: Python's frame, patched ---------------------------------------------------------
// Coordinates rounded as Python's figures round them (linclass/ui/figures.py, _r): 6 digits.
const r6 = (v) => Number(v.toPrecision(6));
const named = (list, name) => (list || []).filter((t) => t.name === name);

// "#0072B2" as "rgba(0,114,178,a)": linclass/ui/figures.py, class_color.
export function rgba(hex, alpha) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r},${g},${b},${alpha})`;
}

// The side panel (bars over arrows) with point j at x. `fig` is kept.
export function patchSide(fig, basis, j, x, numbers) {
  const out = structuredClone(fig);
  if (numbers.bars && basis.focus === j) {
    if (basis.loss === "softmax") patchProbs(out, numbers.bars, basis.y[j]);
    else patchMargins(out, numbers.bars, basis.y[j], basis.loss);
  }
  if (numbers.update && basis.members.includes(j)) patchArrows(out, basis, j, x, numbers.update);
  return out;
}

// linclass/ui/figures.py, probs_figure: the bars p, the hatched gap p - e_y, p_y over its target.
function patchProbs(fig, p, y) {
  const e = p.map((_, m) => +(m === y));
  named(fig.data, "p").forEach((t) => {
    t.y = p.slice();
    t.text = p.map((v, m) => (m === y ? "" : v.toFixed(2)));
  });
  named(fig.data, "p − e_y").forEach((t) => {
    t.y = p.map((v, m) => Math.abs(v - e[m]));
    t.base = p.map((v, m) => Math.min(v, e[m]));
    t.customdata = p.map((v, m) => v - e[m]);
  });
  named(fig.data, "p_y").forEach((t) => { t.text = [`<b>${p[y].toFixed(2)}</b>`]; });
}

// linclass/ui/figures.py, margins_figure: a bar per margin, solid when violated; the axis fits them;
// the heading's L_i (bars_figure).
function patchMargins(fig, margins, y, loss) {
  const own = loss === "ova";
  (fig.layout.annotations || []).filter((a) => /^margins of #/.test(a.text || "")).forEach((a) => {
    a.text = a.text.replace(/L_i = \S+$/, `L_i = ${g3(marginLoss(loss, margins, y))}`);
  });
  const K = margins.length;
  const others = margins.map((_, m) => m).filter((m) => m !== y || own);
  const vals = others.map((m) => margins[m]);
  named(fig.data, "f_m − f_y + Δ").forEach((t) => {
    t.y = vals;
    t.marker.color = others.map((m, k) => rgba(t.marker.line.color[k], margins[m] > 0 ? "1.0" : "0.3"));
    t.text = vals.map((v) => {
      const mark = v > 0 ? "✗" : "✓";
      return K <= 5 ? `${v.toFixed(2)} ${mark}` : `${v.toFixed(1)}${mark}`;
    });
  });
  const lo = Math.min(...vals, 0, -1);
  const hi = Math.max(...vals, 0, 1);
  const pad = 0.18 * (hi - lo);
  fig.layout.yaxis.range = [lo - pad, hi + pad];
}

// linclass/ui/figures.py, weights_figure: each row's update from its tip, drawn at the scale the
// heading names (kept while dragging; the axes grow if an arrow would leave them), the heads turned
// along them, the mean of the tips, x_i's direction (one sample) and each member's share (a batch).
function patchArrows(fig, basis, j, x, U) {
  const L = fig.layout;
  const heading = (L.annotations || []).find((a) => /^w_m →/.test(a.text || ""));
  const s = heading && /drawn ×([\d,]+)/.test(heading.text) ? +/drawn ×([\d,]+)/.exec(heading.text)[1].replace(/,/g, "") : 1;
  const W = basis.W.map((row) => overPair(basis, row));
  const u = overPair(basis, features(basis, x)); // the arrows' direction: phi(x_i) over the pair
  const tips = W.map((w, m) => [w[0] + s * U[m][0], w[1] + s * U[m][1]]);
  let r = L.xaxis2.range[1];
  const reach = Math.max(...W.flat().map(Math.abs), ...tips.flat().map(Math.abs));
  if (reach * 1.45 > r) r = growAxes(L, r6(reach * 1.45));
  const heads = named(fig.data, "arrow heads")[0];
  W.forEach((w, m) => {
    const sh = named(L.shapes, `update ${m}`)[0];
    if (!sh) return;
    const shown = Math.hypot(...U[m]) > 1e-12 * r;
    [sh.x1, sh.y1] = tips[m].map(r6);
    if (shown) delete sh.visible;
    else sh.visible = false;
    if (heads) {
      const k = 2 * m + 1; // each row's head, then its update's
      heads.x[k] = tips[m][0];
      heads.y[k] = tips[m][1];
      const [dx, dy] = [tips[m][0] - w[0], tips[m][1] - w[1]]; // as figures.py's _head_angle is given them
      heads.marker.angle[k] = Math.round(((Math.atan2(dx, dy) * 180) / Math.PI) * 100) / 100;
      heads.marker.color[k] = shown ? sh.line.color : "rgba(0,0,0,0)";
    }
  });
  const mean = named(fig.data, "mean of rows")[0];
  if (mean) {
    mean.x = [mean.x[0], tips.reduce((a, t) => a + t[0], 0) / W.length];
    mean.y = [mean.y[0], tips.reduce((a, t) => a + t[1], 0) / W.length];
  }
  named(L.shapes, "x_i").forEach((sh) => {
    const n = Math.hypot(u[0], u[1]);
    if (!n) { sh.visible = false; return; }
    const d = [(u[0] / n) * r * 1.5, (u[1] / n) * r * 1.5];
    Object.assign(sh, { x0: r6(-d[0]), y0: r6(-d[1]), x1: r6(d[0]), y1: r6(d[1]) });
  });
  memberShares(fig, basis, j, x, s);
}

// Each of the first 40 members' share, -lr C_i x_i at the update's scale, from its row's tip: the
// end of member q's segment in row m's trace "members m", [tip, end 0, tip, end 1, ..., tip]
// (linclass/session/view.py, _member_updates; figures.py, _member_traces).
function memberShares(fig, basis, j, x, s) {
  const q = basis.members.indexOf(j);
  if (q < 0) return;
  const xj = features(basis, x);
  const c = coefficients(basis.loss, scores(basis, xj), basis.y[j], basis.delta);
  const u = overPair(basis, xj);
  basis.W.forEach((row, m) => {
    const t = named(fig.data, `members ${m}`)[0];
    if (!t || 2 * q + 1 >= t.x.length) return;
    const w = overPair(basis, row);
    t.x[2 * q + 1] = w[0] - s * basis.lr * c[m] * u[0];
    t.y[2 * q + 1] = w[1] - s * basis.lr * c[m] * u[1];
  });
}

// The arrows' square axes widened to [-r, r], with Python's ticks (figures.py, _ticks, _weights_layout).
function growAxes(L, r) {
  L.xaxis2.range = [-r, r];
  L.yaxis2.range = [-r, r];
  const rough = (2 * r) / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = power * [1, 2, 5, 10].find((f) => f * power >= rough * (1 - 1e-9));
  const k = Math.ceil(-r / step - 1e-9);
  const ticks = [];
  for (let i = k; i <= -k; i++) if (Math.abs(i * step) <= r * (1 + 1e-9)) ticks.push(r6(i * step));
  L.xaxis2.tickvals = ticks;
  L.yaxis2.tickvals = ticks.filter((t) => t > -0.8 * r);
  return r;
}

// The marks on the plane (linclass/ui/figures.py, marks_figure) with point j at x: its ring if it
// is the sample, its square if it is selected, its dot among the batch's. `fig` is kept.
export function patchMarks(fig, basis, j, x) {
  const out = structuredClone(fig);
  const put = (t, k) => { t.x[k] = x[0]; t.y[k] = x[1]; };
  if (basis.focus === j) named(out.data, "current sample").forEach((t) => put(t, 0));
  if (basis.selected === j) named(out.data, "selected").forEach((t) => put(t, 0));
  const k = basis.members.indexOf(j);
  if (k >= 0 && k < 2000) named(out.data, "batch").forEach((t) => put(t, k));
  return out;
}
