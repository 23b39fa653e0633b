"""The pages in a real headless Chromium (Debian's chromium + chromium-driver, driven by Selenium)
against a real `chitieu serve`: search without diacritics, a filter, a facet, a document's marked
evidence, pasting a new plan, a hostile document that must run no script. Screenshots of each page
go to test-artifacts/ (or $CHITIEU_TEST_ARTIFACTS).

In CI (CI=true) a missing browser fails these tests; elsewhere it skips them.
"""
from __future__ import annotations

import os
import shutil
import urllib.parse
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from web_server import ROOT, Server, artifacts_dir  # noqa: E402

from pipeline.db import open_store  # noqa: E402
from pipeline.db.synth import sample_records  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
PLAN_DOC = ROOT / "corpus" / "docs" / "dev_006_daynghe_laodong_nongthon_hatinh.txt"
HOSTILE = ('Kế hoạch <script>window.__xss=1</script> và "><img src=x onerror="window.__xss=2">\n'
           "Phấn đấu đến năm 2026, 90% hộ nghèo được hỗ trợ vay vốn.")
NEW_PLAN = "Mục tiêu đến năm 2027, 75% giáo viên mầm non được bồi dưỡng chuyên môn."


def _need_browser():
    if CHROMIUM and CHROMEDRIVER:
        return
    message = "chromium and chromedriver are needed: apt-get install chromium chromium-driver"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI must run the browser tests)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _need_browser()
    db = tmp_path_factory.mktemp("web") / "targets.db"
    with open_store(str(db)) as s:
        s.ingest_batch(sample_records())
    srv = Server(db)
    srv.post("/api/documents", {"text": PLAN_DOC.read_text(encoding="utf-8"), "doc_id": "hatinh"})
    srv.post("/api/documents", {"text": HOSTILE, "doc_id": "hostile", "title": '"><img src=x onerror="window.__xss=3">'})
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser(server):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=vi"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)  # pages are rendered by the server: present once loaded
    yield driver
    driver.quit()


def shot(driver, name: str) -> None:
    path = artifacts_dir() / f"{name}.png"
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 1000


