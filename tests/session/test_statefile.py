"""parse_state: today's saved files load, hostile files are a StateFileError and nothing else."""

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import linclass
from linclass.session import statefile
from linclass.session.boundary import safely
from linclass.session.statefile import StateDoc, StateFileError, parse_state


@pytest.fixture(scope="module")
def v1_text():
    """A file written by today's Explorer.to_json (version 1)."""
    ex = linclass.Explorer.from_preset("blobs", 30, 3).select(4)
    ex = ex.step(linclass.Optimizer(mode="batch", lr=0.1), 3)
    return ex.to_json({"lr": 0.1})


@pytest.fixture(scope="module")
def v1(v1_text):
    return json.loads(v1_text)


def test_a_file_saved_by_today_s_explorer_parses(v1_text):
    ex = linclass.Explorer.from_preset("blobs", 30, 3).select(4)
    ex = ex.step(linclass.Optimizer(mode="batch", lr=0.1), 3)
    for data in (v1_text, v1_text.encode()):
        doc = parse_state(data)
        assert isinstance(doc, StateDoc) and doc.version == 1
        assert doc.names == ("A", "B", "C")
        np.testing.assert_array_equal(doc.X, ex.X)
        np.testing.assert_array_equal(doc.y, ex.y)
        assert doc.y.dtype == np.intp and doc.X.shape == (30, 2)
        np.testing.assert_array_equal(doc.W, ex.state.W)
        np.testing.assert_array_equal(doc.b, ex.state.b)
        assert doc.step == 3 and doc.selected == 4 and doc.settings == {"lr": 0.1}
        assert doc.order is None and doc.by_click is None


def test_the_doc_is_frozen_and_its_arrays_read_only(v1_text):
    doc = parse_state(v1_text)
    with pytest.raises(AttributeError):
        doc.step = 9
    with pytest.raises(ValueError):
        doc.W[0, 0] = 1.0


def test_no_bias_no_points_and_defaults(v1):
    d = {k: v for k, v in v1.items() if k not in ("step", "selected", "settings")}
    d |= {"b": None, "points": {"x": [], "y": [], "label": []}}
    doc = parse_state(json.dumps(d))
    assert doc.b is None and doc.X.shape == (0, 2) and doc.y.shape == (0,)
    assert doc.step == 0 and doc.selected is None and doc.settings == {}


def test_version_2_with_order_and_by_click(v1):
    doc = parse_state(json.dumps(v1 | {"version": 2, "order": "shuffle", "by_click": True, "future": [1]}))
    assert doc.version == 2 and doc.order == "shuffle" and doc.by_click is True
    with pytest.raises(StateFileError, match='"by_click"'):
        parse_state(json.dumps(v1 | {"version": 2, "by_click": 1}))
    with pytest.raises(StateFileError, match='"order"'):
        parse_state(json.dumps(v1 | {"version": 2, "order": 3}))


def test_unknown_keys_are_ignored(v1):
    assert parse_state(json.dumps(v1 | {"comment": {"a": [1, 2]}})).step == 3


# ---------- the findings ------------------------------------------------------------------


def test_deep_nesting_is_refused_without_recursion():
    for data in ("[" * 5000 + "]" * 5000, '{"a":' * 5000 + "1" + "}" * 5000, "[" * 100_000):
        with pytest.raises(StateFileError, match="nested"):
            parse_state(data)


def test_nesting_inside_strings_does_not_count(v1):
    doc = parse_state(json.dumps(v1 | {"settings": {"note": "[" * 5000}}))
    assert doc.settings["note"] == "[" * 5000


@pytest.mark.parametrize("data", ['"' + '\\"' * 200_000, '"a\\' * 200_000, "[" * 2_000_000])
def test_the_inputs_that_made_the_scan_quadratic_are_refused(data):
    # A string pattern that can fail restarts at every later quote: these took minutes that way. How long
    # the scan takes is measured by benchmarks/state_scan.py (no test asserts on time).
    with pytest.raises(StateFileError):
        parse_state(data)


def test_digit_runs_are_counted_whole(v1):
    settings = {"a": 10**99, "b": 0.1234567890123456789}
    assert parse_state(json.dumps(v1 | {"settings": settings})).settings == settings


def test_a_5000_digit_integer_is_refused(v1):
    with pytest.raises(StateFileError, match="digits"):
        parse_state(json.dumps(v1 | {"step": 0}).replace('"step": 0', '"step": ' + "9" * 5000))
    with pytest.raises(StateFileError, match="digits"):
        parse_state("9" * 5000)


