"""The index in PostgreSQL (qa/postgres.py), against a real PostgreSQL 18 + pgvector started on
loopback by the tests (tests/postgres_server.py). The search, the answers and the web page run
on both backends through the parametrized ``retriever`` and ``server`` fixtures; these tests
cover what only a database has: its address and logins, builds by many hands, kills mid-build,
a read replica, and several app servers on one index."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from postgres_server import PASSWORD, free_port, fresh_database, wait_until
from test_web import start_server

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Hoeveel investeerde Microsoft in 2019 in OpenAI?"

pytestmark = pytest.mark.slow


def qa_cli(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600, env=dict(os.environ, **(env or {})))


def article(title: str, text: str) -> str:
    """An article as the sample corpus writes one: title, a date line with its source, the text."""
    return f"{title}\n\nmaandag, 6 oktober 2025 - Testbron\n\n{text}\n"


def rows(url: str, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


def lock_released(url: str) -> bool:
    """Whether no server process holds the build lock: a killed build's goes within about a
    second (client_connection_check_interval), not at once."""
    import psycopg

    from qa.postgres import build_lock_holder

    with psycopg.connect(url) as conn:
        return build_lock_holder(conn) is None


def stored_hashes(url: str) -> dict[str, str]:
    return dict(rows(url, "SELECT id, hash FROM qa.articles")) if rows(
        url, "SELECT to_regclass('qa.articles')")[0][0] else {}


def corpus_hashes(corpus: Path) -> dict[str, str]:
    import qa

    return {a.id: a.content_hash for a in qa.scan_corpus(corpus).articles}


def assert_whole(url: str) -> None:
    """The index as one build left it: its counts, chunks, keywords and vectors agree."""
    manifest = rows(url, "SELECT value FROM qa.meta WHERE key = 'manifest'")[0][0]
    articles, chunks = rows(url, "SELECT (SELECT count(*) FROM qa.articles), (SELECT count(*) FROM qa.chunks)")[0]
    assert manifest["counts"]["articles"] == articles and manifest["counts"]["chunks"] == chunks
    assert rows(url, "SELECT count(*) FROM qa.articles a WHERE NOT EXISTS "
                     "(SELECT 1 FROM qa.chunks c WHERE c.article_id = a.id)")[0][0] == 0
    assert rows(url, "SELECT count(*) FROM qa.chunks WHERE embedding IS NULL")[0][0] == 0
    # Postings of existing chunks and articles only, and keyword counts that agree with them.
    assert rows(url, "SELECT count(*) FROM qa.postings p WHERE NOT EXISTS "
                     "(SELECT 1 FROM qa.chunks c WHERE c.id = p.chunk_id)")[0][0] == 0
    assert rows(url, "SELECT count(*) FROM qa.article_postings p WHERE NOT EXISTS "
                     "(SELECT 1 FROM qa.articles a WHERE a.id = p.article_id)")[0][0] == 0
    assert rows(url, "SELECT count(DISTINCT chunk_id) FROM qa.postings")[0][0] == chunks
    for terms, postings in (("terms", "postings"), ("article_terms", "article_postings")):
        assert dict(rows(url, f"SELECT * FROM qa.{terms}")) == dict(
            rows(url, f"SELECT token, count(*) FROM qa.{postings} GROUP BY token"))


@pytest.fixture
def corpus(sample_corpus, tmp_path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(sample_corpus, folder)
    return folder


# --- the command line -------------------------------------------------------------------------

def test_the_cli_builds_asks_and_updates_a_database_index_without_showing_the_password(corpus, postgres_url):
    url = fresh_database(postgres_url, "qa_cli")
    built = qa_cli("build", "--corpus", str(corpus), "--index", url, "--quiet")
    assert built.returncode == 0, built.stderr
    assert "2 articles" in built.stdout and "full build: no previous index" in built.stdout
    # QA_INDEX names the index for every command, as --index does.
    asked = qa_cli("ask", "--json", QUESTION, env={"QA_INDEX": url})
    assert asked.returncode == 0, asked.stderr
    assert "$1 miljard in 2019" in asked.stdout and "microsoft-openai-deal.txt" in asked.stdout
    (corpus / "nieuw.txt").write_text(article("Nieuwe fabriek in Almelo", "In Almelo opent een fabriek die "
                                              "jaarlijks 40.000 fietsen bouwt. Het bedrijf heet Velomaak."), "utf-8")
    stale = qa_cli("ask", QUESTION, "--index", url, "--corpus", str(corpus))
    assert "1 article file(s) changed" in stale.stderr
    assert "***" in stale.stderr and PASSWORD not in stale.stderr + stale.stdout  # the rebuild it names
    updated = qa_cli("build", "--corpus", str(corpus), "--index", url, "--quiet")
    assert "added 1, updated 0, removed 0, unchanged 2" in updated.stdout
    chat = subprocess.run([sys.executable, "-m", "qa.cli", "chat", "--index", url], input=(
        "Hoeveel fietsen bouwt de fabriek in Almelo per jaar?\nreset\n" + QUESTION + "\nEn begin 2023?\n"),
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    first, follow_up = chat.stdout.split("Nieuw gesprek")
    assert "40.000" in first and "nieuw.txt" in first and "Testbron" in first, chat.stdout + chat.stderr
    assert "$10 miljard begin 2023" in follow_up.split("vraag>")[-2], chat.stdout
    everything = " ".join(str(r) for r in rows(url, "SELECT value FROM qa.meta"))
    for said in (built, asked, updated, chat):
        assert PASSWORD not in said.stdout + said.stderr
    assert PASSWORD not in everything


def test_pgpassword_stands_in_for_a_password_in_the_address(sample_database):
    without = sample_database.replace(f":{PASSWORD}@", "@")
    refused = qa_cli("ask", QUESTION, "--index", without, env={"PGPASSWORD": ""})
    assert refused.returncode == 2 and "refused the login" in refused.stderr
    asked = qa_cli("ask", QUESTION, "--index", without, env={"PGPASSWORD": PASSWORD})
    assert asked.returncode == 0 and "$1 miljard in 2019" in asked.stdout


def test_both_backends_find_the_same_passages_with_the_same_scores(sample_index, sample_database):
    """The keyword side is this project's analyser and BM25 in both: the fusion sees the same
    numbers, so the weight measured on folders holds in PostgreSQL."""
    import qa

    folder, database = qa.Retriever.load(sample_index), qa.Retriever.load(sample_database)
    for question in (QUESTION, "Welke procureurs-generaal moeten instemmen?", "Elon Musk bod 97,4 miljard",
                     "How much is OpenAI's commercial arm valued at?", "clouddeals Azure exclusiviteit"):
        a, b = folder.search(question, k=5), database.search(question, k=5)
        assert [(p.doc_id, p.start, p.end) for p in a] == [(p.doc_id, p.start, p.end) for p in b], question
        # approx, not rounding: a score on a rounding boundary (1.34105) fails by 1e-4 at random
        assert [p.score for p in a] == pytest.approx([p.score for p in b], abs=1e-4), question
        assert [p.keyword for p in a] == pytest.approx([p.keyword for p in b], abs=1e-3), question
    assert folder.term_weights(QUESTION) == pytest.approx(database.term_weights(QUESTION))


# --- bad input: one line, the fix named, nothing written ---------------------------------------

def test_an_unreachable_server_is_one_line_naming_the_address_without_its_password():
    url = f"postgresql://qa:geheim-wachtwoord@127.0.0.1:{free_port()}/news"
    for command in (["ask", QUESTION, "--index", url], ["build", "--index", url, "--quiet"]):
        result = qa_cli(*command)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "cannot reach PostgreSQL at postgresql://qa:***@127.0.0.1" \
            in result.stderr and "server running" in result.stderr
        assert "geheim-wachtwoord" not in result.stderr + result.stdout


def test_a_wrong_password_is_refused_in_one_line(postgres_server, corpus):
    if postgres_server is None:
        pytest.skip("QA_TEST_POSTGRES_URL: the login of a server of one's own is not known")
    wrong = postgres_server.url(password="hunter2-wrong")
    result = qa_cli("build", "--corpus", str(corpus), "--index", wrong, "--quiet")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "refused the login" in result.stderr and "PGPASSWORD" in result.stderr
    assert "hunter2-wrong" not in result.stderr


def test_a_database_without_pgvector_that_the_user_may_not_add_names_who_can(postgres_url, corpus):
    fresh_database(postgres_url, "qa_plain")
    admin = postgres_url.rsplit("/", 1)[0] + "/qa_plain"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP EXTENSION IF EXISTS vector")
        conn.execute("DROP ROLE IF EXISTS qa_reader")
        conn.execute("CREATE ROLE qa_reader LOGIN PASSWORD 'leespas' NOSUPERUSER")
        conn.execute("GRANT CREATE ON DATABASE qa_plain TO qa_reader")
    plain = admin.replace(f"postgres:{PASSWORD}@", "qa_reader:leespas@")
    result = qa_cli("build", "--corpus", str(corpus), "--index", plain, "--quiet")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "lacks the vector extension" in result.stderr and "CREATE EXTENSION vector" in result.stderr
    asked = qa_cli("ask", QUESTION, "--index", plain)
    assert asked.returncode == 2 and "no index in" in asked.stderr and "qa build" in asked.stderr
    assert rows(admin, "SELECT to_regclass('qa.meta')")[0][0] is None  # nothing written


def test_an_index_of_another_qa_version_or_model_is_refused_and_left_as_it_was(postgres_url, corpus):
    import qa
    from qa.embedding import FALLBACK_MODEL

    url = fresh_database(postgres_url, "qa_versions")
    qa.build_index(corpus, url)
    before = stored_hashes(url)
    (corpus / "nieuw.txt").write_text(article("Nieuw", "Een nieuw artikel over iets anders."), "utf-8")

    other_model = qa_cli("build", "--corpus", str(corpus), "--index", url, "--model", FALLBACK_MODEL, "--quiet")
    assert other_model.returncode == 2 and other_model.stderr.count("\n") == 1
    assert f"holds vectors of {qa.Retriever.load(url, load_model=False).spec.name} (384 dimensions)" \
        in other_model.stderr
    assert "--full" in other_model.stderr and stored_hashes(url) == before

    rows(url, "UPDATE qa.meta SET value = jsonb_set(value, '{schema}', '99') WHERE key = 'manifest' RETURNING 1")
    for command in (["ask", QUESTION, "--index", url], ["build", "--corpus", str(corpus), "--index", url]):
        result = qa_cli(*command)
        assert result.returncode == 2 and "written by a newer qa (schema 99" in result.stderr
    assert stored_hashes(url) == before


def test_a_second_build_at_once_is_told_another_is_running(sample_database, corpus):
    import psycopg
    from qa.postgres import BUILD_LOCK

    (corpus / "nieuw.txt").write_text(article("Nieuw", "Een nieuw artikel."), "utf-8")
    with psycopg.connect(sample_database, autocommit=True) as holder:  # a build in progress elsewhere
        holder.execute("SELECT pg_advisory_lock(%s)", (BUILD_LOCK,))
        result = qa_cli("build", "--corpus", str(corpus), "--index", sample_database, "--quiet")
    assert result.returncode == 2 and "another build is running on" in result.stderr
    assert "server process" in result.stderr and PASSWORD not in result.stderr


# --- builds -----------------------------------------------------------------------------------

def test_an_index_an_older_qa_wrote_answers_with_todays_defaults(postgres_url, corpus):
    # An older qa saved every setting, defaults too, in qa.meta: its rules step is not read back.
    import psycopg
    from psycopg.types.json import Jsonb

    import qa

    url = fresh_database(postgres_url, "qa_older_config")
    built = qa.build_index(corpus, url)
    older = {k: v for k, v in rows(url, "SELECT value FROM qa.meta WHERE key = 'config'")[0][0].items()
             if k != "saved_format"}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE qa.meta SET value = %s WHERE key = 'config'",
                     (Jsonb(dict(older, answer_step="rules", today="2025-03-01")),))
    settings = qa.Retriever.load(url).settings
    assert settings.answer_step == qa.Settings().answer_step and settings.today == "2025-03-01"
    again = qa.build_index(corpus, url)  # starts from those settings: nothing to do
    assert again.embedded == 0 and again.generation == built.generation
    settings = qa.Retriever.load(url).settings
    assert settings.answer_step == qa.Settings().answer_step and settings.today == "2025-03-01"


def test_the_settings_of_an_older_schema_are_kept_for_its_full_rebuild(postgres_url, corpus):
    # The schema error was taken for "no settings": the rebuild it asks for lost them.
    import qa
    from qa.index import saved_settings

    url = fresh_database(postgres_url, "qa_older_schema")
    qa.build_index(corpus, url, qa.Settings(today="2025-03-01", chunk_tokens=120))
    rows(url, "UPDATE qa.meta SET value = jsonb_set(value, '{schema}', '0') WHERE key = 'manifest' RETURNING 1")
    with pytest.raises(qa.QAError, match="written by an older qa"):
        qa.Retriever.load(url, load_model=False)
    kept = saved_settings(url)
    assert (kept.today, kept.chunk_tokens) == ("2025-03-01", 120)


def test_a_title_search_folds_every_letter_in_a_c_locale_database(postgres_url, tmp_path):
    import json

    import qa

    (tmp_path / "articles.jsonl").write_text(json.dumps(
        {"id": "een", "title": "ÉÉN JAAR NA DE BRAND IN ÖSTERREICH", "text": "Het dorp is herbouwd."}) + "\n")
    url = fresh_database(postgres_url, "qa_title_search")
    qa.build_index(tmp_path, url)
    found = qa.Retriever.load(url, load_model=False).articles("één jaar na de brand in österreich")
    assert [a["title"] for a in found] == ["ÉÉN JAAR NA DE BRAND IN ÖSTERREICH"]


def test_an_update_adds_changes_and_removes_articles_and_embeds_only_what_is_new(postgres_url, corpus):
    import qa

    url = fresh_database(postgres_url, "qa_update")
    first = qa.build_index(corpus, url)
    assert first.full and first.embedded == first.chunks
    (corpus / "nieuw.txt").write_text(article("Brug in Zwolle", "De nieuwe brug in Zwolle kost 12 miljoen euro."),
                                      "utf-8")
    added = qa.build_index(corpus, url)
    assert (added.added, added.updated, added.removed, added.unchanged) == (1, 0, 0, 2)
    assert added.embedded == 1 and not added.full
    retriever = qa.Retriever.load(url)
    assert retriever.search("Wat kost de brug in Zwolle?", k=1)[0].path == "nieuw.txt"

    (corpus / "nieuw.txt").write_text(article("Brug in Zwolle", "De nieuwe brug in Zwolle kost 15 miljoen euro."),
                                      "utf-8")
    changed = qa.build_index(corpus, url)
    assert (changed.added, changed.updated, changed.removed) == (0, 1, 0) and changed.embedded == 1
    assert retriever.reload_if_changed()
    assert "15 miljoen" in retriever.search("Wat kost de brug in Zwolle?", k=1)[0].text

    (corpus / "musk-bod-openai.txt").unlink()
    removed = qa.build_index(corpus, url)
    assert (removed.added, removed.updated, removed.removed) == (0, 0, 1) and removed.embedded == 0
    assert retriever.reload_if_changed()
    assert all(p.path != "musk-bod-openai.txt" for p in retriever.search("Elon Musk bod OpenAI", k=5))
    assert_whole(url)

    unchanged = qa.build_index(corpus, url)
    assert unchanged.generation == removed.generation and unchanged.embedded == 0
    assert not retriever.reload_if_changed()


def test_the_vectors_of_a_killed_build_are_not_computed_again(postgres_url, corpus):
    import qa

    url = fresh_database(postgres_url, "qa_cache")
    before = qa.build_index(corpus, url).chunks
    for number in range(30):
        (corpus / f"extra-{number}.txt").write_text(article(f"Bericht {number}", _paragraphs(number)), "utf-8")
    build = subprocess.Popen([sys.executable, "-m", "qa.cli", "build", "--corpus", str(corpus), "--index", url,
                              "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cached = lambda: rows(url, "SELECT count(*) FROM qa_cache.vectors")[0][0] if rows(  # noqa: E731
        url, "SELECT to_regclass('qa_cache.vectors')")[0][0] else 0
    assert wait_until(lambda: cached() > 0 or build.poll() is not None, timeout=300)
    build.send_signal(signal.SIGKILL)
    build.wait()
    # The killed build's server process may write to the cache until it notices: count after it has gone.
    assert wait_until(lambda: lock_released(url))
    kept = cached()
    if kept == 0:
        pytest.skip("the build ended before the kill")
    finished = qa.build_index(corpus, url)
    assert finished.added == 30 and finished.embedded == finished.chunks - before - kept
    assert cached() == 0  # committed: the chunks hold the vectors now


def test_ten_kills_at_random_moments_leave_a_whole_index_and_the_next_build_completes_it(postgres_url, corpus):
    """Each round changes the corpus (two articles added, one edited, one removed), starts a
    build, and SIGKILLs it at a random moment of the time a whole build takes (measured first):
    the index is then the previous one or the new one, whole, and it keeps answering. Every
    other round is a full build (the schema swap)."""
    import qa

    url = fresh_database(postgres_url, "qa_kills")
    for number in range(12):
        (corpus / f"extra-{number}.txt").write_text(article(f"Bericht {number}", _paragraphs(number)), "utf-8")
    qa.build_index(corpus, url)
    retriever = qa.Retriever.load(url)
    (corpus / "extra-11.txt").write_text(article("Bericht 11", _paragraphs(99)), "utf-8")
    started = time.monotonic()
    assert qa_cli("build", "--corpus", str(corpus), "--index", url, "--quiet").returncode == 0
    whole = time.monotonic() - started
    chance = random.Random(2024)
    seen = {"old": 0, "new": 0}
    for round_number in range(10):
        (corpus / f"extra-{round_number}.txt").unlink()
        for extra in (100 + 2 * round_number, 101 + 2 * round_number):
            (corpus / f"extra-{extra}.txt").write_text(article(f"Bericht {extra}", _paragraphs(extra)), "utf-8")
        edited = corpus / f"extra-{round_number + 1}.txt"
        edited.write_text(edited.read_text("utf-8") + f"\nBijgewerkt in ronde {round_number}.\n", "utf-8")
        before, after = stored_hashes(url), corpus_hashes(corpus)
        command = ["build", "--corpus", str(corpus), "--index", url, "--quiet"] + (["--full"] if round_number % 2 else [])
        build = subprocess.Popen([sys.executable, "-m", "qa.cli", *command], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.3, 1.1) * whole)
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert wait_until(lambda: lock_released(url))  # else the next round's build is refused
        now = stored_hashes(url)
        assert now in (before, after), f"round {round_number}: half a build is visible"
        seen["old" if now == before and now != after else "new"] += 1
        assert_whole(url)
        retriever.reload_if_changed()
        found = retriever.search("Bericht over de stad", k=3)
        assert found and all(p.doc_id in now for p in found)
    final = qa.build_index(corpus, url)
    assert stored_hashes(url) == corpus_hashes(corpus) and final.articles == len(corpus_hashes(corpus))
    assert_whole(url)
    print(f"kills: {seen} (a whole build {whole:.1f} s)")
    assert seen["old"] >= 1  # the draw killed at least one build before it committed


def _paragraphs(number: int) -> str:
    towns = ["Zwolle", "Assen", "Delft", "Venlo", "Breda", "Ede", "Hoorn", "Sneek"]
    return "\n\n".join(
        f"Bericht over de stad {towns[(number + i) % len(towns)]}: de gemeente meldt {number * 7 + i} nieuwe "
        f"woningen in wijk {i} en een budget van {number + i} miljoen euro voor project {number}-{i}."
        for i in range(6))


# --- many readers -----------------------------------------------------------------------------

def test_a_read_replica_answers_while_the_primary_builds_and_follows_its_commit(postgres_server, postgres_url,
                                                                                 corpus):
    if postgres_server is None:
        pytest.skip("QA_TEST_POSTGRES_URL: the tests start a replica of their own server only")
    import qa

    url = fresh_database(postgres_url, "qa_replicated")
    qa.build_index(corpus, url)
    replica = postgres_server.replica()
    try:
        replica_url = replica.url("qa_replicated")
        reader = qa.Retriever.load(replica_url)
        assert "$1 miljard in 2019" in qa.ChatSession(reader).ask(QUESTION).text
        for number in range(20):
            (corpus / f"extra-{number}.txt").write_text(article(f"Bericht {number}", _paragraphs(number)), "utf-8")
        (corpus / "fabriek.txt").write_text(article("Fabriek in Almelo", "In Almelo opent een fabriek die "
                                                    "jaarlijks 40.000 fietsen bouwt."), "utf-8")
        build = threading.Thread(target=qa.build_index, args=(corpus, url))
        build.start()
        answered = 0
        while build.is_alive():
            assert "$1 miljard in 2019" in qa.ChatSession(reader).ask(QUESTION).text
            answered += 1
        build.join()
        assert answered >= 3
        assert wait_until(reader.reload_if_changed, timeout=30), "the replica never showed the new build"
        assert "40.000" in qa.ChatSession(reader).ask("Hoeveel fietsen bouwt de fabriek in Almelo per jaar?").text
    finally:
        replica.stop("immediate")


def test_two_app_servers_share_one_index_and_both_follow_a_build(sample_corpus, postgres_url, tmp_path):
    from gradio_client import Client

    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    url = fresh_database(postgres_url, "qa_apps")
    servers = []
    try:
        for name in ("a", "b"):
            folder = tmp_path / name
            folder.mkdir()
            servers.append(start_server(folder, corpus, "--read-only", index=url))
        clients = [Client(address, verbose=False) for _, address in servers]
        for client in clients:
            assert "$1 miljard in 2019" in client.predict(QUESTION, api_name="/chat")
        (corpus / "fabriek.txt").write_text(article("Fabriek in Almelo", "In Almelo opent een fabriek die "
                                                    "jaarlijks 40.000 fietsen bouwt."), "utf-8")
        built = qa_cli("build", "--corpus", str(corpus), "--index", url, "--quiet")
        assert "added 1" in built.stdout
        for client in clients:
            answer = client.predict("Hoeveel fietsen bouwt de fabriek in Almelo per jaar?", api_name="/chat")
            assert "40.000" in answer
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=30)
    for name in ("a", "b"):
        log = (tmp_path / name / "server.log").read_text()
        assert "page ready in" in log and PASSWORD not in log


# --- small parts ------------------------------------------------------------------------------

def test_addresses_are_shown_without_their_password():
    from qa.index import index_location, is_database_url, shown

    assert shown("postgresql://ann:s3cret@db.example:5432/news") == "postgresql://ann:***@db.example:5432/news"
    assert shown("postgres://db/news?password=s3cret&sslmode=require") == \
        "postgres://db/news?password=%2A%2A%2A&sslmode=require"
    assert shown("postgresql://ann@db/news") == "postgresql://ann@db/news"
    assert is_database_url("postgresql://db/news") and not is_database_url("index")
    assert index_location("postgresql://db/news") == "postgresql://db/news"


def test_keywords_are_stored_as_postings_with_their_count_and_the_length_of_their_text():
    from qa.postgres import _copy_field, postings_of

    assert sorted(postings_of(7, ["brug", "zwoll", "brug", "o'neil"])) == [
        ("brug", 7, 2, 4), ("o'neil", 7, 1, 4), ("zwoll", 7, 1, 4)]
    assert postings_of("a", ["x"] * 40_000) == [("x", "a", 32_767, 40_000)]  # a smallint
    assert _copy_field("a\\b\tc\nd") == "a\\\\b\\tc\\nd"  # COPY's text format
