// linclass: draws Plotly figures inside an st.components.v2 component, in place (Plotly.react),
// and reports plane clicks and Play ticks back to Python. plotly.js comes from the app's own
// static folder (no CDN).
//
// data = {
//   name, slots: [[plot, css height, (plot it is layered on)], ...], clickable: plot that reports clicks,
//   parts: [a trace or a layout entry, each once; null if the previous update brought it],
//   keys: [a content hash of each part],
//   frames: [{status, step, figs: {plot: [{layout key: part}, [trace parts]]}}, ...],
//   playing, seq: chunk number, frameMs: Play's frame interval,
//   preview: {mode: "add" | "erase" | "select", color}: what a click paints before Python answers,
//   nextOn: CSS selector of the Step button; the last frame is then the state one step ahead,
//   clickAck: {epoch, n}: the clicks Python has handled,
//   pauseOn: CSS selector of the Pause button while playing (pressing it sets the state
//   "shown": {step} of the frame on screen)
// }
// One frame is drawn at once. While playing, a chunk holds several frames: they are played one
// after another on a timer, and the next chunk is asked for as soon as this one arrives, so the
// server computes it while these frames are on screen.

const PLOTLY_SRC = "app/static/plotly.min.js";
const CONFIG = { displayModeBar: false, responsive: true, doubleClick: false, showTips: false };

function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__linclassPlotly) {
    window.__linclassPlotly = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      // Relative to the page, so an app served under a base path still finds it.
      const base = window.location.origin + window.location.pathname.replace(/[^/]*$/, "");
      s.src = new URL(PLOTLY_SRC, base).href;
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => reject(new Error("could not load " + s.src));
      document.head.appendChild(s);
    });
  }
  return window.__linclassPlotly;
}

function build(parentElement, data) {
  parentElement.querySelectorAll(".lc-root").forEach((n) => n.remove());
  const root = document.createElement("div");
  root.className = "lc-root";
  root.setAttribute("data-testid", "lc-view-" + (data.name || ""));
  parentElement.appendChild(root);
  const status = document.createElement("div");
  status.className = "lc-status";
  root.appendChild(status);
  const grid = document.createElement("div");
  grid.className = "lc-grid lc-grid-" + data.slots.length;
  root.appendChild(grid);
  const divs = {};
  let side = null;
  data.slots.filter((slot) => !slot[2]).forEach(([name, height], i) => {
    const cell = document.createElement("div");
    cell.className = "lc-cell";
    cell.style.height = height;
    const d = document.createElement("div");
    d.className = "lc-plot lc-" + name;
    d.setAttribute("data-testid", "lc-" + name);
    cell.appendChild(d);
    if (i > 0) {
      side = side || grid.appendChild(Object.assign(document.createElement("div"), { className: "lc-side" }));
      side.appendChild(cell);
    } else {
      grid.appendChild(cell);
    }
    divs[name] = d;
  });
  // [name, height, base]: a transparent layer stacked exactly on top of plot `base`.
  data.slots.filter((slot) => slot[2]).forEach(([name, , base]) => {
    const d = document.createElement("div");
    d.className = "lc-plot lc-layer lc-" + name;
    d.setAttribute("data-testid", "lc-" + name);
    divs[base].parentElement.appendChild(d);
    divs[name] = d;
  });
  return {
    root, status, divs, layoutKey: JSON.stringify(data.slots),
    queue: [], shown: {}, pending: {}, observers: {}, bound: {},
    lastSeq: null, drawn: 0, busy: false, clicks: 0,
    clickEpoch: Date.now() + Math.random(), pendingClicks: [],
  };
}

