"""underthesea's word-segmentation CRF run in Python, from the files shipped in the underthesea
package, giving the tags underthesea_core (Rust) gives.

underthesea_core's tagger is fast, but a call hands it a list of 43 feature strings per syllable,
made by its featurizer and passed back and forth through Python: on news, most of the time of word
segmentation went to that traffic. Here the model is read once (`read_crfsuite`), its weights
sorted by feature template, and a sentence's score is summed from the syllables directly.

What underthesea_core does, and what is done the same here (`attributes` and `CrfsuiteModel.tag`
are the plain transcription; `WordSegmenter` the fast one; tests/test_underthesea_crf.py compares
all three with underthesea_core):

* The featurizer turns each template ("T[-1,0].lower") into "<template>=<value>": the syllables
  from offset -1 to 0 joined by a space, "BOS" or "EOS" when the first or last of them falls outside
  the sentence, then the template's function: ``lower`` (Unicode lower case), ``isdigit`` ("True"
  when the text reads as a 32-bit integer: an optional sign and ASCII digits), ``istitle`` ("True"
  when each space-separated part's first character is its own upper case), ``is_in_dict``
  ("True" when the lower-cased text is a word of the model's dictionary).
* The tagger sums, for each label, the weights of the known attributes in the templates' order
  (floating-point sums depend on that order; it is kept), then runs Viterbi: a label's score is
  the best of the previous scores plus the transition, the first label winning ties, plus the sum.

A sentence is tagged here only when every syllable is one whose features are made alike: not
empty, no space in it (the featurizer splits on spaces, and panics on an empty part), and each
character one whose upper and lower case Python's Unicode tables give as Rust's do (`cased_alike`).
For any other sentence `WordSegmenter.tags` returns None and the caller runs underthesea_core. A
model file or template list this module does not read raises `Unsupported` at load: the caller
then keeps underthesea_core for everything.
"""
from __future__ import annotations

import math
import re
import struct
import sys
import unicodedata
from array import array
from functools import lru_cache
from typing import Optional

__all__ = ["Unsupported", "CrfsuiteModel", "WordSegmenter", "read_crfsuite", "parse_template", "attributes",
           "cased_alike", "is_i32"]


class Unsupported(Exception):
    """A model file, template or featurizer this module does not reproduce exactly."""


# -- the model file ---------------------------------------------------------------------------------
_HEADER = struct.Struct("<4sI4sIIIIIIIII")   # crfsuite's crf1d_model.c: magic .. off_attrrefs
_CQDB_HEADER = struct.Struct("<4sIIIII")     # cqdb.c: chunk, size, flag, byteorder, bwd_size, bwd_offset
_CHUNK = struct.Struct("<4sII")              # chunk id, size, number of items
_RECORD = struct.Struct("<II")               # a CQDB record: id, key size (the key, NUL included, follows)
_BYTEORDER = 0x62445371


