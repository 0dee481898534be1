"""Answers: quoted, cited sentences; declines; markdown; the names and type tests end to end."""

import dataclasses
import math
import re
import shutil

import pytest

from qa.answer import (Answer, ChatSession, Source, _Candidate, _says, _span, escape_markdown, format_date, paragraphs_around,
                       with_context, with_continuation)
from qa.bundled_model import bundled_file
from qa.retrieval import Passage


def test_answer_quotes_the_article_and_cites_it(retriever):
    answer = ChatSession(retriever).ask("Hoeveel investeerde Microsoft in 2019 in OpenAI?")
    assert not answer.abstained
    assert "$1 miljard in 2019" in answer.text
    assert "[1]" in answer.text
    source = answer.sources[0]
    assert source.number == 1 and source.passage.source == "IEX.nl"
    start, end = source.highlight
    assert source.passage.text[start:end] in answer.text  # the marked sentence is the quoted one
    markdown = answer.to_markdown()
    assert "**Bronnen**" in markdown and "IEX.nl" in markdown and "12 september 2025" in markdown


def test_a_third_sentence_nearly_as_good_as_the_best_is_quoted_too(retriever):
    # Two sentences at most left out the one that answers: "Dit is geen overnamepoging, ...".
    answer = ChatSession(retriever).ask("Is het bod van Musk volgens de auteur een echte poging om OpenAI over te nemen?")
    assert "geen overnamepoging" in answer.text
    assert answer.text.count("[") == 3


def test_every_answer_sentence_is_quoted_verbatim_from_a_source(retriever):
    answer = ChatSession(retriever).ask("Wat vond Musk van de waardering van het non-profit-bedrijf?")
    assert not answer.abstained
    import re

    for sentence in re.split(r"\s\[\d+\]\s?", answer.text):
        if sentence:
            assert any(sentence in s.passage.text for s in answer.sources), sentence


def test_questions_the_articles_do_not_answer_are_declined(retriever):
    for question in ["Wie zong het volkslied tijdens Super Bowl 50?", "Hoe laat begint de wedstrijd van Ajax?"]:
        answer = ChatSession(retriever).ask(question)
        assert answer.abstained, question
        assert answer.text == "Ik kan dit niet vinden in de artikelen."
        assert len(answer.sources) <= 2
        assert "Mogelijk gerelateerd" in answer.to_markdown() or not answer.sources


def test_english_question_gets_english_labels(retriever):
    answer = ChatSession(retriever).ask("How much did Microsoft put into OpenAI in early 2023?")
    assert answer.language == "en" and not answer.abstained
    assert "$10 miljard begin 2023" in answer.text  # the quote stays as written
    assert "**Sources**" in answer.to_markdown()
    declined = ChatSession(retriever).ask("Who won the Tour de France in 1998?")
    assert declined.abstained and declined.text == "I cannot find this in the articles."


def test_questions_about_the_article_itself_use_its_metadata(retriever):
    answer = ChatSession(retriever).ask("Van welke nieuwssite komt het bericht over de deal tussen Microsoft en OpenAI?")
    assert "IEX.nl" in answer.text and "[1]" in answer.text


def test_follow_up_uses_the_previous_turn(retriever):
    session = ChatSession(retriever)
    session.ask("Hoeveel investeerde Microsoft in 2019 in OpenAI?")
    answer = session.ask("En begin 2023?")
    assert "Microsoft" in answer.resolved_question and "2019" not in answer.resolved_question
    assert "$10 miljard" in answer.text


def test_a_follow_up_is_answered_about_its_own_words_not_the_borrowed_ones(retriever):
    session = ChatSession(retriever)
    session.ask("Hoeveel investeerde Microsoft in 2019 in OpenAI?")
    session.ask("En is het aandeel van Microsoft al bekend?")
    answer = session.ask("Wie schreef die memo?")
    assert "aandeel" in answer.resolved_question  # borrowed, and it matches the sentence on the stake best
    assert not answer.abstained and "memo van Bret Taylor" in answer.text and "Noch het aandeel" not in answer.text
    session = ChatSession(retriever)
    session.ask("Wie is de CEO van OpenAI?")
    assert "commerciële kansen" in session.ask("Wat zag hij in AI?").text


def test_a_follow_up_keeps_a_sentence_with_the_kind_of_answer_asked_for(retriever):
    # "maakten" is in "bekendgemaakt" (the sentence on what is undisclosed); the day is elsewhere.
    # (After "Wat voor overeenkomst sloten ...?" the multilingual model quotes the earlier deal,
    # and the follow-up borrows its words: docs/evaluation.md, dialogue d10.)
    session = ChatSession(retriever)
    session.ask("Wat voor overeenkomst kondigden Microsoft en OpenAI aan?")
    answer = session.ask("Wanneer maakten ze die bekend?")
    assert not answer.abstained and "donderdag" in answer.text


@pytest.mark.xfail(bundled_file() is not None, strict=True,
                   reason="e5 answers the first turn with the earlier deal, and the follow-up borrows those "
                          "words (docs/evaluation.md: dialogue d10)")
def test_after_the_kind_of_deal_a_follow_up_asks_when_it_was_announced(retriever):
    session = ChatSession(retriever)
    session.ask("Wat voor overeenkomst sloten Microsoft en OpenAI?")
    assert "donderdag" in session.ask("Wanneer maakten ze die bekend?").text


def test_why_after_an_answer_quotes_the_sentence_that_continues_it(retriever):
    for why in ["Waarom?", "Why?"]:
        session = ChatSession(retriever)
        first = session.ask("Wanneer verliet Musk OpenAI?")
        assert "verliet Musk het bedrijf" in first.text and "verkwanseld" not in first.text
        answer = session.ask(why)
        # The sentence seen already, then the one after it, which says why ("Hij vond dat ...").
        assert answer.text.index("verliet Musk het bedrijf") < answer.text.index("zijn missie had verkwanseld"), why
        start, end = answer.sources[0].highlight
        assert "verkwanseld" in answer.sources[0].passage.text[start:end]


def test_why_in_other_words_reads_on_too_but_a_follow_up_with_a_subject_does_not(retriever):
    for why in ["Waarom deed hij dat?", "En waarom?"]:
        session = ChatSession(retriever)
        session.ask("Wanneer verliet Musk OpenAI?")
        assert "zijn missie had verkwanseld" in session.ask(why).text, why
    session = ChatSession(retriever)
    session.ask("Wanneer verliet Musk OpenAI?")
    answer = session.ask("Wanneer vertrok Musk daar?")  # names its subject: the sentence seen is the answer
    assert "verliet Musk het bedrijf" in answer.text and "verkwanseld" not in answer.text


def test_only_a_sentence_the_reader_has_seen_is_read_on_from(retriever):
    from qa.chat import Turn

    seen = "Toen OpenAI in 2019 een commerciële tak oprichtte om investeringen aan te trekken, verliet Musk het bedrijf."
    best = _Candidate(0, 0, len(seen), seen)
    session = ChatSession(retriever)
    def asks_more(question: str) -> bool:
        return session._asks_more_of_last_answer(session._topic_stems(question), best)

    assert not asks_more("Waarom?")  # no history
    session.history = [Turn("q", "q", Answer("q", "q", "Musk was destijds een van de grote financiers. [1]"))]
    assert not asks_more("Waarom?")
    session.history = [Turn("q", "q", Answer("q", "q", f"{seen} [1]"))]
    assert asks_more("Waarom?")
    assert not asks_more("Waarom vertrok Musk?")  # a subject of its own


