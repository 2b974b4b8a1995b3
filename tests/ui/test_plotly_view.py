"""The component's payload: figure parts are sent once and referenced by every frame."""

import json
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from linclass.ui.plotly_view import MODULES, PROTOCOL, _dumps, encode_frames, payload


def fig(x, color):
    return go.Figure(
        [go.Scatter(x=np.array([0.0, 1.0]), y=np.array([0.0, 1.0])), go.Scatter(x=[x], y=[0], marker_color=color)],
        {"xaxis": {"range": [0, 2]}},
    )


def apply_patch(base, d):
    """static/linclass-view.js's applyPatch, in Python: the oracle for the browser's rebuild."""
    if not isinstance(d, dict):
        return d
    if "$set" in d:
        return d["$set"]
    if "$list" in d:
        return [b if p is None else apply_patch(b, p) for b, p in zip(base, d["$list"], strict=True)]
    out = dict(base) if isinstance(base, dict) else {}
    for k, v in d.items():
        out[k] = apply_patch(out.get(k), v)
    return out


def load(p):
    """A part as the browser reads it: a base is JSON text, a patch an object in the update's JSON."""
    return json.loads(p) if isinstance(p, str) else json.loads(json.dumps(p))


def part(parts, i):
    if isinstance(i, list):
        return apply_patch(load(parts[i[0]]), load(parts[i[1]]))
    return load(parts[i])


def rebuild(parts, ref):
    layout_refs, trace_refs = ref
    return {k: part(parts, i) for k, i in layout_refs.items()}, [part(parts, i) for i in trace_refs]


def test_shared_parts_are_sent_once_and_rebuild_each_frame():
    frames = [({"a": fig(x, "red")}, f"step {x}", x) for x in (1, 2, 3)]
    parts, keys, enc = encode_frames(frames)
    assert len(parts) == len(keys) == len(set(keys))
    # the fixed trace and the layout appear once; the moving trace in full once, then as patches
    assert len(parts) == 1 + 1 + 1 + 1 + 2  # xaxis, template, fixed trace, moving trace, 2 patches
    assert all(len(json.dumps(parts[i[1]])) < 40 for i in enc[2]["figs"]["a"][1] if isinstance(i, list))  # new x
    for (figs, status, step), e in zip(frames, enc, strict=True):
        assert e["status"] == status and e["rev"] == step
        layout, data = rebuild(parts, e["figs"]["a"])
        want = json.loads(figs["a"].to_json())
        assert layout == want["layout"]
        assert data == want["data"]
    json.dumps({"parts": parts, "frames": enc})  # what Streamlit will send


def test_keys_depend_on_content_only():
    p1, k1, _ = encode_frames([({"a": fig(1, "red")}, "", 0)])
    p2, k2, _ = encode_frames([({"b": fig(1, "red")}, "x", 0)])
    assert k1 == k2
    _, k3, _ = encode_frames([({"a": fig(1, "blue")}, "", 0)])
    assert set(k3) != set(k1)


def test_patches_rebuild_real_frames_exactly():
    from linclass.session.session import Session
    from linclass.session.view import make_view
    from linclass.ui import figures

    s = Session.start({"n": "60", "k": "4", "geometry": "1", "shading": "1", "mode": "minibatch"}).play()
    s, frames = s.more(12)
    figs_per_frame, figs = [], None
    for rev, f in frames:
        figs = figures.frame_figures(f, make_view(f, shading=True, geometry=True), reuse=figs)
        figs_per_frame.append((figs, "", rev))
    parts, _, enc = encode_frames(figs_per_frame)
    from linclass.ui.plotly_view import jsonable

    for (figs, _, _), e in zip(figs_per_frame, enc, strict=True):
        for name, ref in e["figs"].items():
            layout, data = rebuild(parts, ref)
            want = json.loads(json.dumps(jsonable(figs[name].to_plotly_json())))
            assert layout == want["layout"] and data == want["data"], name
    sent = sum(len(p if isinstance(p, str) else json.dumps(p)) for p in parts)
    whole = sum(len(json.dumps(jsonable(f.to_plotly_json()))) for figs, _, _ in figs_per_frame
                for k, f in figs.items() if not k.startswith("_"))  # fmt: skip
    # Frames after the first send only what changed (sending whole frames would be 100 %). What
    # changes every frame of a mini-batch is mostly the members' faint arrows, typed arrays since
    # they are traces (they were 40 shapes a class): about half of a frame's bytes.
    assert sent < 0.55 * whole, (sent, whole)


