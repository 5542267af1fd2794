"""
One search engine for every surface that takes `q`: the search page, the lists, their
exports and the API.

Every public record of a searchable model (one that gives a `search_document()`) has one
`SearchEntry` row holding its text in four weighted columns: title, names (acronyms and the
other names sources give), body (summary, tags, sectors, institutions) and extra (quotes).
The database matches words against it:

- SQLite: an FTS5 table over the entries (porter stemming, Unicode word splitting), kept
  in step with them by triggers;
- PostgreSQL: a weighted tsvector on the entry, kept in step by a trigger, with a GIN
  index; `pg_trgm` finds the vocabulary words a misspelt word was meant to be.

Both match whole words and, for words of four letters or more, prefixes; never inside a
word. Ranking is the same SQL on both: an exact name first, then title, then alternative
names, then the rest; ties newest first.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Case, F, Func, OuterRef, Q, Subquery, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ijtech import fragments
from ijtech.pausing import Pause

CONFIG = "english"
FTS_TABLE = "ijtech_searchentry_fts"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# Typo tolerance: the shortest word that may be corrected, and the edits allowed.
CORRECTABLE_LENGTH = 5
PREFIX_LENGTH = 4

NO_WORD_MESSAGE = "Type at least one word or number to search for."
NUL_MESSAGE = "A search cannot contain a NUL character."

# PostgreSQL's English stop words (its `english.stop` file), dropped from every query on
# both databases so that "the" means the same everywhere; PostgreSQL would drop them anyway.
_STOP_WORDS = """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can did do does doing don down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own s same she should so some such t than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with you your yours yourself yourselves
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# A term: a decimal number kept whole ("2.0", as PostgreSQL's parser reads it), or a word.
TERM_RE = re.compile(r"\d+(?:\.\d+)+|\w+")
# Within a typed word, letters joined by hyphens or apostrophes form a compound.
COMPOUND_RE = re.compile(r"\w+(?:[-‐‑–'’]\w+)+")


class SearchError(ValidationError):
    """A query that cannot be searched; its message says why, for a 400 answer."""


# --- Queries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word to find, or a compound ("cyber-security") found as its parts or joined."""

    parts: tuple[str, ...]

    @property
    def text(self) -> str:
        return "-".join(self.parts)

    @property
    def joined(self) -> str:
        return "".join(self.parts)

    def fts(self, columns: str = "") -> str:
        alternatives = [" AND ".join(_fts_word(p) for p in self.parts)]
        if len(self.parts) > 1:
            alternatives.append(_fts_word(self.joined))
        expression = " OR ".join(f"({a})" for a in alternatives)
        return f"{{{columns}}} : ({expression})" if columns else f"({expression})"

    def tsquery(self, weights: str = "") -> str:
        alternatives = [" & ".join(_ts_word(p, weights) for p in self.parts)]
        if len(self.parts) > 1:
            alternatives.append(_ts_word(self.joined, weights))
        return "(" + " | ".join(f"({a})" for a in alternatives) + ")"


def _prefixed(word: str) -> bool:
    return word.isalpha() and len(word) >= PREFIX_LENGTH


def _fts_word(word: str) -> str:
    # A double-quoted FTS5 string is always literal: AND, NEAR, * or ^ inside it are words.
    return f'"{word}"*' if _prefixed(word) else f'"{word}"'


def _ts_word(word: str, weights: str) -> str:
    # Terms hold only word characters and dots, so quoting them is enough for to_tsquery.
    marks = ("*" if _prefixed(word) else "") + weights
    return f"'{word}'" + (f":{marks}" if marks else "")


