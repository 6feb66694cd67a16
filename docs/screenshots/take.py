"""Screenshots of the pages people use most, in Chinese and English, from the demo data.

    make run                                   # or: manage.py migrate && load_demo && serve 127.0.0.1:8000
    .venv/bin/python docs/screenshots/take.py  # [--base http://127.0.0.1:8000] [--chromium /usr/bin/chromium]

Saves docs/screenshots/<page>-<language>.png (1366 px wide; the clock page also at 390 px): call intake, a
complaint, a work queue (my complaints) and the clock (my attendance). Not part of `make test`: it reads a
running server with the demo logins (password "demo"); re-run it after a change to these pages."""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).parent
# language -> (file suffix, the browser's own locale: date pickers and file buttons speak it)
LANGUAGES = {"zh-hans": ("zh", "zh-CN"), "en": ("en", "en-US")}
# (file name, demo login, path or callable(page) -> path, viewport width)
PAGES = [
    ("intake", "agent", "/calls/new/", 1366),
    ("complaint", "supervisor", lambda page, base: first_link(page, base, "/complaints/", "#complaint-list a[href^='/complaints/'], table a[href^='/complaints/']"), 1366),
    ("queue", "agent", "/complaints/mine/", 1366),
    ("clock", "agent", "/staff/attendance/my/", 1366),
    ("clock-phone", "agent", "/staff/attendance/my/", 390),
]


def first_link(page, base, listing, selector):
    page.goto(base + listing)
    href = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))"
                                               ".filter(h => /^\\/complaints\\/\\d+\\/$/.test(h))")
    return href[0]


def login(page, base, username, language):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("#login-button")
    page.wait_for_selector("#nav-user", state="attached")
    if page.evaluate("document.documentElement.lang") != language:
        if not page.is_visible("#nav-language"):
            page.click(".navbar-toggler")
        page.select_option("#nav-language", language)
        page.wait_for_function(f"document.documentElement.lang == {language!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    with sync_playwright() as pw:
        for language, (suffix, locale) in LANGUAGES.items():
            browser = pw.chromium.launch(executable_path=args.chromium,
                                         args=["--no-sandbox", "--headless", f"--lang={locale}"])
            for name, username, target, width in PAGES:
                context = browser.new_context(viewport={"width": width, "height": 900}, locale=locale)
                page = context.new_page()
                login(page, base, username, language)
                path = target(page, base) if callable(target) else target
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                out = HERE / f"{name}-{suffix}.png"
                page.screenshot(path=str(out), full_page=True)
                print(out.relative_to(HERE.parent.parent), path)
                context.close()
            browser.close()


if __name__ == "__main__":
    main()
