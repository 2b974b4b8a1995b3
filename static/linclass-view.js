// linclass: draws Plotly figures inside an st.components.v2 component, in place (Plotly.react),
// and sends the user's presses and clicks to Python as numbered events. plotly.js comes from the
// app's own static folder (no CDN).
//
// data (one JSON text, as bytes) = {
//   name, slots: [[plot, css height, (plot it is layered on)], ...], clickable: plot that reports clicks,
//   parts: [a trace or a layout entry as JSON text, or a patch as an object], keys: [a key per part:
//   a content hash for text, unique to the update for a patch],
//   frames: [{rev, status, figs: {plot: [{layout key: part}, [trace parts]]}}, ...],
//   ahead: a frame (rev + 0.5) that one Step press would show, painted the moment Step is pressed,
//   rev: the session's revision, playing, frameMs: Play's frame interval, chunk: frames per Play chunk,
//   ack: {epoch, id}: the last event Python has applied,
//   toolbar: {tool, active, classes: [{name, color}], canBack, canUndo, canRedo, canClear} or null,
//   preview: {mode, color}: what a click paints before Python answers
// }
//
// The protocol. Every press and click becomes an event {id, kind, ...} with an id that only grows
// (per page: an epoch); all events Python has not acknowledged travel together as the state
// "events", so a press made while Python is busy is never lost, and Python applies each id once.
// A frame is painted only if its rev is above the one on screen, so nothing older ever replaces
// something newer; at most one look-ahead frame is painted before Python answers. If Python's
// acknowledgement lags the events for RESYNC_MS, the events are sent again.

// The fast drawing module, at this module's version (its ?v= query names both files' content).
const { drawFast } = await import("./linclass-fast.js" + new URL(import.meta.url).search);

const PLOTLY_SRC = "app/static/plotly.min.js";
const CONFIG = { displayModeBar: false, responsive: true, doubleClick: false, showTips: false };
const RESYNC_MS = 1500;

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

