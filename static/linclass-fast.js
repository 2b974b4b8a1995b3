// The side panel (the bars over the arrows) drawn as plain SVG, by this module alone, at all times.
//
// A Plotly.react of that two-plot figure costs ~30 ms in a browser without a GPU: more than a
// frame's whole budget at 30 frames a second, so Plotly cannot draw it during Play. One renderer
// per plot: this module draws the same figure (the same JSON Python sends: traces, shapes,
// annotations, axes) in 1-3 ms, idle or playing. It has no hover; a row's arrow tip (a shape
// named "row m", editable) gets a handle that the view turns into a drag (linclass-view.js).
//
// It draws what linclass's side figures use, no more: bar (overlay, base, pattern "/", text
// outside), scatter markers (arrow, line-ew, circle-open, x-thin, circle), scatter text, line
// shapes, annotations in paper/domain/data coordinates, linear axes (dtick, nticks, tickvals,
// zeroline, grid, scaleanchor) and category axes (tickvals/ticktext).

const DEFAULT_FONT = { family: "sans-serif", size: 12, color: "#444" };
const MINUS = "\u2212";

export function drawFast(host, fig) {
  const width = host.clientWidth;
  const height = host.clientHeight;
  if (!width || !height) return;
  const layout = fig.layout || {};
  const font = { ...DEFAULT_FONT, ...(layout.font || {}) };
  const axes = layoutAxes(layout, width, height);
  const defs = [];
  const parts = [`<rect width="${width}" height="${height}" fill="${layout.paper_bgcolor || "white"}"/>`];
  Object.values(axes).filter((a) => a.horizontal).forEach((xa) => {
    const ya = axes[xa.anchor];
    if (ya) parts.push(grid(xa, ya, font), grid(ya, xa, font));
  });
  const shapes = layout.shapes || [];
  parts.push(...shapes.filter((s) => s.layer === "below").map((s) => shape(s, axes)));
  (fig.data || []).forEach((t, i) => parts.push(trace(t, i, axes, font, defs)));
  parts.push(...shapes.filter((s) => s.layer !== "below").map((s) => shape(s, axes)));
  parts.push(...(layout.annotations || []).map((a) => annotation(a, axes, font, width, height, layout)));
  if (layout.title && layout.title.text) {
    parts.push(annotation({ text: layout.title.text, x: layout.title.x || 0, xref: "paper", y: 1, yref: "paper",
      yanchor: "bottom", xanchor: "left", font: layout.title.font }, axes, font, width, height, layout));
  }
  const clips = Object.values(axes).filter((a) => a.horizontal && axes[a.anchor]).map((xa) => {
    const ya = axes[xa.anchor];
    return `<clipPath id="lcf-${xa.id}${ya.id}"><rect x="${xa.offset}" y="${ya.offset}" width="${xa.length}" ` +
      `height="${ya.length}"/></clipPath>`;
  });
  parts.push(...shapes.map((s) => handle(s, axes)));
  host.innerHTML = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `style="font-family:${attr(font.family)}"><defs>${clips.join("")}${defs.join("")}</defs>${parts.join("")}</svg>`;
  host.lcAxes = axes; // for dragging a handle: pixels back to data (fromPixel)
}

// A drag handle on the tip of an editable shape named "row m".
function handle(s, axes) {
  const row = /^row (\d+)$/.exec(s.name || "");
  if (!s.editable || !row || s.visible === false) return "";
  const [xa, ya] = shapeAxes(s, axes);
  const x = toPixel(xa, s.x1);
  const y = toPixel(ya, s.y1);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return "";
  return `<circle class="lcf-handle" data-row="${row[1]}" data-x="${xa.id}" data-y="${ya.id}" cx="${x.toFixed(1)}" ` +
    `cy="${y.toFixed(1)}" r="8" fill="transparent" style="cursor:move;pointer-events:all"/>`;
}

