"""linclass explorer: click points onto the plane, step gradient descent, watch it learn.

The page that ``streamlit run app.py`` (a checkout) and ``linclass serve`` (an installed package:
``linclass/ui/app.py``) both run: each script is ``main()`` of this module. Wiring only: Streamlit
widgets and callbacks onto the session model (``linclass.session``), whose one value in
``st.session_state.session`` every panel draws from. Each callback goes through
``safely``, so an action either succeeds or leaves the session as it was, with a message.
"""

from __future__ import annotations

import os
import time

import streamlit as st

from linclass.core.features import FEATURES
from linclass.session import settings as cfg
from linclass.session.boundary import as_sentence
from linclass.session.drag import drag_basis
from linclass.session.lesson import LESSONS_ENV, LessonError, parse_lesson, read_lesson_file, uploaded_name
from linclass.session.session import PLAY_CHUNK, Session, preset_start, safely
from linclass.session.view import make_view
from linclass.ui import figures, words
from linclass.ui.landscape_simplex_panels import landscape_panel, simplex_panel
from linclass.ui.panels import (
    curve_panel,
    gradient_check_panel,
    math_panel,
    messages,
    plain,
    samples_panel,
    weights_panel,
)
from linclass.ui.plotly_view import PLAY_FRAME_MS, NonFiniteError, event_value, plotly_view, static_files_problem
from linclass.ui.process import freeze_startup_objects

PLANE_KEY = "plane"
ss = st.session_state
PAGE_CSS = (
    "<style>[data-testid='stMainBlockContainer']{padding:3.4rem 1.5rem 1rem 1.5rem}"
    "[data-testid='stSidebarUserContent']{padding-top:0.5rem}</style>"
)


def main() -> None:
    """One run of the page (Streamlit reruns it on every interaction)."""
    freeze_startup_objects()  # once per process: full garbage collections skip the imported modules
    st.set_page_config(page_title="linclass: softmax gradient descent", page_icon="📈", layout="wide")
    problem = static_files_problem()
    if problem:
        st.error(problem)
        st.stop()
    if "session" not in ss:
        shelf = lesson_shelf()
        link = st.query_params
        ss.session = Session.start({k: link.get_all(k) for k in link}, lessons=shelf.lessons)
        for problem in shelf.problems:
            ss.session = ss.session.say("error", problem)
        ss.upload_nonce = 0
    st.html(PAGE_CSS)
    sidebar(ss.session)
    ss.pop("_moved", None)
    ss._sidebar_settings = (ss.session.settings, ss.session.explorer.names)
    main_view()


# ----- the sidebar's widgets and the browser's stale values ---------------------------------------
# A press that changes settings (a scene, the Presenter button, a preset, Select switching the order)
# redraws the sidebar, but a press the browser sends before that redraw reaches it carries the
# widgets' old values, which Streamlit takes for changes (the review: a Space 50 ms after PageDown put
# back the last scene's λ). So each widget's value is noted as it is drawn; a value that is the one it
# had before a change the user did not make with it, sent within STALE_S of that change, is the
# browser's old copy and changes nothing. Any other value is the user's, also on a widget drawn
# before the redraw (the reviews: renewing the widgets' keys instead dropped such clicks).
STALE_S = 5.0  # a redrawn sidebar reaches the browser well within this, even on a loaded machine


def drawn(key: str, value) -> None:
    """Note the value a sidebar widget is drawn with, and, when a press changed it, the value before."""
    notes = ss.setdefault("_drawn", {})
    before, now, at = notes.get(key, (None, value, 0.0))
    if value != now:  # changed since it was last drawn: by its own widget, or by something else
        before, at = (None, 0.0) if ss.get("_moved") == key else (now, time.monotonic())
    notes[key] = (before, value, at)


def current(key: str) -> bool:
    """Whether a widget's change is the user's (noted for the next draw), not the browser's old copy."""
    before, _, at = ss.get("_drawn", {}).get(key, (None, None, 0.0))
    if before is not None and ss[key] == before and time.monotonic() - at < STALE_S:
        return False
    ss._moved = key
    return True


