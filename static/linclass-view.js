// linclass: draws Plotly figures inside an st.components.v2 component, in place, and sends the
// user's presses and clicks to Python as numbered events. plotly.js comes from the app's own
// static folder (no CDN). The messages both ways are described in protocol.schema.json.
//
// The modules, by job: linclass-queue.js (the press queue, acknowledgements and the frames' order:
// pure), linclass-codec.js (the parts and patches a frame is rebuilt from: pure), linclass-keys.js
// (the keyboard: pure), linclass-draw.js (Plotly, the SVG layers), linclass-fast.js (the plots our
// own renderer draws at all times) and linclass-drag.js (a dragged point's preview: pure). This
// module holds the page's state and wires them up.

const SUFFIX = new URL(import.meta.url).search; // this module's version (?v=: every module's content)
const Q = await import("./linclass-queue.js" + SUFFIX);
const C = await import("./linclass-codec.js" + SUFFIX);
const K = await import("./linclass-keys.js" + SUFFIX);
const D = await import("./linclass-draw.js" + SUFFIX);
const F = await import("./linclass-fast.js" + SUFFIX);
const G = await import("./linclass-drag.js" + SUFFIX);

const PLOTLY_SRC = "app/static/plotly.min.js";

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

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// The DOM of one view: toolbar, status line, and a cell per plot (the first large on the left,
// the rest stacked on the right; [name, height, base, "below" | "above"] an SVG layer on `base`).
function build(parentElement, data) {
  parentElement.querySelectorAll(".lc-root").forEach((n) => n.remove());
  const root = el("div", "lc-root");
  root.setAttribute("data-testid", "lc-view-" + (data.name || ""));
  root.lcPainted = []; // the revs painted, in order (the tests read it: never an older one)
  parentElement.appendChild(root);
  const bar = el("div", "lc-toolbar");
  bar.setAttribute("data-testid", "lc-toolbar");
  root.appendChild(bar);
  const status = el("div", "lc-status");
  root.appendChild(status);
  const grid = el("div", "lc-grid lc-grid-" + data.slots.length);
  root.appendChild(grid);
  const divs = {};
  let side = null;
  data.slots.filter((slot) => !slot[2]).forEach(([name, height], i) => {
    const cell = el("div", "lc-cell");
    cell.style.height = height;
    const d = el("div", "lc-plot lc-" + name);
    d.setAttribute("data-testid", "lc-" + name);
    cell.appendChild(d);
    if (i > 0) {
      side = side || grid.appendChild(el("div", "lc-side"));
      side.appendChild(cell);
    } else {
      grid.appendChild(cell);
    }
    divs[name] = d;
  });
  const layerBase = {};
  data.slots.filter((slot) => slot[2]).forEach(([name, , base, mode]) => {
    const d = el("div", "lc-plot lc-layer lc-" + name + (mode ? " lc-svg-" + mode : ""));
    d.setAttribute("data-testid", "lc-" + name);
    divs[base].parentElement.appendChild(d);
    divs[name] = d;
    layerBase[name] = base;
  });
  return {
    root, bar, status, divs, layerBase, layoutKey: JSON.stringify(data.slots),
    events: Q.newEvents(Date.now() + Math.random()), intent: null, // presses; Play/Pause pressed
    queue: [], paintedRev: -1, shownRev: -1, ahead: null, busy: false, moreAsked: false,
    shown: {}, figs: {}, pending: {}, cache: new Map(), bound: {}, observers: [], drawn: 0,
  };
}

// Python sends its data as one JSON text (bytes): Streamlit would otherwise walk the dict and write
// it twice. The same bytes object comes back on a re-render without news: parsed once.
const parsed = new WeakMap(); // bytes -> their data
function readData(raw) {
  if (!(raw instanceof Uint8Array || raw instanceof ArrayBuffer)) return raw;
  if (!parsed.has(raw)) parsed.set(raw, JSON.parse(new TextDecoder().decode(raw)));
  return parsed.get(raw);
}