def test_patches_are_sent_as_objects_and_bases_as_text():
    """Play wrote and hashed each frame's patch as JSON text (a few thousand a chunk); Streamlit then
    escaped that text inside the update. Patches now go as objects; a base stays text with a hash of
    it, so the browser still knows an entry it holds; a slot's patch repeated is sent once."""
    frames = [({"a": fig(x, "red")}, f"step {x}", x) for x in (1, 2, 3, 3, 3)]
    parts, keys, enc = encode_frames(frames)
    refs = [e["figs"]["a"][1] for e in enc]
    patches = [i[1] for r in refs for i in r if isinstance(i, list)]
    assert patches and all(isinstance(parts[i], dict) for i in patches)
    assert all(isinstance(parts[i], str) for r in refs for i in r if not isinstance(i, list))
    assert refs[2] == refs[3] == refs[4]  # the frames at x = 3 share their patch part
    assert len(set(keys)) == len(keys)
    _, keys2, _ = encode_frames(frames)
    assert set(keys2) & set(keys) == {keys[i] for i in range(len(parts)) if isinstance(parts[i], str)}


# ----- the contract: static/protocol.schema.json -----------------------------------------------------
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "static" / "protocol.schema.json"


def validator(message: str):
    """A validator of one message of the schema ("update" or "events")."""
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA_FILE.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator({**schema, "$ref": f"#/properties/{message}"})


def as_sent(data: dict) -> dict:
    """The update as the page parses it (one JSON text, written as plotly_view writes it)."""
    return json.loads(_dumps(data))


def app_payload(sess, **extra) -> dict:
    """The plane's update as app.py's main view builds it, for the session ``sess``."""
    from linclass.session.view import make_view
    from linclass.ui import figures

    f = sess.frame
    figs = figures.frame_figures(f, make_view(f, shading=True, geometry=True))
    toolbar = {"tool": "add", "active": 0, "classes": [{"name": n, "color": figures.class_color(m)}
               for m, n in enumerate(sess.explorer.names)], "canBack": True, "canUndo": False, "canRedo": False,
               "canClear": sess.explorer.n_points > 0, "present": False, "lesson": False}  # fmt: skip
    return payload([(figs, "status", sess.rev)], [("points", "540px"), ("plane", "540px", "points", "below"),
                   ("side", "540px")], key="plane", clickable="points", toolbar=toolbar,
                   preview={"mode": "add", "color": "#000"}, ack=(1234.5, 3), fast=("side",), **extra)  # fmt: skip


def curve_payload(sess) -> dict:
    from linclass.session.curves import curves
    from linclass.ui import figures

    c = curves(sess.explorer, compare=sess.settings.compare, reg=sess.settings.reg)
    fig = figures.curve_figure(c.steps, c.loss, c.accuracy, test_loss=c.test_loss, test_accuracy=c.test_accuracy,
                               other=c.other, name=c.name, other_name=c.other_name, l2=c.l2)  # fmt: skip
    return payload([({"curve": fig}, None, sess.rev)], [("curve", "260px")], key="curve", rev=sess.rev)


def test_the_schema_and_both_sides_name_one_version():
    schema = json.loads(SCHEMA_FILE.read_text())
    assert schema["version"] == schema["$defs"]["version"]["const"] == PROTOCOL
    assert "protocol.schema.json" in MODULES  # the page's ?v= changes with the contract