def act(action) -> None:
    """Run ``action(session)`` on the session, keeping it as it was if anything goes wrong."""
    ss.session = safely(ss.session, action)


# ----- callbacks -------------------------------------------------------------------------------
def on_setting(name: str, key: str) -> None:
    if current(key):
        act(lambda s: s.set(name, ss[key]))


def on_feature(name: str, key: str) -> None:
    """A feature's toggle: the features in force with this one as the toggle says (none left is refused,
    with a note)."""
    if not current(key):
        return
    on = ss.session.settings.features.split(",")
    new = [f for f in FEATURES if (f in on if f != name else bool(ss[key]))]
    act(lambda s: s.set("features", ",".join(new)))


def on_pair(keys: tuple, key: str) -> None:
    if current(key):
        act(lambda s: s.set("pair", f"{ss[keys[0]]},{ss[keys[1]]}"))


def on_events() -> None:
    value = event_value(PLANE_KEY, "events")
    ss.session = ss.session.apply_events(value)


def on_upload(key: str, kind: str) -> None:
    f = ss.get(key)
    ss.upload_nonce += 1  # a fresh uploader next run: the same file can be loaded again
    if f is None:
        return
    data = f.getvalue()
    if kind == "lesson":
        act(lambda s: load_lesson(s, f.name, data))
    else:
        act(lambda s: s.load_csv(data) if kind == "csv" else s.load_state(data))


def on_share() -> None:
    """Share this exact moment: the link to the state on screen (or why there is none), kept for this rev."""
    sess = ss.session
    try:
        ss.share = (sess.sid, sess.rev, sess.share_value(), None)
    except ValueError as err:
        ss.share = (sess.sid, sess.rev, None, as_sentence(err))


def on_open_link() -> None:
    link = ss.get("open_link", "")
    ss.open_link = ""  # the field empties: the same link can be opened again
    if link.strip():
        act(lambda s: s.open_shared(link))


def on_add_scene() -> None:
    act(lambda s: s.add_moment(ss.get("scene_title", "")))
    ss.scene_title = ""


# ----- lessons: the server's shelf, and the bar of the scene on screen ----------------------------
class Shelf:
    """The lessons this server serves besides the built-in ones, by name, for every browser session:
    the launcher's files (``--lesson``) and those loaded in a page (at most MAX_LOADED of these)."""

    MAX_LOADED = 100

    def __init__(self, paths: list[str]):
        self.lessons, self.problems, self.loaded = {}, [], []
        for path in paths:
            try:
                lesson = read_lesson_file(path)
            except LessonError as err:
                self.problems.append(f"The server's lesson was not loaded: {err}")
                continue
            self.lessons[lesson.name] = lesson

    def add(self, lesson) -> None:
        if lesson.name not in self.lessons:
            self.loaded.append(lesson.name)
        self.lessons[lesson.name] = lesson
        while len(self.loaded) > self.MAX_LOADED:
            self.lessons.pop(self.loaded.pop(0), None)


@st.cache_resource
def lesson_shelf() -> Shelf:
    """The one shelf of this server process (the launcher passes its files in LINCLASS_LESSONS)."""
    return Shelf([p for p in os.environ.get(LESSONS_ENV, "").split(os.pathsep) if p])


def load_lesson(sess: Session, filename: str, data: bytes) -> Session:
    """A lesson file loaded in the page: on the server's shelf under a name of its own, its first scene on screen."""
    lesson = parse_lesson(data, uploaded_name(filename, data))
    lesson_shelf().add(lesson)
    return sess.enter(lesson, 1).say("success", words.lesson_loaded(lesson.title, len(lesson), lesson.name))