def test_weights_whose_scores_overflow_are_refused(v1):
    with pytest.raises(StateFileError, match='"W": weights .* at most'):  # the bound every panel draws to
        parse_state(json.dumps(v1 | {"W": [[1.7e308, 1.7e308], [0, 0], [0, 0]]}))
    with pytest.raises(StateFileError, match='"b": weights .* at most'):
        parse_state(json.dumps(v1 | {"b": [1.7e308, -1.7e308, 0]}))


def test_large_weights_whose_scores_stay_finite_load(v1):
    doc = parse_state(json.dumps(v1 | {"W": [[1e7, 0], [0, -1e7], [0, 0]]}))
    assert doc.W[0, 0] == 1e7


@pytest.mark.parametrize("sel", [True, False, 1.0, "1", -1, 30, [1]])
def test_selected_must_be_a_point_index_or_null(v1, sel):
    with pytest.raises(StateFileError, match='"selected"'):
        parse_state(json.dumps(v1 | {"selected": sel}))


@pytest.mark.parametrize("names", [["a", " a", "b"], ["A", "A ", "C"], ["a  b", "a b", "c"], ["", "A", "B"]])
def test_class_names_must_be_unique_after_trimming(v1, names):
    with pytest.raises(StateFileError, match='"names".*twice'):
        parse_state(json.dumps(v1 | {"names": names}))


def test_names_are_cleaned_as_the_explorer_shows_them(v1):
    doc = parse_state(json.dumps(v1 | {"names": ["  cat\tfish ", "x" * 50, "B"]}))
    assert doc.names == ("cat fish", "x" * 40, "B")


# ---------- every other way a file can be wrong ---------------------------------------------


@pytest.mark.parametrize(
    "change,fragment",
    [
        ({"format": "other"}, '"format"'),
        ({"version": 7}, '"version"'),
        ({"version": True}, '"version"'),
        ({"names": []}, '"names"'),
        ({"names": ["a", 2, "c"]}, '"names"'),
        ({"names": list("ABCDEFGHI")}, '"names"'),
        ({"names": ["a", "b\x00", "c"]}, '"names"'),
        ({"W": [[1, 2]]}, '"W"'),
        ({"W": [[1, "x"], [0, 0], [0, 0]]}, '"W"'),
        ({"W": [[1, True], [0, 0], [0, 0]]}, '"W"'),
        ({"W": [[1, 2, 3], [0, 0], [0, 0]]}, '"W"'),
        ({"W": None}, '"W"'),
        ({"b": [1]}, '"b"'),
        ({"b": "none"}, '"b"'),
        ({"points": [1, 2]}, '"points"'),
        ({"points": {"x": [1], "y": [2], "label": [5]}}, '"points.label"'),
        ({"points": {"x": [1], "y": [2], "label": [0.0]}}, '"points.label"'),
        ({"points": {"x": [1], "y": [2], "label": [True]}}, '"points.label"'),
        ({"points": {"x": [1, 2], "y": [2], "label": [0]}}, '"points.y"'),
        ({"points": {"x": [1e300], "y": [2], "label": [0]}}, '"points.x"'),
        ({"points": {"x": ["a"], "y": [2], "label": [0]}}, '"points.x"'),
        ({"points": {"x": [[1]], "y": [2], "label": [0]}}, '"points.x"'),
        ({"points": {"y": [2], "label": [0]}}, '"points.x"'),
        ({"step": -1}, '"step"'),
        ({"step": 1.5}, '"step"'),
        ({"settings": [1]}, '"settings"'),
        ({"settings": {"lr": [0.1]}}, '"settings.lr"'),
        ({"settings": {"lr": {"a": 1}}}, '"settings.lr"'),
    ],
)
def test_bad_fields_are_named(v1, change, fragment):
    with pytest.raises(StateFileError, match=fragment):
        parse_state(json.dumps(v1 | change))


@pytest.mark.parametrize("key", ["format", "version", "names", "points", "W"])
def test_required_keys(v1, key):
    with pytest.raises(StateFileError, match=f'"{key}"'):
        parse_state(json.dumps({k: v for k, v in v1.items() if k != key}))


