"""The compiled core's build (everything else is declared in pyproject.toml).

The Cython extensions are optional: where they cannot be built (no C compiler, no Python headers, no
Cython), the package installs without them and runs on its reference core (see cleaner/core.py).
"""

from setuptools import Extension, setup

try:
    import lxml
except ImportError:  # the tree walk and the parse read lxml's headers: without them, they are left out
    lxml = None

try:
    from Cython.Build import cythonize
except ImportError:  # built without Cython (e.g. --no-build-isolation): the reference core only
    ext_modules = []
else:
    walk = []
    if lxml is not None:  # the tree walk and the parse read lxml's headers (and libxml2's, which it ships)
        walk = [
            Extension(f"cleaner.read.{name}", [f"cleaner/read/{name}.pyx"], include_dirs=lxml.get_include())
            for name in ("_walk", "_sax")
        ]
    ext_modules = cythonize(
        [
            *walk,
            Extension("cleaner.read._pieces", ["cleaner/read/_pieces.pyx"]),
            Extension("cleaner.read._segment", ["cleaner/read/_segment.pyx"]),
            Extension("cleaner.read._lines", ["cleaner/read/_lines.pyx"]),
            Extension("cleaner.read._blocks", ["cleaner/read/_blocks.pyx"]),
            Extension("cleaner.read._bytes", ["cleaner/read/_bytes.pyx"]),
            Extension("cleaner.features._scan", ["cleaner/features/_scan.pyx"]),
            Extension("cleaner.features._text", ["cleaner/features/_text.pyx"]),
            Extension("cleaner.features._dates", ["cleaner/features/_dates.pyx"]),
            Extension("cleaner.features._patterns", ["cleaner/features/_patterns.pyx"]),
            Extension("cleaner.features._page", ["cleaner/features/_page.pyx"]),
            Extension("cleaner.features._stack", ["cleaner/features/_stack.pyx"]),
            Extension("cleaner.features._context", ["cleaner/features/_context.pyx"]),
            Extension("cleaner.features._markup", ["cleaner/features/_markup.pyx"]),
            Extension("cleaner.decide._page_check", ["cleaner/decide/_page_check.pyx"]),
            Extension("cleaner.model._passes", ["cleaner/model/_passes.pyx"]),
        ],
        compiler_directives={"language_level": 3},
        quiet=True,
    )
    for extension in ext_modules:
        extension.optional = True  # a failed compile warns, and the package installs without it

setup(ext_modules=ext_modules)