// A pixel (from the SVG's corner) on axis `id` of a drawn host, in data units.
export function fromPixel(host, id, p) {
  const a = host.lcAxes && host.lcAxes[id];
  if (!a) return NaN;
  const t = a.horizontal ? (p - a.offset) / a.length : 1 - (p - a.offset) / a.length;
  return a.range[0] + t * (a.range[1] - a.range[0]);
}

// ----- axes ------------------------------------------------------------------------------------
// Each axis: where it sits on the page (offset, length: from the layout's margins and domains)
// and how data maps onto it.
function layoutAxes(layout, width, height) {
  const m = { l: 80, r: 80, t: 100, b: 80, ...(layout.margin || {}) };
  const plotW = width - m.l - m.r;
  const plotH = height - m.t - m.b;
  const axes = {};
  Object.keys(layout).filter((k) => /^[xy]axis\d*$/.test(k)).forEach((k) => {
    const spec = layout[k] || {};
    const horizontal = k[0] === "x";
    const id = k[0] + k.slice(5);
    const dom = spec.domain || [0, 1];
    const a = {
      id, key: k, spec, horizontal,
      anchor: spec.anchor || (horizontal ? "y" : "x"),
      offset: horizontal ? m.l + dom[0] * plotW : m.t + (1 - dom[1]) * plotH,
      length: (dom[1] - dom[0]) * (horizontal ? plotW : plotH),
    };
    if (spec.type === "category" || (!spec.range && Array.isArray(spec.tickvals) && typeof spec.tickvals[0] === "string")) {
      a.categories = (spec.categoryarray || spec.tickvals || []).map(String);
      a.range = spec.range || [-0.5, a.categories.length - 0.5];
    } else {
      a.range = spec.range || [0, 1];
    }
    axes[id] = a;
  });
  ["x", "y"].forEach((id) => {
    if (!axes[id]) axes[id] = { id, key: id + "axis", spec: {}, horizontal: id === "x", anchor: id === "x" ? "y" : "x",
      offset: id === "x" ? m.l : m.t, length: id === "x" ? plotW : plotH, range: [0, 1] };
  });
  Object.values(axes).forEach((a) => {
    const anchor = a.spec.scaleanchor && axes[a.spec.scaleanchor.replace("axis", "")];
    if (anchor) equalScale(a, anchor);
  });
  return axes;
}

// scaleanchor: one data unit is as many pixels on both axes; the longer one gives up length,
// centred in its domain (Plotly's constrain "domain").
function equalScale(a, b) {
  const pa = a.length / Math.abs(a.range[1] - a.range[0]);
  const pb = b.length / Math.abs(b.range[1] - b.range[0]);
  const [long, ratio] = pa > pb ? [a, pb / pa] : [b, pa / pb];
  const cut = long.length * (1 - ratio);
  long.offset += cut / 2;
  long.length -= cut;
}

function toPixel(a, v) {
  let d = v;
  if (a.categories) {
    d = a.categories.indexOf(String(v));
    if (d < 0) return NaN;
  }
  const t = (d - a.range[0]) / (a.range[1] - a.range[0]);
  return a.horizontal ? a.offset + t * a.length : a.offset + (1 - t) * a.length;
}

// Plotly's automatic ticks: a step of 1, 2 or 5 times a power of ten near span / nticks.
function linearTicks(a) {
  const [lo, hi] = [Math.min(...a.range), Math.max(...a.range)];
  let step = a.spec.dtick;
  const given = Array.isArray(a.spec.tickvals) ? a.spec.tickvals.map(Number).sort((u, v) => u - v) : null;
  if (!step && given && given.length > 1) step = Math.min(...given.slice(1).map((v, i) => v - given[i]).filter((d) => d > 0));
  if (!step) {
    const rough = (hi - lo) / (a.spec.nticks || Math.max(3, Math.min(10, a.length / (a.horizontal ? 80 : 40))));
    const p = Math.pow(10, Math.floor(Math.log10(rough)));
    step = p * [1, 2, 5, 10].find((f) => f * p >= rough * (1 - 1e-9));
  }
  if (Array.isArray(a.spec.tickvals)) {
    return a.spec.tickvals.map((v, i) => [v, (a.spec.ticktext || [])[i] ?? tickLabel(v, step)]);
  }
  const out = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) {
    const v = Math.abs(k * step) < step * 1e-9 ? 0 : k * step;
    out.push([v, tickLabel(v, step)]);
  }
  return out;
}

