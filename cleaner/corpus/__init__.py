"""The public corpora as training and evaluation data: the reader, the renderers and the aligner that
turn gold texts into labeled lines, the recipe of the shipped models, and the benchmark against other
extractors. Imports the optional ``bench`` dependencies where it needs them; cleaning a page never
imports this package."""
