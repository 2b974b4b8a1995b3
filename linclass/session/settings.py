"""Every user setting in one table: name, type, default, allowed values, label, URL key, saved-state key.

The table drives everything else: the defaults of ``Settings``, the widgets' choices and labels,
reading a shared link (``from_query``), writing one (``to_query``), and the settings block of a
saved state (``to_saved`` / ``from_saved``). Adding a setting is one row. A bad value on the way
in is never taken silently: it is skipped, the default stays, and a note names the key and why.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields, make_dataclass, replace

from ..core.datasets import PRESETS
from ..core.features import feature_names, feature_text
from ..core.limits import MAX_CLASSES, MIN_CLASSES
from ..core.objective import PENALTIES as CONVENTIONS

__all__ = ["Setting", "SETTINGS", "Settings", "LR_RANGE", "REG_RANGE", "from_query", "to_query", "from_saved",
           "to_saved"]  # fmt: skip

LR_RANGE = (1e-6, 100.0)  # any typed value in range: the CS231n demo's 0.1, the Break-it walk-through's 10
REG_RANGE = (0.0, 10.0)
DELTAS = (0.1, 0.5, 1.0, 2.0, 5.0)
TESTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)  # held-out fraction, as TensorFlow Playground's ratio slider
NOISES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)  # std of extra jitter, in plane units
SEED_MAX = 2**31 - 1


@dataclass(frozen=True)
class Setting:
    """One row of the table. ``choices`` (a tuple) or ``bounds`` (lo, hi) say what is allowed."""

    name: str
    type: type
    default: object
    label: str
    choices: tuple = ()
    bounds: tuple | None = None
    url: str | None = None  # key in a shared link; None: not in links
    saved: str | None = None  # key in a saved state's settings; None: not saved
    names: Mapping = field(default_factory=dict)  # how a choice reads in the app
    why: str = ""  # said when a value is out of bounds
    parse: Callable | None = None  # text settings with a grammar: the canonical text, or ValueError

    def check(self, value) -> object:
        """``value`` converted to this setting's type; ValueError saying what is allowed."""
        v = _convert(self.type, value)
        if self.parse is not None:
            return self.parse(v)
        if self.choices and v not in self.choices:
            shown = ", ".join(_fmt(c) for c in self.choices)
            raise ValueError(f"{_fmt(v)} is not one of {shown}")
        if self.bounds and not self.bounds[0] <= v <= self.bounds[1]:
            why = f" ({self.why})" if self.why else ""
            raise ValueError(f"{_fmt(v)} is outside {_fmt(self.bounds[0])}..{_fmt(self.bounds[1])}{why}")
        return v

    def text(self, value) -> str:
        """The value as it goes into a link."""
        if self.type is bool:
            return "1" if value else "0"
        if isinstance(value, float) and float(_fmt(value)) != value:
            return repr(value)  # a typed value such as 0.1234567 whole: the link gives back the very same float
        return _fmt(value)