class CrfsuiteModel:
    """A CRFsuite model (``lCRF``/``FOMC``, as python-crfsuite and underthesea_core write it):
    ``labels`` and ``attributes`` (by id), ``state`` (per label: the weight of each attribute) and
    ``transitions`` (from label -> weights per next label). Weights are taken as underthesea_core's
    loader takes them: a later feature overwrites an earlier one, a state weight of magnitude 1e-10
    or less counts as none."""

    def __init__(self, labels: list[str], attributes: list[str], state: list[list[float]],
                 transitions: list[list[float]]) -> None:
        self.labels = labels
        self.attributes = attributes
        self.state = state
        self.transitions = transitions
        self._ids: Optional[dict[str, int]] = None

    def tag(self, items: list[list[str]]) -> list[str]:
        """The labels of a sequence of attribute lists: underthesea_core's CRFTagger.tag, step by
        step (unknown attributes skipped, sums in the attributes' order, Viterbi with the first
        label winning ties). Slow; what WordSegmenter is checked against."""
        if not items:
            return []
        if self._ids is None:
            self._ids = {a: i for i, a in enumerate(self.attributes)}
        ids = self._ids
        n_labels, trans = len(self.labels), self.transitions
        back: list[list[int]] = []
        score: list[float] = []
        for t, attrs in enumerate(items):
            emission = [0.0] * n_labels
            for a in attrs:
                if a in ids:
                    for y in range(n_labels):
                        emission[y] += self.state[y][ids[a]]
            if t == 0:
                score = emission
                continue
            new, pointers = [], []
            for y in range(n_labels):
                best, best_prev = float("-inf"), 0
                for prev in range(n_labels):
                    s = score[prev] + trans[prev][y]
                    if s > best:
                        best, best_prev = s, prev
                new.append(best + emission[y])
                pointers.append(best_prev)
            score = new
            back.append(pointers)
        best, label = float("-inf"), 0
        for y in range(n_labels):
            if score[y] > best:
                best, label = score[y], y
        path = [label]
        for pointers in reversed(back):
            label = pointers[label]
            path.append(label)
        return [self.labels[y] for y in reversed(path)]


def _strings(buf: bytes, offset: int, count: int) -> list[str]:
    """The strings of a CQDB database at ``offset``, by id (its backward array gives each id's
    record: id, key size, key with its NUL). Read as underthesea_core reads them when the records
    follow one another in id order, each naming its id, each key UTF-8 ending at its only NUL;
    Unsupported otherwise."""
    chunk, _size, _flag, byteorder, bwd_size, bwd_offset = _CQDB_HEADER.unpack_from(buf, offset)
    if chunk != b"CQDB" or byteorder != _BYTEORDER or bwd_size != count:
        raise Unsupported("not a CQDB database of the expected size")
    if count == 0:
        return []
    starts = struct.unpack_from(f"<{count}I", buf, offset + bwd_offset)
    sizes = [b - a - 8 for a, b in zip(starts, starts[1:])]
    last_size = _RECORD.unpack_from(buf, offset + starts[-1])[1]
    sizes.append(last_size)
    if min(sizes) < 1:
        raise Unsupported("CQDB records out of order")
    # every record at once, as the sizes say they are laid out: (id, size, key) for each
    fields = struct.unpack_from("<" + "".join([f"II{size}s" for size in sizes]), buf, offset + starts[0])
    keys = fields[2::3]
    if fields[0::3] != tuple(range(count)) or list(fields[1::3]) != sizes:
        raise Unsupported("CQDB records not in id order")
    joined = b"".join(keys)
    if joined.count(0) != count or bytes(k[-1] for k in keys).count(0) != count:
        raise Unsupported("CQDB keys that are not NUL-terminated strings")
    try:
        out = joined.decode("utf-8").split("\0")
    except UnicodeDecodeError:
        raise Unsupported("CQDB keys that are not UTF-8") from None
    out.pop()   # after the last NUL
    if len(set(out)) != count:
        raise Unsupported("CQDB database with a repeated key")
    return out


def _column(records: bytes, at: int, code: str, count: int) -> array:
    """One field of ``count`` 20-byte records, from byte ``at``: an array of unsigned 32-bit ints
    ("I") or of doubles ("d"), little-endian in the file."""
    width = 8 if code == "d" else 4
    column = bytearray(width * count)
    for j in range(width):
        column[j::width] = records[at + j::20]
    values = array(code)
    if values.itemsize != width:
        raise Unsupported(f"array {code!r} items of {values.itemsize} bytes")
    values.frombytes(column)
    if sys.byteorder != "little":
        values.byteswap()
    return values


