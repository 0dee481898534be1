from qa.chunking import chunk_article, paragraph_spans, split_sentences
from qa.corpus import Article, scan_corpus
from conftest import SAMPLE_CORPUS


def words(text: str) -> int:
    return len(text.split())


def test_sentence_splitter_knows_dutch_abbreviations_and_numbers():
    text = "Dhr. Jansen betaalde ca. 1,5 mln. euro o.a. voor het huis. Het was 12 sept. 2025. Daarna ging hij weg! Toch?"
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        "Dhr. Jansen betaalde ca. 1,5 mln. euro o.a. voor het huis.",
        "Het was 12 sept. 2025.",
        "Daarna ging hij weg!",
        "Toch?",
    ]


def test_sentence_offsets_are_exact_with_offset():
    text = "Eerste zin hier.  Tweede zin daar."
    spans = split_sentences(text, offset=10)
    assert [(s - 10, e - 10) for s, e in spans] == [(0, 16), (18, 34)]


def test_every_chunk_maps_back_into_the_body():
    for article in scan_corpus(SAMPLE_CORPUS).articles:
        chunks = chunk_article(article, words, max_tokens=40)
        assert chunks
        for chunk in chunks:
            assert article.body[chunk.start:chunk.end] == chunk.text
            assert chunk.article_id == article.id
        assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_headings_and_bylines_are_glued_to_the_next_paragraph():
    article = next(a for a in scan_corpus(SAMPLE_CORPUS).articles if a.id == "musk-bod-openai")
    chunks = chunk_article(article, words, max_tokens=200)
    texts = [c.text for c in chunks]
    assert not any(t.strip() == "Het dilemma van Sam Altman" for t in texts)
    dilemma = next(c for c in chunks if c.heading == "Het dilemma van Sam Altman")
    assert dilemma.text.startswith("Het dilemma van Sam Altman\n\nDit plaatst Altman")
    byline = next(c for c in chunks if c.heading == "Techredacteur Sam Verbeek")
    assert byline.text.startswith("Techredacteur Sam Verbeek\n\nElon Musk lijkt")


def test_chunks_respect_the_token_budget_with_one_sentence_overlap():
    sentences = [f"Zin nummer {i} gaat over de begroting van de gemeente." for i in range(12)]
    body = " ".join(sentences)
    article = Article(id="a", title="t", body=body, path="a.txt")
    chunks = chunk_article(article, words, max_tokens=30, overlap_sentences=1)
    assert len(chunks) > 2
    for chunk in chunks:
        assert words(chunk.text) <= 30
    for first, second in zip(chunks, chunks[1:]):
        last_sentence = first.text[first.text.rfind("Zin nummer"):]
        assert second.text.startswith(last_sentence)  # one sentence of overlap
    assert chunks[-1].text.endswith(sentences[-1])


def test_a_sentence_longer_than_the_window_is_cut_at_words():
    body = " ".join(f"woord{i}" for i in range(100)) + "."
    article = Article(id="a", title="t", body=body, path="a.txt")
    chunks = chunk_article(article, words, max_tokens=30)
    assert all(words(c.text) <= 30 for c in chunks)
    assert " ".join(c.text for c in chunks) == body  # nothing lost, nothing repeated


def test_paragraph_spans():
    body = "Een.\n\nTwee regels\nin een alinea.\n\n\nDrie."
    assert [body[s:e] for s, e in paragraph_spans(body)] == ["Een.", "Twee regels\nin een alinea.", "Drie."]


def test_a_50_mb_article_is_read_and_chunked_with_bounded_memory(tmp_path):
    """The embedding of such a file is a benchmark matter (minutes); reading and chunking is not."""
    import random
    import tracemalloc

    random.seed(7)
    vocabulary = "de het een gemeente raad besluit miljoen euro minister kabinet haven school zorg".split()
    paragraph = lambda: " ".join(" ".join(random.choices(vocabulary, k=12)).capitalize() + "." for _ in range(6))
    paragraphs = [paragraph() for _ in range(2000)]
    target = 50 * 2**20
    with (tmp_path / "groot.txt").open("w", encoding="utf-8") as handle:
        handle.write("Groot bestand\n\n")
        written = 0
        while written < target:
            block = "\n\n".join(paragraphs) + "\n\n"
            handle.write(block)
            written += len(block)
    tracemalloc.start()
    article = scan_corpus(tmp_path).articles[0]
    chunks = chunk_article(article, words, max_tokens=150)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(article.body) >= target - 100
    assert len(chunks) > 50_000
    for chunk in chunks[:: len(chunks) // 500]:
        assert article.body[chunk.start:chunk.end] == chunk.text
    assert chunks[-1].end == len(article.body)
    assert peak < 6 * target, f"peak {peak / 2**20:.0f} MiB for a 50 MiB file"


def test_runs_of_short_lines_never_make_a_chunk_over_budget():
    quotes = "\n\n".join(f"Citaat nummer {i} zonder punt" for i in range(40))
    body = f"{quotes}\n\nDe raad besloot daarna om het plan uit te voeren en het budget te verhogen."
    article = Article(id="a", title="t", body=body, path="a.txt")
    chunks = chunk_article(article, words, max_tokens=50)
    assert all(words(c.text) <= 50 for c in chunks)
    assert all(article.body[c.start:c.end] == c.text for c in chunks)
    assert "Citaat nummer 0 zonder punt" in chunks[0].text and "Citaat nummer 39" in chunks[-1].text
    assert sum(1 for c in chunks if c.heading) == 1  # only the two lines before the paragraph are glued


def test_the_glued_heading_counts_toward_the_budget():
    heading = "Een kop van zeven woorden hier"
    sentences = " ".join(f"Zin {i} met precies zeven woorden erin." for i in range(10))
    article = Article(id="a", title="t", body=f"{heading}\n\n{sentences}", path="a.txt")
    chunks = chunk_article(article, words, max_tokens=30)
    assert chunks[0].text.startswith(heading)
    assert all(words(c.text) <= 30 for c in chunks)
