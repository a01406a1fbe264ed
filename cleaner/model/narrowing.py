"""The page check's inputs, by name, in the order of the weights a model file holds for them."""

# The page check's inputs: what the decisions look like against the page's main region (HTML: its
# densest container; text: its best run). The kept lines often spill out of the article into its
# surroundings (related links, a teaser list, comments): a page-level logistic regression over these
# inputs, trained on held-out pages, says when keeping only the kept lines inside the region gives
# the better page (:func:`cleaner.decide.page_check.narrow`).
NARROWING_INPUTS = (
    "kept_of_prose",  # characters kept / characters of prose lines (capped at 2)
    "kept_of_page",  # characters kept / the page's characters
    "main_of_page",  # the region's characters / the page's
    "main_of_prose",  # the region's prose characters / the page's
    "kept_in_main",  # of the characters kept, the share inside the region
    "main_keep",  # the mean keep-probability in the region, weighted by characters
    "outside_keep",  # the same outside it
    "main_covered",  # of the region's characters, the share kept
)
