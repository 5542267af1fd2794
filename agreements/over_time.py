"""Agreements over time: per year by kind of instrument and by status."""

from ijtech.charts import YearChart, per_year_by_choice

# (field, title) of each chart, in the order the pages show them.
CHARTS = [
    ("kind", "Agreements per year by kind of instrument"),
    ("status", "Agreements per year by status"),
]
CSV_COLUMNS = ["year", "by", "value", "label", "records", "approximate"]


def agreements_over_time(agreements) -> list[YearChart]:
    """The charts of `agreements` (a filtered queryset): one grouped query each, none when
    the first finds nothing."""
    charts = []
    for field, title in CHARTS:
        chart = per_year_by_choice(agreements, field, title, f"over-time-{field}")
        if chart is None:
            return []
        charts.append(chart)
    return charts
