"""What the browser tests of every app do alike: log in and out as a person would, and check that
a page fits the 360 px phone the `page` fixture emulates."""

import re

from playwright.sync_api import Page, expect

from sikim.accounts.models import User
from sikim.accounts.tests.factories import TEST_PASSWORD


def log_in(page: Page, user: User) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label("Email atau nomor HP").fill(user.email)
    page.get_by_label("Kata sandi").fill(TEST_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Masuk").click()
    # Wait for the page after the login: a goto while the form is still posting would cancel it.
    expect(page).not_to_have_url(re.compile("/akun/masuk/"))
    expect(page.get_by_role("banner").get_by_role("button", name="Keluar")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Masuk")).to_be_visible()


def fits_the_phone(page: Page) -> bool:
    """Mobile first: the page never scrolls sideways at 360 px (a wide table scrolls in its own box).

    Check first that the page under test shows something of its own: right after a click the old
    page may still be there. Waiting for the load covers a new page whose document is not built yet.
    """
    page.wait_for_load_state()
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))
