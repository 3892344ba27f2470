import json
import pytest
from axe_playwright_python.sync_playwright import Axe
from tests.personas import PASSWORD
from .actions import sign_in
from .test_pages import PAGES

pytestmark = pytest.mark.browser

def test_debug(page, base_url, practitioner_a):
    axe = Axe()
    out = []
    for lang in ["en", "ar"]:
        for pid, path, signed in PAGES:
            if signed and lang == 'en':
                sign_in(page, base_url, email=practitioner_a.email, password=PASSWORD)
            page.goto(f"{base_url}/{lang}/{path}")
            r = axe.run(page, options={"resultTypes": ["violations", "incomplete"]}).response
            bg = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
            out.append(f"== {lang} {pid} css-bg={bg} passes={len(r.get('passes', []))}")
            for v in r["violations"]:
                out.append(f"  V {v['id']} {v['impact']} {v['help']} {[n['target'] for n in v['nodes']][:6]}")
            for v in r["incomplete"]:
                out.append(f"  I {v['id']} {v['impact']} {v['help']} {[ (n['target'], n.get('any') and n['any'][0].get('message')) for n in v['nodes']][:3]}")
    open("/tmp/x/axe.txt", "w").write("\n".join(out))
