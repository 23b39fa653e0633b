"""Make the README's screenshots of `chitieu serve`: docs/web-search.png and docs/web-document.png.

    python scripts/web_screenshots.py

Stores the bundled corpus documents through the API of a fresh server (so their texts are kept),
then photographs the search page and one document page in headless Chromium; the PNGs are reduced
to a 64-colour palette to stay small.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from web_server import Server  # noqa: E402

DOC = "dev_006_daynghe_laodong_nongthon_hatinh"


def main() -> None:
    from PIL import Image
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "targets.db")
        try:
            for path in sorted((ROOT / "corpus" / "docs").glob("*.txt")):
                server.post("/api/documents", {"text": path.read_text(encoding="utf-8"), "doc_id": path.stem})
            options = webdriver.ChromeOptions()
            options.binary_location = shutil.which("chromium")
            for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,900"):
                options.add_argument(arg)
            driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
            try:
                for name, url in (("web-search", "/?q=can+bo+cap+xa&kind=percentage"), ("web-document", f"/documents/{DOC}")):
                    driver.get(server.url + url)
                    if name == "web-document":  # the end of the targets table and the marked text below it
                        driver.execute_script("const box = document.querySelector('div.text');"
                                              "box.scrollTop = box.querySelector('mark').offsetTop - box.offsetTop - 40;"
                                              "window.scrollTo(0, box.getBoundingClientRect().top + scrollY - 330);")
                    raw = Path(tmp) / f"{name}.png"
                    driver.save_screenshot(str(raw))
                    out = ROOT / "docs" / f"{name}.png"
                    out.parent.mkdir(exist_ok=True)
                    Image.open(raw).convert("RGB").quantize(colors=64).save(out, optimize=True)
                    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
            finally:
                driver.quit()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
