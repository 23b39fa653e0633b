"""What a sentence's tone-normalized text alone decides (its quantities and deadline cues),
remembered for the most recent texts: a sentence written again (a list repeating one item, a text
pasted twice) is read once. Every caller gets copies, so what one sentence's candidates change
(a quantity's op, a cue's text as written) never reaches another."""
from __future__ import annotations

import threading
from typing import Callable, Optional

from .match import DeadlineCue
from .numbers import Quantity

Reading = tuple[list[Quantity], Optional[list[DeadlineCue]]]


class SentenceReads:
    """(quantities, deadline cues or None when none can be there) of a text, by text; at most
    `SIZE` texts of up to `MAX_CHARS` characters are kept."""

    SIZE = 512
    MAX_CHARS = 400

    def __init__(self, read: Callable[[str], Reading]) -> None:
        self._read = read
        self._seen: dict[str, Reading] = {}
        self._lock = threading.Lock()

    def get(self, text: str) -> Reading:
        if len(text) > self.MAX_CHARS:
            return self._read(text)
        with self._lock:
            kept = self._seen.pop(text, None)  # re-inserted below: the dict's order is the recency order
            if kept is not None:
                self._seen[text] = kept
        if kept is None:
            fresh = self._read(text)
            with self._lock:
                if text not in self._seen and len(self._seen) >= self.SIZE:
                    del self._seen[next(iter(self._seen))]
                self._seen[text] = _copied(fresh)
            return fresh
        return _copied(kept)

    def __len__(self) -> int:
        return len(self._seen)


def _copied(reading: Reading) -> Reading:
    quantities, cues = reading
    return [q.copy() for q in quantities], None if cues is None else [c.copy() for c in cues]