def normalise(text: str) -> str:
    """Lower case, accents off, every run of non-word characters one space."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"\w+", text))


def parse(text: str) -> list[Term]:
    """The terms of a query, or SearchError saying why there are none."""
    text = text or ""
    if "\x00" in text:
        raise SearchError(NUL_MESSAGE)
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchError(
            f"The search is too long ({len(text)} characters); use at most {MAX_QUERY_LENGTH}."
        )
    terms: list[Term] = []
    common: list[str] = []
    for chunk in text.split():
        compounds = {m.start(): m.group() for m in COMPOUND_RE.finditer(chunk)}
        position = 0
        for match in TERM_RE.finditer(chunk):
            if match.start() < position:
                continue
            if match.start() in compounds and "." not in match.group():
                compound = compounds[match.start()]
                parts = tuple(normalise(compound).split())
                position = match.start() + len(compound)
            else:
                parts = (normalise(match.group()) if "." not in match.group() else match.group(),)
                position = match.end()
            kept = tuple(p for p in parts if p and p not in STOP_WORDS)
            if not kept:
                common += parts
            elif Term(kept) not in terms:
                terms.append(Term(kept))
    if not terms and common:
        words = ", ".join(f"“{w}”" for w in dict.fromkeys(common))
        raise SearchError(
            f"{words[0].upper()}{words[1:]} {'is' if len(common) == 1 else 'are'} too common "
            "to search for; add a more specific word."
        )
    if not terms:
        raise SearchError(NO_WORD_MESSAGE)
    return terms[:MAX_TERMS]


def searchable(text: str) -> bool:
    try:
        parse(text)
    except SearchError:
        return False
    return True


class Matches(Func):
    """True where an entry matches every term (in `columns`, one of the weighted columns).

    SQLite asks its FTS5 table, once per query, for the entries that match; PostgreSQL
    tests the entry's tsvector, which its GIN index serves.
    """

    output_field = models.BooleanField()
    COLUMNS = {"title": "A", "names": "B", "body": "C", "extra": "D"}

    def __init__(self, terms: list[Term], column: str = ""):
        super().__init__(F("id"), F("vector"))
        self.terms, self.column = terms, column

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        query = " AND ".join(term.fts(self.column) for term in self.terms)
        return (
            f"{sql} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",
            (*params, query),
        )

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.get_source_expressions()[1])
        weights = self.COLUMNS.get(self.column, "")
        query = " & ".join(term.tsquery(weights) for term in self.terms)
        return f"{sql} @@ to_tsquery('{CONFIG}', %s)", (*params, query)


# Points for where a term stands: an exact name beats everything, a title beats names,
# names beat the text; a record with all the terms in its text gets one more.
EXACT, IN_TITLE, IN_NAMES, IN_TEXT = 100, 8, 4, 1


def score(terms: list[Term]):
    """The rank of an entry for `terms`, as one SQL expression on both databases."""
    phrase = normalise(" ".join(term.text for term in terms))
    # Singular or plural alike: "semiconductor" is the name of the sector "Semiconductors".
    forms = {phrase, phrase + "s", phrase[:-1] if phrase.endswith("s") else phrase}
    exact = Q.create([("keys__contains", f"|{form}|") for form in forms], connector=Q.OR)
    total = Case(
        When(exact, then=Value(EXACT)),
        default=Value(0),
        output_field=models.IntegerField(),
    )
    for term in terms:
        for column, points in (("title", IN_TITLE), ("names", IN_NAMES)):
            total = total + Case(
                When(Matches([term], column), then=Value(points)),
                default=Value(0),
                output_field=models.IntegerField(),
            )
    return total + Case(
        When(Matches(terms, "body"), then=Value(IN_TEXT)),
        default=Value(0),
        output_field=models.IntegerField(),
    )


# --- Typo tolerance ---------------------------------------------------------------------


def _allowed_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


def _nearest(word: str) -> str | None:
    """The vocabulary word within the allowed edits of `word`, nearest first."""
    from rapidfuzz.distance import Levenshtein

    from ijtech.models import SearchWord

    limit = _allowed_edits(word)
    words = SearchWord.objects.all()
    if connection.vendor == "postgresql":
        # The trigram index finds the candidates; the edit distance decides among them.
        words = words.extra(where=["word %% %s"], params=[word])
    else:
        words = words.filter(length__gte=len(word) - limit, length__lte=len(word) + limit)
    best = None
    for candidate in words.values_list("word", flat=True)[:5000]:
        distance = Levenshtein.distance(word, candidate, score_cutoff=limit)
        if distance > limit or candidate == word:
            continue
        prefix = len(_common_prefix(word, candidate))
        key = (distance, -prefix, candidate)
        if best is None or key < best[0]:
            best = (key, candidate)
    return best[1] if best else None


def _common_prefix(a: str, b: str) -> str:
    size = 0
    while size < min(len(a), len(b)) and a[size] == b[size]:
        size += 1
    return a[:size]


def _correctable(term: Term) -> bool:
    (word, *rest) = term.parts
    return not rest and word.isalpha() and len(word) >= CORRECTABLE_LENGTH


@dataclass
class Plan:
    """What is searched for a typed query: its terms, corrected where that finds more."""

    query: str
    terms: list[Term]
    corrected: bool = False

    @property
    def searched_for(self) -> str:
        """The query as typed, or, if it was corrected, the words searched instead."""
        if not self.corrected:
            return self.query.strip()
        return " ".join(term.text for term in self.terms)


def _in_vocabulary(word: str) -> bool:
    """Whether the index holds `word`, as a word or as the start of one (a prefix search)."""
    from ijtech.models import SearchWord

    # A range on the primary key, which both databases answer from its index.
    return SearchWord.objects.filter(word__gte=word, word__lt=word + "\U0010ffff").exists()


# Counting stops here: enough to compare an exact search with a corrected one.
COUNT_LIMIT = 1000


def _count(terms: list[Term]) -> int:
    from ijtech.models import SearchEntry

    return SearchEntry.objects.filter(Matches(terms))[:COUNT_LIMIT].count()


def plan(text: str, correct: bool = True) -> Plan:
    """Parse `text` and correct the words the index does not hold, if that finds more.

    A word of five letters or more that is neither a word of the index nor the start of
    one is taken for a misspelling: it is replaced by the nearest word the index holds
    (one edit for words up to seven letters, two for longer), and the corrected search is
    kept when it finds at least as much as the words as typed. Words as typed are
    searched when `correct` is False ("search instead for …").
    """
    terms = parse(text)
    unknown = [t for t in terms if _correctable(t) and not _in_vocabulary(t.parts[0])]
    if not correct or not unknown:
        return Plan(text, terms)
    corrections = {}
    for term in unknown:
        nearest = _nearest(term.parts[0])
        if nearest:
            corrections[term] = Term((nearest,))
    if not corrections:
        return Plan(text, terms)
    corrected = [corrections.get(t, t) for t in terms]
    found = _count(corrected)
    if found and found >= _count(terms):
        return Plan(text, corrected, corrected=True)
    return Plan(text, terms)


# --- Searching --------------------------------------------------------------------------


def search(queryset, text_or_plan):
    """`queryset` narrowed to the records that match, each annotated with its `rank`."""
    from ijtech.models import SearchEntry

    found = text_or_plan if isinstance(text_or_plan, Plan) else plan(text_or_plan)
    content_type = ContentType.objects.get_for_model(queryset.model)
    entries = SearchEntry.objects.filter(content_type=content_type)
    matching = entries.filter(Matches(found.terms)).values("object_id")
    rank = entries.filter(object_id=OuterRef("pk")).annotate(rank=score(found.terms))
    return queryset.filter(pk__in=matching).annotate(
        rank=Subquery(rank.values("rank")[:1], output_field=models.IntegerField())
    )


@dataclass
class Hit:
    kind: str
    record: object
    rank: int
    snippet: SafeString


@dataclass
class Results:
    plan: Plan
    entries: object  # the ranked SearchEntry queryset
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(self.counts.values())

    def hits(self, entries) -> list[Hit]:
        """The records behind a page of entries, in rank order, with their snippets."""
        by_kind: dict[str, list[int]] = {}
        for entry in entries:
            by_kind.setdefault(entry.kind, []).append(entry.object_id)
        records = {}
        for kind, ids in by_kind.items():
            model = searchable_models()[kind]
            # A hit shows its title, link and date: the record's own row is enough. Only
            # public records have entries, so the index has already chosen them.
            for record in model._default_manager.filter(pk__in=ids):
                records[kind, record.pk] = record
        return [
            Hit(e.kind, records[e.kind, e.object_id], e.rank, snippet(e, self.plan.terms))
            for e in entries
            if (e.kind, e.object_id) in records
        ]


def search_records(text_or_plan, kind: str | None = None, correct: bool = True) -> Results:
    """Every public record matching the query, across kinds, best first."""
    from ijtech.models import SearchEntry

    found = text_or_plan if isinstance(text_or_plan, Plan) else plan(text_or_plan, correct)
    matching = SearchEntry.objects.filter(Matches(found.terms))
    counts = dict.fromkeys(searchable_models(), 0)
    # Grouped over every match: kept until the next public change (ijtech/fragments.py).
    by_kind = matching.values_list("kind").annotate(n=models.Count("id")).order_by()
    counts.update(fragments.rows(by_kind))
    if kind:
        matching = matching.filter(kind=kind)
    ranked = matching.annotate(rank=score(found.terms)).order_by("-rank", "-sort_key", "id")
    return Results(found, ranked, counts)


# --- Snippets ---------------------------------------------------------------------------

SNIPPET_WORDS = 30


def _pattern(terms: list[Term]) -> re.Pattern:
    words = []
    for term in terms:
        for word in (*term.parts, term.joined):
            if _prefixed(word):
                # Roughly the stem: "agreements" marks "agreement", "satellite" "satellites".
                stem = word[: max(PREFIX_LENGTH, len(word) - 3)] if len(word) > 5 else word
                words.append(re.escape(stem) + r"\w*")
            else:
                words.append(re.escape(word) + r"\b")
    return re.compile(r"\b(?:" + "|".join(sorted(set(words), key=len, reverse=True)) + ")", re.I)


def snippet(entry, terms: list[Term]) -> SafeString:
    """Some thirty words of the entry around its first match, the matches marked.

    Built from escaped text: the only markup in it is ijtech's own <mark>.
    """
    pattern = _pattern(terms)
    # Each text of the document on its own line: the summary first, then tags, sectors,
    # institutions, quotes and names. The first that matches is shown, on its own.
    lines = [line for text in (entry.body, entry.extra, entry.names) for line in text.split("\n")]
    text = next((t for t in lines if t and pattern.search(t)), lines[0] if lines else "")
    words = (text or "").split()
    if not words:
        return mark_safe("")
    first = next((i for i, w in enumerate(words) if pattern.search(w)), 0)
    start = max(0, min(first - SNIPPET_WORDS // 3, len(words) - SNIPPET_WORDS))
    shown = " ".join(words[start : start + SNIPPET_WORDS])
    pieces, position = [], 0
    for match in pattern.finditer(shown):
        pieces.append(escape(shown[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(shown[position:]))
    before = "… " if start > 0 else ""
    after = " …" if start + SNIPPET_WORDS < len(words) else ""
    return mark_safe(before + "".join(pieces) + after)


# --- The index ----------------------------------------------------------------------------


@dataclass
class SearchDocument:
    """What a record gives the index: its text by weight, and its date for ties."""

    title: str
    names: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    sort_key: int = 0


def date_key(year, month=None, day=None) -> int:
    """A date as YYYYMMDD, unknown parts as zero, for ordering equal ranks newest first."""
    return (year or 0) * 10000 + (month or 0) * 100 + (day or 0)


@cache
def searchable_models() -> dict:
    """{kind: model} for every installed model that gives a search document."""
    return {
        str(model._meta.verbose_name): model
        for model in apps.get_models()
        if hasattr(model, "search_document")
    }


def kind_of(model) -> str:
    return str(model._meta.verbose_name)


def _entry(record, document: SearchDocument):
    from ijtech.models import SearchEntry

    keys = [normalise(document.title), *(normalise(n) for n in document.names)]
    return SearchEntry(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        kind=kind_of(type(record)),
        title=document.title,
        names="\n".join(document.names),
        body="\n".join(t for t in document.body if t),
        extra="\n".join(t for t in document.extra if t),
        keys="|" + "|".join(k for k in keys if k) + "|",
        sort_key=document.sort_key,
    )


VOCABULARY_WORD = re.compile(r"[^\W\d_]{4,40}")


def _vocabulary(entries) -> set[str]:
    words = set()
    for entry in entries:
        for text in (entry.title, entry.names, entry.body, entry.extra):
            words.update(VOCABULARY_WORD.findall(normalise(text)))
    return words


def _add_words(words: set[str]) -> None:
    from ijtech.models import SearchWord

    SearchWord.objects.bulk_create(
        [SearchWord(word=w, length=len(w)) for w in sorted(words)],
        ignore_conflicts=True,
        batch_size=2000,
    )


def reindex(model, pks) -> None:
    """Bring the entries of these records in step: written if public, removed if not."""
    from ijtech.models import SearchEntry

    pks = set(pks)
    if not pks or model not in searchable_models().values():
        return
    content_type = ContentType.objects.get_for_model(model)
    with transaction.atomic():
        SearchEntry.objects.filter(content_type=content_type, object_id__in=pks).delete()
        entries = [
            _entry(record, record.search_document())
            for record in model.search_queryset().filter(pk__in=pks)
        ]
        SearchEntry.objects.bulk_create(entries)
        _add_words(_vocabulary(entries))


def rebuild(batch_size: int = 2000, progress=None) -> int:
    """Build the whole index afresh, from every public record; returns the entry count."""
    from ijtech.models import SearchEntry, SearchWord

    total = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        SearchWord.objects.all().delete()
        for model in searchable_models().values():
            batch = []
            for record in model.search_queryset().order_by("pk").iterator(batch_size):
                batch.append(_entry(record, record.search_document()))
                if len(batch) >= batch_size:
                    total += _write(batch, progress)
                    batch = []
            total += _write(batch, progress)
    return total


def _write(entries, progress) -> int:
    from ijtech.models import SearchEntry

    SearchEntry.objects.bulk_create(entries, batch_size=500)
    _add_words(_vocabulary(entries))
    if progress:
        progress(len(entries))
    return len(entries)


# --- Keeping the index in step ----------------------------------------------------------

# Let a bulk writer (the corpus load) change records and rebuild the index once.
paused = Pause()


def _related(model, lookup: str):
    """The model a record's lookup (`parties`, `citations__disagreement`) arrives at."""
    related = model
    for name in lookup.split("__"):
        related = related._meta.get_field(name).related_model
    return related