def read_crfsuite(path: str) -> CrfsuiteModel:
    """Read a CRFsuite model file (Unsupported when it is not one, or not one read alike here)."""
    with open(path, "rb") as fh:
        buf = fh.read()
    try:
        (magic, _size, kind, _version, _n_features, n_labels, n_attrs, off_features, off_labels, off_attrs,
         _off_labelrefs, _off_attrrefs) = _HEADER.unpack_from(buf, 0)
        if magic != b"lCRF" or kind != b"FOMC":
            raise Unsupported("not a CRFsuite 1d model")
        labels = _strings(buf, off_labels, n_labels)
        attrs = _strings(buf, off_attrs, n_attrs)
        chunk, _size, count = _CHUNK.unpack_from(buf, off_features)
        if chunk != b"FEAT" or count == 0:
            raise Unsupported("no FEAT chunk")
        start = off_features + _CHUNK.size
        records = buf[start:start + 20 * count]
        if len(records) != 20 * count:
            raise Unsupported("FEAT chunk cut short")
    except struct.error as exc:
        raise Unsupported(f"CRFsuite model not read: {exc}") from None
    del buf
    # each field of the 20-byte records as an array (type, source, target: 4 bytes; weight: 8)
    kinds, sources, targets = (_column(records, at, "I", count) for at in (0, 4, 8))
    weights = _column(records, 12, "d", count)
    del records
    if not math.isfinite(sum(weights)):
        raise Unsupported("a weight that is not a finite number")
    state = [[0.0] * n_attrs for _ in range(n_labels)]   # per label, by attribute id
    transitions = [[0.0] * n_labels for _ in range(n_labels)]
    for k, s, d, w in zip(kinds, sources, targets, weights):
        if k == 0:   # state feature: attribute s, label d (the last one of a pair wins)
            if d < n_labels and s < n_attrs:   # another label is never scored, another attribute never seen
                state[d][s] = w if abs(w) > 1e-10 else 0.0   # 1e-10 or less counts as none
        elif k == 1:   # transition from label s to label d
            if s >= n_labels or d >= n_labels:
                raise Unsupported("transition between unknown labels")
            transitions[s][d] = w
    return CrfsuiteModel(labels, attrs, state, transitions)


# -- features -----------------------------------------------------------------------------------------
_TEMPLATE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(lower|isdigit|istitle|is_in_dict))?")
_I32 = re.compile(r"[+-]?[0-9]+")


def parse_template(template: str) -> tuple[int, int, Optional[str]]:
    """(first offset, last offset, function or None) of a template such as "T[-1,0].lower"."""
    m = _TEMPLATE.fullmatch(template)
    if m is None:
        raise Unsupported(f"feature template {template!r}")
    first = int(m[1])
    last = int(m[2]) if m[2] is not None else first
    if m[2] is not None and last <= first:
        raise Unsupported(f"feature template {template!r}")
    return first, last, m[3]


def is_i32(text: str) -> bool:
    """Does Rust's ``text.parse::<i32>()`` succeed (what underthesea_core's ``isdigit`` asks)? An
    optional sign, ASCII digits (leading zeros too), a value from -2**31 to 2**31 - 1."""
    if _I32.fullmatch(text) is None:
        return False
    significant = text.lstrip("+-").lstrip("0")
    return len(significant) <= 10 and int(significant or "0") <= (2**31 if text[0] == "-" else 2**31 - 1)


def _istitle(text: str) -> bool:
    """underthesea_core's ``istitle``: each space-separated part's first character is its own upper
    case (ValueError on an empty part, where underthesea_core panics; the parts after the first
    that fails are not looked at)."""
    for part in text.split(" "):
        if not part:
            raise ValueError("underthesea_core's featurizer panics on an empty part")
        if part[0].upper() != part[0]:
            return False
    return True