export default function (component) {
  const { parentElement, setStateValue } = component;
  const data = readData(component.data);
  if (!data || !data.frames) return;
  let st = parentElement.__linclass;
  if (!st || st.layoutKey !== JSON.stringify(data.slots)) {
    st = parentElement.__linclass = build(parentElement, data);
  }
  if (data.version !== Q.PROTOCOL) {
    st.status.textContent = `This page speaks protocol ${Q.PROTOCOL}, the app ${data.version}: reload the page.`;
    return;
  }
  st.setState = setStateValue; // always the latest
  st.data = data;
  if (st.sid !== data.sid) newSession(st, data.sid);
  acknowledge(st, data.ack);
  renderToolbar(st);
  bindKeys(st);
  const parts = C.readParts(data.parts);
  const at = performance.now();
  const frames = data.frames.map((f) => ({ ...f, parts, keys: data.keys, receivedAt: at }));
  st.ahead = data.ahead ? { ...data.ahead, parts, keys: data.keys, receivedAt: at } : null;
  st.drag = data.drag ? { ...data.drag, parts } : null; // what a point dragged with the Select tool previews
  const plane = st.divs[data.clickable];
  if (plane) plane.style.touchAction = data.toolbar && data.toolbar.tool === "select" ? "none" : ""; // a drag, not a scroll
  st.root.dataset.rev = String(data.rev);
  if (data.serverMs !== null && data.serverMs !== undefined) st.root.dataset.serverMs = String(data.serverMs);
  st.root.dataset.receivedAt = at.toFixed(1);
  if (st.intent === "pause" && data.playing) return () => release(st); // Pause pressed: Python has not heard yet
  st.queue = Q.enqueueFrames(st.queue, st.paintedRev, frames, data.playing);
  if (data.playing) st.moreAsked = false;
  pump(st);
  settleDrag(st, false);
  return () => release(st);
}

// Python answers from a session this page has not seen (its server restarted, or a replica died
// and the balancer sent the page to another): what was painted and pressed belongs to the old one.
function newSession(st, sid) {
  st.sid = sid;
  delete st.root.dataset.sent;
  st.paintedRev = -1;
  st.queue = [];
  st.events = Q.newEvents(Date.now() + Math.random());
  st.intent = null;
  clearTimeout(st.resyncTimer);
}

function release(st) {
  st.observers.forEach((o) => o.disconnect());
  st.observers = [];
  Object.keys(st.bound).filter((k) => k.startsWith("visible-")).forEach((k) => delete st.bound[k]);
}

// ----- events: numbered, kept until Python acknowledges them ---------------------------------
function send(st, kind, extra) {
  const [events, ev] = Q.push(st.events, kind, extra);
  st.events = events;
  st.root.dataset.sent = String(ev.id); // with data-ack: every press answered when they are equal
  flush(st);
  return ev;
}

function flush(st) {
  st.setState("events", Q.message(st.events, Date.now()));
  clearTimeout(st.resyncTimer);
  st.resyncTimer = setTimeout(() => {
    // Python has not acknowledged them yet (a rerun was superseded, a message lost): send again.
    if (Q.resendDue(st.events)) {
      st.root.dataset.resyncs = String(+(st.root.dataset.resyncs || 0) + 1);
      flush(st);
    }
  }, Q.RESYNC_MS);
}

function acknowledge(st, ack) {
  st.events = Q.acknowledge(st.events, ack);
  st.intent = Q.settleIntent(st.intent, st.events);
  st.root.dataset.ack = String(st.events.ackId);
  // Click previews Python has answered: the plots now show the point themselves.
  st.root.parentElement.querySelectorAll(".lc-preview").forEach((m) => {
    if (+m.dataset.id <= st.events.ackId) m.remove();
  });
  if (!st.events.pending.length) clearTimeout(st.resyncTimer);
}

function press(st, kind, extra) {
  if (kind === "help") {
    st.helpOpen = !st.helpOpen;
    renderToolbar(st);
    return;
  }
  if (kind === "play" || kind === "pause") {
    // The button flips at once and sends what it showed: a quick second press is a Pause.
    const what = Q.playPress(st.data.playing, st.intent);
    st.intent = what;
    if (what === "pause") {
      st.queue = []; // freeze on the frame shown; Python rewinds to exactly that one
      send(st, "pause", { rev: st.shownRev });
    } else {
      send(st, "play");
    }
    renderToolbar(st);
    return;
  }
  const ahead = Q.lookAhead(st.ahead, kind, extra, st.events, Q.showsPlaying(st.data.playing, st.intent));
  send(st, kind, extra);
  if (ahead) {
    st.queue = [{ ...ahead, urgent: true }]; // drawn at once, not at the next animation frame
    st.ahead = null; // at most one frame of look-ahead
    pump(st);
  }
}

