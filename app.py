"""linclass explorer: click points onto the plane, step gradient descent, watch it learn.

Streamlit only: layout, widgets, session state and callbacks. Every number comes from the
``linclass`` core (one immutable ``Explorer`` value in the session, replaced by each action);
every figure from ``linclass.figures``.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

import numpy as np
import streamlit as st

import linclass
from linclass import Explorer, NonFiniteError, Optimizer
from linclass.ui import figures
from linclass.session.explorer import DEFAULT_NAMES, MAX_CLASSES
from linclass.ui.panels import gradient_check_panel, math_panel, plain, weights_table
from linclass.ui.plotly_view import ensure_static_files, event_value, plotly_view
from linclass.session.view import View, make_view

st.set_page_config(page_title="linclass: softmax gradient descent", page_icon="📈", layout="wide")
try:
    ensure_static_files(Path(__file__).parent)
except OSError as err:
    st.error(f"Cannot write the app's static files next to app.py ({err}); the plots need them. "
             "Run the app from a folder you can write to.")  # fmt: skip
    st.stop()

LRS = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]
REGS = [0.0, 1e-4, 1e-3, 0.01, 0.03, 0.1, 0.3, 1.0]
MODES = {"sample": "single sample (the seed's Lᵢ)", "minibatch": "mini-batch", "batch": "full batch"}
ORDERS = {"click": "chosen by click", "cyclic": "cyclic", "shuffle": "shuffled (seeded)"}
CLICK_MODES = {"add": "Add", "erase": "Erase", "select": "Select"}
PRESETS = {"blobs": "Gaussian blobs", "cs231n": "CS231n demo (3 classes)", "xor": "XOR", "circles": "circles",
           "spiral": "spiral", "moons": "two moons"}  # fmt: skip
PLANE_KEY = "plane"
# Play sends frames in chunks: a Streamlit round trip takes 150-400 ms here while the browser is
# drawing, far longer than a frame should, so each round trip brings FRAMES_PER_CHUNK frames that
# the browser plays FRAME_MS apart (6 frames of 300 points stay under 64 KiB a message).
FRAMES_PER_CHUNK = 6
FRAME_MS = 40

ss = st.session_state

# ----- session state, initialised once -------------------------------------------------------
DEFAULTS = dict(
    n_classes=3, bias=True, init="zeros", init_seed=0, mode="sample", order="cyclic", batch_order="cyclic",
    order_seed=0,
    batch_size=16, lr=0.1, reg=0.0, per_frame=1, shading=False, click_mode="add", active=0,
    preset="blobs", preset_n=60, preset_seed=0, playing=False, frame=0, flash=[], upload_nonce=0, chunk=[],
    click_ack={}, recent=[],
)  # fmt: skip
for k, v in DEFAULTS.items():
    ss.setdefault(k, copy.copy(v))  # no list or dict shared between sessions


def _start_explorer() -> Explorer:
    """The first state: a preset, by default 60 blobs in 3 classes; ?preset=&n=&k=&seed= choose another."""
    q = st.query_params
    name = q.get("preset", "blobs")
    try:
        n = min(max(int(q.get("n", 9 if name == "cs231n" else 60)), 0), 5000)
        k = min(max(int(q.get("k", 3)), 1), MAX_CLASSES)
        seed = min(max(int(q.get("seed", 0)), 0), 2**31 - 1)
    except ValueError:
        name, n, k, seed = "blobs", 60, 3, 0
    if name not in linclass.PRESETS:
        name = "blobs"
    ss.preset, ss.preset_n, ss.preset_seed = name, max(n, 1), seed
    return Explorer.from_preset(name, n, k, seed=seed)


if "ex" not in ss:
    ss.ex = _start_explorer()
    ss.n_classes = ss.ex.n_classes
    for m, name in enumerate(ss.ex.names):
        ss[f"name_{m}"] = name


def flash(kind: str, text: str) -> None:
    """A message shown once, at the top of the main view ("error", "warning", "info", "success")."""
    ss.flash = [*ss.flash, (kind, text)]


def order_name() -> str:
    """The sample order in force: "click", "cyclic" or "shuffle" (batches have no "click")."""
    return ss.order if ss.mode == "sample" else ss.batch_order


def optimizer() -> Optimizer:
    order = "cyclic" if order_name() == "click" else order_name()
    return Optimizer(mode=ss.mode, lr=float(ss.lr), reg=float(ss.reg), batch_size=int(ss.batch_size),
                     order=order, seed=int(ss.order_seed))  # fmt: skip


def by_click() -> bool:
    return ss.mode == "sample" and ss.order == "click"


def sync_widgets(ex: Explorer) -> None:
    """After the explorer is replaced wholesale (preset, upload, undo), make the widgets agree."""
    ss.n_classes = ex.n_classes
    for m, name in enumerate(ex.names):
        ss[f"name_{m}"] = name
    ss.bias = ex.state.has_bias
    ss.active = min(ss.active, ex.n_classes - 1)


def settings() -> dict:
    keys = (
        "mode",
        "order",
        "batch_order",
        "order_seed",
        "batch_size",
        "lr",
        "reg",
        "init",
        "init_seed",
        "per_frame",
        "shading",
    )
    return {k: ss[k] for k in keys}


def apply_settings(s: dict) -> None:
    """Take the settings of a loaded state file, each only if it is a valid value."""
    valid = dict(
        mode=MODES,
        order=ORDERS,
        batch_order=("cyclic", "shuffle"),
        init=("zeros", "random"),
        lr=LRS,
        reg=REGS,
        shading=(True, False),
    )
    for k, v in s.items():
        if k in valid and v in valid[k]:
            ss[k] = v
        elif k in ("order_seed", "init_seed") and isinstance(v, int) and 0 <= v < 2**31:
            ss[k] = v
        elif k == "batch_size" and isinstance(v, int) and 1 <= v <= 1024:
            ss[k] = v
        elif k == "per_frame" and isinstance(v, int) and 1 <= v <= 50:
            ss[k] = v


# ----- callbacks: each calls the core and stores the new Explorer ----------------------------
def do_steps(n: int) -> bool:
    ex: Explorer = ss.ex
    if ex.n_points == 0:
        flash("info", "There are no points yet: click on the plane to add some, or load a preset.")
        return False
    opt = optimizer()
    try:
        ss.ex = ex.step_selected(opt, n) if by_click() else ex.step(opt, n)
        return True
    except NonFiniteError as err:
        ss.ex = ex.after_partial(err)
        done = getattr(err, "steps_done", 0)
        extra = f" after {done} good step{'s' * (done != 1)}" if done else ""
        flash("warning", f"Step refused{extra}: with γ = {opt.lr:g} the weights would overflow to infinity. "
                         "Lower the learning rate γ. Nothing else changed.")  # fmt: skip
        return False


def on_step(n: int) -> None:
    ss.playing = False
    do_steps(n)


def on_play(play: bool) -> None:
    """The Play/Pause button: ``play`` is what the button said when it was pressed."""
    if not play:
        ss.playing = False
        rewind_to_shown()
    elif ss.ex.n_points == 0:
        flash("info", "There are no points to train on yet: click on the plane to add some.")
    else:
        ss.playing = True
        ss.frame += 1


def rewind_to_shown() -> None:
    """Play computes a chunk or two ahead of the screen. On Pause the browser notes the step on
    screen; rewind to it, so that what is shown and what the numbers describe agree."""
    shown = event_value(PLANE_KEY, "shown")
    step = shown.get("step") if isinstance(shown, dict) else None
    if not isinstance(step, int):
        return
    for ex in reversed(ss.recent):
        if ex.state.step == step:
            ss.ex = ex  # the very state drawn: weights, current sample, last step's arrows
            return


def on_tick() -> None:
    """Play: compute the next chunk of frames (each ``per_frame`` steps) for the browser to play."""
    if not ss.playing:
        return
    chunk = []
    for _ in range(FRAMES_PER_CHUNK):
        if not do_steps(int(ss.per_frame)):
            ss.playing = False
            break
        chunk.append(ss.ex)
    ss.chunk = chunk
    ss.recent = [*ss.recent, *chunk][-3 * FRAMES_PER_CHUNK :]  # what the browser may be showing
    ss.frame += 1


def on_step_back() -> None:
    ss.playing = False
    try:
        ss.ex = ss.ex.stepped_back()
    except ValueError:
        flash("info", "Nothing to step back to.")


def on_plane_click() -> None:
    """Apply the clicks the browser reports that have not been applied yet, oldest first."""
    ev = event_value(PLANE_KEY, "click")
    if not isinstance(ev, dict) or not isinstance(ev.get("clicks"), list):
        return
    epoch, done = ss.click_ack.get("epoch"), ss.click_ack.get("n", 0)
    if ev.get("epoch") != epoch:
        epoch, done = ev.get("epoch"), 0  # a new page or a remounted plot counts afresh
    for click in ev["clicks"]:
        try:
            n = int(click["n"])
            x, y, px, py = (float(click[k]) for k in ("x", "y", "px", "py"))
        except (KeyError, TypeError, ValueError):
            continue
        if n <= done:
            continue
        done = n
        apply_click(x, y, px, py)
    ss.click_ack = {"epoch": epoch, "n": done}


def apply_click(x: float, y: float, px: float, py: float) -> None:
    ex: Explorer = ss.ex
    mode = ss.click_mode
    try:
        if mode == "add":
            ss.ex = ex.add_point(x, y, int(ss.active))
        else:
            i = ex.nearest(x, y, px, py, radius_px=10)
            if i is not None:
                ss.ex = ex.erase_point(i) if mode == "erase" else ex.select(i)
    except ValueError as err:
        flash("error", f"Could not {mode} a point there: {plain(err)}.")


def on_undo() -> None:
    ss.ex = ss.ex.undo()
    sync_widgets(ss.ex)


def on_redo() -> None:
    ss.ex = ss.ex.redo()
    sync_widgets(ss.ex)


def on_clear() -> None:
    ss.playing = False
    ss.ex = ss.ex.clear()
    flash("info", "All points cleared. Undo brings them back.")


def on_n_classes() -> None:
    ss.playing = False
    k = int(ss.n_classes)
    lost = int(np.sum(ss.ex.y >= k))
    ss.ex = ss.ex.with_classes(k)
    sync_widgets(ss.ex)
    if lost:
        flash("info", f"Removed {lost} point{'s' * (lost != 1)} of the dropped classes. Undo brings them back.")


def on_rename(m: int) -> None:
    ss.ex = ss.ex.renamed(m, ss[f"name_{m}"])
    ss[f"name_{m}"] = ss.ex.names[m]


def on_preset() -> None:
    ss.playing = False
    name = ss.preset
    k = int(ss.n_classes) if linclass.PRESETS[name][1] else linclass.PRESETS[name][2]
    X, y, k = linclass.make_dataset(name, int(ss.preset_n), k, int(ss.preset_seed))
    names = [ss.ex.names[m] if m < ss.ex.n_classes else DEFAULT_NAMES[m] for m in range(k)]
    ss.ex = ss.ex.with_points(X, y, names).reset_weights(init=ss.init, seed=int(ss.init_seed))
    sync_widgets(ss.ex)


def on_bias() -> None:
    ss.playing = False
    ss.ex = ss.ex.reset_weights(bias=bool(ss.bias), init=ss.init, seed=int(ss.init_seed))


def on_reset_weights() -> None:
    ss.playing = False
    ss.ex = ss.ex.reset_weights(init=ss.init, seed=int(ss.init_seed))


def _uploaded(key: str):
    f = ss.get(key)
    ss.upload_nonce += 1  # a fresh uploader next run: the same file can be loaded again
    return None if f is None else f.getvalue()


def on_upload_csv(key: str) -> None:
    data = _uploaded(key)
    if data is None:
        return
    ex: Explorer = ss.ex
    try:
        X, y, names = linclass.read_csv(data)
    except linclass.CSVError as err:
        flash("error", f"That CSV was not loaded, your points are unchanged. {plain(err)}")
        return
    if (
        isinstance(names[0], str)
        and names[0].startswith("class ")
        and names == [f"class {m}" for m in range(len(names))]
    ):
        k = max(len(names), ex.n_classes)  # integer labels: keep the current names
        names = [ex.names[m] if m < ex.n_classes else DEFAULT_NAMES[m % MAX_CLASSES] for m in range(k)]
    if len(names) > MAX_CLASSES:
        flash(
            "error",
            f"That CSV was not loaded: it has {len(names)} classes, the explorer shows at most {MAX_CLASSES}.",
        )
        return
    ss.playing = False
    ss.ex = ex.with_points(X, y, names).reset_weights(init=ss.init, seed=int(ss.init_seed))
    sync_widgets(ss.ex)
    flash("success", f"Loaded {len(y)} points in {len(names)} classes.")


def on_upload_state(key: str) -> None:
    data = _uploaded(key)
    if data is None:
        return
    try:
        ex, s = Explorer.from_json(data)
    except linclass.StateFileError as err:
        flash("error", f"That state file was not loaded, nothing changed. {plain(err)}")
        return
    ss.playing = False
    ss.ex = ex
    apply_settings(s)
    sync_widgets(ex)
    flash(
        "success",
        f"Loaded a saved state: {ex.n_points} points, {ex.n_classes} classes, step {ex.state.step}.",
    )


def on_edit_weights(key: str) -> None:
    edits = (ss.get(key) or {}).get("edited_rows", {})
    columns = {"w₁": "w1", "w₂": "w2", "b": "b"}
    try:
        ss.ex = ss.ex.with_weight_edits({r: {columns[c]: v for c, v in ch.items()} for r, ch in edits.items()})
        ss.playing = False
    except ValueError as err:
        flash("error", f"The weights are unchanged: {plain(err)}.")


# ----- sidebar: settings ---------------------------------------------------------------------
def sidebar() -> None:
    sb = st.sidebar
    sb.markdown("### linclass")
    sb.caption("Gradient descent on a linear softmax classifier, one step at a time.")

    with sb.expander("Classes", expanded=True):
        st.number_input("Number of classes", 1, MAX_CLASSES, key="n_classes", on_change=on_n_classes)
        cols = st.columns(2)
        for m in range(ss.ex.n_classes):
            cols[m % 2].text_input(f"Name of class {m + 1}", key=f"name_{m}", on_change=on_rename, args=(m,),
                                   max_chars=40)  # fmt: skip

    with sb.expander("Points"):
        st.selectbox("Preset", list(PRESETS), format_func=PRESETS.get, key="preset")
        c1, c2 = st.columns(2)
        c1.number_input("Points", 1, 5000, step=10, key="preset_n")
        c2.number_input("Seed", 0, 2**31 - 1, key="preset_seed")
        st.button("Load preset", on_click=on_preset, width="stretch")
        key = f"csv_{ss.upload_nonce}"
        st.file_uploader("Upload points (CSV: x,y,label)", type=["csv", "txt"], key=key,
                         on_change=on_upload_csv, args=(key,))  # fmt: skip
        st.download_button("Download points (CSV)", data=lambda: linclass.write_csv(ss.ex.X, ss.ex.y, ss.ex.names),
                           file_name="linclass-points.csv", mime="text/csv", on_click="ignore",
                           width="stretch")  # fmt: skip

    with sb.expander("Model"):
        st.toggle("Bias b (off: the seed's f = W x)", key="bias", on_change=on_bias,
                  help="Switching it starts the weights afresh.")  # fmt: skip
        st.radio("Initial weights", ["zeros", "random"], key="init", horizontal=True)
        st.number_input("Initialisation seed", 0, 2**31 - 1, key="init_seed")
        st.button("Reset weights", on_click=on_reset_weights, width="stretch", key="btn_reset",
                  help="W and b back to their initial values; the step count restarts")  # fmt: skip

    with sb.expander("Optimiser", expanded=True):
        st.radio("Step on", list(MODES), format_func=MODES.get, key="mode")
        if ss.mode == "sample":
            st.radio("Sample order", list(ORDERS), format_func=ORDERS.get, key="order")
        elif ss.mode == "minibatch":
            st.radio("Batch order", ["cyclic", "shuffle"], format_func=ORDERS.get, key="batch_order")
            st.number_input("Batch size B", 1, 1024, key="batch_size")
        if order_name() == "shuffle":
            st.number_input("Shuffle seed", 0, 2**31 - 1, key="order_seed")
        st.select_slider("Learning rate γ", LRS, key="lr", format_func=lambda v: f"{v:g}")
        st.select_slider("L2 strength λ", REGS, key="reg", format_func=lambda v: f"{v:g}")
        st.slider("Steps per Play frame", 1, 50, key="per_frame")
        st.checkbox("Confidence shading", key="shading", help="Veils the plane where max p is low.")

    with sb.expander("Save and load"):
        key = f"state_{ss.upload_nonce}"
        st.file_uploader("Load a saved state (JSON)", type=["json"], key=key, on_change=on_upload_state, args=(key,))
        st.download_button("Save the whole state (JSON)", data=lambda: ss.ex.to_json(settings()),
                           file_name="linclass-state.json", mime="application/json", on_click="ignore",
                           width="stretch")  # fmt: skip


# ----- main view: a fragment, so clicks, steps and Play frames rerun only this part -------------
def status_line(ex: Explorer) -> str:
    s = ex.state
    loss = "–" if s.loss is None else f"{s.loss:.4f}"
    acc = "–" if s.accuracy is None else f"{100 * s.accuracy:.1f}%"
    cur = ex.current
    sample = "" if cur is None else f"   ·   current sample #{cur} ({ex.names[ex.y[cur]]})"
    return f"step {s.step}   ·   loss {loss}   ·   accuracy {acc}   ·   {ex.n_points} points{sample}"


@st.fragment
def main_view() -> None:
    started = time.perf_counter()  # the benchmark reads the script time off the page
    if ss.get("click_mode") is None:
        ss.click_mode = "add"
    if ss.ex.n_classes and (ss.get("active") is None or ss.active >= ss.ex.n_classes):
        ss.active = 0
    ex: Explorer = ss.ex
    bar = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    bar.segmented_control("Click to", list(CLICK_MODES), format_func=CLICK_MODES.get, key="click_mode",
                          label_visibility="collapsed")  # fmt: skip
    if ss.click_mode == "add":
        bar.segmented_control("Class", list(range(ex.n_classes)), key="active", label_visibility="collapsed",
                              format_func=lambda m: f"● {plain(ex.names[m])}")  # fmt: skip
    bar.button("Step", type="primary", on_click=on_step, args=(1,), key="btn_step")
    bar.button("×10", on_click=on_step, args=(10,), key="btn_10")
    bar.button("×100", on_click=on_step, args=(100,), key="btn_100")
    if ss.playing:
        bar.button("Pause", icon=":material/pause:", on_click=on_play, args=(False,), key="btn_play")
    else:
        bar.button("Play", icon=":material/play_arrow:", on_click=on_play, args=(True,), key="btn_play")
    bar.button("", icon=":material/skip_previous:", on_click=on_step_back, key="btn_back",
               disabled=not ex.state.history, help="Step back: undo the last step")  # fmt: skip
    bar.button("", icon=":material/undo:", on_click=on_undo, key="btn_undo", disabled=not ex.undo_stack,
               help="Undo the last point edit")  # fmt: skip
    bar.button("", icon=":material/redo:", on_click=on_redo, key="btn_redo", disabled=not ex.redo_stack,
               help="Redo the point edit")  # fmt: skip
    bar.button("", icon=":material/delete_sweep:", on_click=on_clear, key="btn_clear", disabled=ex.n_points == 0,
               help="Clear all points (undoable)")  # fmt: skip

    for kind, text in ss.flash:
        getattr(st, kind)(text)
    ss.flash = []
    if ex.n_points == 0:
        st.info("No points yet. Pick a class and click anywhere on the plane to add points, or load a preset.")

    opt = optimizer()
    shown = ss.chunk if (ss.playing and ss.chunk) else [ex]
    ahead = None if ss.playing else next_state(ex, opt)
    if ahead is not None:
        shown = [*shown, ahead]  # painted the moment Step is pressed, before Python computes it again
    views = [make_view(e, opt, by_click=by_click(), shading=bool(ss.shading)) for e in shown]
    frames = [(view_figures(e, v), status_line(e), e.state.step) for e, v in zip(shown, views, strict=True)]
    preview = {"mode": ss.click_mode}
    if ss.click_mode == "add":
        preview["color"] = figures.class_color(int(ss.active))
    plotly_view(
        frames, [("plane", "540px"), ("points", "540px", "plane"), ("side", "540px")],
        key=PLANE_KEY, clickable="points", playing=ss.playing, seq=ss.frame, frame_ms=FRAME_MS, preview=preview,
        on_click=on_plane_click, on_tick=on_tick,
        server_ms=(time.perf_counter() - started) * 1e3, pause_on=".st-key-btn_play" if ss.playing else None,
        next_on=".st-key-btn_step" if ahead is not None else None, click_ack=ss.click_ack,
    )  # fmt: skip
    panels(ex, opt, views[shown.index(ex)] if ex in shown else make_view(ex, opt, by_click=by_click()))


def next_state(ex: Explorer, opt: Optimizer) -> Explorer | None:
    """The explorer one Step from here (as ``on_step`` would make it), or None if Step would not step."""
    if ex.n_points == 0:
        return None
    try:
        return ex.step_selected(opt, 1) if by_click() else ex.step(opt, 1)
    except (NonFiniteError, ValueError):
        return None


def view_figures(ex: Explorer, v: View) -> dict:
    p = v.p if v.p is not None else np.full(ex.n_classes, 1 / ex.n_classes)
    y_true = None if v.current is None else int(ex.y[v.current])
    title = "p for the current sample" + ("" if v.current is not None else " (no points)")
    # The plane comes in two stacked layers, so Play redraws the regions without the points.
    plane, points = figures.plane_layers(ex.X, ex.y, v.polygons, v.bounds, ex.names, v.current, v.shading)
    bars = figures.probs_figure(p, y_true, ex.names, v.p_before, title=title)
    arrows = figures.weights_figure(v.rows, v.update, ex.names, x=v.update_x, note=v.update_note,
                                    title=f"rows w_m → update of the {v.update_label}")  # fmt: skip
    # Bars and arrows as one figure: one redraw per Play frame instead of two.
    return {"plane": plane, "points": points, "side": figures.stack(bars, arrows)}


def panels(ex: Explorer, opt: Optimizer, v: View) -> None:
    # Lazy tabs: only the open tab's content runs, so a click or a step redraws one panel.
    t_curve, t_math, t_w, t_check = st.tabs(
        ["Loss & accuracy", "The math", "Weights W, b", "Gradient check"], key="panel", on_change="rerun"
    )
    if t_curve.open:
        with t_curve:
            # While playing, the curve follows every 4th chunk: the frames above come first.
            if not ss.playing or ss.frame % 4 == 0 or "curve_fig" not in ss:
                ss.curve_fig = figures.curve_figure(*ex.state.curve())
            plotly_view([({"curve": ss.curve_fig}, "", None)], [("curve", "260px")], key="curve")
    if ss.playing:
        for tab in (t_math, t_w, t_check):
            if tab.open:
                tab.caption("Playing: this panel updates when you pause.")
        return
    if t_math.open:
        with t_math:
            math_panel(ex, v)
    if t_w.open:
        with t_w:
            weights_table(ex, on_edit_weights, ss.playing)
    if t_check.open:
        with t_check:
            gradient_check_panel(ex, opt)


st.html(
    "<style>[data-testid='stMainBlockContainer']{padding:1rem 1.5rem 1rem 1.5rem}"
    "[data-testid='stSidebarUserContent']{padding-top:0.5rem}"
    "[data-testid='stMainBlockContainer'] button[kind^='secondary'],"
    "[data-testid='stMainBlockContainer'] button[kind^='primary']{padding:0.25rem 0.7rem;min-height:2.25rem}"
    "</style>"
)
sidebar()
main_view()