def _passage(text: str) -> Passage:
    return Passage(text=text, score=1, doc_id="d", title="T", date="", source="", path="p", start=0, end=len(text))


def test_the_continuation_is_the_next_sentence_of_the_same_paragraph_after_the_best_one():
    text = "Musk vertrok in 2019. Hij vond de missie verkwanseld. Zij bleven."
    best = _Candidate(0, 0, 21, text[:21])
    [first, second] = with_continuation([best], best, [_passage(text)])
    assert second.text == "Hij vond de missie verkwanseld."
    # After the best sentence, not after the last one chosen.
    other = _Candidate(0, 22, 53, text[22:53])
    assert [c.text for c in with_continuation([best, other], other, [_passage(text)])][-1] == "Zij bleven."
    assert len(with_continuation([best, other], best, [_passage(text)])) == 2  # its continuation is chosen already
    for after in ["\n\nDit jaar kwam er een nieuwe CEO.", " Hun strijd\n\nDaarna volgde meer.", " Altman bleef."]:
        text = "Musk vertrok in 2019." + after
        best = _Candidate(0, 0, 21, text[:21])
        assert with_continuation([best], best, [_passage(text)]) == [best], after  # new paragraph, heading, new subject


def test_a_bare_follow_up_adds_no_sentence_that_does_not_continue_the_answer(retriever):
    session = ChatSession(retriever)
    session.ask("Moet de herstructurering van OpenAI nog worden goedgekeurd?")
    answer = session.ask("Door wie?")  # the answer is in the sentence seen; the next one is a new subject
    assert "Californië en Delaware" in answer.text and "OpenAI hoopt" not in answer.text


@pytest.mark.parametrize("question", ["", "   ", "🙂🙂"])
def test_empty_questions_get_a_prompt_not_an_error(retriever, question):
    answer = ChatSession(retriever).ask(question)
    assert answer.abstained and answer.text


def test_format_date():
    assert format_date("2025-09-12T02:46") == "12 september 2025, 02:46"
    assert format_date("2025-02") == "februari 2025"
    assert format_date("2025-02", "en") == "February 2025"
    assert format_date("") == ""


def test_article_text_is_inert_in_markdown():
    evil = 'Klik <img src=x onerror=alert(1)> en [hier](javascript:alert(1)) ![x](http://e/x.png) <script>alert(2)</script>'
    escaped = escape_markdown(evil)
    assert "<img" not in escaped and "<script" not in escaped
    assert not re.search(r"(?<!\\)!\[", escaped)  # no image
    # The only links are the web addresses, each shown as written: "[http://e/x.png](http://e/x.png)".
    assert re.findall(r"(?<!\\)\[([^\]]*)\]\(([^)]*)\)", escaped) == [("http://e/x.png", "http://e/x.png")]
    passage = Passage(text=evil, score=1, doc_id="d", title="<b>T</b>", date="", source="", path="p", start=0, end=len(evil))
    markdown = Answer("q", "q", evil + " [1]", [Source(1, passage, (0, 5))]).to_markdown()
    assert "<img" not in markdown and "<script" not in markdown and "<b>" not in markdown


def test_a_web_address_is_linked_as_written_without_the_punctuation_after_it():
    escaped = escape_markdown("Zie https://www.example.nl/jaarverslag_2024_(definitief).pdf. Of www.example.org/a_b, of (https://x.nl/c).")
    # Shown as written (its Markdown escaped), linked to the address itself, the full stop outside.
    assert (r"[https://www.example.nl/jaarverslag\_2024\_\(definitief\).pdf]"
            "(https://www.example.nl/jaarverslag_2024_%28definitief%29.pdf). Of") in escaped
    assert r"[www.example.org/a\_b](http://www.example.org/a_b)," in escaped
    assert escaped.endswith(r"\([https://x.nl/c](https://x.nl/c)\).")
    # An e-mail address is linked whole (autolinked, "jan\_de\_" stayed text before a link to "vries@...").
    assert escape_markdown("Mail jan_de_vries@example.nl.") == r"Mail [jan\_de\_vries@example.nl](mailto:jan_de_vries@example.nl)."
    # Closing quotes and a bracket the address did not open are the sentence's.
    assert escape_markdown("„https://x.nl/a”") == "„[https://x.nl/a](https://x.nl/a)”"
    assert escape_markdown("[https://x.nl/a_b]") == r"\[[https://x.nl/a\_b](https://x.nl/a_b)\]"


def test_an_answer_about_the_article_cites_its_byline_or_its_opening(retriever):
    # It cited whichever passage had found the article, which says nothing of who wrote it.
    author = ChatSession(retriever).ask("Wie heeft het artikel over het bod van Musk geschreven?")
    assert "Techredacteur Sam Verbeek" in author.text
    source = author.sources[0]
    start, end = source.highlight
    assert source.passage.text[start:end] == "Techredacteur Sam Verbeek"
    date = ChatSession(retriever).ask("Wanneer verscheen het artikel over het bod van Musk?")
    assert "februari 2025" in date.text and date.sources[0].passage.start == 0


def test_a_metadata_question_about_something_absent_is_declined(retriever):
    answer = ChatSession(retriever).ask("Wanneer verscheen het artikel over de Tour de France?")
    assert answer.abstained


@pytest.mark.parametrize("question, expected", [
    ("Welke bron heeft het artikel over Musk?", "Bij dit artikel staat geen bron."),
    ("Wie schreef het artikel over de deal tussen Microsoft en OpenAI?", "Bij dit artikel staat geen auteur."),
])
def test_a_metadata_question_the_article_has_no_field_for_says_so(retriever, question, expected):
    # The answer was once two sentences of the article's text, which say nothing of its source.
    answer = ChatSession(retriever).ask(question)
    assert answer.abstained and answer.text == expected
    assert len(answer.sources) == 1 and ("Musk" in question) == ("Musk" in answer.sources[0].passage.title)


@pytest.mark.parametrize("name, text, question, expected", [
    # "Bij dit artikel staat geen auteur." is for the corpus's own article; this one is in a text.
    pytest.param("einstein.txt", "Einstein en de relativiteit\n\nIn 1905 verscheen een baanbrekend artikel over de "
                 "speciale relativiteitstheorie. Het artikel over de relativiteitstheorie werd geschreven door Albert "
                 "Einstein, toen een onbekende klerk bij het octrooibureau in Bern.\n",
                 "Wie schreef het artikel over de relativiteitstheorie?", "geschreven door Albert Einstein",
                 id="who wrote an article the text speaks of"),
    # The best sentence names the bridge and Zwolle; the next gives its cost ("De brug kost ..."), and
    # the type test declined.
    pytest.param("fietsbrug.txt", "Zwolle krijgt nieuwe fietsbrug over het Zwarte Water\n\nDe gemeenteraad van "
                 "Zwolle heeft dinsdag ingestemd met de bouw van een nieuwe fietsbrug over het Zwarte Water. De brug "
                 "kost 12 miljoen euro en moet in 2027 klaar zijn.\n\nWethouder Jansen noemde het een historisch "
                 "besluit.\n", "Hoeveel kost de fietsbrug in Zwolle?", "De brug kost 12 miljoen euro",
                 id="the figure in the sentence after the best one"),
    # The premise holds names, all the question's own: the next sentence names the one asked for.
    pytest.param("kievitsei.txt", "Eerste kievitsei gevonden\n\nHet eerste kievitsei van 2021 is vanmiddag gevonden in "
                 "polder Groot Mijdrecht bij Wilnis. De vinder is Otwin Nonnekes van een vrijwilligersgroep uit de "
                 "omgeving.\n\nGewoonlijk begint het broedseizoen van weidevogels rond half maart.\n",
                 "Wie vond het eerste kievitsei van 2021 in polder Groot Mijdrecht bij Wilnis?", "Otwin Nonnekes",
                 id="a new name in the sentence after the best one"),
])
def test_an_article_added_to_the_sample_corpus_answers(sample_corpus, tmp_path, name, text, question, expected):
    import qa

    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus)
    (corpus / name).write_text(text, encoding="utf-8")
    qa.build_index(corpus, tmp_path / "index")
    answer = ChatSession(qa.Retriever.load(tmp_path / "index")).ask(question)
    assert not answer.abstained and expected in answer.text