// ----- the toolbar and the keys ----------------------------------------------------------------
function button(st, label, title, kind, extra, opts) {
  const b = el("button", "lc-btn" + (opts && opts.primary ? " lc-primary" : ""), label);
  b.type = "button";
  b.title = title;
  b.dataset.kind = kind + (extra && extra.n ? String(extra.n) : "");
  b.setAttribute("data-testid", "lc-btn-" + b.dataset.kind);
  if (opts && opts.disabled) b.disabled = true;
  if (opts && opts.pressed) b.setAttribute("aria-pressed", "true");
  // A press acts on pointerdown (Pause then freezes the very frame the user saw); a keyboard
  // activation (click with detail 0) acts on click.
  b.addEventListener("pointerdown", (e) => { if (e.button === 0 && !b.disabled) press(st, kind, extra); });
  b.addEventListener("click", (e) => { if (e.detail === 0) press(st, kind, extra); });
  return b;
}

function renderToolbar(st) {
  const t = st.data.toolbar;
  st.bar.replaceChildren();
  if (!t) return;
  const playing = Q.showsPlaying(st.data.playing, st.intent);
  const tools = el("div", "lc-group");
  [["add", "Add", "A"], ["erase", "Erase", "E"], ["select", "Select", "S"]].forEach(([tool, label, key]) =>
    tools.appendChild(button(st, label, `${label} points with a click (${key})`, "tool", { tool },
      { pressed: t.tool === tool })));
  st.bar.appendChild(tools);
  // The class buttons keep their room with Erase and Select (hidden, not removed): the plane never moves.
  const classes = classButtons(st, t);
  if (t.tool !== "add") {
    classes.classList.add("lc-idle");
    classes.setAttribute("aria-hidden", "true");
  }
  st.bar.appendChild(classes);
  const run = el("div", "lc-group");
  run.appendChild(button(st, "Step", "One step (Space)", "step", { n: 1 }, { primary: true }));
  run.appendChild(button(st, "×10", "Ten steps", "step", { n: 10 }));
  run.appendChild(button(st, "×100", "A hundred steps", "step", { n: 100 }));
  run.appendChild(button(st, playing ? "❚❚ Pause" : "▶ Play", "Play / Pause (P)", playing ? "pause" : "play"));
  run.appendChild(button(st, "◀ Back", "Step back (←)", "back", null, { disabled: !t.canBack }));
  st.bar.appendChild(run);
  const edit = el("div", "lc-group");
  edit.appendChild(button(st, "↶", "Undo the last point edit (Ctrl+Z)", "undo", null, { disabled: !t.canUndo }));
  edit.appendChild(button(st, "↷", "Redo (Ctrl+Y)", "redo", null, { disabled: !t.canRedo }));
  edit.appendChild(button(st, "Clear", "Clear all points (undoable)", "clear", null, { disabled: !t.canClear }));
  // The state the user asks for, not a toggle: a press sent again (a new view after the layout
  // changed) must not switch presenter mode back off.
  edit.appendChild(button(st, "Presenter", "Presenter mode: larger text, no sidebar", "present", { on: !t.present },
    { pressed: !!t.present }));
  edit.appendChild(button(st, "?", K.HELP, "help", null, { pressed: st.helpOpen }));
  st.bar.appendChild(edit);
  if (st.helpOpen) st.bar.appendChild(el("div", "lc-help", K.HELP));
}

// Up to four classes share the first row, on one line; more get a row of their own; names cut to fit.
function classButtons(st, t) {
  const classes = el("div", "lc-group lc-classes" + (t.classes.length > 4 ? " lc-many" : ""));
  t.classes.forEach((c, m) => {
    const b = button(st, "", `Add points of class ${c.name} (key ${m + 1})`, "class", { m }, { pressed: t.active === m });
    const dot = el("span", "lc-dot");
    dot.style.background = c.color;
    b.appendChild(dot);
    b.appendChild(el("span", "lc-key", String(m + 1))); // its key, and its label where names are cut alike
    b.appendChild(el("span", "lc-name", c.name));
    classes.appendChild(b);
  });
  return classes;
}

