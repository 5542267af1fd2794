from django.db import migrations


class PostgresGinIndex(migrations.RunPython):
    """A GIN index on a model's search_vector, created on PostgreSQL and skipped elsewhere.

    A plain GinIndex in Meta.indexes would break migrations on SQLite, the embedded default.
    """

    def __init__(self, app_label: str, model_name: str):
        table = f"{app_label}_{model_name}"
        name = f"{table}_search_gin"

        def forwards(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(
                    f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (search_vector)'
                )

        def backwards(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

        super().__init__(forwards, backwards)


class VendorSQL(migrations.RunPython):
    """Statements for one database vendor each; a vendor with none runs nothing."""

    def __init__(self, forwards: dict[str, list[str]], backwards: dict[str, list[str]]):
        def run(statements):
            def apply(apps, schema_editor):
                for statement in statements.get(schema_editor.connection.vendor, []):
                    schema_editor.execute(statement)

            return apply

        super().__init__(run(forwards), run(backwards))
