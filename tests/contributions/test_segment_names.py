"""A segment has one name across the app: the quote page offered "BPU (pekerja informal)" where the register form
says "BPU (bukan penerima upah)" — an operator could take them for two different segments."""

from django.utils import translation

from jamsosdesa.contributions.forms import QuoteForm
from jamsosdesa.participants.forms import ParticipantForm
from jamsosdesa.participants.models import Segment


def test_the_quote_page_names_segments_as_the_register_form_does():
    for language in ("id", "en"):
        with translation.override(language):
            quote = {value: str(label) for value, label in QuoteForm().fields["segment"].choices}
            register = {value: str(label) for value, label in Segment.choices}
            assert quote == register
            assert quote["BPU"] == str(Segment.BPU.label)
    assert "segment" in ParticipantForm.base_fields
