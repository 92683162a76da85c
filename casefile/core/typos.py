"""Which known value a wrong one is a typo of, for a hint's "did you mean".

A hint that names another real thing is worse than none: `E3` is not a slip for `E2` (another
evidence item to cite), `internal` is not `international` (the opposite kind of conflict),
`confirmed` is not `unverified`. So a value is suggested only when the wrong one is the same
written differently (case, separators, leading zeros), or one slip away in a word long enough
for a slip to be told from another word: two neighbouring characters swapped, or one character
more, less or other, in values of four characters or more. Two candidates at the same distance
mean no suggestion. (Likeness of characters, difflib's measure, is kept for key names, where a
wrong guess names a field, not a fact.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MIN_SLIP_LENGTH = 4


def plain(value: str) -> str:
    """Lower case, separators and the leading zeros of numbers gone: `E-01` -> `e1`."""
    text = re.sub(r"(?<![0-9])0+(?=[0-9])", "", value.strip().lower())
    return re.sub(r"[^a-z0-9]", "", text)


def swapped(a: str, b: str) -> bool:
    """`a` is `b` with two neighbouring characters swapped."""
    if len(a) != len(b) or a == b:
        return False
    diffs = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]


def one_slip(a: str, b: str) -> bool:
    """Two neighbouring characters swapped, or one character more, less or other; both at least
    MIN_SLIP_LENGTH long."""
    if min(len(a), len(b)) < MIN_SLIP_LENGTH or a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1 or swapped(a, b)
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def typo_of(wrong: str, known: Iterable[str], *, same_digits: bool = False) -> str | None:
    """The one known value `wrong` is a typo of (see above), or None. `same_digits`: a slip
    must leave the digits as they are (ids: `E3` and `E2` are two items, `Vitcim3` a slip)."""
    candidates = list(known)
    target = plain(wrong)
    same = [k for k in candidates if plain(k) == target]
    if same:
        return same[0] if len(same) == 1 else None
    digits = re.sub(r"[^0-9]", "", target)
    slips = [k for k in candidates if one_slip(target, plain(k))
             and (not same_digits or re.sub(r"[^0-9]", "", plain(k)) == digits)]
    return slips[0] if len(slips) == 1 else None
