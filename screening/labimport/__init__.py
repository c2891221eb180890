"""Lab import (lab-import.md): read the hospital's FHIR R4 JSON or LIS CSV/XLSX export for one candidate.

Pure-Python parts, no Django: ``units`` (written unit -> UCUM), ``loinc`` (LOINC code -> test),
``values`` (flags, reference ranges, dates, pregnancy words), ``headers`` (LIS column headers),
``readers`` (bytes -> source rows, format detected from the content) and ``mapping`` (a source row
-> an interchange lab or pregnancy-test entry, or the reason it is rejected). ``models`` holds the
Django side: the mapping table and the provenance of imported rows.
"""
