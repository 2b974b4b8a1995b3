// linclass: draws Plotly figures inside an st.components.v2 component and reports clicks and
// animation ticks back to Python. plotly.js comes from the app's own static folder (no CDN).
//
// data = {name, figs: {name: figureJSON}, slots: [[name, css height], ...], status: text,
//         clickable: name of the plot that reports clicks, playing: bool, seq: frame number}

const PLOTLY_SRC = "app/static/plotly.min.js";
const MIN_FRAME_MS = 1000 / 30; // Play never asks for more than 30 frames a second

function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__linclassPlotly) {
    window.__linclassPlotly = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      // Relative to the page, so an app served under a base path still finds it.
      s.src = new URL(PLOTLY_SRC, window.location.origin + window.location.pathname.replace(/[^/]*$/, "")).href;
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => reject(new Error("could not load " + s.src));
      document.head.appendChild(s);
    });
  }
  return window.__linclassPlotly;
}

const CONFIG = { displayModeBar: false, responsive: true, doubleClick: false, showTips: false };

function build(root, slots) {
  root.innerHTML = "";
  const status = document.createElement("div");
  status.className = "lc-status";
  root.appendChild(status);
  const grid = document.createElement("div");
  grid.className = "lc-grid lc-grid-" + slots.length;
  root.appendChild(grid);
  const divs = {};
  let side = null;
  slots.forEach(([name, height], i) => {
    const d = document.createElement("div");
    d.className = "lc-plot lc-" + name;
    d.setAttribute("data-testid", "lc-" + name);
    d.style.height = height;
    if (slots.length > 1 && i > 0) {
      if (!side) {
        side = document.createElement("div");
        side.className = "lc-side";
        grid.appendChild(side);
      }
      side.appendChild(d);
    } else {
      grid.appendChild(d);
    }
    divs[name] = d;
  });
  return { status, divs };
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  if (!data || !data.figs) return;
  const layoutKey = JSON.stringify(data.slots);
  let st = parentElement.__linclass;
  if (!st || st.layoutKey !== layoutKey) {
    const root = document.createElement("div");
    root.className = "lc-root";
    root.setAttribute("data-testid", "lc-view-" + (data.name || ""));
    parentElement.querySelectorAll(".lc-root").forEach((n) => n.remove());
    parentElement.appendChild(root);
    st = { layoutKey, ...build(root, data.slots), lastTick: -1, lastFrameAt: 0, drawn: 0, bound: {} };
    parentElement.__linclass = st;
  }
  st.trigger = setTriggerValue; // always the latest
  st.data = data;
  st.status.textContent = data.status || "";

  loadPlotly()
    .then((Plotly) => {
      const jobs = Object.entries(data.figs).map(([name, spec]) => {
        const div = st.divs[name];
        if (!div) return null;
        const fig = typeof spec === "string" ? JSON.parse(spec) : spec;
        if (name === data.clickable) fig.layout.clickanywhere = true;
        return Plotly.react(div, fig.data, fig.layout, CONFIG).then(() => {
          if (name === data.clickable && !st.bound[name]) bindClicks(div, st, name);
        });
      });
      return Promise.all(jobs);
    })
    .then(() => {
      st.drawn += 1;
      const root = parentElement.querySelector(".lc-root");
      if (root) {
        root.dataset.seq = String(data.seq);
        root.dataset.drawn = String(st.drawn);
      }
      if (data.playing && data.seq !== st.lastTick) {
        st.lastTick = data.seq;
        // Ask for the next frame once this one is on screen, at most MIN_FRAME_MS apart.
        requestAnimationFrame(() => {
          const wait = Math.max(0, st.lastFrameAt + MIN_FRAME_MS - performance.now());
          setTimeout(() => {
            if (!st.data.playing || st.data.seq !== data.seq) return;
            st.lastFrameAt = performance.now();
            st.trigger("tick", data.seq);
          }, wait);
        });
      }
    })
    .catch((err) => {
      st.status.textContent = "The plots could not be drawn: " + err.message;
      console.error(err);
    });
}

function bindClicks(div, st, name) {
  st.bound[name] = true;
  div.on("plotly_click", (ev) => {
    const xa = div._fullLayout.xaxis;
    const ya = div._fullLayout.yaxis;
    let x = ev && ev.xvals ? ev.xvals[0] : undefined;
    let y = ev && ev.yvals ? ev.yvals[0] : undefined;
    if (x === undefined || y === undefined) return;
    // Data units per screen pixel on each axis: Python turns "within 10 px" into data units.
    const px = Math.abs((xa.range[1] - xa.range[0]) / xa._length);
    const py = Math.abs((ya.range[1] - ya.range[0]) / ya._length);
    st.clicks = (st.clicks || 0) + 1;
    st.trigger("click", { x, y, px, py, n: st.clicks });
  });
}
