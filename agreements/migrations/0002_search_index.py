from django.db import migrations

from ijtech.migration_ops import PostgresGinIndex


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [
        # /search/ and ?q=: WHERE search_vector @@ plainto_tsquery('english', ...)
        PostgresGinIndex("agreements", "agreement"),
        PostgresGinIndex("agreements", "milestone"),
    ]
