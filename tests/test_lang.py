"""Language data (qa/lang): the tables, the patterns built from them, and the proof that a
language is one file: German questions over German articles get German labels, answer types,
follow-ups and abstention, though no module outside qa/lang names a German word."""

import re
from pathlib import Path

import pytest

import qa
from qa import lang
from qa.chat import Turn, resolve_followup
from qa.lang import patterns as P
from qa.questions import answers_type, detect_language, expected_answer_type, metadata_kind

GERMAN_CORPUS = Path(__file__).parent / "data" / "de"
QA_DIR = Path(qa.__file__).parent

# The names every language module must define (nl.py is the reference).
TABLES = [name for name in vars(lang.get("nl")) if name.isupper()]


@pytest.mark.unit
@pytest.mark.parametrize("code", list(lang.languages()))
def test_every_language_module_has_every_table_of_the_same_kind(code):
    module, reference = lang.get(code), lang.get("nl")
    for name in TABLES:
        assert hasattr(module, name), f"{code}.py lacks {name}"
        assert type(getattr(module, name)) is type(getattr(reference, name)) or not getattr(module, name), name
    assert set(module.MESSAGES) == set(reference.MESSAGES)
    assert set(module.ANSWER_CUES) == set(lang.ANSWER_KINDS)


@pytest.mark.unit
def test_the_default_language_comes_first_and_an_unknown_code_falls_back_to_it():
    assert list(lang.languages())[0] == lang.DEFAULT == "nl"
    assert lang.get("fr") is lang.get("nl")


@pytest.mark.unit
@pytest.mark.parametrize("question, code", [
    ("Wie is de CEO van OpenAI?", "nl"),
    ("Hoeveel geld bood Musk?", "nl"),
    ("Who is the CEO of OpenAI?", "en"),
    ("Is Microsoft investing?", "en"),
    ("Wer hat den Solarpark gebaut?", "de"),
    ("Wie viel Geld bot Musk?", "de"),
    ("Wann wurde der Vertrag unterzeichnet?", "de"),
])
def test_detection_chooses_among_the_languages_that_have_a_module(question, code):
    assert detect_language(question) == code


@pytest.mark.unit
def test_saturday_and_sunday_are_days_as_friday_is():
    # The weekdays were two lists once, and the questions' list had lost the weekend.
    for day in ("Friday", "Saturday", "Sunday", "zaterdag", "Samstag"):
        assert answers_type("day", f"The deal was signed on {day}."), day
        assert answers_type("date", f"It happened on {day}."), day


@pytest.mark.unit
@pytest.mark.parametrize("question, kind", [
    ("Wie viel kostete der Solarpark?", "amount"),
    ("Wie viele Haushalte versorgt die Anlage?", "number"),
    ("In welchem Jahr soll die Brücke fertig sein?", "year"),
    ("Wann wird die Brücke fertig?", "date"),
    ("Wer hat den Park gebaut?", "person"),
    ("Wie lang ist die Brücke?", "measure"),
    ("Hoeveel kostte het?", "amount"),  # a price, in the past tense too
    ("How much money did Musk offer?", "amount"),
])
def test_answer_kinds_are_recognised_in_every_language(question, kind):
    assert expected_answer_type(question) == kind


@pytest.mark.unit
def test_german_figures_and_dates_answer_their_kinds():
    assert answers_type("amount", "Das Projekt kostete 410 Millionen Euro.")
    assert answers_type("number", "Die Brücke soll bis zu zwanzig Radfahrer tragen.")
    assert answers_type("date", "Sie wurde im März eröffnet.")
    assert not answers_type("amount", "Das Projekt war teuer.")


@pytest.mark.unit
def test_a_german_question_about_the_article_itself_is_recognised():
    assert metadata_kind("Wer schrieb den Artikel über den Solarpark?") == "author"
    assert metadata_kind("Aus welcher Zeitung stammt der Artikel?") == "source"
    assert metadata_kind("Wer hat den Solarpark gebaut?") == ""


@pytest.mark.unit
def test_a_german_follow_up_borrows_from_the_last_turn_and_a_dutch_er_is_no_pronoun():
    previous = Turn("Wer sprach von einem Meilenstein?", "Wer sprach von einem Meilenstein?",
                    qa.Answer("", "", "Petra Lindqvist sprach von einem Meilenstein. [1]", language="de"))
    resolved = resolve_followup("Und warum sagte sie das?", [previous])
    assert "Meilenstein" in resolved and resolved.startswith("Und warum sagte sie das?")
    # German "er" (he) is Dutch "er" (there): a Dutch question with it does not lean back.
    assert not P.points_back("nl").search("Hoeveel mensen werken er bij OpenAI?")
    assert P.points_back("de").search("Wann ist er zurückgetreten?")


@pytest.mark.unit
def test_interface_messages_follow_the_language():
    assert lang.messages("de")["not_found"] != lang.messages("nl")["not_found"]
    assert lang.messages("xx") == lang.messages("nl")


@pytest.mark.unit
def test_no_module_outside_qa_lang_names_a_german_word():
    german = {"wer", "wann", "warum", "quelle", "artikel über", "millionen", "samstag", "nicht"}
    for path in QA_DIR.glob("*.py"):
        text = path.read_text(encoding="utf-8").lower()
        found = [w for w in german if re.search(rf"\b{w}\b", text)]
        assert not found, f"{path.name} names {found}"


@pytest.mark.slow
def test_german_questions_over_german_articles(tmp_path):
    index = tmp_path / "index"
    qa.build_index(GERMAN_CORPUS, index, qa.Settings(languages="de,en"))
    retriever = qa.Retriever.load(index)

    def ask(*turns: str) -> qa.Answer:
        session = qa.ChatSession(retriever)
        for turn in turns:
            answer = session.ask(turn)
        return answer

    cost = ask("Wie viel kostete der Solarpark in Brandenburg?")
    assert cost.language == "de" and not cost.abstained and "410 Millionen Euro" in cost.text
    assert "Quellen" in cost.to_markdown()
    ready = ask("Wann wird die Fahrradbrücke in Köln fertig?")
    assert not ready.abstained and "2029" in ready.text
    plans = ask("Wer sprach von einem Meilenstein?", "Und wann will sie die Parks in Sachsen bauen?")
    assert not plans.abstained and "2028" in plans.text
    undisclosed = ask("Wie viel Pacht erhalten die Landwirte?")
    assert undisclosed.abstained and undisclosed.text.startswith(lang.messages("de")["undisclosed"])
    absent = ask("Wie viele Windräder stehen in Bayern?")
    assert absent.abstained and absent.text == lang.messages("de")["not_found"]
    author = ask("Wer schrieb den Artikel über den Solarpark?")
    assert not author.abstained and "Anna Schulz" in author.text and author.text.startswith("Der Artikel ist von")
    source = ask("Aus welcher Zeitung stammt der Artikel über die Rheinbrücke?")
    assert "Rheinische Rundschau" in source.text
