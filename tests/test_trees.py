"""The gradient-boosted trees of the target judge: fitted with scikit-learn, walked with numpy."""
from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest

from pipeline.learn import trees
from pipeline.learn.judge import TargetModel

pytest.importorskip("sklearn")


def _examples(n: int = 2000, seed: int = 0) -> tuple[list[dict], list[int]]:
    """Features a regression cannot add up (the label is 'a' xor 'b', or a high 'num'), with a
    group-reader feature as frequent as the others."""
    rnd = random.Random(seed)
    X, y = [], []
    for _ in range(n):
        f = {"bias": 1.0, "num": round(rnd.random(), 3)}
        f.update({w: 1 for w in ("a", "b", "c", "G=xã", "gconf=3") if rnd.random() < 0.4})
        X.append(f)
        y.append(int((("a" in f) != ("b" in f)) or f["num"] > 0.9))
    return X, y


@pytest.fixture(scope="module")
def fitted() -> trees.TreeEnsemble:
    X, y = _examples()
    return trees.fit_trees(X, y, trees=40)


def test_the_walk_gives_scikit_learns_raw_scores(fitted):
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y = _examples()
    dense = trees.dense(X, fitted.features)
    ref = HistGradientBoostingClassifier(max_iter=40, max_leaf_nodes=trees.LEAVES, learning_rate=trees.RATE,
                                         early_stopping=False, random_state=0).fit(dense, y)
    assert np.abs(fitted.raw(dense) - ref.decision_function(dense)).max() < 1e-9
    held_out, truth = _examples(500, seed=1)
    right = ((fitted.raw(trees.dense(held_out, fitted.features)) > 0) == np.array(truth)).mean()
    assert right > 0.95  # the xor a regression cannot learn


def test_the_trees_never_read_what_the_group_reader_decides(fitted):
    assert set(fitted.features) <= {"a", "b", "c", "num"}  # (bias, the same everywhere, splits nothing)
    data = fitted.to_json()
    data["features"] = data["features"][:-1] + ["glen=3"]
    with pytest.raises(ValueError, match="group reader"):
        trees.TreeEnsemble.from_json(data)


def test_a_rare_feature_is_no_column():
    X, y = _examples(200)
    X[0]["rare"] = 1
    assert "rare" not in trees.columns(X, min_count=2) and "a" in trees.columns(X, min_count=2)
    assert trees.fit_trees([{"rare": 1}] * 5, [0, 1, 0, 1, 0]) is None


def test_the_model_file_keeps_the_trees(fitted, tmp_path):
    model = TargetModel(weights={"a": 1.0, "G=xã": 0.5}, threshold=0.5, trees=fitted)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model.to_json()), encoding="utf-8")
    again = TargetModel.load(path)
    assert again.to_json() == model.to_json()
    X, _ = _examples(50, seed=2)
    assert again.probabilities(X) == model.probabilities(X)


def test_with_trees_the_probability_is_the_mean_of_the_regressions_and_the_trees(fitted):
    model = TargetModel(weights={"a": 1.0, "G=xã": 0.5}, threshold=0.5, trees=fitted)
    X, _ = _examples(30, seed=3)
    raw = fitted.raw(trees.dense(X, fitted.features))
    for f, r, p in zip(X, raw, model.probabilities(X)):
        lr = 1 / (1 + math.exp(-(f.get("a", 0) + 0.5 * f.get("G=xã", 0))))
        assert p == pytest.approx((lr + 1 / (1 + math.exp(-r))) / 2)
    batch = model.probabilities(X)
    assert [model.probability(f) for f in X] == pytest.approx(batch, abs=1e-12)  # each row is its own


def test_a_broken_tree_in_the_model_file_is_named(fitted, tmp_path):
    from pipeline.errors import ChitieuError

    data = TargetModel(weights={"a": 1.0}, threshold=0.5, trees=fitted).to_json()
    path = tmp_path / "m.json"
    for field, wrong in (("left", 10_000), ("feature", 10_000)):  # a child, a column that is not there
        broken = json.loads(json.dumps(data))
        broken["trees"]["trees"][0][field][0] = wrong
        path.write_text(json.dumps(broken), encoding="utf-8")
        with pytest.raises(ChitieuError, match="not a target model"):
            TargetModel.load(path)