def test_markdown_keeps_spaces_around_the_marked_sentence():
    text = "Eerste zin hier. Tweede zin daar. Derde zin."
    passage = Passage(text=text, score=1, doc_id="d", title="T", date="", source="", path="p", start=0, end=len(text))
    markdown = Answer("q", "q", "Tweede zin daar. [1]", [Source(1, passage, (17, 33))]).to_markdown()
    assert "Eerste zin hier. **Tweede zin daar.** Derde zin." in markdown


def test_a_present_tense_verb_finds_the_article_s_other_tense(retriever):
    # Snowball keeps the "-t" of "ontvangt": it matched no word of the articles ("ontvangen"),
    # and the 260 billion of the other article's commercial branch was quoted instead.
    assert "$100 miljard" in ChatSession(retriever).ask("Hoeveel ontvangt de non-profit tak?").text
    assert retriever.term_weights("Wie leidt Tesla?").keys() == {"leid", "tesla"}
    # A noun is no verb form: "plant" is not "plannen" ("planen" is no word).
    assert "plant" in retriever.term_weights("Welke plant heeft OpenAI?")
    assert ChatSession(retriever).ask("Welke plant heeft OpenAI?").abstained


def test_a_question_for_a_number_the_articles_never_give_is_declined(retriever):
    # The articles are about Musk's bid but never state its amount.
    answer = ChatSession(retriever).ask("Hoeveel geld bood Musk precies voor de non-profit-organisatie van OpenAI?")
    assert answer.abstained and answer.text == "Ik kan dit niet vinden in de artikelen."


def test_a_fact_the_article_says_is_undisclosed_is_declined_with_that_sentence(retriever):
    answer = ChatSession(retriever).ask("Behoudt Microsoft exclusieve toegang tot toekomstige modellen van OpenAI?")
    assert answer.abstained
    assert answer.text.startswith("Dat staat niet in de artikelen; ze melden wel: Noch het aandeel")
    assert answer.text.endswith("[1]") and "bekendgemaakt" in answer.text
    start, end = answer.sources[0].highlight
    assert "bekendgemaakt" in answer.sources[0].passage.text[start:end]
    markdown = answer.to_markdown()  # cited like an answer, not "possibly related"
    assert "**Bronnen**" in markdown and "Mogelijk gerelateerd" not in markdown and "[1]" in markdown.split("\n")[0]
    # Asked for a number the articles say is not known: that sentence, not a bare "not found".
    share = ChatSession(retriever).ask("Welk aandeel krijgt Microsoft?")
    assert share.abstained and share.text.startswith("Dat staat niet in de artikelen; ze melden wel: Noch het aandeel")


def test_asked_whether_a_fact_is_known_the_sentence_saying_it_is_not_is_the_answer(retriever):
    answer = ChatSession(retriever).ask("Is het aandeel dat Microsoft krijgt al bekendgemaakt?")
    assert not answer.abstained
    assert answer.text.startswith("Noch het aandeel") and "bekendgemaakt" in answer.text


@pytest.mark.parametrize("question, expected", [
    ("Op welke datum verscheen het bericht over het akkoord tussen Microsoft en OpenAI?", "12 september 2025"),
    ("Wanneer verscheen het stuk over het bod van Musk op OpenAI?", "februari 2025"),
    ("Wie is de techredacteur die het stuk over het bod van Musk schreef?", "Sam Verbeek"),
])
def test_a_metadata_question_answers_for_the_article_it_names(retriever, question, expected):
    answer = ChatSession(retriever).ask(question)
    assert not answer.abstained and expected in answer.text


@pytest.mark.parametrize("first, follow_up, expected", [
    # After a question about an article: "En de datum?" was searched as a question about its text.
    ("Welke bron heeft het artikel over de deal tussen Microsoft en OpenAI?", "En de datum?", "12 september 2025"),
    ("Wanneer verscheen het stuk over het bod van Musk?", "Wie schreef het?", "Sam Verbeek"),
    ("Wie schreef het artikel over het bod van Musk?", "En de bron?", "Bij dit artikel staat geen bron."),
    ("Who wrote the Musk article?", "And the date?", "February 2025"),
    # After an answer from the text: the site came from whichever article "komt dit" found (the Musk
    # one, which names none).
    ("Waar gaat de deal tussen Microsoft en OpenAI over?", "Van welke site komt dit artikel?", "IEX.nl"),
    ("Waar gaat de deal tussen Microsoft en OpenAI over?", "Wie schreef het artikel?", "Bij dit artikel staat geen auteur."),
    ("Wanneer verliet Musk OpenAI?", "En de bron?", "Bij dit artikel staat geen bron."),
    ("Wanneer verliet Musk OpenAI?", "Wie is de auteur?", "Techredacteur Sam Verbeek"),
])
def test_a_follow_up_asks_another_field_of_the_article_just_cited(retriever, first, follow_up, expected):
    session = ChatSession(retriever)
    session.ask(first)
    answer = session.ask(follow_up)
    assert expected in answer.text and answer.text.count("[") <= 1


def test_after_an_answer_when_and_the_date_still_ask_about_what_it_told(retriever):
    for follow_up in ("Wanneer?", "En de datum?"):
        session = ChatSession(retriever)
        session.ask("Wanneer verliet Musk OpenAI?")
        assert "2019" in session.ask(follow_up).text, follow_up


def test_a_follow_up_with_a_subject_of_its_own_is_not_read_as_a_field_of_the_article(retriever):
    session = ChatSession(retriever)
    session.ask("Welke bron heeft het artikel over de deal tussen Microsoft en OpenAI?")
    answer = session.ask("Wanneer verliet Musk OpenAI?")
    assert "2019" in answer.text and "verliet Musk" in answer.text


def test_a_passage_that_never_names_the_subject_does_not_answer(retriever):
    # The corpus has "OpenAI-CEO Sam Altman" but no CEO of Microsoft.
    for question in ["Wie is de CEO van Microsoft?", "Who is the CEO of Microsoft?"]:
        answer = ChatSession(retriever).ask(question)
        assert answer.abstained, (question, answer.text)
    answer = ChatSession(retriever).ask("Wie is de CEO van OpenAI?")
    assert not answer.abstained and "Sam Altman" in answer.text


def test_an_answer_can_come_from_any_retrieved_passage_not_only_the_first_three(retriever):
    # The answering sentence ("kondigden donderdag ... aan") is in the fourth or fifth passage retrieved.
    question = "On what day of the week did Microsoft and OpenAI announce their agreement?"
    passages = retriever.search(question, k=5)
    assert not any("donderdag" in p.text for p in passages[:3]), "the test no longer tests the fourth passage"
    answer = ChatSession(retriever, k=5).ask(question)
    assert "donderdag" in answer.text


