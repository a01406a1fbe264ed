"""Fuzz the library's entry points: bytes in, a result or a cleaner.CleanerError out, nothing else.

    python bench/fuzz.py --minutes 10 [--target text|html|both] [--engine auto|atheris|hypothesis]

Not part of the test suite (it runs for minutes). Each input (a byte string) goes through:

* text: ``Cleaner.process(data)`` (format sniffed), ``Cleaner.process(data, input_format="text")``, and
  ``Cleaner.process(str)`` of the same bytes decoded as UTF-8 with lone surrogates (surrogateescape);
  a page read as text must give one result per line of the decoded input, each with that line's text;
  ``Cleaner.clean(data)`` must be the rendering of ``process(data)``, and ``clean_many`` must give it
  for each page of a batch;
* html: ``Cleaner.clean_html(data)`` (the rendering of ``classify_html(data)``), ``Cleaner.classify_html(str)``
  of the bytes decoded as UTF-8 (surrogateescape) and ``Cleaner.process(data, input_format="html")``;
  every line's text is non-empty and free of line breaks; ``Cleaner.extract(data)`` (its text that of
  ``clean_html``) and ``Cleaner.markdown(data)``, which read the page's structure and its tree.

Any exception that is not a :class:`cleaner.CleanerError` (or a broken invariant above) is a crash:
the input is written to ``bench/results/crash-<sha1>.bin`` with the traceback next to it
(``.txt``), and the command exits non-zero. Inputs taking more than ``--timeout`` seconds count as
crashes too (atheris engine).

Engines: atheris (coverage-guided libFuzzer, ``pip install atheris``) when it imports, else
hypothesis (random and grammar-generated inputs, in batches until the time is up). The initial corpus
(atheris) is the hand-labeled seed pages, a few synthetic HTML pages and, when the corpora folder is
present, the start of a few corpus pages; atheris adds what it finds to ``bench/results/fuzz-corpus``.
With atheris the run is a series of libFuzzer sessions (``--session-minutes``, 2 by default), each in
a fresh process sharing that corpus: atheris's instrumentation grows its process steadily, which
would otherwise hit the memory limit (``--rss-limit-mb``) after some 15,000 inputs. The total number
of executions is printed at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
CORPUS_DIR = RESULTS / "fuzz-corpus"
SEEDS_DIR = ROOT / "training" / "seeds"

# Small synthetic pages that reach the segmenter's corners: hidden blocks, pre, br runs, raw-text
# elements, frames, entities, broken and unclosed tags, charsets.
SYNTHETIC_PAGES: tuple[bytes, ...] = (
    b"<!doctype html><html><head><meta charset=utf-8><title>T</title></head><body><nav><a href=/>Home</a> | "
    b"<a href=/n>News</a></nav><article><h1>A title</h1><p>A first paragraph, long enough to read as the "
    b"body of an article.</p><p>Second <b>one</b> &amp; <a href=x>a link</a>.</p></article>"
    b"<div class=comments><p>Reply</p></div><footer>(c) 2024</footer></body></html>",
    b"<html><body><div hidden>secret</div><div style='display:none'>x</div><p aria-hidden=true>y</p>"
    b"<pre>line 1\n\n  line 3\t\n</pre><p>a<br><br>b<br>c</p><ul><li>one<li>two</ul><table><tr><td>1<td>2"
    b"</table><dialog open>d</dialog><textarea>t</textarea></body></html>",
    b"<html><head><title>unclosed title<body><div><p>text after an unclosed title, with markup.</p></div>",
    b"<html><frameset cols='50%,50%'><frame src=a><noframes>No frames.</noframes></frameset></html>",
    b"<?xml version='1.0' encoding='iso-8859-1'?><html><body><p>caf\xe9 cr\xe8me &eacute;&#233;&#x0;&#1114112;"
    b"&#xD800;</p></body></html>",
    b"<html><head><meta http-equiv=Content-Type content='text/html; charset=shift_jis'></head><body><p>\x82\xa0"
    b"</p></body></html>",
    b"<script>var a='<p>x</p>';</script><style>p{}</style><p>after</p></div></span></p></li>",
    b"<div>" * 300 + b"deep" + b"</div>" * 300,
    b"<b><i><p></b></i></p><a href=x><div>block in link</div></a><p><table><p>misnested</table>",
    b"Plain text page\r\nwith CRLF\rand CR\n\n\tand tabs, \x0cform feed\x0b, \x85 and a line separator "
    + "\u2028".encode(),
    b"# Markdown title\n\n- item one\n- item [link](http://x)\n\n> quote\n\n```\ncode\n```\n",
)


def seed_inputs(max_len: int) -> list[bytes]:
    """The initial corpus: seed pages, synthetic pages, and the start of a few corpus pages."""
    inputs = list(SYNTHETIC_PAGES)
    for path in sorted(SEEDS_DIR.glob("*.tsv")):
        from cleaner.training.labeled import read_labeled_pages

        for page in read_labeled_pages([path]):
            inputs.append(page.original_text().encode("utf-8"))
    try:
        from cleaner.corpus.pages import iter_corpus_pages

        for page in iter_corpus_pages(limit=3, raw=True):
            inputs.append(page.html.encode("utf-8", "surrogatepass")[:max_len])
    except Exception as error:  # no corpora folder: fine, the seeds are enough to start from
        print(f"fuzz: no corpus pages in the initial corpus ({error})", file=sys.stderr)
    return [data[:max_len] for data in inputs]


class Harness:
    """The entry points under test, and what a crash is."""

    def __init__(self, target: str, model: str | None) -> None:
        from cleaner import Cleaner

        self.cleaner = Cleaner.load(model)
        self.target = target
        self.executions = 0
        self.started = time.monotonic()
        self.last_report = self.started

    def run(self, data: bytes) -> None:
        """One input through the selected entry points; raises on a crash."""
        from cleaner import CleanerError, Options
        from cleaner.read.decode import decode_text
        from cleaner.read.lines import split_lines
        from cleaner.render import render_results as render

        self.executions += 1
        now = time.monotonic()
        if now - self.last_report >= 60:
            self.last_report = now
            print(f"fuzz: {self.executions} executions in {now - self.started:.0f} s", file=sys.stderr, flush=True)
        cleaner = self.cleaner
        as_str = data.decode("utf-8", "surrogateescape")
        if self.target in ("text", "both"):
            for call in (
                lambda: cleaner.process(data),
                lambda: cleaner.process(as_str),
                lambda: cleaner.clean(data, Options(explain=True)),
            ):
                try:
                    call()
                except CleanerError:
                    pass
            try:
                page = cleaner.process(data, Options(input_format="text"))
            except CleanerError:
                pass
            else:
                expected = split_lines(decode_text(data).text)
                if [result.text for result in page.results] != expected:
                    raise AssertionError("the results of a text page are not its lines")
            try:
                cleaned = cleaner.clean(data)
            except CleanerError:
                pass
            else:
                if cleaned != cleaner.process(data).text():
                    raise AssertionError("clean() is not the rendering of process()")
                if list(cleaner.clean_many([data, data])) != [cleaned, cleaned]:
                    raise AssertionError("clean_many() is not clean() of each page")
        if self.target in ("html", "both"):
            for call in (
                lambda: cleaner.clean_html(data),
                lambda: cleaner.classify_html(as_str),
                lambda: cleaner.process(data, Options(input_format="html")).text(),
            ):
                try:
                    result = call()
                except CleanerError:
                    continue
                texts = result.splitlines() if isinstance(result, str) else [r.text for r in result]
                if isinstance(result, list) and any(not t or "\n" in t or "\r" in t for t in texts):
                    raise AssertionError("an HTML line is empty or holds a line break")
            try:
                cleaned = cleaner.clean_html(data)
            except CleanerError:
                pass
            else:
                if cleaned != render(cleaner.classify_html(data)):
                    raise AssertionError("clean_html() is not the rendering of classify_html()")
                # The renderings that read the page's structure and its tree (metadata) too.
                document = cleaner.extract(data, Options(input_format="html"))
                if document.text != cleaned:
                    raise AssertionError("extract().text is not clean_html()")
                if (document.markdown or "").split() and not cleaned.split():
                    raise AssertionError("extract() has Markdown but no text")
                cleaner.markdown(data, Options(input_format="html"))


def save_crash(data: bytes, error: BaseException) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()
    path = RESULTS / f"crash-{digest}.bin"
    path.write_bytes(data)
    path.with_suffix(".txt").write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    return path


def report_crash(data: bytes, error: BaseException) -> None:
    path = save_crash(data, error)
    print(f"fuzz: CRASH {type(error).__name__}: {error}; input saved to {path}", file=sys.stderr, flush=True)


def checked(harness: Harness, data: bytes) -> None:
    try:
        harness.run(data)
    except BaseException as error:  # noqa: BLE001 -- everything that escapes is the finding
        if not isinstance(error, KeyboardInterrupt):
            report_crash(data, error)
        raise


def run_atheris_session(args: argparse.Namespace, harness_factory) -> int:
    """One libFuzzer session in this process (it exits the process when done)."""
    import atheris

    with atheris.instrument_imports(include=["cleaner"]):
        import cleaner.api  # noqa: F401
        import cleaner.read  # noqa: F401
    harness = harness_factory()
    libfuzzer_args = [
        sys.argv[0],
        f"-max_total_time={max(1, round(args.minutes * 60))}",
        f"-max_len={args.max_len}",
        f"-timeout={args.timeout}",
        f"-rss_limit_mb={args.rss_limit_mb}",
        f"-artifact_prefix={RESULTS}/",
        f"-seed={args.seed}",
        "-print_final_stats=1",
        str(CORPUS_DIR),
    ]
    print("fuzz: atheris " + " ".join(libfuzzer_args[1:]), file=sys.stderr, flush=True)
    atheris.Setup(libfuzzer_args, lambda data: checked(harness, data))
    atheris.Fuzz()  # exits the process: libFuzzer prints the number of runs ("Done N runs in S second(s)")
    return 0


def run_atheris(args: argparse.Namespace) -> int:
    """libFuzzer sessions of ``--session-minutes``, each in a fresh process, sharing the corpus folder.

    Atheris's instrumented code grows the process by a few hundred kilobytes per input (not the
    library: uninstrumented, the same inputs run in constant memory), which would hit the memory
    limit after some 15,000 inputs; a fresh process per session keeps the limit for real findings.
    """
    import subprocess

    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    for data in seed_inputs(args.max_len):
        (CORPUS_DIR / f"seed-{hashlib.sha1(data).hexdigest()}").write_bytes(data)
    started = time.monotonic()
    deadline = started + args.minutes * 60
    executions = sessions = 0
    while (remaining := deadline - time.monotonic()) > 5:
        minutes = min(args.session_minutes, remaining / 60)
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--engine",
            "atheris",
            "--single-session",
            "--minutes",
            f"{minutes:.3f}",
            "--target",
            args.target,
            "--max-len",
            str(args.max_len),
            "--timeout",
            str(args.timeout),
            "--rss-limit-mb",
            str(args.rss_limit_mb),
            "--seed",
            str(args.seed + sessions),
        ] + (["--model", args.model] if args.model else [])
        process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, errors="replace")
        assert process.stderr is not None
        for line in process.stderr:
            if line.startswith("stat::number_of_executed_units:"):
                executions += int(line.split(":")[-1])
            # libFuzzer's progress lines ("#123 NEW ...") and atheris's module list: first session only.
            if sessions == 0 or not line.startswith(("#", "INFO: Instrumenting")):
                sys.stderr.write(line)
        sessions += 1
        if process.wait() != 0:
            print(
                f"fuzz: session {sessions} failed (exit {process.returncode}): see above and {RESULTS}", file=sys.stderr
            )
            return 1
    print(
        f"fuzz: atheris: {executions} executions in {time.monotonic() - started:.0f} s ({sessions} sessions), no crash",
        file=sys.stderr,
    )
    return 0


def run_hypothesis(args: argparse.Namespace, harness_factory) -> int:
    from hypothesis import HealthCheck, given, seed, settings
    from hypothesis import strategies as st

    harness = harness_factory()
    corpus = seed_inputs(args.max_len)
    tags = ["p", "div", "a", "li", "ul", "script", "style", "br", "pre", "table", "td", "title", "textarea", "b"]
    attributes = ["", " hidden", " style='display:none'", " class=comment", " href=x", " id=nav"]

    @st.composite
    def markup(draw, depth=0):
        parts = []
        for _ in range(draw(st.integers(0, 4))):
            kind = draw(st.integers(0, 5 if depth < 6 else 2))
            if kind == 0:
                parts.append(draw(st.text(max_size=30)))
            elif kind == 1:
                parts.append(draw(st.sampled_from(["&amp;", "&lt;", "&#0;", "&#x110000;", "&nbsp;", "&bogus;", "&"])))
            elif kind == 2:
                parts.append(f"</{draw(st.sampled_from(tags))}>")
            else:
                tag = draw(st.sampled_from(tags))
                inner = draw(markup(depth + 1))
                close = draw(st.sampled_from(["", f"</{tag}>", f"</{tag}"]))
                parts.append(f"<{tag}{draw(st.sampled_from(attributes))}>{inner}{close}")
        return "".join(parts)

    @st.composite
    def mutated(draw):
        data = bytearray(draw(st.sampled_from(corpus)))
        for _ in range(draw(st.integers(0, 8))):
            if not data:
                break
            position = draw(st.integers(0, len(data) - 1))
            data[position : position + draw(st.integers(0, 8))] = draw(st.binary(max_size=8))
        return bytes(data)

    inputs = st.one_of(
        st.binary(max_size=args.max_len // 16),
        st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
        markup().map(lambda t: t.encode("utf-8", "surrogatepass")),
        mutated(),
    )
    deadline = time.monotonic() + args.minutes * 60
    batch = 0

    while time.monotonic() < deadline:

        @seed(args.seed + batch)
        @settings(
            max_examples=2000,
            deadline=None,
            database=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
        )
        @given(inputs)
        def fuzz_once(data: bytes) -> None:
            if time.monotonic() < deadline:
                try:
                    harness.run(data)
                except Exception as error:
                    failures.append((data, error))
                    raise

        failures: list[tuple[bytes, BaseException]] = []
        try:
            fuzz_once()
        except Exception:
            # Hypothesis shrinks a failure and runs the smallest failing input last: that one is saved.
            report_crash(*failures[-1])
            print(
                f"fuzz: hypothesis: {harness.executions} executions in {time.monotonic() - harness.started:.0f} s",
                file=sys.stderr,
            )
            return 1
        batch += 1
    print(
        f"fuzz: hypothesis: {harness.executions} executions in {time.monotonic() - harness.started:.0f} s, no crash",
        file=sys.stderr,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to fuzz (default 10)")
    parser.add_argument("--target", choices=("text", "html", "both"), default="both")
    parser.add_argument("--engine", choices=("auto", "atheris", "hypothesis"), default="auto")
    parser.add_argument("--model", default=None, help="model file (default: the shipped models)")
    parser.add_argument("--max-len", type=int, default=16384, help="largest input, in bytes (default 16384)")
    parser.add_argument("--timeout", type=int, default=60, help="seconds one input may take (atheris)")
    parser.add_argument("--rss-limit-mb", type=int, default=4096)
    parser.add_argument("--seed", type=int, default=1)
    # Atheris grows the process by ~0.3 MB an input; at ~100 inputs a second, a 3-minute session
    # reached the 4 GB limit. Two minutes keeps a fresh process well under it.
    parser.add_argument(
        "--session-minutes",
        type=float,
        default=2.0,
        help="atheris: length of one libFuzzer session (a fresh process each)",
    )
    parser.add_argument("--single-session", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))  # the default: a RecursionError is a finding

    def harness_factory() -> Harness:
        return Harness(args.target, args.model)

    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    if args.single_session:
        return run_atheris_session(args, harness_factory)
    print(f"fuzz: engine {engine}, target {args.target}, {args.minutes:g} minutes", file=sys.stderr, flush=True)
    if engine == "atheris":
        return run_atheris(args)
    return run_hypothesis(args, harness_factory)


if __name__ == "__main__":
    sys.exit(main())