function bindKeys(st) {
  if (!st.data.toolbar) return; // only the view with the toolbar takes keys (not the curve below it)
  if (window.__linclassKeys) window.removeEventListener("keydown", window.__linclassKeys, true);
  window.__linclassKeys = (e) => {
    if (!st.data.toolbar) return;
    const t = st.data.toolbar;
    const act = K.keyAction(e, K.isTyping(document.activeElement), t.classes.length, !!t.lesson);
    if (!act) return;
    e.preventDefault();
    press(st, ...act);
  };
  window.addEventListener("keydown", window.__linclassKeys, true);
}

// ----- painting frames -----------------------------------------------------------------------------
const nextAnimationFrame = () => new Promise((r) => requestAnimationFrame(r));

function maybeMore(st) {
  const d = st.data;
  if (d.follow || !d.playing || st.intent === "pause" || st.moreAsked || !Q.wantsMore(st.queue.length, d.chunk)) return;
  st.moreAsked = true;
  send(st, "more", { rev: st.shownRev }); // Python keeps every frame from this one for Pause
}

// Draw queued frames one at a time, each at the start of an animation frame (so each is painted,
// and the browser gets to handle messages in between), at most one every data.frameMs while playing.
async function pump(st) {
  if (st.busy) return;
  st.busy = true;
  try {
    const Plotly = await loadPlotly();
    maybeMore(st);
    while (st.queue.length) {
      // A look-ahead is drawn in this very task: waiting for an animation frame would let the
      // page's work on the press (Streamlit's rerun) go first.
      const now = st.queue[0].urgent ? performance.now() : await nextAnimationFrame();
      if (!st.queue.length) break; // emptied meanwhile (Pause)
      if (st.data.playing && !dueNow(st, now)) continue;
      const [frame, rest] = Q.nextFrame(st.queue, st.paintedRev);
      st.queue = rest;
      if (!frame) break;
      st.paintedRev = frame.rev;
      const started = performance.now();
      await paint(Plotly, st, frame);
      st.log = (st.log || []).slice(-299);
      st.log.push([started, performance.now(), st.queue.length]); // for the benchmark
      maybeMore(st);
    }
  } catch (err) {
    st.status.textContent = "The plots could not be drawn: " + err.message;
    console.error(err);
  } finally {
    st.busy = false;
  }
}

// Each Play frame is due frameMs after the one before (not after its own paint, which lands on the
// display's 16.7 ms grid): a frame late by one refresh is caught up on the next.
function dueNow(st, now) {
  const ms = st.data.frameMs || 50;
  if (now < (st.dueAt || 0) - 4) return false;
  st.dueAt = Math.max((st.dueAt || 0) + ms, now); // after a stall: from now, no burst
  return true;
}

async function paint(Plotly, st, frame) {
  // A part identical to one on screen is handed to Plotly as the very same object, so
  // Plotly.react sees that trace (say, the points while training) unchanged and skips it.
  const used = new Map();
  const part = (ref) => {
    const key = C.keyOf(frame.keys, ref);
    const obj = used.get(key) || st.cache.get(key) || C.resolve(frame.parts, ref);
    used.set(key, obj);
    return obj;
  };
  const layers = [];
  const jobs = [];
  for (const [name, ref] of Object.entries(frame.figs)) {
    const div = st.divs[name];
    const key = C.figureKey(frame.keys, ref);
    if (!div) continue;
    if (st.shown[name] === key) { // unchanged: keep its parts, don't redraw
      key.split("/").forEach((k) => st.cache.has(k) && used.set(k, st.cache.get(k)));
      continue;
    }
    const fig = C.figure(frame.parts, ref, part);
    st.shown[name] = key;
    st.figs[name] = fig;
    if (st.layerBase[name]) layers.push(name); // drawn after the plots, on their axes
    else if ((st.data.fast || []).includes(name)) drawOwnPlot(st, name);
    else jobs.push(drawPlotlyPlot(Plotly, st, name, fig));
  }
  await Promise.all(jobs);
  layers.forEach((name) => drawLayerOf(st, name));
  settleDrag(st, true);
  showStatus(st, frame.status || ""); // with the plots it describes
  st.shownRev = frame.rev;
  st.cache = used; // what is on screen now
  st.root.lcPainted.push(frame.rev);
  if (st.root.lcPainted.length > 1000) st.root.lcPainted.splice(0, 500);
  markPainted(st, frame);
}

