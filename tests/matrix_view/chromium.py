"""Headless Debian Chromium driven by selenium + Debian's chromedriver, for the page's tests and benchmark.

No browser is downloaded: where /usr/bin/chromium or chromedriver is missing, `unavailable()` says why
(`.ci/run` installs both with apt-get).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,800")


def chromedriver() -> str | None:
    return shutil.which("chromedriver") or (str(p) if (p := Path("/usr/bin/chromedriver")).exists() else None)


def unavailable() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import selenium  # noqa: F401 - only whether it is installed
    except ImportError:
        return "selenium is not installed: pip install -e '.[test]'"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM}: apt-get install -y chromium chromium-driver (as .ci/run does)"
    if chromedriver() is None:
        return "no chromedriver on PATH: apt-get install -y chromium-driver (as .ci/run does)"
    return None


@contextmanager
def chromium(width: int = 1280, height: int = 800) -> Iterator[object]:
    """A selenium WebDriver for a fresh headless Chromium profile, its viewport exactly width x height."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="raci-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver()), options=options)
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