def test_real_updates_follow_the_schema():
    from linclass.session.session import Session

    check = validator("update")
    sess = Session.start({"n": "40", "k": "3"}).step(2)
    for data in (
        app_payload(sess),
        app_payload(sess, ahead=None, playing=True),
        curve_payload(sess),
        payload([({"a": fig(1, "red")}, "s", 1)], [("a", "9px")], key="a", ahead=({"a": fig(2, "red")}, "t", 1.5)),
    ):
        check.validate(as_sent(data))
    bad = as_sent(app_payload(sess))
    bad["frames"][0]["rev"] = "1"
    assert not check.is_valid(bad)  # the schema has teeth


def test_an_update_on_features_carries_the_model_as_the_schema_s_regions_trace():
    """Issue 21: with a feature beyond x1, x2 the plane's regions layer carries the model (the page paints
    it), a part that follows #/$defs/regions; Play's frames patch only its W and b."""
    from jsonschema import Draft202012Validator

    from linclass.session.session import Session

    schema = json.loads(SCHEMA_FILE.read_text())
    regions = Draft202012Validator({**schema, "$ref": "#/$defs/regions"})
    sess = Session.start({"preset": "xor", "features": "x1,x2,x1x2", "mode": "batch", "lr": "3"}).step(2)
    data = as_sent(app_payload(sess))
    validator("update").validate(data)
    traces = [json.loads(p) for p in data["parts"] if isinstance(p, str) and p.startswith("{")]
    (t,) = [t for t in traces if t.get("name") == "regions"]
    regions.validate(t)
    assert t["meta"]["W"] == sess.explorer.state.W.tolist()
    bad = {**t, "meta": {**t["meta"], "features": ["x9"]}}
    assert not regions.is_valid(bad)
    s, frames = sess.play().more(3)
    from linclass.session.view import make_view
    from linclass.ui import figures

    figs, encoded = None, []
    for _, f in frames:
        figs = figures.frame_figures(f, make_view(f, math=False), reuse=figs)
        encoded.append((figs, "s", 1))
    parts, _, out = encode_frames(encoded)
    later = out[-1]["figs"]["plane"][1][0]  # the regions trace of the last frame: [base, patch]
    assert isinstance(later, list) and set(parts[later[1]]) == {"meta"} and set(parts[later[1]]["meta"]) <= {"W", "b"}


@pytest.mark.parametrize("query", [{}, {"test": "0.2"}, {"compare": "1", "reg": "0.1"}])
def test_after_clear_the_update_holds_no_nan_and_follows_the_schema(query):
    """Issue 19, item 3: press Clear, and the curve's update held "y":[NaN] (the page logged
    "Unexpected token 'N'" and kept the old curve)."""
    from linclass.session.session import Session

    sess = Session.start({"n": "40", "k": "3", **query}).step(3).clear()
    for data in (curve_payload(sess), app_payload(sess)):
        text = _dumps(data)  # allow_nan=False: raises on NaN
        assert "NaN" not in text and "Infinity" not in text
        validator("update").validate(json.loads(text))


def test_events_of_another_version_are_not_applied(monkeypatch):
    import linclass.ui.plotly_view as pv

    monkeypatch.setattr(pv.st, "session_state", {"k": {"events": {"version": PROTOCOL, "epoch": 1, "events": []}}})
    assert pv.event_value("k", "events")["epoch"] == 1
    monkeypatch.setattr(pv.st, "session_state", {"k": {"events": {"version": PROTOCOL + 1, "epoch": 1, "events": []}}})
    assert pv.event_value("k", "events") is None


def test_the_pages_own_unit_tests_pass_under_node():
    """static/'s JavaScript has its own tests (tests/js, Node's built-in runner): run them here, so
    the README's test command runs them. Node is Debian's nodejs; on CI (CI set) it must be there."""
    import os
    import shutil
    import subprocess

    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is missing: install Debian's nodejs (apt-get install -y nodejs)", pytrace=False)
        pytest.skip("node is missing: install Debian's nodejs to run tests/js")
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run([node, "--test", "tests/js/"], cwd=root, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout
