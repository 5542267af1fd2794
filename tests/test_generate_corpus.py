"""manage.py generate_corpus: a benchmark database of generated, published, cited records."""

import io
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from taggit.models import TaggedItem

from actors.models import Actor
from agreements.models import Agreement, AgreementParty, Milestone
from ijtech import search
from ijtech.models import Citation, EditorialStatus, SearchEntry, Source
from sectors.models import Sector
from tests.factories import add_milestone, add_sector, cite

N = 200


def generate(*args, **options):
    options.setdefault("milestones", N)
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("generate_corpus", *args, stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def generated(model):
    return model.objects.filter(slug__startswith="gen-")


def citations_per_record(model):
    content_type = ContentType.objects.get_for_model(model)
    counts = Counter(
        Citation.objects.filter(content_type=content_type).values_list("object_id", flat=True)
    )
    return [counts[pk] for pk in model.objects.values_list("pk", flat=True)]


def snapshot():
    """What a seed decides, by slug, so that two runs compare whatever their primary keys."""
    milestones = [
        (
            m.slug,
            m.title,
            m.summary,
            m.kind,
            m.date_display,
            m.agreement.slug if m.agreement else None,
            sorted(s.slug for s in m.sectors.all()),
            sorted(a.slug for a in m.actors.all()),
            m.amount,
            m.deadline_year,
        )
        for m in Milestone.objects.order_by("slug")
        .select_related("agreement")
        .prefetch_related("sectors", "actors")
    ]
    agreements = [
        (
            a.slug,
            a.title,
            a.date_display,
            sorted((p.actor.slug, p.role) for p in a.party_links.all()),
            sorted(t.name for t in a.tags.all()),
            sorted(c.locator for c in a.citations.all()),
        )
        for a in Agreement.objects.order_by("slug").prefetch_related(
            "party_links__actor", "tags", "citations"
        )
    ]
    return milestones, agreements


@pytest.mark.django_db
def test_it_generates_records_in_the_stated_proportions():
    stdout, _ = generate()
    assert generated(Milestone).count() == N
    assert generated(Agreement).count() == N // 20
    # One institution per 50 milestones would be 4: never fewer than a handful.
    assert generated(Actor).count() == 5
    assert Sector.objects.count() == 20
    assert "200 milestones" in stdout


@pytest.mark.django_db
def test_it_reuses_the_sectors_already_there_and_tops_them_up():
    space = add_sector("space", name="Space")
    generate()
    assert Sector.objects.count() == 20
    assert not Sector.objects.filter(slug="gen-space").exists()
    assert Milestone.sectors.through.objects.filter(sector=space).exists()


@pytest.mark.django_db
def test_every_record_is_published_with_one_citation_to_the_generated_source():
    generate()
    source = Source.objects.get()
    assert source.slug == "generated-source"
    for model in (Milestone, Agreement, Actor):
        assert set(model.objects.values_list("editorial_status", flat=True)) == {
            EditorialStatus.PUBLISHED
        }
        assert set(citations_per_record(model)) == {1}
    assert set(Citation.objects.values_list("source", flat=True)) == {source.pk}


@pytest.mark.django_db
def test_records_cite_the_sources_already_there(source):
    generate()
    assert not Source.objects.filter(slug="generated-source").exists()
    assert set(Citation.objects.values_list("source", flat=True)) == {source.pk}


@pytest.mark.django_db
def test_relations_stay_within_their_ranges():
    generate()
    milestones = Milestone.objects.prefetch_related("sectors", "actors")
    assert {len(m.sectors.all()) for m in milestones} <= {1, 2, 3}
    assert {len(m.actors.all()) for m in milestones} <= {1, 2, 3}
    with_agreement = milestones.filter(agreement__isnull=False).count()
    assert N * 0.6 < with_agreement < N
    for agreement in Agreement.objects.prefetch_related("sectors", "party_links", "tags"):
        parties = agreement.party_links.all()
        assert len(parties) in (2, 3)
        assert len({p.actor_id for p in parties}) == len(parties)
        assert len(agreement.sectors.all()) in (1, 2)
        assert len(agreement.tags.all()) in (2, 3, 4)


@pytest.mark.django_db
def test_generated_records_pass_the_models_validation():
    generate()
    samples = [
        *Milestone.objects.order_by("pk")[:: N // 40],
        *Milestone.objects.filter(kind="pledge"),
        *Agreement.objects.all(),
        *Actor.objects.all(),
    ]
    for record in samples:
        record.full_clean()
        assert record.slug.startswith("gen-")
        assert "Generated" in (record.title if hasattr(record, "title") else record.name)


@pytest.mark.django_db
def test_dates_spread_over_the_years_with_some_qualified():
    generate(milestones=2000)
    years = list(Milestone.objects.values_list("year", flat=True))
    assert min(years) >= 1950 and max(years) <= 2026
    recent = sum(year >= 1990 for year in years)
    assert recent > len(years) * 0.6
    qualifiers = Counter(Milestone.objects.values_list("date_qualifier", flat=True))
    assert {"exact", "circa", "decade", "span"} <= set(qualifiers)
    assert qualifiers["exact"] > len(years) * 0.8
    assert Milestone.objects.filter(day__isnull=False).exists()
    assert Milestone.objects.filter(month__isnull=False, day__isnull=True).exists()


@pytest.mark.django_db
def test_the_same_seed_generates_the_same_corpus():
    generate(seed=7)
    first = snapshot()
    generate("--clear", seed=7)
    assert snapshot() == first
    generate("--clear", seed=8)
    assert snapshot() != first


@pytest.mark.django_db
def test_it_refuses_a_database_with_real_records_and_writes_nothing(source):
    real = add_milestone("2025-annual-summit", editorial="draft")
    with pytest.raises(CommandError, match="real records .*1 milestones.*--allow-real-records"):
        generate()
    assert list(Milestone.objects.all()) == [real]
    assert not Agreement.objects.exists() and not Actor.objects.exists()
    assert not Sector.objects.exists()
    assert Citation.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_to_generate_over_an_earlier_run_without_clear():
    generate(milestones=10)
    with pytest.raises(CommandError, match="--clear"):
        generate(milestones=10)
    assert generated(Milestone).count() == 10


@pytest.mark.django_db
def test_allow_real_records_generates_beside_them_and_clear_leaves_them(source):
    real = add_milestone("2025-annual-summit")
    cite(real, source)
    generate("--allow-real-records")
    assert generated(Milestone).count() == N
    generate("--allow-real-records", "--clear", milestones=40)
    assert generated(Milestone).count() == 40
    assert Milestone.objects.filter(slug=real.slug).exists()
    assert real.citations.count() == 1
    # Nothing of the first run is left behind: every citation is the real record's or one
    # of the second run's records'.
    assert Citation.objects.count() == 1 + 40 + generated(Agreement).count() + 5


@pytest.mark.django_db
def test_clear_deletes_what_hangs_off_generated_records():
    generate()
    generate("--clear", milestones=20)
    assert generated(Milestone).count() == 20
    assert Citation.objects.count() == 20 + 5 + 5
    assert Milestone.actors.through.objects.count() <= 20 * 3
    assert AgreementParty.objects.filter(agreement__in=generated(Agreement)).count() == (
        AgreementParty.objects.count()
    )
    agreement_type = ContentType.objects.get_for_model(Agreement)
    assert TaggedItem.objects.exclude(content_type=agreement_type).count() == 0
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_it_shows_progress_on_stderr_unless_quiet():
    _, stderr = generate(milestones=10)
    assert "milestones: 20/20 (100%)" in stderr
    call_command("generate_corpus", "--clear", milestones=10, verbosity=0)
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "generate_corpus", "--clear", milestones=10, verbosity=0, stdout=stdout, stderr=stderr
    )
    assert stdout.getvalue() == stderr.getvalue() == ""


@pytest.mark.django_db
def test_it_refuses_fewer_than_one_milestone():
    with pytest.raises(CommandError, match="1 or more"):
        generate(milestones=0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["milestones:list", "agreements:list", "milestones:timeline", "home"]
)
def test_the_main_pages_answer_on_generated_data(client, name):
    generate()
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "Generated " in response.content.decode()


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_on_a_terminal_the_progress_bar_is_redrawn_in_place():
    terminal = Terminal()
    call_command("generate_corpus", milestones=10, stdout=io.StringIO(), stderr=terminal)
    generating, indexing, _ = terminal.getvalue().split("\n")
    # One redraw per batch of each kind, then one per batch of the search index.
    assert generating.count("\r") == 3
    assert "[" + "#" * 30 + "] 100% 20/20 milestones" in generating
    assert indexing.startswith("\r") and "] 100% " in indexing and "search index" in indexing


@pytest.mark.django_db
def test_generated_records_are_in_the_search_index():
    generate()
    entries = SearchEntry.objects.values_list("kind", flat=True)
    assert entries.filter(kind="milestone").count() == generated(Milestone).count()
    assert entries.filter(kind="agreement").count() == generated(Agreement).count()
    title = generated(Milestone).order_by("pk").first().title
    found = search.search_records(title)
    assert found.entries[0].title == title


@pytest.mark.django_db
def test_clear_leaves_no_entries_of_the_records_it_deletes():
    generate()
    generate("--clear", "--seed", "1")
    ids = set(generated(Milestone).values_list("pk", flat=True))
    indexed = SearchEntry.objects.filter(kind="milestone").values_list("object_id", flat=True)
    assert set(indexed) == ids
