// Drawing (the DOM side): Plotly.react for Plotly's plots, linclass-fast.js for the plots drawn by
// our own SVG renderer, and the SVG layers (regions, marks) on a Plotly plot's axes.
//
// Plotly's public API only: Plotly.react, gd.layout (Plotly writes the ranges it settles on back
// into it), gd.on("plotly_afterplot" | "plotly_click"). One thing has no public API: where the
// plot area sits in pixels (margins grow with automargin). It is read from the DOM, from the
// rectangle Plotly lays exactly over the plot area for dragging (".nsewdrag"), not from
// _fullLayout.

const SUFFIX = new URL(import.meta.url).search; // this module's version, for the modules it imports
const { drawFast } = await import("./linclass-fast.js" + SUFFIX);
const R = await import("./linclass-regions.js" + SUFFIX);

export const CONFIG = { displayModeBar: false, responsive: true, doubleClick: false, showTips: false };

// The plot area of a Plotly plot in pixels from the plot's corner, and its linear data mapping.
export function plotArea(gd) {
  const drag = gd.querySelector(".nsewdrag");
  const xr = gd.layout && gd.layout.xaxis && gd.layout.xaxis.range;
  const yr = gd.layout && gd.layout.yaxis && gd.layout.yaxis.range;
  if (!drag || !xr || !yr) return null;
  const box = drag.getBoundingClientRect();
  const corner = gd.getBoundingClientRect();
  const [left, top, width, height] = [box.left - corner.left, box.top - corner.top, box.width, box.height];
  if (!width || !height) return null;
  return {
    left, top, width, height, box, corner,
    x2p: (v) => left + ((v - xr[0]) / (xr[1] - xr[0])) * width,
    y2p: (v) => top + ((yr[1] - v) / (yr[1] - yr[0])) * height,
    p2x: (p) => xr[0] + ((p - left) / width) * (xr[1] - xr[0]),
    p2y: (p) => yr[1] - ((p - top) / height) * (yr[1] - yr[0]),
    dx: Math.abs(xr[1] - xr[0]) / width, // data units per pixel
    dy: Math.abs(yr[1] - yr[0]) / height,
  };
}

export function drawPlotly(Plotly, div, fig, clickable) {
  if (clickable) fig.layout.clickanywhere = true;
  return Plotly.react(div, fig.data, fig.layout, CONFIG);
}

// A plot drawn by our own renderer. What is drawn is kept on the element (data, layout), as
// Plotly keeps it on its plots, for the tests.
export function drawOwn(div, fig) {
  div.data = fig.data;
  div.layout = fig.layout;
  drawFast(div, fig);
}

// ----- SVG layers: regions, shading and marks, drawn without Plotly on the base plot's axes ------
// A Plotly redraw of the regions and of the ring costs tens of milliseconds a frame; these few
// polygons and circles cost well under one as SVG. The figures are the same Plotly traces
// (scatter with fill "toself", open-marker scatter, a heatmap veil), so Python draws them alike.
const SVG_NS = "http://www.w3.org/2000/svg";

export function drawLayer(div, fig, base, name) {
  const area = base && plotArea(base);
  if (!fig || !area) return;
  const X = (v) => area.x2p(v).toFixed(1);
  const Y = (v) => area.y2p(v).toFixed(1);
  let svg = div.querySelector("svg");
  if (!svg) {
    svg = document.createElementNS(SVG_NS, "svg");
    div.appendChild(svg);
  }
  svg.setAttribute("width", area.corner.width);
  svg.setAttribute("height", area.corner.height);
  const clip = `<clipPath id="lc-clip-${name}"><rect x="${area.left}" y="${area.top}" width="${area.width}" ` +
    `height="${area.height}"/></clipPath>`;
  const out = fig.data.map((t) => svgTrace(t, X, Y)).join("");
  paintRegions(div, fig.data.find(isRegionsModel), area, svg);
  svg.innerHTML = `<defs>${clip}</defs><g clip-path="url(#lc-clip-${name})">${out}</g>`;
  div.data = fig.data; // what is drawn, for the tests (as Plotly keeps it on its plots)
  div.layout = fig.layout;
}