def lesson_bar(sess: Session) -> None:
    """The scene on screen ("Scene k / n: title"), its caption, and the buttons that move through the lesson."""
    if sess.lesson is None:
        return
    k, n = sess.scene, len(sess.lesson)
    scene = sess.lesson.scenes[k - 1]
    box = st.container(key="lc_lesson")
    row = box.container(horizontal=True, vertical_alignment="center")
    row.markdown(f"**{plain(words.scene_heading(k, n, scene.title))}**")
    moves = [("◀ Previous scene", "prev", "PageUp", k == 1), ("Next scene ▶", "next", "PageDown", k == n),
             ("↺ Restart scene", "home", "Home", False)]  # fmt: skip
    for label, to, key, disabled in moves:
        row.button(label, key=f"btn_scene_{to}", help=f"Key: {key}", disabled=disabled, on_click=act,
                   args=(lambda s, to=to: s.to_scene(to),))  # fmt: skip
    if scene.caption:
        box.caption(plain(scene.caption))


def open_scene_panel(sess: Session) -> None:
    """Once per scene entered: the panel the scene opens (the first if it names none)."""
    if ss.get("_entered") != sess.entered:
        ss._entered = sess.entered
        if sess.lesson is not None:
            ss.panel = sess.scene_panel or next(iter(PANELS))


def on_rename(m: int, key: str) -> None:
    if current(key):
        act(lambda s: s.rename(m, ss[key]))


def on_sample_row(key: str) -> None:
    rows = ss[key].selection.rows if ss.get(key) is not None else []
    if rows:
        act(lambda s: s.select(int(rows[0])))


def on_weights(key: str) -> None:
    edits = (ss.get(key) or {}).get("edited_rows", {})
    columns = {"w₁ after": "w1", "w₂ after": "w2", "b after": "b", "w₁": "w1", "w₂": "w2", "b": "b"}
    for f in FEATURES:  # with features, a column per feature
        columns |= {words.column_name(f): f, f"{words.column_name(f)} after": f}
    act(lambda s: s.edit_weights({r: {columns.get(c, c): v for c, v in ch.items()} for r, ch in edits.items()}))


# ----- the sidebar: every setting from the table -------------------------------------------------
def setting_widget(name: str, where=None) -> None:
    """The widget of one setting, showing the session's value and reporting changes."""
    spec = cfg.BY_NAME[name]
    key = f"set_{name}"
    ss[key] = getattr(ss.session.settings, name)
    drawn(key, ss[key])
    box = where or st
    changed = dict(on_change=on_setting, args=(name, key))
    if spec.type is bool:
        box.toggle(spec.label, key=key, **changed)
    elif spec.type is float and spec.choices:
        box.select_slider(spec.label, spec.choices, key=key, **changed,
                          format_func=lambda v: spec.names.get(v, cfg._fmt(v)))  # fmt: skip
    elif spec.choices:
        choices = spec.choices
        if name == "order" and ss.session.settings.mode != "sample":
            choices = ("cyclic", "shuffle")
        box.radio(spec.label, choices, key=key, **changed,
                  format_func=lambda v: spec.names.get(v, v), horizontal=name == "init")  # fmt: skip
    elif spec.type is float:  # any typed value; the session checks its range and names one outside it in a note
        box.number_input(spec.label, key=key, **changed, format="%g", step=0.01,
                         help=f"any value from {cfg._fmt(spec.bounds[0])} to {cfg._fmt(spec.bounds[1])}")  # fmt: skip
    else:
        lo, hi = spec.bounds
        box.number_input(spec.label, lo, hi, key=key, **changed)