// For the browser tests and the benchmarks: count a frame once it is on screen (a task queued
// from the next animation frame runs after that frame's paint), and note when.
function markPainted(st, frame) {
  requestAnimationFrame(() =>
    setTimeout(() => {
      st.drawn += 1;
      const ds = st.root.dataset;
      ds.drawn = String(st.drawn);
      ds.shownRev = String(frame.rev);
      ds.paintedAt = performance.now().toFixed(1);
      ds.drawMs = (performance.now() - frame.receivedAt).toFixed(1);
    }, 0),
  );
}

function drawPlotlyPlot(Plotly, st, name, fig) {
  const div = st.divs[name];
  if (div.offsetParent === null && div.layout) {
    // Hidden (an inactive tab): draw it when it is shown, not on every frame.
    st.pending[name] = fig;
    watchVisible(Plotly, st, name);
    return null;
  }
  delete st.pending[name];
  const t0 = performance.now();
  return D.drawPlotly(Plotly, div, fig, name === st.data.clickable).then(() => {
    // For the benchmark: the time each plot's redraw takes, summed per plot.
    st.plotMs = st.plotMs || {};
    st.plotMs[name] = (st.plotMs[name] || 0) + performance.now() - t0;
    if (name === st.data.clickable && !st.bound[name]) {
      bindClicks(st, div);
      bindPointDrags(st, div);
    }
    bindLayers(st, name, div);
  });
}

function watchVisible(Plotly, st, name) {
  if (st.bound["visible-" + name]) return;
  st.bound["visible-" + name] = true;
  const o = new IntersectionObserver((entries) => {
    const fig = st.pending[name];
    if (fig && entries.some((e) => e.isIntersecting)) drawPlotlyPlot(Plotly, st, name, fig);
  });
  o.observe(st.divs[name]);
  st.observers.push(o);
}

// The status line wraps when it is longer than the page is wide (8 long class names, test points at
// 1280 px) and keeps the tallest height it has had in this view, so a frame whose line is a little
// shorter never moves the plots up under the pointer while Play runs.
function showStatus(st, text) {
  st.status.textContent = text;
  const h = st.status.offsetHeight;
  if (h > (st.statusHeight || 0)) {
    st.statusHeight = h;
    st.status.style.minHeight = h + "px";
  }
}

// A plot our own renderer draws: again whenever its box changes size (presenter mode, a resize).
function drawOwnPlot(st, name) {
  const div = st.divs[name];
  D.drawOwn(div, st.figs[name]);
  if (!st.bound["own-" + name]) {
    st.bound["own-" + name] = true;
    let size = [div.clientWidth, div.clientHeight];
    const o = new ResizeObserver(() => {
      const now = [div.clientWidth, div.clientHeight];
      if (now[0] === size[0] && now[1] === size[1]) return;
      size = now;
      D.drawOwn(div, st.figs[name]);
    });
    o.observe(div);
    bindRowDrags(st, div);
  }
}

function drawLayerOf(st, name) {
  D.drawLayer(st.divs[name], st.figs[name], st.divs[st.layerBase[name]], name);
}

// The base plot resized or zoomed: draw its layers again on its axes.
function bindLayers(st, name, div) {
  if (st.bound["layers-" + name]) return;
  st.bound["layers-" + name] = true;
  div.on("plotly_afterplot", () =>
    Object.keys(st.layerBase).filter((n) => st.layerBase[n] === name).forEach((n) => drawLayerOf(st, n)));
}

function bindClicks(st, div) {
  st.bound[st.data.clickable] = true;
  div.on("plotly_click", (ev) => {
    // From the click's own position, not Plotly's xvals: those come from the last hover, which
    // lags a quick click (and never happens on a touch screen).
    const e = ev && ev.event;
    const area = D.plotArea(div);
    if (!e || e.clientX === undefined || !area) return;
    const x = area.p2x(e.clientX - area.corner.left);
    const y = area.p2y(e.clientY - area.corner.top);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    // Data units per screen pixel on each axis: Python turns "within 10 px" into data units.
    const sent = send(st, "click", { x, y, px: area.dx, py: area.dy });
    if (D.previewMark(div, st.data.preview || {}, x, y, ev.points || [], sent.id)) {
      requestAnimationFrame(() => setTimeout(() => { st.root.dataset.previewAt = performance.now().toFixed(1); }, 0));
    }
  });
}