function svgTrace(t, X, Y) {
  if (t.visible === false || isRegionsModel(t)) return "";
  if (t.type === "heatmap") return svgVeil(t, X, Y);
  const xs = Array.from(t.x || []);
  const ys = Array.from(t.y || []);
  const line = t.line || {};
  if (t.fill === "toself") {
    if (!xs.length) return "";
    const d = xs.map((x, i) => (i ? "L" : "M") + X(x) + " " + Y(ys[i])).join("") + "Z";
    return `<path d="${d}" fill="${t.fillcolor || "none"}" stroke="${line.color || "none"}" ` +
      `stroke-width="${line.width === undefined ? 1 : line.width}"/>`;
  }
  if (t.mode === "lines") return svgLines(xs, ys, line, X, Y);
  const m = t.marker || {};
  const r = (m.size || 6) / 2;
  if (m.symbol === "arrow") return xs.map((x, i) => svgHead(m, i, +X(x), +Y(ys[i]), r)).join("");
  const w = (m.line && m.line.width) || 1;
  return xs.map((x, i) => (m.symbol === "square-open"
    ? `<rect x="${(+X(x) - r).toFixed(1)}" y="${(+Y(ys[i]) - r).toFixed(1)}" width="${2 * r}" height="${2 * r}" `
    : `<circle cx="${X(x)}" cy="${Y(ys[i])}" r="${r}" `) +
    `fill="none" stroke="${m.color || "#111"}" stroke-width="${w}"/>`).join("");
}

// Segments separated by null; a dashed line for "dash".
function svgLines(xs, ys, line, X, Y) {
  let d = "";
  let pen = "M";
  xs.forEach((x, i) => {
    if (x === null || ys[i] === null) { pen = "M"; return; }
    d += pen + X(x) + " " + Y(ys[i]);
    pen = "L";
  });
  const dash = line.dash ? ` stroke-dasharray="${line.dash === "dot" ? "2 4" : "7 5"}"` : "";
  return `<path d="${d}" fill="none" stroke="${line.color || "#111"}" stroke-width="${line.width || 1}"${dash}/>`;
}

// A head turned by angle (degrees, clockwise from up), as Plotly's "arrow" marker.
function svgHead(m, i, cx, cy, r) {
  const a = (((Array.isArray(m.angle) ? m.angle[i] : m.angle) || 0) * Math.PI) / 180;
  const pt = (u, v) => `${(cx + u * Math.cos(a) - v * Math.sin(a)).toFixed(1)},${(cy + u * Math.sin(a) + v * Math.cos(a)).toFixed(1)}`;
  return `<polygon points="${pt(0, -r)} ${pt(r * 0.8, r * 0.6)} ${pt(-r * 0.8, r * 0.6)}" fill="${m.color || "#111"}"/>`;
}

// The regions of a model on non-linear features: an image trace named "regions" that carries the
// model in its meta (linclass/ui/figures.py, regions_trace), painted here at screen resolution.
const isRegionsModel = (t) => t && t.type === "image" && t.name === "regions" && t.meta && t.meta.W;