export default function (component) {
  const { data, parentElement, setTriggerValue, setStateValue } = component;
  if (!data || !data.frames) return;
  let st = parentElement.__linclass;
  if (!st || st.layoutKey !== JSON.stringify(data.slots)) {
    st = parentElement.__linclass = build(parentElement, data);
  }
  st.trigger = setTriggerValue; // always the latest
  st.setState = setStateValue;
  st.data = data;
  const ack = data.clickAck;
  if (ack && ack.epoch === st.clickEpoch) {
    st.pendingClicks = st.pendingClicks.filter((c) => c.n > ack.n);
    st.ackN = ack.n;
  }
  const parts = resolveParts(st, data);
  if (!parts) return () => release(st); // waiting for a full resend
  if (data.playing && (data.seq === st.lastSeq || st.frozen)) {
    watchStep(st);
    return () => release(st); // already queued, or Pause pressed
  }
  st.frozen = false;
  st.lastSeq = data.seq;
  st.receivedAt = performance.now();
  if (data.serverMs !== null && data.serverMs !== undefined) st.root.dataset.serverMs = String(data.serverMs);
  const frames = data.frames.map((f) => ({ ...f, parts, keys: data.keys, receivedAt: st.receivedAt }));
  if (data.playing) {
    st.queue.push(...frames);
    watchStep(st);
    if (st.tickSentAt) st.root.dataset.roundTripMs = (st.receivedAt - st.tickSentAt).toFixed(1);
    st.wantTick = true;
    maybeTick(st); // the next chunk, computed while these frames play
  } else {
    st.wantTick = false;
    // Not playing: show this state now. With data.nextOn, the last frame is the state one Step
    // from here, painted the moment the Step button (that CSS selector) is pressed; Python then
    // computes the same step, whose frame is already on screen.
    st.nextFrame = data.nextOn ? frames.pop() : null;
    st.queue = frames.slice(-1);
    watchStep(st);
  }
  st.root.dataset.receivedAt = st.receivedAt.toFixed(1);
  pump(st);
  return () => release(st);
}

// What this component added outside its own element; the next update adds it again if needed.
function release(st) {
  if (st.stepHook) document.removeEventListener("pointerdown", st.stepHook, true);
  st.stepHook = null;
  Object.values(st.observers).forEach((o) => o.disconnect());
  st.observers = {};
}

// The parts of this update, decoded; a null part is one the previous update brought. Returns
// null, and asks Python for everything again, if one of those is not here (a missed update).
function resolveParts(st, data) {
  const store = st.store || new Map();
  if (data.keys.some((k, i) => data.parts[i] === null && !store.has(k))) {
    if (st.resyncAsked !== data.seq) {
      st.resyncAsked = data.seq;
      st.trigger("resync", Date.now());
    }
    return null;
  }
  const parts = data.parts.map((p, i) => (p === null ? store.get(data.keys[i]) : decode(p)));
  st.store = new Map(data.keys.map((k, i) => [k, parts[i]]));
  return parts;
}

// Step and Pause act in the browser the moment they are pressed (Python hears of them after).
function watchStep(st) {
  if (st.stepHook) return;
  const pressed = (e, sel) => {
    const button = sel && e.button === 0 && e.target.closest && e.target.closest(sel + " button");
    return button && !button.disabled;
  };
  st.stepHook = (e) => {
    if (st.data.playing) {
      if (!pressed(e, st.data.pauseOn)) return;
      // Freeze on the frame shown, and leave Python a note of its step for the Pause that follows.
      st.queue = [];
      st.frozen = true;
      st.wantTick = false;
      st.setState("shown", { step: st.shownStep, at: Date.now() });
    } else if (pressed(e, st.data.nextOn) && st.nextFrame) {
      st.queue = [st.nextFrame];
      st.nextFrame = null;
      pump(st);
    }
  };
  document.addEventListener("pointerdown", st.stepHook, true);
}

// Ask for the next chunk once no more than one chunk's frames are left to play: enough to
// cover the round trip, and the picture never runs far behind the model.
function maybeTick(st) {
  if (!st.wantTick || !st.data.playing || st.queue.length > st.data.frames.length) return;
  st.wantTick = false;
  st.tickSentAt = performance.now();
  st.trigger("tick", st.data.seq);
}

