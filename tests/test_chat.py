"""The chat's memory: follow-up questions resolved against the previous turn."""

from qa.answer import Answer, Source
from qa.chat import Turn, resolve_followup
from qa.retrieval import Passage


def test_self_contained_question_is_not_rewritten():
    previous = Turn("Hoeveel investeerde Microsoft in 2019 in OpenAI?", "Hoeveel investeerde Microsoft in 2019 in OpenAI?",
                    Answer("", "", "…", abstained=True))
    question = "Welke procureurs-generaal moeten de herstructurering van OpenAI goedkeuren?"
    assert resolve_followup(question, [previous]) == question
    assert resolve_followup("Wie schreef die memo?", []) == "Wie schreef die memo?"


def test_only_the_last_turn_is_used_so_a_new_subject_is_clean():
    old = Turn("Wat bood Musk?", "Wat bood Musk?", Answer("", "", "x", abstained=True))
    last = Turn("Wat zegt de memo van Bret Taylor?", "Wat zegt de memo van Bret Taylor?", Answer("", "", "x", abstained=True))
    resolved = resolve_followup("Waarom?", [old, last])
    assert "Taylor" in resolved and "Musk" not in resolved


def test_a_question_with_its_own_subject_is_not_treated_as_a_follow_up():
    previous = Turn("Hoeveel investeerde Microsoft in 2019?", "Hoeveel investeerde Microsoft in 2019?",
                    Answer("", "", "x", abstained=True))
    question = "Is het waar dat Elon Musk een bod deed op OpenAI?"
    assert resolve_followup(question, [previous]) == question
    assert "Microsoft" in resolve_followup("Wie schreef die memo?", [previous])


def test_a_short_question_about_something_new_is_not_a_follow_up():
    # "Wat is xAI?" after a turn on Microsoft's investment borrowed "investeerde Microsoft 2019
    # ..." and was declined; asked alone it is answered.
    amount = Turn("Hoeveel investeerde Microsoft in 2019?", "Hoeveel investeerde Microsoft in 2019?",
                  Answer("", "", "Microsoft investeerde in 2019 ongeveer $1 miljard in OpenAI. [1]"))
    for question in ("Wat is xAI?", "Wie is Bret Taylor?"):
        assert resolve_followup(question, [amount]) == question
    # A name the last turn spoke of, a lead-in or a pointer back still make a follow-up.
    # So does an abbreviation, mostly a role the last turn implies ("de CEO" of the company asked about).
    for question in ("Wie is OpenAI?", "En Google?", "Wie schreef die memo?", "What about Google?", "Wat zei de CEO?"):
        assert resolve_followup(question, [amount]) != question


def test_a_follow_up_asking_for_a_new_date_does_not_borrow_the_old_one():
    previous = Turn("Wanneer begon OpenAI?", "Wanneer begon OpenAI?",
                    Answer("", "", "Volgens het stuk begon OpenAI in 2015 als idealistische poging. [1]"))
    resolved = resolve_followup("En wanneer vertrok Musk?", [previous])
    assert "OpenAI" in resolved and "2015" not in resolved
    amount = Turn("Hoeveel investeerde Microsoft?", "Hoeveel investeerde Microsoft?",
                  Answer("", "", "Microsoft investeerde in 2019 ongeveer $1 miljard in OpenAI. [1]"))
    assert "$1" in resolve_followup("Waarom?", [amount])  # a "why" follow-up keeps the amount it is about
    # One that names its own subject does not borrow them: they pulled it back to the old passage.
    for question in ("En is het aandeel van Microsoft al bekend?", "Wie schreef die memo?"):
        own_subject = resolve_followup(question, [amount])
        assert "Microsoft" in own_subject and "$1" not in own_subject and "2019" not in own_subject


def test_a_follow_up_borrows_the_last_question_whole_not_up_to_its_own_parenthesis():
    first = Turn("Wat zei Rutte (VVD) over de formatie?", "Wat zei Rutte (VVD) over de formatie?",
                 Answer("", "", "x", abstained=True))
    second = resolve_followup("En Kaag?", [first])
    assert "formatie" in second and second.startswith("En Kaag? (")
    # What the last turn borrowed itself is not borrowed again: only its own words.
    third = resolve_followup("Waarom?", [Turn("En Kaag?", second, Answer("", "", "x", abstained=True))])
    assert "Kaag" in third and "formatie" not in third


def test_a_name_opening_the_previous_answer_is_what_a_pronoun_points_at():
    source = Source(1, Passage("Elon Musk was destijds een van de financiers. Musk vertrok later.", 1.0,
                               "a", "t", "", "s", "p", 0, 64))
    previous = Turn("Met wie werkte Altman samen?", "Met wie werkte Altman samen?",
                    Answer("", "", "Musk was destijds een van de financiers. [1]", [source]))
    assert "Musk" in resolve_followup("Waarom vertrok hij?", [previous])
    # An ordinary word that opens a sentence is not borrowed.
    assert "Volgens" not in resolve_followup("Waarom vertrok hij?", [Turn("x", "x", Answer(
        "", "", "Volgens Musk is dit scheef. [1]", [source]))])


def test_a_pronoun_or_a_pronominal_adverb_makes_a_follow_up():
    # "hen", "erbij", "daarna": they point at the last turn, whose words the question then borrows.
    previous = Turn("Naar welk kamp werden de Geuzen in april 1941 overgebracht?",
                    "Naar welk kamp werden de Geuzen in april 1941 overgebracht?", Answer("", "", "x", abstained=True))
    for question in ("Hoeveel van hen keerden niet terug?", "Hoeveel bewakers waren erbij?", "Wat gebeurde daarna?"):
        assert "Geuzen" in resolve_followup(question, [previous]), question


def test_a_longer_question_pointing_back_is_a_follow_up_unless_it_names_a_new_subject():
    president = Turn("Wie werd de eerste vrouwelijke president van Slowakije?",
                     "Wie werd de eerste vrouwelijke president van Slowakije?",
                     Answer("", "", "Zuzana Caputova werd de eerste vrouwelijke president van Slowakije. [1]"))
    follow_up = "Bij welke stad voerde zij jarenlang verzet tegen een illegale vuilnisbelt?"
    assert "Caputova" in resolve_followup(follow_up, [president])
    # "die" opens a relative clause here, in a question about a subject of its own.
    new = "Welke partij won de verkiezingen die Rutte in maart uitschreef?"
    assert resolve_followup(new, [president]) == new


def test_dat_or_dit_before_a_noun_points_back_but_not_as_a_conjunction():
    from qa.lang import patterns as P

    terrain = Turn("In welk jaar besloot Defensie dat het Marineterrein in Amsterdam afgestoten kon worden?",
                   "In welk jaar besloot Defensie dat het Marineterrein in Amsterdam afgestoten kon worden?",
                   Answer("", "", "In 2013 besloot Defensie dat het Marineterrein kon worden afgestoten. [1]"))
    assert "Marineterrein" in resolve_followup("Welke wethouder gaat namens de stad over dat dossier?", [terrain])
    pointing = P.points_back("nl")
    assert pointing.search("Wie leidt dit onderzoek?")
    assert not pointing.search("Klopt het dat de minister stopt?")
    assert not pointing.search("Is het waar dat Elon Musk een bod deed?")
