"""The server process's start-up objects are frozen once (the garbage collector then skips them)."""

from streamlit.testing.v1 import AppTest

from tests.ui.test_page import APP


def test_the_server_process_freezes_its_startup_objects_once(monkeypatch):
    """The finding (issue 10, Play's server cost): a full garbage collection walked the ~100,000
    objects of Streamlit, Plotly and NumPy every ~15 s of Play, ~70 ms each (0.7 % of a core for one
    student). The app's first run freezes them; later runs (and their sessions) freeze nothing."""
    import gc

    from linclass.ui import process

    gc.unfreeze()
    monkeypatch.setattr(process, "_frozen", False)
    try:
        at = AppTest.from_file(APP, default_timeout=60).run()
        assert not at.exception
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the imported modules' objects
        at.run()
        assert gc.get_freeze_count() <= frozen  # a rerun freezes nothing more (some frozen objects are freed)
    finally:
        gc.unfreeze()