def test_names_decide_which_passage_may_answer(retriever):
    # The confidence test is switched off to see the names test alone.
    def ask(question):
        return ChatSession(retriever, threshold=-math.inf).ask(question)

    answer = ask("Welke procureurs-generaal in California moeten de herstructurering van OpenAI goedkeuren?")
    assert not answer.abstained and "Californië" in answer.text
    assert ask("Welke procureurs-generaal in Nevada moeten de herstructurering van OpenAI goedkeuren?").abstained
    assert ask("Who is the CEO of Anthropic?").abstained


def test_names_count_in_the_whole_paragraph_a_passage_lies_in():
    body = "Eerste alinea.\n\nElon Musk richtte xAI op. Het bedrijf groeit snel.\n\nLaatste alinea."
    start = body.index("Het bedrijf")
    assert paragraphs_around(body, start, start + 10) == "Elon Musk richtte xAI op. Het bedrijf groeit snel."
    assert paragraphs_around(body, 0, 5) == "Eerste alinea."
    assert paragraphs_around("Geen alinea's.", 0, 4) == "Geen alinea's."


def test_a_sentence_that_leans_back_is_quoted_with_the_sentence_before_it(retriever):
    answer = ChatSession(retriever).ask("Waarom vond Musk dat het non-profit-bedrijf zijn missie had verkwanseld?")
    assert not answer.abstained
    context, quoted = "verliet Musk het bedrijf.", "Hij vond dat het non-profit-bedrijf zijn missie had verkwanseld"
    assert context in answer.text and quoted in answer.text
    assert answer.text.index(context) < answer.text.index(quoted)  # "Hij" is Musk, said first
    source = answer.sources[0]
    start, end = source.highlight  # the mark covers both sentences
    assert context in source.passage.text[start:end] and quoted in source.passage.text[start:end]


def _passage(text: str) -> Passage:
    return Passage(text, 1.0, "doc", "Titel", "", "", "doc.txt", 0, len(text))


def _sentence(passages: list[Passage], index: int, sentence: str) -> _Candidate:
    start = passages[index].text.index(sentence)
    return _Candidate(index, start, start + len(sentence), sentence)


def test_with_context_adds_only_the_sentence_a_pronoun_needs():
    passages = [_passage("Anna Smit liep de marathon. Zij won in 2 uur. Het weer was goed."),
                _passage("Daarna stopte zij. Het publiek juichte.")]
    leans_back = _sentence(passages, 0, "Zij won in 2 uur.")
    stands_alone = _sentence(passages, 0, "Het weer was goed.")
    first_of_passage = _sentence(passages, 1, "Daarna stopte zij.")
    assert [c.text for c in with_context([leans_back], passages)] == ["Anna Smit liep de marathon.", "Zij won in 2 uur."]
    assert [c.text for c in with_context([stands_alone], passages)] == ["Het weer was goed."]
    assert [c.text for c in with_context([first_of_passage], passages)] == ["Daarna stopte zij."]  # nothing before it
    after_heading = [_passage("Het dilemma van Anna\n\nZij won in 2 uur.")]
    assert [c.text for c in with_context([_sentence(after_heading, 0, "Zij won in 2 uur.")], after_heading)] == [
        "Zij won in 2 uur."]  # a heading is no context
    both = with_context([_sentence(passages, 0, "Anna Smit liep de marathon."), leans_back], passages)
    assert [c.text for c in both] == ["Anna Smit liep de marathon.", "Zij won in 2 uur."]  # no repeats


@pytest.mark.parametrize("sentence, leans", [
    ("Tegelijk richtte hij xAI op.", True),  # Dutch puts the verb second, the pronoun after it
    ("Toen vertrok ze naar Parijs.", True),
    ("Terwijl hij leiding geeft aan Tesla, bezuinigt hij voor Trump.", True),  # quoted alone, "hij" was anyone
    ("Musk zei dat hij bleef.", False), ("Volgens Musk is hij gebleven.", False),
])
def test_a_pronoun_after_the_opening_word_and_the_verb_leans_back(sentence, leans):
    passages = [_passage(f"Musk begon rechtszaken tegen OpenAI. {sentence}")]
    quoted = [c.text for c in with_context([_sentence(passages, 0, sentence)], passages)]
    assert quoted == (["Musk begon rechtszaken tegen OpenAI.", sentence] if leans else [sentence])


def test_a_question_no_passage_speaks_of_is_declined_despite_common_words(retriever):
    # Its common words ("maak" as in "maken") give it the confidence of an answerable question
    # on the two sample articles; none of them says "erwtensoep".
    question = "Hoe maak je een goede erwtensoep?"
    session = ChatSession(retriever)
    assert session.evidence_for(question, retriever.search(question, k=5)) >= retriever.settings.abstain_threshold
    answer = session.ask(question)
    assert answer.abstained and answer.declined_because == "topic_absent"
    assert not ChatSession(retriever).ask("Hoeveel investeerde Microsoft in 2019 in OpenAI?").abstained


def test_a_topic_word_is_said_by_a_part_of_a_compound_or_a_near_spelling():
    said = {"olie", "exporteur", "gandhi", "kostenbesparingscampagn"}
    assert _says("olieproducent", said)  # a part of the question's compound
    assert _says("campagn", said)  # a part of the text's compound
    assert _says("ghandi", said)  # spelled nearly the same
    assert not _says("erwtensoep", said)
    assert not _says("ol", {"olie"})  # too short to count as a part


def test_asked_the_name_of_a_thing_no_passage_speaks_of_it_declines(retriever):
    # The xAI passage names Musk's company, but says nothing of a chatbot: it cannot name one.
    for question in ["Hoe heet de chatbot van xAI?", "What is the name of the chatbot developed by Musk's company xAI?"]:
        assert ChatSession(retriever).ask(question).abstained, question
    answer = ChatSession(retriever).ask("Hoe heet de startup waarin Microsoft investeerde?")
    assert not answer.abstained and "OpenAI" in answer.text and "in de startup investeerde" in answer.text


def test_a_question_for_a_measure_prefers_the_sentence_with_a_number(retriever):
    answer = ChatSession(retriever).ask("Hoe groot zou het aandeel van de non-profit nog zijn?")
    assert not answer.abstained and "25 procent" in answer.text


def test_the_mark_joins_only_sentences_that_follow_each_other():
    passages = [_passage("Anna Smit liep de marathon. Zij won in 2 uur. Het weer was goed. Het publiek juichte.")]
    text = passages[0].text
    first, second, fourth = (_sentence(passages, 0, s) for s in
                             ("Anna Smit liep de marathon.", "Zij won in 2 uur.", "Het publiek juichte."))
    assert text[slice(*_span([first, second], text))] == "Anna Smit liep de marathon. Zij won in 2 uur."
    assert text[slice(*_span([fourth, first], text))] == "Anna Smit liep de marathon."  # no unquoted text marked


@pytest.mark.parametrize("question", ["Wat is het Stargate-project?", "Wat is het 'Stargate'-project?",
                                      "Wat is het ‘Stargate’-project?", "Wat is het project 'Stargate'?"])
def test_a_name_in_quotation_marks_is_the_name(retriever, question):
    # The quotes once became part of the name, which no article then said: declined.
    answer = ChatSession(retriever).ask(question)
    assert not answer.abstained and "Stargate-project" in answer.text


def test_confidence_weighs_the_dense_margin_by_the_models_scale(retriever, monkeypatch):
    # An e5 model's margins over the corpus average are a fifth of MiniLM's: margin_scale evens them.
    question = "Hoeveel investeerde Microsoft in OpenAI?"
    passages = retriever.search(question, k=5)
    session = ChatSession(retriever)
    before = session.evidence_for(question, passages)
    margin = max(p.dense for p in passages) - retriever.average_similarity(question)
    scale = retriever.settings.margin_scale
    monkeypatch.setattr(retriever, "settings", dataclasses.replace(retriever.settings, margin_scale=scale + 1))
    assert session.evidence_for(question, passages) == pytest.approx(before + margin)
    assert margin > 0


