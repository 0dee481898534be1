#!/usr/bin/env python3
"""Validate the Dutch news evaluation set (eval/news_*.jsonl).

Usage:
    python scripts/check_news_eval.py --articles PATH [--eval-dir DIR]

Checks:
  * all sixteen files exist (dev, test, the training set fitted on, the English set's halves, the second test set) and every line is a JSON object with the required fields
  * ids are unique across all files and use the right prefix
    (n### answerable, u### unanswerable, c### conversations)
  * every "doc" id exists in the articles file
  * every answer (answerable questions and the last turn of a conversation)
    occurs verbatim (case-sensitive) in its doc's "text"
  * kind / lang values are valid, conversations have 2 or 3 turns,
    unanswerable lines carry a non-empty "checked" note
  * minimum sizes (>= 165 answerable, >= 60 unanswerable, >= 36 conversations)
  * prints counts per file, kind, language and split

Exits with status 1 on any failure. Standard library only.
"""
import argparse
import collections
import json
import os
import re
import sys

KINDS = {"who", "how_much", "when", "where", "what", "why"}
LANGS = {"nl", "en"}

FILES = {
    # name: (group, split)
    "news_dev_questions.jsonl": ("questions", "dev"),
    "news_test_questions.jsonl": ("questions", "test"),
    "news_dev_unanswerable.jsonl": ("unanswerable", "dev"),
    "news_test_unanswerable.jsonl": ("unanswerable", "test"),
    "news_dev_dialogues.jsonl": ("dialogues", "dev"),
    "news_test_dialogues.jsonl": ("dialogues", "test"),
    # Written later, by three more code-blind writers, for fitting the answer step only.
    "news_train_questions.jsonl": ("questions", "train"),
    "news_train_unanswerable.jsonl": ("unanswerable", "train"),
    "news_train_dialogues.jsonl": ("dialogues", "train"),
    # English questions about named people, organisations and places, by a fourth writer, in halves:
    # a development half and a test half only reported.
    "news_en_dev_questions.jsonl": ("questions", "en-dev"),
    "news_en_test_questions.jsonl": ("questions", "en-test"),
    "news_en_dev_unanswerable.jsonl": ("unanswerable", "en-dev"),
    "news_en_test_unanswerable.jsonl": ("unanswerable", "en-test"),
    # A second test set, by three more writers, from articles no other file uses: only reported.
    "news_test2_questions.jsonl": ("questions", "test2"),
    "news_test2_unanswerable.jsonl": ("unanswerable", "test2"),
    "news_test2_dialogues.jsonl": ("dialogues", "test2"),
}
REQUIRED = {
    "questions": ["id", "lang", "kind", "question", "answer", "doc"],
    "unanswerable": ["id", "lang", "question", "doc", "checked"],
    "dialogues": ["id", "lang", "turns", "answer", "doc"],
}
PREFIX = {"questions": "n", "unanswerable": "u", "dialogues": "c"}
# The writer's mark before it, by split: t1... in train, e1... in the English set, h1... in test2.
SPLIT_PREFIX = {"dev": "", "test": "", "train": "t", "en-dev": "e", "en-test": "e", "test2": "h"}
MINIMUM = {"questions": 165, "unanswerable": 60, "dialogues": 36}


