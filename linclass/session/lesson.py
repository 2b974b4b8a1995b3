"""A lesson: the scenes a lecturer moves through, read from a TOML file and checked against one table.

A scene is an exact setup (the settings of a link, as a ``[scene.link]`` table, or the whole text
of a saved state, ``state``), the presses run on entering it (``presses``), a ``title`` and a short
``caption``. A lesson is an ordered list of scenes (``[[scene]]``)::

    format = "linclass-lesson"
    version = 1
    title = "Softmax, step by step"

    [[scene]]
    title = "The derivation on one sample"
    caption = "No bias, point #4 as the sample: press Step and read The math."
    presses = ["step", "panel The math"]

    [scene.link]
    preset = "cs231n"
    bias = 0
    order = "click"
    select = 4

``parse_lesson(data, name)`` returns a ``Lesson`` or raises ``LessonError`` naming the scene, the
key and the line; ``lesson_toml(lesson)`` writes a file that reads back to the same scenes. The link
keys a scene takes are the settings' own (``settings.BY_URL``, read when a file is read) and
``select``: a setting added to the table is a scene key at once.

Presses: ``step`` (one Step), ``x10``, ``x100``, ``steps N`` (N steps at once), ``select I`` (point
#I becomes the sample) and ``panel NAME`` (the panel under the plots to open, one of ``PANELS``).
tomllib gives no line numbers for keys: the line is found by scanning the file's text for the
scene's table and the key (``_Lines``).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..core import datasets
from . import settings as cfg
from .explorer import Explorer
from .statefile import MAX_BYTES, StateFileError

__all__ = ["FORMAT", "LESSONS_ENV", "PANELS", "Lesson", "LessonError", "Scene", "builtin", "file_name", "find",
           "lesson_toml", "link_keys", "parse_lesson", "press_actions", "press_text", "read_lesson_file",
           "uploaded_name"]  # fmt: skip

FORMAT = "linclass-lesson"
MAX_SCENES = 200
MAX_TITLE = 120
MAX_CAPTION = 1000
MAX_PRESSES = 50
MAX_STEPS = 2_000  # the steps of one press, and of all a scene's presses together: entering a scene
# stays about as quick as a Step (the review: 50 presses of 10,000 full-batch steps on 300 points took 76 s)
# The panels under the plots, in the page's order (the page draws them under these names).
PANELS = ("Loss & accuracy", "The math", "Samples", "Loss landscape", "Simplex", "Weights W, b", "Gradient check")
BUILTIN_DIR = Path(__file__).resolve().parent / "lessons"
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
LESSONS_ENV = "LINCLASS_LESSONS"  # the launcher's lesson files (--lesson), for every session of its server


class LessonError(ValueError):
    """A lesson file that cannot be used; says which scene, key and line."""


def link_keys() -> frozenset[str]:
    """The keys a scene's link may hold: every setting's link key, and ``select``."""
    return frozenset({*cfg.BY_URL, "select"})


@dataclass(frozen=True)
class Scene:
    """One scene: ``link`` ((key, text) pairs, as in an address) or ``state`` (a saved state's JSON
    text), the presses (their text, checked), a title and a caption."""

    title: str
    caption: str = ""
    link: tuple[tuple[str, str], ...] | None = None
    state: str | None = None
    presses: tuple[str, ...] = ()

    @property
    def panel(self) -> str | None:
        """The panel the scene opens (its last ``panel`` press), or None."""
        names = [arg for kind, arg in press_actions(self.presses) if kind == "panel"]
        return names[-1] if names else None


@dataclass(frozen=True)
class Lesson:
    name: str  # in a link: ?lesson=<name>
    title: str
    scenes: tuple[Scene, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.scenes)


# ----- presses ------------------------------------------------------------------------------------
_PRESS = re.compile(r"\s*(step|x10|x100|steps\s+(\d{1,12})|select\s+(\d{1,6})|panel\s+(.+?))\s*", re.IGNORECASE)


def _press(text) -> tuple[str, object]:
    """("step", n) | ("select", i) | ("panel", name) for a press's text; ValueError saying what is allowed."""
    m = _PRESS.fullmatch(text) if isinstance(text, str) else None
    if m is None:
        raise ValueError(f"{_short(text)} is not a press (step, x10, x100, steps N, select I or panel NAME)")
    word = m.group(1).split()[0].lower()
    if word in ("step", "x10", "x100"):
        return "step", {"step": 1, "x10": 10, "x100": 100}[word]
    if word == "steps":
        n = int(m.group(2))
        if not 1 <= n <= MAX_STEPS:
            raise ValueError(f"steps {n}: a press takes 1 to {MAX_STEPS:,} steps")
        return "step", n
    if word == "select":
        return "select", int(m.group(3))
    name = next((p for p in PANELS if p.casefold() == m.group(4).casefold()), None)
    if name is None:
        raise ValueError(f"there is no panel {m.group(4)!r} (the panels are {', '.join(PANELS)})")
    return "panel", name


