"""The rules of the report: the catalog of forms and rules, the rule engine, numbers, periods,
the vocabulary every layer prints. Pure Python: no Qt, no SQLite, no files of the clerk's."""