function tickLabel(v, step) {
  const power = Math.floor(Math.log10(step) + 1e-9);
  const mantissa = step / Math.pow(10, power);
  const digits = Math.max(0, Math.min(12, -power + (Math.abs(mantissa - Math.round(mantissa)) > 1e-9 ? 1 : 0)));
  let s = Math.abs(v).toFixed(digits);
  if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
  return (v < 0 && s !== "0" ? MINUS : "") + s;
}

function grid(a, other, font) {
  const s = a.spec;
  const out = [];
  const line = (p, color, w) => (a.horizontal
    ? `<line x1="${p}" x2="${p}" y1="${other.offset}" y2="${other.offset + other.length}" stroke="${color}" stroke-width="${w}"/>`
    : `<line x1="${other.offset}" x2="${other.offset + other.length}" y1="${p}" y2="${p}" stroke="${color}" stroke-width="${w}"/>`);
  const size = (s.tickfont && s.tickfont.size) || font.size;
  const color = (s.tickfont && s.tickfont.color) || font.color;
  const label = (p, text) => `<g class="${a.id}tick">` + (a.horizontal
    ? `<text x="${p.toFixed(1)}" y="${(other.offset + other.length + size + 1).toFixed(1)}" text-anchor="middle" ` +
      `font-size="${size}" fill="${color}">${rich(text, size)}</text>`
    : `<text x="${(other.offset - 1).toFixed(1)}" y="${(p + size * 0.35).toFixed(1)}" text-anchor="end" ` +
      `font-size="${size}" fill="${color}">${rich(text, size)}</text>`) + "</g>";
  if (a.categories) {
    const texts = s.ticktext || a.categories;
    (s.tickvals || a.categories).forEach((v, i) => {
      const p = toPixel(a, v);
      if (Number.isFinite(p) && s.showticklabels !== false) out.push(label(p, texts[i] === undefined ? v : texts[i]));
    });
    return out.join("");
  }
  const ticks = linearTicks(a);
  if (s.gridcolor && s.showgrid !== false) {
    ticks.forEach(([v]) => { if (v !== 0 || s.zeroline === false) out.push(line(toPixel(a, v).toFixed(1), s.gridcolor, 1)); });
  }
  const [lo, hi] = [Math.min(...a.range), Math.max(...a.range)];
  if (s.zeroline !== false && lo <= 0 && hi >= 0) out.push(line(toPixel(a, 0).toFixed(1), s.zerolinecolor || "#444", s.zerolinewidth || 1));
  if (s.showticklabels !== false) spaced(ticks, a, size).forEach(([v, text]) => out.push(label(toPixel(a, v), text)));
  return out.join("");
}

// The tick labels that fit: from 0 (or the first tick) outwards, a label whose box would come
// within 4 px of the last one kept is left out ("−0.001−500µ" ran together on a small plot). A
// label's width is estimated (0.6 em a character: digits and the minus sign are narrower).
export function spaced(ticks, a, size) {
  const extent = ([, text]) => (a.horizontal ? 0.6 * size * String(text).length : size);
  const start = Math.max(0, ticks.findIndex(([v]) => v === 0));
  const kept = new Set([start]);
  for (const dir of [1, -1]) {
    let last = start;
    for (let i = start + dir; i >= 0 && i < ticks.length; i += dir) {
      const gap = Math.abs(toPixel(a, ticks[i][0]) - toPixel(a, ticks[last][0]));
      if (gap - (extent(ticks[i]) + extent(ticks[last])) / 2 >= 4) {
        kept.add(i);
        last = i;
      }
    }
  }
  return ticks.filter((_, i) => kept.has(i));
}

