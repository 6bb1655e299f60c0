"""Every message the code can show has its Bahasa Indonesia wording, and renders in both languages.

The message ids are found by reading the source (``tests/message_ids.py``): every refusal the
domain can raise, every field or action named in one, and the command line's own lines. A
refusal added later without its Indonesian wording fails here.
"""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest
from message_ids import message_ids, non_literal_refusals

from apps import messages
from apps.messages.compile import compiled
from domain.errors import InvalidInputError, NotFoundError
from domain.rules import required_text

IDS = message_ids()
# Words that are the same in both languages (domain terms kept in Indonesian, codes).
SAME_IN_BOTH = {"OPD", "Program"}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def sample_params(text: str) -> dict[str, object]:
    return {name: f"<{name}>" for name in placeholders(text)}


def test_the_walk_finds_the_refusals_of_the_domain_and_the_command_line() -> None:
    texts = {m.text for m in IDS}
    assert "{what} '{key}' is not registered." in texts  # application.py
    assert "{what} must not be empty." in texts  # rules.py
    assert "Activity name" in texts  # a worded parameter
    assert "OPD {code} registered." in texts  # the CLI's result line
    assert len(texts) > 150


def test_every_refusal_code_is_a_literal_the_walk_can_find() -> None:
    assert non_literal_refusals() == []


@pytest.mark.parametrize("message", IDS, ids=lambda m: m.text[:60])
def test_every_message_has_its_indonesian_wording_with_the_same_placeholders(
    message: object,
) -> None:
    text = message.text  # type: ignore[attr-defined]
    indonesian = messages.catalogue("id").get(text)
    assert indonesian, f"no Indonesian wording for {text!r} ({message.where})"  # type: ignore[attr-defined]
    assert placeholders(indonesian) == placeholders(text)
    params = sample_params(text)
    rendered_id = messages.render(text, "id", **params)
    rendered_en = messages.render(text, "en", **params)
    assert rendered_en == text.format(**params)
    assert "{" not in rendered_id.replace("{{", "")
    if text not in SAME_IN_BOTH:
        assert rendered_id != rendered_en


def test_a_refusal_renders_in_indonesian_by_default_and_in_english_on_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MONEV_LANG", raising=False)
    with pytest.raises(InvalidInputError) as caught:
        required_text("\u00a0", "OPD name")
    error = caught.value
    assert messages.render(error) == "Nama OPD tidak boleh kosong."
    assert messages.render(error, "en") == "OPD name must not be empty."
    monkeypatch.setenv("MONEV_LANG", "en")
    assert messages.render(error) == "OPD name must not be empty."


def test_numbers_are_written_the_languages_way() -> None:
    error = InvalidInputError(
        "A pagu of Rp {pagu} for {code} is below the Rp {spent} already realised.",
        pagu=15_000_000,
        code="A-01",
        spent=99_999_999_999,
    )
    assert messages.render(error, "id") == (
        "Pagu Rp 15.000.000 untuk A-01 lebih kecil daripada realisasi yang sudah tercatat, "
        "Rp 99.999.999.999."
    )
    assert messages.render(error, "en") == (
        "A pagu of Rp 15,000,000 for A-01 is below the Rp 99,999,999,999 already realised."
    )
    missing = NotFoundError("{what} '{key}' is not registered.", what="Activity", key="A-9")
    assert messages.render(missing, "id") == "Kegiatan 'A-9' belum terdaftar."


def test_the_catalogue_is_read_from_the_package() -> None:
    po = Path(messages.__file__).parent / "locale" / "id" / "LC_MESSAGES" / "monev.po"
    assert po.is_file()
    assert len(messages.catalogue("id")) >= len(IDS)


def test_the_compiled_catalogue_is_compiled_from_the_po_beside_it() -> None:
    po = Path(messages.__file__).parent / "locale" / "id" / "LC_MESSAGES" / "monev.po"
    mo = po.with_suffix(".mo")
    assert mo.is_file() and mo.read_bytes() == compiled(po.read_bytes(), "id_ID"), (
        "monev.mo is not compiled from monev.po: run `python -m apps.messages.compile`"
    )
    lookup = messages.compiled_catalogue("id")
    assert lookup is not None
    wording = messages.catalogue("id")
    assert {text: lookup(text) for text in wording} == wording
    assert lookup("a message nobody translated") == "a message nobody translated"


def test_a_compiled_catalogue_of_another_po_is_not_used() -> None:
    """A .po edited or merged without compiling is read as it is, never an older wording."""
    po = (Path(messages.__file__).parent / "locale/id/LC_MESSAGES/monev.po").read_bytes()
    mo = compiled(po, "id_ID")
    assert messages.compiled_lookup(po, mo) is not None
    edited = po.replace(b'msgstr "Nama OPD"', b'msgstr "Nama perangkat daerah"')
    assert edited != po
    assert messages.compiled_lookup(edited, mo) is None
    assert messages.compiled_lookup(edited, compiled(edited, "id_ID")) is not None


def test_a_command_result_is_worded_without_loading_babel() -> None:
    code = (
        "import sys\n"
        "from apps import messages\n"
        "print(messages.render('Evaluation of {activity} for {quarter} recorded.', 'id',"
        " activity='A-01', quarter='Triwulan I 2018'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'babel'))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.splitlines() == ["Evaluasi A-01 untuk Triwulan I 2018 tercatat.", "[]"]


def test_huge_and_non_finite_numbers_are_quoted_back_short() -> None:
    assert messages.number(1e308, "id") == "1e+308"
    assert messages.number(float("inf"), "en") == "inf"
    assert messages.number(1.5e20, "id") == "1,5e+20"
    assert messages.number(2017, "id") == "2017"  # years stay ungrouped
    assert messages.number(60.5, "id") == "60,5"
