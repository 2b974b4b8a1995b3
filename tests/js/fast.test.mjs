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