def press_actions(presses) -> list[tuple[str, object]]:
    """The presses' actions, in order: ("step", n), ("select", i), ("panel", name)."""
    return [_press(p) for p in presses]


def press_text(action: tuple[str, object]) -> str:
    kind, arg = action
    if kind == "step":
        return {1: "step", 10: "x10", 100: "x100"}.get(arg, f"steps {arg}")
    return f"{kind} {arg}"


# ----- the table ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Key:
    """One key of the file (``where``: "top" or "scene"): how to read it, whether it is required."""

    where: str
    key: str
    kind: str
    required: bool = True
    limit: int | None = None  # the longest text
    choices: tuple = ()


KEYS = (
    Key("top", "format", "text", choices=(FORMAT,)),
    Key("top", "version", "whole", choices=(1,)),
    Key("top", "title", "text", required=False, limit=MAX_TITLE),
    Key("top", "scene", "scenes"),
    Key("scene", "title", "text", limit=MAX_TITLE),
    Key("scene", "caption", "text", required=False, limit=MAX_CAPTION),
    Key("scene", "link", "link", required=False),
    Key("scene", "state", "state", required=False),
    Key("scene", "presses", "presses", required=False),  # after the setup: a select names one of its points
)
SETUPS = ("link", "state")  # a scene has exactly one