def load_articles(path):
    arts = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            obj = json.loads(line)
            arts[obj["id"]] = obj
    return arts


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", required=True, help="articles.jsonl (id, title, text, source)")
    ap.add_argument("--eval-dir", default=os.path.join(here, "..", "eval"),
                    help="directory with the news_*.jsonl files (default: eval/ next to scripts/)")
    args = ap.parse_args()

    errors = []

    def err(msg):
        errors.append(msg)

    try:
        arts = load_articles(args.articles)
    except (OSError, ValueError, KeyError) as e:
        print(f"FAIL: cannot read articles file {args.articles}: {e}")
        return 1
    print(f"articles: {len(arts)} loaded from {args.articles}")

    seen_ids = {}
    rows_by_group = collections.defaultdict(list)
    for fname, (group, split) in FILES.items():
        path = os.path.join(args.eval_dir, fname)
        if not os.path.exists(path):
            err(f"{fname}: file missing")
            continue
        with open(path, encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                where = f"{fname}:{ln}"
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError as e:
                    err(f"{where}: invalid JSON ({e})")
                    continue
                if not isinstance(row, dict):
                    err(f"{where}: not a JSON object")
                    continue
                missing = [k for k in REQUIRED[group] if k not in row or row[k] in ("", None, [])]
                if missing:
                    err(f"{where}: missing/empty field(s) {missing}")
                    continue
                rid = row["id"]
                mark = SPLIT_PREFIX[split] and SPLIT_PREFIX[split] + r"\d"
                if not re.fullmatch(mark + PREFIX[group] + r"\d{3,}", str(rid)):
                    shown = SPLIT_PREFIX[split] and SPLIT_PREFIX[split] + "#"
                    err(f"{where}: id {rid!r} should look like {shown}{PREFIX[group]}### in the {split} split")
                if rid in seen_ids:
                    err(f"{where}: duplicate id {rid!r} (also in {seen_ids[rid]})")
                seen_ids[rid] = where
                if row["lang"] not in LANGS:
                    err(f"{where}: lang {row['lang']!r} not in {sorted(LANGS)}")
                if group == "questions" and row["kind"] not in KINDS:
                    err(f"{where}: kind {row['kind']!r} not in {sorted(KINDS)}")
                if group == "dialogues":
                    turns = row["turns"]
                    if not isinstance(turns, list) or not 2 <= len(turns) <= 3 or \
                            not all(isinstance(t, str) and t.strip() for t in turns):
                        err(f"{where}: turns must be a list of 2 or 3 non-empty strings")
                doc = row["doc"]
                if doc not in arts:
                    err(f"{where}: doc {doc!r} not found in articles")
                elif group in ("questions", "dialogues"):
                    ans = row["answer"]
                    if ans not in arts[doc]["text"]:
                        err(f"{where}: answer {ans!r} does not occur verbatim in {doc}")
                row["_split"] = split
                row["_file"] = fname
                rows_by_group[group].append(row)

    # duplicate question texts (answerable + unanswerable) and dialogue first turns
    qtexts = collections.Counter(r["question"] for g in ("questions", "unanswerable")
                                 for r in rows_by_group[g])
    for q, c in qtexts.items():
        if c > 1:
            err(f"duplicate question text ({c}x): {q!r}")

    # at most 2 answerable questions per article, in the evaluation splits
    per_doc = collections.Counter(r["doc"] for r in rows_by_group["questions"] if r["_split"] != "train")
    for d, c in per_doc.items():
        if c > 2:
            err(f"{d}: {c} answerable questions (max 2)")

    # the training set shares no article with the evaluation splits
    evaluated = {r["doc"] for rows in rows_by_group.values() for r in rows if r["_split"] != "train"}
    for r in (r for rows in rows_by_group.values() for r in rows if r["_split"] == "train"):
        if r["doc"] in evaluated:
            err(f"{r['_file']}: {r['id']} is about {r['doc']}, an article of the dev or test split")

    # the second test set shares no article with any other file
    others = {r["doc"] for rows in rows_by_group.values() for r in rows if r["_split"] != "test2"}
    for r in (r for rows in rows_by_group.values() for r in rows if r["_split"] == "test2"):
        if r["doc"] in others:
            err(f"{r['_file']}: {r['id']} is about {r['doc']}, an article another file uses")

    # report
    print()
    for fname in FILES:
        group, split = FILES[fname]
        rows = [r for r in rows_by_group[group] if r["_file"] == fname]
        langs = collections.Counter(r["lang"] for r in rows)
        print(f"{fname:32s} {len(rows):4d}  " + "  ".join(f"{k}={v}" for k, v in sorted(langs.items())))
    print()
    for group in ("questions", "unanswerable", "dialogues"):
        rows = rows_by_group[group]
        splits = collections.Counter(r["_split"] for r in rows)
        total = splits["dev"] + splits["test"]
        langs = collections.Counter(r["lang"] for r in rows)
        en_share = 100.0 * langs.get("en", 0) / len(rows) if rows else 0.0
        print(f"{group}: total={total}  dev={splits.get('dev', 0)}  test={splits.get('test', 0)}  train={splits.get('train', 0)}  "
              f"en-dev={splits.get('en-dev', 0)}  en-test={splits.get('en-test', 0)}  test2={splits.get('test2', 0)}  "
              f"nl={langs.get('nl', 0)}  en={langs.get('en', 0)} ({en_share:.1f}%)  "
              f"docs={len(set(r['doc'] for r in rows))}")
        if total < MINIMUM[group]:
            err(f"{group}: only {total} items (minimum {MINIMUM[group]})")
        if group == "questions":
            kinds = collections.Counter(r["kind"] for r in rows)
            print("  per kind:  " + "  ".join(f"{k}={kinds.get(k, 0)}" for k in sorted(KINDS)))
            for sp in ("dev", "test"):
                ks = collections.Counter(r["kind"] for r in rows if r["_split"] == sp)
                print(f"  {sp:5s}:     " + "  ".join(f"{k}={ks.get(k, 0)}" for k in sorted(KINDS)))
            missing_kinds = KINDS - set(kinds)
            if missing_kinds:
                err(f"questions: no items of kind(s) {sorted(missing_kinds)}")
        if group == "dialogues":
            nturns = collections.Counter(len(r["turns"]) for r in rows)
            print("  turns:     " + "  ".join(f"{k}={v}" for k, v in sorted(nturns.items())))
    print(f"\nids: {len(seen_ids)} unique")

    if errors:
        print(f"\nFAIL: {len(errors)} problem(s)")
        for e in errors:
            print("  - " + e)
        return 1
    print("\nOK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
