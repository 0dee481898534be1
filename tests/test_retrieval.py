import json

import pytest

import qa
from qa.index import IndexLoadError
from qa.retrieval import clean_question, fuse


def test_search_returns_cited_passages(retriever):
    passages = retriever.search("Hoeveel investeerde Microsoft in 2019 in OpenAI?", k=5)
    assert 1 <= len(passages) <= 5
    top = passages[0]
    assert "$1 miljard in 2019" in top.text
    assert top.doc_id == "microsoft-openai-deal"
    assert top.source == "IEX.nl" and top.date == "2025-09-12T02:46"
    assert top.path == "microsoft-openai-deal.txt"
    body = retriever.article_body(top.doc_id)
    assert body[top.start:top.end] == top.text
    citation = top.citation()
    assert top.title in citation and "IEX.nl" in citation and "microsoft-openai-deal.txt" in citation
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)


def test_passages_never_repeat_text_of_the_same_article(retriever):
    passages = retriever.search("OpenAI non-profit commercieel bedrijf Musk Altman", k=8)
    for i, a in enumerate(passages):
        for b in passages[i + 1:]:
            if a.doc_id == b.doc_id:
                assert a.end <= b.start or b.end <= a.start, "overlapping passages were not merged"


@pytest.mark.parametrize("question", ["", "   \n\t ", "🙂🚀🔥", "?!"])
def test_empty_or_meaningless_questions_return_nothing(retriever, question):
    assert retriever.search(question) == []


def test_very_long_question_is_answered(retriever):
    passages = retriever.search("Microsoft OpenAI investering " * 20000, k=3)
    assert passages and len(passages) <= 3


def test_english_question_finds_the_dutch_passage(retriever):
    passages = retriever.search("Who wrote the memo about the non-profit receiving more than $100 billion?", k=3)
    assert any("Bret Taylor" in p.text for p in passages)


def test_clean_question():
    assert clean_question("  Wie   is\nhet? ") == "Wie is het?"
    assert clean_question("🙂") == ""
    assert len(clean_question("a" * 100_000)) == 2000


def test_fuse_mixes_normalized_scores_and_tolerates_a_missing_leg():
    dense = {1: 0.9, 2: 0.5, 3: 0.1}
    keyword = {2: 10.0, 3: 5.0, 4: 1.0}
    order = [cid for cid, _ in fuse(dense, keyword, dense_weight=0.3)]
    assert order[0] == 2 and set(order) == {1, 2, 3, 4}
    assert [cid for cid, _ in fuse(dense, {}, dense_weight=0.3)] == [1, 2, 3]
    boosted = fuse({1: 0.5, 2: 0.5}, {}, 0.3, article_bonus={2: 1.0}, article_weight=0.5)
    assert boosted[0][0] == 2


def test_the_keyword_leg_keeps_the_best_documents_that_hold_a_question_word():
    import numpy as np

    from qa.retrieval import _top_scores

    class Scores:  # bm25s's interface: a vocabulary and a score per document
        vocab_dict = {"openai": 0}

        def get_scores(self, tokens):
            return np.array([0.0, 3.0, 1.0, 0.0, 2.0, 5.0], dtype=np.float32)

    assert _top_scores(Scores(), ["openai"], 2) == {5: 5.0, 1: 3.0}
    assert _top_scores(Scores(), ["openai"], 10) == {1: 3.0, 2: 1.0, 4: 2.0, 5: 5.0}  # none that score 0
    assert _top_scores(Scores(), ["openai"], 1, allowed=np.array([0, 2, 4])) == {4: 2.0}
    assert _top_scores(Scores(), ["musk"], 3) == {}


def test_the_model_can_load_after_the_index(sample_index):
    import qa

    retriever = qa.Retriever.load(sample_index, load_model=False)
    assert retriever._embedders == {}  # the index is open, the model is not loaded yet
    assert retriever.corpus_stats()["articles"] == 2
    assert "$1 miljard in 2019" in retriever.search("Hoeveel investeerde Microsoft in 2019 in OpenAI?", k=1)[0].text
    assert retriever._embedders  # loaded on first use