@pytest.mark.parametrize(
    "data,fragment",
    [
        (b"\xff\xfe{}", "UTF-8"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a linclass state"),
        ("", "not valid JSON"),
        ('{"format": "linclass-state", "version": 1, "W": NaN}', "NaN"),
    ],
)
def test_not_a_state_file(data, fragment):
    with pytest.raises(StateFileError, match=fragment):
        parse_state(data)


def test_size_and_value_count_are_bounded_before_parsing(monkeypatch, v1_text):
    monkeypatch.setattr(statefile, "MAX_BYTES", 100)
    with pytest.raises(StateFileError, match="larger than"):
        parse_state(v1_text)
    monkeypatch.undo()
    monkeypatch.setattr(statefile, "MAX_VALUES", 50)
    with pytest.raises(StateFileError, match="values"):
        parse_state(v1_text)


def test_not_text_at_all():
    with pytest.raises(StateFileError):
        parse_state(12)


def test_schema_is_one_table():
    keys = [f.key for f in statefile.FIELDS]
    assert len(keys) == len(set(keys))
    for key in ("format", "version", "names", "points.x", "points.y", "points.label", "W", "b", "step",
                "selected", "settings", "order", "by_click"):  # fmt: skip
        assert key in keys


# ---------- fuzz: only StateFileError comes out ------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
KEYS = ["format", "version", "names", "points", "W", "b", "step", "selected", "settings", "order", "by_click"]


def only_state_file_errors(data):
    try:
        parse_state(data)
    except StateFileError:
        pass


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_fuzz_random_bytes(data):
    only_state_file_errors(data)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_fuzz_random_json_values(value):
    only_state_file_errors(json.dumps(value))


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_fuzz_mutated_valid_documents(v1, data):
    doc = json.loads(json.dumps(v1))
    doc["version"] = data.draw(st.sampled_from([1, 2]))
    for _ in range(data.draw(st.integers(1, 3))):
        key = data.draw(st.sampled_from(KEYS))
        action = data.draw(st.sampled_from(["drop", "replace", "inner"]))
        if action == "drop":
            doc.pop(key, None)
        elif action == "inner" and isinstance(doc.get(key), dict) and doc[key]:
            inner = data.draw(st.sampled_from(sorted(doc[key])))
            doc[key][inner] = data.draw(JSON)
        elif action == "inner" and isinstance(doc.get(key), list) and doc[key]:
            doc[key][data.draw(st.integers(0, len(doc[key]) - 1))] = data.draw(JSON)
        else:
            doc[key] = data.draw(JSON)
    text = json.dumps(doc)
    only_state_file_errors(text)
    cut = data.draw(st.integers(0, len(text)))
    only_state_file_errors(text[:cut])  # a truncated file


@pytest.mark.parametrize("points", [True, False])
def test_weights_near_the_float_maximum_are_refused_at_load(points):
    # Issue 19, item 1: W = ±1.7e308 loaded, then the arrows' ticks overflowed and Streamlit's error
    # box replaced the page. Now the loader refuses weights past what every panel draws.
    from linclass.session.session import Session

    doc = {"format": "linclass-state", "version": 2, "names": ["A", "B"], "W": [[1.7e308, 0.0], [-1.7e308, 0.0]],
           "b": [0.0, 0.0], "points": {"x": [0.1] if points else [], "y": [0.2] if points else [],
                                       "label": [0] if points else []}}  # fmt: skip
    with pytest.raises(StateFileError, match=r"weights .* must be at most 1e\+100"):
        parse_state(json.dumps(doc))
    s = Session.start({})
    after = safely(s, lambda x: x.load_state(json.dumps(doc).encode()))
    assert after.explorer is s.explorer and "at most 1e+100" in after.messages[0][1]


def test_no_step_takes_the_weights_past_what_can_be_drawn():
    from linclass.core.limits import MAX_WEIGHT
    from linclass.core.model import NonFiniteError
    from linclass.core.train import Optimizer, init_state, step

    X, y = np.array([[1e6, 0.0], [-1e6, 0.0]]), np.array([0, 1])
    state = init_state(2).with_weights(np.full((2, 2), MAX_WEIGHT / 2))
    with pytest.raises(NonFiniteError, match="beyond what the explorer can draw"):
        for _ in range(5):
            state, _ = step(state, X, y, Optimizer(mode="batch", lr=1e95))


def test_a_key_given_twice_is_refused():
    # Issue 19, item 13: a JSON state with a duplicated key silently took the last value.
    text = (
        '{"format": "linclass-state", "version": 2, "names": ["A", "B"], "W": [[0, 0], [0, 0]], '
        '"W": [[1, 1], [1, 1]], "points": {"x": [], "y": [], "label": []}}'
    )
    with pytest.raises(StateFileError, match='"W" is given twice'):
        parse_state(text)