def _changed(sender, instance, **kwargs):
    if paused.active:
        return
    for model, pks in affected(instance).items():
        reindex(model, pks)


def _deleting(sender, instance, **kwargs):
    if not paused.active:
        instance._search_affected = affected(instance)


def _deleted(sender, instance, **kwargs):
    if paused.active:
        return
    for model, pks in getattr(instance, "_search_affected", {}).items():
        reindex(model, pks)


def affected(instance) -> dict:
    """{searchable model: pks} whose documents show `instance`."""
    found: dict = {}
    model = type(instance)
    if model in searchable_models().values():
        found.setdefault(model, set()).add(instance.pk)
    for searchable in searchable_models().values():
        for lookup in searchable.search_related:
            if _related(searchable, lookup) is model:
                pks = searchable._base_manager.filter(**{lookup: instance.pk})
                found.setdefault(searchable, set()).update(pks.values_list("pk", flat=True))
    # A row that links a record to what it shows (a party link, a tag, a citation).
    for relation in model._meta.get_fields():
        target = None
        if relation.many_to_one and relation.related_model in searchable_models().values():
            target = getattr(instance, relation.attname, None), relation.related_model
        if target and target[0] is not None and _links(model, target[1]):
            found.setdefault(target[1], set()).add(target[0])
    content_type_id = getattr(instance, "content_type_id", None)
    object_id = getattr(instance, "object_id", None)
    if content_type_id and object_id is not None:
        target = ContentType.objects.get_for_id(content_type_id).model_class()
        if target in searchable_models().values():
            found.setdefault(target, set()).add(int(object_id))
    return found


