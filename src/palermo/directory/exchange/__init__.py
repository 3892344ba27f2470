"""Export and import of a State's directory data as CSV, JSON and XLSX, in one format.

The format is defined once, in :mod:`.schema`; :mod:`.formats` reads and writes it in each file
type; :mod:`.exporter` collects what a user may export (through the directory's access layer);
:mod:`.importer` validates a whole file and applies it all-or-nothing.
``docs/directory-exchange.md`` documents the format for the States.
"""
