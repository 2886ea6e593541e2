"""Small helpers for the words of messages, tables and pages."""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, word: str, many: str | None = None, *, grouped: bool = False) -> str:
    """``count`` and ``word``, in the plural unless the count is one.

    ``many`` is the plural when adding "s" (or "y" -> "ies") is wrong; ``grouped`` writes the
    count with thousands separators.

    >>> plural(1, "entity"), plural(2, "entity"), plural(1200, "row", grouped=True)
    ('1 entity', '2 entities', '1,200 rows')
    >>> plural(1, "batch", "batches"), plural(0, "batch", "batches")
    ('1 batch', '0 batches')
    """
    number = f"{count:,}" if grouped else str(count)
    if count == 1:
        return f"{number} {word}"
    if many is None:
        consonant_y = word.endswith("y") and word[-2:-1] not in tuple("aeiou")
        many = word[:-1] + "ies" if consonant_y else word + "s"
    return f"{number} {many}"