def _links(link_model, record_model) -> bool:
    """Whether `link_model` is the through table of a relation the record's document shows."""
    for lookup in record_model.search_related:
        field_ = record_model._meta.get_field(lookup.split("__")[0])
        through = getattr(getattr(field_, "remote_field", None), "through", None)
        if through is link_model:
            return True
    return False


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if paused.active or action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if action == "pre_clear":
        # The links are gone after the clear: note now who loses them.
        instance._search_cleared = _m2m_others(sender, instance, reverse)
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_search_cleared", set())
    # Only the side that declares the relation shows it in its document.
    if not reverse:
        reindex(type(instance), [instance.pk])
    elif pk_set:
        reindex(model, pk_set)


def _m2m_others(through, instance, reverse) -> set:
    for relation in through._meta.get_fields():
        if relation.many_to_one and isinstance(instance, relation.related_model):
            mine = relation.name
            break
    else:
        return set()
    other = next(
        r for r in through._meta.get_fields() if r.many_to_one and r.name != mine and r.concrete
    )
    return set(through.objects.filter(**{mine: instance}).values_list(other.attname, flat=True))


def connect_signals() -> None:
    """Keep entries in step with the records and with every row their documents show."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    watched = set(searchable_models().values())
    for searchable in searchable_models().values():
        for lookup in searchable.search_related:
            watched.add(_related(searchable, lookup))
            field_ = searchable._meta.get_field(lookup.split("__")[0])
            through = getattr(getattr(field_, "remote_field", None), "through", None)
            if through is not None:
                if through._meta.auto_created:
                    m2m_changed.connect(_m2m_changed, sender=through, weak=False)
                else:
                    watched.add(through)
    for model in watched:
        uid = f"search-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, weak=False, dispatch_uid=uid)
        pre_delete.connect(_deleting, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(_deleted, sender=model, weak=False, dispatch_uid=uid)


def build_if_empty(sender, using="default", **kwargs) -> None:
    """After `migrate`, index a database whose records predate the index."""
    from ijtech.models import SearchEntry

    if SearchEntry.objects.using(using).exists():
        return
    if any(m.search_queryset().exists() for m in searchable_models().values()):
        rebuild()


# --- The database side ----------------------------------------------------------------

SQLITE_SCHEMA = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, names, body, extra,
        content='ijtech_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS ijtech_searchentry_ai AFTER INSERT ON ijtech_searchentry
    BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, names, body, extra)
        VALUES (new.id, new.title, new.names, new.body, new.extra);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS ijtech_searchentry_ad AFTER DELETE ON ijtech_searchentry
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, names, body, extra)
        VALUES ('delete', old.id, old.title, old.names, old.body, old.extra);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS ijtech_searchentry_au AFTER UPDATE ON ijtech_searchentry
    BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, names, body, extra)
        VALUES ('delete', old.id, old.title, old.names, old.body, old.extra);
        INSERT INTO {FTS_TABLE}(rowid, title, names, body, extra)
        VALUES (new.id, new.title, new.names, new.body, new.extra);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ijtech_searchentry_au",
    "DROP TRIGGER IF EXISTS ijtech_searchentry_ad",
    "DROP TRIGGER IF EXISTS ijtech_searchentry_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]

POSTGRES_SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Words split where SQLite's tokenizer splits them: PostgreSQL's parser would read
    # "Chandrayaan-5" as "chandrayaan" and the number "-5", or a host name as one word.
    # Only a dot between digits stays, for version numbers ("2.0").
    r"""CREATE OR REPLACE FUNCTION ijtech_search_words(text) RETURNS text AS $$
        SELECT regexp_replace(
            regexp_replace(coalesce($1, ''), '[^[:alnum:][:space:].]', ' ', 'g'),
            '(?<![0-9])\.|\.(?![0-9])', ' ', 'g')
    $$ LANGUAGE sql IMMUTABLE""",
    f"""CREATE OR REPLACE FUNCTION ijtech_searchentry_vector() RETURNS trigger AS $$
    BEGIN
        NEW.vector :=
            setweight(to_tsvector('{CONFIG}', ijtech_search_words(NEW.title)), 'A') ||
            setweight(to_tsvector('{CONFIG}', ijtech_search_words(NEW.names)), 'B') ||
            setweight(to_tsvector('{CONFIG}', ijtech_search_words(NEW.body)), 'C') ||
            setweight(to_tsvector('{CONFIG}', ijtech_search_words(NEW.extra)), 'D');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER ijtech_searchentry_vector BEFORE INSERT OR UPDATE ON ijtech_searchentry
    FOR EACH ROW EXECUTE FUNCTION ijtech_searchentry_vector()""",
    # Matching: WHERE vector @@ to_tsquery(...), on every search.
    "CREATE INDEX ijtech_searchentry_vector_gin ON ijtech_searchentry USING gin (vector)",
    # Typo tolerance: WHERE word % 'semiconducter', the vocabulary's nearest words.
    "CREATE INDEX ijtech_searchword_trgm ON ijtech_searchword USING gin (word gin_trgm_ops)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS ijtech_searchword_trgm",
    "DROP INDEX IF EXISTS ijtech_searchentry_vector_gin",
    "DROP TRIGGER IF EXISTS ijtech_searchentry_vector ON ijtech_searchentry",
    "DROP FUNCTION IF EXISTS ijtech_searchentry_vector()",
    "DROP FUNCTION IF EXISTS ijtech_search_words(text)",
]