const nextAnimationFrame = () => new Promise((r) => requestAnimationFrame(r));

// Draw queued frames one at a time, each at the start of an animation frame (so each is painted,
// and the browser gets to handle messages in between), at most one every data.frameMs while playing.
async function pump(st) {
  if (st.busy) return;
  st.busy = true;
  try {
    const Plotly = await loadPlotly();
    while (st.queue.length) {
      const now = await nextAnimationFrame();
      if (!st.queue.length) break; // emptied meanwhile (Pause)
      if (st.data.playing && now - (st.lastDrawAt || 0) < (st.data.frameMs || 50) - 8) continue;
      st.lastDrawAt = now;
      const frame = st.queue.shift();
      const started = performance.now();
      await drawFrame(Plotly, st, frame);
      st.log = (st.log || []).slice(-299);
      st.log.push([started, performance.now(), st.queue.length]); // for the benchmark
      maybeTick(st);
    }
  } catch (err) {
    st.status.textContent = "The plots could not be drawn: " + err.message;
    console.error(err);
  } finally {
    st.busy = false;
  }
}

async function drawFrame(Plotly, st, frame) {
  // A part identical to one on screen is handed to Plotly as the very same object, so
  // Plotly.react sees that trace (say, the points while training) unchanged and skips it.
  const cache = st.cache || new Map(); // text -> parsed object, for what is on screen
  const used = new Map();
  const part = (i) => {
    const key = frame.keys[i];
    const obj = used.get(key) || cache.get(key) || structuredClone(frame.parts[i]);
    used.set(key, obj);
    return obj;
  };
  const jobs = Object.entries(frame.figs).map(([name, ref]) => {
    const div = st.divs[name];
    const [layoutRefs, traceRefs] = ref;
    const texts = [...Object.entries(layoutRefs).flat(), ...traceRefs].map((i) =>
      typeof i === "string" ? i : frame.keys[i],
    );
    const key = texts.join("/");
    if (!div) return null;
    if (st.shown[name] === key) {
      texts.forEach((t) => cache.has(t) && used.set(t, cache.get(t))); // unchanged: keep, don't redraw
      return null;
    }
    const layout = Object.fromEntries(Object.entries(layoutRefs).map(([k, i]) => [k, part(i)]));
    const fig = { layout, data: traceRefs.map(part) };
    if (div.offsetParent === null && div._fullLayout) {
      // Hidden (an inactive tab): draw it when it is shown, not on every frame.
      st.pending[name] = [key, fig];
      watchVisible(Plotly, st, name);
      return null;
    }
    return draw(Plotly, st, name, key, fig);
  });
  await Promise.all(jobs);
  st.status.textContent = frame.status || ""; // with the plots it describes
  // Click previews whose click Python has answered: the plots now show it themselves.
  st.root.parentElement.querySelectorAll(".lc-preview").forEach((m) => {
    if (+m.dataset.n <= (st.ackN || 0)) m.remove();
  });
  st.shownStep = frame.step;
  st.cache = used; // what is on screen now
  const seq = st.data.seq;
  // For the browser tests and the benchmarks: count a frame once it is on screen (a task queued
  // from the next animation frame runs after that frame's paint), and note when.
  requestAnimationFrame(() =>
    setTimeout(() => {
      st.drawn += 1;
      const ds = st.root.dataset;
      ds.drawn = String(st.drawn);
      ds.seq = String(seq);
      ds.paintedAt = performance.now().toFixed(1);
      ds.drawMs = (performance.now() - frame.receivedAt).toFixed(1);
    }, 0),
  );
}

const DTYPES = { f8: Float64Array, f4: Float32Array, i1: Int8Array, u1: Uint8Array, i2: Int16Array,
                 u2: Uint16Array, i4: Int32Array, u4: Uint32Array };

