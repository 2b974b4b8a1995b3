// Our own renderer of the side panel (static/linclass-fast.js), without a browser: a host is any
// object with a size and an innerHTML.
import assert from "node:assert/strict";
import { test } from "node:test";

import { drawFast, fromPixel } from "../../static/linclass-fast.js";

const FIG = {
  data: [{ type: "bar", x: ["A", "B"], y: [1.5, -0.5], marker: { color: ["red", "blue"] } }],
  layout: {
    margin: { l: 40, r: 10, t: 10, b: 30 },
    xaxis: { type: "category", tickvals: ["A", "B"] },
    yaxis: { range: [-1, 2], dtick: 1 },
    xaxis2: { range: [-2, 2], domain: [0, 1], anchor: "y2" },
    yaxis2: { range: [-2, 2], domain: [0, 0.4], anchor: "x2" },
    shapes: [{ type: "line", name: "row 0", editable: true, xref: "x2", yref: "y2", x0: 0, y0: 0, x1: 1, y1: 1 }],
  },
};

test("bars, Plotly's tick groups and a drag handle on the row's tip", () => {
  const host = { clientWidth: 250, clientHeight: 230, innerHTML: "" };
  drawFast(host, FIG);
  assert.equal((host.innerHTML.match(/class="lcf-bar"/g) || []).length, 2);
  const yticks = [...host.innerHTML.matchAll(/<g class="ytick"><text[^>]*>([^<]*)<\/text><\/g>/g)].map((m) => m[1]);
  assert.deepEqual(yticks, ["\u22121", "0", "1", "2"]); // a real minus sign, as Plotly writes
  assert.match(host.innerHTML, /class="lcf-handle" data-row="0" data-x="x2" data-y="y2"/);
});

test("a handle's pixel maps back to the data point it was drawn at", () => {
  const host = { clientWidth: 250, clientHeight: 230, innerHTML: "" };
  drawFast(host, FIG);
  const [, cx, cy] = /class="lcf-handle"[^>]*cx="([-\d.]+)" cy="([-\d.]+)"/.exec(host.innerHTML);
  assert.ok(Math.abs(fromPixel(host, "x2", +cx) - 1) < 0.05);
  assert.ok(Math.abs(fromPixel(host, "y2", +cy) - 1) < 0.05);
  assert.ok(Number.isNaN(fromPixel(host, "x9", 10)));
});

test("nothing is drawn into a host without a size (a hidden tab)", () => {
  const host = { clientWidth: 0, clientHeight: 0, innerHTML: "unchanged" };
  drawFast(host, FIG);
  assert.equal(host.innerHTML, "unchanged");
});

// Issue 19, item 11: the arrows' ticks ran together ("−0.001−500µ") on a small plot.
const TICKS = ["\u22120.001", "\u2212500\u00b5", "0", "500\u00b5", "0.001"];
function ticksFig(size) {
  return {
    data: [],
    layout: {
      font: { size },
      margin: { l: 40, r: 10, t: 10, b: 30 },
      xaxis: { range: [-0.0012, 0.0012], tickvals: [-0.001, -0.0005, 0, 0.0005, 0.001], ticktext: TICKS },
      yaxis: { range: [-1, 1], dtick: 0.25 },
    },
  };
}
const labels = (html, axis) =>
  [...html.matchAll(new RegExp(`<g class="${axis}tick"><text x="([-\\d.]+)" y="([-\\d.]+)"[^>]*>([^<]*)</text>`, "g"))].map(
    (m) => ({ x: +m[1], y: +m[2], text: m[3] }),
  );

test("tick labels that would run together are left out, 0 kept; a wide plot keeps them all", () => {
  for (const [width, size] of [[150, 17.5], [220, 13], [700, 17.5]]) {
    const host = { clientWidth: width, clientHeight: 150, innerHTML: "" };
    drawFast(host, ticksFig(size));
    const xs = labels(host.innerHTML, "x");
    assert.ok(xs.some((t) => t.text === "0"), JSON.stringify(xs));
    for (let i = 1; i < xs.length; i++) {
      const room = (0.6 * size * (xs[i].text.length + xs[i - 1].text.length)) / 2;
      assert.ok(xs[i].x - xs[i - 1].x - room >= 4, `${width}px: ${JSON.stringify(xs)}`);
    }
    if (width === 700) assert.equal(xs.length, 5);
    else assert.ok(xs.length < 5, `${width}px kept ${xs.length}`);
    const ys = labels(host.innerHTML, "y"); // 0.25 apart on a 110 px axis: 13.75 px, under a 17.5 px label
    for (let i = 1; i < ys.length; i++) assert.ok(Math.abs(ys[i].y - ys[i - 1].y) - size >= 4, JSON.stringify(ys));
  }
});