def sidebar(sess: Session) -> None:
    sb = st.sidebar
    sb.markdown("### linclass")
    sb.caption("Gradient descent on a linear softmax classifier, one step at a time.")
    with sb.expander("Classes", expanded=True):
        setting_widget("k")
        cols = st.columns(2)
        for m, name in enumerate(sess.explorer.names):
            key = f"name_{m}"
            ss[key] = name
            drawn(key, name)
            cols[m % 2].text_input(f"Name of class {m + 1}", key=key, on_change=on_rename,
                                   args=(m, key), max_chars=40)  # fmt: skip
    with sb.expander("Points"):
        setting_widget("preset")
        c1, c2 = st.columns(2)
        setting_widget("n", c1)
        setting_widget("seed", c2)
        setting_widget("noise")
        st.button("Load preset", on_click=act, args=(lambda s: s.load_preset(),), width="stretch", key="btn_preset")
        key = f"csv_{ss.upload_nonce}"
        st.file_uploader("Upload points (CSV: x,y,label)", type=["csv", "txt"], key=key,
                         on_change=on_upload, args=(key, "csv"))  # fmt: skip
        setting_widget("test")
    with sb.expander("Model"):
        setting_widget("bias")
        st.caption("Switching the bias starts the weights afresh.")
        setting_widget("init")
        why = preset_start(sess.settings, sess.explorer.n_classes)[1]
        if why:
            st.caption(why)
        setting_widget("init_seed")
        features_widgets(sess)
        st.button("Reset weights", on_click=act, args=(lambda s: s.reset_weights(),), width="stretch",
                  key="btn_reset", help="W and b back to their initial values")  # fmt: skip
    with sb.expander("Optimiser", expanded=True):
        setting_widget("loss")
        if sess.settings.loss != "softmax":
            setting_widget("delta")
        setting_widget("mode")
        if sess.settings.mode != "batch":
            setting_widget("order")
        if sess.settings.mode == "minibatch":
            setting_widget("batch")
        if sess.settings.order == "shuffle":
            setting_widget("order_seed")
        for name in ("lr", "reg", "penalty", "per_frame"):
            setting_widget(name)
    with sb.expander("View", expanded=True):
        for name in ("shading", "compare", "geometry", "present"):
            setting_widget(name)
    with sb.expander("Save and load"):
        key = f"state_{ss.upload_nonce}"
        st.file_uploader("Load a saved state (JSON)", type=["json"], key=key, on_change=on_upload,
                         args=(key, "state"))  # fmt: skip
        st.text_input("Open a shared link (paste it here)", key="open_link", on_change=on_open_link)
        st.caption("Save buttons are under the plots (they always hold the state on screen). The page's address "
                   "always holds the current settings: copy it to share this setup.")  # fmt: skip
    with sb.expander("Lesson"):  # after Save and load: the uploaders keep their order
        key = f"lesson_{ss.upload_nonce}"
        st.file_uploader("Load a lesson (TOML)", type=["toml"], key=key, on_change=on_upload, args=(key, "lesson"))
        # A form: the title and the press reach Python together (typing, then clicking the button at
        # once, lost the click when the title's own rerun came first: CI under load).
        with st.form("add_scene", border=False, enter_to_submit=False):
            st.text_input("Title of the scene", key="scene_title", max_chars=120)
            st.form_submit_button("Add this moment as a scene", on_click=on_add_scene, width="stretch",
                                  key="btn_add_scene")  # fmt: skip
        st.caption(words.draft_note(len(sess.draft)))
        if sess.draft:
            st.download_button("Download lesson (TOML)", data=sess.draft_toml, file_name="linclass-lesson.toml",
                               mime="application/toml", on_click="ignore", key="dl_lesson")  # fmt: skip


def features_widgets(sess: Session) -> None:
    """The feature toggles (the model is linear in phi(x)) and the pair of features the arrows and the
    landscape show."""
    st.markdown(words.features_heading())
    on = sess.settings.features.split(",")
    cols = st.columns(2)
    for j, f in enumerate(FEATURES):
        key = f"feature_{f}"
        ss[key] = f in on
        drawn(key, f in on)
        cols[j % 2].toggle(cfg.FEATURE_NAMES[f], key=key, on_change=on_feature, args=(f, key))
    st.caption(words.features_caption(sess.settings.features))
    pair = sess.settings.pair.split(",")
    c1, c2 = st.columns(2)
    keys = ("pair_0", "pair_1")
    for j, box in enumerate((c1, c2)):
        ss[keys[j]] = pair[j]
        drawn(keys[j], pair[j])
        box.selectbox(f"{cfg.BY_NAME['pair'].label} ({'horizontal' if j == 0 else 'vertical'})", FEATURES,
                      key=keys[j], on_change=on_pair, args=(keys, keys[j]),
                      format_func=cfg.FEATURE_NAMES.get)  # fmt: skip


