"""An index that also holds columns it is not sorted by, where the database can.

PostgreSQL keeps them in the index (INCLUDE), so that a query needing only
them reads the index alone. Django's own ``Index(include=...)`` is ignored on
SQLite with the system check warning models.W040, which every ``migrate`` of a
SQLite site (``make demo`` among them) would print. This index leaves them out
there, without a word: it is a plain index on those databases.
"""

from django.db import models


class CoveringIndex(models.Index):
    def __init__(self, *expressions, covering=(), **kwargs):
        super().__init__(*expressions, **kwargs)
        self.covering = tuple(covering)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["covering"] = self.covering
        return path, args, kwargs

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if not (
            self.covering
            and schema_editor.connection.features.supports_covering_indexes
        ):
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        index = self.clone()
        index.include = self.covering
        return models.Index.create_sql(
            index, model, schema_editor, using=using, **kwargs
        )
