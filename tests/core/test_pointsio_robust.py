"""read_csv on hostile files: missing paths, CR line ends, huge fields and headers, open quotes,
names that look alike; fuzzed so that only CSVError comes out; write_csv -> read_csv round trip."""

import re
import tracemalloc
import unicodedata

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import linclass
from linclass import CSVError
from linclass.core import pointsio


def test_a_missing_file_says_so(tmp_path):
    missing = tmp_path / "nope.csv"
    for source in (missing, str(missing)):
        with pytest.raises(CSVError, match="does not exist") as info:
            linclass.read_csv(source)
        assert "nope.csv" in str(info.value)


def test_a_directory_is_not_a_file(tmp_path):
    with pytest.raises(CSVError, match="not a file"):
        linclass.read_csv(tmp_path)


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_any_line_ending_reads_the_same(eol):
    text = eol.join(["x,y,label", "1,2,cat", "3,4,dog", "5,6,cat", ""])
    X, y, names = linclass.read_csv(text)
    np.testing.assert_array_equal(X, [[1, 2], [3, 4], [5, 6]])
    assert list(y) == [0, 1, 0] and names == ["cat", "dog"]
    assert linclass.read_csv(text.encode())[2] == names


def test_cr_only_line_numbers_count_cr():
    with pytest.raises(CSVError, match="line 3: "):
        linclass.read_csv("x,y,label\r1,2,0\rfoo,2,0\r")


def test_a_huge_field_is_a_csv_error_naming_the_line():
    text = "x,y,label\n1,2,0\n1,2," + "a" * 140_000 + "\n"
    with pytest.raises(CSVError, match="line 3: ") as info:
        linclass.read_csv(text)
    assert "characters" in str(info.value) and len(str(info.value)) < 300


@pytest.mark.parametrize(
    "text,line",
    [
        ('x,y,label\n1,2,"a\n3,4,b\n', 2),
        ('x,y,label\n1,2,"a\n', 2),
        ('x,y,label\n1,2,"a"b\n', 2),
        ('x,y,"label\n1,2,a\n', 1),
    ],
)
def test_an_unterminated_quote_is_a_csv_error(text, line):
    with pytest.raises(CSVError, match=f"line {line}: .*quot"):
        linclass.read_csv(text)


def test_quoted_fields_on_one_line_are_fine():
    X, y, names = linclass.read_csv('"x","y","label"\n"1","2","big, red"\n')
    assert names == ["big, red"]


def test_a_header_with_millions_of_columns_is_refused_with_bounded_memory():
    header = "x,y,label," + "c," * 2_000_000  # 4 MB on one line
    data = (header + "\n1,2,0\n").encode()
    tracemalloc.start()
    try:
        with pytest.raises(CSVError, match="line 1: "):
            linclass.read_csv(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * len(data), peak  # no list of millions of cells was built


def test_too_many_columns_on_a_short_line():
    with pytest.raises(CSVError, match="line 1: .*columns"):
        linclass.read_csv("x,y,label" + "," * (pointsio.MAX_COLUMNS + 5) + "\n1,2,0\n")


def test_a_file_over_the_byte_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(pointsio, "MAX_BYTES", 1000)
    text = "x,y,label\n" + "1.5,2.5,0\n" * 200
    with pytest.raises(CSVError, match="larger than"):
        linclass.read_csv(text.encode())
    with pytest.raises(CSVError, match="larger than"):
        linclass.read_csv(text)
    path = tmp_path / "big.csv"
    path.write_text(text)
    with pytest.raises(CSVError, match="larger than"):
        linclass.read_csv(path)
    with open(path, "rb") as fh, pytest.raises(CSVError, match="larger than"):
        linclass.read_csv(fh)


def test_limits_are_stated_in_the_docstring():
    doc = linclass.read_csv.__doc__
    for name in ("MAX_BYTES", "MAX_LINE", "MAX_COLUMNS", "MAX_NAME"):
        assert name in doc


# ---------- class names: one shown name, one class -------------------------------------------


def test_names_that_differ_only_in_whitespace_are_one_class():
    X, y, names = linclass.read_csv('x,y,label\n0,0, a\n1,1,a\n2,2,"a "\n3,3,"big  dog"\n4,4,big dog\n')
    assert names == ["a", "big dog"]
    assert list(y) == [0, 0, 0, 1, 1]


def test_names_in_other_unicode_forms_are_one_class():
    X, y, names = linclass.read_csv("x,y,label\n0,0,caf\u00e9\n1,1,cafe\u0301\n")
    assert names == ["caf\u00e9"] and list(y) == [0, 0]


def test_given_class_names_are_cleaned_and_must_be_unique():
    X, y, names = linclass.read_csv("x,y,label\n0,0,a\n1,1, b\n", class_names=[" a", "b "])
    assert names == ["a", "b"] and list(y) == [0, 1]
    with pytest.raises(ValueError, match="class_names"):
        linclass.read_csv("x,y,label\n0,0,a\n", class_names=["a", " a"])


@pytest.mark.parametrize("label,fragment", [("a\x00b", "control"), ("x" * 41, "longer than 40"), ("\u2028", "empty")])
def test_unshowable_names_are_refused(label, fragment):
    with pytest.raises(CSVError, match=f"line 2: .*{fragment}"):
        linclass.read_csv(f'x,y,label\n0,0,"{label}"\n')


def test_a_long_bad_cell_is_quoted_short_in_the_message():
    with pytest.raises(CSVError) as info:
        linclass.read_csv("x,y,label\n" + "9" * 5000 + "z,0,0\n")
    assert len(str(info.value)) < 200


# ---------- fuzz: only CSVError comes out -----------------------------------------------------

CELLS = st.one_of(
    st.sampled_from(["x", "y", "label", "", " ", '"', '""', "nan", "inf", "-inf", "1e999", "-0", "1_0", "0x1"]),
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=12),
    st.text(alphabet='a,"\r\n \t', max_size=8),
)
ROWS = st.lists(st.lists(CELLS, max_size=6).map(",".join), max_size=8)
EOLS = st.sampled_from(["\n", "\r\n", "\r"])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_fuzz_random_bytes(data):
    try:
        linclass.read_csv(data)
    except CSVError:
        pass


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans(), ROWS, st.lists(EOLS, min_size=1, max_size=8), st.sampled_from([None, ["a", "b"], ["0x"]]))
def test_fuzz_structured_garbage(with_header, rows, eols, class_names):
    lines = (["x,y,label"] if with_header else []) + rows
    text = "".join(line + eols[i % len(eols)] for i, line in enumerate(lines)) or "\n"
    for source in (text, text.encode("utf-8", "surrogatepass")):
        try:
            linclass.read_csv(source, class_names=class_names)
        except CSVError:
            pass


