"""What a browser shows: which elements hide their content (an attribute, an inline style, a class
of a CSS framework's), and the hidden or skipped elements that are shown after all."""

from __future__ import annotations

import re
from collections.abc import Mapping

from cleaner.read.tags import class_tokens

# Hidden elements: the ``hidden`` attribute, aria-hidden="true", or an inline style hiding them.
HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# An element whose ARIA role says it is shown only on demand: a tooltip, shown while the pointer is
# over what it describes (Stack Exchange's "Save this question." by a bookmark button, "This question
# shows research effort" by a vote button). Held out by corpus, the models fixed: magichtml
# 0.8154 -> 0.8156, no other corpus moved.
HIDDEN_ROLES = frozenset({"tooltip"})
# Never taken as hidden: pages hide their whole body until their scripts have run ("anti-flicker").
NEVER_HIDDEN_TAGS = frozenset({"html", "body"})
# Or a class of a CSS framework's that hides what it is on (Bootstrap's, Tailwind's, WordPress's...), or
# shows it to screen readers only: the page's stylesheet hides it, from readers and annotators alike.
HIDING_CLASSES = frozenset(
    {
        "hidden", "hide", "is-hidden", "u-hidden", "js-hidden", "d-none", "display-none", "invisible",
        "element-invisible", "visually-hidden", "visuallyhidden", "sr-only", "screen-reader-text", "offscreen",
        "ng-hide", "mfp-hide", "w-condition-invisible",
    }
)  # fmt: skip
# Unless another class shows it at some screen width ("hidden md:block", "d-none d-lg-flex", "visible-md"):
# then a reader on a wide enough screen sees it.
SHOWING_CLASS_RE = re.compile(r"[^:]*:|d-(?:sm|md|lg|xl|xxl)-|visible-|show-for-")
# A CSS framework's modal dialog or drawer (the "modal" class of Bootstrap, Semantic UI, Bulma and
# Materialize, UIkit's "uk-modal", Bootstrap's "offcanvas") is hidden until a script opens it and
# gives it one of these classes: a report form, a login box or a share sheet written into every page
# of a site. Held out by corpus, the models fixed, "modal": HTML 0.9169 -> 0.9172, 7 pages moved, 6
# up (magichtml +0.0059: a forum's report form kept in place of the post, 0.00 -> 0.67; readability
# +0.0009; googletrends2017 -0.0002, a share sheet's absence moving a page's menu in); the other
# modals and the last three hiding classes above (AngularJS's, Magnific Popup's, Webflow's), one page
# more, up. Not Bootstrap's "collapse" (an FAQ's answers: googletrends2017 -0.0051) nor
# "dropdown-menu" (level, two forums down).
MODAL_CLASSES = frozenset({"modal", "uk-modal", "offcanvas"})
OPEN_MODAL_CLASSES = frozenset(
    {"show", "showing", "in", "active", "is-active", "open", "is-open", "uk-open", "visible"}
)
# React's streamed server rendering sends each part of the page that was not ready with its first bytes
# later, in a <div hidden id="S:..."> that its inline script moves into place at once: a browser shows
# it (a news site's whole article can come that way), so its ``hidden`` attribute does not hide it.
STREAMED_SEGMENT_ID_RE = re.compile(r"S:[0-9a-z]+\Z")
# A paywall hides the rest of an article from readers without a subscription, but the page holds it
# (news corpora's gold keeps it): hidden content whose class or id says "paywall" is read as visible,
# unless a word of an overlay (a dialog, a popup...) says it is the paywall's prompt.
PAYWALL_WORDS = frozenset({"paywall", "paywalled"})
OVERLAY_WORDS = frozenset(
    {"modal", "dialog", "popup", "popover", "overlay", "lightbox", "tooltip", "banner", "prompt", "message", "offer"}
)
# Skipped elements that a browser shows after all, by an attribute: a <dialog> that is ``open``, and a
# <template> that declares a shadow root (declarative shadow DOM: web components rendered on the
# server put their content there, and the browser renders it in place of the template; "shadowroot"
# is the attribute's name before it was standardised).
DIALOG_TAG = "dialog"
TEMPLATE_TAG = "template"
SHADOW_ROOT_ATTRIBUTES = ("shadowrootmode", "shadowroot")
SHOWN_IN_PLACE_TAGS = frozenset({DIALOG_TAG, TEMPLATE_TAG})


def shown_in_place(tag: str, attrib: Mapping[str, str]) -> bool:
    """Whether a skipped element (:data:`~cleaner.read.tags.SKIP_TAGS`) is rendered where it stands: an
    open dialog, or a template that declares a shadow root."""
    if tag == DIALOG_TAG:
        return "open" in attrib
    if tag == TEMPLATE_TAG:
        return any(name in attrib for name in SHADOW_ROOT_ATTRIBUTES)
    return False


def hidden_by_class(class_value: str | None) -> bool:
    """Whether an element's class list hides it: it holds one of :data:`HIDING_CLASSES` and no class
    that shows it at some screen width (:data:`SHOWING_CLASS_RE`), or it is a modal dialog not opened
    (:data:`MODAL_CLASSES`, :data:`OPEN_MODAL_CLASSES`). Compared as written (CSS classes are
    case-sensitive)."""
    if class_value is None:
        return False
    classes = class_value.split()
    if HIDING_CLASSES.isdisjoint(classes):
        return not MODAL_CLASSES.isdisjoint(classes) and OPEN_MODAL_CLASSES.isdisjoint(classes)
    return not any(SHOWING_CLASS_RE.match(name) for name in classes)


def hidden_element(tag: str, attrib: Mapping[str, str]) -> bool:
    """Whether a browser hides an element, with what it holds: the ``hidden`` attribute (but on React's
    streamed segments, :data:`STREAMED_SEGMENT_ID_RE`), a ``display:none`` or ``visibility:hidden``
    style, ``aria-hidden="true"``, a role shown on demand (:data:`HIDDEN_ROLES`), a hiding class
    (:func:`hidden_by_class`); never ``<html>`` or ``<body>``, nor the text behind a paywall
    (:func:`behind_paywall`), which is read all the same."""
    if not attrib or tag in NEVER_HIDDEN_TAGS:
        return False
    style = attrib.get("style")
    aria = attrib.get("aria-hidden")
    hidden = (
        ("hidden" in attrib and STREAMED_SEGMENT_ID_RE.match(attrib.get("id") or "") is None)
        or (style is not None and HIDDEN_STYLE_RE.search(style) is not None)
        or (aria is not None and aria.strip().lower() == "true")
        or attrib.get("role", "").strip().lower() in HIDDEN_ROLES
        or hidden_by_class(attrib.get("class"))
    )
    return hidden and not behind_paywall(attrib.get("class"), attrib.get("id"))


def behind_paywall(class_value: str | None, id_value: str | None) -> bool:
    """Whether an element's class and id name it as the text behind a paywall (see :data:`PAYWALL_WORDS`):
    hidden, it is read all the same."""
    if class_value is None and id_value is None:
        return False
    tokens = set(class_tokens(f"{class_value or ''} {id_value or ''}"))
    return not tokens.isdisjoint(PAYWALL_WORDS) and tokens.isdisjoint(OVERLAY_WORDS)