# ----- the main view: a fragment, so presses and Play frames rerun only this part -----------------
@st.fragment
def main_view() -> None:
    started = time.perf_counter()  # the benchmark reads the script time off the page
    sess: Session = ss.session
    open_scene_panel(sess)
    messages(sess, lambda: act(lambda s: s.dismissed()))
    lesson_bar(sess)
    if sess.explorer.n_points == 0:
        st.info("No points yet. Pick a class and click anywhere on the plane to add points, or load a preset.")
    try:
        view = plots(sess, started)
    except NonFiniteError as err:  # a figure no browser can be sent: said, with a way back, never a traceback
        undrawable(sess, err)
        return
    panels(sess, view)  # the frame on screen's view, as the plots just drew it (not while playing)
    if not sess.settings.present:
        save_buttons(sess)
    if sess.settings.present:
        st.html(PRESENTER_CSS)
    # The address bar always holds this setup. Set on every run, not only when it looks changed: a
    # press sent before the browser applied the last address carries the old one, so the server's
    # copy can equal this setup while the browser is about to show the other (the second review:
    # PageDown then PageUp 40 ms apart left scene=7 in the address of scene 6).
    st.query_params.from_dict(sess.link_query())
    if ss.get("_sidebar_settings") != (sess.settings, sess.explorer.names):
        st.rerun(scope="app")  # a press changed a setting the sidebar shows (Select switches the order)


def plots(sess: Session, started: float):
    """The plot component (toolbar, plane, side panel) for the frames to show; the view of the last."""
    if sess.playing and sess.chunk:
        shown = list(sess.chunk)
    else:
        shown = [(sess.rev, sess.frame)]
    frames, figs, view = [], None, None
    for rev, f in shown:
        figs, view = frame_figures(f, sess.settings, reuse=figs, math=not sess.playing)
        frames.append((figs, words.status_line(f, sess.settings.reg, sess.settings.penalty), rev))
    drag = drag_preview(sess, frames[-1])
    ahead = sess.ahead
    ahead_frame = None
    if ahead is not None:
        figs, v = frame_figures(ahead.frame, sess.settings, reuse=figs, math=False)
        ahead_frame = (figs, words.status_line(ahead.frame, sess.settings.reg, sess.settings.penalty), sess.rev + 0.5)
    ex = sess.explorer
    toolbar = {
        "tool": sess.tool, "active": sess.active,
        "classes": [{"name": n, "color": figures.class_color(m)} for m, n in enumerate(ex.names)],
        "canBack": bool(ex.state.history), "canUndo": bool(ex.undo_stack), "canRedo": bool(ex.redo_stack),
        "canClear": ex.n_points > 0, "present": sess.settings.present, "lesson": sess.lesson is not None,
    }  # fmt: skip
    preview = {"mode": sess.tool, "color": figures.class_color(sess.active)}
    plotly_view(
        frames,
        plot_slots(PRESENTER_PLOT_HEIGHT if sess.settings.present else "540px"),
        key=PLANE_KEY, clickable="points", playing=sess.playing, rev=sess.rev, frame_ms=PLAY_FRAME_MS,
        ahead=ahead_frame, ack=sess.ack, sid=sess.sid, chunk=PLAY_CHUNK, toolbar=toolbar, preview=preview,
        on_events=on_events, fast=("side",), drag=drag,
        server_ms=(time.perf_counter() - started) * 1e3,
    )  # fmt: skip
    return view


def undrawable(sess: Session, err: Exception) -> None:
    """What the page shows instead of the plots when a figure holds a number no browser can be sent."""
    st.error(words.undrawable(str(err)))
    c1, c2 = st.columns(2)
    if sess.explorer.state.history:
        c1.button("Step back", on_click=act, args=(lambda s: s.back(),), key="btn_undrawable_back")
    c2.button("Start the weights afresh", on_click=act, args=(lambda s: s.reset_weights(),), key="btn_undrawable_reset")


