"""The component's payload: figure parts are sent once and referenced by every frame."""

import json

import numpy as np
import plotly.graph_objects as go

from linclass.ui.plotly_view import encode_frames


def fig(x, color):
    return go.Figure(
        [go.Scatter(x=np.array([0.0, 1.0]), y=np.array([0.0, 1.0])), go.Scatter(x=[x], y=[0], marker_color=color)],
        {"xaxis": {"range": [0, 2]}},
    )


def rebuild(parts, ref):
    layout_refs, trace_refs = ref
    return {k: json.loads(parts[i]) for k, i in layout_refs.items()}, [json.loads(parts[i]) for i in trace_refs]


def test_shared_parts_are_sent_once_and_rebuild_each_frame():
    frames = [({"a": fig(x, "red")}, f"step {x}", x) for x in (1, 2, 3)]
    parts, keys, enc = encode_frames(frames)
    assert len(parts) == len(keys) == len(set(keys))
    # the fixed trace and the layout appear once; the moving trace once per frame
    assert len(parts) == 1 + 1 + 3 + 1  # xaxis, template, 3 moving traces, 1 fixed trace
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