// ----- traces ------------------------------------------------------------------------------------
function axesOf(t, axes) {
  return [axes[t.xaxis || "x"] || axes.x, axes[t.yaxis || "y"] || axes.y];
}

const pick = (v, i, dflt) => (Array.isArray(v) || ArrayBuffer.isView(v) ? v[i] : v === undefined ? dflt : v);

function trace(t, index, axes, font, defs) {
  if (t.visible === false) return "";
  const [xa, ya] = axesOf(t, axes);
  const clip = t.cliponaxis === false ? "" : ` clip-path="url(#lcf-${xa.id}${ya.id})"`;
  let body = "";
  if (t.type === "bar") body = bars(t, index, xa, ya, font, defs);
  else if (t.type === "scatter" || !t.type) body = scatter(t, xa, ya, font);
  // Bar and text labels may stand past the axes (cliponaxis false); the shapes themselves never do.
  return `<g${t.type === "bar" ? "" : clip}>${body}</g>`;
}

function bars(t, index, xa, ya, font, defs) {
  const xs = Array.from(t.x || []);
  const ys = Array.from(t.y || []);
  const m = t.marker || {};
  const line = m.line || {};
  const slot = xa.length / Math.max(1, xa.categories ? xa.categories.length : xs.length);
  const w = (t.width || 0.8) * slot;
  let fill = null;
  if (m.pattern && m.pattern.shape === "/") {
    // Plotly's "/" pattern: a tile of size·√2, lines as thick as solidity (0.3) × size.
    const id = `lcf-hatch-${index}`;
    const a = m.pattern.size || 8;
    const v = a * Math.SQRT2;
    defs.push(`<pattern id="${id}" width="${v}" height="${v}" patternUnits="userSpaceOnUse"><path d="M${-v / 4},${v / 4}` +
      `l${v / 2},${-v / 2}M0,${v}L${v},0M${(v / 4) * 3},${(v / 4) * 5}l${v / 2},${-v / 2}" ` +
      `stroke="${m.pattern.fgcolor || "#444"}" stroke-width="${(m.pattern.solidity ?? 0.3) * a}"/></pattern>`);
    fill = `url(#${id})`;
  }
  const size = (t.textfont && t.textfont.size) || font.size;
  const clip = `clip-path="url(#lcf-${xa.id}${ya.id})"`;
  let out = "";
  xs.forEach((x, i) => {
    const v = ys[i];
    if (v === null || v === undefined || !Number.isFinite(+v)) return;
    const b0 = +pick(t.base, i, 0);
    const cx = toPixel(xa, x);
    const p0 = toPixel(ya, b0);
    const p1 = toPixel(ya, b0 + +v);
    const top = Math.min(p0, p1);
    const h = Math.abs(p1 - p0);
    const color = pick(m.color, i, "#1f77b4");
    const lw = pick(line.width, i, 0);
    const stroke = lw ? ` stroke="${pick(line.color, i, "#444")}" stroke-width="${lw}"` : "";
    out += `<g ${clip}><rect class="lcf-bar" data-trace="${index}" x="${(cx - w / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" ` +
      `fill="${color}"${stroke}/>` +
      (fill ? `<rect x="${(cx - w / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}"/>` : "") +
      "</g>";
    const text = pick(t.text, i, "");
    if (text !== "" && text !== undefined && t.textposition === "outside") {
      const y = +v >= 0 ? top - 4 : top + h + size;
      out += `<text x="${cx.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="middle" font-size="${size}" fill="${font.color}">${rich(text, size)}</text>`;
    }
  });
  return out;
}

