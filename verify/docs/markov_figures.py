"""The Markov paper's own figures (registered with :func:`verify.docs.figures.figure`)."""

from __future__ import annotations