def drag_preview(sess: Session, shown: tuple):
    """With the Select tool: (the frame a dragged point previews, its formulas' numbers) for the page,
    which redraws the bars, the arrows and the marks itself as the pointer moves; else None."""
    if sess.tool != "select" or sess.playing:
        return None
    basis = drag_basis(sess.drag_frame, sess.settings.pair)
    if basis is None:
        return None
    if sess.drag_frame is sess.frame:  # the next step is on screen already: the same figures
        return shown, basis
    figs, _ = frame_figures(sess.drag_frame, sess.settings, reuse=shown[0], math=False)
    return (figs, words.status_line(sess.drag_frame, sess.settings.reg, sess.settings.penalty), sess.rev), basis


def plot_slots(height: str) -> list[tuple]:
    """The plots' cells: the plane (its points, with the regions below and the marks above) on the
    left, the bars and arrows on the right, ``height`` (CSS) tall."""
    return [("points", height), ("plane", height, "points", "below"), ("marks", height, "points", "above"),
            ("side", height)]  # fmt: skip


def save_buttons(sess: Session) -> None:
    """Downloads of the state on screen, made when clicked (``data`` a callable): no file is stored per
    rerun, so fast presses never leave the page asking for a file a newer rerun replaced (a 404)."""
    row = st.container(horizontal=True, key="lc_save")
    if sess.playing:
        row.caption("Pause to save.")
        return
    row.download_button("Save the whole state (JSON)", data=sess.state_json, file_name="linclass-state.json",
                        mime="application/json", on_click="ignore", key="dl_state")  # fmt: skip
    row.download_button("Download points (CSV)", data=sess.points_csv, file_name="linclass-points.csv",
                        mime="text/csv", on_click="ignore", key="dl_csv")  # fmt: skip
    row.button("Share this exact moment", key="btn_share", on_click=on_share,
               help="A link that holds the whole state on screen: points, names, W, b, step and settings")  # fmt: skip
    share_box(sess)


def share_box(sess: Session) -> None:
    """The link Share made, while the state on screen is the one it holds (any change makes it stale)."""
    sid, rev, value, problem = ss.get("share", (None, None, None, None))
    if (sid, rev) != (sess.sid, sess.rev):
        return
    if problem:
        st.warning(problem)
        return
    url = f"{(st.context.url or '').split('?')[0]}?state={value}"
    with st.container(key="lc_share"):
        st.code(url, language=None, wrap_lines=True)
        st.caption(words.share_caption(sess.explorer, len(url)))


def frame_figures(frame, s, reuse=None, math=True):
    """(figures, view) of one frame under settings ``s``: the figures as the plot component takes them."""
    v = make_view(frame, shading=s.shading, math=math, geometry=s.geometry, pair=s.pair)
    return figures.frame_figures(frame, v, reuse=reuse, present=s.present), v


# The panels under the plots, in the picker's order: name -> draw(session, the frame on screen's view). A
# lesson's scene opens one by these names (linclass.session.lesson.PANELS, which a test holds equal).
PANELS = {
    "Loss & accuracy": lambda sess, view: curve_panel(sess),
    "The math": math_panel,
    "Samples": lambda sess, view: samples_panel(sess, on_sample_row),
    "Loss landscape": lambda sess, view: landscape_panel(sess),
    "Simplex": lambda sess, view: simplex_panel(sess),
    "Weights W, b": lambda sess, view: weights_panel(sess, view, on_weights),
    "Gradient check": lambda sess, view: gradient_check_panel(sess),
}
FOLLOW_PLAY = ("Loss & accuracy", "Loss landscape", "Simplex")  # the panels that follow Play's frames


def panels(sess: Session, view) -> None:
    """The panel under the plots, picked by a row of buttons; only the picked one runs. (st.tabs
    re-sent seven tab blocks with every press, and the page re-rendered them all before the plot
    had Python's answer: a quarter of its answer time.) ``view`` is the frame on screen's (with its
    math), None while playing."""
    names = list(PANELS)
    if ss.get("panel") not in names:
        ss.panel = names[0]
    pick = st.segmented_control("Panel under the plots", names, required=True, key="panel",
                                label_visibility="collapsed")  # fmt: skip
    with st.container(key="lc_panel"):
        if sess.playing and pick not in FOLLOW_PLAY:
            st.caption("Playing: this panel follows when you pause.")
        else:
            PANELS[pick](sess, view)