function scatter(t, xa, ya, font) {
  const xs = Array.from(t.x || []);
  const ys = Array.from(t.y || []);
  const mode = t.mode || "markers";
  let out = "";
  if (mode.includes("lines")) {
    let d = "";
    let pen = "M";
    xs.forEach((x, i) => {
      if (x === null || ys[i] === null) { pen = "M"; return; }
      d += `${pen}${toPixel(xa, x).toFixed(1)} ${toPixel(ya, ys[i]).toFixed(1)}`;
      pen = "L";
    });
    const l = t.line || {};
    out += `<path d="${d}" fill="none" stroke="${l.color || "#444"}" stroke-width="${l.width || 2}"${dash(l.dash)}/>`;
  }
  if (mode.includes("markers")) out += xs.map((x, i) => marker(t.marker || {}, i, toPixel(xa, x), toPixel(ya, ys[i]))).join("");
  if (mode.includes("text")) {
    const tf = t.textfont || {};
    const size = pick(tf.size, 0, font.size);
    const pos = t.textposition || "middle center";
    out += xs.map((x, i) => {
      const px = toPixel(xa, x);
      let py = toPixel(ya, ys[i]);
      if (!Number.isFinite(px) || !Number.isFinite(py)) return "";
      py += pos.startsWith("top") ? -size * 0.45 : pos.startsWith("bottom") ? size * 1.05 : size * 0.35;
      const anchor = pos.endsWith("left") ? "end" : pos.endsWith("right") ? "start" : "middle";
      return `<text x="${px.toFixed(1)}" y="${py.toFixed(1)}" text-anchor="${anchor}" font-size="${pick(tf.size, i, font.size)}" ` +
        `fill="${pick(tf.color, i, font.color)}">${rich(pick(t.text, i, ""), size)}</text>`;
    }).join("");
  }
  return out;
}

function marker(m, i, cx, cy) {
  if (!Number.isFinite(cx) || !Number.isFinite(cy)) return "";
  const size = +pick(m.size, i, 6);
  if (!size) return "";
  const r = size / 2;
  const symbol = String(pick(m.symbol, i, "circle"));
  const color = pick(m.color, i, "#444");
  const line = m.line || {};
  const lw = pick(line.width, i, symbol.endsWith("open") || symbol === "x-thin" || symbol === "line-ew" ? 1 : 0);
  const lc = pick(line.color, i, color);
  const f = (v) => v.toFixed(1);
  if (symbol === "arrow") {
    // Plotly's "arrow" marker: its tip on the point, 72° at the base, turned by angle (degrees,
    // clockwise from up).
    const a = (+pick(m.angle, i, 0) * Math.PI) / 180;
    const n = 2 * r * Math.cos(Math.PI / 2.5);
    const back = 2 * r * Math.sin(Math.PI / 2.5);
    const pt = (u, v) => `${f(cx + u * Math.cos(a) - v * Math.sin(a))},${f(cy + u * Math.sin(a) + v * Math.cos(a))}`;
    return `<polygon class="lcf-point" points="${pt(0, 0)} ${pt(-n, back)} ${pt(n, back)}" fill="${color}"/>`;
  }
  if (symbol === "line-ew") { // Plotly's: 1.4 times the marker's radius each way
    return `<line class="lcf-point" x1="${f(cx - 1.4 * r)}" x2="${f(cx + 1.4 * r)}" y1="${f(cy)}" y2="${f(cy)}" stroke="${lc}" stroke-width="${lw}"/>`;
  }
  if (symbol === "x-thin") {
    const k = r; // Plotly's: the radius each way
    return `<path class="lcf-point" d="M${f(cx - k)} ${f(cy - k)}L${f(cx + k)} ${f(cy + k)}M${f(cx - k)} ${f(cy + k)}L${f(cx + k)} ${f(cy - k)}" ` +
      `stroke="${lc}" stroke-width="${lw || 1}"/>`;
  }
  if (symbol === "circle-open") return `<circle class="lcf-point" cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" fill="none" stroke="${lc}" stroke-width="${lw || 1}"/>`;
  const stroke = lw ? ` stroke="${lc}" stroke-width="${lw}"` : "";
  return `<circle class="lcf-point" cx="${f(cx)}" cy="${f(cy)}" r="${f(r)}" fill="${color}"${stroke}/>`;
}

function dash(d) {
  if (!d || d === "solid") return "";
  return ` stroke-dasharray="${d === "dot" ? "3 3" : d === "dash" ? "9 9" : d === "dashdot" ? "9 3 3 3" : "6 6"}"`;
}