def test_a_figure_of_something_else_does_not_answer_how_much(retriever):
    # The best sentence holds sums Microsoft invested; the one about OpenAI's "omzet" has no figure.
    answer = ChatSession(retriever).ask("Hoeveel omzet maakte OpenAI vorig jaar precies?")
    assert answer.abstained and "miljard" not in answer.text
    invested = ChatSession(retriever).ask("Hoeveel investeerde Microsoft in 2019 in OpenAI?")
    assert not invested.abstained and "$1 miljard" in invested.text


# --- the misses a real archive showed, for the learned answer step --------------------------------

ARCHIVE_ARTICLES = {
    "voetbalclub.txt": "Nieuwe eigenaar voor FC Dorpsveld\n\nFC Dorpsveld is verkocht aan een Belgische investeerder. "
                       "Supporters spanden vorige week een rechtszaak aan tegen de nieuwe eigenaar van de club. "
                       "Het gaat om zakenman Pieter Vandenbroucke uit Gent. Hij betaalde ruim vier miljoen euro "
                       "voor de aandelen.\n",
    "bottelarij.txt": "Bierbrouwer opent bottelarij in Heerhugowaard\n\nBrouwerij De Kroon heeft in Heerhugowaard een "
                      "nieuwe bottelarij geopend die flessen voor heel Noord-Holland moet vullen. De lijn draait "
                      "dag en nacht. Per uur rollen er 42.000 flesjes van de band. Dertig mensen vonden er werk.\n",
    "messen.txt": "Politie vindt messen bij controle in Zaanstad\n\nSinds het messenverbod controleert de "
                  "politie in Zaanstad jongeren op straat. Vorige maand werden 120 jongeren gefouilleerd. Daarbij "
                  "namen agenten 35 messen in beslag.\n",
    "wake.txt": "Minister wil opheldering over wake\n\nIn Groot-Brittannië is kritiek geuit op het politieoptreden "
                "bij een wake voor de vermoorde Sarah Everard. Agenten pakten sommige aanwezigen hard aan omdat ze "
                "zich niet aan de coronaregels hielden. Minister Patel wil opheldering over het harde "
                "politieoptreden bij de wake. Dat schreef ze op Twitter.\n",
    "bendes.txt": "Twee jeugdbendes slaags op kermis\n\nTwee rivaliserende jeugdbendes zijn zaterdagavond met elkaar "
                  "op de vuist gegaan. De vechtpartij vond plaats op de kermis in Oosterhout. De politie hield "
                  "zes jongens aan.\n",
    "bestuur.txt": "Bestuur van Dorpsbelang Veldhoven weg\n\nDorpsbelang Veldhoven zoekt een nieuw bestuur. De "
                   "voorzitter las gisteravond op de ledenvergadering een korte verklaring voor. Het opstappen hangt "
                   "samen met een ruzie over de verkoop van het dorpshuis.\n",
}


def _sample_corpus_with(articles: dict[str, str], name: str, sample_corpus, tmp_path_factory):
    """A learned-step retriever over the sample corpus and these hand-made articles."""
    import qa

    corpus = tmp_path_factory.mktemp(name)
    shutil.copytree(sample_corpus, corpus, dirs_exist_ok=True)
    for file_name, text in articles.items():
        (corpus / file_name).write_text(text, encoding="utf-8")
    index = tmp_path_factory.mktemp(f"{name}-index")
    qa.build_index(corpus, index)
    return qa.Retriever.load(index, qa.Settings(answer_step="learned"))


def _assert_answers(retriever, question: str, expected: str) -> None:
    """The learned step answers the question, and the answer holds the expected string."""
    answer = ChatSession(retriever).ask(question)
    assert not answer.abstained, answer.declined_because
    assert expected in answer.text


def _assert_declines(retriever, question: str, check: str) -> None:
    """The question is declined, by the named check."""
    answer = ChatSession(retriever).ask(question)
    assert answer.abstained and answer.declined_because == check, answer.text


@pytest.fixture(scope="module")
def archive(sample_corpus, tmp_path_factory):
    return _sample_corpus_with(ARCHIVE_ARTICLES, "archive", sample_corpus, tmp_path_factory)


@pytest.mark.parametrize("question, expected", [
    # The sentence that restates the question ("de nieuwe eigenaar") names no one; the next one does.
    pytest.param("Wie is de nieuwe eigenaar van FC Dorpsveld?", "Pieter Vandenbroucke", id="premise then detail"),
    # The sentence sharing most words holds no number; the one with the number shares fewer.
    pytest.param("Hoeveel flessen kan de nieuwe bottelarij van De Kroon vullen?", "42.000",
                 id="figure in a lower-overlap sentence"),
    pytest.param("Waar vond de vechtpartij tussen de twee jeugdbendes plaats?", "Oosterhout", id="the place"),
    pytest.param("Who bought FC Dorpsveld?", "Vandenbroucke", id="English question over Dutch text"),
    # "Brewery" is translated in the article: an English question needs one of its names, not all.
    pytest.param("How many bottles per hour does the Brewery De Kroon fill in Heerhugowaard?", "42.000",
                 id="English question with a translated capitalised word"),
    # Two counts; the one beside the asked-for word answers.
    pytest.param("Hoeveel messen nam de politie in Zaanstad in beslag?", "35 messen", id="the count of the thing asked"),
])
def test_the_sentence_that_answers_is_quoted_not_the_one_that_restates_the_question(archive, question, expected):
    _assert_answers(archive, question, expected)


def test_a_place_or_a_person_the_best_sentence_lacks_is_taken_from_further_on_in_its_passage():
    from qa.answer import ChatSession as Session, _Candidate
    from qa.questions import expected_answer_type

    def candidates(sentences: list[str], scores: list[float], passages: list[int]) -> list[_Candidate]:
        return [_Candidate(p, 0, len(t), t, score=s) for t, s, p in zip(sentences, scores, passages)]

    question = "Waar komen de hanen in de Utrechtse wijk Zuilen vandaan?"
    assert expected_answer_type(question) == "place"
    # The best ranked sentence that gives a new place in the best one's passage, not in another passage.
    best, other, park, elsewhere = candidates(
        ["In de Utrechtse wijk Zuilen veroorzaken hanen overlast.", "Er lopen er zeker 40 rond.",
         "De dieren zijn afkomstig uit het Julianapark.", "Ook in Overvecht lopen hanen rond."], [3, 2, 1, 4], [0, 0, 0, 1])
    assert Session._kind_further_on("place", best, [best, other, park, elsewhere], question) is park
    # Not when the best sentence gives one; not for a figure (only the sentence right after it answers).
    assert Session._kind_further_on("place", park, [best, other, park], question) is None
    assert Session._kind_further_on("number", best, [best, other, park], "Hoeveel hanen lopen er in Zuilen?") is None
    question = "Wie vond het eerste kievitsei van Utrecht?"
    best, other, finder = candidates(["Het eerste kievitsei van Utrecht is gevonden.", "Het ei lag in een weiland.",
                                      "Het ei werd gevonden door boer Otwin Nonnekes."], [3, 2, 1], [0, 0, 0])
    assert Session._kind_further_on("person", best, [best, other, finder], question) is finder