# Presenter mode: what the audience does not need is hidden (the sidebar, the save buttons) and the
# text is larger; the toolbar's Presenter button (or ?present=0) brings everything back. The page is
# one screen: the plots take what the viewport leaves (400 to 540 px) and the picked panel fills the
# rest in a box of its own that scrolls, so the plane and the math are on screen together at 1280x800.
PRESENTER_PLOT_HEIGHT = "clamp(400px, calc(100vh - 380px), 540px)"
_HOLDS_PANEL = ":is([data-testid='stVerticalBlock'],[data-testid='stLayoutWrapper']):has(.st-key-lc_panel)"
# KaTeX draws a subscript at 0.7 and a subscript's subscript at 0.5 of its size: the second no smaller
# than the first (reset-sizeA.sizeB is size B inside size A; sizes 1 and 2 are 0.5 and 0.6).
_KATEX_SIZES = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.44, 1.728, 2.074, 2.488)
_KATEX_SCRIPTS = "".join(
    f".st-key-lc_panel .katex .sizing.reset-size{a}.size{b}{{font-size:{0.7 / _KATEX_SIZES[a - 1]:.4g}em}}"
    for a in range(1, 12)
    for b in (1, 2)
)
_TABLE_ZOOM = 1.2  # the tables' 14 px cells at 16.8 px (they are drawn on a canvas: zoomed, not restyled)
PRESENTER_CSS = (
    "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],[data-testid='stExpandSidebarButton']"
    "{display:none}"
    "[data-testid='stMainBlockContainer']{font-size:1.25rem;padding-top:0.8rem}[data-testid='stHeader']{display:none}"
    ".lc-btn{font-size:1.15rem;min-height:2.6rem;padding:4px 14px}.lc-status{font-size:1.25rem}"
    ".lc-key{font-size:0.9em}[data-testid='stMultiSelectTagsContainer'] [data-tag]{font-size:1rem}"  # keys, chips
    "[data-testid='stMarkdownContainer'] p,[data-testid='stButtonGroup'] p,[data-testid='stCaptionContainer'],"
    "[data-testid='stCaptionContainer'] p{font-size:1.2rem}"
    # one screen: the blocks that hold the panel shrink to what is left, and the panel scrolls inside
    "[data-testid='stMainBlockContainer']{height:100vh;box-sizing:border-box;padding-bottom:0.4rem;"
    "display:flex;flex-direction:column}"
    f"[data-testid='stMainBlockContainer'] {_HOLDS_PANEL}{{flex:1 1 0;min-height:0}}"
    f"[data-testid='stMainBlockContainer'] {_HOLDS_PANEL} > *{{flex-shrink:0}}"
    f"[data-testid='stMainBlockContainer'] {_HOLDS_PANEL} > {_HOLDS_PANEL}{{flex:1 1 0;min-height:0}}"
    f"[data-testid='stMainBlockContainer'] {_HOLDS_PANEL} > .st-key-lc_panel"
    "{flex:1 1 0;min-height:0;overflow-y:auto;flex-wrap:nowrap}"
    # the math: a displayed formula's subscripts at 16 px and more
    ".st-key-lc_panel .katex-display>.katex{font-size:1.45em}"
    + _KATEX_SCRIPTS
    # a lesson's scene bar takes its room from the plots, not from the panel
    + "body:has(.st-key-lc_lesson) [data-testid='lc-view-plane'] .lc-cell"
    "{height:clamp(340px, calc(100vh - 480px), 540px) !important}"
    + f".st-key-lc_panel [data-testid='stElementContainer']:has([data-testid='stDataFrame'])"
    f"{{zoom:{_TABLE_ZOOM};width:calc(100% / {_TABLE_ZOOM}) !important}}"
    "</style>"
)
