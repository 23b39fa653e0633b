"""The learned decision: which candidate quantities are targets of a public plan, and how sure.

The rules (link, discourse) propose candidates and their own decision; a logistic model trained on
real gold (`chitieu train`) reads the rules' decision and trace, the words around the number, its
sentence, passage and document, and decides. Its probability, calibrated on held-out folds, is the
target's `confidence`.
"""