def test_a_question_searches_its_vectors_on_one_thread_and_leaves_the_threads_as_they_were(sample_index, monkeypatch):
    import faiss

    from qa.retrieval import SEARCH_THREADS

    retriever = qa.Retriever.load(sample_index)
    vectors, seen = retriever.vectors, []

    class Watched:
        def search(self, *args, **kwargs):
            seen.append(faiss.omp_get_max_threads())
            return vectors.search(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(vectors, name)

    monkeypatch.setattr(retriever, "vectors", Watched())
    before, others = faiss.omp_get_max_threads(), SEARCH_THREADS + 1
    faiss.omp_set_num_threads(others)
    try:
        assert "$1 miljard in 2019" in retriever.search("Hoeveel investeerde Microsoft in 2019 in OpenAI?", k=1)[0].text
        assert seen == [SEARCH_THREADS] and faiss.omp_get_max_threads() == others
    finally:
        faiss.omp_set_num_threads(before)


def test_a_search_reads_from_the_store_only_the_rows_its_passages_are_made_of(sample_index):
    # At a million chunks each row read is a page read: the hundred candidates' articles come
    # from memory, and only the chunks that make passages are read.
    retriever = qa.Retriever.load(sample_index)
    question = "Hoeveel investeerde Microsoft in 2019 in OpenAI?"
    expected = retriever.search(question, k=1)
    reads = []

    class Counted:  # the store, counting the chunk rows read from it
        def __init__(self, store):
            self.store = store

        def execute(self, sql, params=()):
            if "FROM chunks WHERE id = ?" in sql:
                reads.append(params)
            return self.store.execute(sql, params)

    retriever.store = Counted(retriever.store)
    passages = retriever.search(question, k=1)
    assert [(p.text, p.chunk_ids) for p in passages] == [(p.text, p.chunk_ids) for p in expected]
    assert 1 <= len(reads) <= 2 < retriever.vectors.ntotal  # the best chunk (and one it merges with)


def test_each_chunks_article_number_is_its_articles_row_in_the_article_keyword_index(sample_index):
    import numpy as np

    from qa.retrieval import _all_scores

    retriever = qa.Retriever.load(sample_index)
    articles = retriever.store.execute("SELECT id, title || char(10) || body FROM articles").fetchall()
    words = {article_id: set(retriever.tokenize([text])[0]) for article_id, text in articles}
    for article_id, own in words.items():
        only_here = sorted(own - set().union(*(w for other, w in words.items() if other != article_id)))
        holding = np.flatnonzero(_all_scores(retriever.article_keywords, only_here[:1]) > 0).tolist()
        chunks = [c for (c,) in retriever.store.execute("SELECT id FROM chunks WHERE article_id = ?", (article_id,))]
        assert {int(retriever._chunk_articles[c]) for c in chunks} == set(holding), article_id


def test_average_similarity_is_the_mean_over_all_chunks(retriever):
    import numpy as np

    question = "Hoeveel investeerde Microsoft in 2019 in OpenAI?"
    query = retriever.embedder.encode_queries([question])[0]
    if hasattr(retriever, "conn"):  # PostgreSQL
        vectors = np.array([v.to_numpy() for (v,) in retriever.conn.execute("SELECT embedding FROM chunks")])
    else:
        vectors = retriever.vectors.index.reconstruct_n(0, retriever.vectors.ntotal)
    assert len(vectors) == retriever.corpus_stats()["chunks"]
    assert abs(retriever.average_similarity(question) - float(np.mean(vectors @ query))) < 1e-4


def test_an_index_without_a_recorded_mean_vector_still_loads(sample_index, tmp_path):
    import json
    import shutil

    import numpy as np

    import qa
    from qa.index import current_generation

    copy = tmp_path / "index"
    shutil.copytree(sample_index, copy)
    manifest_path = current_generation(copy) / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    recorded = np.asarray(manifest.pop("vector_mean"))
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    retriever = qa.Retriever.load(copy, load_model=False)
    assert np.allclose(retriever.vector_mean, recorded, atol=1e-5)


def test_a_word_spelled_nearly_like_one_the_corpus_uses_is_told_apart(retriever):
    assert retriever.spelled_differently("Mikrosoft")  # the corpus writes "Microsoft"
    assert retriever.spelled_differently("Altmann")
    assert not retriever.spelled_differently("Microsoft")  # used as written
    assert not retriever.spelled_differently("Anthropic")  # nothing like it


def test_a_compound_in_a_question_weighs_once(retriever):
    # The sample corpus says "rekenkracht": the word counts, its parts do not count again.
    weights = retriever.term_weights("Hoeveel betaalt OpenAI aan Oracle voor rekenkracht?")
    assert "rekenkracht" in weights and not {"kracht", "reek"} & weights.keys()
    # It never says "clouddeals" but does say "cloudovereenkomsten": the parts are what can match.
    weights = retriever.term_weights("Met welke bedrijven sloot OpenAI grote clouddeals?")
    assert {"clouddeal", "cloud", "deal"} <= weights.keys()


def test_a_split_verb_weighs_only_as_the_corpus_writes_it(retriever):
    # "kondigde ... aan": the articles write "aankondigen", so the joined verb is a word to match.
    assert "aankond" in retriever.term_weights("Wanneer kondigde Microsoft de investering aan?")
    # "goed ... voor" joins to "voorgoed", a word but not this verb: unknown to the corpus, it would
    # weigh most of all, as a word the articles lack.
    assert retriever.term_weights("Waar is dat goed voor?").keys() == {"goed"}


@pytest.mark.parametrize("index, hint", [
    ("index", "run `qa build` first"),
    ("{cwd}/index", "run `qa build` first"),  # the default, written otherwise
    ("mijn index", "run `qa build --corpus <articles> --index 'mijn index'` first"),
])
def test_no_index_names_the_build_that_makes_it(tmp_path, monkeypatch, index, hint):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(IndexLoadError, match="no index in") as error:
        qa.Retriever.load(index.format(cwd=tmp_path), load_model=False)
    assert hint in str(error.value)


def test_the_article_list_is_newest_first_searched_by_title_in_any_case_and_bounded(retriever):
    # The web page carried every article of the index: megabytes for an archive of thousands.
    every = retriever.articles()
    assert [a["path"] for a in every] == ["microsoft-openai-deal.txt", "musk-bod-openai.txt"]
    assert all(a["passages"] > 0 for a in every)
    assert retriever.articles(limit=1) == every[:1]
    assert [a["path"] for a in retriever.articles("ELON MUSK")] == ["musk-bod-openai.txt"]
    assert [a["path"] for a in retriever.articles("deal.TXT")] == ["microsoft-openai-deal.txt"]  # the file
    assert retriever.articles("openai", limit=5) == every
    assert retriever.articles("zwembad") == []


def test_a_title_search_folds_more_than_ascii(tmp_path):
    (tmp_path / "articles.jsonl").write_text(json.dumps(
        {"id": "een", "title": "ÉÉN JAAR NA DE BRAND IN ÖSTERREICH", "text": "Het dorp is herbouwd."}) + "\n")
    qa.build_index(tmp_path, tmp_path / "index")
    found = qa.Retriever.load(tmp_path / "index", load_model=False).articles("één jaar na de brand in österreich")
    assert [a["title"] for a in found] == ["ÉÉN JAAR NA DE BRAND IN ÖSTERREICH"]


# --- asking by source and period ----------------------------------------------------------

DATED = [
    {"id": "nos-maart", "title": "Nieuw zwembad in Utrecht open", "source": "NOS", "date": "2024-03-10",
     "text": "Utrecht heeft een nieuw zwembad geopend. Het zwembad kostte 12 miljoen euro, meldt de gemeente."},
    {"id": "ad-mei", "title": "Drukte in het nieuwe zwembad", "source": "AD", "date": "2024-05-02",
     "text": "Het nieuwe zwembad in Utrecht trok in de eerste maand 30.000 bezoekers."},
    {"id": "nos-november", "title": "Plannen voor een zwembad", "source": "NOS", "date": "2023-11",
     "text": "De gemeente Utrecht kondigde plannen aan voor een nieuw zwembad in Leidsche Rijn."},
    {"id": "ad-zonder-datum", "title": "Zwemmen is populair", "source": "AD",
     "text": "Zwemmen in Utrecht is populair: het nieuwe zwembad is vaak vol."},
]


@pytest.fixture(scope="module")
def dated_retriever(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dated")
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(a) for a in DATED) + "\n", encoding="utf-8")
    qa.build_index(folder, folder / "index")
    return qa.Retriever.load(folder / "index")


