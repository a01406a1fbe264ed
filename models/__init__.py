"""The shipped models, installed as the package ``cleaner.models``.

``text.json`` cleans plain text and Markdown, ``html.json`` cleans HTML. Both are plain JSON
(weights and feature settings, no code) and are rebuilt by ``python training/build_models.py``.
"""
