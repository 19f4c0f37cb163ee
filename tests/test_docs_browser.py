"""/docs in Debian's headless Chromium: authorize with a token, run GET /movies, see 200."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from apiflask import APIFlask
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from auth import STAFF_PERMISSIONS
from helpers import VALID_BODIES

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1024",
)
WAIT_SECONDS = 10


@pytest.fixture
def browser(tmp_path: Path, live_server: str) -> Iterator[webdriver.Chrome]:
    """Debian's Chromium and chromedriver, given by path so Selenium Manager never runs."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        pytest.fail(
            f"{' and '.join(missing)} not found: run `make browser` "
            "(installs Debian's chromium and chromium-driver)",
            pytrace=False,
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    service = Service(executable_path=CHROMEDRIVER, log_output=str(tmp_path / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.set_page_load_timeout(WAIT_SECONDS)
        yield driver
    finally:
        driver.quit()


def _visible(wait: WebDriverWait, css: str) -> WebElement:
    return wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, css)), css)


def _click(wait: WebDriverWait, css: str) -> None:
    wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, css)), css).click()


def _save_screenshot(driver: webdriver.Chrome, bottom_css: str, path: Path) -> None:
    """The page from its top down to the element `bottom_css` (beyond the window): the
    locked Authorize button, the Movies tag and the live response in one readable picture.
    Without that element (a step failed) the window as it is, to show how far it got."""
    path.parent.mkdir(exist_ok=True)
    bottom = driver.find_elements(By.CSS_SELECTOR, bottom_css)
    if not bottom:
        driver.save_screenshot(str(path))
        return
    height = driver.execute_script(
        "return Math.ceil(arguments[0].getBoundingClientRect().bottom + window.scrollY) + 16",
        bottom[0],
    )
    width = driver.execute_script("return document.documentElement.scrollWidth")
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    path.write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.slow
def test_docs_authorize_and_try_get_movies(
    app: APIFlask, live_server: str, browser: webdriver.Chrome
) -> None:
    base_url = live_server
    issuer = app.extensions["local_issuer"]
    created = app.test_client().post(
        "/movies",
        json=VALID_BODIES["movies"],
        headers={"Authorization": f"Bearer {issuer.mint(['post:movies'])}"},
    )
    assert created.status_code == 201, created.get_json()

    token = issuer.mint(list(STAFF_PERMISSIONS["assistant"]))  # a casting assistant's
    operation = "#operations-Movies-get_movies"  # Swagger UI's id: tag, method, path
    live = f"{operation} .live-responses-table"
    wait = WebDriverWait(browser, WAIT_SECONDS)
    try:
        browser.get(f"{base_url}/docs")
        for tag in ("Movies", "Actors", "Roles"):
            assert _visible(wait, f'h3.opblock-tag[data-tag="{tag}"]').text.startswith(tag)

        # Authorize: paste the bearer token into the BearerAuth dialog.
        _click(wait, ".auth-wrapper button.authorize")
        _visible(wait, "input#auth-bearer-value").send_keys(token)
        _click(wait, ".auth-container button.modal-btn.authorize")
        wait.until(
            ec.text_to_be_present_in_element(
                (By.CSS_SELECTOR, ".auth-container .auth-btn-wrapper"), "Logout"
            ),
            "the dialog should accept the token",
        )
        _click(wait, ".auth-container button.btn-done")
        wait.until(ec.invisibility_of_element_located((By.CSS_SELECTOR, ".modal-ux")))
        _visible(wait, ".auth-wrapper button.authorize.locked")

        # GET /movies: open it, Try it out (already on: tryItOutEnabled), Execute.
        _click(wait, f"{operation} .opblock-summary-control")
        try_out = _visible(wait, f"{operation} .try-out__btn")
        if "cancel" not in (try_out.get_attribute("class") or "").split():
            try_out.click()
        _click(wait, f"{operation} button.execute")
        status = _visible(wait, f"{live} tr.response .response-col_status").text.strip()
        body = _visible(wait, f"{live} .response-col_description pre").text
        curl = browser.find_element(By.CSS_SELECTOR, f"{operation} .curl-command").text
        loaded = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
        )
    finally:
        _save_screenshot(browser, live, ARTIFACTS / "docs.png")

    assert status == "200", body
    assert [movie["title"] for movie in json.loads(body)["movies"]] == [
        VALID_BODIES["movies"]["title"]
    ]
    assert f"Authorization: Bearer {token}" in curl
    # Everything the page loaded came from the app itself: no CDN, no internet.
    assert loaded and all(url.startswith(f"{base_url}/") for url in loaded), loaded
