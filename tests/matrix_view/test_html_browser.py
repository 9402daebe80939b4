"""The HTML page in a real headless Chromium: filter as you type, switch team, hover texts, a screenshot."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.matrix_view.html import render_page
from bot.ownership.index import Ownership
from tests.matrix_view.chromium import chromium, unavailable
from tests.matrix_view.conftest import HOSTILE

pytestmark = pytest.mark.skipif(unavailable() is not None, reason=unavailable() or "")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for the module (starting one takes seconds); each test loads its own page in it."""
    with chromium() as driver:
        yield driver


def _page(tmp_path: Path, ownership: Ownership, team: str | None = None) -> str:
    path = tmp_path / "matrix.html"
    path.write_text(render_page(ownership, team=team, now=NOW), encoding="utf-8")
    return path.as_uri()


def _visible_rows(driver: object) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#grid tbody tr')).filter(r => r.offsetParent !== null)"
        ".map(r => r.cells[0].textContent)")


def _visible_columns(driver: object) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#grid thead th.col')).filter(c => c.offsetParent !== null)"
        ".map(c => c.textContent)")


def _type(driver: object, text: str) -> None:
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "filter")
    box.clear()
    box.send_keys(text)


def test_filter_narrows_activities_and_roles_as_you_type(tmp_path: Path, seed: Ownership, browser: object) -> None:
    driver = browser
    driver.get(_page(tmp_path, seed))
    assert len(_visible_rows(driver)) == 11
    assert len(_visible_columns(driver)) == 6
    _type(driver, "dock")
    assert _visible_rows(driver) == ["Docker packaging"]
    assert _visible_columns(driver) == ["Data Scientist", "ML Engineer", "MLOps Engineer", "Data Engineer"]
    assert driver.find_element("id", "count").text.startswith("Showing 1 of 11 activities, 4 of 6")
    _type(driver, "feature store")  # an alias finds its activity
    assert _visible_rows(driver) == ["Feature store mgmt"]
    _type(driver, "mlops engineer")  # a role narrows to the activities it has a letter in
    assert _visible_columns(driver) == ["MLOps Engineer"]
    assert len(_visible_rows(driver)) == 11
    _type(driver, "nothing like this")
    assert _visible_rows(driver) == [] and _visible_columns(driver) == []


def test_team_switcher_changes_members_and_vacancies(tmp_path: Path, seed: Ownership, browser: object) -> None:
    from selenium.webdriver.support.ui import Select

    driver = browser
    driver.get(_page(tmp_path, seed))
    def first_header() -> str:
        return driver.find_element("css selector", "#grid thead th.col").get_attribute("title")

    assert "Members: Ada Example" in first_header()
    Select(driver.find_element("id", "team")).select_by_visible_text("Search product team")
    assert "Members: Bea Example" in first_header()
    assert "Search product team" in driver.find_element("id", "count").text
    _type(driver, "bea")  # members of the chosen team are searchable
    assert _visible_columns(driver) == ["Data Scientist"]


def test_gaps_and_hostile_names_render_as_text_and_a_screenshot_is_kept(
    tmp_path: Path, hostile: Ownership, browser: object
) -> None:
    driver = browser
    driver.get(_page(tmp_path, hostile))
    assert driver.execute_script("return window.pwned === undefined")
    assert HOSTILE in _visible_rows(driver)
    gap = driver.find_element("xpath", "//tbody/tr/th[text()='Release notes']")
    assert "no Accountable" in gap.get_attribute("title")
    assert "gap" in gap.get_attribute("class")
    qa = driver.find_element("xpath", "//thead//th[span='QA Engineer']")
    assert "problem" not in qa.get_attribute("class")  # QA has a member, Quinn
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "matrix-page-1280x800.png"
    driver.save_screenshot(str(shot))
    width, height = struct.unpack(">II", shot.read_bytes()[16:24])
    assert (width, height) == (1280, 800)


def test_a_large_matrix_draws_what_is_in_view_and_scrolls_to_the_end(tmp_path: Path, browser: object) -> None:
    from tests.matrix_view.big_matrix import big_ownership

    driver = browser
    driver.get(_page(tmp_path, big_ownership(2000, 40), team="alpha"))
    drawn = _visible_rows(driver)
    assert drawn[0].startswith("Activity 0000") and len(drawn) < 100  # only what is in view
    assert driver.find_element("id", "count").text.startswith("Showing 2000 of 2000 activities, 40 of 40")
    assert driver.execute_script("return document.querySelector('#grid tbody tr').offsetHeight") == 24
    driver.execute_script("const s = document.getElementById('scroller'); s.scrollTop = s.scrollHeight;")
    driver.execute_script("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert _visible_rows(driver)[-1].startswith("Activity 1999")
    _type(driver, "activity 1234")
    assert [r[:13] for r in _visible_rows(driver)] == ["Activity 1234"]