class _Fault(Exception):
    """A fault in a value: the message, and the key inside the scene (or the file) it is about."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


def _text(v, k: Key, _n):
    if not isinstance(v, str):
        raise _Fault(f"must be text, got {_short(v)}", k.key)
    v = v.strip()
    bad = next((c for c in v if unicodedata.category(c) == "Cc" and (c != "\n" or k.key == "title")), None)
    if bad is not None:
        raise _Fault(f"must not hold the control character {bad!r}", k.key)
    if k.key == "title" and k.where == "scene" and not v:
        raise _Fault("must not be empty", k.key)
    if k.limit and len(v) > k.limit:
        raise _Fault(f"must be at most {k.limit} characters, got {len(v)}", k.key)
    return v


def _whole(v, k: Key, _n):
    if isinstance(v, bool) or not isinstance(v, int):
        raise _Fault(f"must be a whole number, got {_short(v)}", k.key)
    return v


def _presses(v, k: Key, points):
    if not isinstance(v, list):
        raise _Fault(f"must be a list of presses, got {_short(v)}", k.key)
    if len(v) > MAX_PRESSES:
        raise _Fault(f"at most {MAX_PRESSES} presses, got {len(v)}", k.key)
    out = []
    for i, p in enumerate(v):
        try:
            action = _press(p)
        except ValueError as err:
            raise _Fault(f"press {i + 1}: {err}", k.key) from None
        if action[0] == "select" and action[1] >= points():
            raise _Fault(f"press {i + 1}: there is no point {action[1]} (the scene has {points()})", k.key)
        out.append(press_text(action))
    steps = sum(n for kind, n in press_actions(out) if kind == "step")
    if steps > MAX_STEPS:
        raise _Fault(f"the presses take {steps:,} steps in all: a scene takes at most {MAX_STEPS:,}", k.key)
    return tuple(out)


def _link(v, k: Key, _n) -> tuple[tuple[str, str], ...]:
    if not isinstance(v, dict):
        raise _Fault(f"must be a table of link keys, got {_short(v)}", k.key)
    keys, out = link_keys(), []
    for key, raw in v.items():
        where = f"{k.key}.{key}"
        if key not in keys:
            raise _Fault(f"is not a link key (the keys are {', '.join(sorted(keys))})", where)
        if not isinstance(raw, (str, int, float, bool)):
            raise _Fault(f"must be text, a number or true/false, got {_short(raw)}", where)
        try:
            text = _select_text(raw) if key == "select" else _setting_text(key, _as_text(raw))
        except ValueError as err:
            raise _Fault(str(err), where) from None
        out.append((key, text))
    return tuple(sorted(out))


def _as_text(raw) -> str:
    """A TOML value as a link writes it: true/false as 1/0, numbers as Python writes them."""
    if isinstance(raw, bool):
        return "1" if raw else "0"
    return repr(raw) if isinstance(raw, float) else str(raw)


def _setting_text(key: str, text: str) -> str:
    spec = cfg.BY_URL[key]
    return spec.text(spec.check(text))


def _select_text(raw) -> str:
    if isinstance(raw, bool) or not isinstance(raw, (int, str)) or not str(raw).strip().isdigit():
        raise ValueError(f"{_short(raw)} is not a point index")
    return str(int(raw))


def _state(v, k: Key, _n) -> str:
    if not isinstance(v, str):
        raise _Fault(f"must be a saved state's JSON text, got {_short(v)}", k.key)
    try:
        Explorer.from_json(v)
    except StateFileError as err:
        raise _Fault(f"is not a state linclass can load: {err}", k.key) from None
    return v


KINDS = {"text": _text, "whole": _whole, "presses": _presses, "link": _link, "state": _state}


# ----- line numbers: tomllib gives none for keys --------------------------------------------------
_KEY = r"""\s*(?:"{0}"|'{0}'|{0})\s*(?:=|\.)"""


class _Lines:
    """The file's lines, each with the scene it lies in (-1: before the first) and its table."""

    def __init__(self, text: str):
        self.rows, scene, table, quote = [], -1, "", None
        for no, line in enumerate(text.splitlines(), start=1):
            if quote is None:
                head = line.split("#", 1)[0].strip()
                if re.fullmatch(r"\[\[\s*(\"scene\"|scene)\s*\]\]", head):
                    scene, table = scene + 1, "scene"
                elif re.fullmatch(r"\[[^\[\]]+\]", head):
                    table = re.sub(r"[\s\"']", "", head[1:-1])
                self.rows.append((no, scene, table, line))
            quote = _quote_after(line, quote)

    def line(self, scene: int | None, key: str) -> int:
        """The line of ``key`` ("presses", "link.lr") in scene ``scene`` (None: the file's top),
        else of the scene's header, else 1."""
        first, _, rest = key.partition(".")
        own = [(no, table, text) for no, s, table, text in self.rows if s == (-1 if scene is None else scene)]
        prefix = "" if scene is None else "scene"
        first, rest = re.escape(first), re.escape(rest)
        tries = [(prefix, first)]  # the key itself; for "link.lr": its table's line, a dotted key, the inline table
        if rest:
            tries = [(f"{prefix}.{first}".lstrip("."), rest), (prefix, rf"{first}\s*\.\s*{rest}"), (prefix, first)]
        for table_name, pattern in tries:
            for no, table, text in own:
                if table == table_name and re.match(_KEY.format(pattern), text):
                    return no
        return own[0][0] if own else 1

    def scene_at(self, line: int) -> int:
        return next((s for no, s, _, _ in reversed(self.rows) if no <= line), -1)


def _quote_after(line: str, quote: str | None) -> str | None:
    """The multi-line string open after ``line`` (''' or \"\"\"), given the one open before it."""
    for m in re.finditer(r"'''|\"\"\"", line):
        if quote is None:
            quote = m.group()
        elif m.group() == quote:
            quote = None
    return quote


# ----- reading ------------------------------------------------------------------------------------
def _short(value) -> str:
    s = json.dumps(value) if isinstance(value, (str, int, float, bool)) else type(value).__name__
    return s if len(s) <= 40 else s[:37] + "..."