def go(driver, action) -> None:
    """Click or submit, then wait until the browser has left the page and loaded the next one (a
    click can return before the navigation it starts has replaced the document). The old page is
    marked with a script variable, not watched through an element reference: while the document is
    being replaced, chromedriver can answer a question about an old element with an "unknown error"
    ("Node with given id does not belong to the document") instead of calling it stale."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.__chitieuOldPage = true;")
    action()
    wait = WebDriverWait(driver, 30, ignored_exceptions=(WebDriverException,))
    wait.until(lambda d: d.execute_script(
        "return window.__chitieuOldPage !== true && document.readyState === 'complete'"))


def css(driver, selector):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def total(driver) -> int:
    return int(css(driver, "#total")[0].text.replace(".", ""))


def query(driver) -> dict:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(driver.current_url).query))


def test_search_filter_and_facet(server, browser):
    browser.get(server.url + "/")
    box = css(browser, "#q")[0]
    box.send_keys("can bo cap xa")  # typed without diacritics
    go(browser, box.submit)
    assert query(browser)["q"] == "can bo cap xa"
    hits = css(browser, "li.hit")
    assert total(browser) == len(hits) == 3
    assert all("cấp xã" in h.text.lower() or "cán bộ" in h.text.lower() for h in hits)
    assert any(m.text == "95%" for m in css(browser, "li.hit mark.num"))
    shot(browser, "search")

    css(browser, "details.filters summary")[0].click()
    from selenium.webdriver.support.ui import Select

    Select(css(browser, "select[name=kind]")[0]).select_by_value("percentage")
    go(browser, css(browser, "details.filters button")[0].click)
    assert query(browser)["kind"] == "percentage"
    kinds = [q.get_attribute("class") for q in css(browser, "li.hit .qty")]
    assert kinds and all("k-percentage" in k for k in kinds)
    filtered = total(browser)
    assert filtered == 2  # qb-2016's funding + trainees target is gone

    link = css(browser, "section.facet[data-facet=province] li a")[0]
    province, count = link.text, int(link.find_element("xpath", "..").text.rsplit(" ", 1)[1])
    go(browser, link.click)
    assert query(browser)["province"] == province and query(browser)["kind"] == "percentage"
    assert total(browser) == count <= filtered
    assert all(h.text for h in css(browser, "li.hit .province")) and \
        {h.text for h in css(browser, "li.hit .province")} == {province}
    shot(browser, "search-filtered")


def test_phone_width_has_no_sideways_scroll(server, browser):
    browser.set_window_size(390, 844)
    try:
        for path in ("/?q=can+bo", "/documents/hatinh", "/new", "/overview"):
            browser.get(server.url + path)
            assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"), path
        browser.get(server.url + "/?q=dao+tao")
        shot(browser, "search-phone")
    finally:
        browser.set_window_size(1280, 1000)


def test_document_marks_are_the_evidence(server, browser):
    stored = server.get("/api/documents/hatinh")
    targets = stored["targets"]
    assert len(targets) >= 5
    browser.get(server.url + "/documents/hatinh")
    for t in targets:
        marks = css(browser, f'div.text mark[data-targets~="{t["position"]}"]')
        assert "".join(m.get_attribute("textContent") for m in marks) == t["evidence_text"]
        assert all(f'k-{t["kind"]}' in m.get_attribute("class") or len(m.get_attribute("data-targets").split()) > 1
                   for m in marks)
    kinds = {m.get_attribute("class").split()[-1] for m in css(browser, "div.text mark.ev")}
    assert kinds == {f"k-{t['kind']}" for t in targets}
    rows = css(browser, "table.targets tbody tr")
    assert len(rows) == len(targets)
    shot(browser, "document")
    last = targets[-1]["position"]
    rows[-1].find_element("css selector", "td.qty a").click()
    assert browser.current_url.endswith(f"#ev-{last}")
    top = browser.execute_script(f"return document.getElementById('ev-{last}').getBoundingClientRect().top")
    assert 0 <= top < browser.execute_script("return window.innerHeight")


def test_paste_a_new_plan_and_save_it(server, browser):
    browser.get(server.url + "/new")
    css(browser, "#text")[0].send_keys(NEW_PLAN)
    go(browser, css(browser, "button[value=read]")[0].click)
    row = css(browser, "table.targets tbody tr")
    assert len(row) == 1
    cells = [c.text for c in row[0].find_elements("css selector", "td")]
    assert cells[2] == "75%" and cells[3] == "giáo viên mầm non" and cells[5] == "2027"
    assert css(browser, "div.text mark.k-percentage")[0].get_attribute("textContent") == NEW_PLAN
    shot(browser, "new")
    go(browser, css(browser, "button[value=save]")[0].click)
    assert "/documents/" in browser.current_url
    doc_id = urllib.parse.unquote(browser.current_url.rsplit("/documents/", 1)[1])
    assert server.get("/api/documents/" + urllib.parse.quote(doc_id, safe=""))["targets"][0]["pct_value"] == 75.0
    browser.get(server.url + "/?q=giao+vien+mam+non+chuyen+mon")
    assert total(browser) == 1


def test_hostile_document_runs_no_script(server, browser, tmp_path):
    pages = [server.url + "/documents/hostile", server.url + "/?q=ho+ngheo+vay+von"]
    from click.testing import CliRunner

    from pipeline.cli import main

    (tmp_path / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    report = tmp_path / "report.html"
    assert CliRunner().invoke(main, ["show", str(tmp_path / "hostile.txt"), "-o", str(report)]).exit_code == 0
    pages.append(report.as_uri())
    for url in pages:
        browser.get(url)
        assert browser.execute_script("return window.__xss === undefined"), url
        body = css(browser, "body")[0].text
        assert "window.__xss" in body or "vay vốn" in body, url
        assert not css(browser, "main img"), url
    browser.get(server.url + "/documents/hostile")
    text = css(browser, "div.text")[0].text
    assert "<script>window.__xss=1</script>" in text and '"><img src=x onerror="window.__xss=2">' in text
    assert css(browser, "h2")[0].text == '"><img src=x onerror="window.__xss=3">'
    shot(browser, "hostile")


def test_overview_bars(server, browser):
    browser.get(server.url + "/overview")
    stats = server.get("/api/stats")
    bars = css(browser, "section.chart svg rect")
    years = [y for y in stats["by_year"] if y["value"] is not None]
    kinds = [k for k in stats["by_kind"] if k["targets"]]
    assert len(bars) == len(years) + len([p for p in stats["by_province"] if p["value"]]) + len(kinds)
    shot(browser, "overview")
    go(browser, css(browser, "section.chart svg a")[0].click)
    assert query(browser)["year_from"] == query(browser)["year_to"] == str(years[0]["value"])