def attributes(templates: list[str], dictionary, tokens: list[str]) -> list[list[str]]:
    """underthesea_core's ``CRFFeaturizer(templates, dictionary).process([[[t] for t in tokens]])[0]``,
    transcribed (for the cased_alike tokens; ValueError where it panics)."""
    parsed = [(t, *parse_template(t)) for t in templates]
    n = len(tokens)
    out = []
    for i in range(n):
        row = []
        for syntax, first, last, function in parsed:
            if i + first < 0:
                row.append(syntax + "=BOS")
                continue
            if i + first >= n or i + last >= n:
                row.append(syntax + "=EOS")
                continue
            text = " ".join(tokens[i + first:i + last + 1])
            if function == "lower":
                text = text.lower()
            elif function == "isdigit":
                text = str(is_i32(text))
            elif function == "istitle":
                text = str(_istitle(text))
            elif function == "is_in_dict":
                text = str(text.lower() in dictionary)
            row.append(syntax + "=" + text)
        out.append(row)
    return out


@lru_cache(maxsize=4096)
def _char_cased_alike(ch: str) -> bool:
    category = unicodedata.category(ch)
    if category in ("Cn", "Cs"):   # unassigned in Python's tables (Rust's may be newer); a lone surrogate
        return False
    if ch == "\u03a3":   # capital sigma: its lower case depends on the letters around it
        return False
    if category == "Ll":   # a small letter without a capital in Python's tables may have one in Rust's
        return ch.upper() != ch
    if category == "Lu":
        return ch.lower() != ch
    if category == "Lt":
        return ch.upper() != ch and ch.lower() != ch
    return True


def cased_alike(token: str) -> bool:
    """Are the token's lower case, and its first character's upper case, the same in Python as in
    underthesea_core (Rust, with newer Unicode tables: Python 3.11's are Unicode 14)? Characters
    unassigned in Python's tables, small letters without a capital there (and capitals without a
    small letter), and the capital sigma (lower-cased by context) are left to underthesea_core."""
    return token.isascii() or all(_char_cased_alike(ch) for ch in token)


# -- a check against underthesea_core's featurizer ------------------------------------------------
_PROBE_WORDS = {"sinh viên", "đà nẵng", "x", "ǆ", "bos"}
_PROBES = [
    ["Sinh", "viên", "Đà", "NẴNG", "2147483647", "2147483648", "-2147483648", "+5", "-0", "+", "-", "007", "１２",
     "ǅ", "ß", "x", "X", "EOS", "BOS", "4K", "T.Ư", "...", "“", "Ơ", "ĐÀ", "i̇"],
    ["Một"],
    ["A", "b"],
    ["c", "D", "e"],
]


def agrees_with_core(templates: list[str]) -> bool:
    """Does underthesea_core's featurizer give, on a few probe sentences (digits, signs, title and
    lower case, padding, dictionary words), the attributes `attributes` gives? A quick check at
    load that the installed underthesea_core featurizes as this module was written for."""
    try:
        from underthesea_core import CRFFeaturizer

        featurizer = CRFFeaturizer(list(templates), set(_PROBE_WORDS))
        return all(featurizer.process([[[t] for t in probe]])[0] == attributes(templates, _PROBE_WORDS, probe)
                   for probe in _PROBES)
    except Exception:  # noqa: BLE001 - anything unexpected (Unsupported too): not the featurizer known here
        return False


# -- the fast tagger ------------------------------------------------------------------------------
_TOKENS_KEPT = 30_000   # distinct syllables whose records are kept (some 0.5 kB each)


