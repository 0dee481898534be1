"""Command line: ``qa build``, ``qa add``, ``qa ask``, ``qa chat``, ``qa eval``, ``qa serve``, ``qa models pull``.

Every expected failure (missing corpus, damaged index, unknown model, ...) ends in one
line on stderr that names the fix, and exit code 2; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from pathlib import Path

from .config import DEFAULT_MODEL, Settings
from .errors import Exit, reported
from .index import index_location, is_default_index, shown


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["serve"]:  # its options are the web chat's own (argparse would take them as qa's)
        from .web import serve

        return serve(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        with reported():
            return args.func(args) or 0
    except Exit as stop:
        return stop.status


def _corpora(args: argparse.Namespace) -> list[str]:
    # `append` with a default would keep "corpus" beside the user's own folders
    return args.corpus or ["corpus"]


def _settings(args: argparse.Namespace) -> Settings:
    """Flags over ``QA_*`` variables over the settings kept with the index being built."""
    from .index import saved_settings

    saved = saved_settings(args.index, full=getattr(args, "full", False))
    return Settings.from_env(base=saved, embedding_model=getattr(args, "model", None), ray=getattr(args, "ray", None))


# --- commands ------------------------------------------------------------------------------

def cmd_build(args: argparse.Namespace) -> int:
    from .index import build_index

    report = build_index(_corpora(args), args.index, _settings(args), full=args.full, progress=not args.quiet)
    print(report.summary())
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Web pages and feeds into the corpus, then an incremental build."""
    from .adding import add_articles

    corpus = Path(_corpora(args)[0])
    # Fetching needs only this environment's limits; the index (maybe a database) only for the build.
    results = add_articles(args.address, corpus, Settings.from_env())
    for result in results:
        if result.path:
            print(f"added {result.path}: {result.title}")
        else:
            print(f"not added {result.url}: {result.reason}", file=sys.stderr)
    if not results:
        print("nothing new")
    if any(r.path for r in results) and not args.no_build:
        from .index import build_index

        print(build_index([str(corpus)], args.index, _settings(args), progress=not args.quiet).summary())
    return 2 if any(not r.path and r.reason != "already in the corpus" for r in results) else 0


def cmd_ask(args: argparse.Namespace) -> int:
    from .answer import ChatSession
    from .retrieval import clean_question

    if not clean_question(args.question):  # before the model loads: that takes seconds
        raise ValueError('the question is empty: ask about the articles, e.g. qa ask "Wie moet de herstructurering van OpenAI goedkeuren?"')
    filters = _filters(args)
    retriever = _load_retriever(args, one_question=True)
    answer = ChatSession(retriever, k=args.k).ask(args.question, **filters)
    passages = answer.passages
    if args.json:
        data = answer.to_dict()
        data["filters"] = {name: value for name, value in filters.items() if value}
        data["passages"] = [p.to_dict() for p in passages]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    _print_answer(answer)
    if passages:
        _print_passages(passages, answer.language)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    """A conversation in the terminal: follow-up questions use the previous turn."""
    from .answer import ChatSession

    filters = _filters(args)
    session = ChatSession(_load_retriever(args), k=args.k)
    print("Stel een vraag over de artikelen ('exit' om te stoppen, 'reset' voor een nieuw gesprek).")
    while True:
        try:
            question = input("\nvraag> ").strip()
        except EOFError:
            print()
            return 0
        if question.lower() in {"exit", "quit", "stop", ":q"}:
            return 0
        if question.lower() == "reset":
            session.reset()
            print("Nieuw gesprek: de vorige vragen tellen niet meer mee.")
            continue
        if question:
            _print_answer(session.ask(question, **filters))


def _add_filters(command: argparse.ArgumentParser) -> None:
    command.add_argument("--source", help="only articles of this source, as they record it (e.g. NOS)")
    command.add_argument("--since", help="only articles of this date or later: 2024, 2024-03 or 2024-03-01")
    command.add_argument("--until", help="only articles of this date or earlier (inclusive: 2024-03 is all of March)")