# ---------- round trip ------------------------------------------------------------------------


def shown(name):
    """A name as the app shows it: NFC, whitespace runs as one space, no space at the ends."""
    return unicodedata.normalize("NFC", " ".join(name.split()))


def int_like(name):
    """A label the file format reads as a class index: a whole number, as "2", "-1", "2.0" or "0." (read_csv's
    docstring); int() alone misses the float spellings numpy writes."""
    return re.fullmatch(r"[+-]?[0-9]+(\.0*)?", name) is not None


NAME = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs")), min_size=1, max_size=10)


@settings(max_examples=100)
@given(
    hnp.arrays(float, st.tuples(st.integers(1, 30), st.just(2)), elements=st.floats(-1e6, 1e6)),
    st.lists(NAME, min_size=1, max_size=8, unique_by=shown),
    st.data(),
)
def test_round_trip_keeps_points_labels_and_names(X, names, data):
    names = [shown(n) for n in names]
    k = len(names)
    y = data.draw(hnp.arrays(np.int64, (len(X),), elements=st.integers(0, k - 1)))
    X2, y2, names2 = linclass.read_csv(linclass.write_csv(X, y, names).encode(), class_names=names)
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)
    assert names2 == names
    if not any(int_like(n) for n in names):  # else the file holds indices, not names
        X3, y3, names3 = linclass.read_csv(linclass.write_csv(X, y, names))  # names in order of appearance
        assert [names3[m] for m in y3] == [names[m] for m in y]


def test_write_csv_refuses_names_that_would_not_read_back():
    with pytest.raises(ValueError, match="names"):
        linclass.write_csv(np.zeros((2, 2)), [0, 1], ["a", " a"])
    with pytest.raises(ValueError, match=r"\by\b"):
        linclass.write_csv(np.zeros((2, 2)), [0, 1], ["a"])
    with pytest.raises(ValueError, match=r"\bX\b"):
        linclass.write_csv(np.array([[0.0, 2e6]]), [0])


# ----- issue 19, item 13 ---------------------------------------------------------------------------
@pytest.mark.parametrize("header", ["x,x,y,label", "x,x,label", "x,y,x,label"])
def test_a_header_naming_a_column_twice_is_refused(header):
    with pytest.raises(linclass.CSVError, match="names column x twice"):
        linclass.read_csv(f"{header}\n" + ",".join("1" for _ in header.split(",")) + "\n")


@pytest.mark.parametrize("cell", ["1_000", "1_0.5"])
def test_a_number_with_an_underscore_is_not_a_number(cell):
    with pytest.raises(linclass.CSVError, match="is not a number"):
        linclass.read_csv(f"x,y,label\n{cell},0,0\n")


def test_float_labels_are_the_whole_numbers_they_are():
    X, y, names = linclass.read_csv("x,y,label\n0,0,1.0\n1,1,0.0\n2,2,2.0\n")
    assert y.tolist() == [1, 0, 2] and names == ["class 0", "class 1", "class 2"]
    with pytest.raises(linclass.CSVError):
        linclass.read_csv("x,y,label\n0,0,1_0\n1,1,0\n")  # not the index 10