// Direct manipulation: a row's arrow tip (a handle our renderer draws on a shape named "row m")
// dragged to a new place sets w_m; the regions, bars and table follow when Python answers.
function bindRowDrags(st, div) {
  div.addEventListener("pointerdown", (e) => {
    const h = e.target.closest && e.target.closest(".lcf-handle");
    if (!h || e.button !== 0) return;
    e.preventDefault();
    h.setPointerCapture(e.pointerId);
    const svg = h.ownerSVGElement;
    const line = svg.querySelector(`.lcf-row[data-row="${h.dataset.row}"]`);
    const at = (ev) => {
      const box = svg.getBoundingClientRect();
      return [ev.clientX - box.left, ev.clientY - box.top];
    };
    const move = (ev) => {
      const [x, y] = at(ev);
      h.setAttribute("cx", x.toFixed(1));
      h.setAttribute("cy", y.toFixed(1));
      if (line) { line.setAttribute("x2", x.toFixed(1)); line.setAttribute("y2", y.toFixed(1)); }
    };
    const up = (ev) => {
      h.removeEventListener("pointermove", move);
      h.removeEventListener("pointerup", up);
      const [x, y] = at(ev);
      const w = [F.fromPixel(div, h.dataset.x, x), F.fromPixel(div, h.dataset.y, y)];
      if (w.every(Number.isFinite)) send(st, "row", { m: +h.dataset.row, w });
    };
    h.addEventListener("pointermove", move);
    h.addEventListener("pointerup", up);
  });
}

// ----- dragging a point (the Select tool) -----------------------------------------------------------
// Pressing on a point and moving it drags it: the point, its marks, the bars and the arrows follow
// the pointer at every animation frame (linclass-drag.js computes them from the numbers Python sent
// and patches the frame Python drew; the regions stay, as W and b do). Releasing sends one "move",
// which Undo reverts; Esc cancels. A press that does not move is a click (it selects the point).
const DRAG_SLOP_PX = 4;

function bindPointDrags(st, div) {
  div.addEventListener("pointerdown", (e) => {
    const t = st.data.toolbar;
    if (e.button !== 0 || !t || t.tool !== "select" || !st.drag || st.dragDone) return;
    if (Q.showsPlaying(st.data.playing, st.intent)) return;
    const area = D.plotArea(div);
    if (!area) return;
    const at = [area.p2x(e.clientX - area.corner.left), area.p2y(e.clientY - area.corner.top)];
    const j = G.pointAt(st.drag.basis, at[0], at[1], area.dx, area.dy);
    if (j === null) return; // Plotly's click: nothing there, or a test point to select
    e.preventDefault(); // no mouse events for Plotly: this press is ours
    e.stopPropagation();
    dragPoint(st, div, e, j, at, area);
  }, true);
}