def _found(retriever, **only) -> set[str]:
    return {p.doc_id for p in retriever.search("Hoeveel kostte het nieuwe zwembad in Utrecht?", k=10, **only)}


def test_search_keeps_to_a_source_in_any_case(dated_retriever):
    assert _found(dated_retriever) == {a["id"] for a in DATED}
    assert _found(dated_retriever, source="nos") == {"nos-maart", "nos-november"}
    assert _found(dated_retriever, source="De Telegraaf") == set()


def test_search_keeps_to_a_period_and_a_month_is_all_of_it(dated_retriever):
    assert _found(dated_retriever, since="2024-03-10", until="2024-03-10") == {"nos-maart"}
    assert _found(dated_retriever, since="2024") == {"nos-maart", "ad-mei"}
    assert _found(dated_retriever, until="2024-03") == {"nos-maart", "nos-november"}
    # An article dated only "2023-11" spans the month: a period overlapping it finds it.
    assert _found(dated_retriever, since="2023-11-20", until="2023-12-31") == {"nos-november"}
    assert _found(dated_retriever, since="2023-12-01", until="2024-02-29") == set()
    assert _found(dated_retriever, source="AD", since="2024") == {"ad-mei"}  # the undated one never


def test_a_filter_that_is_no_date_is_a_clear_error(dated_retriever):
    with pytest.raises(ValueError, match="no date: write it as 2024, 2024-03 or 2024-03-31"):
        dated_retriever.search("zwembad", since="vorige week")
    with pytest.raises(ValueError, match="after until"):
        dated_retriever.search("zwembad", since="2024-05", until="2024-03")


