"""Gradient-boosted trees over a candidate's features: the second half of the target judge.

The judge's logistic regressions add up what each feature says; trees read features together (a
word that marks an aim in a plan's sentence and a result in a report's). Averaged with the
regressions, they cross-validated higher than the regressions alone on every fold seed tried
(README, "Trees beside the regressions").

Fitted with scikit-learn (training only), then kept as plain arrays in the model file and scored
with numpy at run time: scikit-learn is not needed to extract. Scoring reads only the features a
candidate has, as QuickScorer does (Lucchese et al., SIGIR 2015): number each tree's leaves from
left to right; a node whose test sends a candidate right rules out the leaves of its left subtree;
the leaf the candidate reaches is the leftmost one no such node rules out. A feature the candidate
lacks is 0 and every threshold is at least 0, so only the nodes of the features it has can send it
right: a handful per candidate, where walking the trees takes ~14 steps over every tree.

The trees read no feature the group reader decides (features.reader_feature), so GroupCeiling can
take their part exactly.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional, Sequence

import numpy as np

from .features import reader_feature

TREES = 200          # boosting rounds
LEAVES = 15          # leaves per tree at most
RATE = 0.1           # learning rate
MIN_COUNT = 30       # a feature is a column when this many training candidates have it


class TreeEnsemble:
    """Trees as node lists (the model file's form: per tree, per node, the column read, the
    threshold, the left and right child, the leaf value; a leaf is its own left and right child):
    a candidate goes left at a node when its value there is at most the threshold; its raw score is
    ``baseline`` plus the values of the leaves it reaches, its probability the logistic of that."""

    def __init__(self, features: list[str], baseline: float, trees: list[dict]) -> None:
        read = [n for n in features if reader_feature(n)]
        if read:  # GroupCeiling takes the trees' part as it is
            raise ValueError(f"trees may not read what the group reader decides ({read[0]})")
        self.features, self.baseline, self.trees = list(features), float(baseline), trees
        nodes = [_compile(t) for t in trees]
        width = max([len(values) for _, values in nodes] + [1])
        if width > 62:
            raise ValueError(f"a tree has {width} leaves: at most 62 are read")
        self.leaf_value = np.zeros((len(trees), width))
        for i, (_, values) in enumerate(nodes):
            self.leaf_value[i, :len(values)] = values
        inner = [(f, thr, i, mask) for i, (tests, _) in enumerate(nodes) for f, thr, mask in tests]
        if any(thr < 0 for _, thr, _, _ in inner):
            raise ValueError("a threshold below 0: a feature a candidate lacks (0) would go right")
        if any(not 0 <= f < len(self.features) for f, _, _, _ in inner):
            raise ValueError(f"a node reads a column that is not among the {len(self.features)} features")
        inner.sort(key=lambda n: n[0])  # by column (sort is stable: the order of the trees within one)
        col = np.array([n[0] for n in inner], dtype=np.intp)
        self.threshold = np.array([n[1] for n in inner], dtype=float)
        self.tree = np.array([n[2] for n in inner], dtype=np.intp)
        self.mask = np.array([n[3] for n in inner], dtype=np.int64)
        self.start = np.searchsorted(col, np.arange(len(self.features) + 1))  # column j's nodes: start[j]:start[j+1]

    def raw_sparse(self, example: np.ndarray, column: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
        """Raw scores of ``n`` candidates given the (candidate, column, value) of the features they
        have (any order; a column no tree reads is -1)."""
        keep = column >= 0
        example, column, value = example[keep], column[keep], value[keep]
        count = self.start[column + 1] - self.start[column]
        total = int(count.sum())
        entry = np.repeat(np.arange(len(column)), count)
        node = np.arange(total) - np.repeat(np.cumsum(count) - count, count) + np.repeat(self.start[column], count)
        right = value[entry] > self.threshold[node]
        alive = np.full((n, len(self.trees)), -1, dtype=np.int64)   # the leaves not ruled out, as bits
        np.bitwise_and.at(alive, (example[entry[right]], self.tree[node[right]]), self.mask[node[right]])
        leaf = np.log2(alive & -alive).astype(np.intp)             # the lowest bit left: the leftmost leaf
        return self.baseline + self.leaf_value[np.arange(len(self.trees)), leaf].sum(axis=1)

    def raw(self, X: np.ndarray) -> np.ndarray:
        """Raw scores of the rows of ``X`` (n x len(features))."""
        example, column = np.nonzero(X)
        return self.raw_sparse(example, column, X[example, column], X.shape[0])

    def to_json(self) -> dict:
        return {"features": self.features, "baseline": self.baseline, "trees": self.trees}

    @classmethod
    def from_json(cls, data: dict) -> "TreeEnsemble":
        return cls(data["features"], data["baseline"], data["trees"])


def _compile(tree: dict) -> tuple[list[tuple[int, float, int]], list[float]]:
    """A tree's inner nodes as (column, threshold, mask: a bit per leaf, those of its left subtree
    cleared) and its leaf values, the leaves numbered from left to right."""
    feature, threshold, left, right, value = (tree[k] for k in ("feature", "threshold", "left", "right", "value"))
    leaves: list[float] = []
    tests: list[tuple[int, float, int]] = []

    def visit(node: int, depth: int) -> tuple[int, int]:  # the leaves under node: [first, end)
        if depth > len(feature):
            raise ValueError("a tree's nodes hold a cycle")
        if left[node] == node:
            leaves.append(value[node])
            return len(leaves) - 1, len(leaves)
        first, middle = visit(left[node], depth + 1)
        _, end = visit(right[node], depth + 1)
        tests.append((feature[node], threshold[node], ~(((1 << (middle - first)) - 1) << first)))
        return first, end
    visit(0, 0)
    return tests, leaves


def columns(X: Sequence[dict[str, float]], min_count: int = MIN_COUNT) -> list[str]:
    """The features the trees may read: those of at least ``min_count`` examples that the group
    reader does not decide, sorted."""
    counts = Counter(name for f in X for name in f)
    return sorted(n for n, k in counts.items() if k >= min_count and not reader_feature(n))


def dense(X: Sequence[dict[str, float]], names: list[str]) -> np.ndarray:
    col = {n: i for i, n in enumerate(names)}
    out = np.zeros((len(X), len(names)), dtype=np.float64)
    for r, f in enumerate(X):
        for n, v in f.items():
            j = col.get(n)
            if j is not None:
                out[r, j] = v
    return out


def fit_trees(X: Sequence[dict[str, float]], y: Sequence[int], trees: int = TREES,
              min_count: int = MIN_COUNT) -> Optional[TreeEnsemble]:
    """Gradient-boosted trees of ``y`` over the feature dicts (scikit-learn's histogram gradient
    boosting, no early stopping: deterministic), or None when no feature is common enough."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    names = columns(X, min_count)
    if not names or len(set(y)) < 2:
        return None
    clf = HistGradientBoostingClassifier(max_iter=trees, max_leaf_nodes=LEAVES, learning_rate=RATE,
                                         early_stopping=False, random_state=0)
    clf.fit(dense(X, names), np.asarray(y))
    found = []
    for (predictor,) in clf._predictors:
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise ValueError("categorical splits are not read")
        leaf = nodes["is_leaf"].astype(bool)
        index = np.arange(len(nodes))
        found.append((leaf, np.where(leaf, -1, nodes["feature_idx"]), np.where(leaf, 0.0, nodes["num_threshold"]),
                      np.where(leaf, index, nodes["left"]), np.where(leaf, index, nodes["right"]),
                      np.where(leaf, nodes["value"], 0.0)))
    used = sorted({int(f) for leaf, feature, *_ in found for f in feature[~leaf]})  # the columns kept: those read
    new = {old: i for i, old in enumerate(used)}
    trees = [{"feature": [new.get(int(f), 0) for f in feature], "threshold": [float(t) for t in threshold],
              "left": [int(x) for x in lo], "right": [int(x) for x in hi], "value": [float(v) for v in value]}
             for _, feature, threshold, lo, hi, value in found]
    return TreeEnsemble([names[i] for i in used], float(np.ravel(clf._baseline_prediction)[0]), trees)