def _filters(args: argparse.Namespace) -> dict:
    from .retrieval import ArticleFilter

    only = ArticleFilter(args.source or "", args.since or "", args.until or "")  # a bad date fails here, at once
    return {"source": only.source, "since": only.since, "until": only.until}


def _load_retriever(args: argparse.Namespace, one_question: bool = False):
    """The index, with a notice when it serves the offline model or no longer matches the
    corpus: the one given with --corpus, by default the folders it was built from."""
    from .embedding import for_one_question
    from .retrieval import Retriever

    retriever = Retriever.load(args.index, load_model=not one_question)
    if one_question:
        retriever.settings = for_one_question(retriever.settings)
    if retriever.model_notice:
        print(f"notice: {retriever.model_notice}", file=sys.stderr)
    _warn_if_stale(retriever, args.corpus, args.index)
    return retriever


def _print_answer(answer) -> None:
    from . import lang

    for note in answer.notes():
        print(note)
    print(answer.text)
    if answer.resolved_question and answer.resolved_question != " ".join(answer.question.split()):
        print(f"  ({lang.messages(answer.language)['understood']}: {answer.resolved_question})")

    label = lang.messages(answer.language)["related" if answer.related_only else "sources"]
    if answer.sources:
        print(f"\n{label}:")
    for source in answer.sources:
        print(f"[{source.number}] {_citation_line(source.passage, answer.language)}")


def _print_passages(passages, language: str) -> None:
    """Every retrieved passage, best first, numbered #1, #2, ... (the answer's [1] numbers its sources)."""
    from . import lang

    print(f"\n{lang.messages(language)['retrieved']}:")
    for number, p in enumerate(passages, start=1):
        print(f"#{number} {_citation_line(p, language)}  (score {p.score:.2f})")
        print(_indent(p.text))
        print()


def _citation_line(p, language: str) -> str:
    """"Title — IEX.nl, 12 september 2025, 02:46 (file.txt, tekens 341-888)"."""
    from . import lang
    from .answer import source_line

    meta = source_line(p, language)
    where = f"({p.path}, {lang.messages(language)['characters']} {p.start}-{p.end})"
    return f"{p.title}" + (f" — {meta}" if meta else "") + f" {where}"


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation import as_queries, eval_index_dir, evaluate_retrieval, read_jsonl
    from .index import build_index
    from .retrieval import Retriever

    # Every question file is read before the build: a missing, broken or empty one fails in a second.
    records = read_jsonl(args.queries, required="question")
    queries = as_queries(records)
    unanswerable = read_jsonl(args.unanswerable, required="question") if args.unanswerable else None
    dialogues = read_jsonl(args.dialogues, required="turns") if args.dialogues else None
    for path, given in ((args.queries, queries), (args.unanswerable, unanswerable), (args.dialogues, dialogues)):
        if given == []:
            raise ValueError(f"{path}: no questions")
    corpora = args.corpus
    index_dir = index_location(args.index) if args.index else eval_index_dir(corpora)
    # What is measured is this environment's settings, not those an earlier evaluation left.
    report = build_index(corpora, index_dir, Settings.from_env(embedding_model=args.model), progress=not args.quiet)
    print(f"index {shown(index_dir)}: {report.summary().splitlines()[0]}")
    retriever = Retriever.load(index_dir)
    held = retriever.article_ids()
    unknown = [q for q in queries if q.gold and q.gold not in held]
    if unknown:
        print(f"warning: {len(unknown)} of {len(queries)} questions name a document the index does not hold "
              f"(first: {unknown[0].gold!r}); they count as misses", file=sys.stderr)
    print(f"hybrid    {evaluate_retrieval(retriever, queries).table()}")
    languages = sorted({q.language for q in queries if q.language})
    if len(languages) > 1:
        for language in languages:
            subset = [q for q in queries if q.language == language]
            print(f"  {language:<7} {evaluate_retrieval(retriever, subset).table()}")
    _eval_answers(args, retriever, records, unanswerable or [], dialogues or [])
    if args.answers and any("asked" in r for r in records):
        from .evaluation import evaluate_filters

        print(f"filters   {evaluate_filters(retriever, [r for r in records if 'asked' in r]).table()}")
    if args.compare:
        base = retriever.settings
        for name, dense, article in (("bm25", 0.0, 0.0), ("dense", 1.0, 0.0)):
            retriever.settings = Settings(**dict(base.to_dict(), dense_weight=dense, article_weight=article))
            print(f"{name:<9} {evaluate_retrieval(retriever, queries).table()}")
    return 0


