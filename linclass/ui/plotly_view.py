"""A Streamlit component that draws Plotly figures in place and reports clicks and Play ticks.

Why a component and not ``st.plotly_chart``: Streamlit forwards only box/lasso selections from
plotly charts, so a click on empty plot area (where a new point goes) never reaches Python, and
a chart redrawn every Play frame is remounted and flickers. This component keeps one DOM node
per plot and calls ``Plotly.react`` on it, which updates in place.

Why plotly.js from ``/app/static``: inlining the 4.7 MB bundle into the component would resend
it on every rerun. Streamlit's static serving (``server.enableStaticServing``) hands the browser
the copy that ships inside the installed plotly wheel once, and the browser caches it; nothing is
fetched from a CDN. ``isolate_styles=False`` because Plotly's click handling breaks in a shadow
root.
"""

from __future__ import annotations

import filecmp
import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import plotly
import streamlit as st
from plotly.io.json import to_json_plotly

__all__ = ["ensure_static_files", "encode_frames", "plotly_view", "event_value"]

_HERE = Path(__file__).parent
_VIEW_JS = _HERE / "plotly_view.js"
_VERSION = hashlib.sha256(_VIEW_JS.read_bytes()).hexdigest()[:12]
# The component's inline JS only imports the real module from the app's static folder: inline
# JS is resent with every update, a static module is fetched once and cached by the browser.
_JS = f"""
export default function (component) {{
  const base = window.location.origin + window.location.pathname.replace(/[^/]*$/, "");
  let cleanup = null, gone = false;
  import(new URL("app/static/linclass-view.js?v={_VERSION}", base).href).then((m) => {{
    const c = m.default(component);
    if (gone) c && c(); else cleanup = c;
  }});
  return () => {{ gone = true; if (cleanup) cleanup(); }};
}}
"""
_CSS = """
.lc-root { font-family: inherit; }
.lc-status:empty { display: none; }
.lc-status { font-size: 0.95rem; color: var(--st-text-color, #222); min-height: 1.4em; margin: 0 0 4px 2px;
             font-variant-numeric: tabular-nums; white-space: pre; overflow: hidden; text-overflow: ellipsis; }
.lc-grid { display: flex; gap: 8px; width: 100%; }
.lc-grid > .lc-cell { flex: 1.35 1 0; min-width: 0; }
.lc-side { flex: 1 1 0; min-width: 0; display: flex; flex-direction: column; gap: 6px; }
.lc-cell { position: relative; width: 100%; }
/* Each plot on a layer of its own: redrawing the regions does not repaint the points above. */
.lc-plot { position: absolute; inset: 0; will-change: transform; }
"""

_component = st.components.v2.component("linclass_plotly_view", js=_JS, css=_CSS, isolate_styles=False)


_copied: set[Path] = set()


def ensure_static_files(app_dir: Path) -> None:
    """Put plotly.min.js (from the installed plotly package) and this component's module into
    ``app_dir/static``, where Streamlit serves them; copies only what is missing or changed."""
    static = Path(app_dir) / "static"
    if static in _copied:
        return
    static.mkdir(exist_ok=True)
    for src, name in ((Path(plotly.__file__).parent / "package_data" / "plotly.min.js", "plotly.min.js"),
                      (_VIEW_JS, "linclass-view.js")):  # fmt: skip
        dst = static / name
        if not (dst.exists() and filecmp.cmp(src, dst)):  # copy2 keeps mtimes: cheap when unchanged
            tmp = dst.with_suffix(".tmp")
            shutil.copy2(src, tmp)
            tmp.replace(dst)  # atomic: a browser never loads half a file
    _copied.add(static)


def event_value(key: str, event: str):
    """The payload of the component event that triggered the running callback (or None)."""
    value = st.session_state.get(key)
    if value is None:
        return None
    try:
        return value[event]
    except (KeyError, TypeError):
        return getattr(value, event, None)


def _noop():
    pass