@pytest.mark.parametrize("sentence, named", [
    ("Volgens de rechtbank was de 34-jarige Ergün S. ontoerekeningsvatbaar.", True),  # a name and an initial
    ("Toen Mark Rutte binnenkwam, viel het stil.", True),  # after a capitalised common word
    ("Het kabinet van J.P. Balkenende viel.", True), ("Anne-Marie Jorritsma sprak.", True),
    ("Şahin Yılmaz werd aangehouden.", True),
    ("De Markerwaarddijk tussen Lelystad en Enkhuizen was dicht.", False),  # places, one after "De"
    ("De politie zocht Fred van Leer op.", False),  # the question names him
    ("Anna van Dijk werd aangehouden.", True),  # the question's "van" is not her name
    ("Hij sprak met ćwierć ściana gisteren.", False),  # Latin Extended lower case: no name
    ("Het gaat volgens Omroep Flevoland om een onderzoek.", False),  # an organisation
    ("De rechtbank volgt het advies van het Pieter Baan Centrum.", False),  # a name that runs on into one
    ("Het Pieter Baan Centrum onderzocht Anna de Vries.", True),
])
def test_a_person_is_named_as_news_writes_names(sentence, named):
    from qa.answer import _names_a_person
    from qa.lang import patterns as P

    asked = {"hoe", "heet", "de", "man", "die", "fred", "van", "leer", "overviel"}
    assert _names_a_person(sentence, asked, P.common_words("nl")) is named


@pytest.mark.parametrize("sentence, named", [
    ("Volgens advocaat Robert Snorn is er geen bewijs.", True),
    ("Frank Oranje was advocaat bij Pels Rijcken.", True),  # the name before its role
    ("Dat zegt advocaat Moszkowicz.", True),  # a role and a surname
    ("De advocaat zegt in het AD dat er geen bewijs is.", False),  # a newspaper beside the role, no one
    ("De advocaat wil niet reageren, zegt woordvoerder Anna de Vries van de rechtbank.", False),  # too far off
    ("Volgens advocaat Fred van Leer is er geen bewijs.", False),  # the question names him
    ("Dat zegt advocaat ściana.", False),  # a lower-case word is no surname
    ("Dat zegt letselschadeadvocaat Anna de Vries.", True),  # a compound of the role
    ("Hij nam een advocaat, Moszkowicz, in de arm.", True),  # a surname after a comma
    ("Het onderzoek deed Anna de Vries, een gezaghebbende Amerikaanse advocaat.", True),  # described after a comma
    ("Het onderzoek deed Anna de Vries, een bekende Amerikaanse journaliste, met een advocaat.", False),
])
def test_a_person_is_named_beside_the_role_asked(sentence, named):
    from qa.answer import _names_beside_role
    from qa.lang import patterns as P

    asked = {"hoe", "heet", "de", "advocaat", "van", "fred", "leer"}
    assert _names_beside_role(sentence, "advocaat", asked, P.common_words("nl")) is named


@pytest.mark.parametrize("sentence, role, named", [
    ("Ze beviel van een zoon, Jochi (1185-1226).", "zoon", True),  # a surname after a comma
    ("Aanwezig waren de burgemeester, Rijkswaterstaat en de politie.", "burgemeester", False),  # a list goes on
    ("Het deed Anna de Vries, een gerenommeerde Amsterdamse oud-advocaat.", "advocaat", True),  # a description
    ("Het gaat om Anna de Vries, die gisteren onverwachts haar advocaat belde.", "advocaat", False),  # "die": who
    # A short role is the end of no compound glued to it: "huiswaarts" holds no "arts", "Jezus" no "zus".
    ("Daarna liep Anna de Vries huiswaarts.", "arts", False), ("Een beeld van Jezus Christus.", "zus", False),
    ("Volgens kinder-arts Anna de Vries gaat het goed.", "arts", True),
])
def test_a_role_is_told_from_words_that_only_look_like_it(sentence, role, named):
    from qa.answer import _names_beside_role
    from qa.lang import patterns as P

    assert _names_beside_role(sentence, role, {"hoe", "heet", "de"}, P.common_words("nl")) is named


def test_a_follow_up_is_answered_by_what_it_asks_not_by_the_words_it_borrows(archive):
    # "Via welk kanaal liet ze dat weten?" borrows the last question's words to find the article;
    # they match the sentences already quoted best, which do not say how. Its own words choose.
    chat = ChatSession(archive)
    first = chat.ask("Welke Britse minister wilde opheldering over het harde politieoptreden bij de wake voor "
                     "Sarah Everard?")
    assert "Patel" in first.text and "Twitter" not in first.text
    follow_up = chat.ask("Via welk kanaal liet ze dat weten?")
    assert not follow_up.abstained, follow_up.declined_because
    assert "Twitter" in follow_up.text


@pytest.mark.parametrize("question", [
    "Hoeveel kostte de nieuwe bottelarij van De Kroon?",
    "Hoe heet de advocaat van de supporters van FC Dorpsveld?",
])
def test_an_on_topic_question_the_articles_do_not_answer_is_declined_with_its_reason(archive, question):
    from qa.answer import DECLINE_CHECKS

    answer = ChatSession(archive).ask(question)
    assert answer.abstained and answer.declined_because in DECLINE_CHECKS
    assert answer.to_dict()["declined_because"] == answer.declined_because


def test_a_count_beside_the_word_asked_for_is_bound_and_a_count_of_something_else_is_not(archive):
    session = ChatSession(archive)
    session.trace = []
    session.ask("Hoeveel messen nam de politie in Zaanstad in beslag?")
    bound = {c["text"]: (c["bound"], c["bound_near"]) for c in session.trace[-1]["candidates"]}
    assert bound["Daarbij namen agenten 35 messen in beslag."] == (1.0, 1.0)
    assert bound["Vorige maand werden 120 jongeren gefouilleerd."] == (0.0, 0.0)


def test_a_verb_the_question_splits_is_said_by_a_sentence_that_writes_it_whole(archive):
    # "stapte ... op" and "het opstappen": the sentence shares the verb with the question.
    session = ChatSession(archive)
    session.trace = []
    session.ask("Waarom stapte het bestuur van Dorpsbelang Veldhoven op?")
    coverage = {c["text"]: c["coverage"] for c in session.trace[-1]["candidates"]}
    assert coverage["Het opstappen hangt samen met een ruzie over de verkoop van het dorpshuis."] > 0


def test_the_learned_step_embeds_no_sentence_at_question_time(archive, monkeypatch):
    # The sentence model ranks without sentence vectors (docs/decisions.md): a question costs its
    # search, not an embedding call per candidate sentence.
    def refuse(texts):
        raise AssertionError(f"embedded {len(texts)} sentences")

    monkeypatch.setattr(archive.embedder, "encode_sentences", refuse)
    answer = ChatSession(archive).ask("Wie is de nieuwe eigenaar van FC Dorpsveld?")
    assert "Vandenbroucke" in answer.text


def test_answer_characters_bounds_the_sentences_added_beyond_the_best(archive):
    import qa

    question = "Hoeveel messen nam de politie in Zaanstad in beslag?"
    short = qa.Retriever.load(archive.index_dir, qa.Settings(answer_step="learned", answer_characters=0,
                                                        second_sentence_odds=0.0))
    roomy = qa.Retriever.load(archive.index_dir, qa.Settings(answer_step="learned", answer_characters=10_000,
                                                        second_sentence_odds=0.0))
    one, more = ChatSession(short).ask(question), ChatSession(roomy).ask(question)
    # Citations mark the sentences: the best (and a sentence it leans back on) against up to three.
    assert "35 messen" in one.text and "35 messen" in more.text
    assert one.text.count(" [") < more.text.count(" [")


