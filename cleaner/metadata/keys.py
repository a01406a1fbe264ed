"""The ``<meta>`` keys each metadata field is read from, in order of trust (lower-case, as
:func:`cleaner.metadata.tags.read_tags` files them)."""

from __future__ import annotations

from cleaner.read.tags import META_DESCRIPTION_KEYS

# <meta> keys, in order of trust, for each field. "og:"/"twitter:" keys come first, as the Open Graph
# and Twitter tags are written for machines; then Dublin Core and the names CMSs use.
TITLE_KEYS = (
    "og:title",
    "twitter:title",
    "title",
    "dc.title",
    "dcterms.title",
    "headline",
    "parsely-title",
    "sailthru.title",
)
AUTHOR_KEYS = (
    "author",
    "article:author",
    "og:article:author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "sailthru.author",
    "parsely-author",
    "citation_author",
    "cxenseparse:author",
    "article.author",
    "creator",
    "dc.contributor",
)
PUBLISHED_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "published_time",
    "article.published",
    "article_date_original",
    "publication_date",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "dc.date.created",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
    "originalpublicationdate",
    "displaydate",
    "date.published",
    "datepublished",
    "release_date",
    "created",
)
MODIFIED_KEYS = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "lastmod",
)
SITE_KEYS = ("og:site_name", "application-name", "apple-mobile-web-app-title", "publisher", "dc.publisher")
# The description's keys are read by the segmenter too (the lede rule, cleaner.decide.head).
DESCRIPTION_KEYS = META_DESCRIPTION_KEYS
LANGUAGE_KEYS = ("content-language", "language", "dc.language", "dcterms.language")
URL_KEYS = ("og:url", "twitter:url")
