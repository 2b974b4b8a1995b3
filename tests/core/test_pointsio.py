"""CSV points: round trip and every kind of bad file, each naming its line."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import linclass
from linclass import CSVError


def test_round_trip_with_indices_and_names(tmp_path):
    X, y, k = linclass.make_dataset("spiral", 40, 4, seed=3)
    X2, y2, names = linclass.read_csv(linclass.write_csv(X, y))
    np.testing.assert_array_equal(X2, X)  # repr() keeps every bit
    np.testing.assert_array_equal(y2, y)
    assert names == ["class 0", "class 1", "class 2", "class 3"]
    path = tmp_path / "pts.csv"
    path.write_text(linclass.write_csv(X, y, names=["red", "green", "blue", "cyan"]))
    X3, y3, names3 = linclass.read_csv(path, class_names=["red", "green", "blue", "cyan"])
    np.testing.assert_array_equal(X3, X)
    np.testing.assert_array_equal(y3, y)


@given(
    hnp.arrays(float, st.tuples(st.integers(1, 30), st.just(2)), elements=st.floats(-1e6, 1e6)),
    st.integers(1, 8),
    st.data(),
)
def test_round_trip_property(X, k, data):
    y = data.draw(hnp.arrays(np.int64, (len(X),), elements=st.integers(0, k - 1)))
    X2, y2, _ = linclass.read_csv(linclass.write_csv(X, y).encode())
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)


def test_names_in_order_of_first_appearance_and_bom():
    X, y, names = linclass.read_csv("\ufeffx,y,label\n0,0,cat\n1,1,dog\n2,2,cat\n")
    assert names == ["cat", "dog"] and list(y) == [0, 1, 0]


def test_columns_in_any_order_and_blank_lines():
    X, y, _ = linclass.read_csv("label, Y ,x\n\n1,2.5,-3\n\n")
    np.testing.assert_array_equal(X, [[-3.0, 2.5]])
    assert list(y) == [1]


@pytest.mark.parametrize(
    "text,line,fragment",
    [
        ("", None, "empty"),
        ("\n\n", None, "empty"),
        ("x,y,label\n", None, "no points"),
        ("x,y\n1,2\n", 1, "missing column label"),
        ("x,y,label\n1,2,0\nabc,2,0\n", 3, "'abc' is not a number"),
        ("x,y,label\n1,nan,0\n", 2, "not finite"),
        ("x,y,label\n1,2,0\n1,inf,1\n", 3, "not finite"),
        ("x,y,label\n1e300,2,0\n", 2, "out of range"),
        ("x,y,label\n1,2\n", 2, "expected 3 values"),
        # the review: a value more than the header names was dropped silently (which column is it?)
        ("x,y,label\n1,2,0\n0.5,0.25,0,7\n", 3, "expected 3 values, found 4"),
        ("x,y,label\n1,2,\n", 2, "label is empty"),
        ("x,y,label\n1,2,-1\n", 2, "unknown label '-1'"),
        ("x,y,label\n1,2,0\n1,2,cat\n", 3, "mixes"),
    ],
)
def test_bad_files_name_line_and_fault(text, line, fragment):
    with pytest.raises(CSVError) as info:
        linclass.read_csv(text)
    assert info.value.line == line
    assert fragment in str(info.value)
    if line is not None:
        assert str(info.value).startswith(f"line {line}:")


def test_empty_values_past_the_header_s_columns_are_padding():
    X, y, _ = linclass.read_csv("x,y,label\n1,2,0,\n3,4,1,,\n")  # a spreadsheet's trailing commas
    assert X.tolist() == [[1, 2], [3, 4]] and y.tolist() == [0, 1]


def test_unknown_label_with_known_names():
    with pytest.raises(CSVError, match="line 3: unknown label 'emu'"):
        linclass.read_csv("x,y,label\n0,0,cat\n0,0,emu\n", class_names=["cat", "dog"])
    with pytest.raises(CSVError, match=r"line 2: unknown label '2' \(class indices are \[0, 2\)\)"):
        linclass.read_csv("x,y,label\n0,0,2\n", class_names=["cat", "dog"])


def test_too_many_rows():
    text = "x,y,label\n" + "0,0,0\n" * 101
    with pytest.raises(CSVError, match="line 102: more than 100 rows"):
        linclass.read_csv(text, max_rows=100)
    assert len(linclass.read_csv(text, max_rows=101)[1]) == 101


def test_default_row_limit_is_100000():
    assert linclass.core.pointsio.MAX_ROWS == 100_000


def test_not_utf8():
    with pytest.raises(CSVError, match="UTF-8"):
        linclass.read_csv(b"x,y,label\n\xff\xfe,1,0\n")
