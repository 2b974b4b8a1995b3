"""parse_lesson: a lesson file is read against one table; a bad one is a LessonError naming the scene,
the key and the line, and nothing else comes out; lesson_toml writes what reads back the same."""

import json
import re
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import linclass
from linclass.session import lesson as lessons
from linclass.session import settings as cfg
from linclass.session.lesson import Lesson, LessonError, Scene, lesson_toml, parse_lesson

GOOD = textwrap.dedent("""\
    format = "linclass-lesson"
    version = 1
    title = "Two scenes"

    [[scene]]
    title = "One sample"
    caption = "Press Step."
    presses = ["step", "panel the math", "x10"]

    [scene.link]
    preset = "cs231n"
    bias = 0
    order = "click"
    select = 4
    lr = 0.5

    [[scene]]
    title = "Batch"
    presses = ["steps 30", "select 2"]

    [scene.link]
    preset = "blobs"
    mode = "batch"
    """)


def lines_of(text: str, needle: str) -> int:
    """The line (from 1) of the first line holding ``needle``."""
    return next(no for no, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_a_good_lesson_reads_to_its_scenes():
    les = parse_lesson(GOOD, "two")
    assert les.name == "two" and les.title == "Two scenes" and len(les) == 2
    first, second = les.scenes
    assert first.title == "One sample" and first.caption == "Press Step."
    assert dict(first.link) == {"preset": "cs231n", "bias": "0", "order": "click", "select": "4", "lr": "0.5"}
    assert first.presses == ("step", "panel The math", "x10") and first.panel == "The math"
    assert second.presses == ("steps 30", "select 2") and second.panel is None and second.caption == ""
    assert parse_lesson(GOOD.encode(), "two") == les


def test_the_link_keys_are_the_settings_own():
    # A setting added to the table (another issue adds some) is a scene key at once.
    assert lessons.link_keys() == {*cfg.BY_URL, "select"}
    for key, spec in cfg.BY_URL.items():
        text = spec.text(spec.default)
        les = parse_lesson(GOOD.replace('preset = "blobs"\nmode = "batch"', f'{key} = "{text}"'), "x")
        assert dict(les.scenes[1].link)[key] == text


def test_values_may_be_typed_or_text_and_are_kept_as_a_link_writes_them():
    text = GOOD.replace("lr = 0.5", 'lr = "0.5"').replace("bias = 0", "bias = false")
    assert dict(parse_lesson(text, "x").scenes[0].link) == dict(parse_lesson(GOOD, "x").scenes[0].link)


# ----- a bad file names the scene, the key and the line --------------------------------------------
BAD = [
    ("lr = 0.5", "lr = 1000", 'scene 1 ("One sample"), key "link.lr"', "lr = 1000", "is outside"),
    ("bias = 0", "bais = 0", 'scene 1 ("One sample"), key "link.bais"', "bais = 0", "not a link key"),
    ("select = 4", "select = 9", 'scene 1 ("One sample"), key "link.select"', "select = 9", "no point 9"),
    ("select = 4", "select = true", 'scene 1 ("One sample"), key "link.select"', "select = true", "not a point index"),
    ('"steps 30"', '"steps 0"', 'scene 2 ("Batch"), key "presses"', '"steps 0"', "1 to 2,000"),
    # the review: 50 presses of 10,000 steps tied the server up for 76 s; and a huge N said "not a press"
    ('"steps 30"', '"steps 2000", "x10"', 'scene 2 ("Batch"), key "presses"', '"steps 2000"', "2,010 steps in all"),
    ('"steps 30"', '"steps 1000000000"', 'scene 2 ("Batch"), key "presses"', '"steps 1000000000"', "1 to 2,000"),
    ('"select 2"', '"select 60"', 'scene 2 ("Batch"), key "presses"', '"select 60"', "no point 60"),
    ('"x10"', '"x1000"', 'scene 1 ("One sample"), key "presses"', '"x1000"', "press 3"),
    ('"panel the math"', '"panel Maths"', 'scene 1 ("One sample"), key "presses"', "panel Maths", "no panel"),
    ('title = "Batch"', 'titel = "Batch"', 'scene 2, key "titel"', "titel", "not a key of a scene"),
    ('title = "Batch"', 'title = ""', 'scene 2, key "title"', 'title = ""', "empty"),
    ('title = "Batch"', "title = 3", 'scene 2, key "title"', "title = 3", "must be text"),
    ('caption = "Press Step."', f'caption = "{"x" * 1001}"', 'scene 1 ("One sample"), key "caption"', "caption",
     "at most 1000"),
    ("version = 1", "version = 2", 'key "version"', "version = 2", "must be 1"),
    ('format = "linclass-lesson"', 'format = "other"', 'key "format"', "format", "must be"),
    ('title = "Two scenes"', 'title = "Two scenes"\nauthor = "me"', 'key "author"', "author", "not a key of a lesson"),
    ('presses = ["steps 30", "select 2"]', 'presses = ["steps 30", "select 2"]\nstate = "{}"',
     'scene 2 ("Batch"), key "state"', "state", "not both"),
    ("presses = [", "presses = 3\nx = [", 'scene 1 ("One sample"), key "presses"', "presses = 3", "list of presses"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "where", "line_of", "what"), BAD)
def test_a_bad_lesson_is_refused_naming_the_scene_the_key_and_the_line(old, new, where, line_of, what):
    text = GOOD.replace(old, new, 1)
    if old == "presses = [":  # the first scene's presses replaced by a number
        text = GOOD.replace('presses = ["step", "panel the math", "x10"]', "presses = 3")
    with pytest.raises(LessonError) as err:
        parse_lesson(text, "x")
    msg = str(err.value)
    assert msg.startswith(where), msg
    assert f"line {lines_of(text, line_of)}:" in msg, msg
    assert what in msg, msg


def test_a_missing_key_names_the_scene_s_header_line():
    text = GOOD.replace('title = "Batch"\n', "")
    with pytest.raises(LessonError, match=r'^scene 2, key "title", line 17: is missing'):
        parse_lesson(text, "x")
    assert text.splitlines()[16] == "[[scene]]"
    with pytest.raises(LessonError, match='key "scene", line 1: is missing'):
        parse_lesson('format = "linclass-lesson"\nversion = 1\n', "x")


def test_a_scene_needs_a_link_or_a_state():
    text = GOOD.replace('[scene.link]\npreset = "blobs"\nmode = "batch"\n', "").replace('"select 2"', '"step"')
    with pytest.raises(LessonError, match=r'^scene 2 \("Batch"\), key "title", line \d+: .*neither'):
        parse_lesson(text, "x")


def test_keys_are_found_in_inline_and_dotted_tables_and_not_inside_strings():
    text = textwrap.dedent('''\
        format = "linclass-lesson"
        version = 1

        [[scene]]
        title = "a"
        caption = """
        [[scene]]
        lr = 700
        """
        link = { preset = "blobs", lr = 700 }

        [[scene]]
        title = "b"
        link.preset = "blobs"
        link.mode = "nope"
        ''')
    with pytest.raises(LessonError, match=r'^scene 1 \("a"\), key "link.lr", line 10:'):
        parse_lesson(text, "x")
    with pytest.raises(LessonError, match=r'^scene 2 \("b"\), key "link.mode", line 15:'):
        parse_lesson(text.replace("lr = 700 }", "lr = 0.5 }"), "x")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("[[scene]\n", "line 1: not valid TOML"),
        (GOOD + "\n[[scene]]\ntitle = 'x\n", "scene 3, line 26: not valid TOML"),
        (GOOD + "\nx = [", "scene 2, line 25: not valid TOML"),
        (b"\xff\xfe", "UTF-8"),
        ("a = " + "[" * 3000 + "]" * 3000, "not a lesson"),
        ("a = " + "9" * 5000, "not a lesson"),
        (12, "TOML text or bytes"),
    ],
)
def test_not_a_lesson_at_all(data, fragment):
    with pytest.raises(LessonError, match=re.escape(fragment)):
        parse_lesson(data, "x")


