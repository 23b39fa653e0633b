"""The logistic regressions every learned model here is fitted with (training only: scikit-learn is
imported when called), and the weighted sums the small ones (plan period, year written) score with."""
from __future__ import annotations

from typing import Sequence


def sums(weights: dict[str, float], feats: Sequence[dict[str, float]]) -> list[float]:
    """Each feature dict's weighted sum (the regression's log-odds; features without a weight add 0)."""
    get = weights.get
    return [sum(get(k, 0.0) * v for k, v in f.items()) for f in feats]


def fit_logistic(X: Sequence[dict[str, float]], y: Sequence[int], c: float, min_weight: float) -> dict[str, float]:
    """Weights of a logistic regression of ``y`` over the feature dicts ``X`` (scikit-learn,
    liblinear: deterministic; no intercept), rounded to 5 decimals, those smaller than ``min_weight``
    in size left out."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    Xm = vec.fit_transform(X).tocsr()
    Xm.indices, Xm.indptr = Xm.indices.astype("int32"), Xm.indptr.astype("int32")  # liblinear's index type
    clf = LogisticRegression(C=c, solver="liblinear", fit_intercept=False, max_iter=2000, random_state=0)
    clf.fit(Xm, y)
    names = vec.get_feature_names_out()
    return {str(n): round(float(w), 5) for n, w in zip(names, clf.coef_[0]) if abs(w) >= min_weight}
