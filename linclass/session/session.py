"""The session model: the explorer, the settings, the frame on screen, the look-ahead and Play.

One immutable ``Session`` value holds everything a user's session is. Every action is a method
that returns a new session (with ``rev`` one higher) or raises ``ValueError`` with a message for
the user; ``safely`` turns any failure into "nothing changed, here is why". The browser's presses
and clicks arrive as numbered events (``apply_events``): each id is applied once, in order, and
acknowledged, so none is lost or doubled however fast they come.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from urllib.parse import parse_qs, urlsplit

import numpy as np

from ..core import datasets
from ..core import objective as kernel
from ..core.features import feature_names, feature_text, in_plane
from ..core.model import NonFiniteError
from ..core.pointsio import CSVError, read_csv, write_csv
from ..core.train import HeldOutError, Optimizer
from . import settings as cfg
from . import sharelink
from .boundary import as_sentence, safely
from .events import PLAY_CHUNK, BrowserEvents, index_of
from .explorer import DEFAULT_NAMES, MAX_CLASSES, Explorer, free_name
from .frame import IDLE, PREVIEW, TAKEN, Frame
from .lesson import Lesson, Scene, find, lesson_toml, press_actions, press_text
from .view import shown_pair

__all__ = ["Session", "safely", "TOOLS", "PLAY_CHUNK"]

TOOLS = ("add", "erase", "select")
HELD_OUT_HINT = " Select a training point (a filled one) to step on it, or choose another sample order."


STREAMLIT_KEYS = ("embed", "embed_options")  # Streamlit's own link keys
# not settings: read by ``start``, or Streamlit's
LINK_KEYS = ("select", "state", "lesson", "scene", *STREAMLIT_KEYS)
VIEWER_KEYS = ("present",)  # what a link to a lesson's scene keeps of the viewer's own settings
SHARED_VIEWER_KEYS = ("present", "geometry")  # ... and a shared moment's (presenter mode turns the geometry on)
DRAFT_TITLE = "A lesson made in linclass"


@dataclass(frozen=True, eq=False)
class Session(BrowserEvents):
    explorer: Explorer
    settings: cfg.Settings = cfg.Settings()
    rev: int = 0  # one higher after every change: the browser never paints an older one
    playing: bool = False
    buffer: tuple[tuple[int, Explorer], ...] = ()  # Play frames sent ahead of the screen, by rev
    ack: tuple = (None, 0)  # (epoch, id) of the last browser event applied
    acks: tuple = ()  # (epoch, last id) of the recent epochs (``events.RECENT_EPOCHS``), newest last
    messages: tuple[tuple[str, str], ...] = ()  # (kind, text), shown until the next action
    chunk: tuple = ()  # Play frames (rev, Frame) made by the events just applied, for the browser
    sid: str = ""  # this session's id: a browser that meets a new one (a new replica) starts afresh
    tool: str = "add"  # what a click on the plane does
    active: int = 0  # the class a click adds
    lesson: Lesson | None = None  # the lesson being shown, if any
    scene: int = 0  # its scene on screen, counting from 1 (0: none)
    entered: int = 0  # how many times a scene was entered (the page opens its panel once per entry)
    draft: tuple[Scene, ...] = ()  # the lesson being built ("Add this moment as a scene")
    # (state= value, its settings, its points): the shared moment this session opened, which the
    # address keeps (a reload opens it again) until a setting or a point changes
    shared: tuple = ()
    # The points' setup, (key, value) of POINTS_KEYS, as the preset's points on screen were loaded: the
    # address names these until Load preset (a preset picked but not loaded is not what is on screen)
    points_setup: tuple = ()

    # ----- starting --------------------------------------------------------------------------
    @classmethod
    def start(cls, query: Mapping[str, str | list[str]] | None = None,
              lessons: Mapping[str, Lesson] | None = None) -> Session:  # fmt: skip
        """``_start`` of the link's parameters, a key given several times (a list of its values) read
        as its last value, with a note that names it."""
        query, repeated = _last_values(query or {})
        sess = cls._start(query, lessons)
        for key, values in repeated:
            if sess.shared and key not in ("state", *SHARED_VIEWER_KEYS):
                continue  # a shared moment's link: the key is named as not used (review: two notes disagreed)
            shown = [repr(v) if len(v) <= 40 else f"a value of {len(v):,} characters" for v in values]
            sess = sess.say("warning", f"link parameter {key} was given {len(values)} times ({', '.join(shown)}): "
                                       f"the last one, {shown[-1]}, was used")  # fmt: skip
        return sess

    @classmethod
    def _start(cls, query: dict[str, str], lessons: Mapping[str, Lesson] | None) -> Session:
        """A session from a shared link's parameters (all optional); a note names every bad one.
        ``lesson`` (a built-in lesson's name or one of ``lessons``) and ``scene`` (from 1) open that
        scene exactly as moving to it does; the link's ``present`` is kept, its other keys are the
        scene's. A link with ``state=`` (Share this exact moment) opens that state, every setting in
        it; one that cannot be read is named in a note and the rest of the link is read as if it
        were not there."""
        if "lesson" in query:
            return cls._start_lesson(query, lessons)
        notes = []
        if "state" in query:
            try:
                return cls._shared_start(query)
            except ValueError as err:
                notes.append(f"link parameter state was not used: {err}")
        s, more = cfg.from_query(query)
        notes += more
        if s.present and "geometry" not in query:
            s = s.replace(geometry=True)  # the geometry is on by default in presenter mode
        ex = _preset_explorer(s)
        sess = cls(ex, s, points_setup=_points_setup(s))
        if "select" in query:
            try:
                sess = sess.select(index_of(query["select"], ex.n_points))
            except ValueError as err:
                notes.append(f"link parameter select={query['select']!r} was not used: {err}")
        notes += _link_notes(query, s)
        if s.k != ex.n_classes:  # a preset with classes of its own: the model decides (review: XOR showed 3)
            sess = replace(sess, settings=s.replace(k=ex.n_classes))
        return replace(sess, rev=0, sid=secrets.token_hex(8), messages=tuple(("warning", n) for n in notes))

    @classmethod
    def _shared_start(cls, query: Mapping[str, str]) -> Session:
        """The session a ``state=`` link holds; ShareLinkError or StateFileError if it cannot be read."""
        ex, s, notes = _saved_state(sharelink.decode(query["state"]), cfg.Settings())
        viewer = {k: query[k] for k in SHARED_VIEWER_KEYS if k in query}  # the viewer's, kept beside state=
        if viewer:
            shown, more = cfg.from_query(viewer)
            s, notes = s.replace(**{k: getattr(shown, k) for k in viewer}), notes + more
        others = sorted(k for k in query if k not in ("state", *SHARED_VIEWER_KEYS, *STREAMLIT_KEYS))
        if others:
            notes.append(f"link parameter{'s' * (len(others) > 1)} {', '.join(others)} not used: a state= link "
                         "carries every setting of its own")  # fmt: skip
        msgs = (("success", _opened(ex, "Opened a shared moment")), *(("warning", n) for n in notes))
        ex = _objective(ex, s)
        return cls(ex, s, sid=secrets.token_hex(8), messages=msgs, shared=(query["state"], s, ex.X))

    @classmethod
    def _start_lesson(cls, query: dict, lessons) -> Session:
        """``start`` for a link with ``lesson``: its scene (the first if the link names none or a bad one)."""
        notes, k = [], 1
        try:
            lesson = find(query["lesson"], lessons)
        except ValueError as err:
            sess = cls.start({key: v for key, v in query.items() if key not in ("lesson", "scene")})
            return sess.say("warning", f"link parameter lesson={query['lesson']!r} was not used: {err}")
        raw = str(query.get("scene", "1")).strip()
        if raw.isdigit() and 1 <= int(raw) <= len(lesson):
            k = int(raw)
        else:
            notes.append(f"link parameter scene={raw!r} was not used: the lesson has scenes 1 to {len(lesson)}")
        others = sorted(key for key in query if key not in ("lesson", "scene", *VIEWER_KEYS, *STREAMLIT_KEYS))
        if others:
            notes.append(f"link parameter{'s' * (len(others) > 1)} {', '.join(others)} not used: the scene sets "
                         "the settings")  # fmt: skip
        viewer = cls.start({key: query[key] for key in VIEWER_KEYS if key in query})
        sess = viewer.enter(lesson, k)
        return replace(sess, rev=0, messages=(*viewer.messages, *sess.messages, *(("warning", n) for n in notes)))

    # ----- lessons ---------------------------------------------------------------------------
    def enter(self, lesson: Lesson, k: int) -> Session:
        """Scene k (from 1) of ``lesson``: its setup, then its presses, run here in the model. The
        viewer's presenter mode is kept; the lesson being built too."""
        if not 1 <= k <= len(lesson):
            raise ValueError(f"there is no scene {k} (the lesson has {len(lesson)})")
        fresh = _scene_session(lesson.scenes[k - 1], self.settings.present)
        return replace(fresh, rev=self.rev + 1, sid=self.sid or fresh.sid, ack=self.ack, acks=self.acks,
                       lesson=lesson, scene=k, entered=self.entered + 1, draft=self.draft)  # fmt: skip

    def to_scene(self, to: str) -> Session:
        """The next scene ("next", PageDown), the one before ("prev", PageUp), or this one afresh ("home")."""
        if self.lesson is None:
            raise ValueError("there is no lesson open: load one in the sidebar, or open a link with ?lesson=")
        if to not in ("next", "prev", "home"):
            raise ValueError(f"unknown scene move {to!r}")
        k = self.scene + {"next": 1, "prev": -1, "home": 0}[to]
        if not 1 <= k <= len(self.lesson):
            raise ValueError(f"this is the {'last' if to == 'next' else 'first'} scene of the lesson")
        return self.enter(self.lesson, k)

    @property
    def scene_panel(self) -> str | None:
        """The panel the scene on screen opens (None: the first)."""
        return self.lesson.scenes[self.scene - 1].panel if self.lesson and self.scene else None

    def moment_scene(self, title: str) -> Scene:
        """This moment as a scene: the link and the steps taken, when they give exactly these points,
        weights and settings; else the whole saved state."""
        title = " ".join(str(title).split())[:120] or f"Scene {len(self.draft) + 1}"
        viewer = (*VIEWER_KEYS, "geometry") if self.settings.present else VIEWER_KEYS  # presenter mode draws it
        link = {k: v for k, v in self.setup_query().items() if k not in viewer}
        steps = self.explorer.state.step
        scene = Scene(title, link=tuple(sorted(link.items())), presses=(press_text(("step", steps)),) if steps else ())
        if steps <= 10_000 and self._same_moment(_scene_session(scene, self.settings.present)):
            return scene
        saved = cfg.to_saved(self.settings.replace(present=False))
        return Scene(title, state=self.explorer.to_json(saved))

    def _same_moment(self, other: Session) -> bool:
        a, b = self.explorer, other.explorer
        same_points = all(np.array_equal(u, v) for u, v in ((a.X, b.X), (a.y, b.y), (a.test, b.test)))
        bias_a, bias_b = a.state.b, b.state.b
        same_b = (bias_a is None) == (bias_b is None) and (bias_a is None or np.array_equal(bias_a, bias_b))
        shown = {"present": self.settings.present, "geometry": self.settings.geometry}
        return (same_points and same_b and np.array_equal(a.state.W, b.state.W) and a.names == b.names
                and (a.state.step, a.selected) == (b.state.step, b.selected)
                and other.settings.replace(**shown) == self.settings)  # fmt: skip

    def add_moment(self, title: str) -> Session:
        """ "Add this moment as a scene": the lesson being built gets this moment as its last scene."""
        scene = self.moment_scene(title)
        how = "its link and steps" if scene.state is None else "the whole state (points or weights of its own)"
        return replace(self, draft=(*self.draft, scene), messages=(("success", f"Added scene {len(self.draft) + 1}, "
                       f"{scene.title!r}, as {how}. Download the lesson when it is complete."),))  # fmt: skip

    def draft_toml(self) -> str:
        """The lesson being built, as a TOML file (``lesson.parse_lesson`` reads it back)."""
        if not self.draft:
            raise ValueError("the lesson being built has no scene yet: add this moment as a scene first")
        return lesson_toml(Lesson("draft", DRAFT_TITLE, self.draft))

    # ----- derived values --------------------------------------------------------------------
    @property
    def by_click(self) -> bool:
        return self.settings.mode == "sample" and self.settings.order == "click"

    def optimizer(self) -> Optimizer:
        s = self.settings
        order = "cyclic" if s.order == "click" else s.order
        return Optimizer(mode=s.mode, lr=s.lr, reg=s.reg, batch_size=s.batch, order=order, seed=s.order_seed,
                         loss=s.loss, delta=s.delta, penalty=s.penalty)  # fmt: skip

    @cached_property
    def frame(self) -> Frame:
        """The moment on screen: the step just taken, else the next step (a preview)."""
        ex = self.explorer
        if ex.last is not None:
            return Frame(TAKEN, ex, ex.last, self._focus(ex.last), self.by_click)
        if ex.n_points == 0:
            return Frame(IDLE, ex, None, None)
        try:
            rec = self._stepped(ex, 1).last
        except NonFiniteError as err:
            return Frame(IDLE, ex, None, ex.current, refused=str(err))
        except HeldOutError as err:
            return Frame(IDLE, ex, None, ex.current, refused=as_sentence(err) + HELD_OUT_HINT)
        return Frame(PREVIEW, ex, rec, self._focus(rec), self.by_click)

    @cached_property
    def drag_frame(self) -> Frame:
        """The moment a dragged point previews, and its move then shows: the next step from the state on
        screen (a point edit drops the step just taken), the sample and the step's samples as now."""
        if self.explorer.last is None:
            return self.frame
        return replace(self, explorer=replace(self.explorer, last=None)).frame

    @cached_property
    def ahead(self) -> Session | None:
        """The session one Step press from here, painted the moment Step is pressed (None if Step
        would not step)."""
        if self.frame.kind == IDLE or self.playing:
            return None
        try:
            return self.step(1)
        except (ValueError, ArithmeticError):
            return None

    def _focus(self, rec) -> int:
        if self.settings.mode == "sample" or self.explorer.selected is None:
            return int(rec.indices[0])
        return self.explorer.selected

    def _stepped(self, ex: Explorer, n: int) -> Explorer:
        opt = self.optimizer()
        return ex.step_selected(opt, n) if self.by_click else ex.step(opt, n)

    # ----- the change every action makes ---------------------------------------------------
    def _new(self, **changes) -> Session:
        """The next session: ``rev`` one higher, this action's messages (or none)."""
        changes.setdefault("messages", ())
        return replace(self, rev=self.rev + 1, **changes)

    def dismissed(self) -> Session:
        return replace(self, messages=())

    def say(self, kind: str, text: str) -> Session:
        return replace(self, messages=(*self.messages, (kind, text)))

    # ----- training --------------------------------------------------------------------------
    def step(self, n: int = 1) -> Session:
        """n steps (Step, ×10, ×100). A step that would overflow is refused: the steps before it
        are kept and a warning says so."""
        ex = self.explorer
        if ex.n_points == 0:
            raise ValueError("there are no points yet: click on the plane to add some, or load a preset")
        try:
            return self._new(explorer=self._stepped(ex, n), playing=False, buffer=())
        except NonFiniteError as err:
            return self._refused(err)

    def run(self, n: int) -> Session:
        """The ×10 and ×100 presses: ``step(n)``, and a warning if the objective grew a hundredfold."""
        after = self.step(n)
        note = _divergence(self, after, n) if not after.messages else None
        return after.say("warning", note) if note else after

    def run_chunked(self, n: int) -> Session:
        """``run(n)`` computed as Play computes its frames (``core.chunk``: the steps together, several
        times quicker): the same steps, weights and history. A step that would be refused is left to
        ``run``, which says so as the ×10 and ×100 presses do. A scene's presses run here."""
        if n < 2 or self.explorer.n_points == 0:
            return self.run(n)
        done, err = self.explorer.step_frames(self.optimizer(), n, 1, selected=self.by_click)
        if err is not None or not done:
            return self.run(n)
        after = self._new(explorer=done[-1], playing=False, buffer=())
        note = _divergence(self, after, n)
        return after.say("warning", note) if note else after

    def _refused(self, err: NonFiniteError) -> Session:
        """This session after steps that ``err`` stopped: the good ones kept, a warning naming what
        overflowed (the scores, the penalty, the data loss, the gradient, the weights)."""
        done = getattr(err, "steps_done", 0)
        extra = f" after {done} good step{'s' * (done != 1)}" if done else ""
        reason = str(err).removeprefix("step refused: ").removesuffix(" The weights are unchanged.")
        kept = "the last good step's" if done else "unchanged"
        return self._new(explorer=self.explorer.after_partial(err), playing=False, buffer=()).say(
            "warning", f"Step refused{extra}: {reason} The weights are {kept}; nothing else changed."
        )

    def back(self) -> Session:
        if not self.explorer.state.history:
            raise ValueError("there is no earlier step to go back to")
        return self._new(explorer=self.explorer.stepped_back(), playing=False, buffer=())

    # ----- points ----------------------------------------------------------------------------
    def click(self, x: float, y: float, px: float, py: float) -> Session:
        """A click on the plane at data (x, y); px, py: data units per screen pixel."""
        ex = self.explorer
        if self.tool == "add":
            return self._new(explorer=ex.add_point(x, y, self.active), playing=False)
        i = ex.nearest(x, y, px, py, radius_px=10)
        if i is None:
            return self  # a click on empty plane in Erase or Select mode does nothing
        if self.tool == "erase":
            return self._new(explorer=ex.erase_point(i), playing=False)
        return self.select(i)

    def move(self, i, x, y, start=None) -> Session:
        """Point i moved to (x, y), dragged with the Select tool: one point edit, which Undo reverts.
        ``start``: where the page saw the point when the drag began; if the point is no longer there
        (the points changed meanwhile: a stale drag), nothing moves and a message says why."""
        ex = self.explorer
        i = index_of(i, ex.n_points)
        if start is not None and not _same_place(ex.X[i], start):
            raise ValueError(f"point #{i} is no longer where the drag began (the points changed meanwhile): "
                             "nothing was moved")  # fmt: skip
        return self._new(explorer=ex.move_point(i, x, y), playing=False, buffer=())

    def select(self, i: int | None) -> Session:
        """Point i becomes the selected sample; in single-sample mode also the next step's sample
        (the order switches to "chosen by click")."""
        s = self.settings
        if i is not None and s.mode == "sample" and s.order != "click":
            s = s.replace(order="click")
        return self._new(explorer=self.explorer.select(i), settings=s, playing=False, buffer=())

    def set_tool(self, tool: str) -> Session:
        if tool not in TOOLS:
            raise ValueError(f"unknown tool {tool!r}")
        return replace(self, tool=tool, rev=self.rev + 1) if tool != self.tool else self

    def set_active(self, m: int) -> Session:
        m = index_of(m, self.explorer.n_classes)
        return replace(self, active=m, tool="add", rev=self.rev + 1)

    def undo(self) -> Session:
        return self._edited(self.explorer.undo())

    def redo(self) -> Session:
        return self._edited(self.explorer.redo())

    def clear(self) -> Session:
        return self._edited(self.explorer.clear()).say("info", "All points cleared. Undo brings them back.")

    def _edited(self, ex: Explorer) -> Session:
        s = self.settings.replace(k=ex.n_classes, bias=ex.state.has_bias)
        return self._new(explorer=ex, settings=s, playing=False, buffer=(), active=min(self.active, ex.n_classes - 1))

    # ----- classes, weights, settings -------------------------------------------------------
    def with_classes(self, k: int) -> Session:
        lost = int(np.sum(self.explorer.y >= k))
        sess = self._edited(self.explorer.with_classes(int(k)))
        if lost:
            sess = sess.say("info", f"Removed {lost} point{'s' * (lost != 1)} of the dropped classes. Undo brings "
                                    "them back.")  # fmt: skip
        return sess

    def rename(self, m: int, name: str) -> Session:
        return self._new(explorer=self.explorer.renamed(m, name))

    def edit_weights(self, edits: dict) -> Session:
        return self._new(explorer=self.explorer.with_weight_edits(edits), playing=False, buffer=())

    def set_row(self, m, w) -> Session:
        """Row m of W set to w (an arrow dragged in the weights panel); undone by Step back."""
        m = index_of(m, self.explorer.n_classes)
        try:
            w = [float(v) for v in w]
        except (TypeError, ValueError):
            raise ValueError(f"{w!r} is not a pair of numbers") from None
        if len(w) != 2:
            raise ValueError(f"a row of W has 2 numbers, got {len(w)}")
        cols = shown_pair(self.explorer.features, self.settings.pair)  # the arrows' columns of W
        return self.edit_weights({m: {c: v for c, v in zip(cols, w, strict=True) if c is not None}})

    def reset_weights(self) -> Session:
        """W and b back to the initial weights the settings choose (init "preset": the preset's own, when
        it has some for this many classes; else zeros, and a note says why)."""
        s = self.settings
        start, why = preset_start(s, self.explorer.n_classes)
        ex = self.explorer.reset_weights(bias=s.bias, init=s.init, seed=s.init_seed, start=start)
        sess = self._new(explorer=ex, playing=False, buffer=())
        return sess.say("info", why) if why else sess

    def set(self, name: str, value) -> Session:
        """Change one setting (checked against the table). The bias restarts the weights; the
        preset's own settings act when the preset is loaded."""
        s = cfg.with_value(self.settings, name, value)
        if name == "k":
            return replace(self, settings=s).with_classes(s.k)
        if name == "present" and s.present:
            s = s.replace(geometry=True)
        if name == "mode" and s.mode != "sample" and s.order == "click":
            s = s.replace(order="cyclic")
        sess = self._new(
            settings=s,
            playing=self.playing
            and name in ("lr", "reg", "penalty", "per_frame", "shading", "compare", "geometry", "present"),
        )
        if name == "bias" and s.bias != self.explorer.state.has_bias:
            return sess.reset_weights()
        if name == "features":
            return sess._featured()
        if name == "test":
            sess = replace(sess, explorer=_held_out(sess.explorer, s))
        if name in ("loss", "delta"):
            sess = replace(sess, explorer=_objective(sess.explorer, s))
        if name in ("mode", "order", "batch", "order_seed", "lr", "reg", "penalty"):
            sess = replace(sess, explorer=replace(sess.explorer, last=None))  # the last step's frame no longer fits
        return sess

    def _featured(self) -> Session:
        """The model on the features the settings now name: W gets a column per feature, so the weights
        start afresh (the initial weights of the settings) and Step back starts here; the points and
        their Undo stay. The arrows' pair follows when a feature of it is no longer on."""
        s, ex = self.settings, self.explorer
        feats = feature_names(s.features)
        if feats == ex.features:
            return self
        start, _ = preset_start(s, ex.n_classes)
        new = ex.with_features(feats).reset_weights(bias=s.bias, init=s.init, seed=s.init_seed, start=start)
        pair = s.pair
        if len(feats) >= 2 and not set(pair.split(",")) <= set(feats):
            pair = ",".join(feats[:2])
        sess = replace(self, explorer=new, settings=s.replace(pair=pair), buffer=(), playing=False)
        return sess.say("info", _features_note(ex.features, feats, new, pair if pair != s.pair else None))

    def load_preset(self) -> Session:
        """The preset's points (and, for a preset with a start of its own, its settings but the loss)."""
        s = self.settings
        exact = s.preset in datasets.STARTS
        if exact:
            s = s.replace(**{k: v for k, v in cfg.PRESET_SETTINGS[s.preset].items() if k != "loss"})
        ex = _preset_explorer(s, base=self.explorer)
        sess = self._new(explorer=ex, settings=s.replace(k=ex.n_classes), playing=False, buffer=(), active=0,
                         points_setup=_points_setup(s))  # fmt: skip
        if exact:
            sess = sess.say("info", f"Loaded the {cfg.PRESET_NAMES[s.preset]}: its points, weights and settings "
                                    f"(γ = {s.lr:g}, λ = {s.reg:g}, {cfg.PENALTIES[s.penalty]}, {cfg.MODES[s.mode]}); "
                                    "the loss stays the one chosen.")  # fmt: skip
        return sess

    # ----- files -----------------------------------------------------------------------------
    def load_csv(self, data: bytes) -> Session:
        """Replace the points by a CSV's (x,y,label); CSVError (nothing changed) if it is malformed."""
        X, y, names = read_csv(data)
        ex = self.explorer
        if names == [f"class {m}" for m in range(len(names))]:  # integer labels: keep the current names
            k = max(len(names), ex.n_classes)
            names = [ex.names[m] if m < ex.n_classes else DEFAULT_NAMES[m % MAX_CLASSES] for m in range(k)]
        if len(names) > MAX_CLASSES:
            raise CSVError(f"it has {len(names)} classes; the explorer shows at most {MAX_CLASSES}")
        s = self.settings
        test = datasets.split(len(y), s.test, s.seed, y)  # the held-out fraction in force, drawn by the seed
        new = ex.with_points(X, y, names, test).reset_weights(init=s.init, seed=s.init_seed)
        loaded = replace(self._edited(new), points_setup=())  # a file's points: no preset setup names them
        return loaded.say("success", f"Loaded {len(y)} points in {len(names)} classes.")

    def load_state(self, data: bytes) -> Session:
        """Replace everything by a saved state; StateFileError (nothing changed) if it is malformed."""
        ex, s, notes = _saved_state(data, self.settings)
        sess = self._new(explorer=_objective(ex, s), settings=s, playing=False, buffer=(), active=0, points_setup=())
        sess = sess.say("success", _opened(ex, "Loaded a saved state"))
        for n in notes:
            sess = sess.say("warning", n)
        return sess

    def open_shared(self, link: str) -> Session:
        """Replace everything by the state a shared link (the whole address, or its ``state=`` value)
        holds; ShareLinkError or StateFileError (nothing changed) if it cannot be read."""
        value = _state_value(link)
        ex, s, notes = _saved_state(sharelink.decode(value), self.settings)
        ex = _objective(ex, s)
        sess = self._new(explorer=ex, settings=s, playing=False, buffer=(), active=0, shared=(value, s, ex.X),
                         points_setup=())  # fmt: skip
        sess = sess.say("success", _opened(ex, "Opened a shared moment"))
        for n in notes:
            sess = sess.say("warning", n)
        return sess

    def state_json(self) -> str:
        return self.explorer.to_json(cfg.to_saved(self.settings))

    def share_value(self) -> str:
        """The ``state=`` value of a link to this very moment (Share this exact moment): the saved file,
        compressed; ShareLinkError if the state is too large for a link."""
        return sharelink.encode(self.explorer.to_json(cfg.to_saved(self.settings), compact=True))

    def points_csv(self) -> str:
        ex = self.explorer
        return write_csv(ex.X, ex.y, ex.names)

    def setup_query(self) -> dict[str, str]:
        """The link parameters of this setup: the settings (the points' as loaded) and the selected point."""
        q = cfg.to_query(self.settings.replace(**dict(self.points_setup)))
        if self.explorer.selected is not None:
            q["select"] = str(self.explorer.selected)
        return q

    def link_query(self) -> dict[str, str]:
        """The page's address: in a lesson, the lesson and its scene (and the viewer's presenter
        mode); a shared moment's ``state=`` while its settings and points are unchanged; else the setup."""
        if self.lesson is None and self.shared:
            value, settings, X = self.shared
            mine = {k: getattr(self.settings, k) for k in SHARED_VIEWER_KEYS}
            if settings.replace(**mine) == self.settings and X is self.explorer.X:
                viewer = {k: v for k, v in cfg.to_query(self.settings).items() if k in SHARED_VIEWER_KEYS}
                return {"state": value} | viewer  # the shared moment: a reload opens it again
        if self.lesson is None:
            return self.setup_query()
        q = {"lesson": self.lesson.name, "scene": str(self.scene)}
        return q | {k: v for k, v in cfg.to_query(self.settings).items() if k in VIEWER_KEYS}


POINTS_KEYS = ("preset", "n", "seed", "noise")  # what a preset's points are made from (Load preset)


def _points_setup(s: cfg.Settings) -> tuple:
    return tuple((k, getattr(s, k)) for k in POINTS_KEYS)


def _same_place(at: np.ndarray, start) -> bool:
    """Whether ``start`` (a pair of numbers the page sent) is the point ``at`` (the page has its exact floats)."""
    try:
        u, v = (float(c) for c in start)
    except (TypeError, ValueError):
        raise ValueError(f"{start!r} is not a pair of coordinates") from None
    return bool(abs(at[0] - u) <= 1e-9 * max(1.0, abs(u)) and abs(at[1] - v) <= 1e-9 * max(1.0, abs(v)))


def _scene_session(scene: Scene, present: bool) -> Session:
    """A session at a scene: its setup, then its presses (their messages kept); presenter mode if
    the viewer is in it."""
    if scene.state is None:
        sess = Session.start(dict(scene.link or ()) | ({"present": "1"} if present else {}))
    else:
        sess = Session.start({"present": "1"} if present else {}).load_state(scene.state.encode())
        sess = replace(sess, messages=tuple(m for m in sess.messages if m[0] != "success"))
        if present and not sess.settings.present:
            sess = sess.set("present", True)
    said = list(sess.messages)
    for kind, arg in press_actions(scene.presses):
        if kind == "step":
            sess = sess.run_chunked(arg)
        elif kind == "select":
            sess = sess.select(arg)
        said += sess.messages
    return replace(sess, messages=tuple(said))


def _saved_state(data, base: cfg.Settings) -> tuple[Explorer, cfg.Settings, list[str]]:
    """(explorer, settings, notes) of a saved state's JSON, read through the saved file's schema; the
    settings it lacks are ``base``'s, but for the penalty: a file without one was saved when ½λ‖W‖² was
    the only one. StateFileError (naming the key) if it is not one."""
    ex, saved = Explorer.from_json(data)
    if "penalty" not in saved:
        base = base.replace(penalty="half")
    s, notes = cfg.from_saved(saved, base.replace(k=ex.n_classes, bias=ex.state.has_bias))
    features = feature_text(ex.features)
    model = {"k": ex.n_classes, "bias": ex.state.has_bias, "features": features}  # the model decides
    has = {"k": f"{ex.n_classes} classes", "bias": "a bias" if ex.state.has_bias else "no bias",
           "features": f"the features {features}"}  # fmt: skip
    notes = [*notes, *(f"The file's settings say {key} = {getattr(s, key)}, but its model has {has[key]}: the "
                       "model decides, and the setting follows it." for key in model
                       if getattr(s, key) != model[key])]  # fmt: skip
    return ex, s.replace(**model), notes


def _opened(ex: Explorer, what: str) -> str:
    return f"{what}: {ex.n_points} points, {ex.n_classes} classes, step {ex.state.step}."


def _state_value(link: str) -> str:
    """The ``state=`` value of a pasted link, or the text itself when it is a bare value."""
    if not isinstance(link, str):
        raise sharelink.ShareLinkError(f"a shared link is text, not {type(link).__name__}")
    text = link.strip()
    if "state=" not in text:
        return text
    values = parse_qs(urlsplit(text).query or text.split("?", 1)[-1]).get("state", [])
    if len(values) != 1:
        raise sharelink.ShareLinkError("the link must hold exactly one state= value")
    return values[0]


def _last_values(query: Mapping[str, str | list[str]]) -> tuple[dict[str, str], list[tuple[str, list[str]]]]:
    """The link's parameters, each key's last value, and the keys given several times with their values."""
    last, repeated = {}, []
    for key, value in query.items():
        values = [value] if isinstance(value, str) else [str(v) for v in value]
        if not values:
            continue
        last[key] = values[-1]
        if len(values) > 1:
            repeated.append((key, values))
    return last, repeated


def _link_notes(query: Mapping[str, str], s: cfg.Settings) -> list[str]:
    """Notes for what a link says that was not used: a class count the preset fixes, unknown keys."""
    notes = []
    _, takes_k, fixed_k = datasets.PRESETS[s.preset]
    if "k" in query and not takes_k and s.k != fixed_k:
        notes.append(f"link parameter k={query['k']!r} was not used: the {s.preset} preset has {fixed_k} classes")
    notes += _unmatched_link_notes(query, s)
    unknown = sorted(k for k in query if k not in cfg.BY_URL and k not in LINK_KEYS)
    if unknown:
        many = len(unknown) > 1
        notes.append(f"link parameter{'s' * many} {', '.join(unknown)} {'are' if many else 'is'} not known and "
                     f"{'were' if many else 'was'} not used (the keys are "
                     f"{', '.join(sorted([*cfg.BY_URL, *LINK_KEYS]))})")  # fmt: skip
    return notes


def _unmatched_link_notes(query: Mapping[str, str], s: cfg.Settings) -> list[str]:
    """Notes for a link's keys that name what is not there: a pair of features not on, a scene without a lesson."""
    notes = []
    if "pair" in query and not set(s.pair.split(",")) <= set(s.features.split(",")):
        shown = ", ".join(f for f in shown_pair(feature_names(s.features), s.pair) if f)
        notes.append(f"link parameter pair={query['pair']!r} names a feature that is not on "
                     f"(features={s.features}): the arrows and the landscape show ({shown})")  # fmt: skip
    if "scene" in query and "lesson" not in query:
        notes.append(f"link parameter scene={query['scene']!r} was not used: it names a scene of a lesson, "
                     "and the link names no lesson=")  # fmt: skip
    return notes


def _objective_of(sess: Session) -> float | None:
    st = sess.explorer.state
    s = sess.settings
    return None if st.loss is None else st.loss + float(kernel.penalty(st.W, s.reg, s.penalty))


def _divergence(before: Session, after: Session, n: int) -> str | None:
    """A warning when a run of steps made the objective grow a hundredfold: the steps overshoot."""
    a, b = _objective_of(before), _objective_of(after)
    if a is None or b is None or n < 2 or not b > 100 * max(a, 1.0):
        return None
    lr, reg, c = before.settings.lr, before.settings.reg, 2 * kernel.PENALTIES[before.settings.penalty]
    why = "the steps overshoot: lower the learning rate γ."
    if c * lr * reg > 2:  # the L2 part of a step multiplies w by 1 - 2c γλ (c from the penalty's convention)
        shrink, bound = ("γλ", "γλ > 2") if c == 1 else ("2γλ", "γλ > 1")
        why = (
            f"the steps overshoot: with L2, each step multiplies the weights by about 1 − {shrink} = "
            f"{1 - c * lr * reg:g}, so they grow without bound while {bound}. Lower γ or λ."
        )
    return f"The objective grew from {a:.3g} to {b:.3g} over these {n} steps: {why}"


def _preset_explorer(s: cfg.Settings, base: Explorer | None = None) -> Explorer:
    """The preset ``s`` names; with ``base``, loaded into it (undoable, class names kept)."""
    k = s.k if datasets.PRESETS[s.preset][1] else datasets.PRESETS[s.preset][2]
    X, y, k = datasets.make(s.preset, s.n, k, s.seed, noise=s.noise)
    test = datasets.split(len(y), s.test, s.seed, y)
    if base is None:
        ex = replace(Explorer.new(k, bias=s.bias), X=X, y=y, test=test)
    else:
        names = list(base.names[:k])
        for m in range(len(names), k):
            names.append(free_name(names, DEFAULT_NAMES[m]))
        ex = base.with_points(X, y, names, test)
    start, _ = preset_start(s, k)
    ex = ex.with_features(feature_names(s.features))
    return _objective(ex, s).reset_weights(bias=s.bias, init=s.init, seed=s.init_seed, start=start)


def _features_note(before: tuple, after: tuple, ex: Explorer, pair: str | None) -> str:
    """What changing the features did (said in the app): the model's new width and its fresh weights."""
    shown = ", ".join(cfg.FEATURE_NAMES[f] for f in after)
    init = "zeros" if not np.any(ex.state.W) else "the initial weights chosen in Model"
    text = (f"The classifier is now linear in φ(x) = ({shown}): W has {len(after)} column{'s' * (len(after) > 1)}, "
            f"one per feature, so the weights start afresh ({init}) and Step back starts here. Undo still "
            "undoes point edits; switching a feature back starts the weights afresh again.")  # fmt: skip
    if pair is not None:
        over = ", ".join(cfg.FEATURE_NAMES[f] for f in pair.split(","))
        text += f" The arrows and the landscape now show the rows over ({over})."
    if in_plane(before) and not in_plane(after):
        text += " The regions on the plane are now painted from the model, pixel by pixel (no longer exact polygons)."
    return text


def preset_start(s: cfg.Settings, k: int) -> tuple[tuple | None, str]:
    """(the preset's own (W, b), "") when the settings start from it and it fits k classes; else (None,
    why the start is zeros instead, or "" when init is not "preset")."""
    if s.init != "preset":
        return None, ""
    start = datasets.STARTS.get(s.preset)
    if start is None:
        return None, f"The {s.preset} preset has no weights of its own: the initial weights are zeros."
    if len(start[0]) != k:
        return None, (f"The {s.preset} preset's own weights are for {len(start[0])} classes and there are {k}: "
                      "the initial weights are zeros.")  # fmt: skip
    return start, ""


def _objective(ex: Explorer, s: cfg.Settings) -> Explorer:
    """``ex`` with the loss the settings choose in force."""
    return ex.with_objective(s.loss, s.delta)


def _held_out(ex: Explorer, s: cfg.Settings) -> Explorer:
    """``ex`` with a fresh held-out split: the fraction ``s.test`` of each class, drawn by ``s.seed``."""
    test = datasets.split(ex.n_points, s.test, s.seed, ex.y)
    return ex if np.array_equal(test, ex.test) else ex.with_test(test)