def _fmt(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _convert(kind: type, value):
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("1", "true", "on", "yes", "0", "false", "off", "no"):
            return value.strip().lower() in ("1", "true", "on", "yes")
        raise ValueError(f"{value!r} is not 0 or 1")
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"{value!r} is not a whole number")
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a whole number") from None
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError(f"{value!r} is not a number")
        try:
            v = float(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
        if not math.isfinite(v):
            raise ValueError(f"{value!r} is not a finite number")
        return v
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    return value.strip()


MODES = {"sample": "single sample (the derivation's Lᵢ)", "minibatch": "mini-batch", "batch": "full batch"}
ORDERS = {"click": "chosen by click", "cyclic": "cyclic", "shuffle": "shuffled (seeded)"}
INITS = {"zeros": "zeros", "random": "random", "preset": "the preset's own"}  # own: core.datasets.STARTS
PENALTIES = {"half": "½λ‖W‖² (gradient λW)", "full": "λ‖W‖² (CS231n; gradient 2λW)"}  # each convention, in words
LOSSES = {
    "softmax": "softmax cross-entropy",
    "hinge": "multiclass SVM (Weston-Watkins hinge)",
    "ova": "one-vs-all hinge",
    "structured": "structured SVM",
}  # every loss of core.losses, in words
LOSS_NAMES = {
    "softmax": "cross-entropy",
    "hinge": "hinge loss",
    "ova": "one-vs-all hinge loss",
    "structured": "structured SVM loss",
}  # the loss as the curves and the status line name it
PERCENT = {v: f"{100 * v:.0f} %" for v in TESTS}
FEATURE_NAMES = {"x1": "x₁", "x2": "x₂", "x1sq": "x₁²", "x2sq": "x₂²", "x1x2": "x₁x₂", "sinx1": "sin x₁",
                 "sinx2": "sin x₂"}  # every feature of core.features, as the page writes it  # fmt: skip


def pair_text(value) -> str:
    """Two different features, "x1,x2" (the first is the horizontal axis): the columns of W the
    arrows and the landscape draw; ValueError saying what is wrong."""
    parts = [p.strip() for p in str(value).split(",")]
    if len(parts) != 2 or parts[0] == parts[1]:
        raise ValueError(f"{value!r} is not two different features such as x1,x2")
    return ",".join(feature_names([p])[0] for p in parts)


PRESET_NAMES = {"blobs": "Gaussian blobs", "cs231n": "CS231n demo (3 classes)", "xor": "XOR", "circles": "circles",
                "spiral": "spiral", "moons": "two moons",
                "cs231n-demo": "CS231n demo, its exact start (W, b, γ, λ)"}  # fmt: skip
# What a preset sets unless a link says otherwise. cs231n-demo is the CS231n demo's exact start: its nine
# points in its order, its W and b (init "preset"), bias on, step size 0.1, reg 0.1 with its penalty
# lambda * sum W^2 ("full"), full batch, and its first loss (Weston-Watkins); Load preset sets these too,
# but for the loss, which stays the one chosen.
PRESET_SETTINGS = {
    "cs231n": {"n": 9},
    "cs231n-demo": {"n": 9, "noise": 0.0, "test": 0.0, "bias": True, "init": "preset", "mode": "batch", "lr": 0.1,
                    "reg": 0.1, "penalty": "full", "loss": "hinge"},
}  # fmt: skip

S = Setting
SETTINGS: tuple[Setting, ...] = (
    S("preset", str, "blobs", "Preset", tuple(PRESETS), url="preset", saved="preset", names=PRESET_NAMES),
    S("n", int, 60, "Points", bounds=(1, 5000), url="n", saved="n"),
    S(
        "k",
        int,
        3,
        "Classes",
        bounds=(MIN_CLASSES, MAX_CLASSES),
        url="k",
        saved="k",
        why=f"the explorer shows between {MIN_CLASSES} and {MAX_CLASSES} classes",
    ),
    S("seed", int, 0, "Seed", bounds=(0, SEED_MAX), url="seed", saved="seed"),
    S("noise", float, 0.0, "Noise (extra jitter)", NOISES, url="noise", saved="noise"),
    S("test", float, 0.0, "Held out as test points", TESTS, url="test", saved="test", names=PERCENT),
    S("bias", bool, True, "Bias b (off: the derivation's f = W x)", url="bias", saved="bias"),
    S("init", str, "zeros", "Initial weights", tuple(INITS), url="init", saved="init", names=INITS),
    S("init_seed", int, 0, "Initialisation seed", bounds=(0, SEED_MAX), url="init_seed", saved="init_seed"),
    S("mode", str, "sample", "Step on", tuple(MODES), url="mode", saved="mode", names=MODES),
    S("order", str, "cyclic", "Sample order", tuple(ORDERS), url="order", saved="order", names=ORDERS),
    S("order_seed", int, 0, "Shuffle seed", bounds=(0, SEED_MAX), url="order_seed", saved="order_seed"),
    S("batch", int, 16, "Batch size B", bounds=(1, 1024), url="batch", saved="batch_size"),
    S("lr", float, 0.1, "Learning rate γ", bounds=LR_RANGE, url="lr", saved="lr"),
    S("reg", float, 0.0, "L2 strength λ", bounds=REG_RANGE, url="reg", saved="reg"),
    S("penalty", str, "half", "L2 penalty", tuple(CONVENTIONS), url="penalty", saved="penalty", names=PENALTIES),
    S("loss", str, "softmax", "Loss", tuple(LOSSES), url="loss", saved="loss", names=LOSSES),
    S("delta", float, 1.0, "SVM margin Δ", DELTAS, url="delta", saved="delta"),
    S(
        "features",
        str,
        "x1,x2",
        "Features φ(x)",
        url="features",
        saved="features",
        parse=feature_text,
        names=FEATURE_NAMES,
    ),
    S(
        "pair",
        str,
        "x1,x2",
        "Arrows and landscape over",
        url="pair",
        saved="pair",
        parse=pair_text,
        names=FEATURE_NAMES,
    ),
    S("per_frame", int, 1, "Steps per Play frame", bounds=(1, 50), url="per_frame", saved="per_frame"),
    S("shading", bool, False, "Confidence shading", url="shading", saved="shading"),
    S("compare", bool, False, "Curve: both losses", url="compare", saved="compare"),
    S("geometry", bool, False, "Lines and normals on the plane", url="geometry", saved="geometry"),
    S("present", bool, False, "Presenter mode", url="present", saved="present"),
)
del S
BY_NAME = {s.name: s for s in SETTINGS}
BY_URL = {s.url: s for s in SETTINGS if s.url}
BY_SAVED = {s.saved: s for s in SETTINGS if s.saved}

Settings = make_dataclass(
    "Settings",
    [(s.name, s.type, field(default=s.default)) for s in SETTINGS],
    frozen=True,
    namespace={
        "__doc__": "The value of every setting in ``SETTINGS``; the defaults are the table's.",
        "replace": lambda self, **kw: replace(self, **kw),
        "as_dict": lambda self: asdict(self),
    },
)


def with_value(s: Settings, name: str, value) -> Settings:
    """``s`` with one setting changed, checked against the table (ValueError naming the setting)."""
    spec = BY_NAME[name]
    try:
        return replace(s, **{name: spec.check(value)})
    except ValueError as err:
        raise ValueError(f"{spec.label} ({name}): {err}") from None


def from_query(params: Mapping[str, str], base: Settings | None = None) -> tuple[Settings, list[str]]:
    """Settings from a shared link's query parameters, and a note for every value not taken.

    Keys that are not settings (``select``, say) are left to the caller; unknown keys are ignored.
    """
    s = base or Settings()
    values, notes = _taken(params, BY_URL, lambda key, raw, err: f"link parameter {key}={raw!r} was not used: {err}")
    for name, value in PRESET_SETTINGS.get(values.get("preset"), {}).items():
        values.setdefault(name, value)  # the preset's own settings, unless the link says otherwise
    return replace(s, **values), notes


def to_query(s: Settings) -> dict[str, str]:
    """The link parameters that reproduce ``s`` (settings at the value a link without them gives, the
    preset's own or the default, are left out)."""
    out, own = {}, PRESET_SETTINGS.get(s.preset, {})
    for spec in SETTINGS:
        v = getattr(s, spec.name)
        if spec.url and v != own.get(spec.name, spec.default):
            out[spec.url] = spec.text(v)
    return out


def to_saved(s: Settings) -> dict:
    return {spec.saved: getattr(s, spec.name) for spec in SETTINGS if spec.saved}


def from_saved(d: Mapping, base: Settings | None = None) -> tuple[Settings, list[str]]:
    """Settings from a saved state's settings block, and a note for every value not taken.

    Files of version 1 stored the order of batches as ``batch_order``; it is read as ``order``
    when the file's step mode is a batch mode.
    """
    s = base or Settings()
    d = dict(d)
    if d.get("mode") in ("minibatch", "batch") and "batch_order" in d:
        d["order"] = d.pop("batch_order")
    values, notes = _taken(d, BY_SAVED, lambda key, raw, err: f"saved setting {key} was not used: {err}")
    return replace(s, **values), notes


def _taken(items: Mapping, specs: Mapping, note) -> tuple[dict, list[str]]:
    """({setting name: checked value}, notes) for the ``items`` whose keys ``specs`` knows; a value
    that fails its check is left out, and ``note(key, raw, err)`` says why. Unknown keys are ignored."""
    values, notes = {}, []
    for key, raw in items.items():
        spec = specs.get(key)
        if spec is None:
            continue
        try:
            values[spec.name] = spec.check(raw)
        except ValueError as err:
            notes.append(note(key, raw, err))
    return values, notes


def names_of(s: Settings) -> tuple[str, ...]:
    return tuple(f.name for f in fields(s))
