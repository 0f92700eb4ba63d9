"""Tooling for developing perfaudit, not for reading documents: the sample and test-document
generator (samples.py), evaluation against gold annotations and labels (evaluate.py,
evaluate_reasons.py), and the reason model's card (reasons_card.py). `perfaudit eval`, `eval-links`
and `reasons` call them; nothing of the reading stages imports them. Their dev-only dependencies
(reportlab, xlwt) load only when a sample is written.
"""