// The model's regions on a canvas laid exactly over the plot area (under the layer's SVG), one canvas
// pixel a device pixel (linclass-regions.js: at most R.MAX_CELLS); none without such a trace. The
// pixels' grid (and phi of its columns and rows) is kept on the canvas while the plot's size and axes stay.
function paintRegions(div, t, area, svg) {
  let canvas = div.querySelector("canvas.lc-regions");
  if (!t) {
    if (canvas) canvas.remove();
    return;
  }
  if (!canvas) {
    canvas = document.createElement("canvas");
    canvas.className = "lc-regions";
    canvas.setAttribute("data-testid", "lc-regions");
    canvas.style.cssText = "position:absolute;pointer-events:none;";
    div.insertBefore(canvas, svg);
  }
  const model = t.meta;
  const [w, h] = R.canvasSize(area.width, area.height, window.devicePixelRatio || 1);
  const xr = [area.p2x(area.left), area.p2x(area.left + area.width)];
  const yr = [area.p2y(area.top + area.height), area.p2y(area.top)];
  const key = JSON.stringify([w, h, xr, yr]);
  if (canvas.lcKey !== key) {
    Object.assign(canvas, { width: w, height: h, lcKey: key, lcRanges: [xr, yr], lcScratch: {} });
    canvas.lcGrid = R.pixelGrid(w, h, xr, yr);
    canvas.lcImage = canvas.getContext("2d").createImageData(w, h);
  }
  Object.assign(canvas.style, { left: `${area.left}px`, top: `${area.top}px`, width: `${area.width}px`,
    height: `${area.height}px` });
  R.paint(model, canvas.lcGrid, canvas.lcImage.data, canvas.lcScratch);
  canvas.getContext("2d").putImageData(canvas.lcImage, 0, 0);
  canvas.lcModel = model; // what is painted, for the tests
}

// The confidence veil: z (n x n, 0..255) as the alpha of white, one canvas pixel a cell.
function svgVeil(t, X, Y) {
  const xs = Array.from(t.x);
  const ys = Array.from(t.y);
  const n = xs.length;
  const m = ys.length;
  let z = t.z;
  if (z && z.bdata) z = new Uint8Array(Uint8Array.from(atob(z.bdata), (c) => c.charCodeAt(0)).buffer);
  else z = Uint8Array.from(z.flat ? z.flat() : z);
  const top = (t.colorscale && t.colorscale[1] && t.colorscale[1][1]) || "rgba(255,255,255,0.85)";
  const amax = parseFloat(top.split(",")[3]) || 0.85;
  const c = document.createElement("canvas");
  c.width = n;
  c.height = m;
  const img = c.getContext("2d").createImageData(n, m);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) {
      const o = 4 * ((m - 1 - j) * n + i); // canvas row 0 is the top: the largest y
      img.data[o] = img.data[o + 1] = img.data[o + 2] = 255;
      img.data[o + 3] = Math.round((z[j * n + i] / (t.zmax || 255)) * amax * 255);
    }
  }
  c.getContext("2d").putImageData(img, 0, 0);
  const dx = n > 1 ? (xs[n - 1] - xs[0]) / (n - 1) / 2 : 0;
  const dy = m > 1 ? (ys[m - 1] - ys[0]) / (m - 1) / 2 : 0;
  const x0 = +X(xs[0] - dx);
  const y0 = +Y(ys[m - 1] + dy);
  return `<image href="${c.toDataURL()}" x="${x0}" y="${y0}" width="${(+X(xs[n - 1] + dx) - x0).toFixed(1)}" ` +
    `height="${(+Y(ys[0] - dy) - y0).toFixed(1)}" preserveAspectRatio="none"/>`;
}

// Paint what a click will do before Python answers: a marker laid over the plot (not a Plotly
// trace: adding one would redraw every point, slow with thousands). Python's frame removes it.
export function previewMark(div, pv, x, y, points, id) {
  let at = null;
  let css = "";
  if (pv.mode === "add") {
    at = [x, y];
    css = `width:9px;height:9px;background:${pv.color};border:1.2px solid white;`;
  } else if (pv.mode === "select" && points.length && points[0].data.mode === "markers") {
    at = [points[0].x, points[0].y];
    css = "width:19px;height:19px;border:3px solid black;";
  }
  const area = plotArea(div);
  if (!at || !area) return null;
  const cell = div.parentElement.getBoundingClientRect();
  const mark = document.createElement("div");
  mark.className = "lc-preview";
  mark.dataset.id = String(id);
  mark.style.cssText = "position:absolute;border-radius:50%;transform:translate(-50%,-50%);pointer-events:none;" +
    `box-sizing:content-box;z-index:5;left:${area.corner.left - cell.left + area.x2p(at[0])}px;` +
    `top:${area.corner.top - cell.top + area.y2p(at[1])}px;${css}`;
  div.parentElement.appendChild(mark);
  return mark;
}
