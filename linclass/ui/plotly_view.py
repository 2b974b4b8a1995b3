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
import shutil
from collections.abc import Callable
from pathlib import Path

import plotly
import streamlit as st

__all__ = ["ensure_plotly_static", "plotly_view", "event_value"]

_HERE = Path(__file__).parent
_JS = (_HERE / "plotly_view.js").read_text(encoding="utf-8")
_CSS = """
.lc-root { font-family: inherit; }
.lc-status:empty { display: none; }
.lc-status { font-size: 0.95rem; color: var(--st-text-color, #222); min-height: 1.4em; margin: 0 0 4px 2px;
             font-variant-numeric: tabular-nums; white-space: pre; overflow: hidden; text-overflow: ellipsis; }
.lc-grid { display: flex; gap: 8px; width: 100%; }
.lc-grid-1 > .lc-plot { flex: 1 1 auto; }
.lc-grid > .lc-plot { flex: 1.35 1 0; min-width: 0; }
.lc-side { flex: 1 1 0; min-width: 0; display: flex; flex-direction: column; gap: 6px; }
.lc-plot { width: 100%; }
"""

_component = st.components.v2.component("linclass_plotly_view", js=_JS, css=_CSS, isolate_styles=False)


def ensure_plotly_static(app_dir: Path) -> Path:
    """Copy plotly.min.js from the installed plotly package to ``app_dir/static`` (once)."""
    src = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    dst = Path(app_dir) / "static" / "plotly.min.js"
    if not (dst.exists() and filecmp.cmp(src, dst, shallow=True)):
        dst.parent.mkdir(exist_ok=True)
        tmp = dst.with_suffix(".tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(dst)  # atomic: a browser never loads half a file
    return dst


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


def plotly_view(
    figs: dict,
    slots: list[tuple[str, str]],
    *,
    key: str,
    status: str = "",
    clickable: str | None = None,
    playing: bool = False,
    seq: int = 0,
    on_click: Callable[[], None] | None = None,
    on_tick: Callable[[], None] | None = None,
):
    """Draw ``figs`` (name -> go.Figure) in ``slots`` ([(name, css height)]: the first large on the
    left, the rest stacked on the right). ``clickable`` names the plot whose clicks call
    ``on_click``; while ``playing``, the browser calls ``on_tick`` once each frame is painted."""
    data = {
        "name": key,
        "figs": {name: fig.to_json() for name, fig in figs.items()},
        "slots": [list(s) for s in slots],
        "status": status,
        "clickable": clickable,
        "playing": bool(playing),
        "seq": int(seq),
    }
    return _component(
        key=key,
        data=data,
        on_click_change=on_click or _noop,
        on_tick_change=on_tick or _noop,
    )
