"""The admin as the national admin uses it, on a phone, under the Content-Security-Policy: its own scripts (the
region search, the calendar, the two-list permission chooser) work, nothing is blocked (the `page` fixture fails on
any refusal), and it calls itself jamsosdesa's."""

import pytest

from jamsosdesa.core.roles import Role
from tests.browser.conftest import log_in
from tests.conftest import DESA_A, make_user

pytestmark = pytest.mark.browser


def test_the_national_admin_gives_an_officer_a_desa_in_the_admin(page):
    admin = make_user("admin_pusat", Role.NATIONAL_ADMIN)
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    officer = make_user("petugas_baru", Role.BRANCH_OFFICER, ["33.11"])
    log_in(page, "admin_pusat")

    page.goto(page.base_url + "/admin/")
    assert page.title().endswith("Admin jamsosdesa") and page.is_visible("text=Administrasi jamsosdesa")
    page.goto(page.base_url + f"/admin/accounts/user/{officer.pk}/change/")
    page.click(".field-regions .select2-selection")  # the region search asks the server as one types
    page.fill(".select2-search__field", "krajan")
    page.click(f".select2-results__option >> text={DESA_A}")
    page.click("#calendarlink1")  # the calendar next to a date (the date joined: the officer never logged in)
    page.click("#calendarbox1 >> text=15")
    assert page.input_value("#id_date_joined_0").startswith("15-")
    page.select_option("#id_user_permissions_from", index=0)  # the two-list chooser moves a permission
    page.click("#id_user_permissions_add")
    assert page.eval_on_selector("#id_user_permissions_to", "s => s.options.length") == 1
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    officer.refresh_from_db()
    assert sorted(officer.regions.values_list("code", flat=True)) == ["33.11", DESA_A]
    assert officer.user_permissions.count() == 1 and officer.date_joined.astimezone().day == 15
