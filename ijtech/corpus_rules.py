"""
Editorial rules of the corpus over any record with citations, checked on every load after
each record has passed its model's own validation. A codec lists the rules its records keep
(`Codec.rules`); each rule is called as rule(validator, codec, record). Each guards against
a way a record can claim more than its sources say:

- A citation marked as supporting "something else (see note)" must have that note, unless
  it backs one version of a disagreement (its position then says what it supports). A
  position that says "see note" needs the note too, and a summary that sends the reader
  to "the disagreement" needs one.
- A date given as stated ("exact") must be carried by a quote: at least one citation's
  quote must contain the record's year. Any citation may carry it, since a record's
  amount quote often holds its year too; a record whose codec says it takes its date from
  another record of the same year (a forum recommendation from its forum) is exempt.
  Approximate dates, decades and spans are exempt: their notes explain where the year
  comes from.
- A date-supporting quote (or, for a record with none, any quote) that gives a span such
  as "1990-91", "FY2023-2024" or "2020-2022" beginning or ending in the record's year,
  where that year does not also stand alone in the quote, means the record is a span and
  cannot be stored as exact.
"""

import re

from ijtech.dates import MAX_SPAN_YEARS

DATE_SUPPORTS = {"date", "record"}
SEE_NOTE = re.compile(r"\bsee (the )?note\b", re.IGNORECASE)
SEE_DISAGREEMENT = re.compile(r"\bsee the disagreement\b", re.IGNORECASE)
# "1990-91", "2023–24", "FY2023-2024", "2025- 26": a first year, a dash, a last year.
SPAN = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d|\d\d)(?!\d)")


def spans(text: str) -> list[tuple[int, int, tuple[int, int]]]:
    found = []
    for match in SPAN.finditer(text):
        first, last = int(match.group(1)), match.group(2)
        end = int(last) if len(last) == 4 else first - first % 100 + int(last)
        if len(last) == 2 and end < first:
            end += 100
        # A longer run, like FDI inflows over 2000-2023, is a period, not a span date.
        if first < end <= first + MAX_SPAN_YEARS:
            found.append((first, end, match.span()))
    return found


def stands_alone(year: int, text: str, taken: list[tuple[int, int]]) -> bool:
    for match in re.finditer(rf"(?<!\d){year}(?!\d)", text):
        if not any(start <= match.start() < stop for start, stop in taken):
            return True
    return False


def check_see_note(validator, codec, record) -> None:
    kind = codec.kind
    summary = (record.get(codec.summary_key) or "") if codec.summary_key else ""
    if SEE_DISAGREEMENT.search(summary) and not record.get("disagreements"):
        validator.error(
            kind, record["slug"], codec.summary_key, "sends the reader to a disagreement it lacks"
        )
    for i, cite in enumerate(record.get("citations") or []):
        if (cite.get("note") or "").strip():
            continue
        if cite.get("supports") == "other" and not cite.get("disputes"):
            validator.error(
                kind,
                record["slug"],
                f"citations[{i}].note",
                "a citation that supports 'something else (see note)' must say in its note "
                "what it supports",
            )
        elif SEE_NOTE.search(cite.get("position") or ""):
            validator.error(
                kind,
                record["slug"],
                f"citations[{i}].note",
                "the position says 'see note', but the note is empty",
            )


def check_exact_date(validator, codec, record) -> None:
    if record.get("date_qualifier") != "exact" or not record.get("year"):
        return
    year = str(record["year"])
    quotes = [c.get("quote") or "" for c in record.get("citations") or []]
    if any(re.search(rf"(?<!\d){year}(?!\d)", q) for q in quotes):
        return
    # A forum recommendation or a summit outcome takes its date from the forum or summit.
    carrier = codec.date_carried_by(validator, record)
    if carrier and carrier.get("year") == record["year"]:
        return
    validator.error(
        codec.kind,
        record["slug"],
        "date_qualifier",
        f"the date is given as stated, but no quote contains the year {year}: quote the "
        "words that give it, or make the date approximate and say in a note where it "
        "comes from",
    )


def check_span(validator, codec, record) -> None:
    if record.get("date_qualifier") != "exact" or not record.get("year"):
        return
    year = record["year"]
    citations = list(enumerate(record.get("citations") or []))
    # Without a date-supporting citation the date rests on whatever quotes there are.
    dated = [(i, c) for i, c in citations if c.get("supports") in DATE_SUPPORTS] or citations
    for i, cite in dated:
        quote = cite.get("quote") or ""
        found = spans(quote)
        taken = [where for _, _, where in found]
        for first, last, _ in found:
            if year in (first, last) and not stands_alone(year, quote, taken):
                validator.error(
                    codec.kind,
                    record["slug"],
                    f"citations[{i}].quote",
                    f"gives the span {first}-{last}, but the record's date is stored as an "
                    f"exact {year}: store it as a span",
                )
                return