def test_a_state_scene_is_checked_as_a_state_file_is():
    ex = linclass.Explorer.from_preset("blobs", 12, 3).step(linclass.Optimizer(mode="batch"), 3)
    state = ex.to_json({"lr": 0.1})
    text = f'format = "linclass-lesson"\nversion = 1\n[[scene]]\ntitle = "s"\npresses = ["select 11"]\n' \
           f"state = '''\n{state}'''\n"  # fmt: skip
    scene = parse_lesson(text, "x").scenes[0]
    assert scene.state.strip() == state.strip() and scene.link is None
    with pytest.raises(LessonError, match=r'scene 1 \("s"\), key "presses", line 5: press 1: there is no point 12'):
        parse_lesson(text.replace("select 11", "select 12"), "x")
    bad = json.dumps(json.loads(state) | {"W": [[1, 2]]})
    with pytest.raises(LessonError, match=r'scene 1 \("s"\), key "state", line 6: is not a state .*"W"'):
        parse_lesson(text.replace(state, bad), "x")


def test_titles_and_captions_hold_no_control_characters():
    bell = r'scene 1 \("One\\u0007sample"\), key "title", line 6: must not hold .*\\x07'
    with pytest.raises(LessonError, match=bell):
        parse_lesson(GOOD.replace('"One sample"', '"One\\u0007sample"'), "x")  # TOML's escape of BEL
    les = parse_lesson(GOOD.replace('"Press Step."', '"Press\\nStep."'), "x")  # a caption may break lines
    assert les.scenes[0].caption == "Press\nStep."


def test_lesson_names():
    for bad in ("", "Softmax", "a b", "../x", "x" * 61):
        with pytest.raises(LessonError, match="not a lesson name"):
            parse_lesson(GOOD, bad)
    a, b = lessons.uploaded_name("My Lesson.toml", b"1"), lessons.uploaded_name("My Lesson.toml", b"2")
    assert a.startswith("my-lesson-") and a != b and lessons.NAME.fullmatch(a)
    assert lessons.NAME.fullmatch(lessons.uploaded_name("¡¡.toml", b""))


