"""axe-core on the main pages: no serious or critical accessibility violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from agreements.models import Agreement
from ijtech.roles import REVIEWERS
from tests.browser.test_admin_review import log_in, make_staff

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


# The list pages, checked again at a phone's width, where their filters fold away.
LISTS = [
    "/agreements/",
    "/agreements/?kind=mou&sector=space",
    "/agreements/?show=actor",
    "/milestones/",
    "/actors/",
    "/sectors/",
    "/sources/?q=japan",
    "/search/?q=space",
]


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
        *LISTS,
    ]
    axe = Axe()
    problems = []
    for width, url in [(None, url) for url in urls] + [(390, url) for url in LISTS]:
        if width:
            page.set_viewport_size({"width": width, "height": 844})
            url_shown = f"{url} at {width}px"
        else:
            url_shown = url
        response = page.goto(url)
        assert response.status == 200, url_shown
        # Open every disclosure, so what is hidden behind one is checked too.
        page.eval_on_selector_all("details", "all => all.forEach(d => { d.open = true; })")
        results = axe.run(page)
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
        if blocking:
            problems.append(report(url_shown, blocking))
    assert not problems, "Serious or critical accessibility violations:\n" + "\n".join(problems)


def test_the_review_queue_has_no_serious_or_critical_violations(page):
    from django.contrib.auth.models import Group, User

    from agreements.models import Milestone
    from ijtech import review
    from ijtech.models import ChangeProposal, EditorialStatus
    from ijtech.roles import REVIEWERS

    reviewer = User.objects.create_user("ravi", password="ravi-Secret-42", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=REVIEWERS))
    # Something of each kind to review: a record in review, and a proposed change.
    milestone = Milestone.objects.published().first()
    milestone.move_to(EditorialStatus.IN_REVIEW, reviewer)
    agreement = Agreement.objects.published().first()
    state = review.state_of(agreement)
    state["fields"]["summary"] += " Proposed addition."
    ChangeProposal.objects.create(
        target=agreement, base_version=agreement.version, data=state, author=reviewer
    )
    page.goto("/admin/login/?next=/admin/review/")
    page.get_by_label("Username").fill("ravi")
    page.get_by_label("Password").fill("ravi-Secret-42")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/review/")
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, report("/admin/review/", blocking)


def test_the_admin_list_and_change_forms_have_no_serious_or_critical_violations(page):
    make_staff("ravi", "ravi-Secret-42", REVIEWERS)
    log_in(page, "ravi", "ravi-Secret-42")
    agreement = Agreement.objects.get(slug="2018-digital-partnership")
    urls = [
        "/admin/agreements/milestone/",
        f"/admin/agreements/agreement/{agreement.pk}/change/",
        "/admin/agreements/milestone/add/",
    ]
    axe = Axe()
    problems = []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        results = axe.run(page)
        blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
        if blocking:
            problems.append(report(url, blocking))
    # The add form again, sent empty, so its error summary and error messages are checked.
    page.locator("input[name=_save]").first.click()
    page.locator("#error-summary").wait_for()
    blocking = [v for v in axe.run(page).response["violations"] if v["impact"] in BLOCKING]
    if blocking:
        problems.append(report("/admin/agreements/milestone/add/ (errors)", blocking))
    assert not problems, "Serious or critical accessibility violations:\n" + "\n".join(problems)