// Plotly's {dtype, bdata} arrays become typed arrays here, once: Plotly would decode them anew on
// every react, and a new array makes it replot a trace that did not change.
function decode(o) {
  if (Array.isArray(o)) return o.map(decode);
  if (o === null || typeof o !== "object" || ArrayBuffer.isView(o)) return o;
  if (typeof o.bdata === "string" && DTYPES[o.dtype] && o.shape === undefined) {
    const bin = atob(o.bdata);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new DTYPES[o.dtype](bytes.buffer);
  }
  for (const k of Object.keys(o)) o[k] = decode(o[k]);
  return o;
}

function draw(Plotly, st, name, key, fig) {
  const div = st.divs[name];
  st.shown[name] = key;
  delete st.pending[name];
  if (name === st.data.clickable) fig.layout.clickanywhere = true;
  return Plotly.react(div, fig.data, fig.layout, CONFIG).then(() => {
    if (name === st.data.clickable && !st.bound[name]) bindClicks(Plotly, div, st, name);
  });
}

function watchVisible(Plotly, st, name) {
  if (st.observers[name]) return;
  st.observers[name] = new IntersectionObserver((entries) => {
    const p = st.pending[name];
    if (p && entries.some((e) => e.isIntersecting)) draw(Plotly, st, name, p[0], p[1]);
  });
  st.observers[name].observe(st.divs[name]);
}

function bindClicks(Plotly, div, st, name) {
  st.bound[name] = true;
  div.on("plotly_click", (ev) => {
    const xa = div._fullLayout.xaxis;
    const ya = div._fullLayout.yaxis;
    // From the click's own position, not Plotly's xvals: those come from the last hover, which
    // lags a quick click (and never happens on a touch screen).
    const box = div.querySelector(".nsewdrag").getBoundingClientRect();
    const e = ev && ev.event;
    if (!e || e.clientX === undefined) return;
    const x = xa.p2d(e.clientX - box.left);
    const y = ya.p2d(e.clientY - box.top);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    // Data units per screen pixel on each axis: Python turns "within 10 px" into data units.
    const px = Math.abs((xa.range[1] - xa.range[0]) / xa._length);
    const py = Math.abs((ya.range[1] - ya.range[0]) / ya._length);
    // Clicks travel as state, all not yet acknowledged by Python: a click made while Python is
    // still busy with the previous one cannot be lost or replaced by an older one.
    st.clicks += 1;
    st.pendingClicks.push({ x, y, px, py, n: st.clicks });
    st.setState("click", { epoch: st.clickEpoch, clicks: st.pendingClicks.slice() });
    preview(Plotly, div, st, name, x, y, ev.points || []);
  });
}

// Paint what the click will do before Python answers: a marker laid over the plot (not a Plotly
// trace: adding one would redraw every point, slow with thousands). Python's frame removes it.
function preview(Plotly, div, st, name, x, y, points) {
  const pv = st.data.preview || {};
  let at = null;
  let css = "";
  if (pv.mode === "add") {
    at = [x, y];
    css = `width:9px;height:9px;background:${pv.color};border:1.2px solid white;`;
  } else if (pv.mode === "select" && points.length && points[0].data.mode === "markers") {
    at = [points[0].x, points[0].y];
    css = "width:19px;height:19px;border:3px solid black;";
  }
  if (!at) return;
  const xa = div._fullLayout.xaxis;
  const ya = div._fullLayout.yaxis;
  const box = div.querySelector(".nsewdrag").getBoundingClientRect();
  const cell = div.parentElement.getBoundingClientRect();
  const mark = document.createElement("div");
  mark.className = "lc-preview";
  mark.dataset.n = String(st.clicks);
  mark.style.cssText = "position:absolute;border-radius:50%;transform:translate(-50%,-50%);pointer-events:none;" +
    `box-sizing:content-box;z-index:5;left:${box.left - cell.left + xa.d2p(at[0])}px;` +
    `top:${box.top - cell.top + ya.d2p(at[1])}px;${css}`;
  div.parentElement.appendChild(mark);
  requestAnimationFrame(() => setTimeout(() => { st.root.dataset.previewAt = performance.now().toFixed(1); }, 0));
}