function build(parentElement, data) {
  parentElement.querySelectorAll(".lc-root").forEach((n) => n.remove());
  const root = el("div", "lc-root");
  root.setAttribute("data-testid", "lc-view-" + (data.name || ""));
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
  // [name, height, base, mode]: a transparent layer stacked exactly on plot `base`. Mode "below" or
  // "above": an SVG layer (below or above the plot), drawn here on the base plot's axes.
  const svgBase = {};
  data.slots.filter((slot) => slot[2]).forEach(([name, , base, mode]) => {
    const d = el("div", "lc-plot lc-layer lc-" + name + (mode ? " lc-svg-" + mode : ""));
    d.setAttribute("data-testid", "lc-" + name);
    divs[base].parentElement.appendChild(d);
    divs[name] = d;
    if (mode) svgBase[name] = base;
  });
  return {
    root, bar, status, divs, svgBase, svgFig: {}, layoutKey: JSON.stringify(data.slots),
    queue: [], shown: {}, pending: {}, observers: {}, bound: {},
    drawn: 0, busy: false, paintedRev: -1, shownRev: -1,
    epoch: Date.now() + Math.random(), nextId: 1, events: [], ackId: 0, sentAt: 0,
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
  st.setState = setStateValue; // always the latest
  st.data = data;
  if (st.sid !== data.sid) newSession(st, data.sid);
  acknowledge(st, data.ack);
  renderToolbar(st);
  bindKeys(st);
  const parts = data.parts.map((p) => decode(typeof p === "string" ? JSON.parse(p) : p));
  const at = performance.now();
  // "fast": drawn as plain SVG where Plotly is too slow (data.fast): Play's frames, and the look-ahead,
  // which must be on screen at once; Python's answer to the Step is then drawn by Plotly.
  const frames = data.frames.map((f) => ({ ...f, parts, keys: data.keys, receivedAt: at, fast: !!data.playing }));
  st.ahead = data.ahead ? { ...data.ahead, parts, keys: data.keys, receivedAt: at, fast: true } : null;
  st.root.dataset.rev = String(data.rev);
  if (data.serverMs !== null && data.serverMs !== undefined) st.root.dataset.serverMs = String(data.serverMs);
  if (st.paused && data.playing) return () => release(st); // Pause pressed: Python has not heard yet
  if (!data.playing) st.paused = false;
  // Never go back: only frames newer than the newest painted or queued.
  const newest = Math.max(st.paintedRev, ...st.queue.map((f) => f.rev));
  const fresh = frames.filter((f) => f.rev > newest);
  if (data.playing) {
    st.queue.push(...fresh);
    st.moreAsked = false;
  } else if (fresh.length) {
    st.queue = fresh.slice(-1);
  }
  st.root.dataset.receivedAt = at.toFixed(1);
  pump(st);
  return () => release(st);
}

// Python answers from a session this page has not seen (its server restarted, or a replica died
// and the balancer sent the page to another): what was painted and pressed belongs to the old one.
function newSession(st, sid) {
  st.sid = sid;
  st.paintedRev = -1;
  st.queue = [];
  st.events = [];
  st.ackId = 0;
  st.epoch = Date.now() + Math.random();
  st.paused = false;
  clearTimeout(st.resyncTimer);
}

function release(st) {
  Object.values(st.observers).forEach((o) => o.disconnect());
  st.observers = {};
}

// ----- events: numbered, kept until Python acknowledges them ---------------------------------
function send(st, kind, extra) {
  const ev = { id: st.nextId++, kind, ...(extra || {}) };
  st.events.push(ev);
  flush(st);
  return ev;
}

function flush(st) {
  st.sentAt = performance.now();
  st.setState("events", { epoch: st.epoch, events: st.events.slice(), at: Date.now() });
  clearTimeout(st.resyncTimer);
  st.resyncTimer = setTimeout(() => {
    // Python has not acknowledged them yet (a rerun was superseded, a message lost): send again.
    if (st.events.length) {
      st.root.dataset.resyncs = String(+(st.root.dataset.resyncs || 0) + 1);
      flush(st);
    }
  }, RESYNC_MS);
}

function acknowledge(st, ack) {
  if (!ack || ack.epoch !== st.epoch) return;
  st.ackId = Math.max(st.ackId, ack.id);
  st.events = st.events.filter((e) => e.id > st.ackId);
  st.root.dataset.ack = String(st.ackId);
  // Click previews Python has answered: the plots now show the point themselves.
  st.root.parentElement.querySelectorAll(".lc-preview").forEach((m) => {
    if (+m.dataset.id <= st.ackId) m.remove();
  });
  if (!st.events.length) clearTimeout(st.resyncTimer);
}

const HELP = "Keys: Space step · P play/pause · ← step back · A / E / S add, erase, select · 1–8 class · " +
  "Ctrl+Z / Ctrl+Y undo, redo (not while typing in a field)";

function press(st, kind, extra) {
  const d = st.data;
  if (kind === "help") {
    st.helpOpen = !st.helpOpen;
    renderToolbar(st);
    return;
  }
  if (kind === "pause" || (kind === "play" && d.playing && !st.paused)) {
    // Freeze on the frame shown; Python rewinds to exactly that one.
    st.queue = [];
    st.paused = true;
    send(st, "pause", { rev: st.shownRev });
    renderToolbar(st);
    return;
  }
  const idle = st.events.length === 0; // nothing else on its way: the look-ahead still applies
  send(st, kind, extra);
  if (kind === "step" && (!extra || extra.n === 1) && idle && st.ahead && !d.playing && !st.paused) {
    st.queue = [{ ...st.ahead, urgent: true }]; // drawn at once, not at the next animation frame
    st.ahead = null; // at most one frame of look-ahead
    // Drawn now, as plain SVG (a few ms), before Streamlit's task that sends the press (it waits
    // for a timeout of 0): the frame is painted before the page gets busy with the rerun.
    pump(st);
  }
  if (kind === "play") {
    st.paused = false;
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
  const playing = st.data.playing && !st.paused;
  const tools = el("div", "lc-group");
  [["add", "Add", "A"], ["erase", "Erase", "E"], ["select", "Select", "S"]].forEach(([tool, label, key]) =>
    tools.appendChild(button(st, label, `${label} points with a click (${key})`, "tool", { tool },
      { pressed: t.tool === tool })));
  st.bar.appendChild(tools);
  if (t.tool === "add") {
    // Up to four classes share the first row; more get a row of their own, names cut to fit.
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
    st.bar.appendChild(classes);
  }
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
  edit.appendChild(button(st, "Presenter", "Presenter mode: larger text, no sidebar", "present", null,
    { pressed: !!t.present }));
  edit.appendChild(button(st, "?", HELP, "help", null, { pressed: st.helpOpen }));
  st.bar.appendChild(edit);
  if (st.helpOpen) st.bar.appendChild(el("div", "lc-help", HELP));
}

function bindKeys(st) {
  if (!st.data.toolbar) return; // only the view with the toolbar takes keys (not the curve below it)
  if (window.__linclassKeys) window.removeEventListener("keydown", window.__linclassKeys, true);
  window.__linclassKeys = (e) => {
    const a = document.activeElement;
    const typing = a && (a.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(a.tagName));
    if (typing || e.altKey || e.metaKey || !st.data.toolbar) return;
    const k = e.key;
    let act = null;
    if (e.ctrlKey) {
      if (k === "z" || k === "Z") act = ["undo"];
      else if (k === "y" || k === "Y") act = ["redo"];
    } else if (k === " ") act = ["step", { n: 1 }];
    else if (k === "p" || k === "P") act = ["play"];
    else if (k === "ArrowLeft") act = ["back"];
    else if ("aAeEsS".includes(k) && k.length === 1) act = ["tool", { tool: { a: "add", e: "erase", s: "select" }[k.toLowerCase()] }];
    else if (/^[1-8]$/.test(k) && +k <= st.data.toolbar.classes.length) act = ["class", { m: +k - 1 }];
    if (!act) return;
    e.preventDefault();
    press(st, ...act);
  };
  window.addEventListener("keydown", window.__linclassKeys, true);
}

// ----- drawing -----------------------------------------------------------------------------------
const nextAnimationFrame = () => new Promise((r) => requestAnimationFrame(r));

// Ask for the next Play chunk once no more than half a chunk is left to play.
function maybeMore(st) {
  const d = st.data;
  if (d.follow || !d.playing || st.paused || st.moreAsked || st.queue.length > (d.chunk || 6) / 2) return;
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
      if (st.data.playing) {
        // Each frame is due frameMs after the one before (not after its own paint, which lands
        // on the display's 16.7 ms grid): a frame late by one refresh is caught up on the next.
        const ms = st.data.frameMs || 50;
        if (now < (st.dueAt || 0) - 4) continue;
        st.dueAt = Math.max((st.dueAt || 0) + ms, now); // after a stall: from now, no burst
      }
      const frame = st.queue.shift();
      if (frame.rev <= st.paintedRev) continue;
      st.paintedRev = frame.rev;
      const started = performance.now();
      await drawFrame(Plotly, st, frame);
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

// A part is an index, or [base, patch]: the base part with what changed since (see Python's _delta).
const keyOf = (frame, i) => (Array.isArray(i) ? frame.keys[i[0]] + "+" + frame.keys[i[1]] : frame.keys[i]);
const plain = (o) => o !== null && typeof o === "object" && !Array.isArray(o) && !ArrayBuffer.isView(o);

function applyPatch(base, d) {
  if (!plain(d)) return d;
  if ("$set" in d) return d.$set;
  if ("$list" in d) return base.map((b, i) => (d.$list[i] === null ? b : applyPatch(b, d.$list[i])));
  const out = plain(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(d)) out[k] = applyPatch(out[k], v);
  return out;
}

async function drawFrame(Plotly, st, frame) {
  // A part identical to one on screen is handed to Plotly as the very same object, so
  // Plotly.react sees that trace (say, the points while training) unchanged and skips it.
  const cache = st.cache || new Map(); // text -> parsed object, for what is on screen
  const used = new Map();
  const part = (i) => {
    const key = keyOf(frame, i);
    const obj = used.get(key) || cache.get(key) || (Array.isArray(i)
      ? applyPatch(structuredClone(frame.parts[i[0]]), structuredClone(frame.parts[i[1]]))
      : structuredClone(frame.parts[i]));
    used.set(key, obj);
    return obj;
  };
  const svgJobs = [];
  const fastJobs = [];
  const jobs = Object.entries(frame.figs).map(([name, ref]) => {
    const div = st.divs[name];
    const [layoutRefs, traceRefs] = ref;
    const texts = [...Object.entries(layoutRefs).flat(), ...traceRefs].map((i) =>
      typeof i === "string" ? i : keyOf(frame, i),
    );
    const key = texts.join("/");
    if (!div) return null;
    if (st.shown[name] === key) {
      texts.forEach((t) => cache.has(t) && used.set(t, cache.get(t))); // unchanged: keep, don't redraw
      return null;
    }
    const layout = Object.fromEntries(Object.entries(layoutRefs).map(([k, i]) => [k, part(i)]));
    const fig = { layout, data: traceRefs.map(part) };
    if (st.svgBase[name]) {
      svgJobs.push([name, key, fig]); // drawn after the plots, on their axes
      return null;
    }
    if (frame.fast && (st.data.fast || []).includes(name)) {
      fastJobs.push([name, key, fig]); // plain SVG over the plot (linclass-fast.js)
      return null;
    }
    if (div.offsetParent === null && div._fullLayout) {
      // Hidden (an inactive tab): draw it when it is shown, not on every frame.
      st.pending[name] = [key, fig];
      watchVisible(Plotly, st, name);
      return null;
    }
    return draw(Plotly, st, name, key, fig).then(() => hideFast(st, name)); // Play's SVG gone once Plotly has drawn
  });
  await Promise.all(jobs);
  fastJobs.forEach(([name, key, fig]) => showFast(st, name, key, fig));
  svgJobs.forEach(([name, key, fig]) => {
    st.shown[name] = key;
    st.svgFig[name] = fig;
    drawSvg(Plotly, st, name);
  });
  st.status.textContent = frame.status || ""; // with the plots it describes
  st.shownRev = frame.rev;
  st.cache = used; // what is on screen now
  const rev = frame.rev;
  // For the browser tests and the benchmarks: count a frame once it is on screen (a task queued
  // from the next animation frame runs after that frame's paint), and note when.
  requestAnimationFrame(() =>
    setTimeout(() => {
      st.drawn += 1;
      const ds = st.root.dataset;
      ds.drawn = String(st.drawn);
      ds.shownRev = String(rev);
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
  const t0 = performance.now();
  return Plotly.react(div, fig.data, fig.layout, CONFIG).then(() => {
    // For the benchmark: the time each plot's redraw takes, summed per plot.
    st.plotMs = st.plotMs || {};
    st.plotMs[name] = (st.plotMs[name] || 0) + performance.now() - t0;
    if (name === st.data.clickable && !st.bound[name]) bindClicks(Plotly, div, st, name);
    if (!st.bound["drag-" + name]) bindRowDrags(div, st, name);
  });
}

// ----- Play's fast plots: plain SVG over a plot that Plotly would redraw too slowly ------------------
function showFast(st, name, key, fig) {
  const div = st.divs[name];
  st.fast = st.fast || {};
  let host = st.fast[name];
  if (!host) {
    host = st.fast[name] = el("div", "lc-fast");
    host.setAttribute("data-testid", "lc-fast-" + name);
    div.parentElement.appendChild(host);
  }
  host.style.display = "block";
  const fl = div._fullLayout;
  const m = (fig.layout && fig.layout.margin) || {};
  // Plotly's own axes beneath, when it laid out the same margins at the same size: exact placement.
  const same = fl && fl.width === host.clientWidth && fl.height === host.clientHeight &&
    ["l", "r", "t", "b"].every((k) => fl.margin && fl.margin[k] === m[k]);
  drawFast(host, fig, same ? fl : null);
  host.__fig = fig; // what is drawn, for the tests
  st.shown[name] = "fast:" + key; // Plotly's plot beneath shows an older frame: redraw it when Play stops
}

function hideFast(st, name) {
  const host = st.fast && st.fast[name];
  if (host) host.style.display = "none";
}

// ----- SVG layers: regions, shading and marks, drawn without Plotly on the base plot's axes ------
// A Plotly redraw of the regions and of the ring costs tens of milliseconds a frame; these few
// polygons and circles cost well under one as SVG. The figures are the same Plotly traces
// (scatter with fill "toself", open-marker scatter, a heatmap veil), so Python draws them alike.
const SVG_NS = "http://www.w3.org/2000/svg";

function drawSvg(Plotly, st, name) {
  const fig = st.svgFig[name];
  const base = st.divs[st.svgBase[name]];
  const fl = base && base._fullLayout;
  const div = st.divs[name];
  if (!fig || !fl || !fl.xaxis || !fl.xaxis._length) return;
  if (!base.__lcSvgHook) {
    base.__lcSvgHook = true; // the base plot resized or zoomed: draw the layers again on its axes
    base.on("plotly_afterplot", () => Object.keys(st.svgBase).forEach((n) => drawSvg(Plotly, st, n)));
  }
  const xa = fl.xaxis;
  const ya = fl.yaxis;
  const X = (v) => (xa._offset + xa.d2p(v)).toFixed(1);
  const Y = (v) => (ya._offset + ya.d2p(v)).toFixed(1);
  let svg = div.querySelector("svg");
  if (!svg) {
    svg = document.createElementNS(SVG_NS, "svg");
    div.appendChild(svg);
  }
  svg.setAttribute("width", fl.width);
  svg.setAttribute("height", fl.height);
  const clip = `<clipPath id="lc-clip-${name}"><rect x="${xa._offset}" y="${ya._offset}" width="${xa._length}" ` +
    `height="${ya._length}"/></clipPath>`;
  const out = fig.data.map((t) => svgTrace(t, X, Y, xa, ya)).join("");
  svg.innerHTML = `<defs>${clip}</defs><g clip-path="url(#lc-clip-${name})">${out}</g>`;
  div.data = fig.data; // what is drawn, for the tests (as Plotly keeps it on its plots)
  div.layout = fig.layout;
}

function svgTrace(t, X, Y, xa, ya) {
  if (t.visible === false) return "";
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
  if (t.mode === "lines") {
    // Segments separated by null; a dashed line for "dash".
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
  const m = t.marker || {};
  const w = (m.line && m.line.width) || 1;
  const r = (m.size || 6) / 2;
  if (m.symbol === "arrow") {
    // A head turned by angle (degrees, clockwise from up), as Plotly's "arrow" marker.
    return xs.map((x, i) => {
      const a = (((Array.isArray(m.angle) ? m.angle[i] : m.angle) || 0) * Math.PI) / 180;
      const cx = +X(x);
      const cy = +Y(ys[i]);
      const pt = (u, v) => `${(cx + u * Math.cos(a) - v * Math.sin(a)).toFixed(1)},${(cy + u * Math.sin(a) + v * Math.cos(a)).toFixed(1)}`;
      return `<polygon points="${pt(0, -r)} ${pt(r * 0.8, r * 0.6)} ${pt(-r * 0.8, r * 0.6)}" fill="${m.color || "#111"}"/>`;
    }).join("");
  }
  return xs.map((x, i) => (m.symbol === "square-open"
    ? `<rect x="${(+X(x) - r).toFixed(1)}" y="${(+Y(ys[i]) - r).toFixed(1)}" width="${2 * r}" height="${2 * r}" `
    : `<circle cx="${X(x)}" cy="${Y(ys[i])}" r="${r}" `) +
    `fill="none" stroke="${m.color || "#111"}" stroke-width="${w}"/>`).join("");
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
    const sent = send(st, "click", { x, y, px, py });
    preview(Plotly, div, st, name, x, y, ev.points || [], sent.id);
  });
}

// Direct manipulation: a row's arrow (a shape named "row m", editable) dragged to a new tip sets
// w_m; the regions, bars and table follow when Python answers. A drag is undone by Step back.
function bindRowDrags(div, st, name) {
  st.bound["drag-" + name] = true;
  const report = (ev) => {
    const shapes = (div.layout && div.layout.shapes) || [];
    const moved = new Map();
    Object.entries(ev || {}).forEach(([k, v]) => {
      const m = /^shapes\[(\d+)\]\.(x1|y1)$/.exec(k);
      if (m) moved.set(+m[1], { ...(moved.get(+m[1]) || {}), [m[2]]: v });
      const whole = /^shapes\[(\d+)\]$/.exec(k); // some edits report the whole shape
      if (whole && v && typeof v === "object") moved.set(+whole[1], { x1: v.x1, y1: v.y1 });
    });
    moved.forEach((xy, i) => {
      const row = /^row (\d+)$/.exec((shapes[i] && shapes[i].name) || "");
      if (!row) return;
      const s = shapes[i];
      send(st, "row", { m: +row[1], w: [xy.x1 ?? s.x1, xy.y1 ?? s.y1] });
    });
  };
  div.on("plotly_relayout", report);
}

// Paint what the click will do before Python answers: a marker laid over the plot (not a Plotly
// trace: adding one would redraw every point, slow with thousands). Python's frame removes it.
function preview(Plotly, div, st, name, x, y, points, id) {
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
  mark.dataset.id = String(id);
  mark.style.cssText = "position:absolute;border-radius:50%;transform:translate(-50%,-50%);pointer-events:none;" +
    `box-sizing:content-box;z-index:5;left:${box.left - cell.left + xa.d2p(at[0])}px;` +
    `top:${box.top - cell.top + ya.d2p(at[1])}px;${css}`;
  div.parentElement.appendChild(mark);
  requestAnimationFrame(() => setTimeout(() => { st.root.dataset.previewAt = performance.now().toFixed(1); }, 0));
}
