"""How long a "Share this exact moment" link is: the state= value for presets of growing size.

    python benchmarks/share_link.py

Prints, for each state, the value's length in characters and the saved file's size it packs; the
value may have at most sharelink.MAX_LINK characters (a larger state is refused: save it as a file).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linclass.session.session import Session  # noqa: E402
from linclass.session.sharelink import MAX_LINK, ShareLinkError  # noqa: E402

CASES = [
    ("the CS231n demo", {"preset": "cs231n-demo"}),
    *((f"{n} blobs points in 5 classes", {"preset": "blobs", "n": str(n), "k": "5"}) for n in (100, 300, 400, 500)),
]


def main() -> None:
    print(f"at most {MAX_LINK:,} characters in a state= value")
    for name, query in CASES:
        s = Session.start(query).step(5)
        size = len(s.state_json())
        try:
            print(f"{name}: {len(s.share_value()):,} characters (the saved file: {size:,} bytes)")
        except ShareLinkError as err:
            print(f"{name}: refused ({err})")


if __name__ == "__main__":
    main()
