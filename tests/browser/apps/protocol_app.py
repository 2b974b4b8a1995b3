"""A tiny app that mounts the plot component alone, to test its protocol in isolation (issue 7):
numbered events, acknowledgements, frames by rev, the look-ahead and Play chunks.

Python keeps a counter; every "step" event adds one, "play"/"more" send a chunk of frames, and the
page shows what Python applied. A query parameter ``?slow=ms`` makes each run sleep, so presses pile
up while Python is busy; ``?drop=1`` makes every third run acknowledge nothing (a lost answer).
"""

import time

import streamlit as st

from linclass.ui.figures import Fig
from linclass.ui.plotly_view import event_value, plotly_view

ss = st.session_state
ss.setdefault("count", 0)
ss.setdefault("applied", [])
ss.setdefault("ack", (None, 0))
ss.setdefault("acks", {})
ss.setdefault("runs", 0)
ss.setdefault("playing", False)
q = st.query_params


def figure(n: int) -> Fig:
    return Fig(data=[dict(type="bar", x=["n"], y=[n], name="count")],
               layout=dict(yaxis=dict(range=[0, 100]), margin=dict(l=30, r=10, t=10, b=20)))  # fmt: skip


def on_events():
    # As the session model does (events.apply_events): the last id of every epoch (a view of the page)
    # is kept, so a view built anew while its old self re-sends applies each press once (a loaded run
    # applied press 8 twice when one epoch's count was dropped for another's).
    value = event_value("view", "events") or {}
    epoch = value.get("epoch")
    done = ss.acks.get(epoch, 0)
    for ev in value.get("events", []):
        if ev["id"] <= done:
            continue
        done = ev["id"]
        ss.applied.append(ev["id"])
        if ev["kind"] == "step":
            ss.count += ev.get("n", 1)
        elif ev["kind"] in ("play", "more"):
            ss.playing = True
        elif ev["kind"] == "pause":  # back to the frame the browser shows, as the session model does
            ss.playing = False
            ss.count = int(ev.get("rev", ss.count))
    ss.acks[epoch] = done
    ss.ack = (epoch, done)


ss.runs += 1
time.sleep(int(q.get("slow", 0)) / 1000)
frames = [({"bars": figure(ss.count)}, f"count {ss.count}", ss.count)]
if ss.playing:  # a chunk of frames ahead of the count: the browser plays them
    frames = [({"bars": figure(ss.count + i)}, f"count {ss.count + i}", ss.count + i) for i in range(1, 7)]
    ss.count += 6
ahead = None if ss.playing else ({"bars": figure(ss.count + 1)}, f"count {ss.count + 1}", ss.count + 0.5)
ack = ss.ack if not (q.get("drop") and ss.runs % 3 == 0) else (ss.ack[0], 0)
toolbar = {"tool": "add", "active": 0, "classes": [], "canBack": False, "canUndo": False, "canRedo": False,
           "canClear": False, "present": False}  # fmt: skip
plotly_view(frames, [("bars", "200px")], key="view", rev=ss.count, playing=ss.playing, ahead=ahead, ack=ack,
            sid="protocol-app", toolbar=toolbar, on_events=on_events)  # fmt: skip
st.markdown(f"applied: {','.join(map(str, ss.applied))}", help="the event ids Python applied, in order")
