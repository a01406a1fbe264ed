"""The model stage: label probabilities for each line.

:mod:`~cleaner.model.regression` holds the model (a logistic regression over the scaled line
features and their context, and a second pass over what the first thought of each line's region),
:mod:`~cleaner.model.file` reads and writes it as JSON, checked field by field (with the page check's
regression, whose inputs :mod:`~cleaner.model.narrowing` names), and
:mod:`~cleaner.model.text_view` mixes the text model's reading into an HTML page's where the page does
not declare an article.
"""

from cleaner.model.regression import Model, Narrowing, Scaling, SecondPass, sigmoid, softmax

__all__ = ["Model", "Narrowing", "Scaling", "SecondPass", "sigmoid", "softmax"]
