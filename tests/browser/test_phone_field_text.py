"""On a 360-px phone every choice of a dropdown and every placeholder fits its field: a cut-off choice ("BPU — bukan
penerima upah (pekerja inf") leaves the operator guessing what it says, since a phone shows a closed select's text
only. Measured with the field's own font against the room inside its padding (a select's arrow sits there)."""

import pytest

from jamsosdesa.core.roles import Role
from tests.browser.conftest import log_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser

# Every option of every visible select (any can be chosen, then it is what the field shows) and every placeholder
# that is wider than the room the field has for text.
TOO_LONG = """() => {
  const canvas = document.createElement('canvas').getContext('2d');
  const out = [];
  for (const el of document.querySelectorAll('main select:not([multiple]):not([size]), main input[placeholder]')) {
    if (!el.checkVisibility()) { continue; }
    const style = getComputedStyle(el);
    canvas.font = style.font;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const texts = el.tagName === 'SELECT' ? [...el.options].map((o) => o.text) : [el.placeholder];
    for (const text of texts) {
      const need = Math.ceil(canvas.measureText(text).width);
      if (need > room) { out.push(`#${el.id} "${text}" needs ${need}px, has ${Math.floor(room)}px`); }
    }
  }
  return out;
}"""


@pytest.mark.parametrize("path", ["/iuran/simulasi/", "/skema/baru/"])
def test_every_choice_and_placeholder_fits_its_field_on_a_phone(page, path):
    make_user("pemkab_hp", Role.DISTRICT_OFFICIAL, ["33.11"])
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, "pemkab_hp")
    page.goto(page.base_url + path)
    page.wait_for_load_state()
    assert page.locator("main select").count() > 0  # the page has its dropdowns
    assert page.evaluate(TOO_LONG) == [], page.evaluate(TOO_LONG)