class WordSegmenter:
    """A two-label CRF over syllables, with underthesea_core's feature templates, tagging as
    underthesea_core does (see the module's docstring).

    The weights are kept per template, by value ("T[-1,0].lower" -> {"cán bộ": (w0, w1)}). Each
    distinct syllable's weights for the one-syllable templates (by its text, lower case, digits,
    title case, dictionary word) are looked up once (``_tokens``, bounded: on news nine syllables in
    ten were seen before), those of each run of 2 or 3 syllables once per sentence (not kept:
    keeping them saved nothing measurable on news); the sums at a position add these weights in the templates' order.
    The functions that look the weights up and sum them are written for the template list at load
    (`_compile`)."""

    def __init__(self, model: CrfsuiteModel, templates: list[str], dictionary) -> None:
        if len(model.labels) != 2:
            raise Unsupported("only two-label models are tagged here")
        if not templates:
            raise Unsupported("no feature templates")
        self.labels = list(model.labels)
        self.templates = list(templates)
        parsed = [parse_template(t) for t in templates]
        compiled = _compile(templates, parsed, model, dictionary)
        self._lo, self._hi = compiled["LO"], compiled["HI"]
        self._scan = compiled["scan"]
        self._make_token = compiled["token"]
        self._lengths = compiled["LENGTHS"]
        self._make_span = {n: compiled[f"span{n}"] for n in self._lengths}
        self._bos, self._eos = compiled["pad"]("BOS"), compiled["pad"]("EOS")
        self._span_pads = {n: (compiled[f"pad{n}"]("BOS"), compiled[f"pad{n}"]("EOS")) for n in self._lengths}
        self._tokens: dict[str, tuple] = {}

    def _token(self, token: str) -> tuple:
        """The weights of a syllable for each one-syllable template, () when it is not one
        tagged here."""
        record = self._make_token(token) if token and " " not in token and cased_alike(token) else ()
        if len(self._tokens) >= _TOKENS_KEPT:
            self._tokens.clear()
        self._tokens[token] = record
        return record

    def tags(self, tokens: list[str]) -> Optional[list[str]]:
        """The labels of the syllables, or None when one of them is not tagged here."""
        n = len(tokens)
        if n == 0:
            return []
        get, missing = self._tokens.get, self._token
        records = []
        for token in tokens:
            record = get(token)
            if record is None:
                record = missing(token)
            if not record:
                return None
            records.append(record)
        padded = [self._bos] * -self._lo + records + [self._eos] * self._hi
        spans = []
        for length in self._lengths:
            if length == 2:
                texts = [a + " " + b for a, b in zip(tokens, tokens[1:])]
            elif length == 3:
                texts = [a + " " + b + " " + c for a, b, c in zip(tokens, tokens[1:], tokens[2:])]
            else:
                texts = [" ".join(tokens[j:j + length]) for j in range(n - length + 1)]
            runs = list(map(self._make_span[length], texts))
            bos, eos = self._span_pads[length]
            spans.append([bos] * -self._lo + runs + [eos] * (n + self._hi - len(runs)))
        labels = self.labels
        return [labels[y] for y in self._scan(n, padded, *spans)]


_VALUES = {   # how a template's function makes its value from `text` (the syllable, or the run joined)
    None: ("text", ""),
    "lower": ("low", ""),
    "is_in_dict": ("in_dict", 'in_dict = "True" if low in DICTIONARY else "False"'),
    "isdigit": ("digit", 'digit = "True" if is_i32(text) else "False"'),
    "istitle": ("title", 'title = "True" if istitle(text) else "False"'),
}