def test_an_answer_under_a_filter_that_leaves_nothing_names_the_filter(dated_retriever):
    session = qa.ChatSession(dated_retriever)
    answer = session.ask("Hoeveel kostte het nieuwe zwembad in Utrecht?", source="NOS", since="2025-01")
    assert answer.declined_because == "filtered_out" and answer.passages == []
    assert answer.text == "Er zijn geen artikelen van NOS vanaf januari 2025."
    typo = session.ask("Hoeveel kostte het nieuwe zwembad?", source="NOSS")
    assert "van NOSS" in typo.text and "De artikelen komen van: AD, NOS." in typo.text
    answered = session.ask("Hoeveel kostte het nieuwe zwembad in Utrecht?", source="NOS", until="2024-03")
    assert not answered.abstained and "12 miljoen euro" in answered.text
    assert {s.passage.doc_id for s in answered.sources} <= {"nos-maart", "nos-november"}


def test_a_question_that_names_a_source_or_the_reporting_period_keeps_to_it(dated_retriever, monkeypatch):
    monkeypatch.setattr(dated_retriever.settings, "today", "2024-03-13")  # the week before: 4-10 March
    session = qa.ChatSession(dated_retriever)
    by_source = session.ask("Hoeveel kostte volgens de NOS het nieuwe zwembad in Utrecht?")
    assert {p.doc_id for p in by_source.passages} <= {"nos-maart", "nos-november"}
    assert by_source.filter_note() == "(artikelen van NOS)" and "12 miljoen euro" in by_source.text
    last_week = session.ask("Wat stond er in de berichten van vorige week over het zwembad in Utrecht?")
    assert {p.doc_id for p in last_week.passages} == {"nos-maart"}
    assert last_week.filter_note() == "(artikelen vanaf 4 maart 2024 tot en met 10 maart 2024)"
    fact_date = session.ask("Hoeveel bezoekers trok het zwembad in mei 2024?")
    assert fact_date.filter_note() == "" and "ad-mei" in {p.doc_id for p in fact_date.passages}


def test_the_latest_news_puts_the_newest_fitting_article_first(dated_retriever):
    question = "Wat weten we over het nieuwe zwembad in Utrecht?"
    plain = dated_retriever.search(question, k=4)
    newest = dated_retriever.search(question, k=4, newest=True)
    floor = plain[0].score * dated_retriever.settings.newest_relevance
    fitting = [p for p in newest if p.score >= floor]
    assert {p.doc_id for p in newest} == {p.doc_id for p in plain}  # the same passages, reordered
    assert [p.date for p in fitting] == sorted((p.date for p in fitting), key=lambda d: d or "", reverse=True)
    latest = qa.ChatSession(dated_retriever).ask("Wat is het laatste nieuws over het nieuwe zwembad in Utrecht?")
    assert latest.passages[0].doc_id == "ad-mei"  # 2 May 2024, the newest article on it


def test_a_follow_up_keeps_to_the_articles_of_the_turn_before(dated_retriever):
    session = qa.ChatSession(dated_retriever)
    first = session.ask("Wat meldde de NOS over het nieuwe zwembad in Utrecht?")
    assert first.filter_note() == "(artikelen van NOS)"
    follow_up = session.ask("En hoeveel kostte het?")
    assert follow_up.resolved_question != "En hoeveel kostte het?"  # completed from the turn before
    assert follow_up.filter_note() == "(artikelen van NOS)"
    assert {p.doc_id for p in follow_up.passages} <= {"nos-maart", "nos-november"}
    session.reset()
    assert session.ask("Hoeveel bezoekers trok het nieuwe zwembad in Utrecht?").filter_note() == ""