@pytest.mark.parametrize("question", [
    "Welke tak van de theoretische computerwetenschap houdt zich bezig met het classificeren van rekenproblemen?",
    "Hoe kunnen functieproblemen typisch worden geherformuleerd?",
])
def test_the_learned_step_declines_a_question_its_passages_are_barely_closer_to_than_the_corpus(retriever, question):
    # Two articles about OpenAI: the passages share a word ("tak", "probleem") and the answer model,
    # fitted mostly on on-topic questions, would quote one; the evidence gate (evidence_for) declines first.
    import qa

    learned = qa.Retriever.load(retriever.index_dir, qa.Settings(answer_step="learned"))
    ungated = qa.Retriever.load(retriever.index_dir, qa.Settings(answer_step="learned", abstain_threshold=-10.0))
    assert ChatSession(learned).ask(question).declined_because == "weak_evidence"
    assert not ChatSession(ungated).ask(question).abstained
    # The rules step's gate is the same check, under the same name.
    rules = qa.Retriever.load(retriever.index_dir, qa.Settings(answer_step="rules"))
    assert ChatSession(rules).ask(question).declined_because == "weak_evidence"


def test_an_answer_the_answer_model_finds_unlikely_is_marked_unsure(retriever):
    # Answers below unsure_below hold the answer about half as often (news-nl training set): the
    # reader is told, and the answer is the same.
    import qa

    question = "Hoeveel is de commerciële tak van OpenAI waard?"
    confident = ChatSession(qa.Retriever.load(retriever.index_dir, qa.Settings(unsure_below=0.0))).ask(question)
    doubtful = qa.Retriever.load(retriever.index_dir, qa.Settings(unsure_below=1.0))
    marked = ChatSession(doubtful).ask(question)
    assert not confident.unsure and marked.unsure and not marked.abstained
    assert marked.text == confident.text and "260 miljard dollar" in marked.text
    assert marked.to_markdown().startswith("_Niet zeker:") and "Niet zeker" not in confident.to_markdown()
    assert marked.to_dict()["unsure"] is True
    assert ChatSession(doubtful).ask("How much is OpenAI's commercial arm valued at?").notes() == \
        ["Not sure: the articles may not answer this."]
    # A decline is not an answer to be unsure of; the rules step's confidence is on another scale.
    assert not ChatSession(doubtful).ask("Welk aandeel krijgt Microsoft?").unsure
    rules = qa.Retriever.load(retriever.index_dir, qa.Settings(answer_step="rules", unsure_below=1.0))
    assert not ChatSession(rules).ask(question).unsure


def test_a_follow_up_is_not_declined_for_what_its_borrowed_words_match(archive):
    # "Wanneer maakten ze die bekend?" borrows the last turn's words and restates it best with
    # "... zijn nog niet bekendgemaakt"; the sentence the model ranks best says the day.
    session = ChatSession(archive)
    session.ask("Wat voor overeenkomst kondigden Microsoft en OpenAI aan?")
    answer = session.ask("Wanneer maakten ze die bekend?")
    assert not answer.abstained, answer.declined_because
    assert "donderdag" in answer.text


def test_an_english_question_needs_the_names_the_articles_write_as_it_does(archive):
    # In no article: "Anthropic", no common English word, and "Apple", as common in Dutch as in
    # English: names the articles lack (before, "X-CEO-Musk" was quoted for both).
    for question in ("Who is the CEO of Anthropic?", "Who is the CEO of Apple?"):
        assert ChatSession(archive).ask(question).declined_because == "names_absent", question
    # "Dutch" is translated ("Nederlandse"): no name to require.
    answer = ChatSession(archive).ask("How many bottles per hour does the Dutch brewery De Kroon fill in Heerhugowaard?")
    assert "42.000" in answer.text, answer.declined_because
    # "Brewery" is in no article but a common English word: translated ("Brouwerij"), not required.
    answer = ChatSession(archive).ask("How many bottles per hour does the Brewery De Kroon fill?")
    assert not answer.abstained and "42.000" in answer.text


PEOPLE_ADJECTIVE_ARTICLES = {
    "volkel.txt": "Debat over kernwapens op vliegbasis Volkel\n\nIn de Tweede Kamer is opnieuw gedebatteerd over de "
                  "Amerikaanse kernwapens op vliegbasis Volkel. Het kabinet bevestigt of ontkent hun aanwezigheid "
                  "nooit. Omwonenden van de vliegbasis willen duidelijkheid.\n",
    "airline.txt": "American Airlines schrapt vluchten\n\nAmerican Airlines schrapt deze winter 1200 vluchten "
                   "vanwege het lage aantal reizigers. Het bedrijf had 300 toestellen aan de grond staan.\n",
}


def test_a_people_adjective_alone_does_not_let_an_article_answer_an_english_question(sample_corpus, tmp_path_factory):
    # "American" is written by the airline's article, "Volkel" by the base's: the airline's
    # figures do not answer how many warheads lie at Volkel, and the base's article gives none.
    retriever = _sample_corpus_with(PEOPLE_ADJECTIVE_ARTICLES, "people-adjective", sample_corpus, tmp_path_factory)
    answer = ChatSession(retriever).ask("How many American nuclear warheads are stored at the Volkel air base?")
    assert answer.abstained, answer.text
    # When the adjective is the only name the articles write, it still lets them answer.
    _assert_answers(retriever, "How many American flights are cancelled this winter?", "1200")


COURT_ARTICLES = {
    "rechtszaak.txt": "Vrijspraak geëist voor oud-bestuurder Zuidwest\n\nIn de zaak tegen de oud-bestuurder van "
                      "woningcorporatie Zuidwest heeft de verdediging vrijspraak geëist. De rechter hoorde gisteren "
                      "de laatste getuigen. Volgens advocaat Janbart Kalk is er geen enkel bewijs voor fraude. De "
                      "uitspraak volgt over twee weken.\n",
    "bioscoop.txt": "Tbs voor dubbele doodslag in bioscoop\n\nDe rechtbank heeft de man die vorig jaar een echtpaar "
                    "doodstak in een bioscoop in Groningen tbs met dwangverpleging opgelegd. Volgens de rechtbank was "
                    "de 34-jarige Ergün S. volledig ontoerekeningsvatbaar. Het echtpaar zat een rij voor hem.\n",
    "pont.txt": "Veerpont en binnenvaartschip botsen op het IJ\n\nOp het IJ in Amsterdam zijn een veerpont en een "
                "binnenvaartschip met elkaar in aanvaring gekomen. De pont voer van Amsterdam-Noord naar het Centraal "
                "Station met 40 passagiers aan boord. Het ongeluk gebeurde rond 19.00 uur. Niemand raakte gewond.\n",
    "dijk.txt": "Vrouw komt om bij ongeluk op Markerwaarddijk\n\nEen 43-jarige vrouw uit Lelystad is gisteravond "
                "omgekomen bij een ongeluk op de Markerwaarddijk. De dijk tussen Lelystad en Enkhuizen was urenlang "
                "afgesloten. De politie onderzoekt hoe het ongeluk kon gebeuren, meldt Omroep Flevoland.\n",
    "overval.txt": "Presentator Gordon overvallen\n\nPresentator Gordon is afgelopen weekend overvallen in zijn huis in "
                   "Amsterdam-Zuid. De overvallers bonden hem vast en namen zijn pinpas en sieraden mee. De politie "
                   "zoekt getuigen. De 52-jarige zanger zegt in een krant dat hij kapot is van de overval.\n",
    "museum.txt": "Museum Belvédère in Heerenveen sluit\n\nMuseum Belvédère in Heerenveen sluit per 1 juni de deuren. "
                  "Dat meldt de directeur in het AD. De gemeente stopt de subsidie. Wethouder Jan de Boer betreurt "
                  "het besluit.\n",
    "chatbot.txt": "Zwolle krijgt een digitale assistent\n\nDe gemeente Zwolle zet vanaf maandag een chatbot in om vragen "
                   "van inwoners te beantwoorden. De chatbot heet 'Gemma' en kan ook afspraken maken. Volgens de "
                   "gemeente scheelt dat veel telefoontjes.\n",
}