def encode_frames(frames) -> tuple[list, list[str], list[dict]]:
    """Frames [(figs: name -> go.Figure, status, step)] as (parts, keys, frames) for the browser.

    Each trace and each top-level layout entry is stored once in ``parts`` (as JSON-ready data),
    with a short content hash in ``keys``; a frame names its figures by part indices:
    [{layout key: part}, [trace parts]]. Play's frames share their point traces and most of
    their layouts, so each frame after the first costs only what changed, and the browser
    reuses what it already has on screen by key.
    """
    parts: list = []
    keys: list[str] = []
    index: dict[str, int] = {}

    def ref(obj) -> int:
        text = to_json_plotly(obj)
        i = index.get(text)
        if i is None:
            i = index[text] = len(parts)
            parts.append(json.loads(text))
            keys.append(hashlib.blake2b(text.encode(), digest_size=8).hexdigest())
        return i

    out = []
    for figs, status, step in frames:
        refs = {}
        for name, fig in figs.items():
            d = fig.to_plotly_json()
            # The layout by top-level key: from frame to frame most keys (axes, fonts) stay put.
            refs[name] = [{k: ref(v) for k, v in d["layout"].items()}, [ref(t) for t in d["data"]]]
        out.append({"status": status, "figs": refs, "step": step})
    return parts, keys, out


def plotly_view(
    frames,
    slots: list[tuple[str, str]],
    *,
    key: str,
    clickable: str | None = None,
    playing: bool = False,
    seq: int = 0,
    frame_ms: int = 50,
    preview: dict | None = None,
    on_click: Callable[[], None] | None = None,
    on_tick: Callable[[], None] | None = None,
    server_ms: float | None = None,
    next_on: str | None = None,
    click_ack: dict | None = None,
    pause_on: str | None = None,
):
    """Draw figures in ``slots`` ([(name, css height)]: the first large on the left, the rest
    stacked on the right; (name, height, base) layers a transparent plot exactly on ``base``).

    ``frames`` is a list of (figs: name -> go.Figure, status line, step); normally one. While
    ``playing`` the browser plays them ``frame_ms`` apart and calls ``on_tick`` to ask for the
    next chunk. ``clickable`` names the plot whose clicks call ``on_click``; ``preview`` says
    what a click paints at once ({"mode": "add", "color": ...} or {"mode": "select"}).
    ``server_ms`` (the script's time so far) is shown on the page for the benchmark.
    With ``next_on`` (a CSS selector of a Step button's container) the last frame is the state
    one step ahead: the browser paints it as soon as that button is pressed.

    Clicks arrive as the state ``{"epoch", "clicks": [{x, y, px, py, n}, ...]}``: every click
    the browser has not seen acknowledged in ``click_ack`` ({"epoch", "n"}), oldest first.
    While playing, pressing the button in ``pause_on`` (a CSS selector) stops the frames at once
    and sets the state "shown" to {"step": the step of the frame on screen}, before the button's
    own callback runs.
    """
    parts, keys, encoded = encode_frames(frames)
    # Parts sent in the previous update go as null: the browser still has them (the points, say,
    # while training). A browser that lacks one (it missed an update) asks for a "resync".
    sent_key = f"_linclass_sent_{key}"
    before = st.session_state.get(sent_key, frozenset())
    st.session_state[sent_key] = frozenset(keys)
    data = {
        "name": key,
        "slots": [list(s) for s in slots],
        "clickable": clickable,
        "parts": [None if k in before else p for p, k in zip(parts, keys, strict=True)],
        "keys": keys,
        "frames": encoded,
        "playing": bool(playing),
        "seq": int(seq),
        "frameMs": int(frame_ms),
        "preview": preview or {},
        "serverMs": None if server_ms is None else round(server_ms, 1),
        "nextOn": next_on,
        "clickAck": click_ack,
        "pauseOn": pause_on,
    }
    return _component(
        key=key,
        data=data,
        on_click_change=on_click or _noop,
        on_tick_change=on_tick or _noop,
        on_shown_change=_noop,
        on_resync_change=lambda: st.session_state.pop(sent_key, None),
    )
