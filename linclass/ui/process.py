"""Process-wide settings for the app's server process (Streamlit's; one per replica).

``freeze_startup_objects``: Python's cyclic garbage collector, in a full collection, walks every
object alive. After the imports that is ~100,000 objects of Streamlit, Plotly and NumPy that live
as long as the process, and Play's frames allocate enough for a full collection every ~15 s, each
~70 ms (measured: 0.7 % of a core while one student plays). ``gc.freeze`` moves the objects alive
now out of the collector's sight; later objects (every session's) are collected as before.
Called once, at the app's first run, before that run makes its session.
"""

from __future__ import annotations

import gc

__all__ = ["freeze_startup_objects"]

_frozen = False


def freeze_startup_objects() -> None:
    """Collect once, then freeze what is left (the imported modules, Streamlit's runtime); once
    per process. Whatever is frozen is never collected by the cycle collector (reference counting
    still frees it): that is the first run's few objects beside the modules, a fixed cost."""
    global _frozen
    if _frozen:
        return
    gc.collect()
    gc.freeze()
    _frozen = True