// ----- shapes and annotations ----------------------------------------------------------------------
function shapeAxes(s, axes) {
  return [axes[(s.xref || "x").replace(" domain", "")] || axes.x, axes[(s.yref || "y").replace(" domain", "")] || axes.y];
}

function shape(s, axes) {
  if (s.type !== "line" || s.visible === false) return "";
  const [xa, ya] = shapeAxes(s, axes);
  const row = /^row (\d+)$/.exec(s.name || "");
  const l = s.line || {};
  const p = [toPixel(xa, s.x0), toPixel(ya, s.y0), toPixel(xa, s.x1), toPixel(ya, s.y1)];
  if (!p.every(Number.isFinite)) return "";
  return `<line${row ? ` class="lcf-row" data-row="${row[1]}"` : ""} x1="${p[0].toFixed(1)}" y1="${p[1].toFixed(1)}" x2="${p[2].toFixed(1)}" y2="${p[3].toFixed(1)}" ` +
    `stroke="${l.color || "#444"}" stroke-width="${l.width === undefined ? 2 : l.width}"${dash(l.dash)} ` +
    `clip-path="url(#lcf-${xa.id}${ya.id})"/>`;
}

function place(ref, v, axes, horizontal, size, margin) {
  const r = ref || (horizontal ? "x" : "y");
  if (r === "paper") {
    return horizontal ? margin.l + v * size.w : margin.t + (1 - v) * size.h;
  }
  const a = axes[r.replace(" domain", "")];
  if (!a) return NaN;
  if (r.endsWith(" domain")) return horizontal ? a.offset + v * a.length : a.offset + (1 - v) * a.length;
  return toPixel(a, v);
}

function annotation(a, axes, font, width, height, layout) {
  const m = { l: 80, r: 80, t: 100, b: 80, ...(layout.margin || {}) };
  const size = { w: width - m.l - m.r, h: height - m.t - m.b };
  const f = { ...font, ...(a.font || {}) };
  const x = place(a.xref, a.x || 0, axes, true, size, m) + (a.xshift || 0);
  const y = place(a.yref, a.y || 0, axes, false, size, m) - (a.yshift || 0);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return "";
  const lines = String(a.text || "").split(/<br\s*\/?>/i);
  const lh = f.size * 1.3;
  const anchorY = a.yanchor || "middle";
  // The first line's baseline, from where the block is anchored.
  const first = anchorY === "top" ? y + f.size * 0.95 : anchorY === "bottom" ? y - (lines.length - 1) * lh - f.size * 0.3
    : y - ((lines.length - 1) * lh) / 2 + f.size * 0.35;
  const anchor = { left: "start", right: "end" }[a.xanchor] || "middle";
  const tspans = lines.map((t, i) => `<tspan x="${x.toFixed(1)}" y="${(first + i * lh).toFixed(1)}">${rich(t, f.size)}</tspan>`);
  return `<text text-anchor="${anchor}" font-size="${f.size}" fill="${f.color}">${tspans.join("")}</text>`;
}

// Plotly's text markup as SVG: <b>…</b> bold, <i>…</i> italic, <sub>/<sup>; entities as they come.
function rich(text, size) {
  return String(text === undefined || text === null ? "" : text)
    .replace(/<b>/gi, '<tspan font-weight="bold">').replace(/<\/b>/gi, "</tspan>")
    .replace(/<i>/gi, '<tspan font-style="italic">').replace(/<\/i>/gi, "</tspan>")
    .replace(/<sub>/gi, `<tspan baseline-shift="sub" font-size="${Math.round(size * 0.7)}">`).replace(/<\/sub>/gi, "</tspan>")
    .replace(/<sup>/gi, `<tspan baseline-shift="super" font-size="${Math.round(size * 0.7)}">`).replace(/<\/sup>/gi, "</tspan>");
}

function attr(s) {
  return String(s).replace(/"/g, "'");
}
