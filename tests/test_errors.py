"""The one way errors reach a user: a line on stderr and an exit status, never a traceback."""

import pytest

from qa.errors import EXPECTED_ERRORS, Exit, IndexLoadError, QAError, reported


@pytest.mark.parametrize("error", [IndexLoadError("no index in x: run `qa build` first"), ValueError("bad value"),
                                   OSError("port 7860 is in use")])
def test_an_expected_error_is_one_line_and_status_2(error, capsys):
    with pytest.raises(Exit) as stop:
        with reported():
            raise error
    assert stop.value.status == 2
    assert capsys.readouterr().err == f"qa: error: {error}\n"


def test_an_interrupt_is_status_130(capsys):
    with pytest.raises(Exit) as stop:
        with reported("qa serve"):
            raise KeyboardInterrupt
    assert stop.value.status == 130 and capsys.readouterr().err == "qa serve: interrupted\n"


def test_a_bug_is_not_hidden_as_a_user_error():
    with pytest.raises(ZeroDivisionError):
        with reported():
            1 / 0


def test_every_qa_error_is_expected():
    import qa

    for name in ("CorpusError", "ModelError", "IndexLoadError", "EmptyCorpusError", "BuildLockedError"):
        assert issubclass(getattr(qa, name), QAError) and issubclass(getattr(qa, name), EXPECTED_ERRORS)