def _load(data) -> tuple[str, dict]:
    if not isinstance(data, (bytes, bytearray, str)):
        raise LessonError(f"a lesson is TOML text or bytes, not {type(data).__name__}")
    if len(data) > MAX_BYTES:
        raise LessonError(f"the file is larger than {MAX_BYTES:,} bytes")
    try:
        text = data if isinstance(data, str) else bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LessonError("the file is not UTF-8 text") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise LessonError(_toml_error(text, str(err))) from None
    except (ValueError, RecursionError) as err:  # tomllib's int() of a 5,000-digit number; deep nesting
        raise LessonError(f"not a lesson linclass can read: {type(err).__name__}") from None


def _toml_error(text: str, msg: str) -> str:
    m = re.search(r"at line (\d+)", msg)
    line = int(m.group(1)) if m else len(text.splitlines()) or 1  # tomllib: "at end of document"
    scene = _Lines(text).scene_at(line)
    where = f"scene {scene + 1}, " if scene >= 0 else ""
    return f"{where}line {line}: not valid TOML: {msg}"


def _fail(lines: _Lines, scene: int | None, title: str | None, fault: _Fault) -> LessonError:
    named = f" ({_short(title)})" if title else ""
    where = f"scene {scene + 1}{named}, " if scene is not None else ""
    return LessonError(f'{where}key "{fault.key}", line {lines.line(scene, fault.key)}: {fault}')


def _read(doc: dict, where: str, points=lambda: 0) -> dict:
    """The keys of table ``doc`` read by the ``where`` rows of KEYS; _Fault for a bad or unknown one."""
    rows = [k for k in KEYS if k.where == where]
    unknown = sorted(set(doc) - {k.key for k in rows})
    if unknown:
        raise _Fault(f"is not a key of a {'scene' if where == 'scene' else 'lesson'} (the keys are "
                     f"{', '.join(k.key for k in rows)})", unknown[0])  # fmt: skip
    out = {}
    for k in rows:
        if k.key not in doc:
            if k.required:
                raise _Fault("is missing", k.key)
            continue
        value = KINDS[k.kind](doc[k.key], k, points) if k.kind != "scenes" else doc[k.key]
        if k.choices and value not in k.choices:
            raise _Fault(f"must be {' or '.join(map(json.dumps, k.choices))}, got {_short(doc[k.key])}", k.key)
        out[k.key] = value
    return out


@cache
def _preset_size(link: tuple) -> int:
    s, _ = cfg.from_query(dict(link))
    k = s.k if datasets.PRESETS[s.preset][1] else datasets.PRESETS[s.preset][2]
    return len(datasets.make(s.preset, s.n, k, s.seed, noise=s.noise)[1])


def _points(doc: dict) -> int:
    """How many points the scene's setup has (a ``select`` must name one of them)."""
    if isinstance(doc.get("state"), str):
        try:
            return Explorer.from_json(doc["state"])[0].n_points
        except StateFileError:
            return 0  # the state's own check names the fault
    link = doc.get("link") if isinstance(doc.get("link"), dict) else {}
    keys = ("preset", "n", "k", "seed", "noise")  # what the points depend on
    given = [(k, _as_text(v)) for k, v in link.items() if k in keys and isinstance(v, (str, int, float))]
    return _preset_size(tuple(given))


def _scene(doc, index: int, lines: _Lines) -> Scene:
    title = doc.get("title") if isinstance(doc, dict) and isinstance(doc.get("title"), str) else None
    try:
        if not isinstance(doc, dict):
            raise _Fault(f"must be a table, got {_short(doc)}", "scene")
        setups = [k for k in SETUPS if k in doc]
        if len(setups) != 1:
            raise _Fault("a scene has either a link table or a saved state, not " + ("both" if setups else "neither"),
                         setups[-1] if setups else "title")  # fmt: skip
        points = cache(lambda: _points(doc))  # counted once, and only for a select
        values = _read(doc, "scene", points)
        select = dict(values.get("link") or ()).get("select")
        if select is not None and int(select) >= points():
            raise _Fault(f"there is no point {select} (the scene has {points()})", "link.select")
    except _Fault as fault:
        raise _fail(lines, index, title, fault) from None
    return Scene(values["title"], values.get("caption", ""), values.get("link"), values.get("state"),
                 values.get("presses", ()))  # fmt: skip


