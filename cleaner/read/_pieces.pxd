# cython: language_level=3
# The compiled text helpers the compiled segmenter calls in C (see _pieces.pyx).

cpdef str respaced(str text)
cpdef list split_collapsed(list pieces, list links)
cpdef frozenset hints_of(str value)