def _floats(text: str) -> list[float]:
    try:
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected numbers separated by commas, not {text!r}") from None


def _eval_answers(args: argparse.Namespace, retriever, records: list[dict], unanswerable_records: list[dict],
                  dialogues: list[dict]) -> None:
    """Answer accuracy, abstention and follow-up recall, for the sets that were given."""
    from .evaluation import answerable_questions, evaluate_answers, evaluate_followups

    answerable = answerable_questions(records, retriever) if args.answers else []
    unanswerable = [r["question"] for r in unanswerable_records]
    if args.unanswerable_limit:
        unanswerable = unanswerable[: args.unanswerable_limit]
    if answerable or unanswerable:
        # Calibration: a new model has other similarities; pick the threshold, set QA_ABSTAIN_THRESHOLD.
        thresholds = [None, *(args.thresholds or [])]
        current, *others = evaluate_answers(retriever, answerable, unanswerable, thresholds)
        print(f"answers   {current.table()}")
        for threshold, scores in zip(thresholds[1:], others):
            print(f"  threshold {threshold:.2f}: {scores.table()}")
    if dialogues:
        print(f"follow-ups {evaluate_followups(retriever, dialogues).table()}")


def cmd_models_pull(args: argparse.Namespace) -> int:
    from .embedding import pull_model

    print(pull_model(args.name))
    return 0


def _warn_if_stale(retriever, corpora: list[str] | None, index: str = "index") -> None:
    """Tell the user when the corpus no longer matches the index (cheap: hashes only), or the
    index's keywords are from an older tokenizer."""
    from .index import changed_since_build, corpora_to_check, keywords_outdated

    build = _build_command(corpora_to_check(retriever.manifest, corpora), index)
    if keywords_outdated(retriever.manifest):
        print(f"warning: the index was built by another version of qa: run `{build}` "
              "(only its keywords are redone, in seconds)", file=sys.stderr)
    changed = changed_since_build(retriever.manifest, retriever.stored_files(), corpora)
    if changed:
        print(f"warning: {changed} article file(s) changed since the index was built: run `{build}`", file=sys.stderr)


def _build_command(corpora: list[str], index: str) -> str:
    """The `qa build` that rebuilds this index from its own folders: a plain one would build
    ./corpus into ./index, and replace the user's articles with those."""
    words = ["qa", "build"]
    if [os.path.abspath(c) for c in corpora] != [os.path.abspath("corpus")]:
        words += [part for corpus in corpora for part in ("--corpus", corpus)]
    if not is_default_index(index):
        words += ["--index", shown(index)]
    return shlex.join(words)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


# --- argument parsing ------------------------------------------------------------------------