def parse_lesson(data: bytes | str, name: str) -> Lesson:
    """The checked lesson in a TOML file's bytes or text; LessonError (scene, key, line) if it is not one."""
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise LessonError(f"{name!r} is not a lesson name (lower-case letters, digits, - and _)")
    text, doc = _load(data)
    lines = _Lines(text)
    try:
        top = _read(doc, "top")
        scenes = top["scene"]
        if not isinstance(scenes, list) or not 1 <= len(scenes) <= MAX_SCENES:
            raise _Fault(f"must be 1 to {MAX_SCENES} [[scene]] tables", "scene")
    except _Fault as fault:
        raise _fail(lines, None, None, fault) from None
    return Lesson(name, top.get("title") or name, tuple(_scene(s, i, lines) for i, s in enumerate(scenes)))


# ----- writing ------------------------------------------------------------------------------------
def _toml_string(s: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, and DEL, which JSON leaves, is escaped too."""
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(key: str, text: str) -> str:
    """A link value as TOML: typed as its setting (a number, true/false, text)."""
    if key == "select":
        return text
    value = cfg.BY_URL[key].check(text)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return _toml_string(str(value))


def _state_toml(text: str) -> str:
    if "'''" not in text and not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text):
        return "'''\n" + text + "'''"  # a literal string: the JSON as it is
    return _toml_string(text)


def lesson_toml(lesson: Lesson) -> str:
    """The lesson as a TOML file that ``parse_lesson`` reads back to the same scenes."""
    out = [f"format = {_toml_string(FORMAT)}", "version = 1", f"title = {_toml_string(lesson.title)}"]
    for s in lesson.scenes:
        out += ["", "[[scene]]", f"title = {_toml_string(s.title)}"]
        if s.caption:
            out.append(f"caption = {_toml_string(s.caption)}")
        if s.presses:
            out.append(f"presses = [{', '.join(_toml_string(p) for p in s.presses)}]")
        if s.state is not None:
            out.append(f"state = {_state_toml(s.state)}")
        else:
            out += ["", "[scene.link]", *(f"{k} = {_toml_value(k, v)}" for k, v in s.link or ())]
    return "\n".join(out) + "\n"


# ----- where lessons come from --------------------------------------------------------------------
@cache
def builtin() -> dict[str, Lesson]:
    """The lessons that come with linclass (``lessons/*.toml``), by name."""
    return {p.stem: parse_lesson(p.read_bytes(), p.stem) for p in sorted(BUILTIN_DIR.glob("*.toml"))}


def find(name: str, loaded=None) -> Lesson:
    """The lesson called ``name``: a built-in one, else one of ``loaded`` (a mapping); ValueError."""
    found = builtin().get(name) or (loaded or {}).get(name)
    if found is None:
        known = sorted({*builtin(), *(loaded or {})})
        raise ValueError(f"there is no lesson {name!r} (the lessons are {', '.join(known)})")
    return found


def file_name(filename: str) -> str:
    """A lesson's name from its file's name: the stem, lower-case, other characters as "-"."""
    return re.sub(r"[^a-z0-9_-]+", "-", Path(filename).stem.lower()).strip("-_")[:40] or "lesson"


def uploaded_name(filename: str, data: bytes) -> str:
    """The name of a lesson loaded from a file in the page: its file name's stem and a hash of its
    content, so no later file can take over a name students were given."""
    return f"{file_name(filename)}-{hashlib.sha256(bytes(data)).hexdigest()[:8]}"


def read_lesson_file(path: str | Path) -> Lesson:
    """The lesson in a file the launcher serves (``--lesson FILE``), named by ``file_name``;
    LessonError naming the file if it cannot be read, is not a lesson, or takes a built-in's name."""
    path = Path(path)
    name = file_name(path.name)
    if name in builtin():
        raise LessonError(f"{path}: the name {name!r} is a built-in lesson's; rename the file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise LessonError(f"{path}: cannot be read ({err.strerror or err})") from None
    try:
        return parse_lesson(data, name)
    except LessonError as err:
        raise LessonError(f"{path}: {err}") from None
