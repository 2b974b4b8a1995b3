"""Two more panels under the plots (Streamlit): the loss landscape of one weight row, and the simplex.

Each draws the session's frame, like every other panel; its picker (which row, which three
classes) is a widget inside the panel whose value lives in ``st.session_state``. The figures go
through the plot component (``plotly_view``): it updates the plot in place with Plotly.react, so
Step does not remount it, and it paints a frame only if its rev is newer than the one on screen.
A new pick changes the component's key (the session's rev has not moved, so the same component
would keep the old picture).
"""

from __future__ import annotations

import streamlit as st

from linclass.session import landscape_simplex
from linclass.session.session import PLAY_CHUNK, Session
from linclass.ui import landscape_simplex_figures, words
from linclass.ui.figures import class_color
from linclass.ui.panels import plain
from linclass.ui.plotly_view import PLAY_FRAME_MS, plotly_view

__all__ = ["landscape_panel", "simplex_panel", "ROW_KEY", "CLASSES_KEY"]

ROW_KEY = "lc_landscape_row"  # "auto" (the sample's true class) or a row index
CLASSES_KEY = "lc_simplex_classes"  # the three classes at the corners (K > 3)
AUTO = "auto"
HEIGHT = "500px"
PLAYING = "Playing: this view follows every few steps (every step while paused)."
FOLLOWED = 16  # frames of each Play chunk these views draw: a few a second, evenly spread


def _frames(sess: Session, build) -> tuple[list, int]:
    """(frames, ms between them) for a view: its figure of the frame on screen, or while Play runs
    of every k-th frame of the chunk, played k frames' time apart, so the view moves with the plane."""
    if not (sess.playing and sess.chunk):
        return [({"view": build(sess.frame)}, None, sess.rev)], PLAY_FRAME_MS
    k = PLAY_CHUNK // FOLLOWED  # one stride for every chunk: Play's short first one is not drawn whole
    picked = sess.chunk[k - 1 :: k] or sess.chunk[-1:]
    return [({"view": build(f)}, None, rev) for rev, f in picked], k * PLAY_FRAME_MS


def _row_picker(sess: Session) -> tuple[int, str]:
    """(the row the user picked, or the frame's sample's true class; the pick, for the view's key)."""
    names = sess.explorer.names
    options = (AUTO, *range(len(names)))
    if st.session_state.get(ROW_KEY) not in options:  # a new session, or a class was removed
        st.session_state[ROW_KEY] = AUTO
    label = lambda m: "the sample's class" if m == AUTO else plain(names[m])  # noqa: E731
    if len(names) > 4:  # eight buttons run off a 1280 px screen: a drop-down instead
        st.selectbox("Row w_m", options, key=ROW_KEY, format_func=label)
    else:
        st.segmented_control("Row w_m", options, key=ROW_KEY, format_func=label)
    m = st.session_state.get(ROW_KEY)
    if m in (None, AUTO):
        return landscape_simplex.default_row(sess.frame), AUTO  # one view that follows the sample's class
    return int(m), str(m)


def landscape_panel(sess: Session) -> None:
    frame = sess.frame
    plot, side = st.columns([3, 2])
    pair = sess.settings.pair
    with side:
        m, pick = _row_picker(sess)
        L = landscape_simplex.landscape(frame, m, pair=pair)
        if L is None:
            st.write(frame.refused or words.landscape_missing(frame.explorer.features, frame.record is None))
            return
        name = frame.explorer.names[m]
        st.caption(words.landscape_panel_caption(frame, L, plain(name), sess.playing, PLAYING, pair))

    def build(frame):
        L = landscape_simplex.landscape(frame, m, pair=pair)
        return landscape_simplex_figures.landscape_figure(
            L.w1s,
            L.w2s,
            L.Z,
            L.w,
            L.step,
            L.path,
            L.x,
            color=class_color(m),
            name=name,
            axes=words.pair_axes(frame.explorer.features, pair),
        )

    frames, ms = _frames(sess, build)
    frames = [({"landscape": f["view"]}, s, r) for f, s, r in frames]
    with plot:
        plotly_view(frames, [("landscape", HEIGHT)], key=_landscape_key(pick, pair), rev=sess.rev, sid=sess.sid,
                    present=sess.settings.present, playing=sess.playing, frame_ms=ms, follow=True)  # fmt: skip


def _landscape_key(pick: str, pair: str) -> str:
    """The landscape view's key: a new pick of row or of features draws a new view."""
    return f"landscape_{pick}" + ("" if pair == "x1,x2" else f"_{pair}")


def _class_picker(sess: Session) -> tuple[int, ...]:
    """The three classes at the corners: all of them for K = 3, else the user's three."""
    names = sess.explorer.names
    K = len(names)
    if K == 3:
        return (0, 1, 2)
    picked = st.session_state.get(CLASSES_KEY)
    if not isinstance(picked, list) or any(not 0 <= c < K for c in picked):
        st.session_state[CLASSES_KEY] = [0, 1, 2]
    st.multiselect("Three classes at the corners", list(range(K)), key=CLASSES_KEY, max_selections=3,
                   format_func=lambda c: plain(names[c]))  # fmt: skip
    return tuple(st.session_state[CLASSES_KEY])


def simplex_panel(sess: Session) -> None:
    frame = sess.frame
    ex = frame.explorer
    if ex.n_classes < 3:
        st.write("The probability simplex is a triangle of three classes: set Classes to 3 or more.")
        return
    plot, side = st.columns([3, 2])
    with side:
        classes = _class_picker(sess)
    if len(classes) != 3:
        side.write("Pick three classes for the corners.")
        return
    S = landscape_simplex.simplex(frame, classes)
    names = [plain(ex.names[c]) for c in classes]
    side.caption(words.simplex_caption(frame, S, names, sess.playing, PLAYING))

    def build(frame):
        S = landscape_simplex.simplex(frame, classes)
        name = "" if S.sample is None else f"sample #{S.sample}"  # each frame's own sample
        return landscape_simplex_figures.simplex_figure(
            S.dots,
            S.labels,
            frame.explorer.names,
            S.classes,
            S.corners,
            S.regions,
            S.probs,
            S.trajectory,
            sample_name=name,
        )

    frames, ms = _frames(sess, build)
    frames = [({"simplex": f["view"]}, s, r) for f, s, r in frames]
    key = "simplex_" + "_".join(map(str, classes))
    with plot:
        plotly_view(frames, [("simplex", HEIGHT)], key=key, rev=sess.rev, sid=sess.sid,
                    present=sess.settings.present, playing=sess.playing, frame_ms=ms, follow=True)  # fmt: skip
