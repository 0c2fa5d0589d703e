"""Import pipeline: read platform exports, validate them against the contract, append.

``import_files(sources, into)`` reads CSV/XLSX/Parquet files (:mod:`.readers`),
maps headers (:mod:`.headers`), parses and checks every row with column
operations (:mod:`.parse`, :mod:`.validate`, :mod:`.parameters`, units in
:mod:`.units`), reconciles with the existing dataset (:mod:`.existing`:
repeats, revisions, conflicts), appends accepted rows and quarantines the rest
with bilingual reasons (:mod:`.quarantine`, :mod:`.reasons`), and returns an
:class:`ImportReport` (:mod:`.report`).
"""

from workbench.ingest.importer import import_files
from workbench.ingest.report import ImportReport

__all__ = ["ImportReport", "import_files"]