@pytest.fixture(scope="module")
def courts(sample_corpus, tmp_path_factory):
    return _sample_corpus_with(COURT_ARTICLES, "courts", sample_corpus, tmp_path_factory)


@pytest.mark.parametrize("question, expected", [
    # News writes a name beside its role: "advocaat Janbart Kalk".
    ("Hoe heet de advocaat van de oud-bestuurder van woningcorporatie Zuidwest?", "Janbart Kalk"),
    # A man or a woman is named after an age or a role, not beside "man": not declined for that.
    ("Hoe heet de man die tbs kreeg voor het doodsteken van een echtpaar in de bioscoop?", "Ergün S."),
    ("Hoe oud is de man die tbs kreeg voor het doodsteken van een echtpaar in de bioscoop?", "34-jarige"),
    # A name in quotes is a name.
    ("Hoe heet de chatbot van de gemeente Zwolle?", "Gemma"),
    # A role and the name beside it, in another sentence than the one that restates the question.
    ("Hoe heet de wethouder die het sluiten van Museum Belvédère in Heerenveen betreurt?", "Jan de Boer"),
    # A time of day, not the count of passengers in the sentence that shares more words.
    ("Hoe laat kwamen de veerpont en het binnenvaartschip op het IJ met elkaar in aanvaring?", "19.00 uur"),
])
def test_asked_a_name_an_age_or_a_time_the_sentence_that_gives_it_answers(courts, question, expected):
    _assert_answers(courts, question, expected)


@pytest.mark.parametrize("question, check", [
    # The judge is spoken of, but no sentence names one.
    ("Hoe heet de rechter in de zaak tegen de oud-bestuurder van woningcorporatie Zuidwest?", "no_name"),
    # A woman is named after an age or a role, but this article names no one at all ("Omroep Flevoland" is no one).
    ("Hoe heet de vrouw die omkwam bij het ongeluk op de Markerwaarddijk?", "no_name"),
    # The director is spoken of, and someone else is named: no name beside "directeur" ("in het AD" is none).
    ("Hoe heet de directeur van Museum Belvédère in Heerenveen?", "no_name"),
    # Two weeks are no age.
    ("Hoe oud is de oud-bestuurder van woningcorporatie Zuidwest?", "no_figure"),
])
def test_asked_a_name_or_an_age_the_articles_never_give_it_is_declined(courts, question, check):
    _assert_declines(courts, question, check)


def test_a_follow_up_asking_only_an_age_asks_it_of_the_article_just_quoted(courts):
    # "Hoe oud is hij?" borrows the robbery's words, which the sentences without an age say best;
    # the age is in a sentence of its own further on ("De 52-jarige zanger ...").
    chat = ChatSession(courts)
    assert "Gordon" in chat.ask("Welke presentator werd in zijn huis in Amsterdam-Zuid overvallen?").text
    answer = chat.ask("Hoe oud is hij?")
    assert not answer.abstained, answer.declined_because
    assert "52-jarige" in answer.text
    # Not after a declined turn: its passages are only possibly related.
    chat = ChatSession(courts)
    assert chat.ask("Hoeveel sieraden namen de overvallers van presentator Gordon mee?").abstained
    assert chat.ask("Hoe oud is hij?").declined_because == "no_figure"


MEASURE_ARTICLES = {
    "asml.txt": "ASML sluit miljardencontract met SK Hynix\n\nDe komende vijf jaar gaat ASML EUV-machines leveren aan de "
                "Zuid-Koreaanse chipmaker SK Hynix, voor een totaal bedrag van 3,6 miljard euro. Het contract werd "
                "gisteren in Seoul getekend. SK Hynix wil met de machines geheugenchips maken.\n",
    "letterzetter.txt": "Letterzetter tast bossen Sallandse Heuvelrug aan\n\nDe letterzetter heeft de sparrenbossen op de "
                        "Sallandse Heuvelrug zwaar aangetast. Staatsbosbeheer kapt eerst de bomen die minder dan 20 meter "
                        "van een wandelpad staan. In totaal gaat het om 35 hectare bos. De kever gedijt goed in droge "
                        "zomers.\n",
    "hanen.txt": "Wethouder wil af van hanenoverlast in Zuilen\n\nBewoners van de Utrechtse wijk Zuilen klagen al jaren "
                 "over kraaiende hanen in de volkstuinen. Wethouder Lot van Hooijdonk wil dat de gemeente ingrijpt. Ze "
                 "werkt aan een plan van aanpak. Dat plan moet eind maart op tafel liggen. De volkstuinders zijn boos "
                 "over de hanenoverlast.\n",
}


@pytest.fixture(scope="module")
def measures(sample_corpus, tmp_path_factory):
    return _sample_corpus_with(MEASURE_ARTICLES, "measures", sample_corpus, tmp_path_factory)


@pytest.mark.parametrize("question, expected", [
    # The sum is in the sentence that restates the question; a sum is asked.
    ("Hoeveel kostte het contract van ASML met SK Hynix voor de levering van EUV-machines?", "3,6 miljard euro"),
    # An area is asked: not the 20 metres of the sentence about the trees that go first.
    ("Hoeveel hectare sparrenbos op de Sallandse Heuvelrug is door de letterzetter aangetast?", "35 hectare"),
    # A date in a short sentence of its own, after the one that names the plan: not another's date.
    ("Wanneer moet het plan van aanpak van wethouder Van Hooijdonk tegen de hanenoverlast klaar zijn?", "eind maart"),
])
def test_the_figure_asked_answers_in_the_measure_asked_or_a_short_sentence(measures, question, expected):
    _assert_answers(measures, question, expected)


def test_asked_a_count_a_sum_is_no_answer(measures):
    # The sentence that speaks of the machines gives what they cost, not how many there are.
    _assert_declines(measures, "Hoeveel EUV-machines levert ASML de komende vijf jaar aan SK Hynix?", "other_measure")


def test_a_sentence_that_repeats_a_quoted_one_is_not_quoted_again(archive):
    # An archive tells a story in several articles: the second telling adds nothing to the answer.
    # Another figure is another fact, however alike the sentences.
    def candidate(passage_index: int, text: str, score: float) -> _Candidate:
        return _Candidate(passage_index, 0, len(text), text, score=score, words=set(archive.tokenize([text])[0]))

    best = candidate(0, "Het distributiecentrum van Bol.com is van Ingram Micro.", 3.0)
    again = candidate(1, "Het distributiecentrum van Bol.com wordt uitgebaat door Ingram Micro.", 2.9)
    first_day = candidate(2, "De EMA is op 13 februari begonnen aan een rolling review.", 2.8)
    other_day = candidate(3, "De EMA is op 3 februari begonnen aan een rolling review.", 2.7)
    chosen = ChatSession(archive, max_sentences=4)._choose([best, again, first_day, other_day], best)
    assert [c.text for c in chosen] == [best.text, first_day.text, other_day.text]