def _compile(templates: list[str], parsed: list[tuple[int, int, Optional[str]]], model: CrfsuiteModel,
             dictionary) -> dict:
    """The functions a WordSegmenter runs, written for its templates (each template's weights in a
    table of its own: value -> the two labels' weights):

    * ``token(text)`` / ``span<L>(text)``: the record of a syllable / of a run of L syllables
      joined by spaces: for each template of one syllable / of L, in order, the two labels'
      weights of its value, flat; ``pad(value)`` / ``pad<L>(value)``: the same for "BOS" or "EOS";
    * ``scan(n, P, Q<L>...)``: for each of n positions the two labels' sums of the weights of all
      templates in the templates' order (P: the syllables' records with -LO BOS records before and
      HI EOS records after; Q<L>: the records of the runs of L syllables starting at each position
      from LO, BOS before the sentence, EOS where the run passes its end), and Viterbi over them
      as underthesea_core runs it: the label ids.
    """
    lo = min(0, *(first for first, _, _ in parsed))
    hi = max(0, *(last for _, last, _ in parsed))
    namespace: dict = {"DICTIONARY": dictionary, "is_i32": is_i32, "istitle": _istitle, "LO": lo, "HI": hi,
                       "Z": (0.0, 0.0)}
    tables: dict[str, dict[str, tuple[float, float]]] = {t: {} for t in templates}
    first_weights, second_weights = model.state
    for attr_id, attribute in enumerate(model.attributes):
        w0, w1 = first_weights[attr_id], second_weights[attr_id]
        if w0 or w1:
            template, sep, value = attribute.partition("=")
            table = tables.get(template)
            if sep and table is not None:
                table[value] = (w0, w1)
    layout: dict[int, list[tuple[str, Optional[str]]]] = {}   # run length -> (table name, function), in order
    slots: dict[int, int] = {}   # template number -> place of its weights in its length's records
    for k, (template, (first, last, function)) in enumerate(zip(templates, parsed)):
        namespace[f"W{k}"] = tables[template]
        in_record = layout.setdefault(last - first + 1, [])
        slots[k] = 2 * len(in_record)
        in_record.append((f"W{k}", function))
    loads, sums = {}, []
    for k, (first, last, _function) in enumerate(parsed):
        length = last - first + 1
        source = "P" if length == 1 else f"Q{length}"
        name = f"{source.lower()}_{first - lo}"
        loads[name] = f"{source}[{first - lo}:{first - lo} + n]"
        sums.append(f"s0 += {name}[{slots[k]}]; s1 += {name}[{slots[k] + 1}]")
    lengths = sorted(n for n in layout if n > 1)
    namespace["LENGTHS"] = lengths
    lines = []
    for length, in_record in layout.items():
        name = "token" if length == 1 else f"span{length}"
        functions = {function for _, function in in_record}
        steps = ["low = text.lower()"] if functions & {"lower", "is_in_dict"} else []
        steps += [_VALUES[f][1] for f in ("is_in_dict", "isdigit", "istitle") if f in functions]
        weights = ", ".join(f"*{table}.get({_VALUES[f][0]}, Z)" for table, f in in_record)
        pads = ", ".join(f"*{table}.get(value, Z)" for table, _ in in_record)
        body = "".join(f"    {step}\n" for step in steps)
        lines.append(f"def {name}(text):\n{body}    return ({weights},)\n")
        lines.append(f"def pad{'' if length == 1 else length}(value):\n    return ({pads},)\n")
    total = "\n".join(f"        {line}" for line in sums)
    args = ", ".join(["n", "P"] + [f"Q{length}" for length in lengths])
    lines.append(f"""def scan({args}):
    back = []
    push = back.append
    v0 = v1 = 0.0
    first = True
    for {", ".join(loads)} in zip({", ".join(loads.values())}):
        s0 = 0.0; s1 = 0.0
{total}
        if first:
            v0 = s0; v1 = s1
            first = False
            continue
        c0 = v0 + T00; c1 = v1 + T10
        if c1 > c0:
            n0 = c1 + s0; b0 = 1
        else:
            n0 = c0 + s0; b0 = 0
        c0 = v0 + T01; c1 = v1 + T11
        if c1 > c0:
            n1 = c1 + s1; b1 = 1
        else:
            n1 = c0 + s1; b1 = 0
        v0 = n0; v1 = n1
        push((b0, b1))
    y = 1 if v1 > v0 else 0
    path = [y]
    for pointers in reversed(back):
        y = pointers[y]
        path.append(y)
    path.reverse()
    return path
""")
    (namespace["T00"], namespace["T01"]), (namespace["T10"], namespace["T11"]) = model.transitions
    exec(compile("\n".join(lines), "<underthesea_crf>", "exec"), namespace)  # noqa: S102 - source written above
    return namespace