def test_the_built_in_lessons_and_finding_one():
    assert "softmax" in lessons.builtin()
    assert lessons.find("softmax") is lessons.builtin()["softmax"]
    mine = Lesson("mine", "Mine", (Scene("a", link=(("preset", "xor"),)),))
    assert lessons.find("mine", {"mine": mine}) is mine
    with pytest.raises(ValueError, match="there is no lesson 'nope' .*mine, softmax"):
        lessons.find("nope", {"mine": mine})


def test_the_panels_are_the_page_s():
    # The page draws its panels under these names (linclass/ui/page.py imports the tuple).
    assert len(set(lessons.PANELS)) == len(lessons.PANELS) == 7


# ----- the round trip ------------------------------------------------------------------------------
def test_a_written_lesson_reads_back_to_the_same_scenes():
    les = parse_lesson(GOOD, "two")
    assert parse_lesson(lesson_toml(les), "two") == les
    ex = linclass.Explorer.from_preset("blobs", 12, 3)
    names = replace_names(ex, ("A'''", 'B"\\', "C\u2028"))  # what would break a literal or a basic string
    state = names.to_json({"lr": 0.1})
    les = Lesson("s", "t", (Scene("s", state=state, presses=("step",)),))
    assert parse_lesson(lesson_toml(les), "s") == les


def replace_names(ex, names):
    from dataclasses import replace

    return replace(ex, names=names)


def _link_values(spec):
    if spec.choices:
        return st.sampled_from(spec.choices)
    if spec.type is bool:
        return st.booleans()
    if spec.type is float:  # γ and λ: any value in their range
        return st.floats(*spec.bounds, allow_nan=False)
    if spec.type is str:  # the features and the pair drawn: lists of feature names
        return st.sampled_from(["x1,x2", "x1sq,x2sq", "x1,x1x2", "sinx1,sinx2"]).map(spec.parse)
    return st.integers(*spec.bounds)


LINKS = st.dictionaries(st.sampled_from(sorted(set(cfg.BY_URL) - {"preset", "n", "k", "seed", "noise"})),
                        st.just(None), max_size=6)  # fmt: skip
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@st.composite
def scenes(draw):
    keys = draw(LINKS)
    link = {k: cfg.BY_URL[k].text(draw(_link_values(cfg.BY_URL[k]))) for k in keys}
    presses = draw(st.lists(st.sampled_from(["step", "x10", "x100", "steps 7", "select 3", "panel Simplex"]),
                            max_size=4))  # fmt: skip
    title = draw(TEXT.map(str.strip).filter(bool))
    return Scene(title, draw(TEXT).strip(), tuple(sorted(link.items())), None, tuple(presses))


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(scenes(), min_size=1, max_size=4), TEXT.map(str.strip))
def test_any_lesson_reads_back_the_same(scene_list, title):
    les = Lesson("x", title or "x", tuple(scene_list))
    assert parse_lesson(lesson_toml(les), "x") == les


# ----- fuzz: only LessonError comes out -------------------------------------------------------------
TOML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


def only_lesson_errors(data):
    try:
        parse_lesson(data, "x")
    except LessonError:
        pass


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_fuzz_random_bytes(data):
    only_lesson_errors(data)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_fuzz_random_text(data):
    only_lesson_errors(data)


def _toml_of(value) -> str:
    """Any value as TOML (None as an empty table: TOML has no null)."""
    if value is None:
        return "{}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value).replace("inf", "inf")
    if isinstance(value, str):
        return lessons._toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_of(v) for v in value) + "]"
    return "{" + ", ".join(f"{lessons._toml_string(k)} = {_toml_of(v)}" for k, v in value.items()) + "}"


SCENE_KEYS = ["title", "caption", "presses", "link", "state", "other"]
TOP_KEYS = ["format", "version", "title", "other"]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_mutated_valid_lessons(data):
    les = parse_lesson(GOOD, "x")
    lines = lesson_toml(les).splitlines()
    for _ in range(data.draw(st.integers(1, 3))):
        action = data.draw(st.sampled_from(["drop", "replace", "insert"]))
        i = data.draw(st.integers(0, len(lines) - 1))
        if action == "drop":
            del lines[i]
        elif action == "replace" and "=" in lines[i]:
            lines[i] = lines[i].split("=")[0] + "= " + _toml_of(data.draw(TOML_VALUES))
        else:
            key = data.draw(st.sampled_from(SCENE_KEYS + TOP_KEYS + sorted(cfg.BY_URL)))
            lines.insert(i, f"{key} = {_toml_of(data.draw(TOML_VALUES))}")
    text = "\n".join(lines)
    only_lesson_errors(text)
    only_lesson_errors(text[: data.draw(st.integers(0, len(text)))])  # a truncated file