DEFAULT_INDEX = os.environ.get("QA_INDEX") or "index"
INDEX_HELP = "index folder, or a postgresql://user@host/db address (default: QA_INDEX, else index)"

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Ask questions of a folder of news articles.")
    sub = parser.add_subparsers(metavar="COMMAND")

    build = sub.add_parser("build", help="build or update the index from the corpus")
    build.add_argument("--corpus", action="append",
                       help="folder or JSONL file of articles; repeat to index several (default: corpus)")
    build.add_argument("--index", default=DEFAULT_INDEX, help=INDEX_HELP)
    build.add_argument("--model", help=f"sentence-transformers model name or folder (default: {DEFAULT_MODEL})")
    build.add_argument("--full", action="store_true", help="rebuild from scratch instead of updating")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.add_argument("--ray", metavar="ADDRESS",
                       help="embed on a Ray cluster: auto (RAY_ADDRESS or `ray start` here), local, or "
                            "ray://host:10001 (needs the ray extra)")
    build.set_defaults(func=cmd_build)

    add = sub.add_parser("add", help="add web pages, or the new items of RSS/Atom feeds, to the corpus")
    add.add_argument("address", nargs="+", help="a page's or feed's web address, or a saved feed file")
    add.add_argument("--corpus", action="append", help="the folder to save into (default: corpus)")
    add.add_argument("--index", default=DEFAULT_INDEX, help=INDEX_HELP)
    add.add_argument("--no-build", action="store_true", help="save only; build later with qa build")
    add.add_argument("--quiet", action="store_true", help="no progress bar")
    add.set_defaults(func=cmd_add)

    ask = sub.add_parser("ask", help="ask one question")
    ask.add_argument("question")
    ask.add_argument("-k", type=_positive, default=5, help="number of passages (default: 5)")
    ask.add_argument("--index", default=DEFAULT_INDEX, help=INDEX_HELP)
    ask.add_argument("--corpus", action="append",
                     help="checked for changes since the last build (repeatable; default: the folders it was built from)")
    ask.add_argument("--json", action="store_true", help="print the passages as JSON")
    _add_filters(ask)
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", help="a conversation in the terminal (follow-up questions work)")
    chat.add_argument("-k", type=_positive, default=5, help="passages per answer (default: 5)")
    chat.add_argument("--index", default=DEFAULT_INDEX, help=INDEX_HELP)
    chat.add_argument("--corpus", action="append",
                      help="checked for changes since the last build (repeatable; default: the folders it was built from)")
    _add_filters(chat)
    chat.set_defaults(func=cmd_chat)

    evaluate = sub.add_parser("eval", help="measure retrieval on a question set")
    evaluate.add_argument("queries", help="JSONL questions (XQuAD format or the project's own)")
    evaluate.add_argument("--corpus", action="append", required=True,
                          help="corpus folder or JSONL file; repeat to add distractors")
    evaluate.add_argument("--index", default=os.environ.get("QA_INDEX") or None,
                          help="index folder or postgresql:// address (default: QA_INDEX, else a cached folder under .qa-eval/)")
    evaluate.add_argument("--model", help="embedding model for the evaluation index")
    evaluate.add_argument("--compare", action="store_true", help="also report BM25 alone and dense alone")
    evaluate.add_argument("--answers", action="store_true",
                          help="also measure answer accuracy on the questions that have an 'answer'")
    evaluate.add_argument("--unanswerable", help="JSONL of questions the corpus does not answer (abstention)")
    evaluate.add_argument("--unanswerable-limit", type=int, help="use only the first N unanswerable questions")
    evaluate.add_argument("--thresholds", type=_floats, metavar="T1,T2,...",
                          help="also report answers at these abstention thresholds (to calibrate a new model)")
    evaluate.add_argument("--dialogues", help="JSONL of multi-turn dialogues (follow-up recall)")
    evaluate.add_argument("--quiet", action="store_true")
    evaluate.set_defaults(func=cmd_eval)

    sub.add_parser("serve", help="start the web chat (see `qa serve --help`)", add_help=False)  # main() runs it

    models = sub.add_parser("models", help="manage embedding models")
    models_sub = models.add_subparsers(metavar="ACTION")
    pull = models_sub.add_parser("pull", help="download a model (the only command that uses the network)")
    pull.add_argument("name", nargs="?", default=DEFAULT_MODEL)
    pull.set_defaults(func=cmd_models_pull)
    return parser


if __name__ == "__main__":
    sys.exit(main())
