"""axe-core on the main pages: no serious or critical accessibility violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from agreements.models import Agreement

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("corpus")]

BLOCKING = {"serious", "critical"}


def agreement_page() -> str:
    """The agreement page with the most on it: disputed, with milestones and lineage."""
    agreement = (
        Agreement.objects.published()
        .with_disputed()
        .order_by("-is_disputed", "-year", "slug")
        .exclude(milestones=None)
        .first()
    )
    return agreement.get_absolute_url()


def lineage_page() -> str:
    """An agreement page with a lineage diagram: one that supersedes another."""
    return (
        Agreement.objects.published()
        .exclude(supersedes=None)
        .order_by("slug")[0]
        .get_absolute_url()
    )


def report(url: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{url}: {v['id']} ({v['impact']}) {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}")
            lines.append(f"      {node['html'][:200]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def test_no_serious_or_critical_violations(page):
    # One test over every page, so the corpus is loaded once and one failure lists them all.
    urls = [
        "/",
        "/agreements/",
        agreement_page(),
        lineage_page(),
        "/sectors/space/",
        "/actors/dst/",
        "/milestones/timeline/",
        "/actors/",
        "/search/?q=space",
        "/search/?q=JAXA&type=milestone",
        "/search/?q=satelite",
        "/disagreements/",
    ]
    axe = Axe()
    problems = []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        # Open every disclosure, so what is hidden behind one is checked too.
        page.eval_on_selector_all("details", "all => all.forEach(d => { d.open = true; })")
        results = axe.run(page)
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
        if blocking:
            problems.append(report(url, blocking))
    assert not problems, "Serious or critical accessibility violations:\n" + "\n".join(problems)