function dragPoint(st, div, down, j, at, area) {
  const { basis, frame, parts } = st.drag;
  const base = { side: C.figure(parts, frame.figs.side), marks: C.figure(parts, frame.figs.marks) };
  const color = (st.data.toolbar.classes[basis.y[j]] || {}).color || "#444";
  let moved = false, raf = 0, last = down, where = basis.X[j], mark = null, restore = () => {}, shown = "";
  div.setPointerCapture(down.pointerId);
  const render = () => {
    raf = 0;
    const t0 = performance.now();
    const px = Math.min(Math.max(last.clientX - area.corner.left, area.left), area.left + area.width);
    const py = Math.min(Math.max(last.clientY - area.corner.top, area.top), area.top + area.height);
    where = [area.p2x(px), area.p2y(py)];
    const n = G.preview(basis, j, where);
    D.drawOwn(st.divs.side, G.patchSide(base.side, basis, j, where, n));
    if (st.divs.marks) D.drawLayer(st.divs.marks, G.patchMarks(base.marks, basis, j, where), div, "marks");
    const cell = div.parentElement.getBoundingClientRect();
    mark.style.left = `${area.corner.left - cell.left + px}px`;
    mark.style.top = `${area.corner.top - cell.top + py}px`;
    st.dragLog = [...(st.dragLog || []).slice(-299), performance.now() - t0]; // for the benchmark
    countDragFrame(st);
  };
  const move = (e) => {
    last = e;
    if (!moved && Math.hypot(e.clientX - down.clientX, e.clientY - down.clientY) < DRAG_SLOP_PX) return;
    if (!moved) {
      moved = true;
      mark = dragMark(div, color);
      restore = hidePoint(div, basis, j);
      shown = st.status.textContent;
      showStatus(st, frame.status || shown); // the moment the preview is: the next step's, as the bars say
    }
    if (!raf) raf = requestAnimationFrame(render);
  };
  const finish = () => {
    restore();
    if (mark) mark.remove();
    if (st.figs.side) D.drawOwn(st.divs.side, st.figs.side); // the frame on screen, as Python drew it
    if (st.figs.marks && st.divs.marks) drawLayerOf(st, "marks");
  };
  const stop = () => {
    div.removeEventListener("pointermove", move);
    div.removeEventListener("pointerup", up);
    div.removeEventListener("pointercancel", cancel);
    window.removeEventListener("keydown", esc, true);
    cancelAnimationFrame(raf);
  };
  const up = (e) => {
    stop();
    if (!moved) { // a click on the point: select it, as Plotly's click would
      const sent = send(st, "click", { x: at[0], y: at[1], px: area.dx, py: area.dy });
      const dot = [{ x: basis.X[j][0], y: basis.X[j][1], data: { mode: "markers" } }];
      D.previewMark(div, st.data.preview || {}, at[0], at[1], dot, sent.id);
      return;
    }
    last = e;
    render(); // where it was released
    const sent = send(st, "move", { i: j, x: where[0], y: where[1], from: basis.X[j] });
    st.dragDone = { id: sent.id, finish }; // the preview stays until Python's answer is painted
  };
  const cancel = () => {
    stop();
    if (!moved) return;
    finish();
    showStatus(st, shown); // nothing was sent: the moment on screen again
  };
  const esc = (e) => {
    if (e.key !== "Escape") return;
    e.preventDefault();
    e.stopPropagation();
    cancel();
  };
  div.addEventListener("pointermove", move);
  div.addEventListener("pointerup", up);
  div.addEventListener("pointercancel", cancel);
  window.addEventListener("keydown", esc, true);
}

// A released drag, once Python has answered its move: when Python's frame is painted (or at once if
// nothing new comes: the move was refused), the point and the plots are Python's again.
function settleDrag(st, painted) {
  const d = st.dragDone;
  if (!d || st.events.ackId < d.id || (!painted && st.queue.length)) return;
  st.dragDone = null;
  d.finish();
}

// For the tests and the benchmark: the drag's painted frames (a task queued from the next animation
// frame runs after that frame's paint).
function countDragFrame(st) {
  requestAnimationFrame(() => setTimeout(() => {
    const ds = st.root.dataset;
    ds.dragFrames = String(+(ds.dragFrames || 0) + 1);
    ds.dragPaintedAt = performance.now().toFixed(1);
  }, 0));
}

// The dragged point, laid over the plot in its class's colour (as a click's preview is).
function dragMark(div, color) {
  const m = el("div", "lc-drag");
  m.setAttribute("data-testid", "lc-drag");
  m.style.cssText = "position:absolute;border-radius:50%;transform:translate(-50%,-50%);pointer-events:none;" +
    `box-sizing:content-box;z-index:5;width:9px;height:9px;background:${color};border:1.2px solid white;`;
  div.parentElement.appendChild(m);
  return m;
}

// Plotly's own marker of point j hidden while it is dragged (its class's trace, its place among
// that class's points); returns what shows it again. Plotly's DOM, not its API: if the marker is
// not found, the point stays drawn where it was, under the dragged one's path.
function hidePoint(div, basis, j) {
  const k = basis.y.slice(0, j).filter((c) => c === basis.y[j]).length;
  const trace = div.querySelectorAll(".scatterlayer .trace")[basis.y[j]];
  const dot = trace && trace.querySelectorAll("path.point")[k];
  if (!dot) return () => {};
  dot.style.visibility = "hidden";
  return () => { dot.style.visibility = ""; };
}
