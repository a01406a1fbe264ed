"""The decide stage: from the model's label probabilities to each line kept or dropped.

In the order :func:`cleaner.pipeline.decide_batch` applies them:

- :mod:`~cleaner.decide.threshold`: the keep-probability, smoothed by the neighbours', against the
  model's threshold (the :class:`~cleaner.decide.threshold.Decisions` every later rule moves);
- :mod:`~cleaner.decide.fallback`: a page left (nearly) empty keeps its best region instead;
- :mod:`~cleaner.decide.page_check`: kept lines that spill out of the page's main region go, where
  the page check says so;
- :mod:`~cleaner.decide.parts` (HTML): the main container's prose from a lower threshold, and the
  rules of :mod:`~cleaner.decide.groups` (parts decided whole), :mod:`~cleaner.decide.threads` (a discussion's replies),
  :mod:`~cleaner.decide.content` (``<main>``, ``<article>``), :mod:`~cleaner.decide.asides`
  (related-story lead-ins, captions, timestamps) and :mod:`~cleaner.decide.head` (headline, lede, byline,
  section headings);
- :mod:`~cleaner.decide.dial`: the user's explicit threshold moves what the rules decided.

Each rule that keeps or drops a line names itself in ``--explain`` (for the rules of
:mod:`~cleaner.decide.parts`, :mod:`~cleaner.decide.notes` holds the names).
"""
